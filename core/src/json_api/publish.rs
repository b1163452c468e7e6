//! Publishing for the bindings: publish a catalog, test it remotely, pull
//! and list live specs, each with a JSON option object naming where the
//! control plane is — a flowctl profile, or the endpoints and token of a
//! control plane started from code.
//!
//! The calls block until done; the bindings run them off their event loop
//! for their async forms. Results are JSON objects (camelCase).

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::Path;

use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{json, Value};

use super::{decode, SecretText};
use crate::client::connection::Connection;
use crate::client::live::{self, Filter, LiveSpec, PullOptions};
use crate::client::publication::{self, Published, Quiet};
use crate::client::{blocking, GivenToken, Profile, Session};
use crate::{Catalog, Kind, Result};

/// A control plane by its endpoints and a token: what a local control
/// plane started from code gives (`LocalControlPlane.options()`).
///
/// ```
/// let o: flowspec::json_api::ControlPlaneOptions = serde_json::from_value(serde_json::json!({
///     "pgUrl": "http://127.0.0.1:5431/rest/v1", "agentUrl": "http://127.0.0.1:8675/",
///     "configEncryptionUrl": "http://127.0.0.1:8765/", "authToken": "eyJpZCI6…",
/// })).unwrap();
/// assert!(!format!("{o:?}").contains("eyJpZCI6"));
/// ```
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "a control plane: an object {pgUrl, agentUrl, configEncryptionUrl, authToken}"
)]
pub struct ControlPlaneOptions {
    /// PostgREST's URL (`…/rest/v1`).
    pub pg_url: String,
    /// The agent API's URL.
    pub agent_url: String,
    /// The config-encryption service's URL.
    pub config_encryption_url: String,
    /// PostgREST's public key (default: the local one).
    #[serde(default)]
    pub pg_public_token: Option<String>,
    /// A base64 refresh token or a JWT access token.
    #[schemars(with = "String")]
    pub auth_token: SecretText,
}

/// Where to publish: `controlPlane`, else the flowctl profile `profile`
/// (else `FLOWCTL_PROFILE`, else `default`) with `FLOW_AUTH_TOKEN`.
struct Target {
    profile: Option<String>,
    control_plane: Option<ControlPlaneOptions>,
}

impl Target {
    fn connection(&self) -> Result<Connection> {
        let session = match &self.control_plane {
            Some(plane) => {
                let profile = Profile {
                    pg_url: Some(plane.pg_url.clone()),
                    agent_url: Some(plane.agent_url.clone()),
                    config_encryption_url: Some(plane.config_encryption_url.clone()),
                    pg_public_token: plane.pg_public_token.clone(),
                    ..Profile::default()
                };
                let token = GivenToken::parse(plane.auth_token.as_str(), "controlPlane.authToken")?;
                Session::in_memory(
                    self.profile.as_deref().unwrap_or("local"),
                    profile,
                    Some(token),
                )
            }
            None => {
                let env: BTreeMap<OsString, OsString> = std::env::vars_os().collect();
                Session::open(self.profile.as_deref(), &env)?
            }
        };
        Ok(Connection::new(session)?)
    }
}

/// Options of [`publish`] and [`test_remote`].
///
/// ```
/// let o: flowspec::json_api::PublishOptions = serde_json::from_value(serde_json::json!({
///     "profile": "local", "defaultDataPlane": "ops/dp/public/local-cluster", "keepSops": true,
/// })).unwrap();
/// assert!(o.keep_sops);
/// ```
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "publish options: an object {profile, controlPlane, defaultDataPlane, keepSops, source, identity, keyFile, updatePubIds}"
)]
pub struct PublishOptions {
    /// A flowctl profile (else `FLOWCTL_PROFILE`, else `default`).
    #[serde(default)]
    pub profile: Option<String>,
    /// A control plane by endpoints and token, rather than a profile.
    #[serde(default)]
    pub control_plane: Option<ControlPlaneOptions>,
    /// The data plane of specs that are not live yet.
    #[serde(default)]
    pub default_data_plane: Option<String>,
    /// Stage sops-encrypted configs as they are rather than re-encrypting
    /// them through the control plane's service.
    #[serde(default)]
    pub keep_sops: bool,
    /// The catalog file whose `.sops.yaml` rules apply (default: the
    /// current directory's `flow.yaml`).
    #[serde(default)]
    pub source: Option<String>,
    /// age secret keys that open sops-encrypted configs (else `keyFile`,
    /// else those sops finds), which are then re-encrypted by the control
    /// plane's service.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub identity: Option<SecretText>,
    /// A file of age secret keys, as `identity`.
    #[serde(default)]
    pub key_file: Option<String>,
    /// After a publication of a catalog loaded from files, set
    /// `expectPubId` in them to the new publication id, where published
    /// specs carry one (default true).
    #[serde(default)]
    pub update_pub_ids: Option<bool>,
}

/// A publication as the bindings return it.
fn published(published: &Published) -> Value {
    serde_json::to_value(published).expect("a publication serializes")
}

fn run_publish(catalog: &Catalog, options: PublishOptions, dry_run: bool) -> Result<Value> {
    let target = Target {
        profile: options.profile,
        control_plane: options.control_plane,
    };
    let connection = target.connection()?;
    let source = options.source.unwrap_or_else(|| "flow.yaml".to_string());
    let identities = identities(options.identity.as_ref(), options.key_file.as_deref())?;
    let publish = publication::PublishOptions {
        dry_run,
        default_data_plane: options.default_data_plane,
        keep_sops: options.keep_sops,
        identities,
        ..publication::PublishOptions::default()
    };
    let outcome = blocking(publication::publish(
        &connection,
        catalog,
        Path::new(&source),
        &publish,
        &mut Quiet,
    ))?;
    let mut out = published(&outcome);
    let updated = if options.update_pub_ids.unwrap_or(true) {
        publication::refresh_pub_ids(catalog, &outcome)?
    } else {
        Default::default()
    };
    out["updatedFiles"] = json!(updated
        .files
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>());
    Ok(out)
}

/// Publishes `catalog` ([`crate::client::publication::publish`]) with
/// [`PublishOptions`]; returns `{status, pubId, publicationId, specs,
/// pruned, logs, …}`. Validation problems, the control plane's errors
/// (by scope) and configs that could not be encrypted are errors with
/// diagnostics.
///
/// ```no_run
/// # let catalog = flowspec::Catalog::default();
/// let published = flowspec::json_api::publish(&catalog, serde_json::json!({"profile": "local"}))?;
/// assert_eq!(published["status"], "success");
/// # Ok::<(), flowspec::Error>(())
/// ```
pub fn publish(catalog: &Catalog, options: Value) -> Result<Value> {
    let options: PublishOptions = decode("publish", options)?;
    run_publish(catalog, options, false)
}

/// Tests `catalog` on the control plane: a dry-run publication, whose draft
/// is always deleted; options as [`publish`].
///
/// ```no_run
/// # let catalog = flowspec::Catalog::default();
/// let tested = flowspec::json_api::test_remote(&catalog, serde_json::json!({"profile": "local"}))?;
/// assert_eq!(tested["dryRun"], true);
/// # Ok::<(), flowspec::Error>(())
/// ```
pub fn test_remote(catalog: &Catalog, options: Value) -> Result<Value> {
    let options: PublishOptions = decode("test", options)?;
    run_publish(catalog, options, true)
}

/// Options of [`plan`].
///
/// ```
/// let o: flowspec::json_api::PlanOptions = serde_json::from_value(serde_json::json!({
///     "profile": "local", "source": "flow.yaml",
/// })).unwrap();
/// assert_eq!(o.source.as_deref(), Some("flow.yaml"));
/// ```
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "plan options: an object {profile, controlPlane, source, identity, keyFile}"
)]
pub struct PlanOptions {
    /// A flowctl profile (else `FLOWCTL_PROFILE`, else `default`).
    #[serde(default)]
    pub profile: Option<String>,
    /// A control plane by endpoints and token, rather than a profile.
    #[serde(default)]
    pub control_plane: Option<ControlPlaneOptions>,
    /// The catalog file whose `.sops.yaml` rules apply (default: the
    /// current directory's `flow.yaml`).
    #[serde(default)]
    pub source: Option<String>,
    /// age secret keys that open sops-encrypted configs, on either side
    /// (else `keyFile`, else those sops finds).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub identity: Option<SecretText>,
    /// A file of age secret keys, as `identity`.
    #[serde(default)]
    pub key_file: Option<String>,
}

/// What publishing `catalog` would change
/// ([`crate::client::plan::plan`]), with [`PlanOptions`]: `{specs:
/// [{catalogName, specType, action, changes: [{ptr, kind, old?, new?}]}],
/// hasChanges, summary, report}`. Secrets never carry values.
///
/// ```no_run
/// # let catalog = flowspec::Catalog::default();
/// let plan = flowspec::json_api::plan(&catalog, serde_json::json!({"profile": "local"}))?;
/// assert!(plan["specs"].is_array());
/// # Ok::<(), flowspec::Error>(())
/// ```
pub fn plan(catalog: &Catalog, options: Value) -> Result<Value> {
    let options: PlanOptions = decode("plan", options)?;
    let target = Target {
        profile: options.profile,
        control_plane: options.control_plane,
    };
    let connection = target.connection()?;
    let source = options.source.unwrap_or_else(|| "flow.yaml".to_string());
    let identities = identities(options.identity.as_ref(), options.key_file.as_deref())?;
    let plan = blocking(crate::client::plan::plan(
        &connection,
        catalog,
        Path::new(&source),
        identities,
    ))?;
    let mut out = serde_json::to_value(&plan).expect("a plan serializes");
    out["hasChanges"] = Value::Bool(plan.has_changes());
    out["summary"] = Value::String(plan.summary());
    out["report"] = Value::String(plan.render());
    Ok(out)
}

/// The age identities of `identity` or `keyFile`, if either is given.
fn identities(
    text: Option<&SecretText>,
    file: Option<&str>,
) -> Result<Option<crate::secrets::Identities>> {
    if text.is_none() && file.is_none() {
        return Ok(None);
    }
    Ok(Some(crate::secrets::Identities::given_or_discovered(
        text.map(SecretText::as_str),
        file.map(Path::new),
    )?))
}

/// Options of [`pull_specs`] and [`list`].
///
/// ```
/// let o: flowspec::json_api::PullSpecsOptions = serde_json::from_value(serde_json::json!({
///     "prefixes": ["acmeCo/"], "kinds": ["collection"], "target": "out/flow.yaml", "flat": true,
/// })).unwrap();
/// assert_eq!(o.kinds, ["collection"]);
/// ```
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "pull-specs options: an object {names, prefixes, kinds, target, overwrite, flat, …}"
)]
pub struct PullSpecsOptions {
    /// A flowctl profile (else `FLOWCTL_PROFILE`, else `default`).
    #[serde(default)]
    pub profile: Option<String>,
    /// A control plane by endpoints and token, rather than a profile.
    #[serde(default)]
    pub control_plane: Option<ControlPlaneOptions>,
    /// Exact catalog names.
    #[serde(default)]
    pub names: Vec<String>,
    /// Name prefixes.
    #[serde(default)]
    pub prefixes: Vec<String>,
    /// Kinds to include (`capture`, `collection`, `materialization`,
    /// `test`); none: all.
    #[serde(default)]
    pub kinds: Vec<String>,
    /// The catalog file to pull into (default `flow.yaml`); not used by
    /// `list`.
    #[serde(default)]
    pub target: Option<String>,
    /// Replace specs already in the local files, in place.
    #[serde(default)]
    pub overwrite: bool,
    /// Write new specs into the target file rather than a `flow.yaml` per
    /// prefix.
    #[serde(default)]
    pub flat: bool,
}

impl PullSpecsOptions {
    fn split(self) -> Result<(Target, Filter, Option<String>, PullOptions)> {
        let mut kinds = Vec::new();
        for kind in &self.kinds {
            kinds.push(kind.parse::<Kind>().map_err(|e| {
                crate::Error::invalid_spec("pull-specs option `kinds`", e.to_string())
            })?);
        }
        Ok((
            Target {
                profile: self.profile,
                control_plane: self.control_plane,
            },
            Filter {
                names: self.names,
                prefixes: self.prefixes,
                kinds,
            },
            self.target,
            PullOptions {
                overwrite: self.overwrite,
                flat: self.flat,
            },
        ))
    }
}

fn live_spec(spec: &LiveSpec) -> Value {
    json!({
        "catalogName": spec.catalog_name,
        "catalogType": spec.catalog_type.singular(),
        "lastPubId": spec.last_pub_id.to_string(),
        "updatedAt": spec.updated_at,
        "dataPlaneId": spec.data_plane_id,
        "isDisabled": spec.is_disabled,
    })
}

/// Pulls live specs into local files ([`crate::client::live::pull_specs`]);
/// returns `{written, specs, files}`.
///
/// ```no_run
/// let pulled = flowspec::json_api::pull_specs(serde_json::json!({"profile": "local", "prefixes": ["acmeCo/"]}))?;
/// println!("{}", pulled["written"]);
/// # Ok::<(), flowspec::Error>(())
/// ```
pub fn pull_specs(options: Value) -> Result<Value> {
    let options: PullSpecsOptions = decode("pull-specs", options)?;
    let (target, filter, file, pull) = options.split()?;
    let connection = target.connection()?;
    let file = file.unwrap_or_else(|| "flow.yaml".to_string());
    let pulled = blocking(live::pull_specs(
        &connection,
        &filter,
        Path::new(&file),
        pull,
    ))?;
    Ok(json!({
        "written": pulled.written,
        "specs": pulled.specs.iter().map(live_spec).collect::<Vec<_>>(),
        "files": pulled.files.files.iter().map(|f| f.to_string_lossy()).collect::<Vec<_>>(),
    }))
}

/// Lists live specs; options as [`pull_specs`] (without `target`).
///
/// ```no_run
/// let specs = flowspec::json_api::list(serde_json::json!({"profile": "local", "kinds": ["collection"]}))?;
/// # Ok::<(), flowspec::Error>(())
/// ```
pub fn list(options: Value) -> Result<Value> {
    let options: PullSpecsOptions = decode("list", options)?;
    let (target, filter, _, _) = options.split()?;
    let connection = target.connection()?;
    let specs = blocking(live::list(&connection, &filter, false))?;
    Ok(Value::Array(specs.iter().map(live_spec).collect()))
}
