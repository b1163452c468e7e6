//! `catalog history`: the publications of a spec, newest first, as
//! flowctl's `PublicationHistoryQuery` reads them (GraphQL `liveSpecs`,
//! then each spec's `publicationHistory`, in pages).

use serde::Serialize;
use serde_json::{json, Value};

use super::connection::Connection;
use super::ClientError;
use crate::Result;

const HISTORY_QUERY: &str = "query PublicationHistoryQuery($catalog_name: Name!, $include_models: Boolean!, $after: String, $first: Int!) {
  liveSpecs(by: {names: [$catalog_name]}) {
    edges {
      node {
        publicationHistory(after: $after, first: $first) {
          edges {
            node {
              detail
              model @include(if: $include_models)
              publicationId
              publishedAt
              userEmail
              userFullName
              userId
              userAvatarUrl
            }
          }
          pageInfo {
            hasNextPage
            endCursor
          }
        }
      }
    }
  }
}
";

/// One publication of a spec.
///
/// ```
/// let item: flowspec::client::history::HistoryItem = serde_json::from_value(serde_json::json!({
///     "publicationId": "16db665a7a000001", "publishedAt": "2026-12-03T23:00:00Z", "userEmail": "a@b.c",
/// })).unwrap();
/// assert_eq!(item.publication_id, "16db665a7a000001");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryItem {
    /// The publication that published it.
    pub publication_id: String,
    /// When.
    pub published_at: String,
    /// Who, by email.
    #[serde(default)]
    pub user_email: Option<String>,
    /// Who, by name.
    #[serde(default)]
    pub user_full_name: Option<String>,
    /// The publication's description.
    #[serde(default)]
    pub detail: Option<String>,
    /// The model it published (when asked for; `null` for a deletion).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<Value>,
}

/// The publications of `name`, newest first; `models` asks for the model
/// each one published. A name that was never published is an error
/// (`live_spec_not_found`); a deleted spec has its history, ending with
/// the deletion.
///
/// ```no_run
/// # async fn example(connection: flowspec::client::connection::Connection) -> flowspec::Result<()> {
/// for item in flowspec::client::history::history(&connection, "acmeCo/anvils", false).await? {
///     println!("{} {}", item.publication_id, item.published_at);
/// }
/// # Ok(()) }
/// ```
pub async fn history(
    connection: &Connection,
    name: &str,
    models: bool,
) -> Result<Vec<HistoryItem>> {
    let mut out = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let variables = json!({
            "catalog_name": name,
            "include_models": models,
            "after": after,
            "first": 50,
        });
        let data = connection
            .graphql("PublicationHistoryQuery", HISTORY_QUERY, variables)
            .await?;
        let page = data
            .pointer("/liveSpecs/edges/0/node/publicationHistory")
            .filter(|p| !p.is_null())
            .ok_or_else(|| ClientError::NotLive(name.to_string()))?;
        for edge in page["edges"].as_array().into_iter().flatten() {
            let item: HistoryItem =
                serde_json::from_value(edge["node"].clone()).map_err(|e| ClientError::Refused {
                    call: "GraphQL PublicationHistoryQuery".into(),
                    status: "200 OK".into(),
                    message: format!("a publicationHistory item does not parse: {e}"),
                })?;
            out.push(item);
        }
        let info = &page["pageInfo"];
        match (info["hasNextPage"].as_bool(), info["endCursor"].as_str()) {
            (Some(true), Some(cursor)) => after = Some(cursor.to_string()),
            _ => break,
        }
    }
    Ok(out)
}
