//! Collection schemas: an inline JSON schema or a reference to a file.

/// # Schema
/// A JSON schema (draft 2020-12, with Flow's `reduce` and `redact`
/// annotations), written inline as an object or a bool, or as the relative
/// or absolute URL of a schema file, optionally with a fragment
/// (`schemas.yaml#/$defs/order`).
///
/// Key order is kept exactly as written.
///
/// ```
/// use flowspec::Schema;
/// let s = Schema::new(serde_json::json!({"type": "object"}));
/// assert!(s.as_reference().is_none());
/// assert_eq!(Schema::reference("orders.schema.yaml").as_reference(), Some("orders.schema.yaml"));
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Schema(pub serde_json::Value);

impl Schema {
    /// An inline schema.
    pub fn new(value: serde_json::Value) -> Self {
        Self(value)
    }

    /// A reference to a schema file (relative to the catalog file).
    pub fn reference(url: impl Into<String>) -> Self {
        Self(serde_json::Value::String(url.into()))
    }

    /// The schema of a Rust type that derives `schemars::JsonSchema`.
    ///
    /// ```
    /// #[derive(schemars::JsonSchema)]
    /// struct Order { id: String, total: i64 }
    /// let s = flowspec::Schema::of::<Order>();
    /// assert_eq!(s.0["type"], "object");
    /// assert_eq!(s.0["required"], serde_json::json!(["id", "total"]));
    /// ```
    pub fn of<T: schemars::JsonSchema>() -> Self {
        let settings = schemars::generate::SchemaSettings::draft2020_12();
        let schema = settings.into_generator().into_root_schema_for::<T>();
        Self(schema.to_value())
    }

    /// The URL if this schema is a reference to a file.
    pub fn as_reference(&self) -> Option<&str> {
        self.0.as_str()
    }

    /// The inline schema, unless this is a reference.
    pub fn as_value(&self) -> &serde_json::Value {
        &self.0
    }

    /// An example schema.
    pub fn example() -> Self {
        Self(serde_json::json!({
            "type": "object",
            "properties": {"id": {"type": "string"}},
            "required": ["id"],
        }))
    }
}

impl From<serde_json::Value> for Schema {
    fn from(v: serde_json::Value) -> Self {
        Self(v)
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
