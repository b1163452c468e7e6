//! Materializations: collections into a destination connector.

use std::collections::BTreeMap;

use super::spellings::spellings;
use super::{
    deserialize_forms, deserialize_names, deserialize_one_of, is_default, is_false, is_zero,
    ConnectorConfig, DekafConfig, Id, LocalConfig, ShardTemplate, Source,
};
use crate::names::{Capture, Field};

/// # Materialization
/// A materialization keeps tables or other endpoint resources up to date
/// with collections.
///
/// ```
/// use flowspec::MaterializationDef;
/// let m: MaterializationDef = serde_json::from_str(r#"{
///     "endpoint": {"connector": {"image": "ghcr.io/estuary/materialize-snowflake:dev", "config": {}}},
///     "bindings": [{"resource": {"table": "shipments"}, "source": "acmeCo/shipments"}]
/// }"#).unwrap();
/// assert_eq!(m.bindings[0].source.collection().as_str(), "acmeCo/shipments");
/// ```
// `remote = "Self"`: the derived code is wrapped by `spellings!`, which
// refuses both `source` and `sourceCapture`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(
    remote = "Self",
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "a materialization: an object {endpoint, bindings, …}"
)]
#[schemars(rename = "MaterializationDef", example = MaterializationDef::example())]
pub struct MaterializationDef {
    /// # Capture whose collections are materialized automatically.
    /// New bindings of the capture are added; removed ones are not deleted.
    #[serde(
        default,
        alias = "sourceCapture",
        skip_serializing_if = "Option::is_none"
    )]
    pub source: Option<SourceCapture>,
    /// # What to do when a binding's schema changes incompatibly.
    #[serde(default, skip_serializing_if = "is_default")]
    pub on_incompatible_schema_change: OnIncompatibleSchemaChange,
    /// # Endpoint to materialize into.
    pub endpoint: MaterializationEndpoint,
    /// # Bindings of collections to endpoint resources.
    pub bindings: Vec<MaterializationBinding>,
    /// # Shard template.
    #[serde(default, skip_serializing_if = "ShardTemplate::is_default")]
    pub shards: ShardTemplate,
    /// # Expected last publication id, for optimistic concurrency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expect_pub_id: Option<Id>,
    /// # Delete this materialization.
    #[serde(default, skip_serializing_if = "is_false")]
    pub delete: bool,
}

spellings!(
    MaterializationDef,
    &[("source", "sourceCapture")],
    serialize
);

impl MaterializationDef {
    /// A materialization with an endpoint and no bindings.
    pub fn new(endpoint: MaterializationEndpoint) -> Self {
        Self {
            source: None,
            on_incompatible_schema_change: OnIncompatibleSchemaChange::default(),
            endpoint,
            bindings: Vec::new(),
            shards: ShardTemplate::default(),
            expect_pub_id: None,
            delete: false,
        }
    }

    /// An example value.
    pub fn example() -> Self {
        let mut m = Self::new(MaterializationEndpoint::Connector(ConnectorConfig::new(
            "ghcr.io/estuary/materialize-postgres:v1",
            serde_json::json!({"address": "localhost:5432"}),
        )));
        m.bindings.push(MaterializationBinding::new(
            serde_json::json!({"table": "anvils"}),
            Source::Collection(crate::Collection::example()),
        ));
        m
    }
}

/// # Materialization endpoint
/// A connector image (`flowSink` is an older spelling of `connector`), a
/// local command for development, or Dekaf.
///
/// ```
/// use flowspec::MaterializationEndpoint;
/// let e: MaterializationEndpoint = serde_json::from_str(r#"{"flowSink": {"image": "i", "config": {}}}"#).unwrap();
/// assert!(matches!(e, MaterializationEndpoint::Connector(_)));
/// let both = serde_json::json!({"connector": {"image": "i", "config": {}}, "flowSink": {"image": "i", "config": {}}});
/// let err = serde_json::from_value::<MaterializationEndpoint>(both).unwrap_err();
/// assert_eq!(err.to_string(), "`connector` and `flowSink` are two spellings of one option: give only one of them");
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub enum MaterializationEndpoint {
    /// # A connector image.
    Connector(ConnectorConfig),
    /// # A local command (development only).
    Local(LocalConfig),
    /// # Dekaf, Estuary's Kafka-compatible endpoint.
    Dekaf(DekafConfig),
}

deserialize_one_of!(MaterializationEndpoint, "endpoint", "`connector`, `local` or `dekaf`",
    "connector" | "flowSink" => Connector, "local" => Local, "dekaf" => Dekaf);

impl MaterializationEndpoint {
    /// The endpoint's configuration value.
    pub fn config(&self) -> &serde_json::Value {
        match self {
            MaterializationEndpoint::Connector(c) => &c.config,
            MaterializationEndpoint::Local(l) => &l.config,
            MaterializationEndpoint::Dekaf(d) => &d.config,
        }
    }

    /// The endpoint's configuration value, mutably.
    pub fn config_mut(&mut self) -> &mut serde_json::Value {
        match self {
            MaterializationEndpoint::Connector(c) => &mut c.config,
            MaterializationEndpoint::Local(l) => &mut l.config,
            MaterializationEndpoint::Dekaf(d) => &mut d.config,
        }
    }

    /// The JSON pointer of the configuration within the materialization.
    ///
    /// ```
    /// let materialization = flowspec::MaterializationDef::example();
    /// assert_eq!(materialization.endpoint.config_pointer(), "/endpoint/connector/config");
    /// ```
    pub fn config_pointer(&self) -> &'static str {
        match self {
            MaterializationEndpoint::Connector(_) => "/endpoint/connector/config",
            MaterializationEndpoint::Local(_) => "/endpoint/local/config",
            MaterializationEndpoint::Dekaf(_) => "/endpoint/dekaf/config",
        }
    }
}

/// # Materialization binding
/// Binds a source collection to an endpoint resource.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "a materialization binding: an object {resource, source, …}"
)]
pub struct MaterializationBinding {
    /// # Endpoint resource to materialize into.
    /// An object, or the relative URL of a file that holds it.
    pub resource: serde_json::Value,
    /// # Source collection.
    pub source: Source,
    /// # Disable this binding.
    #[serde(default, skip_serializing_if = "is_false")]
    pub disable: bool,
    /// # Priority of this binding's source documents.
    #[serde(
        default,
        deserialize_with = "crate::json::u32_of_number",
        skip_serializing_if = "is_zero"
    )]
    pub priority: u32,
    /// # Field selection.
    /// Default: `{recommended: true}`.
    #[serde(default, skip_serializing_if = "MaterializationFields::is_default")]
    pub fields: MaterializationFields,
    /// # Backfill counter. Increment it to drop and rebuild the target.
    #[serde(
        default,
        deserialize_with = "crate::json::u32_of_number",
        skip_serializing_if = "is_zero"
    )]
    pub backfill: u32,
    /// # What to do when this binding's schema changes incompatibly.
    /// Overrides the materialization's setting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_incompatible_schema_change: Option<OnIncompatibleSchemaChange>,
}

impl MaterializationBinding {
    /// A binding of `source` into `resource`.
    pub fn new(resource: serde_json::Value, source: Source) -> Self {
        Self {
            resource,
            source,
            disable: false,
            priority: 0,
            fields: MaterializationFields::default(),
            backfill: 0,
            on_incompatible_schema_change: None,
        }
    }
}

/// # Field selection
/// Which fields of the source are materialized.
///
/// ```
/// use flowspec::{MaterializationFields, RecommendedDepth};
/// let f: MaterializationFields = serde_json::from_str(r#"{"recommended": 1, "exclude": ["secret"]}"#).unwrap();
/// assert_eq!(f.recommended, RecommendedDepth::Depth(1));
/// assert!(MaterializationFields::default().is_default());
/// let both = serde_json::json!({"recommended": true, "require": {}, "include": {}});
/// let err = serde_json::from_value::<MaterializationFields>(both).unwrap_err();
/// assert_eq!(err.to_string(), "`require` and `include` are two spellings of one option: give only one of them");
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(
    remote = "Self",
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "a field selection: an object {recommended, groupBy, require, exclude}"
)]
#[schemars(rename = "MaterializationFields")]
pub struct MaterializationFields {
    /// # Fields that form the materialized key. Default: the collection key.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub group_by: Vec<Field>,
    /// # Fields to include, with connector-specific field configuration.
    #[serde(default, alias = "include", skip_serializing_if = "BTreeMap::is_empty")]
    pub require: BTreeMap<Field, serde_json::Value>,
    /// # Fields to exclude.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude: Vec<Field>,
    /// # Which recommended fields to include.
    /// `true` for all, `false` or `0` for only required fields, `n` for
    /// fields up to depth `n`.
    pub recommended: RecommendedDepth,
}

spellings!(MaterializationFields, &[("require", "include")], serialize);

impl Default for MaterializationFields {
    fn default() -> Self {
        Self {
            group_by: Vec::new(),
            require: BTreeMap::new(),
            exclude: Vec::new(),
            recommended: RecommendedDepth::Bool(true),
        }
    }
}

impl MaterializationFields {
    /// Whether this is the default selection, `{recommended: true}`.
    pub fn is_default(&self) -> bool {
        *self == Self::default()
    }
}

/// # Recommended fields
/// `true`, `false`, or a depth.
///
/// ```
/// use flowspec::RecommendedDepth;
/// assert_eq!(serde_json::from_str::<RecommendedDepth>("2").unwrap(), RecommendedDepth::Depth(2));
/// let err = serde_json::from_value::<RecommendedDepth>(serde_json::json!("all")).unwrap_err();
/// assert_eq!(err.to_string(), "invalid type: string \"all\", expected true, false, or a depth (a whole number from 0)");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum RecommendedDepth {
    /// All (`true`) or none (`false`).
    Bool(bool),
    /// Fields up to this depth.
    Depth(u32),
}

deserialize_forms!(RecommendedDepth, "true, false, or a depth (a whole number from 0)",
    bool => |v: bool| Ok::<_, String>(RecommendedDepth::Bool(v)),
    u64 => |v: u64| u32::try_from(v)
        .map(RecommendedDepth::Depth)
        .map_err(|_| format!("depth {v} is too large (at most {})", u32::MAX)));

/// # Incompatible schema change policy
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum OnIncompatibleSchemaChange {
    /// Fail the publication.
    Abort,
    /// Backfill the binding (the default).
    #[default]
    Backfill,
    /// Disable the binding.
    DisableBinding,
    /// Disable the whole task.
    DisableTask,
}

deserialize_names!(OnIncompatibleSchemaChange,
    "abort" => Abort, "backfill" => Backfill, "disableBinding" => DisableBinding,
    "disableTask" => DisableTask);

/// # Source capture
/// A capture name, or settings of how its bindings are materialized.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum SourceCapture {
    /// A capture name.
    Simple(Capture),
    /// A capture with naming settings.
    Configured(SourceCaptureDef),
}

deserialize_forms!(SourceCapture, "a capture name or an object {capture, targetNaming, deltaUpdates, fieldsRecommended}",
    str => |v: &str| Capture::new(v).map(SourceCapture::Simple),
    map => |m| <SourceCaptureDef as serde::Deserialize>::deserialize(m).map(SourceCapture::Configured));

impl SourceCapture {
    /// The capture, if one is named.
    pub fn capture(&self) -> Option<&Capture> {
        match self {
            SourceCapture::Simple(c) => Some(c),
            SourceCapture::Configured(d) => d.capture.as_ref(),
        }
    }
}

/// # Source capture settings
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(
    remote = "Self",
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "an object {capture, targetNaming, deltaUpdates, fieldsRecommended}"
)]
#[schemars(rename = "SourceCaptureDef")]
pub struct SourceCaptureDef {
    /// # Capture whose bindings are materialized.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capture: Option<Capture>,
    /// # How target resources are named.
    #[serde(default, alias = "targetSchema", skip_serializing_if = "is_default")]
    pub target_naming: TargetNaming,
    /// # Materialize new bindings with delta updates.
    #[serde(default, skip_serializing_if = "is_false")]
    pub delta_updates: bool,
    /// # Recommended fields of new bindings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields_recommended: Option<RecommendedDepth>,
}

spellings!(
    SourceCaptureDef,
    &[("targetNaming", "targetSchema")],
    serialize
);

/// # Target naming
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum TargetNaming {
    /// Tables are named after the collection, without a schema.
    NoSchema,
    /// The source schema becomes the target schema.
    WithSchema,
    /// The source schema prefixes the table name.
    PrefixSchema,
    /// The source schema prefixes the table name unless it is the default (the default).
    #[default]
    PrefixNonDefaultSchema,
}

// `leaveEmpty` and `fromSourceName` are older names, still read.
deserialize_names!(TargetNaming,
    "noSchema" | "leaveEmpty" => NoSchema, "withSchema" | "fromSourceName" => WithSchema,
    "prefixSchema" => PrefixSchema, "prefixNonDefaultSchema" => PrefixNonDefaultSchema);
