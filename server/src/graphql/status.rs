//! The status of a live spec: its summary, and the shapes of Estuary's
//! controller status. A local control plane runs no controllers, so
//! `controller` and `connector` are always null; the types exist so that
//! `flowctl catalog status`, which selects them, validates.

// The controller shapes are never built: see the module doc.
#![allow(dead_code)]

use async_graphql::{Enum, SimpleObject};

use super::scalars::{Collection, DateTime, Id, JsonObject};

/// A machine-readable summary of a status.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StatusSummaryType {
    /// No problem seen.
    Ok,
    /// The task is disabled.
    TaskDisabled,
    /// Something is not fully working, and should clear soon.
    Warning,
    /// Something is wrong.
    Error,
}

/// The status of a live spec.
#[derive(SimpleObject, Debug, Clone)]
pub(crate) struct LiveSpecStatus {
    /// The summary.
    #[graphql(name = "type")]
    pub(crate) kind: StatusSummaryType,
    /// The summary, for people.
    pub(crate) summary: String,
    /// The controller's status (none locally).
    pub(crate) controller: Option<Controller>,
    /// The connector's last status (none locally).
    pub(crate) connector: Option<ConnectorStatus>,
}

/// The controller's status of a spec.
#[derive(SimpleObject, Debug, Clone)]
pub(crate) struct Controller {
    next_run: Option<DateTime>,
    error: Option<String>,
    failures: i32,
    activation: Option<ActivationStatus>,
    publications: Option<PublicationStatus>,
    auto_discover: Option<AutoDiscoverStatus>,
    source_capture: Option<SourceCaptureStatus>,
    inferred_schema: Option<InferredSchemaStatus>,
    alerts: Option<JsonObject>,
    updated_at: DateTime,
}

/// A status a connector reported.
#[derive(SimpleObject, Debug, Clone)]
pub(crate) struct ConnectorStatus {
    shard: ShardRef,
    ts: DateTime,
    message: String,
    fields: JsonObject,
}

/// The activation of a build in the data plane.
#[derive(SimpleObject, Debug, Clone)]
pub(crate) struct ActivationStatus {
    last_activated: Id,
    shard_status: Option<ShardStatusCheck>,
    last_activated_at: Option<DateTime>,
    last_failure: Option<ShardFailure>,
    recent_failure_count: i32,
    next_retry: Option<DateTime>,
}

/// The shards' status as last checked.
#[derive(SimpleObject, Debug, Clone)]
pub(crate) struct ShardStatusCheck {
    count: i32,
    last_ts: DateTime,
    first_ts: DateTime,
    status: ShardsStatus,
}

/// The shards' status.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ShardsStatus {
    /// Every shard has a primary.
    Ok,
    /// Some shards are pending.
    Pending,
    /// Some shard failed.
    Failed,
}

/// A shard's failure.
#[derive(SimpleObject, Debug, Clone)]
pub(crate) struct ShardFailure {
    shard: ShardRef,
    ts: DateTime,
    message: String,
    fields: JsonObject,
}

/// A shard of a task.
#[derive(SimpleObject, Debug, Clone)]
pub(crate) struct ShardRef {
    name: String,
    key_begin: String,
    r_clock_begin: String,
    build: Id,
}

/// The controller's publications.
#[derive(SimpleObject, Debug, Clone)]
pub(crate) struct PublicationStatus {
    next_after: Option<DateTime>,
    max_observed_pub_id: Id,
    history: Vec<PublicationInfo>,
}

/// A publication the controller attempted.
#[derive(SimpleObject, Debug, Clone)]
pub(crate) struct PublicationInfo {
    id: Id,
    created: Option<DateTime>,
    completed: Option<DateTime>,
    detail: Option<String>,
    result: Option<JobStatus>,
    errors: Vec<super::drafts::DraftError>,
    is_touch: bool,
    count: i32,
}

/// The outcome of a publication.
#[derive(SimpleObject, Debug, Clone)]
pub(crate) struct JobStatus {
    #[graphql(name = "type")]
    kind: StatusType,
    lock_failures: Vec<LockFailure>,
}

/// The types of a publication's outcome.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(rename_items = "camelCase")]
pub(crate) enum StatusType {
    /// Not done yet.
    Queued,
    /// The build failed.
    BuildFailed,
    /// A test failed.
    TestFailed,
    /// The publication failed.
    PublishFailed,
    /// Done.
    Success,
    /// Nothing to publish.
    EmptyDraft,
    /// An `expectPubId` did not match.
    ExpectPubIdMismatch,
    /// A build id lock failed.
    BuildIdLockFailure,
    /// The deprecated background flag was used.
    DeprecatedBackground,
}

/// An optimistic lock that failed.
#[derive(SimpleObject, Debug, Clone)]
pub(crate) struct LockFailure {
    catalog_name: String,
    expected: Id,
    actual: Option<Id>,
}

/// Automatic discovery of a capture.
#[derive(SimpleObject, Debug, Clone)]
pub(crate) struct AutoDiscoverStatus {
    next_at: Option<DateTime>,
    pending_publish: Option<AutoDiscoverOutcome>,
    last_success: Option<AutoDiscoverOutcome>,
    failure: Option<AutoDiscoverFailure>,
}

/// The outcome of a discovery.
#[derive(SimpleObject, Debug, Clone)]
pub(crate) struct AutoDiscoverOutcome {
    ts: DateTime,
    added: Vec<DiscoverChange>,
    modified: Vec<DiscoverChange>,
    removed: Vec<DiscoverChange>,
    errors: Vec<super::drafts::DraftError>,
    publish_result: Option<JobStatus>,
}

/// Failed discoveries.
#[derive(SimpleObject, Debug, Clone)]
pub(crate) struct AutoDiscoverFailure {
    count: i32,
    first_ts: DateTime,
    last_outcome: AutoDiscoverOutcome,
}

/// A binding a discovery changed.
#[derive(SimpleObject, Debug, Clone)]
pub(crate) struct DiscoverChange {
    resource_path: Vec<String>,
    target: Collection,
    disable: bool,
}

/// A materialization's `sourceCapture`.
#[derive(SimpleObject, Debug, Clone)]
pub(crate) struct SourceCaptureStatus {
    up_to_date: bool,
    add_bindings: Vec<Collection>,
}

/// A collection's inferred schema.
#[derive(SimpleObject, Debug, Clone)]
pub(crate) struct InferredSchemaStatus {
    schema_last_updated: Option<DateTime>,
    schema_md5: Option<String>,
    next_md5: Option<String>,
    next_update_after: Option<DateTime>,
}
