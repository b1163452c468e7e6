//! The shape of each option of the DSL calls: which of its objects are
//! structured (fields of the model, whose keys a language may spell its own
//! way, like Python's snake_case) and which are data (configs, resources,
//! schemas, maps of names), copied as they are.
//!
//! Derived once from [`schema`](super::schema), so the Python binding, the
//! Python surface and code generation agree on it without a hand-kept list.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde_json::Value;

/// What shape a value of an option has.
///
/// ```
/// use flowspec::json_api::{option_table, OptionShape};
/// let shards = option_table("capture").iter().find(|o| o.key == "shards").unwrap();
/// assert!(matches!(&shards.shape, OptionShape::Fields(f) if f.is_empty()));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum OptionShape {
    /// Data: copied as it is.
    Opaque,
    /// An object of model fields: its keys are field names; the listed
    /// children (by camelCase key) have their own shape, the others are
    /// opaque.
    Fields(Vec<(String, OptionShape)>),
    /// A list whose items have a shape.
    Items(Box<OptionShape>),
    /// An object whose keys are data (names) and whose values have a shape.
    Values(Box<OptionShape>),
}

impl OptionShape {
    /// The shape of a structured object's field `key`: opaque unless listed.
    ///
    /// ```
    /// use flowspec::json_api::OptionShape;
    /// assert_eq!(OptionShape::Opaque.field("x"), &OptionShape::Opaque);
    /// ```
    pub fn field(&self, key: &str) -> &OptionShape {
        match self {
            OptionShape::Fields(children) => children
                .iter()
                .find(|(k, _)| k == key)
                .map_or(&OptionShape::Opaque, |(_, s)| s),
            _ => &OptionShape::Opaque,
        }
    }
}

/// One option of a DSL call.
///
/// ```
/// let o = &flowspec::json_api::option_table("transform")[0];
/// assert_eq!((o.key.as_str(), o.python.as_str()), ("name", "name"));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct OptionSpec {
    /// Its key in the JSON option object (camelCase).
    pub key: String,
    /// Its name as a Python keyword argument (snake_case; `lambda_`).
    pub python: String,
    /// A collection schema (`schema`, `writeSchema`, `readSchema`).
    pub schema: bool,
    /// The shape of its value.
    pub shape: OptionShape,
}

/// Python keywords: an option named so is suffixed with `_`.
pub(crate) const PYTHON_KEYWORDS: &[&str] = &[
    "lambda", "from", "import", "global", "class", "def", "in", "is",
];

/// An option's name as a Python keyword argument: snake_case, with `_`
/// after a Python keyword.
///
/// ```
/// assert_eq!(flowspec::json_api::python_name("expectPubId"), "expect_pub_id");
/// assert_eq!(flowspec::json_api::python_name("lambda"), "lambda_");
/// ```
pub fn python_name(key: &str) -> String {
    let snake = super::snake_case(key);
    if PYTHON_KEYWORDS.contains(&snake.as_str()) {
        format!("{snake}_")
    } else {
        snake
    }
}

/// The options of a call of the DSL, by its name in the schema (`capture`,
/// `captureBinding`, `transform`, ...), in the schema's order.
///
/// Panics for a call the schema does not have: the calls are fixed in the
/// callers' code, and their tests make each of them.
///
/// ```
/// let keys: Vec<_> = flowspec::json_api::option_table("ingest").iter().map(|o| o.key.as_str()).collect();
/// assert_eq!(keys, ["collection", "documents", "description"]);
/// ```
pub fn option_table(call: &str) -> &'static [OptionSpec] {
    option_tables()
        .get(call)
        .unwrap_or_else(|| panic!("the core's schema has no options of `{call}`"))
}

/// The options of every call of the DSL, by call ([`option_table`]).
///
/// ```
/// assert!(flowspec::json_api::option_tables().contains_key("materializationBinding"));
/// ```
pub fn option_tables() -> &'static BTreeMap<String, Vec<OptionSpec>> {
    static TABLES: OnceLock<BTreeMap<String, Vec<OptionSpec>>> = OnceLock::new();
    TABLES.get_or_init(|| tables(&super::schema()))
}

/// The option tables of every call of a JSON API schema.
fn tables(schema: &Value) -> BTreeMap<String, Vec<OptionSpec>> {
    let defs = &schema["$defs"];
    let calls = schema["properties"]["options"]["properties"]
        .as_object()
        .expect("the schema lists the options of each call");
    let mut out = BTreeMap::new();
    for (call, options) in calls {
        let def = resolve(defs, options);
        let table = def["properties"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(key, property)| {
                let schema = refers_to(property, "Schema");
                OptionSpec {
                    key: key.clone(),
                    python: python_name(key),
                    schema,
                    shape: match schema {
                        true => OptionShape::Opaque,
                        false => shape(defs, property, 0),
                    },
                }
            })
            .collect();
        out.insert(call.clone(), table);
    }
    out
}

/// The definition a schema refers to, or the schema itself.
fn resolve<'a>(defs: &'a Value, schema: &'a Value) -> &'a Value {
    match schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/$defs/"))
    {
        Some(name) => &defs[name],
        None => schema,
    }
}

/// Whether a schema is (or, optionally, is) the definition `name`.
fn refers_to(schema: &Value, name: &str) -> bool {
    let target = format!("#/$defs/{name}");
    let is = |s: &Value| s.get("$ref").and_then(Value::as_str) == Some(target.as_str());
    is(schema)
        || schema
            .get("anyOf")
            .and_then(Value::as_array)
            .is_some_and(|items| items.iter().any(is))
}

/// The shape of a value of `schema`: an object type is `Fields` (its
/// structured properties listed), a map `Values`, a list `Items`; a union
/// merges its alternatives (their fields together).
fn shape(defs: &Value, schema: &Value, depth: usize) -> OptionShape {
    if depth > 32 {
        return OptionShape::Opaque;
    }
    let schema = resolve(defs, schema);
    for key in ["anyOf", "oneOf"] {
        if let Some(items) = schema.get(key).and_then(Value::as_array) {
            return items
                .iter()
                .map(|s| shape(defs, s, depth + 1))
                .fold(OptionShape::Opaque, merge);
        }
    }
    if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
        let children = properties
            .iter()
            .map(|(k, s)| (k.clone(), shape(defs, s, depth + 1)))
            .filter(|(_, t)| *t != OptionShape::Opaque)
            .collect();
        return OptionShape::Fields(children);
    }
    if let Some(items) = schema.get("items") {
        return match shape(defs, items, depth + 1) {
            OptionShape::Opaque => OptionShape::Opaque,
            t => OptionShape::Items(Box::new(t)),
        };
    }
    let values = schema
        .get("additionalProperties")
        .filter(|v| v.is_object())
        .or_else(|| {
            schema
                .get("patternProperties")
                .and_then(Value::as_object)
                .and_then(|p| p.values().next())
        });
    match values.map(|v| shape(defs, v, depth + 1)) {
        Some(OptionShape::Opaque) | None => OptionShape::Opaque,
        Some(t) => OptionShape::Values(Box::new(t)),
    }
}

/// The shape of a value that may have either shape. Objects and lists are
/// told apart when a value is read, so a union may have structured objects
/// or structured lists, not both; an object is structured or data, not
/// both.
fn merge(a: OptionShape, b: OptionShape) -> OptionShape {
    use OptionShape::*;
    match (a, b) {
        (Opaque, t) | (t, Opaque) => t,
        (Fields(mut a), Fields(b)) => {
            for (k, t) in b {
                match a.iter_mut().find(|(name, _)| *name == k) {
                    Some((_, existing)) => *existing = merge(existing.clone(), t),
                    None => a.push((k, t)),
                }
            }
            Fields(a)
        }
        (Items(a), Items(b)) => Items(Box::new(merge(*a, *b))),
        (Values(a), Values(b)) => Values(Box::new(merge(*a, *b))),
        (a, b) => panic!("the core's schema has a union of two structured shapes: {a:?} and {b:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn structured_dicts_come_from_the_object_types() {
        let defs = json!({
            "A": {"type": "object", "properties": {"b": {"$ref": "#/$defs/B"}, "config": true}},
            "B": {"anyOf": [
                {"type": "string"},
                {"type": "object", "properties": {"key": {"type": "array", "items": {"type": "string"}}}},
                {"type": "object", "properties": {"lambda": true}},
            ]},
            "M": {"type": "object", "additionalProperties": {"$ref": "#/$defs/A"}},
            "N": {"type": "object", "patternProperties": {"^x$": true}},
        });
        let b = shape(&defs, &json!({"$ref": "#/$defs/B"}), 0);
        assert_eq!(b, OptionShape::Fields(vec![]));
        let a = shape(&defs, &json!({"$ref": "#/$defs/A"}), 0);
        assert_eq!(
            a,
            OptionShape::Fields(vec![("b".into(), OptionShape::Fields(vec![]))])
        );
        let m = shape(&defs, &json!({"$ref": "#/$defs/M"}), 0);
        assert_eq!(m, OptionShape::Values(Box::new(a.clone())));
        assert_eq!(
            shape(&defs, &json!({"$ref": "#/$defs/N"}), 0),
            OptionShape::Opaque
        );
        let list = shape(
            &defs,
            &json!({"type": "array", "items": {"$ref": "#/$defs/A"}}),
            0,
        );
        assert_eq!(list, OptionShape::Items(Box::new(a)));
    }
}
