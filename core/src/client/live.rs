//! What is live on the control plane, as flowctl reads it (GraphQL
//! `liveSpecs`, 0.6 release line): `catalog list`, `catalog pull-specs`
//! and the selection of `catalog delete`.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::{json, Value};

use super::connection::Connection;
use super::draft::DraftSpec;
use super::publication::{self, Observer, PublishOptions, Published};
use super::{ClientError, FlowId};
use crate::write::{Layout, WriteOptions, Written};
use crate::{Catalog, Error, Kind, Result};

/// Which live specs: by name or by prefix (neither: every prefix the user
/// can read), and of which kinds (none: every kind).
///
/// ```
/// let filter = flowspec::client::live::Filter { prefixes: vec!["acmeCo".into()], ..Default::default() };
/// assert_eq!(filter.prefixes(), ["acmeCo/"]);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Exact catalog names.
    pub names: Vec<String>,
    /// Name prefixes (a missing final `/` is added).
    pub prefixes: Vec<String>,
    /// Kinds to include; empty for all.
    pub kinds: Vec<Kind>,
}

impl Filter {
    /// The prefixes, each ending in `/`.
    pub fn prefixes(&self) -> Vec<String> {
        self.prefixes
            .iter()
            .map(|p| {
                if p.ends_with('/') {
                    p.clone()
                } else {
                    format!("{p}/")
                }
            })
            .collect()
    }

    fn admits(&self, kind: Option<Kind>) -> bool {
        self.kinds.is_empty() || kind.is_some_and(|k| self.kinds.contains(&k))
    }
}

/// A live spec.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LiveSpec {
    /// Its name.
    pub catalog_name: String,
    /// Its kind.
    pub catalog_type: Kind,
    /// The publication that last changed it.
    pub last_pub_id: FlowId,
    /// When it last changed (RFC 3339).
    pub updated_at: String,
    /// Its data plane.
    pub data_plane_id: Option<String>,
    /// Whether its shards are disabled.
    pub is_disabled: bool,
    /// The model, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<Value>,
}

const LIST_QUERY: &str = "query ListLiveSpecsQuery($by: LiveSpecsBy!, $after: String, $first: Int, $include_models: Boolean!, $include_flows: Boolean!, $include_last_publication: Boolean!) {
  liveSpecs(by: $by, after: $after, first: $first) {
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        catalogName
        userCapability
        lastPublication @include(if: $include_last_publication) {
          userEmail
          userId
          userFullName
        }
        liveSpec {
          isDisabled
          dataPlaneId
          lastPubId
          liveSpecId
          catalogType
          updatedAt
          model @include(if: $include_models)
          readsFrom @include(if: $include_flows) {
            edges {
              node {
                catalogName
              }
            }
          }
          writesTo @include(if: $include_flows) {
            edges {
              node {
                catalogName
              }
            }
          }
        }
      }
    }
  }
}
";

const PREFIXES_QUERY: &str =
    "query ListAuthorizedPrefixes($min_capability: Capability!, $after: String, $first: Int!) {
  prefixes(by: {minCapability: $min_capability}, after: $after, first: $first) {
    pageInfo {
      endCursor
    }
    edges {
      cursor
      node {
        prefix
        userCapability
      }
    }
  }
}
";

/// The live specs that `filter` selects, sorted by name; `models` asks for
/// each spec's model. A name that is not live is an error
/// (`live_spec_not_found`).
///
/// ```no_run
/// # async fn example(connection: flowspec::client::connection::Connection) -> flowspec::Result<()> {
/// use flowspec::client::live::{list, Filter};
/// let specs = list(&connection, &Filter { prefixes: vec!["acmeCo/".into()], ..Filter::default() }, false).await?;
/// for spec in specs {
///     println!("{} {}", spec.catalog_name, spec.last_pub_id);
/// }
/// # Ok(()) }
/// ```
pub async fn list(connection: &Connection, filter: &Filter, models: bool) -> Result<Vec<LiveSpec>> {
    let (found, missing) = query(connection, filter, models).await?;
    if let Some(name) = missing.into_iter().next() {
        return Err(ClientError::NotLive(name).into());
    }
    Ok(found)
}

/// The live specs that `filter` selects, as [`list`] gives them, leaving
/// out names that are not live.
///
/// ```no_run
/// # async fn example(connection: flowspec::client::connection::Connection) -> flowspec::Result<()> {
/// use flowspec::client::live::{find, Filter};
/// let specs = find(&connection, &Filter { names: vec!["acmeCo/maybe".into()], ..Filter::default() }, true).await?;
/// assert!(specs.len() <= 1);
/// # Ok(()) }
/// ```
pub async fn find(connection: &Connection, filter: &Filter, models: bool) -> Result<Vec<LiveSpec>> {
    Ok(query(connection, filter, models).await?.0)
}

/// The live specs `filter` selects, and the names it gives that are not live.
async fn query(
    connection: &Connection,
    filter: &Filter,
    models: bool,
) -> Result<(Vec<LiveSpec>, Vec<String>)> {
    let mut queries: Vec<Value> = Vec::new();
    if !filter.names.is_empty() {
        queries.push(json!({"names": filter.names, "prefix": null, "catalogType": null, "dataPlaneName": null}));
    }
    let mut prefixes = filter.prefixes();
    if filter.names.is_empty() && prefixes.is_empty() {
        prefixes = authorized_prefixes(connection).await?;
    }
    for prefix in prefixes {
        queries.push(
            json!({"names": null, "prefix": prefix, "catalogType": null, "dataPlaneName": null}),
        );
    }
    let mut found = Vec::new();
    let mut seen = BTreeSet::new();
    let mut missing = Vec::new();
    for by in queries {
        let mut after: Option<String> = None;
        loop {
            let variables = json!({
                "by": by,
                "after": after,
                "first": if models { 50 } else { 200 },
                "include_models": models,
                "include_flows": false,
                "include_last_publication": false,
            });
            let data = connection
                .graphql("ListLiveSpecsQuery", LIST_QUERY, variables)
                .await?;
            let page = &data["liveSpecs"];
            for edge in page["edges"].as_array().into_iter().flatten() {
                let node = &edge["node"];
                let name = node["catalogName"].as_str().unwrap_or_default().to_string();
                let live = &node["liveSpec"];
                if live.is_null() {
                    missing.push(name);
                    continue;
                }
                let kind = live["catalogType"]
                    .as_str()
                    .and_then(|k| k.parse::<Kind>().ok());
                let (Some(kind), true) = (kind, filter.admits(kind)) else {
                    continue;
                };
                if !seen.insert(name.clone()) {
                    continue;
                }
                found.push(LiveSpec {
                    catalog_name: name,
                    catalog_type: kind,
                    last_pub_id: live["lastPubId"]
                        .as_str()
                        .and_then(|s| s.parse().ok())
                        .unwrap_or(FlowId::ZERO),
                    updated_at: live["updatedAt"].as_str().unwrap_or_default().to_string(),
                    data_plane_id: live["dataPlaneId"].as_str().map(str::to_string),
                    is_disabled: live["isDisabled"].as_bool().unwrap_or(false),
                    model: models.then(|| live["model"].clone()),
                });
            }
            let info = &page["pageInfo"];
            match (info["hasNextPage"].as_bool(), info["endCursor"].as_str()) {
                (Some(true), Some(cursor)) => after = Some(cursor.to_string()),
                _ => break,
            }
        }
    }
    found.sort_by(|a, b| a.catalog_name.cmp(&b.catalog_name));
    Ok((found, missing))
}

/// The prefixes the user may read.
async fn authorized_prefixes(connection: &Connection) -> Result<Vec<String>, ClientError> {
    let mut out = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let data = connection
            .graphql(
                "ListAuthorizedPrefixes",
                PREFIXES_QUERY,
                json!({"min_capability": "read", "after": after, "first": 100}),
            )
            .await?;
        let page = &data["prefixes"];
        let edges = page["edges"].as_array().cloned().unwrap_or_default();
        for edge in &edges {
            if let Some(prefix) = edge["node"]["prefix"].as_str() {
                out.push(prefix.to_string());
            }
        }
        match page["pageInfo"]["endCursor"].as_str() {
            Some(cursor) if !edges.is_empty() && Some(cursor) != after.as_deref() => {
                after = Some(cursor.to_string())
            }
            _ => break,
        }
    }
    Ok(out)
}

/// Live specs as a catalog, each carrying `expectPubId` = its last
/// publication, so that publishing an edit of it fails if someone else
/// published it meanwhile.
///
/// ```
/// use flowspec::client::live::{catalog_of, LiveSpec};
/// let spec = LiveSpec {
///     catalog_name: "acmeCo/anvils".into(), catalog_type: flowspec::Kind::Collection,
///     last_pub_id: "00000000000abcde".parse().unwrap(), updated_at: String::new(),
///     data_plane_id: None, is_disabled: false,
///     model: Some(serde_json::json!({"schema": {"type": "object"}, "key": ["/id"]})),
/// };
/// let catalog = catalog_of(&[spec])?;
/// assert_eq!(catalog.collections["acmeCo/anvils"].expect_pub_id.as_ref().unwrap().as_str(), "00000000000abcde");
/// # Ok::<(), flowspec::Error>(())
/// ```
pub fn catalog_of(specs: &[LiveSpec]) -> Result<Catalog> {
    let mut document = json!({});
    for spec in specs {
        let Some(Value::Object(model)) = &spec.model else {
            continue;
        };
        let mut model = model.clone();
        model.insert("expectPubId".into(), json!(spec.last_pub_id.to_string()));
        document[spec.catalog_type.plural()][&spec.catalog_name] = Value::Object(model);
    }
    serde_json::from_value(document).map_err(|e| {
        Error::invalid_spec(
            "the live specs".to_string(),
            format!("they do not parse as catalog models: {e}"),
        )
    })
}

/// How `pull_specs` treats specs that already are in the local catalog.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PullOptions {
    /// Replace local specs with the live ones, in the files they are in
    /// (else they are left as they are).
    pub overwrite: bool,
    /// Write specs that are not local yet into the target file itself,
    /// rather than in the canonical layout (a `flow.yaml` per prefix).
    pub flat: bool,
}

/// What `pull_specs` did.
#[derive(Debug, Clone, PartialEq)]
pub struct Pulled {
    /// The specs pulled.
    pub specs: Vec<LiveSpec>,
    /// How many of them were written (new, or overwritten).
    pub written: usize,
    /// The files.
    pub files: Written,
}

/// Pulls the live specs `filter` selects into the catalog at `target`
/// (created when missing), as `catalog pull-specs` does.
///
/// ```no_run
/// # async fn example(connection: flowspec::client::connection::Connection) -> flowspec::Result<()> {
/// use flowspec::client::live::{pull_specs, Filter, PullOptions};
/// let filter = Filter { prefixes: vec!["acmeCo/".into()], ..Filter::default() };
/// let pulled = pull_specs(&connection, &filter, "flow.yaml".as_ref(), PullOptions::default()).await?;
/// println!("wrote {} specs", pulled.written);
/// # Ok(()) }
/// ```
pub async fn pull_specs(
    connection: &Connection,
    filter: &Filter,
    target: &Path,
    options: PullOptions,
) -> Result<Pulled> {
    let specs = list(connection, filter, true).await?;
    let pulled = catalog_of(&specs)?;
    let (written, files) = merge_into(pulled, target, options)?;
    Ok(Pulled {
        specs,
        written,
        files,
    })
}

/// Merges `pulled` into the catalog at `target` (created when missing)
/// with flowctl's layout policy, as `pull-specs` and `draft develop` do:
/// how many specs were written, and the files.
pub(crate) fn merge_into(
    pulled: Catalog,
    target: &Path,
    options: PullOptions,
) -> Result<(usize, Written)> {
    let mut local = if target.exists() {
        crate::load::load(&target.to_string_lossy())?
    } else {
        Catalog::default()
    };
    let mut written = 0;
    macro_rules! merge {
        ($field:ident) => {
            for (name, def) in pulled.$field {
                match local.$field.get_mut(&name) {
                    Some(existing) if options.overwrite => {
                        *existing = def;
                        written += 1;
                    }
                    Some(_) => {}
                    None => {
                        local.$field.insert(name, def);
                        written += 1;
                    }
                }
            }
        };
    }
    merge!(captures);
    merge!(collections);
    merge!(materializations);
    merge!(tests);
    let layout = if options.flat {
        Layout::Flat
    } else {
        Layout::Canonical
    };
    // Specs the project already has stay in their files; only the new
    // ones are placed by the layout.
    let files = local.write_with(
        target,
        &WriteOptions {
            layout,
            keep_placement: true,
            ..WriteOptions::default()
        },
    )?;
    Ok((written, files))
}

/// Deletes the live specs `filter` selects, as `catalog delete` does: one
/// publication that stages a deletion of each, expecting its last
/// publication. Returns the publication and the specs deleted.
///
/// ```no_run
/// # async fn example(connection: flowspec::client::connection::Connection) -> flowspec::Result<()> {
/// use flowspec::client::{live::{delete, Filter}, publication::{PublishOptions, Quiet}};
/// let filter = Filter { names: vec!["acmeCo/old".into()], ..Filter::default() };
/// let (_, deleted) = delete(&connection, &filter, &PublishOptions::default(), &mut Quiet).await?;
/// assert_eq!(deleted.len(), 1);
/// # Ok(()) }
/// ```
pub async fn delete(
    connection: &Connection,
    filter: &Filter,
    options: &PublishOptions,
    observer: &mut dyn Observer,
) -> Result<(Published, Vec<LiveSpec>)> {
    let specs = list(connection, filter, false).await?;
    if specs.is_empty() {
        return Err(ClientError::NotLive(
            filter
                .names
                .first()
                .or(filter.prefixes.first())
                .cloned()
                .unwrap_or_else(|| "any name".into()),
        )
        .into());
    }
    let deletions: Vec<DraftSpec> = specs
        .iter()
        .map(|s| DraftSpec {
            catalog_name: s.catalog_name.clone(),
            spec_type: None,
            spec: None,
            expect_pub_id: Some(s.last_pub_id),
        })
        .collect();
    let published = publication::publish_specs(connection, deletions, options, observer).await?;
    Ok((published, specs))
}
