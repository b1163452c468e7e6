//! The PostgREST routes, under `/rest/v1`: Supabase's `apikey` check,
//! the token functions, and PostgREST's error bodies
//! (`{"code","details","hint","message"}`).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Request, State as Extract};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use flowspec::client::FlowId;
use serde_json::{json, Value};

use crate::{now, tokens, State};

/// The largest body a route reads (the agent's limit).
const BODY_LIMIT: usize = 2 * 1024 * 1024;

/// A PostgREST error: its status, its code and its message.
struct PgError(StatusCode, &'static str, String);

impl IntoResponse for PgError {
    fn into_response(self) -> Response {
        let PgError(status, code, message) = self;
        let body = json!({"code": code, "details": null, "hint": null, "message": message});
        (status, Json(body)).into_response()
    }
}

/// A PostgREST error as a response.
fn error(status: StatusCode, code: &'static str, message: impl Into<String>) -> Response {
    PgError(status, code, message.into()).into_response()
}

/// The PostgREST of the control plane.
pub(crate) fn router(state: Arc<State>) -> Router {
    let api = Router::new()
        .route("/rpc/generate_access_token", post(generate_access_token))
        .route("/rpc/create_refresh_token", post(create_refresh_token))
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
        _ => Err(PgError(
            StatusCode::BAD_REQUEST,
            "PGRST102",
            "Empty or invalid json".into(),
        )),
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
        _ => Err(PgError(
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
async fn generate_access_token(Extract(state): Extract<Arc<State>>, body: Bytes) -> Response {
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
    body: Bytes,
) -> Response {
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
