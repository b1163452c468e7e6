//! Compiling collection schemas, once per distinct schema: resolving their
//! references, building a `jsonschema` validator, inferring their shape and
//! inspecting it.
//!
//! A read schema may reference `flow://write-schema` (the collection's write
//! schema), `flow://relaxed-write-schema` (the write schema without `type`,
//! `required`, `format` and similar constraints) and
//! `flow://inferred-schema`. These are served from memory, so nothing is
//! fetched. Offline there is no inferred schema: Estuary then inlines a
//! placeholder that fails every read, and stops relaxing the write schema so
//! that keys keep their types. Here the inferred schema constrains nothing
//! (so test documents can be checked against the rest of the read schema),
//! and the relaxed write schema is the write schema itself whenever the
//! inferred schema is referenced, as in Estuary.

use std::cell::OnceCell;
use std::hash::{Hash, Hasher};
use std::rc::Rc;

use serde_json::{Map, Value};

use super::index::{Index, INLINE_BASE};
use super::shape::{infer, Shape};
use super::types::Types;
use super::wellformed::wellformed;
use crate::codes;
use rustc_hash::{FxHashMap, FxHasher};

pub(crate) const WRITE_URL: &str = "flow://write-schema";
pub(crate) const RELAXED_URL: &str = "flow://relaxed-write-schema";
const INFERRED_URL: &str = "flow://inferred-schema";

static TRUE: Value = Value::Bool(true);

/// A compiled schema: its shape and validator when it is usable, and its
/// problems (pointers relative to the schema's own location).
pub(crate) struct Compiled<'a> {
    pub shape: Option<Shape>,
    pub problems: Vec<Problem>,
    validator: OnceCell<Option<jsonschema::Validator>>,
    /// The JSON text of a well-formed schema whose validator is built when
    /// first needed.
    deferred: Option<&'a str>,
}

impl Compiled<'_> {
    fn failed(problems: Vec<Problem>) -> Self {
        Compiled {
            shape: None,
            problems,
            validator: OnceCell::new(),
            deferred: None,
        }
    }

    /// The shape, if the schema compiled and is an object schema.
    pub fn usable(&self) -> Option<&Shape> {
        self.shape.as_ref().filter(|s| s.types == Types::OBJECT)
    }

    /// The validator of documents, if the schema compiled.
    pub fn validator(&self) -> Option<&jsonschema::Validator> {
        self.validator
            .get_or_init(|| {
                let doc: Value = serde_json::from_str(self.deferred?).ok()?;
                options()
                    .with_draft(jsonschema::Draft::Draft202012)
                    .build(&doc)
                    .ok()
            })
            .as_ref()
    }
}

/// Validator options: formats are asserted, as Flow does.
fn options() -> jsonschema::ValidationOptions<'static> {
    jsonschema::options().should_validate_formats(true)
}

/// One problem of a schema.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Problem {
    /// JSON pointer of the offending keyword within the schema.
    pub path: String,
    pub code: &'static str,
    /// The message, around the schema's URL: `before`, URL, `after`.
    pub before: &'static str,
    pub after: String,
}

impl Problem {
    fn plain(path: impl Into<String>, code: &'static str, message: String) -> Self {
        Problem {
            path: path.into(),
            code,
            before: "",
            after: message,
        }
    }

    /// The message, naming the schema at `url`.
    pub fn message(&self, url: &str) -> String {
        if self.before.is_empty() {
            self.after.clone()
        } else {
            format!("{}{url}{}", self.before, self.after)
        }
    }
}

/// Which `flow://` documents a read schema references.
#[derive(Default, Clone, Copy)]
struct FlowRefs {
    write: bool,
    relaxed: bool,
    inferred: bool,
}

fn flow_refs(value: &Value, out: &mut FlowRefs) {
    match value {
        Value::Object(obj) => {
            if let Some(Value::String(r)) = obj.get("$ref") {
                let r = r.split('#').next().unwrap_or("");
                out.write |= r == WRITE_URL;
                out.relaxed |= r == RELAXED_URL;
                out.inferred |= r == INFERRED_URL;
            }
            obj.values().for_each(|v| flow_refs(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| flow_refs(v, out)),
        _ => {}
    }
}

/// The write schema relaxed as Estuary relaxes it: without `type`,
/// `required`, `format`, `const`, `enum`, string lengths and `redact`, and
/// without closed `additionalProperties: false`, through `$defs`,
/// `properties`, `allOf`, `items`, `additionalItems` and
/// `additionalProperties`.
pub(crate) fn relax(value: &Value) -> Value {
    match value {
        Value::Array(items) => Value::Array(items.iter().map(relax).collect()),
        Value::Object(obj) => {
            let mut out = Map::new();
            for (k, v) in obj {
                match k.as_str() {
                    "type" | "required" | "format" | "const" | "enum" | "minLength"
                    | "maxLength" | "redact" | "x-str-minimum" | "x-str-maximum" => {}
                    "$defs" | "definitions" | "properties" => {
                        let map = match v {
                            Value::Object(m) => Value::Object(
                                m.iter().map(|(n, s)| (n.clone(), relax(s))).collect(),
                            ),
                            other => other.clone(),
                        };
                        out.insert(k.clone(), map);
                    }
                    "additionalProperties" if v == &Value::Bool(false) => {}
                    "allOf" | "items" | "additionalItems" | "additionalProperties" => {
                        out.insert(k.clone(), relax(v));
                    }
                    _ => {
                        out.insert(k.clone(), v.clone());
                    }
                }
            }
            Value::Object(out)
        }
        other => other.clone(),
    }
}

/// Serves the `flow://` documents of a read schema to `jsonschema`.
struct FlowDocs {
    write: Option<Value>,
    relaxed: Option<Value>,
}

impl jsonschema::Retrieve for FlowDocs {
    fn retrieve(
        &self,
        uri: &jsonschema::Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let doc = match uri.as_str() {
            WRITE_URL => self.write.clone(),
            RELAXED_URL => self.relaxed.clone(),
            INFERRED_URL => Some(Value::Bool(true)),
            _ => None,
        };
        doc.ok_or_else(|| format!("{uri} is not available offline").into())
    }
}

/// Compiles `doc`, the JSON text of a collection schema. `write` is the
/// text of the collection's write schema when `doc` is its read schema.
///
/// The schemas are parsed here and dropped when compiled: only the shape,
/// the problems and (for schemas that need it now) the validator are kept.
pub(crate) fn compile<'a>(doc: &'a str, write: Option<&'a str>) -> Compiled<'a> {
    let parse = |text: &str| serde_json::from_str::<Value>(text).expect("schema text is JSON");
    let write = write.map(parse);
    compile_value(&parse(doc), write.as_ref(), doc)
}

/// Compiles `doc`, whose JSON text is `text` (see [`compile`]).
fn compile_value<'a>(doc: &Value, write: Option<&Value>, text: &'a str) -> Compiled<'a> {
    let mut refs = FlowRefs::default();
    if write.is_some() {
        flow_refs(doc, &mut refs);
    }
    let is_read = write.is_some();
    let write = write.filter(|_| refs.write || refs.relaxed);
    let relaxed = match (refs.relaxed, write) {
        (true, Some(w)) if refs.inferred => Some(w.clone()),
        (true, Some(w)) => Some(relax(w)),
        _ => None,
    };

    let mut index = Index::default();
    index.add(0, INLINE_BASE, doc);
    if let (true, Some(w)) = (refs.write, write) {
        index.add(1, WRITE_URL, w);
    }
    if let Some(r) = &relaxed {
        index.add(2, RELAXED_URL, r);
    }
    if refs.inferred && is_read {
        index.add(3, INFERRED_URL, &TRUE);
    }

    let mut problems = Vec::new();
    for site in index.reduces.iter().filter(|s| s.node.doc == 0) {
        let at = format!("{}/reduce", site.node.path);
        for (path, message) in super::reduce::check(&at, site.value) {
            problems.push(Problem::plain(path, codes::SCHEMA_REDUCE_INVALID, message));
        }
    }

    let mut unresolved = false;
    for site in &index.refs {
        if index
            .resolve_url(&site.node.base, &site.reference)
            .is_some()
        {
            continue;
        }
        unresolved = true;
        if site.node.doc == 0 {
            problems.push(Problem::plain(
                format!("{}/$ref", site.node.path),
                codes::SCHEMA_FRAGMENT_MISSING,
                format!(
                    "referenced schema fragment location {} does not exist",
                    display_ref(&site.node.base, &site.reference)
                ),
            ));
        }
    }
    if unresolved {
        return Compiled::failed(problems);
    }

    // A well-formed schema is certain to compile: its validator waits
    // until a document needs it. Others are compiled now.
    let (validator, deferred) = if wellformed(doc) && !(refs.write || refs.relaxed || refs.inferred)
    {
        (OnceCell::new(), Some(text))
    } else {
        let mut options = options().with_retriever(FlowDocs {
            write: write.filter(|_| refs.write).cloned(),
            relaxed: relaxed.clone(),
        });
        if doc.get("$schema").is_none() {
            options = options.with_draft(if index.legacy_items {
                jsonschema::Draft::Draft201909
            } else {
                jsonschema::Draft::Draft202012
            });
        }
        match options.build(doc) {
            Ok(v) => (OnceCell::from(Some(v)), None),
            Err(err) => {
                problems.push(Problem {
                    path: err.instance_path().to_string(),
                    code: codes::SCHEMA_INVALID,
                    before: "schema ",
                    after: format!(" is not a valid JSON schema: {err}"),
                });
                return Compiled::failed(problems);
            }
        }
    };

    let shape = infer(&index, doc, false);
    if shape.types != Types::OBJECT {
        problems.push(Problem {
            path: String::new(),
            code: codes::SCHEMA_NOT_OBJECT,
            before: "collection schema ",
            after: format!(
                " must have type 'object' (its documents may be {})",
                shape.types
            ),
        });
    } else {
        for issue in shape.inspect() {
            let path = issue.at.as_deref().map(str::to_string).unwrap_or_default();
            problems.push(Problem::plain(path, issue.code, issue.message));
        }
    }
    Compiled {
        shape: Some(shape),
        problems,
        validator,
        deferred,
    }
}

/// A reference as users wrote it when it is relative to an inline schema,
/// or its absolute URL.
fn display_ref(base: &str, reference: &str) -> String {
    match super::index::join(base, reference) {
        Some(url) if url.starts_with(INLINE_BASE) => url[INLINE_BASE.len()..].to_string(),
        Some(_) if base == INLINE_BASE && !reference.contains(':') => reference.to_string(),
        Some(url) => url,
        None => reference.to_string(),
    }
}

/// The hash of a schema (and write schema) text. Schemas that differ mostly
/// differ late (a description, the last property), so equal content is
/// looked up by hash first, and compared in full only within a bucket.
fn key(doc: &str, write: Option<&str>) -> u64 {
    let mut h = FxHasher::default();
    doc.hash(&mut h);
    write.hash(&mut h);
    h.finish()
}

/// Compiled schemas by content, so a schema shared by many collections is
/// compiled once.
#[derive(Default)]
pub(crate) struct Cache<'a> {
    entries: FxHashMap<u64, Vec<Entry<'a>>>,
}

type Entry<'a> = (&'a str, Option<&'a str>, Rc<Compiled<'a>>);

impl<'a> Cache<'a> {
    /// Compiles `schemas` (pairs as [`Cache::get`] takes them) ahead of
    /// their use, on all cores when there are many: compiling thousands of
    /// distinct schemas is most of the work of validating a large catalog.
    pub fn precompile(&mut self, schemas: impl IntoIterator<Item = (&'a str, Option<&'a str>)>) {
        let mut seen = std::collections::HashSet::new();
        let todo: Vec<_> = schemas
            .into_iter()
            .filter(|pair| seen.insert(*pair) && !self.contains(pair.0, pair.1))
            .collect();
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
        if threads < 2 || todo.len() < 256 {
            return;
        }
        let chunk = todo.len().div_ceil(threads);
        let compiled: Vec<Vec<Compiled<'a>>> = std::thread::scope(|scope| {
            let workers: Vec<_> = todo
                .chunks(chunk)
                .map(|pairs| {
                    scope.spawn(move || pairs.iter().map(|(d, w)| compile(d, *w)).collect())
                })
                .collect();
            workers
                .into_iter()
                .map(|w| w.join().expect("schema compilation does not panic"))
                .collect()
        });
        for ((doc, write), compiled) in todo.into_iter().zip(compiled.into_iter().flatten()) {
            let bucket = self.entries.entry(key(doc, write)).or_default();
            bucket.push((doc, write, Rc::new(compiled)));
        }
    }

    fn contains(&self, doc: &str, write: Option<&str>) -> bool {
        self.entries
            .get(&key(doc, write))
            .is_some_and(|b| b.iter().any(|(d, w, _)| *d == doc && *w == write))
    }

    /// The compiled form of `doc`, the JSON text of a schema (with `write`
    /// when it is a read schema).
    pub fn get(&mut self, doc: &'a str, write: Option<&'a str>) -> Rc<Compiled<'a>> {
        let hit = |(d, w, _): &&Entry<'a>| *d == doc && *w == write;
        let bucket = self.entries.entry(key(doc, write)).or_default();
        let compiled = match bucket.iter().find(hit) {
            Some((_, _, c)) => c.clone(),
            None => {
                let compiled = Rc::new(compile(doc, write));
                bucket.push((doc, write, compiled.clone()));
                compiled
            }
        };
        compiled
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Compiles schemas given as values (their text lives as long as the
    /// test).
    fn compile(doc: &Value, write: Option<&Value>) -> Compiled<'static> {
        let text = |v: &Value| &*Box::leak(v.to_string().into_boxed_str());
        super::compile(text(doc), write.map(text))
    }

    fn problems(doc: Value, write: Option<Value>) -> Vec<(String, &'static str, String)> {
        compile(&doc, write.as_ref())
            .problems
            .iter()
            .map(|p| (p.path.clone(), p.code, p.message("S")))
            .collect()
    }

    #[test]
    fn compiles_with_flow_annotations() {
        let doc = json!({
            "type": "object",
            "reduce": {"strategy": "merge"},
            "properties": {
                "n": {"type": "integer", "reduce": {"strategy": "sum"}},
                "s": {"type": "string", "secret": true, "redact": {"strategy": "block"}},
            },
        });
        let c = compile(&doc, None);
        assert!(c.problems.is_empty(), "{:?}", c.problems);
        assert!(c.usable().is_some());
        assert!(c.validator().unwrap().is_valid(&json!({"n": 1})));
    }

    #[test]
    fn schema_problems() {
        assert_eq!(
            problems(json!({"type": "objekt"}), None),
            vec![(
                "/type".to_string(),
                codes::SCHEMA_INVALID,
                "schema S is not a valid JSON schema: \"objekt\" is not valid under any of the schemas listed in the 'anyOf' keyword".to_string()
            )]
        );
        assert_eq!(
            problems(json!({"type": "object", "$ref": "#/$defs/missing"}), None),
            vec![(
                "/$ref".to_string(),
                codes::SCHEMA_FRAGMENT_MISSING,
                "referenced schema fragment location #/$defs/missing does not exist".to_string()
            )]
        );
        assert_eq!(
            problems(
                json!({"properties": {"a": {"$ref": "other.schema.json"}}}),
                None
            ),
            vec![(
                "/properties/a/$ref".to_string(),
                codes::SCHEMA_FRAGMENT_MISSING,
                "referenced schema fragment location other.schema.json does not exist".to_string()
            )]
        );
        assert_eq!(
            problems(json!({"type": ["object", "null"]}), None),
            vec![(
                String::new(),
                codes::SCHEMA_NOT_OBJECT,
                "collection schema S must have type 'object' (its documents may be [\"null\", \"object\"])".to_string()
            )]
        );
        assert_eq!(
            problems(
                json!({"type": "object", "properties": {"n": {"type": "string", "reduce": {"strategy": "sum"}}}}),
                None
            ),
            vec![
                (
                    "/properties/n/reduce".to_string(),
                    codes::SCHEMA_REDUCE_INVALID,
                    "location /n has a reduction strategy, but its parent does not (strategies of nested locations apply only under a parent with one, like `merge`)".to_string()
                ),
                (
                    "/properties/n/reduce".to_string(),
                    codes::SCHEMA_REDUCE_INVALID,
                    "location /n has 'sum' reduction strategy (restricted to integers, numbers and strings with `format: integer` or `format: number`) but has types [\"string\"]".to_string()
                ),
            ]
        );
    }

    #[test]
    fn read_schemas_reference_flow_documents() {
        let write = json!({
            "type": "object",
            "properties": {"id": {"type": "integer"}, "n": {"type": "string", "format": "date-time"}},
            "required": ["id"],
        });
        let read = json!({"allOf": [{"$ref": "flow://write-schema"}, {"required": ["n"]}]});
        let c = compile(&read, Some(&write));
        assert!(c.problems.is_empty(), "{:?}", c.problems);
        let shape = c.usable().unwrap();
        assert_eq!(shape.locate("/id").0.types(), Types::INTEGER);
        let v = c.validator().unwrap();
        assert!(!v.is_valid(&json!({"id": "x", "n": "2024-01-01T00:00:00Z"})));
        assert!(!v.is_valid(&json!({"id": 1})));

        // The relaxed write schema drops types and requirements.
        let read = json!({"type": "object", "allOf": [{"$ref": "flow://relaxed-write-schema"}]});
        let c = compile(&read, Some(&write));
        assert!(c.problems.is_empty(), "{:?}", c.problems);
        assert_eq!(c.usable().unwrap().locate("/id").0.types(), Types::ANY);
        assert!(c
            .validator()
            .unwrap()
            .is_valid(&json!({"id": "x", "n": "nope"})));

        // With the inferred schema (unknown offline), the write schema is not relaxed.
        let read = json!({"allOf": [{"$ref": "flow://relaxed-write-schema"}, {"$ref": "flow://inferred-schema"}]});
        let c = compile(&read, Some(&write));
        assert!(c.problems.is_empty(), "{:?}", c.problems);
        assert_eq!(c.usable().unwrap().locate("/id").0.types(), Types::INTEGER);

        // A read schema may reference the inferred schema alone.
        let read = json!({"type": "object", "allOf": [{"$ref": "flow://inferred-schema"}], "properties": {"id": {"type": "integer"}}});
        let c = compile(&read, Some(&write));
        assert!(c.problems.is_empty(), "{:?}", c.problems);
        assert!(c.validator().unwrap().is_valid(&json!({"id": 1})));

        // Only read schemas may use them.
        assert_eq!(
            problems(json!({"$ref": "flow://write-schema"}), None),
            vec![(
                "/$ref".to_string(),
                codes::SCHEMA_FRAGMENT_MISSING,
                "referenced schema fragment location flow://write-schema does not exist"
                    .to_string()
            )]
        );
    }

    #[test]
    fn bundled_schemas() {
        let doc = json!({
            "$defs": {
                "https://example.com/order.json": {
                    "$id": "https://example.com/order.json",
                    "type": "object",
                    "$defs": {"id": {"type": "string"}},
                    "properties": {"id": {"$ref": "#/$defs/id"}},
                    "required": ["id"],
                }
            },
            "$ref": "https://example.com/order.json",
        });
        let c = compile(&doc, None);
        assert!(c.problems.is_empty(), "{:?}", c.problems);
        assert_eq!(c.usable().unwrap().locate("/id").0.types(), Types::STRING);
    }

    #[test]
    fn tuple_items_compile_as_draft_2019_09() {
        let doc = json!({
            "type": "object",
            "properties": {"t": {"type": "array", "items": [{"type": "string"}], "additionalItems": false}},
        });
        let c = compile(&doc, None);
        assert!(c.problems.is_empty(), "{:?}", c.problems);
        let shape = c.usable().unwrap();
        assert_eq!(shape.locate("/t/0").0.types(), Types::STRING);
        assert_eq!(shape.locate("/t/1").1, super::super::Exists::Cannot);
        let v = c.validator().unwrap();
        assert!(v.is_valid(&json!({"t": ["a"]})));
        assert!(!v.is_valid(&json!({"t": ["a", 1]})));
    }

    #[test]
    fn relaxes_like_estuary() {
        let write = json!({
            "type": "object",
            "required": ["a"],
            "additionalProperties": false,
            "$defs": {"d": {"type": "string", "format": "date"}},
            "properties": {"a": {"type": "integer", "enum": [1], "title": "A"}},
            "allOf": [{"required": ["b"]}],
            "anyOf": [{"type": "object"}],
        });
        assert_eq!(
            relax(&write),
            json!({
                "$defs": {"d": {}},
                "properties": {"a": {"title": "A"}},
                "allOf": [{}],
                "anyOf": [{"type": "object"}],
            })
        );
    }

    #[test]
    fn cache_compiles_once() {
        let a = json!({"type": "object"});
        let b = json!({"type": "object"});
        let (a, b) = (a.to_string(), b.to_string());
        let mut cache = Cache::default();
        let x = cache.get(&a, None);
        let y = cache.get(&b, None);
        assert!(Rc::ptr_eq(&x, &y));
        let c = json!({"type": "object", "title": "other"}).to_string();
        assert!(!Rc::ptr_eq(&x, &cache.get(&c, None)));
        assert!(!Rc::ptr_eq(&x, &cache.get(&a, Some(&b))));
    }
}
