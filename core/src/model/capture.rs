//! Captures: a source connector and the collections it writes.

use super::{
    deserialize_one_of, is_false, is_zero, ConnectorConfig, Duration, Id, LocalConfig,
    ShardTemplate,
};
use crate::names::Collection;

/// # Capture
/// A capture reads from an external system through a connector and writes
/// each binding's documents into a collection.
///
/// ```
/// use flowspec::CaptureDef;
/// let yaml = r#"{"endpoint": {"connector": {"image": "ghcr.io/estuary/source-hello-world:dev", "config": {}}},
///                "bindings": [{"resource": {"name": "greetings"}, "target": "acmeCo/greetings"}]}"#;
/// let capture: CaptureDef = serde_json::from_str(yaml).unwrap();
/// assert_eq!(capture.bindings[0].target.as_str(), "acmeCo/greetings");
/// assert_eq!(capture.interval.as_str(), "5m");
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "a capture: an object {endpoint, bindings, …}"
)]
#[schemars(example = CaptureDef::example())]
pub struct CaptureDef {
    /// # Automatically discover bindings.
    /// Omit (or set null) to disable discovery.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_discover: Option<AutoDiscover>,
    /// # Endpoint to capture from.
    pub endpoint: CaptureEndpoint,
    /// # Bindings of endpoint resources to collections.
    pub bindings: Vec<CaptureBinding>,
    /// # Interval between runs of connectors that exit rather than tail.
    /// Measured from the start of the previous run. Default `5m`.
    #[serde(
        default = "default_interval",
        skip_serializing_if = "is_default_interval"
    )]
    pub interval: Duration,
    /// # Shard template.
    #[serde(default, skip_serializing_if = "ShardTemplate::is_default")]
    pub shards: ShardTemplate,
    /// # Expected last publication id, for optimistic concurrency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expect_pub_id: Option<Id>,
    /// # Delete this capture.
    #[serde(default, skip_serializing_if = "is_false")]
    pub delete: bool,
    /// # Delete and re-create the capture in one publication.
    #[serde(default, skip_serializing_if = "is_false")]
    pub reset: bool,
    /// # Salt for `sha256` redaction (base64).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redact_salt: Option<String>,
}

pub(crate) fn default_interval() -> Duration {
    Duration::from_secs(300)
}

fn is_default_interval(d: &Duration) -> bool {
    d.get() == std::time::Duration::from_secs(300)
}

impl CaptureDef {
    /// A capture with an endpoint and no bindings.
    pub fn new(endpoint: CaptureEndpoint) -> Self {
        Self {
            auto_discover: None,
            endpoint,
            bindings: Vec::new(),
            interval: default_interval(),
            shards: ShardTemplate::default(),
            expect_pub_id: None,
            delete: false,
            reset: false,
            redact_salt: None,
        }
    }

    /// An example value.
    pub fn example() -> Self {
        let mut c = Self::new(CaptureEndpoint::Connector(ConnectorConfig::example()));
        c.bindings.push(CaptureBinding::new(
            serde_json::json!({"namespace": "public", "stream": "anvils"}),
            Collection::example(),
        ));
        c
    }
}

/// # Auto-discovery
/// What to do when the connector discovers new or changed resources.
#[derive(
    Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "an object {addNewBindings, evolveIncompatibleCollections}"
)]
pub struct AutoDiscover {
    /// # Add bindings for newly discovered resources.
    #[serde(default, skip_serializing_if = "is_false")]
    pub add_new_bindings: bool,
    /// # Re-create collections whose discovered schema is incompatible.
    #[serde(default, skip_serializing_if = "is_false")]
    pub evolve_incompatible_collections: bool,
}

/// # Capture endpoint
/// A connector image, or a local command for development.
///
/// ```
/// use flowspec::CaptureEndpoint;
/// let e: CaptureEndpoint = serde_json::from_str(r#"{"local": {"command": ["python", "c.py"], "config": {}}}"#).unwrap();
/// assert!(matches!(e, CaptureEndpoint::Local(_)));
/// let both = serde_json::json!({"connector": {"image": "i", "config": {}}, "local": {}});
/// let err = serde_json::from_value::<CaptureEndpoint>(both).unwrap_err();
/// assert_eq!(err.to_string(), "endpoint takes exactly one of `connector` or `local`, but this object has `connector` and `local`");
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub enum CaptureEndpoint {
    /// # A connector image.
    Connector(ConnectorConfig),
    /// # A local command (development only).
    Local(LocalConfig),
}

deserialize_one_of!(CaptureEndpoint, "endpoint", "`connector` or `local`",
    "connector" => Connector, "local" => Local);

impl CaptureEndpoint {
    /// The endpoint's configuration value.
    pub fn config(&self) -> &serde_json::Value {
        match self {
            CaptureEndpoint::Connector(c) => &c.config,
            CaptureEndpoint::Local(l) => &l.config,
        }
    }

    /// The endpoint's configuration value, mutably.
    pub fn config_mut(&mut self) -> &mut serde_json::Value {
        match self {
            CaptureEndpoint::Connector(c) => &mut c.config,
            CaptureEndpoint::Local(l) => &mut l.config,
        }
    }

    /// The JSON pointer of the configuration within the capture.
    ///
    /// ```
    /// let capture = flowspec::CaptureDef::example();
    /// assert_eq!(capture.endpoint.config_pointer(), "/endpoint/connector/config");
    /// ```
    pub fn config_pointer(&self) -> &'static str {
        match self {
            CaptureEndpoint::Connector(_) => "/endpoint/connector/config",
            CaptureEndpoint::Local(_) => "/endpoint/local/config",
        }
    }
}

/// # Capture binding
/// Binds an endpoint resource to a target collection.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "a capture binding: an object {resource, target, …}"
)]
pub struct CaptureBinding {
    /// # Endpoint resource to capture.
    /// An object, or the relative URL of a file that holds it.
    pub resource: serde_json::Value,
    /// # Collection to capture into.
    pub target: Collection,
    /// # Disable this binding.
    /// A disabled binding records a discovered resource that is not captured.
    #[serde(default, skip_serializing_if = "is_false")]
    pub disable: bool,
    /// # Backfill counter.
    /// Increment it to capture the resource again from the start.
    #[serde(
        default,
        deserialize_with = "crate::json::u32_of_number",
        skip_serializing_if = "is_zero"
    )]
    pub backfill: u32,
}

impl CaptureBinding {
    /// A binding of `resource` into `target`.
    pub fn new(resource: serde_json::Value, target: Collection) -> Self {
        Self {
            resource,
            target,
            disable: false,
            backfill: 0,
        }
    }
}
