//! Drafts the user keeps, as flowctl's `draft` commands and `catalog
//! draft` use them: create one, list and describe them, author a catalog
//! into one, copy live (or historical) specs into one, pull one into local
//! files, and test or publish it. The CLI remembers the selected draft in
//! the profile's `draft` field, as flowctl does.
//!
//! Unlike `catalog publish`, whose draft lives only as long as the
//! command, these drafts are the user's: a failed test or publication
//! leaves the draft as it was, to be fixed and tried again.

use std::path::Path;
use std::sync::Mutex;

use serde::Serialize;
use serde_json::{json, Value};

use super::connection::Connection;
use super::draft::{resolved_specs, DraftSpec};
use super::live::{merge_into, PullOptions};
use super::postgrest::Request;
use super::publication::{
    encrypt_configs, publish_staged, read_id, stage, Observer, PublishOptions, Published,
    StagedSpec,
};
use super::{ClientError, FlowId};
use crate::write::Written;
use crate::{Catalog, Error, Kind, Result};

/// A draft, as `draft list` shows it.
///
/// ```
/// let d = flowspec::client::drafts::DraftInfo { id: "16db7c6be0000001".into(), created_at: String::new(),
///     updated_at: String::new(), detail: None, num_specs: 2 };
/// assert_eq!(serde_json::to_value(&d).unwrap()["numSpecs"], 2);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DraftInfo {
    /// Its id.
    pub id: String,
    /// When it was created.
    pub created_at: String,
    /// When it last changed.
    pub updated_at: String,
    /// Its description.
    pub detail: Option<String>,
    /// How many specs it holds.
    pub num_specs: i64,
}

/// A spec of a draft, as `draft describe` shows it ([`DraftSpecInfo::expectation`]
/// has an example).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DraftSpecInfo {
    /// The catalog name.
    pub catalog_name: String,
    /// Its type; `None` for a deletion.
    pub spec_type: Option<String>,
    /// The publication the live spec must have been last published by.
    pub expect_pub_id: Option<String>,
    /// The publication the live spec was last published by, if it is live.
    pub last_pub_id: Option<String>,
    /// When it was staged.
    pub updated_at: Option<String>,
}

impl DraftSpecInfo {
    /// flowctl's words for its expectation: `(any)`, the id, the id and
    /// `(stale; current is …)`, or `(does not exist)` for the zero id.
    ///
    /// ```
    /// use flowspec::client::drafts::DraftSpecInfo;
    /// let spec = DraftSpecInfo { catalog_name: "acmeCo/a".into(), spec_type: Some("collection".into()),
    ///     expect_pub_id: Some("0000000000000002".into()), last_pub_id: Some("0000000000000003".into()), updated_at: None };
    /// assert_eq!(spec.expectation(), "0000000000000002 (stale; current is 0000000000000003)");
    /// ```
    pub fn expectation(&self) -> String {
        match (&self.expect_pub_id, &self.last_pub_id) {
            (None, _) => "(any)".into(),
            (Some(e), _) if e.trim_start_matches(['0', ':']).is_empty() => {
                "(does not exist)".into()
            }
            (Some(e), Some(l)) if e != l => format!("{e} (stale; current is {l})"),
            (Some(e), _) => e.clone(),
        }
    }
}

/// An id as PostgREST gives it (`16:db:…` or hex), in flowspec's hex form.
fn id_text(value: &Value) -> Option<String> {
    let text = value.as_str()?;
    Some(
        text.parse::<FlowId>()
            .map(|id| id.to_string())
            .unwrap_or_else(|_| text.to_string()),
    )
}

/// The draft selected in the profile (its `draft` field, as flowctl keeps
/// it), or an error saying how to select one.
///
/// ```no_run
/// # async fn example(connection: flowspec::client::connection::Connection) -> flowspec::Result<()> {
/// let id = flowspec::client::drafts::selected(&connection).await?;
/// println!("working on draft {id}");
/// # Ok(()) }
/// ```
pub async fn selected(connection: &Connection) -> Result<FlowId> {
    let session = connection.session().await;
    let id = session.file.load()?.draft.ok_or_else(|| {
        Error::invalid_spec(
            "the selected draft",
            "no draft is selected: run `flowspec draft create` or `flowspec draft select --id ID`",
        )
    })?;
    id.parse::<FlowId>()
        .map_err(|e| Error::invalid_spec("the selected draft", e.to_string()))
}

/// Remembers `draft` as the profile's selected draft, or (with `None`)
/// clears the selection.
///
/// ```no_run
/// # async fn example(connection: flowspec::client::connection::Connection) -> flowspec::Result<()> {
/// use flowspec::client::drafts;
/// let id = drafts::create(&connection).await?;
/// drafts::remember(&connection, Some(id)).await?;
/// assert_eq!(drafts::selected(&connection).await?, id);
/// # Ok(()) }
/// ```
pub async fn remember(connection: &Connection, draft: Option<FlowId>) -> Result<()> {
    let session = connection.session().await;
    let mut profile = session.file.load()?;
    profile.draft = draft.map(|d| d.to_string());
    session.file.save(&profile)?;
    Ok(())
}

/// Creates an empty draft; returns its id.
///
/// ```no_run
/// # async fn example(connection: flowspec::client::connection::Connection) -> flowspec::Result<()> {
/// let id = flowspec::client::drafts::create(&connection).await?;
/// println!("Created draft: {id}");
/// # Ok(()) }
/// ```
pub async fn create(connection: &Connection) -> Result<FlowId> {
    let created = connection
        .postgrest(
            &Request::insert("drafts", json!({"detail": "Created by flowspec"}))
                .select(&["id", "created_at"])
                .single(),
        )
        .await?;
    Ok(read_id(&created["id"], "the new draft's id")?)
}

/// That the draft `id` exists (and is the user's).
///
/// ```no_run
/// # async fn example(connection: flowspec::client::connection::Connection) -> flowspec::Result<()> {
/// flowspec::client::drafts::select(&connection, "1a2b3c4d5e6f7081".parse().unwrap()).await?;
/// # Ok(()) }
/// ```
pub async fn select(connection: &Connection, id: FlowId) -> Result<()> {
    let rows = connection
        .postgrest(
            &Request::get("drafts")
                .select(&["id"])
                .eq("id", &id.to_string()),
        )
        .await?;
    if rows.as_array().is_none_or(Vec::is_empty) {
        return Err(Error::invalid_spec(
            format!("draft {id}"),
            format!("draft {id} does not exist"),
        ));
    }
    Ok(())
}

/// The user's drafts, oldest first.
///
/// ```no_run
/// # async fn example(connection: flowspec::client::connection::Connection) -> flowspec::Result<()> {
/// for draft in flowspec::client::drafts::list(&connection).await? {
///     println!("{} {} specs", draft.id, draft.num_specs);
/// }
/// # Ok(()) }
/// ```
pub async fn list(connection: &Connection) -> Result<Vec<DraftInfo>> {
    let rows = connection
        .postgrest(&Request::get("drafts_ext").select(&[
            "created_at",
            "detail",
            "id",
            "num_specs",
            "updated_at",
        ]))
        .await?;
    let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
    let mut out: Vec<DraftInfo> = rows
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| DraftInfo {
            id: id_text(&r["id"]).unwrap_or_default(),
            created_at: text(&r["created_at"]),
            updated_at: text(&r["updated_at"]),
            detail: r["detail"].as_str().map(str::to_string),
            num_specs: r["num_specs"].as_i64().unwrap_or(0),
        })
        .collect();
    out.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(out)
}

/// The specs of the draft `id`, by name.
///
/// ```no_run
/// # async fn example(connection: flowspec::client::connection::Connection) -> flowspec::Result<()> {
/// let id = flowspec::client::drafts::create(&connection).await?;
/// assert!(flowspec::client::drafts::describe(&connection, id).await?.is_empty());
/// # Ok(()) }
/// ```
pub async fn describe(connection: &Connection, id: FlowId) -> Result<Vec<DraftSpecInfo>> {
    let rows = connection
        .postgrest(
            &Request::get("draft_specs_ext")
                .select(&[
                    "catalog_name",
                    "detail",
                    "expect_pub_id",
                    "last_pub_id",
                    "spec_type",
                    "updated_at",
                ])
                .eq("draft_id", &id.to_string()),
        )
        .await?;
    let text = |v: &Value| v.as_str().map(str::to_string);
    let mut out: Vec<DraftSpecInfo> = rows
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| DraftSpecInfo {
            catalog_name: text(&r["catalog_name"]).unwrap_or_default(),
            spec_type: text(&r["spec_type"]),
            expect_pub_id: id_text(&r["expect_pub_id"]),
            last_pub_id: id_text(&r["last_pub_id"]),
            updated_at: text(&r["updated_at"]),
        })
        .collect();
    out.sort_by(|a, b| a.catalog_name.cmp(&b.catalog_name));
    Ok(out)
}

/// Replaces the specs of the draft `id` with those of `catalog` (loaded
/// from `source`): validated, the draft cleared, endpoint configs
/// encrypted by the control plane's service, then staged. Returns how
/// many specs were staged.
///
/// ```no_run
/// # async fn example(connection: flowspec::client::connection::Connection) -> flowspec::Result<()> {
/// use flowspec::client::{drafts, publication::{PublishOptions, Quiet}};
/// let catalog = flowspec::Catalog::load("flow.yaml")?;
/// let id = drafts::create(&connection).await?;
/// drafts::author(&connection, id, &catalog, "flow.yaml".as_ref(), &PublishOptions::default(), &mut Quiet).await?;
/// # Ok(()) }
/// ```
pub async fn author(
    connection: &Connection,
    id: FlowId,
    catalog: &Catalog,
    source: &Path,
    options: &PublishOptions,
    observer: &mut dyn Observer,
) -> Result<usize> {
    catalog.validate()?;
    let mut specs = resolved_specs(catalog, source)?;
    select(connection, id).await?;
    connection
        .postgrest(
            &Request::delete("draft_specs")
                .select(&["catalog_name"])
                .eq("draft_id", &id.to_string()),
        )
        .await?;
    encrypt_configs(
        connection,
        &mut specs,
        options.keep_sops,
        options.identities.clone(),
        observer,
    )
    .await?;
    stage(connection, id, &specs, observer).await?;
    Ok(specs.len())
}

/// Copies the live spec `name` into the draft `id`, as `catalog draft`
/// does: its model as last published, or as the publication
/// `publication` published it, or (with `delete`) its deletion; expecting
/// its last publication.
///
/// ```no_run
/// # async fn example(connection: flowspec::client::connection::Connection) -> flowspec::Result<()> {
/// let id = flowspec::client::drafts::create(&connection).await?;
/// flowspec::client::drafts::add_live(&connection, id, "acmeCo/anvils", None, false).await?;
/// # Ok(()) }
/// ```
pub async fn add_live(
    connection: &Connection,
    id: FlowId,
    name: &str,
    publication: Option<FlowId>,
    delete: bool,
) -> Result<()> {
    const QUERY: &str = "query DraftFromPublicationQuery($name: Name!, $publication_id: Id!) {
  liveSpecs(by: {names: [$name]}) {
    edges {
      node {
        lastPublication {
          publicationId
        }
        publicationForId(id: $publication_id) {
          catalogType
          model
        }
      }
    }
  }
}
";
    let live = super::live::list(
        connection,
        &super::live::Filter {
            names: vec![name.to_string()],
            ..Default::default()
        },
        false,
    )
    .await?;
    let last = live[0].last_pub_id;
    let wanted = publication.unwrap_or(last);
    let data = connection
        .graphql(
            "DraftFromPublicationQuery",
            QUERY,
            json!({"name": name, "publication_id": wanted.to_string()}),
        )
        .await?;
    let found = &data["liveSpecs"]["edges"][0]["node"]["publicationForId"];
    let (spec_type, spec) = if delete {
        (None, None)
    } else {
        if found.is_null() {
            return Err(Error::invalid_spec(
                format!("publication {wanted}"),
                format!("{name} was not published by publication {wanted}"),
            ));
        }
        let kind = found["catalogType"]
            .as_str()
            .and_then(|k| k.parse::<Kind>().ok());
        (kind, Some(found["model"].clone()).filter(|m| !m.is_null()))
    };
    let spec = DraftSpec {
        catalog_name: name.to_string(),
        spec_type: spec_type.filter(|_| spec.is_some()),
        spec,
        expect_pub_id: Some(last),
    };
    stage(connection, id, &[spec], &mut super::publication::Quiet).await?;
    Ok(())
}

/// Pulls the specs of the draft `id` into the catalog at `target`, with
/// `pull-specs`' layout policy, each carrying its `expectPubId`. Returns
/// how many specs were written, and the files.
///
/// ```no_run
/// # async fn example(connection: flowspec::client::connection::Connection) -> flowspec::Result<()> {
/// use flowspec::client::{drafts, live::PullOptions};
/// let id = drafts::create(&connection).await?;
/// let (written, _) = drafts::develop(&connection, id, "dev/flow.yaml".as_ref(), PullOptions::default()).await?;
/// println!("wrote {written} specs");
/// # Ok(()) }
/// ```
pub async fn develop(
    connection: &Connection,
    id: FlowId,
    target: &Path,
    options: PullOptions,
) -> Result<(usize, Written)> {
    let rows = connection
        .postgrest(
            &Request::get("draft_specs")
                .select(&["catalog_name", "spec_type", "spec", "expect_pub_id"])
                .eq("draft_id", &id.to_string()),
        )
        .await?;
    let mut document = json!({});
    for row in rows.as_array().into_iter().flatten() {
        let (Some(name), Some(kind), Value::Object(model)) = (
            row["catalog_name"].as_str(),
            row["spec_type"]
                .as_str()
                .and_then(|k| k.parse::<Kind>().ok()),
            &row["spec"],
        ) else {
            continue;
        };
        let mut model = model.clone();
        if let Some(expect) = row["expect_pub_id"].as_str() {
            model.insert("expectPubId".into(), json!(expect));
        }
        document[kind.plural()][name] = Value::Object(model);
    }
    let pulled: Catalog = serde_json::from_value(document).map_err(|e| {
        Error::invalid_spec(
            format!("draft {id}"),
            format!("its specs do not parse as catalog models: {e}"),
        )
    })?;
    merge_into(pulled, target, options)
}

/// Tests (with `options.dry_run`) or publishes the draft `id` as it is
/// staged. The draft stays as it was when the publication fails or
/// nothing is published; a successful publication deletes it.
///
/// ```no_run
/// # async fn example(connection: flowspec::client::connection::Connection) -> flowspec::Result<()> {
/// use flowspec::client::{drafts, publication::{PublishOptions, Quiet}};
/// let id = drafts::create(&connection).await?;
/// let published = drafts::publish(&connection, id, &PublishOptions::default(), &mut Quiet).await?;
/// println!("{}", published.status);
/// # Ok(()) }
/// ```
pub async fn publish(
    connection: &Connection,
    id: FlowId,
    options: &PublishOptions,
    observer: &mut dyn Observer,
) -> Result<Published> {
    select(connection, id).await?;
    let rows = connection
        .postgrest(
            &Request::get("draft_specs")
                .select(&["catalog_name", "spec_type"])
                .eq("draft_id", &id.to_string()),
        )
        .await?;
    let mut staged: Vec<StagedSpec> = rows
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| StagedSpec {
            catalog_name: r["catalog_name"].as_str().unwrap_or_default().to_string(),
            spec_type: r["spec_type"].as_str().map(str::to_string),
        })
        .collect();
    staged.sort_by(|a, b| a.catalog_name.cmp(&b.catalog_name));
    if staged.is_empty() {
        return Err(ClientError::Cancelled(format!("draft {id} has no specs to publish")).into());
    }
    // The draft is the user's: never deleted here.
    let kept = Mutex::new(None);
    publish_staged(connection, id, staged, None, options, observer, &kept).await
}
