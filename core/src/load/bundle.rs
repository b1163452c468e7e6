//! Schemas: referenced schema files are loaded, with the files they `$ref`,
//! and bundled into one self-contained schema.
//!
//! A bundle embeds each referenced file under `$defs`, keyed by its absolute
//! URL and with its `$id` set to that URL, so that a JSON-schema validator
//! resolves every reference inside the document, without fetching:
//!
//! ```json
//! {"$ref": "file:///p/schemas.yaml#/$defs/order",
//!  "$defs": {"file:///p/schemas.yaml": {"$id": "file:///p/schemas.yaml", "$defs": {"order": {}}}}}
//! ```
//!
//! An inline schema without references to other files is left exactly as
//! written. One that has some gets the files under its `$defs`, and its
//! references to them are made absolute. References inside a document
//! (`#/$defs/x`, `#Anchor`, or to a nested `$id`) and Flow's `flow://…`
//! schemas are left alone.
//!
//! URLs resolve as JSON Schema says, against the nearest enclosing `$id`,
//! except that the base of a file's root is always the file's own URL (a
//! root `$id` is replaced by the file URL when embedded).

use std::collections::{HashSet, VecDeque};

use serde_json::{Map, Value};
use url::Url;

use super::inline::SpecAt;
use super::parse::{self, Format};
use super::{source, Loader};
use crate::{codes, FileOrigin, Scope};

/// A loaded schema file.
pub(super) struct SchemaDoc {
    value: Value,
    /// `(base URL, name)` of each `$anchor`.
    anchors: HashSet<(String, String)>,
    /// References to other files: where the `$ref` is (a JSON pointer), and
    /// its absolute target.
    refs: Vec<(String, Url)>,
}

/// The keywords whose value is a schema.
const SCHEMA_KEYWORDS: &[&str] = &[
    "additionalItems",
    "additionalProperties",
    "contains",
    "contentSchema",
    "else",
    "if",
    "items",
    "not",
    "propertyNames",
    "then",
    "unevaluatedItems",
    "unevaluatedProperties",
];
/// The keywords whose value is an array of schemas.
const SCHEMA_ARRAY_KEYWORDS: &[&str] = &["allOf", "anyOf", "oneOf", "prefixItems", "items"];
/// The keywords whose value is a map of schemas.
const SCHEMA_MAP_KEYWORDS: &[&str] = &[
    "$defs",
    "definitions",
    "dependencies",
    "dependentSchemas",
    "patternProperties",
    "properties",
];

/// The `$ref`s, anchors and resource ids of one schema document.
#[derive(Default)]
struct Index {
    anchors: HashSet<(String, String)>,
    /// Base URLs of the document's resources: its root and each nested `$id`.
    resources: HashSet<Url>,
    /// Each `$ref`: its JSON pointer and its target, resolved.
    refs: Vec<(String, Url)>,
}

/// Visits every schema object of `root` (the root itself, and each
/// subschema under a keyword that holds schemas) in document order, without
/// recursion. `f` gets the object, its JSON pointer, and the base URL that
/// its references resolve against: `base`, or the nearest enclosing nested
/// `$id` (a root `$id` is ignored: a file's base is its own URL).
fn visit_schemas<'v>(
    root: &'v Value,
    base: &Url,
    mut f: impl FnMut(&'v Map<String, Value>, &str, &Url),
) {
    let mut stack: Vec<(&Value, String, Url)> = vec![(root, String::new(), base.clone())];
    while let Some((value, pointer, mut base)) = stack.pop() {
        let Value::Object(map) = value else {
            continue;
        };
        if let Some(Value::String(id)) = map.get("$id") {
            if !id.starts_with('#') && !pointer.is_empty() {
                if let Ok(mut id) = base.join(id) {
                    id.set_fragment(None);
                    base = id;
                }
            }
        }
        f(map, &pointer, &base);
        let child = |token: &str| format!("{pointer}/{}", crate::names::escape_token(token));
        // Children are pushed, then reversed, so that they are visited in
        // document order.
        let first_child = stack.len();
        for (keyword, sub) in map {
            let keyword = keyword.as_str();
            match sub {
                Value::Object(_) | Value::Bool(_) if SCHEMA_KEYWORDS.contains(&keyword) => {
                    stack.push((sub, child(keyword), base.clone()));
                }
                Value::Array(items) if SCHEMA_ARRAY_KEYWORDS.contains(&keyword) => {
                    let at = child(keyword);
                    for (i, item) in items.iter().enumerate() {
                        stack.push((item, format!("{at}/{i}"), base.clone()));
                    }
                }
                Value::Object(entries) if SCHEMA_MAP_KEYWORDS.contains(&keyword) => {
                    let at = child(keyword);
                    for (name, item) in entries {
                        let at = format!("{at}/{}", crate::names::escape_token(name));
                        stack.push((item, at, base.clone()));
                    }
                }
                _ => {}
            }
        }
        stack[first_child..].reverse();
    }
}

/// Walks the schema `root`, whose base URL is `base`.
fn index(root: &Value, base: &Url) -> Index {
    let mut index = Index::default();
    index.resources.insert(base.clone());
    visit_schemas(root, base, |map, pointer, base| {
        if let Some(Value::String(id)) = map.get("$id") {
            if let Some(anchor) = id.strip_prefix('#') {
                index.anchors.insert((base.to_string(), anchor.to_string()));
            } else if !pointer.is_empty() {
                index.resources.insert(base.clone());
            }
        }
        for keyword in ["$anchor", "$dynamicAnchor"] {
            if let Some(Value::String(anchor)) = map.get(keyword) {
                index.anchors.insert((base.to_string(), anchor.clone()));
            }
        }
        if let Some(Value::String(reference)) = map.get("$ref") {
            if let Ok(target) = base.join(reference) {
                index.refs.push((format!("{pointer}/$ref"), target));
            }
        }
    });
    index
}

/// Rewrites the relative `$ref`s of the schema `root` that resolve against
/// its own base (`from`, the URL of the file or catalog file it is written
/// in) so that they resolve to the same targets from `to`: a schema moved
/// from one file to another keeps its meaning. References within the
/// document (`#…`), absolute URLs, and references under a nested `$id` are
/// left alone. Returns whether anything changed.
///
/// For example `{"$ref": "defs.yaml#/$defs/x"}` moved from
/// `file:///p/schemas/a.yaml` to `file:///p/flow.yaml` becomes
/// `{"$ref": "schemas/defs.yaml#/$defs/x"}`.
pub(crate) fn rebase_refs(root: &mut Value, from: &Url, to: &Url) -> bool {
    if from == to || !has_refs(root) {
        return false;
    }
    let mut edits = Vec::new();
    visit_schemas(root, from, |map, pointer, base| {
        let Some(Value::String(reference)) = map.get("$ref") else {
            return;
        };
        if base != from || reference.starts_with('#') || !is_relative(reference) {
            return;
        }
        if let Ok(target) = from.join(reference) {
            if let Some(new) = to.make_relative(&target) {
                if new != *reference {
                    edits.push((format!("{pointer}/$ref"), new));
                }
            }
        }
    });
    let changed = !edits.is_empty();
    for (pointer, new) in edits {
        if let Some(slot) = root.pointer_mut(&pointer) {
            *slot = Value::String(new);
        }
    }
    changed
}

/// The files (without fragments) that the `$ref`s of the schema `root`,
/// written at `base`, refer to: none for references within the document,
/// to nested `$id`s, or to Flow's `flow://` schemas.
pub(crate) fn schema_files(root: &Value, base: &Url) -> Vec<Url> {
    if !has_refs(root) {
        return Vec::new();
    }
    let index = index(root, base);
    index
        .refs
        .into_iter()
        .map(|(_, target)| without_fragment(&target))
        .filter(|file| !index.resources.contains(file) && file.scheme() != "flow")
        .collect()
}

/// Whether `reference` is a relative URL reference.
fn is_relative(reference: &str) -> bool {
    matches!(
        Url::parse(reference),
        Err(url::ParseError::RelativeUrlWithoutBase)
    )
}

/// Whether `value` has a `$ref` anywhere: a quick test that lets schemas
/// without references skip indexing.
fn has_refs(value: &Value) -> bool {
    let mut stack = vec![value];
    while let Some(value) = stack.pop() {
        match value {
            Value::Object(map) => {
                if map.contains_key("$ref") {
                    return true;
                }
                stack.extend(map.values());
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    false
}

/// `url` without its fragment.
fn without_fragment(url: &Url) -> Url {
    let mut url = url.clone();
    url.set_fragment(None);
    url
}

/// Percent-decodes a URL fragment.
fn decode_fragment(fragment: &str) -> String {
    let bytes = fragment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl SchemaDoc {
    /// Whether the fragment of `target` (a URL of this document) exists:
    /// an empty one, a JSON pointer to a value, or an `$anchor`.
    fn has_fragment(&self, target: &Url) -> bool {
        let Some(fragment) = target.fragment() else {
            return true;
        };
        let fragment = decode_fragment(fragment);
        if fragment.is_empty() {
            true
        } else if fragment.starts_with('/') {
            self.value.pointer(&fragment).is_some()
        } else {
            self.anchors
                .contains(&(without_fragment(target).to_string(), fragment))
        }
    }

    /// The document, ready to embed: its `$id` is `url`.
    fn embedded(&self, url: &Url) -> Value {
        let id = Value::String(url.to_string());
        match self.value.clone() {
            Value::Object(mut map) => {
                if map.contains_key("$id") {
                    map.insert("$id".to_string(), id);
                } else {
                    map.shift_insert(0, "$id".to_string(), id);
                }
                Value::Object(map)
            }
            other => {
                let mut map = Map::new();
                map.insert("$id".to_string(), id);
                map.insert("allOf".to_string(), Value::Array(vec![other]));
                Value::Object(map)
            }
        }
    }
}

impl Loader {
    /// Resolves a collection's schema slot at `pointer` of the spec `at`.
    ///
    /// A string is the URL of a schema file, optionally with a fragment.
    /// When bundling ([`Mode::Bundle`]), it becomes a bundle of the file and
    /// every file it refers to. Otherwise a whole file is inlined as it is
    /// written, and recorded as loaded from the file (its `$ref`s resolve
    /// against the file, wherever the catalog is); a fragment of a file
    /// stays a reference. Either way every file reached is loaded and
    /// checked.
    ///
    /// An inline schema that refers to other files gets them embedded when
    /// bundling, and only checked otherwise; its references resolve against
    /// `file` when it was loaded from one, else the spec's file. `scan` says
    /// whether an inline schema may hold a `$ref` (when the parser saw none
    /// in its file, it cannot): one whose text has no `"$ref"` is left
    /// unparsed.
    pub(super) fn inline_schema(
        &mut self,
        at: &SpecAt,
        pointer: &str,
        schema: &mut crate::Schema,
        file: Option<&Url>,
        scan: bool,
    ) -> Option<FileOrigin> {
        if let Some(reference) = schema.as_reference() {
            let scope = at.slot(pointer);
            let target = self.resolve(&at.base, reference, &scope, true)?;
            let file = without_fragment(&target);
            if !self.may_read(&file, &scope, &at.what())
                || !self.load_schema_files(&file, &scope, at)
            {
                return None;
            }
            let doc = match self.schemas.get(&file) {
                Some(Some(doc)) => doc,
                _ => return None,
            };
            if !doc.has_fragment(&target) {
                self.diagnostics.push(fragment_missing(&scope, &target));
                return None;
            }
            if self.bundles() {
                let mut bundle = Map::new();
                bundle.insert("$ref".to_string(), Value::String(target.to_string()));
                bundle.insert("$defs".to_string(), Value::Object(self.embed(vec![file])));
                *schema = crate::Schema::new(Value::Object(bundle));
                return None;
            }
            if target.fragment().is_some_and(|f| !f.is_empty()) {
                return None;
            }
            let content = doc.value.clone();
            let reference = reference.to_string();
            *schema = crate::Schema::new(content);
            return Some(FileOrigin::new(
                reference,
                file.as_str(),
                crate::SlotValue::Schema(schema),
            ));
        }
        if scan && schema.may_refer() {
            let mut value = schema.to_value();
            let base = file.unwrap_or(&at.base);
            if self.inline_schema_refs(&mut value, base, at, pointer) {
                *schema = crate::Schema::new(value);
            }
        }
        None
    }

    /// Loads and checks the files an inline schema refers to; when
    /// bundling, embeds them under its `$defs` and makes its references to
    /// them absolute. Returns whether the schema changed.
    fn inline_schema_refs(
        &mut self,
        schema: &mut Value,
        base: &Url,
        at: &SpecAt,
        pointer: &str,
    ) -> bool {
        if !has_refs(schema) {
            return false;
        }
        let scope = at.slot(pointer);
        let index = index(schema, base);
        let mut files = Vec::new();
        for (pointer, target) in index.refs {
            let file = without_fragment(&target);
            if index.resources.contains(&file) || target.scheme() == "flow" {
                continue;
            }
            let site = scope.join_pointer(&pointer);
            if let Err(message) = source::check_scheme(&target, "load") {
                if matches!(target.scheme(), "http" | "https") {
                    self.diagnostics
                        .push(site.diagnostic(codes::INVALID_REFERENCE, message));
                }
                continue;
            }
            if !self.may_read(&file, &site, &at.what()) || !self.load_schema_files(&file, &site, at)
            {
                continue;
            }
            if let Some(Some(doc)) = self.schemas.get(&file) {
                if !doc.has_fragment(&target) {
                    self.diagnostics.push(fragment_missing(&site, &target));
                    continue;
                }
            }
            if self.bundles() {
                if let Some(slot) = schema.pointer_mut(&pointer) {
                    *slot = Value::String(target.to_string());
                }
                files.push(file);
            }
        }
        if files.is_empty() {
            return false;
        }
        let embedded = self.embed(files);
        let Value::Object(map) = schema else {
            return false;
        };
        match map
            .entry("$defs")
            .or_insert_with(|| Value::Object(Map::new()))
        {
            Value::Object(defs) => defs.extend(embedded),
            other => self.diagnostics.push(scope.push("$defs").diagnostic(
                codes::INVALID_SPEC,
                format!(
                    "{}: cannot bundle the referenced schemas: `$defs` is {}, not an object",
                    at.what(),
                    parse::kind_of(other)
                ),
            )),
        }
        true
    }

    /// The files `start` and every file they refer to, transitively, each
    /// embedded once, keyed by URL.
    fn embed(&self, start: Vec<Url>) -> Map<String, Value> {
        let mut seen: HashSet<Url> = HashSet::new();
        let mut queue: VecDeque<Url> = start.into_iter().collect();
        let mut defs = Map::new();
        while let Some(url) = queue.pop_front() {
            if !seen.insert(url.clone()) {
                continue;
            }
            let Some(Some(doc)) = self.schemas.get(&url) else {
                continue;
            };
            defs.insert(url.to_string(), doc.embedded(&url));
            for (_, target) in &doc.refs {
                let file = without_fragment(target);
                if !seen.contains(&file) {
                    queue.push_back(file);
                }
            }
        }
        defs
    }

    /// Loads the schema file at `url` and, transitively, every file it
    /// refers to, checking each reference. Each file is loaded once.
    /// Returns whether `url` itself loaded.
    fn load_schema_files(&mut self, url: &Url, scope: &Scope, at: &SpecAt) -> bool {
        if let Some(doc) = self.schemas.get(url) {
            return doc.is_some();
        }
        if !self.load_schema_doc(url, scope) {
            return false;
        }
        let mut queue = VecDeque::from([url.clone()]);
        while let Some(doc_url) = queue.pop_front() {
            let refs = match self.schemas.get(&doc_url) {
                Some(Some(doc)) => doc.refs.clone(),
                _ => continue,
            };
            for (pointer, target) in refs {
                let file = without_fragment(&target);
                let site = Scope::new(doc_url.as_str()).join_pointer(&pointer);
                if !self.schemas.contains_key(&file)
                    && self.may_read(&file, &site, &at.what())
                    && self.load_schema_doc(&file, &site)
                {
                    queue.push_back(file.clone());
                }
                if let Some(Some(doc)) = self.schemas.get(&file) {
                    if !doc.has_fragment(&target) {
                        self.diagnostics.push(fragment_missing(&site, &target));
                    }
                }
            }
        }
        true
    }

    /// Reads, parses and indexes one schema file (not the files it refers to).
    fn load_schema_doc(&mut self, url: &Url, scope: &Scope) -> bool {
        let doc = self.read_schema_doc(url, scope);
        let loaded = doc.is_some();
        self.schemas.insert(url.clone(), doc);
        loaded
    }

    fn read_schema_doc(&mut self, url: &Url, scope: &Scope) -> Option<SchemaDoc> {
        let bytes = match source::read(url, scope) {
            Ok(bytes) => bytes,
            Err(d) => {
                self.diagnostics.push(d);
                return None;
            }
        };
        let value = match parse::parse(&bytes, url.as_str(), Format::of(url.path()), false) {
            Ok(value) => value,
            Err(d) => {
                self.diagnostics.push(d);
                return None;
            }
        };
        let Index {
            anchors,
            resources,
            refs,
        } = index(&value, url);
        let mut external = Vec::new();
        for (pointer, target) in refs {
            if resources.contains(&without_fragment(&target)) || target.scheme() == "flow" {
                continue;
            }
            if let Err(message) = source::check_scheme(&target, "load") {
                if matches!(target.scheme(), "http" | "https") {
                    self.diagnostics.push(
                        Scope::new(url.as_str())
                            .join_pointer(&pointer)
                            .diagnostic(codes::INVALID_REFERENCE, message),
                    );
                }
                continue;
            }
            external.push((pointer, target));
        }
        Some(SchemaDoc {
            value,
            anchors,
            refs: external,
        })
    }
}

fn fragment_missing(scope: &Scope, target: &Url) -> crate::Diagnostic {
    scope.diagnostic(
        codes::SCHEMA_FRAGMENT_MISSING,
        format!("referenced schema fragment location {target} does not exist"),
    )
}
