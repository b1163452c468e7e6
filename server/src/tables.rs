//! The tables and views PostgREST serves, as rows of JSON: their columns,
//! what a user may see of them (row-level security: a user sees only its
//! own drafts, draft specs, draft errors and publications), and reading
//! them with a [`Query`]: filters, order, paging and the `select` list.

use axum::http::StatusCode;
use flowspec::client::FlowId;
use rusqlite::{params, Connection};
use serde_json::{Map, Value};

use crate::postgrest::PgError;
use crate::query::{self, ColumnFilter, Query, SelectItem};

/// How a column's SQLite value becomes JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Text.
    Text,
    /// A flowid stored as 16 hex digits, printed in colon form.
    Id,
    /// JSON stored as text.
    Json,
    /// A boolean stored as an integer.
    Bool,
    /// An integer.
    Int,
}

/// A table or view.
pub(crate) struct Table {
    /// Its name.
    pub(crate) name: &'static str,
    /// Its columns, in order.
    pub(crate) columns: &'static [(&'static str, Kind)],
    /// The SQL that reads its rows visible to the user `?1`, one column per
    /// entry of `columns`, in the default order.
    sql: &'static str,
}

use Kind::*;

const DRAFT_COLUMNS: &[(&str, Kind)] = &[
    ("id", Id),
    ("user_id", Text),
    ("detail", Text),
    ("created_at", Text),
    ("updated_at", Text),
];

/// Every table and view served.
pub(crate) const TABLES: &[Table] = &[
    Table {
        name: "drafts",
        columns: DRAFT_COLUMNS,
        sql: "select id, user_id, detail, created_at, updated_at from drafts where user_id = ?1 order by id",
    },
    Table {
        name: "drafts_ext",
        columns: &[
            ("id", Id),
            ("user_id", Text),
            ("detail", Text),
            ("created_at", Text),
            ("updated_at", Text),
            ("num_specs", Int),
        ],
        sql: "select d.id, d.user_id, d.detail, d.created_at, d.updated_at, \
              (select count(*) from draft_specs s where s.draft_id = d.id) \
              from drafts d where d.user_id = ?1 order by d.id",
    },
    Table {
        name: "draft_specs",
        columns: &[
            ("draft_id", Id),
            ("catalog_name", Text),
            ("spec_type", Text),
            ("spec", Json),
            ("expect_pub_id", Id),
            ("detail", Text),
            ("created_at", Text),
            ("updated_at", Text),
        ],
        sql: "select s.draft_id, s.catalog_name, s.spec_type, s.spec, s.expect_pub_id, s.detail, \
              s.created_at, s.updated_at from draft_specs s join drafts d on d.id = s.draft_id \
              where d.user_id = ?1 order by s.draft_id, s.catalog_name",
    },
    Table {
        name: "draft_specs_ext",
        columns: &[
            ("draft_id", Id),
            ("catalog_name", Text),
            ("spec_type", Text),
            ("spec", Json),
            ("expect_pub_id", Id),
            ("detail", Text),
            ("created_at", Text),
            ("updated_at", Text),
            ("live_spec_id", Id),
            ("last_pub_id", Id),
            ("live_spec_type", Text),
            ("live_spec", Json),
            ("live_spec_md5", Text),
            ("draft_spec_md5", Text),
        ],
        sql: "select s.draft_id, s.catalog_name, s.spec_type, s.spec, s.expect_pub_id, s.detail, \
              s.created_at, s.updated_at, l.id, l.last_pub_id, l.spec_type, l.spec, l.md5, null \
              from draft_specs s join drafts d on d.id = s.draft_id \
              left join live_specs l on l.catalog_name = s.catalog_name \
              where d.user_id = ?1 order by s.draft_id, s.catalog_name",
    },
    Table {
        name: "draft_errors",
        columns: &[("draft_id", Id), ("scope", Text), ("detail", Text)],
        sql: "select e.draft_id, e.scope, e.detail from draft_errors e \
              join drafts d on d.id = e.draft_id where d.user_id = ?1 order by e.rowid",
    },
    Table {
        name: "publications",
        columns: &[
            ("id", Id),
            ("user_id", Text),
            ("draft_id", Id),
            ("dry_run", Bool),
            ("detail", Text),
            ("data_plane_name", Text),
            ("logs_token", Text),
            ("job_status", Json),
            ("pub_id", Id),
            ("created_at", Text),
            ("updated_at", Text),
        ],
        sql: "select id, user_id, draft_id, dry_run, detail, data_plane_name, logs_token, \
              job_status, pub_id, created_at, updated_at from publications \
              where user_id = ?1 order by id",
    },
    Table {
        name: "live_specs",
        columns: &[
            ("id", Id),
            ("catalog_name", Text),
            ("spec_type", Text),
            ("spec", Json),
            ("built_spec", Json),
            ("md5", Text),
            ("last_pub_id", Id),
            ("last_build_id", Id),
            ("data_plane_id", Id),
            ("reads_from", Json),
            ("writes_to", Json),
            ("created_at", Text),
            ("updated_at", Text),
        ],
        sql: "select id, catalog_name, spec_type, spec, null, md5, last_pub_id, last_build_id, \
              data_plane_id, reads_from, writes_to, created_at, updated_at \
              from live_specs where ?1 is not null order by catalog_name",
    },
    Table {
        name: "live_specs_ext",
        columns: &[
            ("id", Id),
            ("catalog_name", Text),
            ("spec_type", Text),
            ("spec", Json),
            ("built_spec", Json),
            ("md5", Text),
            ("last_pub_id", Id),
            ("last_build_id", Id),
            ("data_plane_id", Id),
            ("data_plane_name", Text),
            ("reads_from", Json),
            ("writes_to", Json),
            ("created_at", Text),
            ("updated_at", Text),
            ("last_pub_user_id", Text),
            ("last_pub_user_email", Text),
            ("last_pub_user_full_name", Text),
            ("last_pub_detail", Text),
        ],
        sql: "select l.id, l.catalog_name, l.spec_type, l.spec, null, l.md5, l.last_pub_id, \
              l.last_build_id, l.data_plane_id, p.data_plane_name, l.reads_from, l.writes_to, \
              l.created_at, l.updated_at, h.user_id, u.email, null, h.detail \
              from live_specs l \
              left join data_planes p on p.id = l.data_plane_id \
              left join publication_specs h on h.live_spec_id = l.id and h.pub_id = l.last_pub_id \
              left join users u on u.id = h.user_id \
              where ?1 is not null order by l.catalog_name",
    },
    Table {
        name: "inferred_schemas",
        columns: &[("collection_name", Text), ("schema", Json), ("md5", Text)],
        sql: "select null, null, null where ?1 is null",
    },
    Table {
        name: "data_planes",
        columns: &[("id", Id), ("data_plane_name", Text), ("created_at", Text)],
        sql: "select id, data_plane_name, created_at from data_planes where ?1 is not null order by id",
    },
    Table {
        name: "storage_mappings",
        columns: &[("catalog_prefix", Text), ("spec", Json), ("updated_at", Text)],
        sql: "select catalog_prefix, spec, updated_at from storage_mappings where ?1 is not null \
              order by catalog_prefix",
    },
    Table {
        name: "connectors",
        columns: &[("image_name", Text)],
        sql: "select distinct image_name from connector_tags where ?1 is not null order by image_name",
    },
    Table {
        name: "connector_tags",
        columns: &[
            ("image_name", Text),
            ("image_tag", Text),
            ("endpoint_spec_schema", Json),
            ("is_default", Bool),
        ],
        sql: "select image_name, image_tag, endpoint_spec_schema, is_default from connector_tags \
              where ?1 is not null order by image_name, image_tag",
    },
];

/// An embedded resource: `parent(child)` joins on `column`.
const EMBEDS: &[(&str, &str, &str)] = &[("connectors", "connector_tags", "image_name")];

/// The table called `name`.
pub(crate) fn table(name: &str) -> Option<&'static Table> {
    TABLES.iter().find(|t| t.name == name)
}

impl Table {
    /// The kind of `column`, if the table has it.
    pub(crate) fn kind(&self, column: &str) -> Option<Kind> {
        self.columns
            .iter()
            .find(|(name, _)| *name == column)
            .map(|(_, kind)| *kind)
    }

    /// PostgreSQL's error for a column the table lacks.
    pub(crate) fn no_column(&self, column: &str) -> PgError {
        PgError::new(
            StatusCode::BAD_REQUEST,
            "42703",
            format!("column {}.{column} does not exist", self.name),
        )
    }

    /// Every row the user may see, with all columns.
    pub(crate) fn rows(
        &self,
        db: &Connection,
        user: &str,
    ) -> Result<Vec<Map<String, Value>>, PgError> {
        let mut statement = db.prepare_cached(self.sql)?;
        let mut rows = statement.query(params![user])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            let mut map = Map::new();
            for (i, (name, kind)) in self.columns.iter().enumerate() {
                let value = match kind {
                    Text => row
                        .get::<_, Option<String>>(i)?
                        .map_or(Value::Null, Value::String),
                    Id => row
                        .get::<_, Option<String>>(i)?
                        .map_or(Value::Null, |id| Value::String(colon_id(&id))),
                    Json => row
                        .get::<_, Option<String>>(i)?
                        .map_or(Value::Null, |text| {
                            serde_json::from_str(&text).unwrap_or(Value::String(text))
                        }),
                    Bool => row
                        .get::<_, Option<bool>>(i)?
                        .map_or(Value::Null, Value::Bool),
                    Int => row
                        .get::<_, Option<i64>>(i)?
                        .map_or(Value::Null, Value::from),
                };
                map.insert(name.to_string(), value);
            }
            out.push(map);
        }
        if self.name == "draft_specs_ext" {
            // The md5 of a drafted spec, computed as the live one's is.
            for row in &mut out {
                let md5 = row
                    .get("spec")
                    .filter(|s| !s.is_null())
                    .map(|s| Value::String(crate::store::spec_md5(s)));
                row.insert("draft_spec_md5".into(), md5.unwrap_or(Value::Null));
            }
        }
        Ok(out)
    }

    /// Checks that every column `query` names exists, before anything is
    /// read or changed.
    pub(crate) fn check(&self, query: &Query) -> Result<(), PgError> {
        check_select(self, &query.select)?;
        for filter in query.filters.iter().chain(query.any_of.iter().flatten()) {
            match &filter.embed {
                None => {
                    self.kind(&filter.column)
                        .ok_or_else(|| self.no_column(&filter.column))?;
                }
                Some(embedded) => {
                    let child = embed(self, embedded)?;
                    child
                        .kind(&filter.column)
                        .ok_or_else(|| child.no_column(&filter.column))?;
                }
            }
        }
        for item in &query.order {
            self.kind(&item.column)
                .ok_or_else(|| self.no_column(&item.column))?;
        }
        Ok(())
    }

    /// The rows the user may see that pass the query's filters, ordered
    /// and paged, with all columns.
    pub(crate) fn matching(
        &self,
        db: &Connection,
        user: &str,
        query: &Query,
    ) -> Result<Vec<Map<String, Value>>, PgError> {
        self.check(query)?;
        let own: Vec<&ColumnFilter> = query.filters.iter().filter(|f| f.embed.is_none()).collect();
        let mut out = Vec::new();
        for row in self.rows(db, user)? {
            if !passes_all(self, &row, own.iter().copied())? {
                continue;
            }
            let mut any_ok = true;
            for group in &query.any_of {
                let mut ok = false;
                for filter in group {
                    if passes_all(self, &row, std::iter::once(filter))? {
                        ok = true;
                    }
                }
                any_ok &= ok;
            }
            if any_ok {
                out.push(row);
            }
        }
        if !query.order.is_empty() {
            query::sort_rows(&mut out, &query.order);
        }
        let out = out.into_iter().skip(query.offset);
        Ok(match query.limit {
            Some(limit) => out.take(limit).collect(),
            None => out.collect(),
        })
    }

    /// `rows` as the `select` list of `query` shapes them, with embedded
    /// resources read and filtered.
    pub(crate) fn project(
        &self,
        db: &Connection,
        user: &str,
        query: &Query,
        rows: Vec<Map<String, Value>>,
    ) -> Result<Vec<Value>, PgError> {
        project(self, db, user, &query.select, &query.filters, rows)
    }
}

fn check_select(table: &Table, select: &[SelectItem]) -> Result<(), PgError> {
    for item in select {
        match item {
            SelectItem::All => {}
            SelectItem::Column { column, .. } => {
                table.kind(column).ok_or_else(|| table.no_column(column))?;
            }
            SelectItem::Embed {
                table: child,
                select,
                ..
            } => check_select(embed(table, child)?, select)?,
        }
    }
    Ok(())
}

/// The table embedded in `parent` as `child`.
fn embed(parent: &Table, child: &str) -> Result<&'static Table, PgError> {
    EMBEDS
        .iter()
        .find(|(p, c, _)| *p == parent.name && *c == child)
        .and_then(|(_, c, _)| table(c))
        .ok_or_else(|| {
            PgError::new(
                StatusCode::BAD_REQUEST,
                "PGRST200",
                format!(
                    "Could not find a relationship between '{}' and '{child}' in the schema cache",
                    parent.name
                ),
            )
        })
}

fn passes_all<'a>(
    table: &Table,
    row: &Map<String, Value>,
    filters: impl Iterator<Item = &'a ColumnFilter>,
) -> Result<bool, PgError> {
    for filter in filters {
        let kind = table
            .kind(&filter.column)
            .ok_or_else(|| table.no_column(&filter.column))?;
        let value = row.get(&filter.column).unwrap_or(&Value::Null);
        let value = &query::json_path(value, &filter.path, filter.text);
        let normalize = |operand: &str| -> Result<String, String> {
            match kind {
                Id => operand
                    .parse::<FlowId>()
                    .map(|id| format!("{id:#}"))
                    .map_err(|_| format!("invalid input syntax for type macaddr8: {operand:?}")),
                _ => Ok(operand.to_string()),
            }
        };
        let ok = query::passes(value, &filter.filter, &normalize)
            .map_err(|message| PgError::new(StatusCode::BAD_REQUEST, "22P02", message))?;
        if !ok {
            return Ok(false);
        }
    }
    Ok(true)
}

fn project(
    table: &Table,
    db: &Connection,
    user: &str,
    select: &[SelectItem],
    filters: &[ColumnFilter],
    rows: Vec<Map<String, Value>>,
) -> Result<Vec<Value>, PgError> {
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        if select.is_empty() {
            out.push(Value::Object(row));
            continue;
        }
        let mut shaped = Map::new();
        for item in select {
            match item {
                SelectItem::All => {
                    for (k, v) in &row {
                        shaped.insert(k.clone(), v.clone());
                    }
                }
                SelectItem::Column {
                    name,
                    column,
                    path,
                    text,
                } => {
                    let value = row.get(column).cloned().unwrap_or(Value::Null);
                    shaped.insert(name.clone(), query::json_path(&value, path, *text));
                }
                SelectItem::Embed {
                    name,
                    table: child_name,
                    select: child_select,
                } => {
                    let child = embed(table, child_name)?;
                    let join = EMBEDS
                        .iter()
                        .find(|(p, c, _)| *p == table.name && c == child_name)
                        .map(|(_, _, column)| *column)
                        .unwrap_or_default();
                    let child_filters: Vec<ColumnFilter> = filters
                        .iter()
                        .filter(|f| f.embed.as_deref() == Some(child_name.as_str()))
                        .cloned()
                        .collect();
                    let mut children = Vec::new();
                    for child_row in child.rows(db, user)? {
                        if child_row.get(join) == row.get(join)
                            && passes_all(child, &child_row, child_filters.iter())?
                        {
                            children.push(child_row);
                        }
                    }
                    let children = project(child, db, user, child_select, &[], children)?;
                    shaped.insert(name.clone(), Value::Array(children));
                }
            }
        }
        out.push(Value::Object(shaped));
    }
    Ok(out)
}

/// The colon form of a stored id (16 hex digits), as PostgREST prints a
/// `macaddr8`; anything else as it is.
pub(crate) fn colon_id(stored: &str) -> String {
    stored
        .parse::<FlowId>()
        .map(|id| format!("{id:#}"))
        .unwrap_or_else(|_| stored.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every table's SQL runs against the store's schema and reads as
    /// many columns as the table declares, with an empty store and with
    /// one row of each kind.
    #[test]
    fn every_table_reads_its_columns() {
        let store = crate::Store::open(None).unwrap();
        let user = store.local_user().unwrap();
        store
            .add_connector_tag("ghcr.io/estuary/source-x", ":v1", "{}", true)
            .unwrap();
        store
            .put_storage_mapping("acmeCo/", r#"{"stores":[]}"#)
            .unwrap();
        store
            .transaction(|tx| {
                tx.execute_batch(&format!(
                    "insert into drafts values ('0000000000000001', '{u}', 'd', 't', 't');
                     insert into draft_specs values ('0000000000000001', 'acmeCo/x', 'collection', '{{}}', null, null, 't', 't');
                     insert into draft_errors values ('0000000000000001', 'flow://collection/acmeCo/x', 'e');
                     insert into publications values ('0000000000000002', '{u}', '0000000000000001', 0, null, null, 'tok', '{{\"type\":\"queued\"}}', null, 't', 't');
                     insert into live_specs (id, catalog_name, spec_type, spec, md5, last_pub_id, last_build_id, created_at, updated_at)
                         values ('0000000000000003', 'acmeCo/x', 'collection', '{{}}', 'm', '0000000000000002', '0000000000000002', 't', 't');",
                    u = user.id
                ))
            })
            .unwrap();
        let counts: Vec<(&str, usize)> = store
            .transaction(|tx| {
                Ok(TABLES
                    .iter()
                    .map(|t| (t.name, t.rows(tx, &user.id).unwrap().len()))
                    .collect())
            })
            .unwrap();
        assert_eq!(
            counts,
            [
                ("drafts", 1),
                ("drafts_ext", 1),
                ("draft_specs", 1),
                ("draft_specs_ext", 1),
                ("draft_errors", 1),
                ("publications", 1),
                ("live_specs", 1),
                ("live_specs_ext", 1),
                ("inferred_schemas", 0),
                ("data_planes", 1),
                ("storage_mappings", 1),
                ("connectors", 1),
                ("connector_tags", 1),
            ]
        );
        // Another user sees none of the first one's drafts.
        let theirs: Vec<usize> = store
            .transaction(|tx| {
                Ok(["drafts", "draft_specs", "draft_errors", "publications"]
                    .iter()
                    .map(|t| table(t).unwrap().rows(tx, "someone-else").unwrap().len())
                    .collect())
            })
            .unwrap();
        assert_eq!(theirs, [0, 0, 0, 0]);
    }
}
