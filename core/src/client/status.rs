//! `catalog status`: the status of live specs, as flowctl's
//! `ConnectedStatusQuery` reads it (GraphQL `liveSpecs` by names, with the
//! specs connected to them when asked).

use std::collections::BTreeSet;

use serde::Serialize;
use serde_json::{json, Value};

use super::connection::Connection;
use super::ClientError;
use crate::Result;

const STATUS_QUERY: &str =
    "query ConnectedStatusQuery($names: [String!], $connected: Boolean!, $fullStatus: Boolean!) {
  liveSpecs(by: {names: $names}) {
    edges {
      node {
        catalogName
        userCapability
        liveSpec {
          updatedAt
          catalogType
          readsFrom @include(if: $connected) {
            edges {
              node {
                catalogName
              }
            }
          }
          writesTo @include(if: $connected) {
            edges {
              node {
                catalogName
              }
            }
          }
          readBy @include(if: $connected) {
            edges {
              node {
                catalogName
              }
            }
          }
          writtenBy @include(if: $connected) {
            edges {
              node {
                catalogName
              }
            }
          }
          sourceCapture @include(if: $connected) {
            catalogName
          }
        }
        status {
          type
          summary
          controller @include(if: $fullStatus) {
            updatedAt
            error
            failures
            nextRun
          }
        }
      }
    }
  }
}
";

/// The status of one live spec.
///
/// ```
/// let status = flowspec::client::status::SpecStatus {
///     catalog_name: "acmeCo/anvils".into(), catalog_type: Some("collection".into()),
///     status: Some("OK".into()), summary: Some("Ok".into()), updated_at: None, controller: None,
/// };
/// assert_eq!(status.status.as_deref(), Some("OK"));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SpecStatus {
    /// Its name.
    pub catalog_name: String,
    /// Its type.
    pub catalog_type: Option<String>,
    /// The status: `OK`, `WARNING`, `ERROR` or `TASK_DISABLED`.
    pub status: Option<String>,
    /// What it says, for people.
    pub summary: Option<String>,
    /// When the live spec last changed.
    pub updated_at: Option<String>,
    /// The controller's status, with `full`, when the control plane has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub controller: Option<Value>,
}

/// The status of each of `names`, sorted by name; with `connected`, of the
/// specs they read from, write to, are read by or written by (and a
/// materialization's source capture) too. `full` asks for the
/// controller's status. A name that is not live is an error
/// (`live_spec_not_found`).
///
/// ```no_run
/// # async fn example(connection: flowspec::client::connection::Connection) -> flowspec::Result<()> {
/// let statuses = flowspec::client::status::status(&connection, &["acmeCo/anvils".into()], true, false).await?;
/// for s in statuses {
///     println!("{} {:?}", s.catalog_name, s.status);
/// }
/// # Ok(()) }
/// ```
pub async fn status(
    connection: &Connection,
    names: &[String],
    connected: bool,
    full: bool,
) -> Result<Vec<SpecStatus>> {
    let mut out: Vec<SpecStatus> = Vec::new();
    let mut asked: BTreeSet<String> = names.iter().cloned().collect();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut first = true;
    while !asked.is_empty() {
        let batch: Vec<String> = std::mem::take(&mut asked).into_iter().collect();
        let data = connection
            .graphql(
                "ConnectedStatusQuery",
                STATUS_QUERY,
                json!({"names": batch, "connected": connected && first, "fullStatus": full}),
            )
            .await?;
        for edge in data["liveSpecs"]["edges"].as_array().into_iter().flatten() {
            let node = &edge["node"];
            let name = node["catalogName"].as_str().unwrap_or_default().to_string();
            let live = &node["liveSpec"];
            if live.is_null() {
                if first {
                    return Err(ClientError::NotLive(name).into());
                }
                continue;
            }
            if !seen.insert(name.clone()) {
                continue;
            }
            if connected && first {
                for field in ["readsFrom", "writesTo", "readBy", "writtenBy"] {
                    for other in live[field]["edges"].as_array().into_iter().flatten() {
                        if let Some(n) = other["node"]["catalogName"].as_str() {
                            asked.insert(n.to_string());
                        }
                    }
                }
                if let Some(capture) = live["sourceCapture"]["catalogName"].as_str() {
                    asked.insert(capture.to_string());
                }
            }
            let text = |v: &Value| v.as_str().map(str::to_string);
            out.push(SpecStatus {
                catalog_name: name,
                catalog_type: text(&live["catalogType"]),
                status: text(&node["status"]["type"]),
                summary: text(&node["status"]["summary"]),
                updated_at: text(&live["updatedAt"]),
                controller: Some(node["status"]["controller"].clone()).filter(|c| !c.is_null()),
            });
        }
        asked.retain(|n| !seen.contains(n));
        first = false;
    }
    out.sort_by(|a, b| a.catalog_name.cmp(&b.catalog_name));
    Ok(out)
}
