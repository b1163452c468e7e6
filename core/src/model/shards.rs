//! Shard templates: how a task's shards run.

use super::{deserialize_names, is_false, Duration};

/// # Shard template
/// How the shards of a task run. Most fields are experimental; leave them
/// out unless you know you need them.
///
/// ```
/// use flowspec::ShardTemplate;
/// let s: ShardTemplate = serde_json::from_str(r#"{"logLevel": "debug"}"#).unwrap();
/// assert!(!s.is_default());
/// assert!(ShardTemplate::default().is_default());
/// ```
#[derive(
    Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "a shard template: an object {disable, minTxnDuration, maxTxnDuration, …}"
)]
#[schemars(example = ShardTemplate::example())]
pub struct ShardTemplate {
    /// # Disable the task.
    /// A disabled task does not run and is not validated by its connector.
    #[serde(default, skip_serializing_if = "is_false")]
    pub disable: bool,
    /// # Minimum duration of a task transaction (default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_txn_duration: Option<Duration>,
    /// # Maximum duration of a task transaction.
    /// The default is 5m for materializations and 1s for captures and derivations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_txn_duration: Option<Duration>,
    /// # Number of hot standby replicas.
    #[serde(
        default,
        deserialize_with = "crate::json::option_u32_of_number",
        skip_serializing_if = "Option::is_none"
    )]
    pub hot_standbys: Option<u32>,
    /// # Size of the ring buffer of sequenced documents (default 65536).
    #[serde(
        default,
        deserialize_with = "crate::json::option_u32_of_number",
        skip_serializing_if = "Option::is_none"
    )]
    pub ring_buffer_size: Option<u32>,
    /// # Size of the channel of read documents (default 4096).
    #[serde(
        default,
        deserialize_with = "crate::json::option_u32_of_number",
        skip_serializing_if = "Option::is_none"
    )]
    pub read_channel_size: Option<u32>,
    /// # Log level of the task's connector (default info).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_level: Option<LogLevel>,
}

impl ShardTemplate {
    /// Whether every field is at its default.
    pub fn is_default(&self) -> bool {
        *self == Self::default()
    }

    /// An example value.
    pub fn example() -> Self {
        Self {
            log_level: Some(LogLevel::Debug),
            ..Self::default()
        }
    }
}

/// # Log level
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum LogLevel {
    /// Errors only.
    Error,
    /// Warnings and errors.
    Warn,
    /// The default.
    Info,
    /// Debugging detail.
    Debug,
    /// Everything.
    Trace,
}

deserialize_names!(LogLevel,
    "error" => Error, "warn" => Warn, "info" => Info, "debug" => Debug, "trace" => Trace);
