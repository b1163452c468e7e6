//! Derivations: transforms of source collections into a derived collection.

use std::collections::BTreeMap;

use super::{
    deserialize_names, deserialize_one_of, is_false, is_zero, ConnectorConfig, Duration,
    LocalConfig, ShardTemplate, Source,
};
use crate::names::{JsonPointer, Transform};

/// # Derivation
/// How a derived collection is built: a runtime (`using`) and transforms of
/// source collections.
///
/// ```
/// use flowspec::Derivation;
/// let d: Derivation = serde_json::from_str(r#"{
///     "using": {"sqlite": {}},
///     "transforms": [{"name": "fromOrders", "source": "acmeCo/orders", "shuffle": "any", "lambda": "SELECT $id;"}]
/// }"#).unwrap();
/// assert_eq!(d.transforms[0].name.as_str(), "fromOrders");
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "a derivation: an object {using, transforms, …}"
)]
pub struct Derivation {
    /// # Runtime of the derivation.
    pub using: DeriveUsing,
    /// # Transforms of source collections.
    pub transforms: Vec<TransformDef>,
    /// # Types of the shuffle key, when lambda shuffles leave them unknown.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shuffle_key_types: Vec<ShuffleType>,
    /// # Shard template.
    #[serde(default, skip_serializing_if = "ShardTemplate::is_default")]
    pub shards: ShardTemplate,
    /// # Salt for `sha256` redaction (base64).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redact_salt: Option<String>,
}

impl Derivation {
    /// A derivation with a runtime and no transforms.
    pub fn new(using: DeriveUsing) -> Self {
        Self {
            using,
            transforms: Vec::new(),
            shuffle_key_types: Vec::new(),
            shards: ShardTemplate::default(),
            redact_salt: None,
        }
    }
}

/// # Derivation runtime
///
/// ```
/// use flowspec::DeriveUsing;
/// let u: DeriveUsing = serde_json::from_str(r#"{"sqlite": {}}"#).unwrap();
/// assert!(matches!(u, DeriveUsing::Sqlite(_)));
/// let two = serde_json::json!({"sqlite": {}, "typescript": {"module": "d.ts"}});
/// let err = serde_json::from_value::<DeriveUsing>(two).unwrap_err();
/// assert_eq!(err.to_string(), "runtime takes exactly one of `connector`, `sqlite`, `typescript`, `python` or `local`, but this object has `sqlite` and `typescript`");
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub enum DeriveUsing {
    /// # A derivation connector image.
    Connector(ConnectorConfig),
    /// # SQLite: migrations, and a SQL lambda per transform.
    Sqlite(SqliteMigrations),
    /// # TypeScript: a module exporting a `Derivation` class.
    Typescript(TypescriptModule),
    /// # Python: a module exporting a `Derivation` class.
    Python(PythonModule),
    /// # A local command (development only).
    Local(LocalConfig),
}

deserialize_one_of!(DeriveUsing, "runtime", "`connector`, `sqlite`, `typescript`, `python` or `local`",
    "connector" => Connector, "sqlite" => Sqlite, "typescript" => Typescript,
    "python" => Python, "local" => Local);

/// # SQLite runtime
#[derive(
    Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "an object {migrations}"
)]
pub struct SqliteMigrations {
    /// # Migrations, applied in order: inline SQL or relative file URLs.
    #[serde(default)]
    pub migrations: Vec<serde_json::Value>,
}

/// # TypeScript runtime
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "an object {module}"
)]
pub struct TypescriptModule {
    /// # TypeScript module: inline code or a relative file URL.
    pub module: serde_json::Value,
}

/// # Python runtime
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "an object {module, dependencies}"
)]
pub struct PythonModule {
    /// # Python module: inline code or a relative file URL.
    pub module: serde_json::Value,
    /// # Python package dependencies and their version specifiers.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub dependencies: BTreeMap<String, String>,
}

/// # Transform
/// Reads a source collection, shuffles its documents and applies a lambda.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "a transform: an object {name, source, shuffle, …}"
)]
#[schemars(example = TransformDef::example())]
pub struct TransformDef {
    /// # Name of the transform: unique within the derivation, and stable.
    pub name: Transform,
    /// # Source collection.
    pub source: Source,
    /// # How source documents are shuffled to shards.
    /// `any`, `{key: [pointers]}` or `{lambda: ...}`. Required.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shuffle: Option<Shuffle>,
    /// # Priority: ready documents of higher-priority transforms go first.
    #[serde(
        default,
        deserialize_with = "crate::json::u32_of_number",
        skip_serializing_if = "is_zero"
    )]
    pub priority: u32,
    /// # Delay before a source document is processed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_delay: Option<Duration>,
    /// # Lambda of the transform: inline code or a relative file URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lambda: Option<serde_json::Value>,
    /// # Disable the transform.
    /// A disabled transform is not validated and may name a missing collection.
    #[serde(default, skip_serializing_if = "is_false")]
    pub disable: bool,
    /// # Backfill counter. Increment it to re-read the whole source.
    #[serde(
        default,
        deserialize_with = "crate::json::u32_of_number",
        skip_serializing_if = "is_zero"
    )]
    pub backfill: u32,
}

impl TransformDef {
    /// A transform of `source`, shuffled by `shuffle`.
    pub fn new(name: Transform, source: Source, shuffle: Shuffle) -> Self {
        Self {
            name,
            source,
            shuffle: Some(shuffle),
            priority: 0,
            read_delay: None,
            lambda: None,
            disable: false,
            backfill: 0,
        }
    }

    /// An example value.
    pub fn example() -> Self {
        Self::new(
            Transform::example(),
            Source::Collection(crate::Collection::example()),
            Shuffle::Key(vec![JsonPointer::new("/id").unwrap()]),
        )
    }
}

/// # Shuffle
/// `any` to process documents on any shard, `{key: [pointers]}` to shuffle by
/// extracted keys, or `{lambda: ...}` to shuffle by a computed key.
///
/// ```
/// use flowspec::Shuffle;
/// let s: Shuffle = serde_json::from_str(r#""any""#).unwrap();
/// assert_eq!(s, Shuffle::Any);
/// let s: Shuffle = serde_json::from_str(r#"{"key": ["/customer_id"]}"#).unwrap();
/// assert!(matches!(s, Shuffle::Key(_)));
/// let err = serde_json::from_value::<Shuffle>(serde_json::json!({"key": ["/id"], "lambda": "x"})).unwrap_err();
/// assert_eq!(err.to_string(), "shuffle takes exactly one of `key` or `lambda`, but this object has `key` and `lambda`");
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub enum Shuffle {
    /// # Any shard may process any document.
    Any,
    /// # Shuffle by these document locations.
    Key(Vec<JsonPointer>),
    /// # Shuffle by a key computed by a lambda: inline code or a file URL.
    Lambda(serde_json::Value),
}

deserialize_one_of!(Shuffle, "shuffle", "`key` or `lambda`",
    "key" => Key, "lambda" => Lambda; unit "any" => Any);

/// # Shuffle key type
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum ShuffleType {
    /// A boolean.
    Boolean,
    /// An integer.
    Integer,
    /// A string.
    String,
}

deserialize_names!(ShuffleType, "boolean" => Boolean, "integer" => Integer, "string" => String);
