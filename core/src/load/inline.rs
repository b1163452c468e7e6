//! File references in specs, replaced by the content of their files.
//!
//! The slots that may hold a reference, and the rule for each, follow
//! flowctl: a config-like slot holding a JSON string without whitespace is
//! the URL of a file; a schema slot holding a string is the URL of a schema
//! (see `bundle.rs`); test `documents` holding a string is the URL of a
//! fixture file.
//!
//! A value read from a file is recorded in [`crate::Origins::files`], so
//! that writing the catalog refers to the file again rather than inlining
//! the value.

use serde_json::Value;
use url::Url;

use super::parse::{self, kind_of, Format};
use super::{source, Loader, Mode};
use crate::{
    codes, Catalog, FileOrigin, Kind, Origins, Scope, Slot, SlotValue, SlotValueMut, Slots,
    TestDocuments,
};

/// The content of a loaded file: a document, or text.
#[derive(Clone)]
pub(super) enum Resource {
    Document(Value),
    Text(String),
}

impl Resource {
    fn into_value(self) -> Value {
        match self {
            Resource::Document(v) => v,
            Resource::Text(s) => Value::String(s),
        }
    }
}

/// The spec whose slots are being inlined: where its references resolve,
/// and what to call it in messages.
pub(super) struct SpecAt<'a> {
    pub kind: Kind,
    pub name: &'a str,
    /// The URL its references resolve against.
    pub base: Url,
    /// Its scope.
    pub scope: Scope,
    /// Whether it is a test written as a bare array of steps.
    pub bare: bool,
}

impl SpecAt<'_> {
    /// The scope of the slot at `pointer` (a pointer of [`Slots`]).
    pub fn slot(&self, pointer: &str) -> Scope {
        let pointer = match (self.bare, pointer.strip_prefix("/steps")) {
            (true, Some(rest)) => rest,
            _ => pointer,
        };
        self.scope.join_pointer(pointer)
    }

    /// `collection acmeCo/anvils`, for messages.
    pub fn what(&self) -> String {
        format!("{} {}", self.kind.singular(), self.name)
    }
}

impl Loader {
    /// Replaces the file references in the specs of `catalog` by their
    /// content (see [`Mode`] for which and how).
    pub(super) fn inline_catalog(&mut self, catalog: &mut Catalog) {
        let Catalog {
            captures,
            collections,
            materializations,
            tests,
            origins,
            ..
        } = catalog;
        for (name, spec) in captures.iter_mut() {
            self.inline_spec(Kind::Capture, name, spec, origins);
        }
        for (name, spec) in collections.iter_mut() {
            self.inline_spec(Kind::Collection, name, spec, origins);
        }
        for (name, spec) in materializations.iter_mut() {
            self.inline_spec(Kind::Materialization, name, spec, origins);
        }
        for (name, spec) in tests.iter_mut() {
            self.inline_spec(Kind::Test, name, spec, origins);
        }
    }

    fn inline_spec(&mut self, kind: Kind, name: &str, spec: &mut dyn Slots, origins: &mut Origins) {
        let Some(at) = self.spec_at(origins, kind, name) else {
            return;
        };
        let scan = !self.ref_free.contains(&at.scope.url);
        spec.for_each_slot_mut(&mut |slot, pointer, value| {
            let loaded = match value {
                SlotValueMut::Value(v) => self.inline_value(&at, slot, pointer, v),
                SlotValueMut::Schema(s) => {
                    // A schema loaded from a file resolves against that file.
                    let file = origins
                        .file(kind, name, pointer)
                        .and_then(|f| Url::parse(&f.url).ok());
                    self.inline_schema(&at, pointer, s, file.as_ref(), scan)
                }
                SlotValueMut::Documents(d) => self.inline_documents(&at, pointer, d),
            };
            if let Some(origin) = loaded {
                origins
                    .files
                    .insert((kind, name.to_string(), pointer.to_string()), origin);
            }
        });
    }

    /// Where the references of a spec resolve, and its scope.
    pub(super) fn spec_at<'n>(
        &mut self,
        origins: &Origins,
        kind: Kind,
        name: &'n str,
    ) -> Option<SpecAt<'n>> {
        let scope = origins.scope(kind, name);
        // Specs of one file share its URL: parse it once.
        let loaded = origins.specs.contains_key(&(kind, name.to_string()));
        let base = match self.urls.get(&scope.url).filter(|_| loaded) {
            Some(base) => base.clone(),
            None => {
                let base = super::reference_base(origins, kind, name);
                self.urls.insert(scope.url.clone(), base.clone());
                base
            }
        };
        let base = match base {
            Some(base) => base,
            None => self.cwd(&scope)?,
        };
        let bare = kind == Kind::Test && self.bare_tests.contains(name);
        Some(SpecAt {
            kind,
            name,
            base,
            scope,
            bare,
        })
    }

    /// Replaces a config-like value that is a file reference (a string
    /// without whitespace) with the file's content: a document for YAML or
    /// JSON files, else the text. Returns where it came from.
    fn inline_value(
        &mut self,
        at: &SpecAt,
        slot: Slot,
        pointer: &str,
        value: &mut Value,
    ) -> Option<FileOrigin> {
        let reference = crate::file_reference(value)?.to_string();
        let reference = reference.as_str();
        let scope = at.slot(pointer);
        let url = self.resolve(&at.base, reference, &scope, false)?;
        let is_document = source::is_document(&url);
        // Configs and resources are objects, and only ever read from YAML
        // and JSON files.
        let object = match slot {
            Slot::Config => Some(("config", codes::CONFIG_NOT_OBJECT)),
            Slot::Resource(_) => Some(("binding resource", codes::RESOURCE_NOT_OBJECT)),
            _ => None,
        };
        if let (Some((noun, _)), false) = (object, is_document) {
            self.diagnostics.push(scope.diagnostic(
                codes::INVALID_REFERENCE,
                format!(
                    "{}: the {noun} {reference:?} must be a YAML or JSON file (.yaml, .yml or \
                     .json) holding an object",
                    at.what()
                ),
            ));
            return None;
        }
        if !self.may_read(&url, &scope, &at.what()) {
            return None;
        }
        if self.missing_code
            && matches!(
                slot,
                Slot::Module(_) | Slot::Migration(_) | Slot::Lambda { .. }
            )
            && url
                .to_file_path()
                .is_ok_and(|path| matches!(path.try_exists(), Ok(false)))
        {
            // Left as a reference, for `generate` to write a stub there.
            return None;
        }
        let resource = self.fetch(&url, is_document, &scope)?.into_value();
        if let (Some((noun, code)), false) = (object, resource.is_object()) {
            self.diagnostics.push(scope.diagnostic(
                code,
                format!(
                    "{}: the {noun} must be an object, but {url} holds {}",
                    at.what(),
                    kind_of(&resource)
                ),
            ));
            return None;
        }
        let origin = FileOrigin::new(reference, url.as_str(), SlotValue::Value(&resource));
        *value = resource;
        Some(origin)
    }

    fn inline_documents(
        &mut self,
        at: &SpecAt,
        pointer: &str,
        documents: &mut TestDocuments,
    ) -> Option<FileOrigin> {
        match documents {
            TestDocuments::Url(reference) => {
                let scope = at.slot(pointer);
                let url = self.resolve(&at.base, reference, &scope, false)?;
                if !self.may_read(&url, &scope, &at.what()) {
                    return None;
                }
                let Some(Resource::Document(value)) = self.fetch(&url, true, &scope) else {
                    return None;
                };
                match fixture_documents(value, &url) {
                    Ok(docs) => {
                        let reference = std::mem::replace(documents, TestDocuments::Inline(docs));
                        let TestDocuments::Url(reference) = reference else {
                            unreachable!("it was a URL")
                        };
                        Some(FileOrigin::new(
                            reference,
                            url.as_str(),
                            SlotValue::Documents(documents),
                        ))
                    }
                    Err(d) => {
                        self.diagnostics.push(d);
                        None
                    }
                }
            }
            TestDocuments::Inline(docs) => {
                for (i, doc) in docs.iter().enumerate() {
                    if !doc.is_object() {
                        self.diagnostics
                            .push(at.slot(pointer).push_index(i).diagnostic(
                                codes::INVALID_SPEC,
                                format!(
                                    "{}: test documents must be objects, but document {i} is {}",
                                    at.what(),
                                    kind_of(doc)
                                ),
                            ));
                    }
                }
                None
            }
        }
    }

    /// `reference`, found at `scope`, resolved against `base` to a file to
    /// load; a problem is reported.
    pub(super) fn resolve(
        &mut self,
        base: &Url,
        reference: &str,
        scope: &Scope,
        allow_fragment: bool,
    ) -> Option<Url> {
        match source::resolve(base, reference, scope, "load", allow_fragment) {
            Ok(url) => Some(url),
            Err(d) => {
                self.diagnostics.push(d);
                None
            }
        }
    }

    /// Whether the file at `url`, referred to at `scope`, may be read: it
    /// is inside the root, or reading outside of it is allowed (with a
    /// warning).
    pub(super) fn may_read(&mut self, url: &Url, scope: &Scope, what: &str) -> bool {
        let Some(root) = &self.root else {
            return true;
        };
        if url.scheme() != "file" || root.contains(url) {
            return true;
        }
        let deny = self.deny_outside_root;
        let message = if deny {
            format!(
                "{what}: refusing to read {url}: it is outside of the catalog's root {} \
                 (references may not leave the root when it is enforced)",
                root.url
            )
        } else {
            format!(
                "{what}: {url} is outside of the catalog's root {}: its content is read and sent \
                 with the catalog (enforce the root to refuse such references)",
                root.url
            )
        };
        let diagnostic = scope.diagnostic(codes::REFERENCE_OUTSIDE_ROOT, message);
        if deny {
            self.diagnostics.push(diagnostic);
        } else if !self.diagnostics.contains(&diagnostic.clone().warning()) {
            self.diagnostics.push(diagnostic.warning());
        }
        !deny
    }

    /// The content of the file at `url`, read once. `document` says whether
    /// to parse it (without YAML merge keys, as flowctl does for files other
    /// than catalogs) or to take it as text.
    pub(super) fn fetch(&mut self, url: &Url, document: bool, scope: &Scope) -> Option<Resource> {
        let key = (url.clone(), document);
        if let Some(cached) = self.resources.get(&key) {
            return cached.clone();
        }
        let loaded = self.read_resource(url, document, scope);
        self.resources.insert(key, loaded.clone());
        loaded
    }

    fn read_resource(&mut self, url: &Url, document: bool, scope: &Scope) -> Option<Resource> {
        let bytes = match source::read(url, scope) {
            Ok(bytes) => bytes,
            Err(d) => {
                self.diagnostics.push(d);
                return None;
            }
        };
        let loaded = if document {
            parse::parse(&bytes, url.as_str(), Format::of(url.path()), false)
                .map(Resource::Document)
        } else {
            parse::utf8(&bytes, url.as_str()).map(|text| Resource::Text(text.to_owned()))
        };
        match loaded {
            Ok(resource) => Some(resource),
            Err(d) => {
                self.diagnostics.push(d);
                None
            }
        }
    }

    /// Whether this load inlines whole schemas by reference (`Sources`) or
    /// bundles everything (`Bundle`).
    pub(super) fn bundles(&self) -> bool {
        self.mode == Mode::Bundle
    }
}

/// The documents of a fixture file, which must be an array of objects.
fn fixture_documents(value: Value, url: &Url) -> Result<Vec<Value>, crate::Diagnostic> {
    let file = Scope::new(url.as_str());
    let Value::Array(docs) = value else {
        return Err(file.diagnostic(
            codes::INVALID_SPEC,
            format!(
                "test documents must be an array of objects, but {url} holds {}",
                kind_of(&value)
            ),
        ));
    };
    if let Some((i, doc)) = docs.iter().enumerate().find(|(_, d)| !d.is_object()) {
        return Err(file.push_index(i).diagnostic(
            codes::INVALID_SPEC,
            format!(
                "test documents must be objects, but document {i} is {}",
                kind_of(doc)
            ),
        ));
    }
    Ok(docs)
}
