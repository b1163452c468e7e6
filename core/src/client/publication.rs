//! Publishing a catalog, and testing it remotely, as flowctl's `catalog
//! publish` and `catalog test` do (release line 0.6): validate locally,
//! create a draft, encrypt endpoint configs through the control plane's
//! service, stage every spec, prune the unchanged ones, ask for approval,
//! create the publication, follow its status and logs, and report the
//! control plane's errors by scope. The draft is deleted whenever the
//! publication does not go through: on a failure, when approval is refused,
//! when the caller cancels, and always after a test.
//!
//! Secrets are never staged in plaintext: a config with plaintext secrets
//! (`secret(...)` markers, `_sops` keys) goes to the encryption service with
//! its connector's endpoint schema and its answer is staged; a config
//! sops-encrypted to age keys at hand is decrypted locally and goes the same
//! way (unless [`PublishOptions::keep_sops`]); one encrypted to keys that
//! are not at hand is staged as it is.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;

use serde_json::{json, Value};

use super::connection::Connection;
use super::draft::{batches, edges, resolved_specs, DraftSpec};
use super::postgrest::Request;
use super::{ClientError, FlowId};
use crate::secrets::{decrypt, is_encrypted, DecryptOptions, Identities};
use crate::{codes, Catalog, Diagnostic, Error, Kind, Result, Severity};

/// How to publish.
///
/// ```
/// let options = flowspec::client::publication::PublishOptions::default();
/// assert!(!options.dry_run && options.default_data_plane.is_none());
/// ```
#[derive(Debug, Clone)]
pub struct PublishOptions {
    /// A dry run, as `catalog test` makes: the control plane builds and
    /// tests the draft and applies nothing; the draft is always deleted.
    pub dry_run: bool,
    /// The data plane of specs that are not live yet (`--default-data-plane`);
    /// `None` leaves it to the control plane's storage mappings.
    pub default_data_plane: Option<String>,
    /// Stage sops-encrypted configs as they are, rather than re-encrypting
    /// them through the control plane's service (for data planes that hold
    /// their age key).
    pub keep_sops: bool,
    /// The publication's detail.
    pub detail: String,
    /// How often the publication's status is read.
    pub poll_interval: Duration,
    /// How often its logs are read.
    pub log_interval: Duration,
    /// Set to `true` to cancel: the draft is deleted and the call fails
    /// with `publish_cancelled`.
    pub cancel: Option<tokio::sync::watch::Receiver<bool>>,
    /// The age identities that open sops-encrypted configs before they are
    /// re-encrypted by the control plane's service; `None`: those sops
    /// finds ([`Identities::discover`]).
    pub identities: Option<Identities>,
}

impl Default for PublishOptions {
    fn default() -> Self {
        PublishOptions {
            dry_run: false,
            default_data_plane: None,
            keep_sops: false,
            detail: concat!("Published via flowspec (", env!("CARGO_PKG_VERSION"), ")").into(),
            poll_interval: Duration::from_secs(1),
            log_interval: Duration::from_millis(500),
            cancel: None,
            identities: None,
        }
    }
}

/// A spec of a draft, as summaries show it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StagedSpec {
    /// The catalog name.
    pub catalog_name: String,
    /// `capture`, `collection`, `materialization`, `test`, or `null` for a
    /// deletion.
    pub spec_type: Option<String>,
}

/// A line of a publication's logs (read as `view_logs` answers it,
/// written in camelCase).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all(serialize = "camelCase"))]
pub struct LogLine {
    /// When (RFC 3339).
    pub logged_at: String,
    /// Its stream, like `build` or `test:1`.
    pub stream: String,
    /// The line.
    pub log_line: String,
}

impl std::fmt::Display for LogLine {
    /// As flowctl prints it: `<logged_at> <stream>> <line>`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}> {}", self.logged_at, self.stream, self.log_line)
    }
}

/// What happens while publishing, for a display.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// The catalog was validated; these are its warnings.
    Validated(Vec<Diagnostic>),
    /// A draft was created.
    DraftCreated(FlowId),
    /// The config of this spec was encrypted by the control plane's service.
    Encrypted(String),
    /// This many of the specs are staged.
    Staged {
        /// Staged so far.
        done: usize,
        /// In all.
        total: usize,
    },
    /// These specs equal the live ones and were removed from the draft.
    Pruned(Vec<String>),
    /// What the publication would change (when the observer
    /// [wants it](Observer::wants_plan)), before the specs are listed.
    Planned(super::plan::Plan),
    /// These specs will be published (or tested).
    WillPublish(Vec<StagedSpec>),
    /// The publication was created.
    PublicationCreated(FlowId),
    /// A line of its logs.
    Log(LogLine),
    /// The draft was deleted.
    DraftDeleted(FlowId),
}

/// Where publishing reports to, and asks for approval.
pub trait Observer: Send {
    /// Something happened.
    fn event(&mut self, event: Event) {
        let _ = event;
    }

    /// Whether to compare the catalog with the live specs before asking
    /// ([`Event::Planned`]); not by default, as it reads every live model.
    fn wants_plan(&self) -> bool {
        false
    }

    /// Whether to publish `specs`; asked after pruning, unless it is a dry
    /// run. Approves by default.
    fn approve(&mut self, specs: &[StagedSpec]) -> bool {
        let _ = specs;
        true
    }
}

/// An observer that approves everything and shows nothing.
///
/// ```
/// use flowspec::client::publication::{Observer, Quiet};
/// assert!(Quiet.approve(&[]));
/// ```
#[derive(Debug, Default, Clone, Copy)]
pub struct Quiet;

impl Observer for Quiet {}

/// What a publication did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Published {
    /// The draft it was made from.
    pub draft_id: Option<FlowId>,
    /// The publication (`None` when there was nothing to publish).
    pub publication_id: Option<FlowId>,
    /// The publication id the published specs now carry (`lastPubId`);
    /// `None` for a dry run or nothing to publish.
    pub pub_id: Option<FlowId>,
    /// `success`, or `nothingToPublish` when every spec was unchanged.
    pub status: String,
    /// Whether it was a dry run.
    pub dry_run: bool,
    /// The specs published (or tested).
    pub specs: Vec<StagedSpec>,
    /// The specs pruned as unchanged.
    pub pruned: Vec<String>,
    /// The publication's logs.
    pub logs: Vec<LogLine>,
}

/// Publishes `catalog` (loaded from `source`, which locates `.sops.yaml`
/// rules and relative references) through `connection`.
///
/// Fails with [`Error::Validation`] before anything is sent when the
/// catalog is invalid; with `publication_failed` and the control plane's
/// errors as diagnostics (scopes `flow://<type>/<name>#<pointer>`) when the
/// publication fails; with `publish_cancelled` when the observer does not
/// approve or `options.cancel` is set. The draft is deleted in each case.
///
/// ```no_run
/// # async fn example(catalog: flowspec::Catalog) -> flowspec::Result<()> {
/// use flowspec::client::{connection::Connection, Session};
/// let connection = Connection::new(Session::open(Some("local"), &std::env::vars_os().collect())?)?;
/// use flowspec::client::publication::{publish, PublishOptions, Quiet};
/// let published = publish(&connection, &catalog, "flow.yaml".as_ref(), &PublishOptions::default(), &mut Quiet).await?;
/// println!("published as {:?}", published.pub_id);
/// # Ok(()) }
/// ```
pub async fn publish(
    connection: &Connection,
    catalog: &Catalog,
    source: &Path,
    options: &PublishOptions,
    observer: &mut dyn Observer,
) -> Result<Published> {
    let warnings = catalog.validate()?;
    observer.event(Event::Validated(warnings));
    let specs = resolved_specs(catalog, source)?;
    if specs.is_empty() {
        return Err(Error::invalid_spec(
            source.display().to_string(),
            "the catalog has no specs to publish",
        ));
    }
    publish_specs(connection, specs, options, observer).await
}

/// After a successful publication of `catalog`, sets `expectPubId` in its
/// source files to the new publication id, for each published spec that
/// carries one ([`crate::write::update_expect_pub_ids`]), so that the next
/// publication of the files is not refused as stale. Nothing for a dry run
/// or when nothing was published.
///
/// ```no_run
/// # async fn example(connection: flowspec::client::connection::Connection, catalog: flowspec::Catalog) -> flowspec::Result<()> {
/// use flowspec::client::publication::{publish, refresh_pub_ids, PublishOptions, Quiet};
/// let published = publish(&connection, &catalog, "flow.yaml".as_ref(), &PublishOptions::default(), &mut Quiet).await?;
/// let updated = refresh_pub_ids(&catalog, &published)?;
/// println!("updated {:?}", updated.files);
/// # Ok(()) }
/// ```
pub fn refresh_pub_ids(
    catalog: &Catalog,
    published: &Published,
) -> Result<crate::write::PubIdsUpdated> {
    let Some(pub_id) = published.pub_id.filter(|_| !published.dry_run) else {
        return Ok(Default::default());
    };
    let names: Vec<(Kind, String)> = published
        .specs
        .iter()
        .filter_map(|s| {
            let kind = s.spec_type.as_deref()?.parse::<Kind>().ok()?;
            Some((kind, s.catalog_name.clone()))
        })
        .collect();
    crate::write::update_expect_pub_ids(catalog, &names, &pub_id.to_string())
}

/// Publishes draft specs as they are (after encrypting their configs):
/// what [`publish`] does once the catalog is validated, and what `catalog
/// delete` does with deletions.
///
/// ```no_run
/// # async fn example(catalog: flowspec::Catalog) -> flowspec::Result<()> {
/// use flowspec::client::{connection::Connection, Session};
/// let connection = Connection::new(Session::open(Some("local"), &std::env::vars_os().collect())?)?;
/// use flowspec::client::{draft::draft_specs, publication::{publish_specs, PublishOptions, Quiet}};
/// let specs = draft_specs(&catalog)?;
/// publish_specs(&connection, specs, &PublishOptions::default(), &mut Quiet).await?;
/// # Ok(()) }
/// ```
pub async fn publish_specs(
    connection: &Connection,
    specs: Vec<DraftSpec>,
    options: &PublishOptions,
    observer: &mut dyn Observer,
) -> Result<Published> {
    let draft: Mutex<Option<FlowId>> = Mutex::new(None);
    let mut cancel = options.cancel.clone();
    let outcome = {
        let work = run(connection, specs, options, observer, &draft);
        tokio::pin!(work);
        tokio::select! {
            outcome = &mut work => outcome,
            () = cancelled(&mut cancel) => Err(cancelled_error()),
        }
    };
    let kept = draft.lock().unwrap_or_else(|e| e.into_inner()).take();
    match (outcome, kept) {
        (Ok(published), None) => Ok(published),
        (outcome, Some(id)) => {
            let deleted = delete_draft(connection, id).await;
            if deleted.is_ok() {
                observer.event(Event::DraftDeleted(id));
            }
            match (outcome, deleted) {
                (Ok(published), Ok(())) => Ok(published),
                (Ok(_), Err(err)) => Err(err.into()),
                (Err(err), _) => Err(err),
            }
        }
        (Err(err), None) => Err(err),
    }
}

/// Resolves when `cancel` turns true; never without one.
async fn cancelled(cancel: &mut Option<tokio::sync::watch::Receiver<bool>>) {
    match cancel {
        Some(cancel) => {
            if cancel.wait_for(|c| *c).await.is_err() {
                std::future::pending::<()>().await;
            }
        }
        None => std::future::pending().await,
    }
}

fn cancelled_error() -> Error {
    ClientError::Cancelled("publish cancelled".into()).into()
}

/// Deletes a draft (`DELETE drafts?id=eq.<id>`); one already gone counts as
/// deleted, as a repeated deletion finds nothing.
///
/// ```no_run
/// # async fn example(connection: flowspec::client::connection::Connection) -> Result<(), flowspec::client::ClientError> {
/// flowspec::client::publication::delete_draft(&connection, "1a2b3c4d5e6f7081".parse().unwrap()).await?;
/// # Ok(()) }
/// ```
pub async fn delete_draft(connection: &Connection, id: FlowId) -> Result<(), ClientError> {
    let request = Request::delete("drafts")
        .select(&["id", "created_at"])
        .eq("id", &id.to_string());
    connection.postgrest(&request).await.map(|_| ())
}

/// The steps of [`publish`]; the draft it creates is kept in `draft` until
/// the control plane deletes it, so that the caller deletes it otherwise.
async fn run(
    connection: &Connection,
    mut specs: Vec<DraftSpec>,
    options: &PublishOptions,
    observer: &mut dyn Observer,
    draft: &Mutex<Option<FlowId>>,
) -> Result<Published> {
    // 2. Data planes, checked against what the user can see.
    check_data_planes(connection, &specs, options.default_data_plane.as_deref()).await?;

    // The plan compares what the catalog says, before encryption.
    let plan = if !options.dry_run && observer.wants_plan() {
        Some(super::plan::plan_specs(connection, &specs, options.identities.clone()).await?)
    } else {
        None
    };

    // 3. Endpoint configs, encrypted before anything is staged.
    encrypt_configs(
        connection,
        &mut specs,
        options.keep_sops,
        options.identities.clone(),
        observer,
    )
    .await?;

    // 4. The draft.
    // The detail is unique to this run, so that a draft whose creation was
    // answered but not heard can be found, and deleted.
    let detail = format!("Created by flowspec ({:016x})", rand::random::<u64>());
    let created = match connection
        .postgrest(
            &Request::insert("drafts", json!({"detail": detail}))
                .select(&["id", "created_at"])
                .single(),
        )
        .await
    {
        Ok(created) => created,
        Err(err) => {
            delete_drafts_named(connection, &detail).await;
            return Err(err.into());
        }
    };
    let draft_id = read_id(&created["id"], "the new draft's id")?;
    *draft.lock().unwrap_or_else(|e| e.into_inner()) = Some(draft_id);
    observer.event(Event::DraftCreated(draft_id));

    // 5. Staging, in batches.
    stage(connection, draft_id, &specs, observer).await?;

    let staged: Vec<StagedSpec> = specs
        .iter()
        .map(|s| StagedSpec {
            catalog_name: s.catalog_name.clone(),
            spec_type: s.spec_type.map(|k| k.singular().to_string()),
        })
        .collect();
    publish_staged(connection, draft_id, staged, plan, options, observer, draft).await
}

/// Stages `specs` in the draft `draft_id`, in batches (an upsert: a spec
/// staged before is replaced).
pub(super) async fn stage(
    connection: &Connection,
    draft_id: FlowId,
    specs: &[DraftSpec],
    observer: &mut dyn Observer,
) -> Result<(), ClientError> {
    let total = specs.len();
    let rows: Vec<Value> = specs.iter().map(|s| s.row(draft_id)).collect();
    let mut done = 0;
    for batch in batches(rows) {
        let count = batch.len();
        let request = Request::upsert("draft_specs", Value::Array(batch), "draft_id,catalog_name")
            .select(&["catalog_name", "spec_type"]);
        connection.postgrest(&request).await?;
        done += count;
        observer.event(Event::Staged { done, total });
    }
    Ok(())
}

/// The steps of [`publish`] from pruning on, for a draft whose specs are
/// `staged`: prune (publish only), show the plan, ask, publish, follow. The
/// control plane deletes the draft after a successful publication, and then
/// `draft` is cleared.
pub(super) async fn publish_staged(
    connection: &Connection,
    draft_id: FlowId,
    staged: Vec<StagedSpec>,
    plan: Option<super::plan::Plan>,
    options: &PublishOptions,
    observer: &mut dyn Observer,
    draft: &Mutex<Option<FlowId>>,
) -> Result<Published> {
    // 6. Unchanged specs are pruned (publish only).
    let mut pruned = Vec::new();
    if !options.dry_run {
        let rows = connection
            .postgrest(
                // Repeating it prunes nothing more.
                &Request::rpc(
                    "prune_unchanged_draft_specs",
                    json!({"prune_draft_id": draft_id.to_string()}),
                )
                .retrying(true),
            )
            .await?;
        pruned = rows
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| r["catalog_name"].as_str().map(str::to_string))
            .collect();
        pruned.sort();
        if !pruned.is_empty() {
            observer.event(Event::Pruned(pruned.clone()));
        }
    }
    let pruned_set: BTreeSet<&str> = pruned.iter().map(String::as_str).collect();
    let remaining: Vec<StagedSpec> = staged
        .into_iter()
        .filter(|s| !pruned_set.contains(s.catalog_name.as_str()))
        .collect();
    if remaining.is_empty() {
        // Nothing to publish: the caller deletes the draft.
        return Ok(Published {
            draft_id: Some(draft_id),
            publication_id: None,
            pub_id: None,
            status: "nothingToPublish".into(),
            dry_run: options.dry_run,
            specs: Vec::new(),
            pruned,
            logs: Vec::new(),
        });
    }
    if let Some(plan) = plan {
        observer.event(Event::Planned(plan));
    }
    observer.event(Event::WillPublish(remaining.clone()));
    if !options.dry_run && !observer.approve(&remaining) {
        return Err(cancelled_error());
    }

    // 7. The publication, followed until it ends.
    let insert = Request::insert(
        "publications",
        json!({
            "data_plane_name": options.default_data_plane.clone().unwrap_or_default(),
            "detail": options.detail,
            "draft_id": draft_id.to_string(),
            "dry_run": options.dry_run,
        }),
    )
    .select(&["id", "logs_token"])
    .single();
    let created = match connection.postgrest(&insert).await {
        Ok(created) => created,
        // Never sent twice: if the control plane made it and the answer was
        // lost, it is the draft's publication.
        Err(err) => match publication_of(connection, draft_id).await {
            Some(found) => found,
            None => return Err(err.into()),
        },
    };
    let publication_id = read_id(&created["id"], "the new publication's id")?;
    let logs_token = created["logs_token"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    observer.event(Event::PublicationCreated(publication_id));
    let (status, logs) = follow(connection, publication_id, &logs_token, options, observer).await?;

    if status != "success" {
        let errors = draft_errors(connection, draft_id).await?;
        return Err(ClientError::PublicationFailed {
            status,
            dry_run: options.dry_run,
            errors,
        }
        .into());
    }
    let pub_id = if options.dry_run {
        None
    } else {
        // The control plane deleted the draft.
        *draft.lock().unwrap_or_else(|e| e.into_inner()) = None;
        let row = connection
            .postgrest(
                &Request::get("publications")
                    .select(&["pub_id"])
                    .eq("id", &publication_id.to_string())
                    .single(),
            )
            .await?;
        row.get("pub_id")
            .filter(|v| !v.is_null())
            .map(|v| read_id(v, "the publication's pub_id"))
            .transpose()?
    };
    Ok(Published {
        draft_id: Some(draft_id),
        publication_id: Some(publication_id),
        pub_id,
        status,
        dry_run: options.dry_run,
        specs: remaining,
        pruned,
        logs,
    })
}

/// Deletes the drafts whose detail is `detail`: those of this run whose
/// creation was not heard of. Best effort: the run fails anyway.
async fn delete_drafts_named(connection: &Connection, detail: &str) {
    let found = connection
        .postgrest(&Request::get("drafts").select(&["id"]).eq("detail", detail))
        .await;
    for row in found
        .ok()
        .as_ref()
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(id) = row["id"].as_str().and_then(|s| s.parse::<FlowId>().ok()) {
            let _ = delete_draft(connection, id).await;
        }
    }
}

/// The publication of a draft, if one was made (`{id, logs_token}`).
async fn publication_of(connection: &Connection, draft: FlowId) -> Option<Value> {
    let rows = connection
        .postgrest(
            &Request::get("publications")
                .select(&["id", "logs_token"])
                .eq("draft_id", &draft.to_string()),
        )
        .await
        .ok()?;
    rows.as_array()?.first().cloned()
}

/// An id the control plane returned.
pub(super) fn read_id(value: &Value, what: &str) -> Result<FlowId, ClientError> {
    value
        .as_str()
        .and_then(|s| s.parse::<FlowId>().ok())
        .ok_or_else(|| ClientError::Unreachable {
            call: what.to_string(),
            url: String::new(),
            reason: format!("the control plane answered {value}, not an id"),
        })
}

/// Polls the publication's status every `poll_interval` and reads its logs
/// every `log_interval` until it is no longer queued, and reads the last
/// logs; returns the final status and every line.
async fn follow(
    connection: &Connection,
    publication: FlowId,
    logs_token: &str,
    options: &PublishOptions,
    observer: &mut dyn Observer,
) -> Result<(String, Vec<LogLine>), ClientError> {
    let mut logs = Vec::new();
    let mut last: Option<String> = None;
    let status_request = Request::get("publications")
        .select(&["job_status->>type"])
        .eq("id", &publication.to_string())
        .single();
    let mut next_poll =
        tokio::time::Instant::now() + options.poll_interval.min(options.log_interval);
    loop {
        tokio::time::sleep(options.log_interval).await;
        read_logs(connection, logs_token, &mut last, &mut logs, observer).await?;
        if tokio::time::Instant::now() < next_poll {
            continue;
        }
        next_poll = tokio::time::Instant::now() + options.poll_interval;
        let row = connection.postgrest(&status_request).await?;
        let status = row["type"].as_str().unwrap_or("queued").to_string();
        if status != "queued" {
            read_logs(connection, logs_token, &mut last, &mut logs, observer).await?;
            return Ok((status, logs));
        }
    }
}

/// Reads the log lines after `last`.
async fn read_logs(
    connection: &Connection,
    token: &str,
    last: &mut Option<String>,
    logs: &mut Vec<LogLine>,
    observer: &mut dyn Observer,
) -> Result<(), ClientError> {
    let request = Request::rpc(
        "view_logs",
        json!({"bearer_token": token, "last_logged_at": last}),
    )
    .retrying(true);
    let rows = connection.postgrest(&request).await?;
    for row in rows.as_array().into_iter().flatten() {
        let Ok(line) = serde_json::from_value::<LogLine>(row.clone()) else {
            continue;
        };
        *last = Some(line.logged_at.clone());
        observer.event(Event::Log(line.clone()));
        logs.push(line);
    }
    Ok(())
}

/// The errors of a draft's last build, as diagnostics with their scopes.
///
/// ```no_run
/// # async fn example(connection: flowspec::client::connection::Connection) -> Result<(), flowspec::client::ClientError> {
/// for error in flowspec::client::publication::draft_errors(&connection, "1a2b3c4d5e6f7081".parse().unwrap()).await? {
///     println!("{}: {}", error.scope, error.message);
/// }
/// # Ok(()) }
/// ```
pub async fn draft_errors(
    connection: &Connection,
    draft: FlowId,
) -> Result<Vec<Diagnostic>, ClientError> {
    let rows = connection
        .postgrest(
            &Request::get("draft_errors")
                .select(&["scope", "detail"])
                .eq("draft_id", &draft.to_string()),
        )
        .await?;
    Ok(rows
        .as_array()
        .into_iter()
        .flatten()
        .map(|row| Diagnostic {
            scope: row["scope"].as_str().unwrap_or_default().to_string(),
            message: row["detail"].as_str().unwrap_or_default().to_string(),
            code: codes::PUBLICATION_FAILED.to_string(),
            severity: Severity::Error,
        })
        .collect())
}

/// Checks the default data plane against those the user can see, and that
/// specs connected to each other end up on one data plane.
async fn check_data_planes(
    connection: &Connection,
    specs: &[DraftSpec],
    default: Option<&str>,
) -> Result<()> {
    let rows = connection
        .postgrest(&Request::get("data_planes").select(&["id", "data_plane_name"]))
        .await?;
    let planes: HashMap<String, String> = rows
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| {
            let id = r["id"].as_str()?.parse::<FlowId>().ok()?;
            Some((id.to_string(), r["data_plane_name"].as_str()?.to_string()))
        })
        .collect();
    if let Some(default) = default {
        if !planes.values().any(|name| name == default) {
            let mut known: Vec<&str> = planes.values().map(String::as_str).collect();
            known.sort_unstable();
            return Err(ClientError::DataPlane(format!(
                "there is no data plane named '{default}' that you can use; known: {}",
                if known.is_empty() {
                    "none".to_string()
                } else {
                    known.join(", ")
                }
            ))
            .into());
        }
    }

    // The live specs among the draft's and those they connect to.
    let edges: Vec<(String, String)> = edges(specs)
        .into_iter()
        .map(|edge| (edge.from.1, edge.to))
        .collect();
    let mut names: BTreeSet<String> = specs.iter().map(|s| s.catalog_name.clone()).collect();
    names.extend(edges.iter().map(|(_, to)| to.clone()));
    let live = live_data_planes(connection, &names).await?;
    let plane_of = |name: &str| -> Option<String> {
        match live.get(name) {
            Some(id) => Some(planes.get(id).cloned().unwrap_or_else(|| id.clone())),
            None => default.map(str::to_string),
        }
    };
    let drafted: BTreeMap<&str, &DraftSpec> =
        specs.iter().map(|s| (s.catalog_name.as_str(), s)).collect();
    for (from, to) in edges {
        if drafted.get(to.as_str()).is_some_and(|s| s.is_deletion()) {
            continue;
        }
        if let (Some(a), Some(b)) = (plane_of(&from), plane_of(&to)) {
            if a != b {
                return Err(ClientError::DataPlane(format!(
                    "'{from}' would be on data plane '{a}' and '{to}', which it reads from or \
                     writes to, on '{b}': connected specs must be on one data plane"
                ))
                .into());
            }
        }
    }
    Ok(())
}

/// The data plane id of each live spec among `names`
/// (`GET live_specs_ext`, names in chunks that keep URLs short).
async fn live_data_planes(
    connection: &Connection,
    names: &BTreeSet<String>,
) -> Result<HashMap<String, String>, ClientError> {
    let mut out = HashMap::new();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let mut start = 0;
    while start < names.len() {
        let mut end = start;
        let mut length = 0;
        while end < names.len() && (end == start || length + names[end].len() < 1500) {
            length += names[end].len() + 3;
            end += 1;
        }
        let request = Request::get("live_specs_ext")
            .select(&["catalog_name", "data_plane_id", "last_pub_id"])
            .not_is("spec_type", "null")
            .in_list("catalog_name", &names[start..end]);
        let rows = connection.postgrest(&request).await?;
        for row in rows.as_array().into_iter().flatten() {
            if let (Some(name), Some(plane)) =
                (row["catalog_name"].as_str(), row["data_plane_id"].as_str())
            {
                let plane = plane
                    .parse::<FlowId>()
                    .map_or_else(|_| plane.to_string(), |id| id.to_string());
                out.insert(name.to_string(), plane);
            }
        }
        start = end;
    }
    Ok(out)
}

/// Encrypts the endpoint config of every capture and materialization of
/// `specs` that is not sops-encrypted already (or whose encryption flowspec
/// can open, unless `keep_sops`), through the control plane's service.
pub(super) async fn encrypt_configs(
    connection: &Connection,
    specs: &mut [DraftSpec],
    keep_sops: bool,
    mut identities: Option<Identities>,
    observer: &mut dyn Observer,
) -> Result<()> {
    let mut schemas: HashMap<String, Option<Value>> = HashMap::new();
    let mut problems = Vec::new();
    for spec in specs.iter_mut() {
        let (Some(kind @ (Kind::Capture | Kind::Materialization)), Some(model)) =
            (spec.spec_type, spec.spec.as_mut())
        else {
            continue;
        };
        let what = format!("{} '{}'", kind.singular(), spec.catalog_name);
        let scope = format!(
            "flow://{}/{}#/endpoint/connector/config",
            kind.singular(),
            spec.catalog_name
        );
        let Some(connector) = model
            .pointer_mut("/endpoint/connector")
            .and_then(Value::as_object_mut)
        else {
            continue;
        };
        let image = connector
            .get("image")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let Some(config) = connector.get_mut("config") else {
            continue;
        };
        let plain = if is_encrypted(config) {
            // Staged as it is: when asked to, and when encrypted to keys
            // other than age (a cloud KMS), which only the data plane opens.
            let age = config["sops"]["age"]
                .as_array()
                .is_some_and(|a| !a.is_empty());
            if keep_sops || !age {
                continue;
            }
            let keys = match &identities {
                Some(keys) => keys,
                None => identities.insert(Identities::discover().unwrap_or_default()),
            };
            match decrypt(config, keys, &DecryptOptions::default()) {
                Ok(plain) => plain,
                // Encrypted to keys that are not here: staged as it is.
                Err(err)
                    if err.code() == codes::SOPS_NO_MATCHING_IDENTITY
                        || err.code() == codes::SOPS_NO_IDENTITY =>
                {
                    continue
                }
                Err(err) => {
                    problems.push(problem(
                        &scope,
                        err.code(),
                        format!("encrypting endpoint config for {what}: {err}"),
                    ));
                    continue;
                }
            }
        } else {
            config.clone()
        };
        if !image.contains(':') && !image.contains('@') {
            problems.push(problem(
                &scope,
                codes::CONFIG_ENCRYPTION_FAILED,
                format!(
                    "encrypting endpoint config for {what}: invalid connector image name '{image}': \
                     it must carry a tag (`:v1`) or a digest (`@sha256:…`)"
                ),
            ));
            continue;
        }
        let schema = match schemas.get(&image) {
            Some(schema) => schema.clone(),
            None => {
                let schema = connector_schema(connection, &image).await?;
                schemas.insert(image.clone(), schema.clone());
                schema
            }
        };
        let Some(schema) = schema else {
            problems.push(problem(
                &scope,
                codes::CONFIG_ENCRYPTION_FAILED,
                format!(
                    "encrypting endpoint config for {what}: connector image '{image}' is unknown \
                     to the control plane, so the endpoint configuration cannot be encrypted"
                ),
            ));
            continue;
        };
        match connection.api().encrypt_config(&plain, &schema).await {
            Ok(encrypted) => {
                *config = encrypted;
                observer.event(Event::Encrypted(spec.catalog_name.clone()));
            }
            Err(err) => problems.push(problem(
                &scope,
                codes::CONFIG_ENCRYPTION_FAILED,
                format!("encrypting endpoint config for {what}: Config encryption failed: {err}"),
            )),
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(ClientError::Encryption(problems).into())
    }
}

fn problem(scope: &str, code: &str, message: String) -> Diagnostic {
    Diagnostic {
        scope: scope.to_string(),
        message,
        code: code.to_string(),
        severity: Severity::Error,
    }
}

/// The endpoint schema of a connector image (GraphQL `connectorSpec`);
/// `None` when the control plane does not know the image.
///
/// ```no_run
/// # async fn example(connection: flowspec::client::connection::Connection) -> Result<(), flowspec::client::ClientError> {
/// let schema = flowspec::client::publication::connector_schema(&connection, "ghcr.io/estuary/source-postgres:v1").await?;
/// assert!(schema.is_some());
/// # Ok(()) }
/// ```
pub async fn connector_schema(
    connection: &Connection,
    image: &str,
) -> Result<Option<Value>, ClientError> {
    const QUERY: &str = "query FetchConnectorEndpointSchema($fullImageName: String!) {\n  connectorSpec(fullImageName: $fullImageName) {\n    imageTag\n    endpointSpecSchema\n  }\n}\n";
    let data = connection
        .graphql(
            "FetchConnectorEndpointSchema",
            QUERY,
            json!({"fullImageName": image}),
        )
        .await?;
    let spec = &data["connectorSpec"];
    if spec.is_null() {
        return Ok(None);
    }
    let schema = &spec["endpointSpecSchema"];
    // A schema may come as JSON text.
    Ok(Some(match schema {
        Value::String(text) => serde_json::from_str(text).unwrap_or_else(|_| schema.clone()),
        other => other.clone(),
    }))
}
