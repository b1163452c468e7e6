//! Collection schemas: an inline JSON schema or a reference to a file.
//!
//! An inline schema is held as compact JSON text, as Estuary's models hold
//! schemas as raw JSON: a catalog of thousands of collections then takes
//! about as much memory as its JSON, rather than a tree of maps many times
//! that size. Validation parses a schema when it checks it; writing streams
//! the text into the output format without building a tree.

use std::fmt;

use serde_json::Value;

/// # Schema
/// A JSON schema (draft 2020-12, with Flow's `reduce` and `redact`
/// annotations), written inline as an object or a bool, or as the relative
/// or absolute URL of a schema file, optionally with a fragment
/// (`schemas.yaml#/$defs/order`).
///
/// Key order is kept exactly as written. Two schemas are equal when their
/// JSON is the same, key order included.
///
/// ```
/// use flowspec::Schema;
/// let s = Schema::new(serde_json::json!({"type": "object"}));
/// assert!(s.as_reference().is_none());
/// assert_eq!(s.inline_json(), Some(r#"{"type":"object"}"#));
/// assert_eq!(Schema::reference("orders.schema.yaml").as_reference(), Some("orders.schema.yaml"));
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Schema(Repr);

#[derive(Clone, PartialEq, Eq, Hash)]
enum Repr {
    /// The URL of a schema file.
    Reference(String),
    /// An inline schema (or any non-string value, which validation
    /// rejects), as compact JSON text.
    Inline(Box<str>),
}

impl Schema {
    /// A schema from a JSON value: a string is a reference to a file, any
    /// other value is an inline schema.
    ///
    /// ```
    /// let s = flowspec::Schema::new(serde_json::json!("orders.schema.yaml"));
    /// assert_eq!(s.as_reference(), Some("orders.schema.yaml"));
    /// ```
    pub fn new(value: Value) -> Self {
        match value {
            Value::String(url) => Self(Repr::Reference(url)),
            other => Self(Repr::Inline(other.to_string().into_boxed_str())),
        }
    }

    /// An inline schema from its JSON text, which is checked and made
    /// compact (key order is kept). A JSON string is a reference.
    ///
    /// ```
    /// let s = flowspec::Schema::from_json(r#"{ "type": "object" }"#).unwrap();
    /// assert_eq!(s.inline_json(), Some(r#"{"type":"object"}"#));
    /// assert!(flowspec::Schema::from_json("{").is_err());
    /// ```
    pub fn from_json(text: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(text).map(Self::new)
    }

    /// A reference to a schema file (relative to the catalog file).
    ///
    /// ```
    /// let s = flowspec::Schema::reference("orders.schema.yaml#/$defs/order");
    /// assert_eq!(s.as_reference(), Some("orders.schema.yaml#/$defs/order"));
    /// ```
    pub fn reference(url: impl Into<String>) -> Self {
        Self(Repr::Reference(url.into()))
    }

    /// The schema of a Rust type that derives `schemars::JsonSchema`.
    ///
    /// ```
    /// #[derive(schemars::JsonSchema)]
    /// struct Order { id: String, total: i64 }
    /// let s = flowspec::Schema::of::<Order>().to_value();
    /// assert_eq!(s["type"], "object");
    /// assert_eq!(s["required"], serde_json::json!(["id", "total"]));
    /// ```
    pub fn of<T: schemars::JsonSchema>() -> Self {
        let settings = schemars::generate::SchemaSettings::draft2020_12();
        let schema = settings.into_generator().into_root_schema_for::<T>();
        Self::new(schema.to_value())
    }

    /// The URL if this schema is a reference to a file.
    pub fn as_reference(&self) -> Option<&str> {
        match &self.0 {
            Repr::Reference(url) => Some(url),
            Repr::Inline(_) => None,
        }
    }

    /// The compact JSON text of an inline schema, unless this is a
    /// reference.
    ///
    /// ```
    /// let s = flowspec::Schema::new(serde_json::json!(true));
    /// assert_eq!(s.inline_json(), Some("true"));
    /// ```
    pub fn inline_json(&self) -> Option<&str> {
        match &self.0 {
            Repr::Reference(_) => None,
            Repr::Inline(text) => Some(text),
        }
    }

    /// Whether this is a reference, or an inline schema that may hold a
    /// `$ref` (one whose text has the key; most schemas can be passed over
    /// without parsing them).
    pub(crate) fn may_refer(&self) -> bool {
        match &self.0 {
            Repr::Reference(_) => true,
            Repr::Inline(text) => text.contains("\"$ref\""),
        }
    }

    /// The schema as a JSON value (a string for a reference).
    ///
    /// ```
    /// let s = flowspec::Schema::example().to_value();
    /// assert_eq!(s["required"][0], "id");
    /// ```
    pub fn to_value(&self) -> Value {
        match &self.0 {
            Repr::Reference(url) => Value::String(url.clone()),
            Repr::Inline(text) => serde_json::from_str(text).expect("inline schemas are JSON"),
        }
    }

    /// An example schema.
    pub fn example() -> Self {
        Self::new(serde_json::json!({
            "type": "object",
            "properties": {"id": {"type": "string"}},
            "required": ["id"],
        }))
    }
}

impl From<Value> for Schema {
    fn from(v: Value) -> Self {
        Self::new(v)
    }
}

impl fmt::Debug for Schema {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Repr::Reference(url) => f.debug_tuple("Schema").field(url).finish(),
            Repr::Inline(text) => write!(f, "Schema({text})"),
        }
    }
}

impl serde::Serialize for Schema {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            Repr::Reference(url) => s.serialize_str(url),
            // Streamed from the text into any format, with no tree between.
            Repr::Inline(text) => crate::json::transcode(text, s),
        }
    }
}

impl<'de> serde::Deserialize<'de> for Schema {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Value::deserialize(d).map(Self::new)
    }
}

impl schemars::JsonSchema for Schema {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Schema".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "title": "Schema",
            "description": "A JSON schema written inline (an object or a bool), or the URL of a schema file, optionally with a fragment.",
            "type": ["object", "boolean", "string"],
            "examples": [{"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]}, "schemas/orders.schema.yaml"],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Schema;
    use serde_json::json;

    #[test]
    fn inline_schemas_keep_key_order_through_serde() {
        let value = json!({"type": "object", "required": ["b"], "properties": {"b": {}, "a": {"reduce": {"strategy": "sum"}}}});
        let schema = Schema::new(value.clone());
        assert_eq!(
            schema.inline_json(),
            Some(
                r#"{"type":"object","required":["b"],"properties":{"b":{},"a":{"reduce":{"strategy":"sum"}}}}"#
            )
        );
        assert_eq!(serde_json::to_value(&schema).unwrap(), value);
        assert_eq!(
            serde_json::to_string_pretty(&schema).unwrap(),
            serde_json::to_string_pretty(&value).unwrap()
        );
        let back: Schema = serde_json::from_value(value).unwrap();
        assert_eq!(back, schema);
        assert_eq!(
            format!("{schema:?}"),
            format!("Schema({})", schema.inline_json().unwrap())
        );
    }

    #[test]
    fn numbers_survive_the_text_form() {
        let value = json!({"minimum": -3, "maximum": 18446744073709551615u64, "multipleOf": 0.25, "x": 1e300});
        assert_eq!(Schema::new(value.clone()).to_value(), value);
        assert_eq!(
            serde_json::to_value(Schema::new(value.clone())).unwrap(),
            value
        );
        // Exactly, however many digits, into any format.
        let text = r#"{"maximum":99999999999999999999,"minimum":-1e+400,"multipleOf":0.10,"enum":[0.1000000000000000000001,-0]}"#;
        let schema = Schema::from_json(text).unwrap();
        assert_eq!(schema.inline_json(), Some(text));
        assert_eq!(schema.to_value().to_string(), text);
        assert_eq!(serde_json::to_string(&schema).unwrap(), text);
        assert_eq!(serde_json::to_value(&schema).unwrap().to_string(), text);
    }

    #[test]
    fn strings_are_references_and_order_matters_for_equality() {
        assert_eq!(Schema::new(json!("a.yaml")), Schema::reference("a.yaml"));
        assert_eq!(
            serde_json::to_value(Schema::reference("a.yaml")).unwrap(),
            json!("a.yaml")
        );
        assert_ne!(
            Schema::new(json!({"a": 1, "b": 2})),
            Schema::new(json!({"b": 2, "a": 1}))
        );
        assert_eq!(
            Schema::new(json!({"a": 1})),
            Schema::from_json("{ \"a\" : 1 }").unwrap()
        );
    }
}
