//! What PostgREST may change: inserting drafts and publications,
//! upserting draft specs, deleting drafts and draft specs. Each runs in the
//! caller's transaction and returns the rows it wrote (all columns), so
//! that a refusal anywhere in a batch changes nothing.

use std::collections::{BTreeMap, BTreeSet};

use axum::http::StatusCode;
use flowspec::client::FlowId;
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::postgrest::PgError;
use crate::query::Query;
use crate::store::timestamp;
use crate::tables::Table;

/// One row of a request body: column → raw JSON.
type RawRow = BTreeMap<String, Box<RawValue>>;

/// PostgREST's answer to a body that is not JSON.
pub(crate) fn invalid_json() -> PgError {
    PgError::new(StatusCode::BAD_REQUEST, "PGRST102", "Empty or invalid json")
}

/// The rows of a body: one object, or an array of objects.
fn raw_rows(body: &[u8]) -> Result<Vec<RawRow>, PgError> {
    let text = std::str::from_utf8(body).map_err(|_| invalid_json())?;
    match text.trim_start().as_bytes().first() {
        Some(b'{') => Ok(vec![serde_json::from_str(text).map_err(|_| invalid_json())?]),
        Some(b'[') => serde_json::from_str(text).map_err(|_| invalid_json()),
        _ => Err(invalid_json()),
    }
}

fn permission_denied(table: &str) -> PgError {
    PgError::new(
        StatusCode::FORBIDDEN,
        "42501",
        format!("permission denied for table {table}"),
    )
}

fn row_security(table: &str) -> PgError {
    PgError::new(
        StatusCode::FORBIDDEN,
        "42501",
        format!("new row violates row-level security policy for table \"{table}\""),
    )
}

fn not_null(table: &str, column: &str) -> PgError {
    PgError::new(
        StatusCode::BAD_REQUEST,
        "23502",
        format!("null value in column \"{column}\" of relation \"{table}\" violates not-null constraint"),
    )
}

fn wrong_type(message: String) -> PgError {
    PgError::new(StatusCode::BAD_REQUEST, "22P02", message)
}

/// Checks the columns of `row`: each must be one of `table`, and one that
/// may be written.
fn check_columns(table: &Table, row: &RawRow, writable: &[&str]) -> Result<(), PgError> {
    for column in row.keys() {
        if table.kind(column).is_none() {
            return Err(PgError::new(
                StatusCode::BAD_REQUEST,
                "PGRST204",
                format!(
                    "Could not find the '{column}' column of '{}' in the schema cache",
                    table.name
                ),
            ));
        }
        if !writable.contains(&column.as_str()) {
            return Err(permission_denied(table.name));
        }
    }
    Ok(())
}

/// A raw JSON value as text (a string), or null.
fn text(table: &str, column: &str, raw: Option<&RawValue>) -> Result<Option<String>, PgError> {
    match raw.map(|r| serde_json::from_str::<Value>(r.get())) {
        None => Ok(None),
        Some(Ok(Value::Null)) => Ok(None),
        Some(Ok(Value::String(s))) => Ok(Some(s)),
        Some(Ok(other)) => Ok(Some(other.to_string())),
        Some(Err(_)) => Err(wrong_type(format!(
            "invalid input for column {table}.{column}"
        ))),
    }
}

/// A raw JSON value as a flowid (either form), or null.
fn id(raw: Option<&RawValue>) -> Result<Option<FlowId>, PgError> {
    match raw.map(|r| serde_json::from_str::<Value>(r.get())) {
        None | Some(Ok(Value::Null)) => Ok(None),
        Some(Ok(Value::String(s))) => s
            .parse::<FlowId>()
            .map(Some)
            .map_err(|_| wrong_type(format!("invalid input syntax for type macaddr8: {s:?}"))),
        Some(Ok(other)) => Err(wrong_type(format!(
            "invalid input syntax for type macaddr8: \"{other}\""
        ))),
        Some(Err(_)) => Err(invalid_json()),
    }
}

/// Whether the draft `id` exists and is `user`'s.
fn owns_draft(db: &Connection, user: &str, id: FlowId) -> Result<bool, PgError> {
    Ok(db
        .query_row(
            "select 1 from drafts where id = ?1 and user_id = ?2",
            params![id.to_string(), user],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// The rows of `table` (all columns) whose `keys` columns equal `wanted`,
/// in the order of `wanted`.
fn reread(
    db: &Connection,
    table: &Table,
    user: &str,
    keys: &[&str],
    wanted: &[Vec<String>],
) -> Result<Vec<Map<String, Value>>, PgError> {
    let rows = table.rows(db, user)?;
    let key_of = |row: &Map<String, Value>| -> Vec<String> {
        keys.iter()
            .map(|k| {
                row.get(*k)
                    .and_then(crate::query::value_text)
                    .unwrap_or_default()
            })
            .collect()
    };
    Ok(wanted
        .iter()
        .filter_map(|w| rows.iter().find(|r| &key_of(r) == w).cloned())
        .collect())
}

/// Inserts (or upserts) the rows of `body` into `table` for `user`.
/// `merge` is `Prefer: resolution=merge-duplicates`.
pub(crate) fn insert(
    db: &Connection,
    store: &crate::Store,
    table: &Table,
    user: &str,
    query: &Query,
    merge: bool,
    body: &[u8],
) -> Result<Vec<Map<String, Value>>, PgError> {
    let rows = raw_rows(body)?;
    let now = timestamp(crate::now_micros());
    match table.name {
        "drafts" => {
            let mut wanted = Vec::new();
            for row in &rows {
                check_columns(table, row, &["detail"])?;
                let detail = text("drafts", "detail", row.get("detail").map(|r| &**r))?;
                let id = store.next_id();
                db.execute(
                    "insert into drafts (id, user_id, detail, created_at, updated_at) values (?1, ?2, ?3, ?4, ?4)",
                    params![id.to_string(), user, detail, now],
                )?;
                wanted.push(vec![format!("{id:#}")]);
            }
            reread(db, table, user, &["id"], &wanted)
        }
        "draft_specs" => upsert_draft_specs(db, table, user, query, merge, &rows, &now),
        "publications" => {
            let mut wanted = Vec::new();
            for row in &rows {
                check_columns(
                    table,
                    row,
                    &["draft_id", "dry_run", "detail", "data_plane_name"],
                )?;
                let draft = id(row.get("draft_id").map(|r| &**r))?
                    .ok_or_else(|| not_null("publications", "draft_id"))?;
                if !owns_draft(db, user, draft)? {
                    return Err(row_security("publications"));
                }
                let dry_run = match row.get("dry_run").map(|r| r.get()) {
                    None | Some("null") | Some("false") => false,
                    Some("true") => true,
                    Some(other) => {
                        return Err(wrong_type(format!(
                            "invalid input syntax for type boolean: {other:?}"
                        )))
                    }
                };
                let detail = text("publications", "detail", row.get("detail").map(|r| &**r))?;
                let plane = text(
                    "publications",
                    "data_plane_name",
                    row.get("data_plane_name").map(|r| &**r),
                )?;
                let id = store.next_id();
                db.execute(
                    "insert into publications (id, user_id, draft_id, dry_run, detail, data_plane_name, \
                     logs_token, job_status, created_at, updated_at) \
                     values (?1, ?2, ?3, ?4, ?5, ?6, ?7, '{\"type\":\"queued\"}', ?8, ?8)",
                    params![id.to_string(), user, draft.to_string(), dry_run, detail, plane, crate::store::uuid_v4(), now],
                )?;
                wanted.push(vec![format!("{id:#}")]);
            }
            reread(db, table, user, &["id"], &wanted)
        }
        other => Err(permission_denied(other)),
    }
}

/// The columns of `draft_specs` a client writes.
const DRAFT_SPEC_COLUMNS: &[&str] = &[
    "draft_id",
    "catalog_name",
    "spec_type",
    "spec",
    "expect_pub_id",
    "detail",
];

fn upsert_draft_specs(
    db: &Connection,
    table: &Table,
    user: &str,
    query: &Query,
    merge: bool,
    rows: &[RawRow],
    now: &str,
) -> Result<Vec<Map<String, Value>>, PgError> {
    let conflict: BTreeSet<&str> = query.on_conflict.iter().map(String::as_str).collect();
    if !conflict.is_empty() && conflict != BTreeSet::from(["draft_id", "catalog_name"]) {
        return Err(PgError::new(
            StatusCode::BAD_REQUEST,
            "42P10",
            "there is no unique or exclusion constraint matching the ON CONFLICT specification",
        ));
    }
    let mut wanted = Vec::new();
    for row in rows {
        check_columns(table, row, DRAFT_SPEC_COLUMNS)?;
        let raw = |c: &str| row.get(c).map(|r| &**r);
        let draft = id(raw("draft_id"))?.ok_or_else(|| not_null("draft_specs", "draft_id"))?;
        if !owns_draft(db, user, draft)? {
            return Err(row_security("draft_specs"));
        }
        let name = text("draft_specs", "catalog_name", raw("catalog_name"))?
            .ok_or_else(|| not_null("draft_specs", "catalog_name"))?;
        let spec_type = text("draft_specs", "spec_type", raw("spec_type"))?;
        if let Some(t) = &spec_type {
            if !["capture", "collection", "materialization", "test"].contains(&t.as_str()) {
                return Err(wrong_type(format!(
                    "invalid input value for enum catalog_spec_type: {t:?}"
                )));
            }
        }
        // The spec is kept as the exact text received.
        let spec = raw("spec").map(RawValue::get).filter(|t| *t != "null");
        let expect = id(raw("expect_pub_id"))?;
        let detail = text("draft_specs", "detail", raw("detail"))?;

        type Existing = (
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
        );
        let existing: Option<Existing> = db
            .query_row(
                "select spec_type, spec, expect_pub_id, detail from draft_specs where draft_id = ?1 and catalog_name = ?2",
                params![draft.to_string(), name],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        if existing.is_some() && !merge {
            return Err(PgError::new(
                StatusCode::CONFLICT,
                "23505",
                "duplicate key value violates unique constraint \"draft_specs_pkey\"",
            )
            .details(format!(
                "Key (draft_id, catalog_name)=({draft:#}, {name}) already exists."
            )));
        }
        let (old_type, old_spec, old_expect, old_detail) = existing.clone().unwrap_or_default();
        let has = |c: &str| row.contains_key(c);
        let spec_type = if has("spec_type") {
            spec_type
        } else {
            old_type
        };
        let spec = if has("spec") {
            spec.map(str::to_string)
        } else {
            old_spec
        };
        let expect = if has("expect_pub_id") {
            expect.map(|id| id.to_string())
        } else {
            old_expect
        };
        let detail = if has("detail") { detail } else { old_detail };
        if spec_type.is_none() != spec.is_none() {
            return Err(PgError::new(
                StatusCode::BAD_REQUEST,
                "23514",
                "new row for relation \"draft_specs\" violates check constraint \"spec and spec_type must be consistent\"",
            ));
        }
        if existing.is_some() {
            db.execute(
                "update draft_specs set spec_type = ?3, spec = ?4, expect_pub_id = ?5, detail = ?6, updated_at = ?7 \
                 where draft_id = ?1 and catalog_name = ?2",
                params![draft.to_string(), name, spec_type, spec, expect, detail, now],
            )?;
        } else {
            db.execute(
                "insert into draft_specs (draft_id, catalog_name, spec_type, spec, expect_pub_id, detail, created_at, updated_at) \
                 values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
                params![draft.to_string(), name, spec_type, spec, expect, detail, now],
            )?;
        }
        db.execute(
            "update drafts set updated_at = ?2 where id = ?1",
            params![draft.to_string(), now],
        )?;
        wanted.push(vec![format!("{draft:#}"), name]);
    }
    reread(db, table, user, &["draft_id", "catalog_name"], &wanted)
}

/// Deletes the rows of `table` that the user may see and the query's
/// filters select; returns them as they were.
pub(crate) fn delete(
    db: &Connection,
    table: &Table,
    user: &str,
    query: &Query,
) -> Result<Vec<Map<String, Value>>, PgError> {
    if !matches!(table.name, "drafts" | "draft_specs") {
        return Err(permission_denied(table.name));
    }
    let rows = table.matching(db, user, query)?;
    let stored = |row: &Map<String, Value>, column: &str| -> String {
        row.get(column)
            .and_then(Value::as_str)
            .and_then(|id| id.parse::<FlowId>().ok())
            .map(|id| id.to_string())
            .unwrap_or_default()
    };
    for row in &rows {
        match table.name {
            "drafts" => {
                db.execute(
                    "delete from drafts where id = ?1",
                    params![stored(row, "id")],
                )?;
            }
            _ => {
                let name = row
                    .get("catalog_name")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                db.execute(
                    "delete from draft_specs where draft_id = ?1 and catalog_name = ?2",
                    params![stored(row, "draft_id"), name],
                )?;
            }
        }
    }
    Ok(rows)
}

/// `prune_unchanged_draft_specs(prune_draft_id)`: deletes the specs of the
/// user's draft whose md5 is the live spec's, and returns them.
pub(crate) fn prune_unchanged_draft_specs(
    db: &Connection,
    user: &str,
    draft: FlowId,
) -> Result<Vec<Value>, PgError> {
    let mut statement = db.prepare(
        "select s.catalog_name, s.spec_type, s.spec, l.md5 from draft_specs s \
         join drafts d on d.id = s.draft_id \
         join live_specs l on l.catalog_name = s.catalog_name \
         where s.draft_id = ?1 and d.user_id = ?2 and s.spec is not null and l.spec_type = s.spec_type \
         order by s.catalog_name",
    )?;
    let candidates = statement
        .query_map(params![draft.to_string(), user], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let mut out = Vec::new();
    for (name, spec_type, spec, live_md5) in candidates {
        let md5 = crate::store::spec_text_md5(&spec);
        if md5.is_none() || md5 != live_md5 {
            continue;
        }
        db.execute(
            "delete from draft_specs where draft_id = ?1 and catalog_name = ?2",
            params![draft.to_string(), name],
        )?;
        out.push(serde_json::json!({
            "catalog_name": name,
            "spec_type": spec_type,
            "live_spec_md5": live_md5,
            "draft_spec_md5": md5,
            "inferred_schema_md5": null,
            "live_inferred_schema_md5": null,
        }));
    }
    Ok(out)
}
