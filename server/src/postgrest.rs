//! The PostgREST routes, under `/rest/v1`: Supabase's `apikey` check,
//! the token functions, the tables and views of [`crate::tables`] (read,
//! inserted, upserted and deleted as [`crate::writes`] allows, each
//! request in one transaction), the functions `prune_unchanged_draft_specs`
//! and `view_logs`, and PostgREST's error bodies
//! (`{"code","details","hint","message"}`). Every route but the token
//! functions takes a bearer token this control plane signed.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Path, Request, State as Extract};
use axum::http::{header, HeaderMap, Method, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, post};
use axum::{Json, Router};
use flowspec::client::FlowId;
use serde_json::{json, Value};

use crate::query::Query;
use crate::writes::invalid_json;
use crate::{now, tables, tokens, writes, State};

/// The largest body a route reads (the agent's limit).
const BODY_LIMIT: usize = 2 * 1024 * 1024;

/// A PostgREST error: its status, its code, its message and details.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PgError {
    pub(crate) status: StatusCode,
    pub(crate) code: &'static str,
    pub(crate) message: String,
    pub(crate) details: Option<String>,
}

impl PgError {
    /// An error without details.
    pub(crate) fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        PgError {
            status,
            code,
            message: message.into(),
            details: None,
        }
    }

    /// The same error with `details`.
    #[must_use]
    pub(crate) fn details(mut self, details: impl Into<String>) -> Self {
        self.details = Some(details.into());
        self
    }

    /// An internal failure (of the database): 500 `XX000`.
    pub(crate) fn internal(err: impl std::fmt::Display) -> Self {
        PgError::new(StatusCode::INTERNAL_SERVER_ERROR, "XX000", err.to_string())
    }
}

impl From<rusqlite::Error> for PgError {
    fn from(err: rusqlite::Error) -> Self {
        PgError::internal(err)
    }
}

impl From<crate::ServerError> for PgError {
    fn from(err: crate::ServerError) -> Self {
        PgError::internal(err)
    }
}

impl IntoResponse for PgError {
    fn into_response(self) -> Response {
        let body = json!({"code": self.code, "details": self.details, "hint": null, "message": self.message});
        (self.status, Json(body)).into_response()
    }
}

/// A PostgREST error as a response.
fn error(status: StatusCode, code: &'static str, message: impl Into<String>) -> Response {
    PgError::new(status, code, message).into_response()
}

/// The PostgREST of the control plane.
pub(crate) fn router(state: Arc<State>) -> Router {
    let api = Router::new()
        .route("/rpc/generate_access_token", post(generate_access_token))
        .route("/rpc/create_refresh_token", post(create_refresh_token))
        .route("/rpc/{function}", post(rpc))
        .route("/{table}", any(table_route))
        .fallback(|uri: Uri| async move {
            error(
                StatusCode::NOT_FOUND,
                "PGRST125",
                format!("Invalid path specified in request URL: {} is not served by this local control plane yet", uri.path()),
            )
        })
        .layer(middleware::from_fn_with_state(state.clone(), api_key))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(state);
    Router::new()
        .nest("/rest/v1", api)
        .fallback(|uri: Uri| async move {
            error(
                StatusCode::NOT_FOUND,
                "PGRST125",
                format!(
                    "Invalid path specified in request URL: {} (PostgREST is under /rest/v1)",
                    uri.path()
                ),
            )
        })
}

/// A service of the control plane that is not served yet: every request
/// is a 404 saying so.
pub(crate) fn not_served(what: &'static str) -> Router {
    Router::new().fallback(move |uri: Uri| async move {
        let body = json!({
            "error": "not_found",
            "message": format!("the {what} of this local control plane does not serve {} yet", uri.path()),
        });
        (StatusCode::NOT_FOUND, Json(body))
    })
}

/// Supabase's gateway: every request carries the public `apikey`.
async fn api_key(Extract(state): Extract<Arc<State>>, request: Request, next: Next) -> Response {
    match request.headers().get("apikey").map(|v| v.to_str()) {
        None => (
            StatusCode::UNAUTHORIZED,
            Json(json!({"message": "No API key found in request"})),
        )
            .into_response(),
        Some(Ok(key)) if key == state.public_token => next.run(request).await,
        Some(_) => (
            StatusCode::UNAUTHORIZED,
            Json(json!({"message": "Invalid API key"})),
        )
            .into_response(),
    }
}

/// The JSON object of a request body, or PostgREST's error.
fn body_object(body: &Bytes) -> Result<serde_json::Map<String, Value>, PgError> {
    match serde_json::from_slice(body) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(invalid_json()),
    }
}

/// The arguments `names` of a function call, all strings, or PostgREST's
/// "no such function" for another signature.
fn string_args(
    function: &str,
    args: &serde_json::Map<String, Value>,
    names: &[&str],
) -> Result<Vec<String>, PgError> {
    let mut given: Vec<&str> = args.keys().map(String::as_str).collect();
    given.sort_unstable();
    let mut wanted = names.to_vec();
    wanted.sort_unstable();
    let values: Option<Vec<String>> = names
        .iter()
        .map(|n| args.get(*n).and_then(Value::as_str).map(str::to_string))
        .collect();
    match values {
        Some(values) if given == wanted => Ok(values),
        _ => Err(PgError::new(
            StatusCode::NOT_FOUND,
            "PGRST202",
            format!(
                "Could not find the function public.{function}({}) in the schema cache",
                given.join(", ")
            ),
        )),
    }
}

/// `generate_access_token(refresh_token_id, secret)`: an access token for
/// a refresh token, and a new refresh token if it was single-use.
async fn generate_access_token(
    Extract(state): Extract<Arc<State>>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let body = match read_body(body) {
        Ok(body) => body,
        Err(response) => return *response,
    };
    let args = match body_object(&body) {
        Ok(args) => args,
        Err(err) => return err.into_response(),
    };
    let [id, secret] = match string_args(
        "generate_access_token",
        &args,
        &["refresh_token_id", "secret"],
    ) {
        Ok(values) => <[String; 2]>::try_from(values).expect("two names"),
        Err(err) => return err.into_response(),
    };
    let Ok(id) = id.parse::<FlowId>() else {
        return error(
            StatusCode::BAD_REQUEST,
            "22P02",
            format!("invalid input syntax for type macaddr8: {id:?}"),
        );
    };
    let now = now();
    match state.store.exchange(id, &secret, now) {
        Ok(Ok(crate::store::Exchanged { user, rotated })) => {
            let access = tokens::sign(&user, now, &state.jwt_secret);
            let body = match rotated {
                None => json!({"access_token": access}),
                Some((id, secret)) => json!({
                    "access_token": access,
                    "refresh_token": {"id": format!("{id:#}"), "secret": secret},
                }),
            };
            (StatusCode::OK, Json(body)).into_response()
        }
        Ok(Err(refusal)) => error(StatusCode::BAD_REQUEST, "P0001", refusal.to_string()),
        Err(err) => error(StatusCode::INTERNAL_SERVER_ERROR, "XX000", err.to_string()),
    }
}

/// `create_refresh_token(multi_use, valid_for, detail)`, for the user of
/// the bearer token.
async fn create_refresh_token(
    Extract(state): Extract<Arc<State>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let body = match read_body(body) {
        Ok(body) => body,
        Err(response) => return *response,
    };
    let bearer = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    let Some(bearer) = bearer else {
        return error(
            StatusCode::UNAUTHORIZED,
            "42501",
            "permission denied for function create_refresh_token",
        );
    };
    let Some(claims) = tokens::verify(bearer, &state.jwt_secret) else {
        return error(
            StatusCode::UNAUTHORIZED,
            "PGRST301",
            "JWT expired or not signed by this control plane",
        );
    };
    let args = match body_object(&body) {
        Ok(args) => args,
        Err(err) => return err.into_response(),
    };
    let multi_use = args.get("multi_use").and_then(Value::as_bool);
    let valid_for = args.get("valid_for").and_then(Value::as_str);
    let detail = args.get("detail").and_then(Value::as_str);
    let (Some(multi_use), Some(valid_for)) = (multi_use, valid_for) else {
        let mut given: Vec<&str> = args.keys().map(String::as_str).collect();
        given.sort_unstable();
        return error(
            StatusCode::NOT_FOUND,
            "PGRST202",
            format!(
                "Could not find the function public.create_refresh_token({}) in the schema cache",
                given.join(", ")
            ),
        );
    };
    let Ok(duration) = humantime::parse_duration(valid_for) else {
        return error(
            StatusCode::BAD_REQUEST,
            "22007",
            format!("invalid input syntax for type interval: {valid_for:?}"),
        );
    };
    let user = match state.store.user(&claims.sub) {
        Ok(Some(user)) => user,
        Ok(None) => {
            return error(
                StatusCode::UNAUTHORIZED,
                "PGRST301",
                "the token's user does not exist",
            )
        }
        Err(err) => return error(StatusCode::INTERNAL_SERVER_ERROR, "XX000", err.to_string()),
    };
    match state.store.create_refresh_token(
        &user,
        multi_use,
        duration.as_secs() as i64,
        detail,
        now(),
    ) {
        Ok((id, secret)) => (
            StatusCode::OK,
            Json(json!({"id": format!("{id:#}"), "secret": secret})),
        )
            .into_response(),
        Err(err) => error(StatusCode::INTERNAL_SERVER_ERROR, "XX000", err.to_string()),
    }
}

/// The claims of the request's bearer token, or PostgREST's 401: `42501`
/// without a token (the anonymous role may not touch `what`), `PGRST301`
/// for one this control plane did not sign or that expired.
fn authenticate(state: &State, headers: &HeaderMap, what: &str) -> Result<tokens::Claims, PgError> {
    let bearer = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    let Some(bearer) = bearer else {
        return Err(PgError::new(
            StatusCode::UNAUTHORIZED,
            "42501",
            format!("permission denied for {what}"),
        ));
    };
    tokens::verify(bearer, &state.jwt_secret).ok_or_else(|| {
        PgError::new(
            StatusCode::UNAUTHORIZED,
            "PGRST301",
            "JWT expired or not signed by this control plane",
        )
    })
}

/// The body, or the gateway's 413 for one over [`BODY_LIMIT`].
fn read_body(body: Result<Bytes, BytesRejection>) -> Result<Bytes, Box<Response>> {
    body.map_err(|rejection| {
        Box::new(if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            (
                StatusCode::PAYLOAD_TOO_LARGE,
                Json(json!({"message": "Request size limit exceeded"})),
            )
                .into_response()
        } else {
            invalid_json().into_response()
        })
    })
}

/// Whether the client wants one object (`.single()`).
fn wants_object(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains(flowspec::client::postgrest::ACCEPT_OBJECT))
}

/// The items of `Prefer`.
fn prefers(headers: &HeaderMap, item: &str) -> bool {
    headers
        .get_all("prefer")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|p| p.trim() == item)
}

/// PostgREST's 406 for `.single()` of other than one row.
fn not_single(rows: usize) -> PgError {
    PgError::new(
        StatusCode::NOT_ACCEPTABLE,
        "PGRST116",
        "Cannot coerce the result to a single JSON object",
    )
    .details(format!("The result contains {rows} rows"))
}

/// `rows` as the answer: an object for `.single()`, else an array.
fn answer(status: StatusCode, single: bool, rows: Vec<Value>) -> Response {
    let body = if single {
        rows.into_iter().next().unwrap_or(Value::Null)
    } else {
        Value::Array(rows)
    };
    (status, Json(body)).into_response()
}

/// Reads, inserts, upserts and deletes rows of a table or view.
async fn table_route(
    Extract(state): Extract<Arc<State>>,
    Path(name): Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let body = match read_body(body) {
        Ok(body) => body,
        Err(response) => return *response,
    };
    match table_request(&state, &name, &method, &uri, &headers, &body) {
        Ok(response) => response,
        Err(err) => err.into_response(),
    }
}

fn table_request(
    state: &State,
    name: &str,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Response, PgError> {
    let claims = authenticate(state, headers, &format!("table {name}"))?;
    let table = tables::table(name).ok_or_else(|| {
        PgError::new(
            StatusCode::NOT_FOUND,
            "PGRST205",
            format!("Could not find the table 'public.{name}' in the schema cache"),
        )
    })?;
    let query = Query::parse(uri.query().unwrap_or_default()).map_err(|err| {
        PgError::new(StatusCode::BAD_REQUEST, "PGRST100", err.message).details(err.details)
    })?;
    table.check(&query)?;
    let single = wants_object(headers);
    let representation = prefers(headers, "return=representation");
    let merge = prefers(headers, "resolution=merge-duplicates");
    let user = claims.sub.as_str();
    let store = &state.store;
    // Reads always answer rows; writes only with `return=representation`.
    let answered = *method == Method::GET || *method == Method::HEAD || representation;
    let (status, rows) = store.try_transaction(|tx| {
        let (status, rows) = match *method {
            Method::GET | Method::HEAD => (StatusCode::OK, table.matching(tx, user, &query)?),
            Method::POST => (
                StatusCode::CREATED,
                writes::insert(tx, store, table, user, &query, merge, body)?,
            ),
            Method::DELETE => (StatusCode::OK, writes::delete(tx, table, user, &query)?),
            _ => {
                return Err(PgError::new(
                    StatusCode::METHOD_NOT_ALLOWED,
                    "PGRST117",
                    format!("Unsupported HTTP method: {method}"),
                ))
            }
        };
        let mut rows = table.project(tx, user, &query, rows)?;
        // flowctl's resolver parses each `built_spec` it selects as a built
        // spec, which a control plane that builds nothing cannot give:
        // such a read finds no live specs, as the reference advises.
        if table.name == "live_specs_ext" && *method == Method::GET && selects_built_spec(&query) {
            rows.clear();
        }
        // `.single()` of other than one row changes nothing.
        if single && answered && rows.len() != 1 {
            return Err(not_single(rows.len()));
        }
        Ok((status, rows))
    })?;
    if *method == Method::POST && table.name == "publications" {
        state.wake.notify_one();
    }
    Ok(match (answered, status) {
        (true, status) => answer(status, single, rows),
        (false, StatusCode::CREATED) => StatusCode::CREATED.into_response(),
        (false, _) => StatusCode::NO_CONTENT.into_response(),
    })
}

/// Whether `query` selects `built_spec`.
fn selects_built_spec(query: &Query) -> bool {
    query.select.iter().any(|item| {
        matches!(item, crate::query::SelectItem::Column { column, .. } if column == "built_spec")
    })
}

/// The functions besides the token ones: `prune_unchanged_draft_specs`
/// and `view_logs`.
async fn rpc(
    Extract(state): Extract<Arc<State>>,
    Path(function): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let body = match read_body(body) {
        Ok(body) => body,
        Err(response) => return *response,
    };
    match rpc_request(&state, &function, &headers, &body) {
        Ok(rows) => answer(StatusCode::OK, wants_object(&headers), rows),
        Err(err) => err.into_response(),
    }
}

fn no_function(function: &str, args: &serde_json::Map<String, Value>) -> PgError {
    let mut given: Vec<&str> = args.keys().map(String::as_str).collect();
    given.sort_unstable();
    PgError::new(
        StatusCode::NOT_FOUND,
        "PGRST202",
        format!(
            "Could not find the function public.{function}({}) in the schema cache",
            given.join(", ")
        ),
    )
}

fn rpc_request(
    state: &State,
    function: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Vec<Value>, PgError> {
    let claims = authenticate(state, headers, &format!("function {function}"))?;
    let args = body_object(&Bytes::copy_from_slice(body))?;
    let user = claims.sub.as_str();
    let rows = match function {
        "prune_unchanged_draft_specs" => {
            let draft = match (args.len(), args.get("prune_draft_id")) {
                (1, Some(Value::String(id))) => id.parse::<FlowId>().map_err(|_| {
                    PgError::new(
                        StatusCode::BAD_REQUEST,
                        "22P02",
                        format!("invalid input syntax for type macaddr8: {id:?}"),
                    )
                })?,
                _ => return Err(no_function(function, &args)),
            };
            state
                .store
                .try_transaction(|tx| writes::prune_unchanged_draft_specs(tx, user, draft))?
        }
        "view_logs" => {
            let known = args
                .keys()
                .all(|k| k == "bearer_token" || k == "last_logged_at");
            let (Some(Value::String(token)), true) = (args.get("bearer_token"), known) else {
                return Err(no_function(function, &args));
            };
            let after = match args.get("last_logged_at") {
                None | Some(Value::Null) => None,
                Some(Value::String(at)) => Some(
                    chrono::DateTime::parse_from_rfc3339(at)
                        .ok()
                        .map(|t| {
                            crate::store::timestamp(t.with_timezone(&chrono::Utc).timestamp_micros())
                        })
                        .ok_or_else(|| {
                            PgError::new(
                                StatusCode::BAD_REQUEST,
                                "22007",
                                format!("invalid input syntax for type timestamp with time zone: {at:?}"),
                            )
                        })?,
                ),
                Some(other) => {
                    return Err(PgError::new(
                        StatusCode::BAD_REQUEST,
                        "22007",
                        format!("invalid input syntax for type timestamp with time zone: \"{other}\""),
                    ))
                }
            };
            state
                .store
                .try_transaction(|tx| view_logs(tx, user, token, after.as_deref()))?
        }
        _ => return Err(no_function(function, &args)),
    };
    Ok(rows)
}

/// The log lines of the user's publication whose `logs_token` is
/// `token`, after `after`, oldest first.
fn view_logs(
    db: &rusqlite::Connection,
    user: &str,
    token: &str,
    after: Option<&str>,
) -> Result<Vec<Value>, PgError> {
    let mut statement = db.prepare(
        "select l.token, l.stream, l.log_line, l.logged_at from log_lines l \
         join publications p on p.logs_token = l.token \
         where l.token = ?1 and p.user_id = ?2 and (?3 is null or l.logged_at > ?3) \
         order by l.logged_at, l.seq",
    )?;
    let rows = statement
        .query_map(rusqlite::params![token, user, after], |r| {
            Ok(json!({
                "token": r.get::<_, String>(0)?,
                "stream": r.get::<_, String>(1)?,
                "log_line": r.get::<_, String>(2)?,
                "logged_at": r.get::<_, String>(3)?,
            }))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}
