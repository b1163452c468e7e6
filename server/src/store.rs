//! The control plane's state in SQLite: its user, refresh tokens and the
//! key access tokens are signed with; drafts, publications, what is live
//! and its history, logs, data planes, storage mappings and connector
//! schemas. In memory by default; in a file with `--db`, so that all of it
//! survives a restart.

use std::path::Path;
use std::sync::Mutex;

use flowspec::client::{FlowId, IdGenerator};
use rand::RngCore;
use rusqlite::{params, Connection, OptionalExtension};
use sha2::{Digest, Sha256};

use crate::ServerError;

/// The schema, created when missing.
const SCHEMA: &str = r#"
create table if not exists settings (
    key text primary key,
    value text not null
);
create table if not exists users (
    id text primary key,
    email text not null unique
);
create table if not exists refresh_tokens (
    id text primary key,
    user_id text not null references users(id),
    secret_sha256 text not null,
    multi_use integer not null,
    valid_for_secs integer not null,
    detail text,
    created_at integer not null,
    updated_at integer not null
);
-- Ids are flowids as 16 lowercase hex digits; times are RFC 3339 text in
-- UTC with microseconds (`2026-01-01T00:00:00.123456+00:00`); specs are
-- JSON text exactly as staged, so that key order (and sops MACs) survive.
create table if not exists data_planes (
    id text primary key,
    data_plane_name text not null unique,
    created_at text not null
);
-- `spec` is a models::StorageDef: {"stores": [...], "data_planes": [...]}.
create table if not exists storage_mappings (
    catalog_prefix text primary key,
    spec text not null,
    updated_at text not null
);
-- Endpoint schemas of connector images; `image_tag` keeps its leading `:`.
create table if not exists connector_tags (
    image_name text not null,
    image_tag text not null,
    endpoint_spec_schema text not null,
    is_default integer not null default 0,
    primary key (image_name, image_tag)
);
create table if not exists drafts (
    id text primary key,
    user_id text not null references users(id),
    detail text,
    created_at text not null,
    updated_at text not null
);
-- A deletion has `spec_type` and `spec` both null.
create table if not exists draft_specs (
    draft_id text not null references drafts(id) on delete cascade,
    catalog_name text not null,
    spec_type text check (spec_type in ('capture', 'collection', 'materialization', 'test')),
    spec text,
    expect_pub_id text,
    detail text,
    created_at text not null,
    updated_at text not null,
    primary key (draft_id, catalog_name),
    check ((spec_type is null) = (spec is null))
);
create table if not exists draft_errors (
    draft_id text not null references drafts(id) on delete cascade,
    scope text not null,
    detail text not null
);
-- `job_status` is JSON ({"type": "queued"} until the agent runs it);
-- `draft_id` is kept after the draft is deleted.
create table if not exists publications (
    id text primary key,
    user_id text not null references users(id),
    draft_id text not null,
    dry_run integer not null,
    detail text,
    data_plane_name text,
    logs_token text not null unique,
    job_status text not null,
    pub_id text,
    created_at text not null,
    updated_at text not null
);
-- What is live: one row per catalog name; `spec` null once deleted.
-- `md5` is of the spec written compactly, keys in staged order
-- (`store::spec_md5`); `prune_unchanged_draft_specs` compares drafts by it.
-- `reads_from` / `writes_to` are JSON arrays of catalog names.
create table if not exists live_specs (
    id text primary key,
    catalog_name text not null unique,
    spec_type text,
    spec text,
    md5 text,
    last_pub_id text not null,
    last_build_id text not null,
    data_plane_id text,
    reads_from text not null default '[]',
    writes_to text not null default '[]',
    created_at text not null,
    updated_at text not null
);
-- Every publication of every spec: the history of `catalog history`.
create table if not exists publication_specs (
    live_spec_id text not null,
    pub_id text not null,
    catalog_name text not null,
    spec_type text,
    spec text,
    detail text,
    user_id text not null,
    published_at text not null,
    primary key (live_spec_id, pub_id)
);
create table if not exists log_lines (
    seq integer primary key autoincrement,
    token text not null,
    stream text not null,
    log_line text not null,
    logged_at text not null
);
create index if not exists log_lines_token on log_lines (token, logged_at);
create index if not exists publications_queued on publications (json_extract(job_status, '$.type'));
"#;

/// The data plane every local control plane has, and the default one.
pub const LOCAL_DATA_PLANE: &str = "ops/dp/public/local-cluster";

/// The user of a local control plane.
pub const LOCAL_USER_EMAIL: &str = "local@flowspec.dev";

/// A user of the control plane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// Its id (a UUID, as Supabase's).
    pub id: String,
    /// Its email.
    pub email: String,
}

/// Why a refresh token cannot be exchanged: the words of the SQL function
/// `generate_access_token`, which PostgREST returns as `P0001`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExchangeError {
    /// No token has that id.
    #[error("could not find refresh_token with the given `refresh_token_id`")]
    Unknown,
    /// The secret is wrong.
    #[error("invalid secret provided")]
    InvalidSecret,
    /// The token is past its validity.
    #[error("refresh_token has expired.")]
    Expired,
}

/// A refresh token that was exchanged: its user, and the token that
/// replaces a single-use one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exchanged {
    /// The token's user.
    pub user: User,
    /// The new token (id and secret) of a single-use one.
    pub rotated: Option<(FlowId, String)>,
}

/// The store.
pub struct Store {
    db: Mutex<Connection>,
    ids: Mutex<IdGenerator>,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn sha256(text: &str) -> String {
    hex(&Sha256::digest(text.as_bytes()))
}

impl Store {
    /// Opens the store in `path`, or in memory.
    pub fn open(path: Option<&Path>) -> Result<Store, ServerError> {
        let db = match path {
            Some(path) => Connection::open(path),
            None => Connection::open_in_memory(),
        }
        .map_err(|e| ServerError::Store(format!("cannot open the database: {e}")))?;
        db.execute_batch("pragma foreign_keys = on;")
            .and_then(|()| db.execute_batch(SCHEMA))
            .map_err(|e| ServerError::Store(format!("cannot create the schema: {e}")))?;
        let store = Store {
            db: Mutex::new(db),
            ids: Mutex::new(IdGenerator::new(1)),
        };
        let id = store.next_id().to_string();
        store.transaction(|tx| {
            tx.execute(
                "insert or ignore into data_planes (id, data_plane_name, created_at) values (?1, ?2, ?3)",
                params![id, LOCAL_DATA_PLANE, timestamp(crate::now_micros())],
            )
        })?;
        Ok(store)
    }

    fn db(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.db.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Runs `work` in one transaction: all of it is applied, or none.
    pub fn transaction<R>(
        &self,
        work: impl FnOnce(&rusqlite::Transaction<'_>) -> rusqlite::Result<R>,
    ) -> Result<R, ServerError> {
        let mut db = self.db();
        let tx = db.transaction().map_err(store_error)?;
        let result = work(&tx).map_err(store_error)?;
        tx.commit().map_err(store_error)?;
        Ok(result)
    }

    /// A new id of the control plane (time-ordered, unique in this store).
    pub fn next_id(&self) -> FlowId {
        self.ids.lock().unwrap_or_else(|e| e.into_inner()).next()
    }

    /// Adds a data plane named `name` (if there is none of that name) and
    /// returns its id. Publications choose one with `data_plane_name`.
    ///
    /// ```
    /// let store = flowspec_server::Store::open(None).unwrap();
    /// let id = store.add_data_plane("ops/dp/public/other").unwrap();
    /// assert_eq!(store.add_data_plane("ops/dp/public/other").unwrap(), id);
    /// ```
    pub fn add_data_plane(&self, name: &str) -> Result<FlowId, ServerError> {
        let id = self.next_id();
        let stored: String = self.transaction(|tx| {
            tx.execute(
                "insert or ignore into data_planes (id, data_plane_name, created_at) values (?1, ?2, ?3)",
                params![id.to_string(), name, timestamp(crate::now_micros())],
            )?;
            tx.query_row(
                "select id from data_planes where data_plane_name = ?1",
                params![name],
                |r| r.get(0),
            )
        })?;
        stored.parse().map_err(|_| {
            ServerError::Store(format!(
                "the id of data plane {name} is not a flowid: {stored}"
            ))
        })
    }

    /// Sets the storage mapping of `catalog_prefix` (ending in `/`):
    /// `spec` is a `models::StorageDef`, `{"stores": [...], "data_planes":
    /// [...]}`, whose first data plane is where a publication that names
    /// none places the new specs of the prefix.
    ///
    /// ```
    /// let store = flowspec_server::Store::open(None).unwrap();
    /// store.put_storage_mapping("acmeCo/", r#"{"stores": [], "data_planes": ["ops/dp/public/local-cluster"]}"#).unwrap();
    /// ```
    pub fn put_storage_mapping(&self, catalog_prefix: &str, spec: &str) -> Result<(), ServerError> {
        self.transaction(|tx| {
            tx.execute(
                "insert or replace into storage_mappings (catalog_prefix, spec, updated_at) values (?1, ?2, ?3)",
                params![catalog_prefix, spec, timestamp(crate::now_micros())],
            )
            .map(|_| ())
        })
    }

    /// Adds (or replaces) the endpoint schema of a connector image's tag
    /// (`tag` with its leading `:`), as `connectors` embeds it.
    ///
    /// ```
    /// let store = flowspec_server::Store::open(None).unwrap();
    /// store.add_connector_tag("ghcr.io/estuary/source-x", ":v1", r#"{"type": "object"}"#, true).unwrap();
    /// ```
    pub fn add_connector_tag(
        &self,
        image_name: &str,
        tag: &str,
        endpoint_spec_schema: &str,
        is_default: bool,
    ) -> Result<(), ServerError> {
        self.transaction(|tx| {
            tx.execute(
                "insert or replace into connector_tags (image_name, image_tag, endpoint_spec_schema, is_default) values (?1, ?2, ?3, ?4)",
                params![image_name, tag, endpoint_spec_schema, is_default],
            )
            .map(|_| ())
        })
    }

    /// The key access tokens are signed with, made on first use.
    pub fn jwt_secret(&self) -> Result<String, ServerError> {
        let db = self.db();
        let found: Option<String> = db
            .query_row(
                "select value from settings where key = 'jwt_secret'",
                [],
                |r| r.get(0),
            )
            .optional()
            .map_err(store_error)?;
        if let Some(secret) = found {
            return Ok(secret);
        }
        let mut bytes = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut bytes);
        let secret = hex(&bytes);
        db.execute(
            "insert into settings (key, value) values ('jwt_secret', ?1)",
            params![secret],
        )
        .map_err(store_error)?;
        Ok(secret)
    }

    /// The local user, made on first use.
    pub fn local_user(&self) -> Result<User, ServerError> {
        let db = self.db();
        let found: Option<String> = db
            .query_row(
                "select id from users where email = ?1",
                params![LOCAL_USER_EMAIL],
                |r| r.get(0),
            )
            .optional()
            .map_err(store_error)?;
        let id = match found {
            Some(id) => id,
            None => {
                let id = uuid_v4();
                db.execute(
                    "insert into users (id, email) values (?1, ?2)",
                    params![id, LOCAL_USER_EMAIL],
                )
                .map_err(store_error)?;
                id
            }
        };
        Ok(User {
            id,
            email: LOCAL_USER_EMAIL.to_string(),
        })
    }

    /// The user of `id`.
    pub fn user(&self, id: &str) -> Result<Option<User>, ServerError> {
        self.db()
            .query_row(
                "select id, email from users where id = ?1",
                params![id],
                |r| {
                    Ok(User {
                        id: r.get(0)?,
                        email: r.get(1)?,
                    })
                },
            )
            .optional()
            .map_err(store_error)
    }

    /// A new refresh token of `user`; returns its id and secret (64 hex
    /// digits; only its hash is stored).
    pub fn create_refresh_token(
        &self,
        user: &User,
        multi_use: bool,
        valid_for_secs: i64,
        detail: Option<&str>,
        now: i64,
    ) -> Result<(FlowId, String), ServerError> {
        let id = self.ids.lock().unwrap_or_else(|e| e.into_inner()).next();
        let mut bytes = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut bytes);
        let secret = hex(&bytes);
        self.db()
            .execute(
                "insert into refresh_tokens (id, user_id, secret_sha256, multi_use, valid_for_secs, detail, created_at, updated_at) \
                 values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
                params![id.to_string(), user.id, sha256(&secret), multi_use, valid_for_secs, detail, now],
            )
            .map_err(store_error)?;
        Ok((id, secret))
    }

    /// Checks a refresh token at `now`: its user, and for a single-use
    /// token a new one that replaces it. A multi-use token's validity
    /// slides: each use restarts it.
    pub fn exchange(
        &self,
        id: FlowId,
        secret: &str,
        now: i64,
    ) -> Result<Result<Exchanged, ExchangeError>, ServerError> {
        let row: Option<(String, String, bool, i64, i64)> = self
            .db()
            .query_row(
                "select user_id, secret_sha256, multi_use, valid_for_secs, updated_at from refresh_tokens where id = ?1",
                params![id.to_string()],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .optional()
            .map_err(store_error)?;
        let Some((user_id, hash, multi_use, valid_for, updated_at)) = row else {
            return Ok(Err(ExchangeError::Unknown));
        };
        if hash != sha256(secret) {
            return Ok(Err(ExchangeError::InvalidSecret));
        }
        if updated_at + valid_for < now {
            return Ok(Err(ExchangeError::Expired));
        }
        let user = self.user(&user_id)?.ok_or_else(|| {
            ServerError::Store(format!("the user {user_id} of a refresh token is missing"))
        })?;
        if multi_use {
            self.db()
                .execute(
                    "update refresh_tokens set updated_at = ?2 where id = ?1",
                    params![id.to_string(), now],
                )
                .map_err(store_error)?;
            return Ok(Ok(Exchanged {
                user,
                rotated: None,
            }));
        }
        self.db()
            .execute(
                "delete from refresh_tokens where id = ?1",
                params![id.to_string()],
            )
            .map_err(store_error)?;
        let rotated = self.create_refresh_token(&user, false, valid_for, None, now)?;
        Ok(Ok(Exchanged {
            user,
            rotated: Some(rotated),
        }))
    }
}

/// A random (version 4) UUID, as PostgreSQL's `gen_random_uuid()` prints
/// it: user ids and `logs_token`s.
///
/// ```
/// let id = flowspec_server::store::uuid_v4();
/// assert_eq!((id.len(), &id[14..15]), (36, "4"));
/// ```
pub fn uuid_v4() -> String {
    let mut bytes = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let h = hex(&bytes);
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )
}

/// `micros` since the epoch as the store writes times: RFC 3339 in UTC
/// with microseconds, as PostgREST prints a `timestamptz`.
///
/// ```
/// assert_eq!(flowspec_server::store::timestamp(1_767_225_600_123_456), "2026-01-01T00:00:00.123456+00:00");
/// ```
pub fn timestamp(micros: i64) -> String {
    chrono::DateTime::from_timestamp_micros(micros)
        .unwrap_or_default()
        .format("%Y-%m-%dT%H:%M:%S%.6f+00:00")
        .to_string()
}

/// The md5 of a spec, as `live_specs.md5` holds it and
/// `prune_unchanged_draft_specs` compares it: of the spec's JSON written
/// compactly, keys in the order they were staged, numbers as written. Two
/// texts of one spec that differ only in white space have one md5.
///
/// ```
/// use serde_json::json;
/// use flowspec_server::store::spec_md5;
/// assert_eq!(spec_md5(&json!({})), "99914b932bd37a50b983c5e7c90ae93b");
/// ```
pub fn spec_md5(spec: &serde_json::Value) -> String {
    hex(&md5::Md5::digest(spec.to_string().as_bytes()))
}

/// [`spec_md5`] of a spec's JSON text; `None` if it is not JSON.
///
/// ```
/// use flowspec_server::store::spec_text_md5;
/// assert_eq!(spec_text_md5(" { } ").as_deref(), Some("99914b932bd37a50b983c5e7c90ae93b"));
/// assert_eq!(spec_text_md5("{"), None);
/// ```
pub fn spec_text_md5(text: &str) -> Option<String> {
    serde_json::from_str::<serde_json::Value>(text)
        .ok()
        .map(|v| spec_md5(&v))
}

impl Store {
    /// Runs `work` in one transaction, committed only if it returns `Ok`.
    pub fn try_transaction<R, E>(
        &self,
        work: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<R, E>,
    ) -> Result<R, E>
    where
        E: From<ServerError>,
    {
        let mut db = self.db();
        let tx = db.transaction().map_err(|e| E::from(store_error(e)))?;
        let result = work(&tx)?;
        tx.commit().map_err(|e| E::from(store_error(e)))?;
        Ok(result)
    }
}

fn store_error(err: rusqlite::Error) -> ServerError {
    ServerError::Store(err.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_checked_and_single_use_ones_rotate() {
        let store = Store::open(None).unwrap();
        let user = store.local_user().unwrap();
        assert_eq!(store.local_user().unwrap(), user, "one local user");
        let (id, secret) = store
            .create_refresh_token(&user, true, 100, Some("t"), 1000)
            .unwrap();
        assert_eq!(secret.len(), 64);
        assert_eq!(
            store.exchange(id, &secret, 1050).unwrap(),
            Ok(Exchanged {
                user: user.clone(),
                rotated: None
            })
        );
        // Multi-use validity slides from the last use.
        assert_eq!(
            store.exchange(id, &secret, 1140).unwrap(),
            Ok(Exchanged {
                user: user.clone(),
                rotated: None
            })
        );
        assert_eq!(
            store.exchange(id, &secret, 1241).unwrap(),
            Err(ExchangeError::Expired)
        );
        assert_eq!(
            store.exchange(id, "nope", 1100).unwrap(),
            Err(ExchangeError::InvalidSecret)
        );
        assert_eq!(
            store.exchange(FlowId::new(1), &secret, 1100).unwrap(),
            Err(ExchangeError::Unknown)
        );

        let (once, once_secret) = store
            .create_refresh_token(&user, false, 100, None, 1000)
            .unwrap();
        let Ok(Exchanged {
            rotated: Some((next, next_secret)),
            ..
        }) = store.exchange(once, &once_secret, 1001).unwrap()
        else {
            panic!("a single-use token rotates");
        };
        assert_eq!(
            store.exchange(once, &once_secret, 1002).unwrap(),
            Err(ExchangeError::Unknown)
        );
        assert!(store.exchange(next, &next_secret, 1002).unwrap().is_ok());
    }

    #[test]
    fn a_database_file_keeps_the_key_and_the_tokens() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cp.db");
        let (key, id, secret) = {
            let store = Store::open(Some(&path)).unwrap();
            let user = store.local_user().unwrap();
            let (id, secret) = store
                .create_refresh_token(&user, true, 100, None, 0)
                .unwrap();
            (store.jwt_secret().unwrap(), id, secret)
        };
        let store = Store::open(Some(&path)).unwrap();
        assert_eq!(store.jwt_secret().unwrap(), key);
        assert!(store.exchange(id, &secret, 10).unwrap().is_ok());
    }
}
