//! What is live, and what it runs on: `liveSpecs` (with each spec's
//! model, data flows, status and publication history), `prefixes`,
//! `dataPlanes`, `storageMappings`, and the endpoint schemas of connectors
//! (`connectorSpec`, and the older `connector { connectorTag }`).

use async_graphql::{Context, InputObject, Object, SimpleObject};
use rusqlite::{params, OptionalExtension, Row};

use super::db;
use super::page::{connection, paginate, Order, PageArgs};
use super::scalars::{Capability, CatalogType, DateTime, Id, Json, Name, Prefix, Uuid};
use super::status::{LiveSpecStatus, StatusSummaryType};
use crate::store::LOCAL_DATA_PLANE;

/// A row of `live_specs`.
#[derive(Debug, Clone)]
pub(crate) struct LiveRow {
    id: String,
    catalog_name: String,
    spec_type: Option<String>,
    spec: Option<String>,
    last_pub_id: String,
    last_build_id: String,
    data_plane_id: Option<String>,
    reads_from: String,
    writes_to: String,
    created_at: String,
    updated_at: String,
}

/// The columns [`live_row`] reads.
const LIVE_COLUMNS: &str =
    "l.id, l.catalog_name, l.spec_type, l.spec, l.last_pub_id, l.last_build_id, \
     l.data_plane_id, l.reads_from, l.writes_to, l.created_at, l.updated_at";

fn live_row(r: &Row<'_>) -> rusqlite::Result<LiveRow> {
    Ok(LiveRow {
        id: r.get(0)?,
        catalog_name: r.get(1)?,
        spec_type: r.get(2)?,
        spec: r.get(3)?,
        last_pub_id: r.get(4)?,
        last_build_id: r.get(5)?,
        data_plane_id: r.get(6)?,
        reads_from: r.get(7)?,
        writes_to: r.get(8)?,
        created_at: r.get(9)?,
        updated_at: r.get(10)?,
    })
}

/// The live spec row of `name`, if any (deleted ones included).
fn load_row(ctx: &Context<'_>, name: &str) -> async_graphql::Result<Option<LiveRow>> {
    db(ctx, |tx| {
        tx.query_row(
            &format!("select {LIVE_COLUMNS} from live_specs l where l.catalog_name = ?1"),
            params![name],
            live_row,
        )
        .optional()
    })
}

/// Parses an id the store wrote.
fn stored_id(text: &str) -> async_graphql::Result<Id> {
    text.parse()
        .map(Id)
        .map_err(|_| format!("the store holds an invalid id {text:?}").into())
}

/// Parses JSON text the store wrote, keeping its key order.
pub(crate) fn stored_json(text: &str) -> async_graphql::Result<Json> {
    serde_json::from_str(text)
        .map(Json)
        .map_err(|e| format!("the store holds invalid JSON: {e}").into())
}

/// A reference to a catalog name, live or not.
pub(crate) struct LiveSpecRef {
    name: String,
    row: Option<LiveRow>,
}

impl LiveSpecRef {
    /// The reference to `name`, with its live spec if there is one.
    pub(crate) fn load(ctx: &Context<'_>, name: &str) -> async_graphql::Result<LiveSpecRef> {
        Ok(LiveSpecRef {
            name: name.to_string(),
            row: load_row(ctx, name)?,
        })
    }

    /// The row of a spec that is live (not deleted).
    fn live(&self) -> Option<&LiveRow> {
        self.row
            .as_ref()
            .filter(|r| r.spec.is_some() && r.spec_type.is_some())
    }
}

/// A publication of a spec, from its history.
#[derive(SimpleObject, Debug, Clone)]
pub(crate) struct SpecPublicationHistoryItem {
    /// The publication's id.
    publication_id: Id,
    /// When it was published.
    published_at: DateTime,
    /// Who published it.
    user_id: Uuid,
    /// Their email.
    user_email: Option<String>,
    /// Their name (unknown locally).
    user_full_name: Option<String>,
    /// Their avatar (unknown locally).
    user_avatar_url: Option<String>,
    /// The publication's description.
    detail: Option<String>,
    /// The model published (null for a deletion).
    model: Option<Json>,
    /// The type of the spec published (null for a deletion).
    catalog_type: Option<CatalogType>,
}

connection!(
    SpecPublicationHistoryItemConnection,
    SpecPublicationHistoryItemEdge,
    SpecPublicationHistoryItem
);

/// The history of `live_spec_id`, newest first, optionally only `pub_id`.
fn history(
    ctx: &Context<'_>,
    live_spec_id: &str,
    pub_id: Option<&str>,
) -> async_graphql::Result<Vec<(String, SpecPublicationHistoryItem)>> {
    type HistoryRow = (
        String,
        String,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    );
    let rows: Vec<HistoryRow> = db(ctx, |tx| {
        let mut stmt = tx.prepare(
                "select p.pub_id, p.published_at, p.user_id, u.email, p.detail, p.spec, p.spec_type \
                 from publication_specs p left join users u on u.id = p.user_id \
                 where p.live_spec_id = ?1 and (?2 is null or p.pub_id = ?2) order by p.pub_id desc",
            )?;
        let rows = stmt.query_map(params![live_spec_id, pub_id], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
            ))
        })?;
        rows.collect()
    })?;
    rows.into_iter()
        .map(|(pub_id, at, user, email, detail, spec, spec_type)| {
            Ok((
                pub_id.clone(),
                SpecPublicationHistoryItem {
                    publication_id: stored_id(&pub_id)?,
                    published_at: DateTime(at),
                    user_id: Uuid(user),
                    user_email: email,
                    user_full_name: None,
                    user_avatar_url: None,
                    detail,
                    model: spec.as_deref().map(stored_json).transpose()?,
                    catalog_type: spec_type.as_deref().and_then(CatalogType::parse),
                },
            ))
        })
        .collect()
}

#[Object]
impl LiveSpecRef {
    /// The catalog name.
    async fn catalog_name(&self) -> Name {
        Name(self.name.clone())
    }

    /// The user's capability to it: the local user administers everything.
    async fn user_capability(&self) -> Option<Capability> {
        Some(Capability::Admin)
    }

    /// The live spec, unless there is none or it was deleted.
    async fn live_spec(&self) -> Option<LiveSpec> {
        self.live().cloned().map(|row| LiveSpec { row })
    }

    /// Its status: a local control plane runs no controllers, so a live
    /// spec is `OK`, or `TASK_DISABLED` when its shards are disabled.
    async fn status(&self) -> async_graphql::Result<Option<LiveSpecStatus>> {
        let Some(row) = self.live() else {
            return Ok(None);
        };
        let disabled = is_disabled(row)?;
        Ok(Some(LiveSpecStatus {
            kind: if disabled {
                StatusSummaryType::TaskDisabled
            } else {
                StatusSummaryType::Ok
            },
            summary: if disabled {
                "Task shards are disabled".into()
            } else {
                "Ok".into()
            },
            controller: None,
            connector: None,
        }))
    }

    /// The last publication of the spec.
    async fn last_publication(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<SpecPublicationHistoryItem>> {
        let Some(row) = &self.row else {
            return Ok(None);
        };
        let mut found = history(ctx, &row.id, Some(&row.last_pub_id))?;
        if found.is_empty() {
            found = history(ctx, &row.id, None)?;
        }
        Ok(found.into_iter().next().map(|(_, item)| item))
    }

    /// Every publication of the spec, newest first; the cursor is the
    /// publication id.
    async fn publication_history(
        &self,
        ctx: &Context<'_>,
        after: Option<String>,
        first: Option<i32>,
        before: Option<String>,
        last: Option<i32>,
    ) -> async_graphql::Result<Option<SpecPublicationHistoryItemConnection>> {
        let Some(row) = &self.row else {
            return Ok(None);
        };
        let items = history(ctx, &row.id, None)?;
        let args = PageArgs {
            after,
            before,
            first,
            last,
        };
        SpecPublicationHistoryItemConnection::page(items, &args, Order::Descending).map(Some)
    }

    /// The publication `id` of the spec, with the model it published
    /// (`flowctl catalog draft --publication-id`).
    async fn publication_for_id(
        &self,
        ctx: &Context<'_>,
        id: Id,
    ) -> async_graphql::Result<Option<SpecPublicationHistoryItem>> {
        let Some(row) = &self.row else {
            return Ok(None);
        };
        let found = history(ctx, &row.id, Some(&id.0.to_string()))?;
        Ok(found.into_iter().next().map(|(_, item)| item))
    }
}

/// A live spec.
pub(crate) struct LiveSpec {
    row: LiveRow,
}

/// Whether the shards of a live spec are disabled (`shards.disable`, or
/// `derive.shards.disable` of a derivation).
fn is_disabled(row: &LiveRow) -> async_graphql::Result<bool> {
    let Some(spec) = &row.spec else {
        return Ok(false);
    };
    let model = stored_json(spec)?.0;
    let shards = match row.spec_type.as_deref() {
        Some("collection") => model.pointer("/derive/shards/disable"),
        _ => model.pointer("/shards/disable"),
    };
    Ok(shards.and_then(|v| v.as_bool()).unwrap_or(false))
}

/// The names of a stored JSON array.
fn names(text: &str) -> async_graphql::Result<Vec<String>> {
    serde_json::from_str::<Vec<String>>(text)
        .map_err(|e| format!("the store holds an invalid list of names: {e}").into())
}

/// The live specs whose `column` (`reads_from` or `writes_to`) holds `name`.
fn referrers(ctx: &Context<'_>, column: &str, name: &str) -> async_graphql::Result<Vec<String>> {
    db(ctx, |tx| {
        let mut stmt = tx.prepare(&format!(
            "select l.catalog_name from live_specs l where l.spec is not null \
             and exists (select 1 from json_each(l.{column}) j where j.value = ?1) \
             order by l.catalog_name"
        ))?;
        let rows = stmt.query_map(params![name], |r| r.get(0))?;
        rows.collect()
    })
}

connection!(LiveSpecRefConnection, LiveSpecRefEdge, LiveSpecRef);

/// The connection of references to `names` (cursor: the name).
fn refs(
    ctx: &Context<'_>,
    mut names: Vec<String>,
    args: &PageArgs,
) -> async_graphql::Result<LiveSpecRefConnection> {
    names.sort();
    names.dedup();
    let items = names
        .into_iter()
        .map(|name| Ok((name.clone(), LiveSpecRef::load(ctx, &name)?)))
        .collect::<async_graphql::Result<Vec<_>>>()?;
    LiveSpecRefConnection::page(items, args, Order::Ascending)
}

/// The id of the local data plane.
fn local_data_plane_id(ctx: &Context<'_>) -> async_graphql::Result<String> {
    db(ctx, |tx| {
        tx.query_row(
            "select id from data_planes where data_plane_name = ?1",
            params![LOCAL_DATA_PLANE],
            |r| r.get(0),
        )
    })
}

#[Object]
impl LiveSpec {
    /// The live spec's id.
    async fn live_spec_id(&self) -> async_graphql::Result<Id> {
        stored_id(&self.row.id)
    }

    /// Its catalog name.
    async fn catalog_name(&self) -> &str {
        &self.row.catalog_name
    }

    /// Its type.
    async fn catalog_type(&self) -> async_graphql::Result<CatalogType> {
        self.row
            .spec_type
            .as_deref()
            .and_then(CatalogType::parse)
            .ok_or_else(|| "the store holds a live spec without a valid type".into())
    }

    /// The build that last touched it.
    async fn last_build_id(&self) -> async_graphql::Result<Id> {
        stored_id(&self.row.last_build_id)
    }

    /// The publication that last changed it.
    async fn last_pub_id(&self) -> async_graphql::Result<Id> {
        stored_id(&self.row.last_pub_id)
    }

    /// When it was first published.
    async fn created_at(&self) -> DateTime {
        DateTime(self.row.created_at.clone())
    }

    /// When it was last changed.
    async fn updated_at(&self) -> DateTime {
        DateTime(self.row.updated_at.clone())
    }

    /// Whether its shards are disabled.
    async fn is_disabled(&self) -> async_graphql::Result<bool> {
        is_disabled(&self.row)
    }

    /// The data plane it runs in.
    async fn data_plane_id(&self, ctx: &Context<'_>) -> async_graphql::Result<Id> {
        match &self.row.data_plane_id {
            Some(id) => stored_id(id),
            None => stored_id(&local_data_plane_id(ctx)?),
        }
    }

    /// The model as published, with its keys in their published order.
    async fn model(&self) -> async_graphql::Result<Option<Json>> {
        self.row.spec.as_deref().map(stored_json).transpose()
    }

    /// The built spec (not kept by a local control plane).
    async fn built_spec(&self) -> Option<Json> {
        None
    }

    /// The collections it reads from.
    async fn reads_from(
        &self,
        ctx: &Context<'_>,
        after: Option<String>,
        before: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> async_graphql::Result<Option<LiveSpecRefConnection>> {
        let args = PageArgs {
            after,
            before,
            first,
            last,
        };
        refs(ctx, names(&self.row.reads_from)?, &args).map(Some)
    }

    /// The collections it writes to.
    async fn writes_to(
        &self,
        ctx: &Context<'_>,
        after: Option<String>,
        before: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> async_graphql::Result<Option<LiveSpecRefConnection>> {
        let args = PageArgs {
            after,
            before,
            first,
            last,
        };
        refs(ctx, names(&self.row.writes_to)?, &args).map(Some)
    }

    /// The live specs that read this collection (empty unless it is one).
    async fn read_by(
        &self,
        ctx: &Context<'_>,
        after: Option<String>,
        before: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> async_graphql::Result<Option<LiveSpecRefConnection>> {
        let args = PageArgs {
            after,
            before,
            first,
            last,
        };
        let found = if self.row.spec_type.as_deref() == Some("collection") {
            referrers(ctx, "reads_from", &self.row.catalog_name)?
        } else {
            Vec::new()
        };
        refs(ctx, found, &args).map(Some)
    }

    /// The live specs that write this collection (empty unless it is one).
    async fn written_by(
        &self,
        ctx: &Context<'_>,
        after: Option<String>,
        before: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> async_graphql::Result<Option<LiveSpecRefConnection>> {
        let args = PageArgs {
            after,
            before,
            first,
            last,
        };
        let found = if self.row.spec_type.as_deref() == Some("collection") {
            referrers(ctx, "writes_to", &self.row.catalog_name)?
        } else {
            Vec::new()
        };
        refs(ctx, found, &args).map(Some)
    }

    /// The capture a materialization takes its bindings from
    /// (`source.capture`, or the older `sourceCapture`).
    async fn source_capture(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<LiveSpecRef>> {
        if self.row.spec_type.as_deref() != Some("materialization") {
            return Ok(None);
        }
        let Some(spec) = &self.row.spec else {
            return Ok(None);
        };
        let model = stored_json(spec)?.0;
        let source = model.get("source").or_else(|| model.get("sourceCapture"));
        let name = match source {
            Some(serde_json::Value::String(name)) => Some(name.as_str()),
            Some(object) => object.get("capture").and_then(|c| c.as_str()),
            None => None,
        };
        name.map(|name| LiveSpecRef::load(ctx, name)).transpose()
    }
}

/// Which live specs to list: by name, or by prefix.
#[derive(InputObject, Debug, Clone, Default)]
pub(crate) struct LiveSpecsBy {
    /// These names (a name that is not live is listed with a null
    /// `liveSpec`).
    names: Option<Vec<Name>>,
    /// The live specs under this prefix.
    prefix: Option<Prefix>,
    /// Only specs of this type.
    catalog_type: Option<CatalogType>,
    /// Only specs in this data plane.
    data_plane_name: Option<Name>,
}

/// Which prefixes to list.
#[derive(InputObject, Debug, Clone)]
pub(crate) struct PrefixesBy {
    /// At least this capability.
    min_capability: Capability,
}

/// A prefix the user is authorized to.
#[derive(SimpleObject, Debug, Clone)]
pub(crate) struct PrefixRef {
    /// The prefix.
    prefix: Prefix,
    /// The user's capability to it.
    user_capability: Capability,
}

connection!(PrefixRefConnection, PrefixRefEdge, PrefixRef);

/// A data plane.
#[derive(SimpleObject, Debug, Clone)]
pub(crate) struct DataPlane {
    /// Its id.
    id: Id,
    /// Its name (`ops/dp/public/local-cluster`).
    name: String,
    /// Its domain name.
    fqdn: String,
    /// Where its reactors are.
    reactor_address: String,
    /// The user's capability to it.
    user_capability: Capability,
    /// Whether it is public.
    is_public: bool,
    /// Its CIDR blocks.
    cidr_blocks: Vec<String>,
}

connection!(DataPlaneConnection, DataPlaneEdge, DataPlane);

/// A filter on catalog prefixes.
#[derive(InputObject, Debug, Clone, Default)]
pub(crate) struct PrefixFilter {
    /// Prefixes that start with this.
    starts_with: Option<String>,
    /// Exactly these prefixes.
    #[graphql(name = "in")]
    any_of: Option<Vec<Prefix>>,
}

/// Which storage mappings to list (flowctl's form).
#[derive(InputObject, Debug, Clone, Default)]
pub(crate) struct StorageMappingsFilter {
    /// The mappings' prefixes.
    catalog_prefix: Option<PrefixFilter>,
}

/// Which storage mappings to list (the dashboard's form).
#[derive(InputObject, Debug, Clone, Default)]
pub(crate) struct StorageMappingsBy {
    /// Exactly these prefixes.
    exact_prefixes: Option<Vec<Prefix>>,
    /// Every mapping under this prefix.
    under_prefix: Option<Prefix>,
}

/// A storage mapping.
#[derive(SimpleObject, Debug, Clone)]
pub(crate) struct StorageMapping {
    /// Its prefix.
    catalog_prefix: Prefix,
    /// Its description.
    detail: Option<String>,
    /// Its `{"stores": [...], "data_planes": [...]}`.
    spec: Json,
    /// The user's capability to it.
    user_capability: Capability,
}

connection!(StorageMappingConnection, StorageMappingEdge, StorageMapping);

/// The endpoint schema of a connector image's tag.
#[derive(SimpleObject, Debug, Clone)]
pub(crate) struct ConnectorSpec {
    /// The image's name, without its tag.
    image_name: String,
    /// The tag whose schema this is (`:v1`): the one asked for, or the
    /// image's default when that one is unknown.
    image_tag: String,
    /// The JSON schema of the endpoint configuration.
    endpoint_spec_schema: Json,
}

/// A connector tag, as the older `connector { connectorTag }` query reads it.
#[derive(SimpleObject, Debug, Clone)]
pub(crate) struct ConnectorTag {
    /// Its tag (`:v1`).
    image_tag: String,
    /// The JSON schema of the endpoint configuration.
    endpoint_spec_schema: Json,
    /// Whether it is the image's default tag.
    default_tag: bool,
}

/// A connector image.
pub(crate) struct Connector {
    image_name: String,
}

#[Object]
impl Connector {
    /// The image's name.
    async fn image_name(&self) -> &str {
        &self.image_name
    }

    /// The tag `image_tag` (`:v1`), or with `orDefault` the image's
    /// default tag when that one is unknown.
    async fn connector_tag(
        &self,
        ctx: &Context<'_>,
        image_tag: String,
        #[graphql(default = false)] or_default: bool,
    ) -> async_graphql::Result<Option<ConnectorTag>> {
        Ok(
            connector_tag(ctx, &self.image_name, &image_tag, or_default)?.map(
                |(image_tag, schema, default_tag)| ConnectorTag {
                    image_tag,
                    endpoint_spec_schema: schema,
                    default_tag,
                },
            ),
        )
    }
}

/// The tag of `image`, or its default tag: `(tag, schema, is_default)`.
fn connector_tag(
    ctx: &Context<'_>,
    image: &str,
    tag: &str,
    or_default: bool,
) -> async_graphql::Result<Option<(String, Json, bool)>> {
    let rows: Vec<(String, String, bool)> = db(ctx, |tx| {
        let mut stmt = tx.prepare(
            "select image_tag, endpoint_spec_schema, is_default from connector_tags \
             where image_name = ?1 order by is_default desc, image_tag",
        )?;
        let rows = stmt.query_map(params![image], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        rows.collect()
    })?;
    let exact = rows.iter().position(|(t, _, _)| t == tag);
    let chosen = match exact {
        Some(i) => Some(i),
        None if or_default => rows.iter().position(|(_, _, d)| *d),
        None => None,
    };
    chosen
        .map(|i| {
            let (tag, schema, default) = &rows[i];
            Ok((tag.clone(), stored_json(schema)?, *default))
        })
        .transpose()
}

/// Splits `ghcr.io/estuary/source-x:v1` into the name and the tag with its
/// `:` (or `@sha256:…`).
pub(crate) fn split_image(full: &str) -> Option<(&str, &str)> {
    if let Some(at) = full.find("@sha256:") {
        return Some((&full[..at], &full[at..]));
    }
    let slash = full.rfind('/').map_or(0, |i| i + 1);
    let colon = full[slash..].find(':')? + slash;
    (colon + 1 < full.len() && colon > 0).then(|| (&full[..colon], &full[colon..]))
}

/// The tenant (`acmeCo/`) of a catalog name or prefix.
fn tenant(name: &str) -> Option<String> {
    let slash = name.find('/')?;
    (slash > 0).then(|| name[..=slash].to_string())
}

/// The queries of the catalog.
#[derive(Default)]
pub(crate) struct CatalogQuery;

#[Object]
impl CatalogQuery {
    /// Live specs by name or under a prefix, in name order (the cursor is
    /// the name). Deleted specs are listed only by name, with a null
    /// `liveSpec`.
    async fn live_specs(
        &self,
        ctx: &Context<'_>,
        by: LiveSpecsBy,
        after: Option<String>,
        before: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> async_graphql::Result<LiveSpecRefConnection> {
        let args = PageArgs {
            after,
            before,
            first,
            last,
        };
        let plane_id = match &by.data_plane_name {
            Some(Name(plane)) => Some(
                db(ctx, |tx| {
                    tx.query_row(
                        "select id from data_planes where data_plane_name = ?1",
                        params![plane],
                        |r| r.get::<_, String>(0),
                    )
                    .optional()
                })?
                .unwrap_or_default(),
            ),
            None => None,
        };
        let local_plane = local_data_plane_id(ctx)?;
        let keep = |row: &LiveRow| {
            by.catalog_type
                .is_none_or(|t| row.spec_type.as_deref() == Some(t.as_str()))
                && plane_id
                    .as_deref()
                    .is_none_or(|p| row.data_plane_id.as_deref().unwrap_or(&local_plane) == p)
        };
        let names = by.names.clone().filter(|n| !n.is_empty());
        let filtered = by.catalog_type.is_some() || plane_id.is_some();
        let items = if let Some(names) = names {
            let mut names: Vec<String> = names.into_iter().map(|n| n.0).collect();
            names.sort();
            names.dedup();
            if !filtered {
                // Every name is an item: only those of the page are read.
                let names = names.into_iter().map(|n| (n.clone(), n)).collect();
                let (page_info, page) = paginate(names, &args, Order::Ascending)?;
                let edges = page
                    .into_iter()
                    .map(|(cursor, name)| {
                        Ok(LiveSpecRefEdge {
                            node: LiveSpecRef::load(ctx, &name)?,
                            cursor,
                        })
                    })
                    .collect::<async_graphql::Result<_>>()?;
                return Ok(LiveSpecRefConnection { page_info, edges });
            }
            let mut items = Vec::new();
            for name in names {
                let r = LiveSpecRef::load(ctx, &name)?;
                if r.live().is_none_or(keep) {
                    items.push((name, r));
                }
            }
            items
        } else if let Some(Prefix(prefix)) = &by.prefix {
            let rows: Vec<LiveRow> = db(ctx, |tx| {
                let mut stmt = tx.prepare(&format!(
                    "select {LIVE_COLUMNS} from live_specs l where l.spec is not null \
                     and substr(l.catalog_name, 1, length(?1)) = ?1 order by l.catalog_name"
                ))?;
                let rows = stmt.query_map(params![prefix], live_row)?;
                rows.collect()
            })?;
            rows.into_iter()
                .filter(|row| keep(row))
                .map(|row| {
                    (
                        row.catalog_name.clone(),
                        LiveSpecRef {
                            name: row.catalog_name.clone(),
                            row: Some(row),
                        },
                    )
                })
                .collect()
        } else {
            return Err("`by` must have `names` or a `prefix`".into());
        };
        LiveSpecRefConnection::page(items, &args, Order::Ascending)
    }

    /// The prefixes the user is authorized to: the local user administers
    /// every tenant of the live specs, drafts and storage mappings.
    async fn prefixes(
        &self,
        ctx: &Context<'_>,
        by: PrefixesBy,
        after: Option<String>,
        first: Option<i32>,
    ) -> async_graphql::Result<PrefixRefConnection> {
        // Admin is the highest capability, so any `minCapability` keeps all.
        let _ = by.min_capability;
        let names: Vec<String> = db(ctx, |tx| {
            let mut stmt = tx.prepare(
                "select catalog_name from live_specs where spec is not null \
                 union select catalog_name from draft_specs \
                 union select catalog_prefix from storage_mappings",
            )?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            rows.collect()
        })?;
        let mut tenants: Vec<String> = names.iter().filter_map(|n| tenant(n)).collect();
        tenants.sort();
        tenants.dedup();
        let items = tenants
            .into_iter()
            .map(|t| {
                (
                    t.clone(),
                    PrefixRef {
                        prefix: Prefix(t),
                        user_capability: Capability::Admin,
                    },
                )
            })
            .collect();
        PrefixRefConnection::page(items, &PageArgs::forward(after, first), Order::Ascending)
    }

    /// The data planes, in name order (the cursor is the name).
    async fn data_planes(
        &self,
        ctx: &Context<'_>,
        after: Option<String>,
        before: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> async_graphql::Result<DataPlaneConnection> {
        let rows: Vec<(String, String)> = db(ctx, |tx| {
            let mut stmt =
                tx.prepare("select id, data_plane_name from data_planes order by data_plane_name")?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect()
        })?;
        let items = rows
            .into_iter()
            .map(|(id, name)| {
                Ok((
                    name.clone(),
                    DataPlane {
                        id: stored_id(&id)?,
                        fqdn: "localhost".into(),
                        reactor_address: String::new(),
                        name,
                        user_capability: Capability::Admin,
                        is_public: true,
                        cidr_blocks: Vec::new(),
                    },
                ))
            })
            .collect::<async_graphql::Result<Vec<_>>>()?;
        let args = PageArgs {
            after,
            before,
            first,
            last,
        };
        DataPlaneConnection::page(items, &args, Order::Ascending)
    }

    /// Storage mappings in prefix order (the cursor is the prefix), chosen
    /// by `filter` (flowctl) or `by` (the dashboard), or all of them.
    #[allow(clippy::too_many_arguments)]
    async fn storage_mappings(
        &self,
        ctx: &Context<'_>,
        filter: Option<StorageMappingsFilter>,
        by: Option<StorageMappingsBy>,
        after: Option<String>,
        before: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> async_graphql::Result<StorageMappingConnection> {
        let rows: Vec<(String, String)> = db(ctx, |tx| {
            let mut stmt = tx.prepare(
                "select catalog_prefix, spec from storage_mappings order by catalog_prefix",
            )?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect()
        })?;
        let prefix_filter = filter.and_then(|f| f.catalog_prefix).unwrap_or_default();
        let by = by.unwrap_or_default();
        let keep = |prefix: &str| {
            prefix_filter
                .starts_with
                .as_deref()
                .is_none_or(|s| prefix.starts_with(s))
                && prefix_filter
                    .any_of
                    .as_ref()
                    .is_none_or(|any| any.iter().any(|p| p.0 == prefix))
                && by
                    .exact_prefixes
                    .as_ref()
                    .is_none_or(|any| any.iter().any(|p| p.0 == prefix))
                && by
                    .under_prefix
                    .as_ref()
                    .is_none_or(|p| prefix.starts_with(&p.0))
        };
        let items = rows
            .into_iter()
            .filter(|(prefix, _)| keep(prefix))
            .map(|(prefix, spec)| {
                Ok((
                    prefix.clone(),
                    StorageMapping {
                        catalog_prefix: Prefix(prefix),
                        detail: None,
                        spec: stored_json(&spec)?,
                        user_capability: Capability::Admin,
                    },
                ))
            })
            .collect::<async_graphql::Result<Vec<_>>>()?;
        let args = PageArgs {
            after,
            before,
            first,
            last,
        };
        StorageMappingConnection::page(items, &args, Order::Ascending)
    }

    /// The endpoint schema of `ghcr.io/estuary/<connector>:<tag>`: of that
    /// tag, or of the image's default tag when the tag is unknown; null for
    /// an image the control plane does not know.
    async fn connector_spec(
        &self,
        ctx: &Context<'_>,
        full_image_name: String,
    ) -> async_graphql::Result<Option<ConnectorSpec>> {
        let Some((image, tag)) = split_image(&full_image_name) else {
            return Err(format!(
                "invalid connector image name '{full_image_name}': it must end in a tag (`:v1`) or a digest (`@sha256:…`)"
            )
            .into());
        };
        Ok(
            connector_tag(ctx, image, tag, true)?.map(|(image_tag, schema, _)| ConnectorSpec {
                image_name: image.to_string(),
                image_tag,
                endpoint_spec_schema: schema,
            }),
        )
    }

    /// A connector image, if the control plane knows it.
    async fn connector(
        &self,
        ctx: &Context<'_>,
        image_name: String,
    ) -> async_graphql::Result<Option<Connector>> {
        let known: bool = db(ctx, |tx| {
            tx.query_row(
                "select exists (select 1 from connector_tags where image_name = ?1)",
                params![image_name],
                |r| r.get(0),
            )
        })?;
        Ok(known.then_some(Connector { image_name }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_split_into_name_and_tag() {
        assert_eq!(
            split_image("ghcr.io/estuary/source-postgres:v1"),
            Some(("ghcr.io/estuary/source-postgres", ":v1"))
        );
        assert_eq!(
            split_image("localhost:5000/estuary/x:dev"),
            Some(("localhost:5000/estuary/x", ":dev"))
        );
        assert_eq!(
            split_image("ghcr.io/estuary/x@sha256:abc"),
            Some(("ghcr.io/estuary/x", "@sha256:abc"))
        );
        assert_eq!(split_image("ghcr.io/estuary/x"), None);
        assert_eq!(split_image("localhost:5000/estuary/x"), None);
        assert_eq!(split_image("x:"), None);
        assert_eq!(tenant("acmeCo/a/b"), Some("acmeCo/".into()));
        assert_eq!(tenant("/a"), None);
    }
}
