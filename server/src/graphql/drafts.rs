//! The draft API: `draft`, `drafts`, `createDraft`, `deleteDraft`,
//! `stageDraftSpecs` and `unstageDraftSpecs`, over the same tables as the
//! PostgREST routes. A user sees only their own drafts: anyone else's is
//! "not found".

use async_graphql::{Context, InputObject, MaybeUndefined, Object, SimpleObject};
use rusqlite::{params, OptionalExtension};

use super::catalog::stored_json;
use super::page::{connection, Order, PageArgs};
use super::scalars::{CatalogType, DateTime, Id, Json, Name};
use super::{db, user};
use crate::store::timestamp;

/// The error of a draft that is missing or someone else's.
const NOT_FOUND: &str = "draft not found";

/// An error of a draft's last publication.
#[derive(SimpleObject, Debug, Clone)]
#[graphql(name = "Error")]
pub(crate) struct DraftError {
    /// The catalog name of a `flow://<type>/<name>` scope, else `""`.
    pub(crate) catalog_name: String,
    /// Where the error is (`flow://collection/acmeCo/anvils#/schema`).
    pub(crate) scope: Option<String>,
    /// What it is.
    pub(crate) detail: String,
}

/// The catalog name of a `flow://<type>/<name>[#fragment]` scope.
fn scope_name(scope: &str) -> String {
    let Some(rest) = scope.strip_prefix("flow://") else {
        return String::new();
    };
    let Some((kind, name)) = rest.split_once('/') else {
        return String::new();
    };
    if CatalogType::parse(kind).is_none() {
        return String::new();
    }
    name.split('#').next().unwrap_or_default().to_string()
}

/// A draft.
pub(crate) struct Draft {
    id: String,
    detail: Option<String>,
    created_at: String,
    updated_at: String,
}

/// The draft `id` of the current user.
fn load_draft(ctx: &Context<'_>, id: &str) -> async_graphql::Result<Option<Draft>> {
    let user = user(ctx)?.id.clone();
    db(ctx, |tx| {
        tx.query_row(
            "select id, detail, created_at, updated_at from drafts where id = ?1 and user_id = ?2",
            params![id, user],
            |r| {
                Ok(Draft {
                    id: r.get(0)?,
                    detail: r.get(1)?,
                    created_at: r.get(2)?,
                    updated_at: r.get(3)?,
                })
            },
        )
        .optional()
    })
}

/// A spec staged in a draft.
#[derive(SimpleObject, Debug, Clone)]
pub(crate) struct DraftSpec {
    /// Its catalog name.
    catalog_name: Name,
    /// Its type (null for a deletion).
    catalog_type: Option<CatalogType>,
    /// Its model, keys in their staged order (null for a deletion).
    model: Option<Json>,
    /// The publication the live spec must be at (`0000000000000000`: none
    /// may exist), if any.
    expect_pub_id: Option<Id>,
    /// The live spec's last publication, if it is live.
    last_pub_id: Option<Id>,
    /// Its description.
    detail: Option<String>,
    /// When it was staged.
    updated_at: DateTime,
    /// Whether it is exactly what is live.
    is_unchanged: bool,
}

connection!(DraftSpecConnection, DraftSpecEdge, DraftSpec);
connection!(DraftConnection, DraftEdge, Draft);

#[Object]
impl Draft {
    /// Its id.
    async fn id(&self) -> async_graphql::Result<Id> {
        parse_id(&self.id)
    }

    /// When it was created.
    async fn created_at(&self) -> DateTime {
        DateTime(self.created_at.clone())
    }

    /// When it, or a spec of it, last changed.
    async fn updated_at(&self) -> DateTime {
        DateTime(self.updated_at.clone())
    }

    /// Its description.
    async fn detail(&self) -> Option<&str> {
        self.detail.as_deref()
    }

    /// How many specs it holds.
    async fn num_specs(&self, ctx: &Context<'_>) -> async_graphql::Result<i32> {
        db(ctx, |tx| {
            tx.query_row(
                "select count(*) from draft_specs where draft_id = ?1",
                params![self.id],
                |r| r.get(0),
            )
        })
    }

    /// Its specs in name order (the cursor is the name).
    async fn specs(
        &self,
        ctx: &Context<'_>,
        after: Option<String>,
        before: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> async_graphql::Result<DraftSpecConnection> {
        type SpecRow = (
            String,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
            String,
            Option<String>,
            Option<String>,
        );
        let rows: Vec<SpecRow> = db(ctx, |tx| {
            let mut stmt = tx.prepare(
                "select d.catalog_name, d.spec_type, d.spec, d.expect_pub_id, d.detail, d.updated_at, \
                 l.last_pub_id, l.spec from draft_specs d \
                 left join live_specs l on l.catalog_name = d.catalog_name \
                 where d.draft_id = ?1 order by d.catalog_name",
            )?;
            let rows = stmt.query_map(params![self.id], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                ))
            })?;
            rows.collect()
        })?;
        let items = rows
            .into_iter()
            .map(
                |(name, spec_type, spec, expect, detail, updated_at, live_pub, live_spec)| {
                    let is_unchanged = match (&spec, &live_spec) {
                        (Some(a), Some(b)) => a.trim() == b.trim(),
                        (None, None) => live_pub.is_some(),
                        _ => false,
                    };
                    Ok((
                        name.clone(),
                        DraftSpec {
                            catalog_name: Name(name),
                            catalog_type: spec_type.as_deref().and_then(CatalogType::parse),
                            model: spec.as_deref().map(stored_json).transpose()?,
                            expect_pub_id: expect.as_deref().map(parse_id).transpose()?,
                            last_pub_id: live_pub.as_deref().map(parse_id).transpose()?,
                            detail,
                            updated_at: DateTime(updated_at),
                            is_unchanged,
                        },
                    ))
                },
            )
            .collect::<async_graphql::Result<Vec<_>>>()?;
        let args = PageArgs {
            after,
            before,
            first,
            last,
        };
        DraftSpecConnection::page(items, &args, Order::Ascending)
    }

    /// The errors of its last publication.
    async fn errors(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<DraftError>> {
        let rows: Vec<(String, String)> = db(ctx, |tx| {
            let mut stmt = tx.prepare(
                "select scope, detail from draft_errors where draft_id = ?1 order by rowid",
            )?;
            let rows = stmt.query_map(params![self.id], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect()
        })?;
        Ok(rows
            .into_iter()
            .map(|(scope, detail)| DraftError {
                catalog_name: scope_name(&scope),
                scope: Some(scope),
                detail,
            })
            .collect())
    }
}

/// Parses an id the store wrote.
fn parse_id(text: &str) -> async_graphql::Result<Id> {
    text.parse()
        .map(Id)
        .map_err(|_| format!("the store holds an invalid id {text:?}").into())
}

/// The queries of drafts.
#[derive(Default)]
pub(crate) struct DraftsQuery;

#[Object]
impl DraftsQuery {
    /// The draft `id`, if it is the user's.
    async fn draft(&self, ctx: &Context<'_>, id: Id) -> async_graphql::Result<Option<Draft>> {
        load_draft(ctx, &id.0.to_string())
    }

    /// The user's drafts in id order (the cursor is the id).
    async fn drafts(
        &self,
        ctx: &Context<'_>,
        after: Option<String>,
        before: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> async_graphql::Result<DraftConnection> {
        let user = user(ctx)?.id.clone();
        let drafts: Vec<Draft> = db(ctx, |tx| {
            let mut stmt = tx.prepare(
                "select id, detail, created_at, updated_at from drafts where user_id = ?1 order by id",
            )?;
            let rows = stmt.query_map(params![user], |r| {
                Ok(Draft {
                    id: r.get(0)?,
                    detail: r.get(1)?,
                    created_at: r.get(2)?,
                    updated_at: r.get(3)?,
                })
            })?;
            rows.collect()
        })?;
        let items = drafts.into_iter().map(|d| (d.id.clone(), d)).collect();
        let args = PageArgs {
            after,
            before,
            first,
            last,
        };
        DraftConnection::page(items, &args, Order::Ascending)
    }
}

/// A spec to stage. `catalogType` and `model` must both be given: both
/// null for a deletion, both non-null otherwise.
#[derive(InputObject, Debug, Clone)]
pub(crate) struct DraftSpecInput {
    /// Its catalog name.
    catalog_name: Name,
    /// Its type, or null for a deletion.
    catalog_type: MaybeUndefined<CatalogType>,
    /// Its model, or null for a deletion.
    model: MaybeUndefined<Json>,
    /// The publication the live spec must be at (`0000000000000000`: no
    /// live spec may exist); null for none.
    expect_pub_id: Option<Id>,
    /// Its description.
    detail: Option<String>,
}

/// The checked fields of a spec to stage: name, type, model text,
/// expected publication, detail.
type Staged = (
    String,
    Option<&'static str>,
    Option<String>,
    Option<String>,
    Option<String>,
);

impl DraftSpecInput {
    fn check(self) -> async_graphql::Result<Staged> {
        let catalog_type = match self.catalog_type {
            MaybeUndefined::Undefined => {
                return Err("catalogType must be provided (use null for a catalog deletion)".into())
            }
            MaybeUndefined::Null => None,
            MaybeUndefined::Value(t) => Some(t.as_str()),
        };
        let model = match self.model {
            MaybeUndefined::Undefined => {
                return Err("model must be provided (use null for a catalog deletion)".into())
            }
            MaybeUndefined::Null | MaybeUndefined::Value(Json(serde_json::Value::Null)) => None,
            MaybeUndefined::Value(Json(model)) => Some(model.to_string()),
        };
        if catalog_type.is_some() != model.is_some() {
            return Err("model and catalogType must both be null or both be non-null".into());
        }
        Ok((
            self.catalog_name.0,
            catalog_type,
            model,
            self.expect_pub_id.map(|id| id.0.to_string()),
            self.detail,
        ))
    }
}

/// The mutations of drafts.
#[derive(Default)]
pub(crate) struct DraftsMutation;

#[Object(name = "MutationRoot")]
impl DraftsMutation {
    /// Creates a draft of the user.
    async fn create_draft(
        &self,
        ctx: &Context<'_>,
        detail: Option<String>,
    ) -> async_graphql::Result<Draft> {
        let state = super::state(ctx)?;
        let user = user(ctx)?.id.clone();
        let id = state.store.next_id().to_string();
        let now = timestamp(crate::now_micros());
        db(ctx, |tx| {
            tx.execute(
                "insert into drafts (id, user_id, detail, created_at, updated_at) values (?1, ?2, ?3, ?4, ?4)",
                params![id, user, detail, now],
            )
        })?;
        Ok(Draft {
            id,
            detail,
            created_at: now.clone(),
            updated_at: now,
        })
    }

    /// Deletes a draft of the user, its specs and errors; returns its id.
    async fn delete_draft(&self, ctx: &Context<'_>, id: Id) -> async_graphql::Result<Id> {
        let user = user(ctx)?.id.clone();
        let deleted = db(ctx, |tx| {
            tx.execute(
                "delete from drafts where id = ?1 and user_id = ?2",
                params![id.0.to_string(), user],
            )
        })?;
        if deleted == 0 {
            return Err(NOT_FOUND.into());
        }
        Ok(id)
    }

    /// Stages specs in a draft of the user, all or none: each replaces
    /// whatever was staged under its name (an omitted `expectPubId` or
    /// `detail` clears it). Returns the names staged, sorted.
    async fn stage_draft_specs(
        &self,
        ctx: &Context<'_>,
        draft_id: Id,
        specs: Vec<DraftSpecInput>,
    ) -> async_graphql::Result<Vec<Name>> {
        let draft = draft_id.0.to_string();
        if load_draft(ctx, &draft)?.is_none() {
            return Err(NOT_FOUND.into());
        }
        let specs = specs
            .into_iter()
            .map(DraftSpecInput::check)
            .collect::<async_graphql::Result<Vec<_>>>()?;
        let now = timestamp(crate::now_micros());
        db(ctx, |tx| {
            for (name, spec_type, model, expect, detail) in &specs {
                tx.execute(
                    "insert into draft_specs (draft_id, catalog_name, spec_type, spec, expect_pub_id, detail, created_at, updated_at) \
                     values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7) \
                     on conflict (draft_id, catalog_name) do update set spec_type = excluded.spec_type, \
                     spec = excluded.spec, expect_pub_id = excluded.expect_pub_id, detail = excluded.detail, \
                     updated_at = excluded.updated_at",
                    params![draft, name, spec_type, model, expect, detail, now],
                )?;
            }
            tx.execute(
                "update drafts set updated_at = ?2 where id = ?1",
                params![draft, now],
            )
        })?;
        let mut names: Vec<String> = specs.into_iter().map(|s| s.0).collect();
        names.sort();
        names.dedup();
        Ok(names.into_iter().map(Name).collect())
    }

    /// Removes specs from a draft of the user; returns the names removed,
    /// sorted.
    async fn unstage_draft_specs(
        &self,
        ctx: &Context<'_>,
        draft_id: Id,
        catalog_names: Vec<Name>,
    ) -> async_graphql::Result<Vec<Name>> {
        let draft = draft_id.0.to_string();
        if load_draft(ctx, &draft)?.is_none() {
            return Err(NOT_FOUND.into());
        }
        let now = timestamp(crate::now_micros());
        let mut removed: Vec<String> = db(ctx, |tx| {
            let mut removed = Vec::new();
            for Name(name) in &catalog_names {
                if tx.execute(
                    "delete from draft_specs where draft_id = ?1 and catalog_name = ?2",
                    params![draft, name],
                )? > 0
                {
                    removed.push(name.clone());
                }
            }
            if !removed.is_empty() {
                tx.execute(
                    "update drafts set updated_at = ?2 where id = ?1",
                    params![draft, now],
                )?;
            }
            Ok(removed)
        })?;
        removed.sort();
        removed.dedup();
        Ok(removed.into_iter().map(Name).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::scope_name;

    #[test]
    fn errors_name_the_spec_of_their_scope() {
        assert_eq!(
            scope_name("flow://collection/acmeCo/anvils#/schema"),
            "acmeCo/anvils"
        );
        assert_eq!(scope_name("flow://capture/acmeCo/x"), "acmeCo/x");
        assert_eq!(scope_name("flow://unauthorized/acmeCo/x"), "");
        assert_eq!(scope_name("file:///flow.yaml"), "");
        assert_eq!(scope_name("acmeCo/x"), "");
    }
}
