//! Connector endpoints shared by captures, derivations and materializations.

use std::collections::BTreeMap;

use super::is_false;
use crate::redact::{DebugConfig, REDACTED};

/// # Connector
/// A connector image and its configuration.
///
/// ```
/// use flowspec::ConnectorConfig;
/// let c = ConnectorConfig::new("ghcr.io/estuary/source-postgres:v1", serde_json::json!({"address": "db:5432"}));
/// assert_eq!(c.image_tag(), Some(":v1"));
/// ```
#[derive(Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "a connector: an object {image, config}"
)]
#[schemars(example = ConnectorConfig::example())]
pub struct ConnectorConfig {
    /// # Connector image, like `ghcr.io/estuary/source-postgres:v1`.
    pub image: String,
    /// # Connector configuration.
    /// An object, or the relative URL of a YAML or JSON file that holds it.
    pub config: serde_json::Value,
}

impl ConnectorConfig {
    /// A connector endpoint.
    pub fn new(image: impl Into<String>, config: serde_json::Value) -> Self {
        Self {
            image: image.into(),
            config,
        }
    }

    /// The image's tag (`:v1`, `@sha256:…`), if it has one: the tag begins
    /// at the first `:` after the last `/`, or at `@`.
    pub fn image_tag(&self) -> Option<&str> {
        let image = self.image.as_str();
        if let Some(at) = image.find('@') {
            let slash = image[..at].rfind('/').map(|i| i + 1).unwrap_or(0);
            return Some(match image[slash..at].find(':') {
                Some(colon) => &image[slash + colon..],
                None => &image[at..],
            });
        }
        let slash = image.rfind('/').map(|i| i + 1).unwrap_or(0);
        image[slash..]
            .find(':')
            .map(|colon| &image[slash + colon..])
    }

    /// An example value.
    pub fn example() -> Self {
        Self::new(
            "ghcr.io/estuary/source-postgres:v1",
            serde_json::json!({"address": "localhost:5432"}),
        )
    }
}

/// # Local command
/// A connector run as a local command, for development only.
///
/// ```
/// use flowspec::LocalConfig;
/// let l: LocalConfig = serde_json::from_str(r#"{"command": ["python", "main.py"], "config": {}}"#).unwrap();
/// assert_eq!(l.command[0], "python");
/// ```
#[derive(Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "a local command: an object {command, config, env, protobuf}"
)]
#[schemars(example = LocalConfig::example())]
pub struct LocalConfig {
    /// # Command and arguments.
    /// A bare name is found on `$PATH`; a path with `/` is relative to the catalog file.
    pub command: Vec<String>,
    /// # Connector configuration, inline or a file URL.
    pub config: serde_json::Value,
    /// # Environment variables of the command.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub env: BTreeMap<String, String>,
    /// # Speak protobuf rather than JSON to the command.
    #[serde(default, skip_serializing_if = "is_false")]
    pub protobuf: bool,
}

impl LocalConfig {
    /// An example value.
    pub fn example() -> Self {
        Self {
            command: vec!["python".into(), "connector.py".into()],
            config: serde_json::json!({}),
            env: BTreeMap::new(),
            protobuf: false,
        }
    }
}

/// # Dekaf
/// A Dekaf materialization: Estuary's Kafka-compatible endpoint.
#[derive(Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "a Dekaf endpoint: an object {variant, config}"
)]
pub struct DekafConfig {
    /// # Dekaf variant, like `clickhouse`.
    pub variant: String,
    /// # Dekaf configuration, inline or a file URL.
    pub config: serde_json::Value,
}

/// `Debug` shows configs with their plaintext secrets redacted.
///
/// ```
/// let c = flowspec::ConnectorConfig::new("ghcr.io/estuary/source-x:v1", serde_json::json!({"password_sops": "hunter2"}));
/// assert!(!format!("{c:?}").contains("hunter2"));
/// ```
impl std::fmt::Debug for ConnectorConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConnectorConfig")
            .field("image", &self.image)
            .field("config", &DebugConfig(&self.config))
            .finish()
    }
}

impl std::fmt::Debug for LocalConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LocalConfig")
            .field("command", &self.command)
            .field("config", &DebugConfig(&self.config))
            .field(
                "env",
                &self
                    .env
                    .keys()
                    .map(|k| (k, REDACTED))
                    .collect::<BTreeMap<_, _>>(),
            )
            .field("protobuf", &self.protobuf)
            .finish()
    }
}

impl std::fmt::Debug for DekafConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DekafConfig")
            .field("variant", &self.variant)
            .field("config", &DebugConfig(&self.config))
            .finish()
    }
}
