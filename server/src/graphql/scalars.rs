//! The scalars and enums of the agent's GraphQL schema, with the names
//! Estuary's schema gives them: `Id` (a flowid, 16 hex digits), `DateTime`
//! (RFC 3339), `Name`, `Prefix`, `UUID`, `Collection`, `JSON` and
//! `JSONObject`.

use async_graphql::indexmap::IndexMap;
use async_graphql::{
    Enum, InputValueError, InputValueResult, Name as GqlName, Scalar, ScalarType, Value,
};
use flowspec::client::FlowId;

/// A flowid: 16 lowercase hex digits out; with or without colons in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Id(pub(crate) FlowId);

#[Scalar(name = "Id")]
impl ScalarType for Id {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(text) => text.parse::<FlowId>().map(Id).map_err(|_| {
                InputValueError::custom(format!("invalid id {text:?}: expected 16 hex digits"))
            }),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.to_string())
    }
}

/// Declares a scalar that is a string on the wire.
macro_rules! string_scalar {
    ($(#[$doc:meta])* $ty:ident, $name:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub(crate) struct $ty(pub(crate) String);

        #[Scalar(name = $name)]
        impl ScalarType for $ty {
            fn parse(value: Value) -> InputValueResult<Self> {
                match value {
                    Value::String(text) => Ok($ty(text)),
                    other => Err(InputValueError::expected_type(other)),
                }
            }

            fn to_value(&self) -> Value {
                Value::String(self.0.clone())
            }
        }
    };
}

string_scalar!(
    /// A time, RFC 3339 (`2026-01-01T00:00:00.123456+00:00`).
    DateTime,
    "DateTime"
);
string_scalar!(
    /// A catalog name.
    Name,
    "Name"
);
string_scalar!(
    /// A catalog prefix, ending in `/`.
    Prefix,
    "Prefix"
);
string_scalar!(
    /// A user's id.
    Uuid,
    "UUID"
);
string_scalar!(
    /// The name of a collection.
    Collection,
    "Collection"
);

/// Any JSON value, kept exactly: object keys in their order, numbers as
/// written.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Json(pub(crate) serde_json::Value);

#[Scalar(name = "JSON")]
impl ScalarType for Json {
    fn parse(value: Value) -> InputValueResult<Self> {
        Ok(Json(to_json(value)))
    }

    fn to_value(&self) -> Value {
        from_json(&self.0)
    }
}

/// A JSON object.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct JsonObject(pub(crate) serde_json::Map<String, serde_json::Value>);

#[Scalar(name = "JSONObject")]
impl ScalarType for JsonObject {
    fn parse(value: Value) -> InputValueResult<Self> {
        match to_json(value) {
            serde_json::Value::Object(map) => Ok(JsonObject(map)),
            other => Err(InputValueError::custom(format!(
                "expected a JSON object, not {other}"
            ))),
        }
    }

    fn to_value(&self) -> Value {
        from_json(&serde_json::Value::Object(self.0.clone()))
    }
}

/// JSON as a GraphQL value, keeping key order and number text (serde's
/// own conversion would turn arbitrary-precision numbers into objects).
pub(crate) fn from_json(json: &serde_json::Value) -> Value {
    match json {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Boolean(*b),
        serde_json::Value::Number(n) => Value::Number(n.clone()),
        serde_json::Value::String(s) => Value::String(s.clone()),
        serde_json::Value::Array(items) => Value::List(items.iter().map(from_json).collect()),
        serde_json::Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (GqlName::new(k), from_json(v)))
                .collect::<IndexMap<_, _>>(),
        ),
    }
}

/// A GraphQL value as JSON, keeping key order and number text.
pub(crate) fn to_json(value: Value) -> serde_json::Value {
    match value {
        Value::Null => serde_json::Value::Null,
        Value::Boolean(b) => serde_json::Value::Bool(b),
        Value::Number(n) => serde_json::Value::Number(n),
        Value::String(s) => serde_json::Value::String(s),
        Value::Enum(name) => serde_json::Value::String(name.to_string()),
        Value::Binary(bytes) => {
            serde_json::Value::Array(bytes.iter().map(|b| (*b).into()).collect())
        }
        Value::List(items) => serde_json::Value::Array(items.into_iter().map(to_json).collect()),
        Value::Object(map) => serde_json::Value::Object(
            map.into_iter()
                .map(|(k, v)| (k.to_string(), to_json(v)))
                .collect(),
        ),
    }
}

/// The kind of a catalog spec.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(rename_items = "camelCase")]
pub(crate) enum CatalogType {
    /// A capture.
    Capture,
    /// A collection.
    Collection,
    /// A materialization.
    Materialization,
    /// A test.
    Test,
}

impl CatalogType {
    /// The type as stored (`capture`, …).
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            CatalogType::Capture => "capture",
            CatalogType::Collection => "collection",
            CatalogType::Materialization => "materialization",
            CatalogType::Test => "test",
        }
    }

    /// The stored type.
    pub(crate) fn parse(text: &str) -> Option<CatalogType> {
        Some(match text {
            "capture" => CatalogType::Capture,
            "collection" => CatalogType::Collection,
            "materialization" => CatalogType::Materialization,
            "test" => CatalogType::Test,
            _ => return None,
        })
    }
}

/// A capability of Estuary's access control.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(rename_items = "camelCase")]
pub(crate) enum Capability {
    /// Read.
    Read,
    /// Read and write.
    Write,
    /// Everything.
    Admin,
}
