//! The agent API's GraphQL endpoint, `POST /api/graphql`, as flowctl
//! calls it: live specs (`catalog list`, `pull-specs`, `status`,
//! `history`, `draft`), authorized prefixes, data planes, storage
//! mappings, connector endpoint schemas, and the draft API.
//!
//! The bearer is an access token this control plane signed, or (without
//! a `.`) a refresh token in `FLOW_AUTH_TOKEN`'s base64 form, as the agent
//! accepts; anything else is a 401 (`{"error","message"}`). Errors of a
//! query come back with HTTP 200 in GraphQL's shape:
//! `{"data":null,"errors":[{"message","locations","path"}]}`.
//!
//! Models are returned as they were stored: object keys keep their order
//! and numbers their text, which keeps sops MACs valid.
//!
//! flowctl's `catalog status` passes `[String!]` where the schema has
//! `[Name!]`; since both are strings on the wire, a query whose only
//! validation errors are such string-for-string variable positions is
//! run anyway. Required variables are checked even when only `@include`
//! uses them.

mod catalog;
mod drafts;
mod page;
mod scalars;
mod status;

use std::sync::Arc;

use async_graphql::{
    Context, EmptySubscription, MergedObject, Request, Schema, ValidationMode, Variables,
};
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State as Extract};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use flowspec::client::{FlowId, RefreshToken};
use serde_json::json;

use crate::store::User;
use crate::{now, tokens, State};

pub(crate) use catalog::split_image;

/// The largest request body the agent reads.
const BODY_LIMIT: usize = 2 * 1024 * 1024;

/// The queries.
#[derive(MergedObject, Default)]
pub(crate) struct QueryRoot(catalog::CatalogQuery, drafts::DraftsQuery);

/// The schema of the agent API.
type AgentSchema = Schema<QueryRoot, drafts::DraftsMutation, EmptySubscription>;

/// What the GraphQL route shares.
#[derive(Clone)]
struct Gql {
    strict: AgentSchema,
    lenient: AgentSchema,
    state: Arc<State>,
}

fn schema(state: &Arc<State>, mode: ValidationMode) -> AgentSchema {
    Schema::build(
        QueryRoot::default(),
        drafts::DraftsMutation,
        EmptySubscription,
    )
    .data(state.clone())
    .validation_mode(mode)
    .limit_depth(64)
    .finish()
}

/// The routes of the agent API.
pub(crate) fn router(state: Arc<State>) -> Router {
    let gql = Gql {
        strict: schema(&state, ValidationMode::Strict),
        lenient: schema(&state, ValidationMode::Fast),
        state,
    };
    Router::new()
        .route("/api/graphql", post(graphql))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(gql)
        .merge(crate::postgrest::not_served("agent API"))
}

/// Why a request is refused.
enum Refused {
    /// A 401 with this message.
    Unauthenticated(&'static str),
    /// A 401 with the words of a refresh token's exchange.
    Exchange(crate::store::ExchangeError),
    /// The store failed.
    Internal,
}

impl IntoResponse for Refused {
    fn into_response(self) -> Response {
        let message = match self {
            Refused::Unauthenticated(message) => message.to_string(),
            Refused::Exchange(err) => err.to_string(),
            Refused::Internal => {
                return (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "the control plane's database failed",
                )
                    .into_response()
            }
        };
        let body = json!({"error": "unauthenticated", "message": message});
        (StatusCode::UNAUTHORIZED, Json(body)).into_response()
    }
}

/// The user of the request's bearer.
fn authorize(state: &State, headers: &HeaderMap) -> Result<User, Refused> {
    use Refused::Unauthenticated;
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Err(Unauthenticated(
            "this request requires an Authorization: Bearer token",
        ));
    };
    let bearer = value
        .to_str()
        .ok()
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim)
        .ok_or(Unauthenticated(
            "the Authorization header must be `Bearer <token>`",
        ))?;
    if bearer.contains('.') {
        let claims = tokens::verify(bearer, &state.jwt_secret).ok_or(Unauthenticated(
            "the access token is invalid, expired, or not signed by this control plane",
        ))?;
        return state
            .store
            .user(&claims.sub)
            .map_err(|_| Refused::Internal)?
            .ok_or(Unauthenticated("the access token's user does not exist"));
    }
    let token = RefreshToken::from_base64(bearer, "the bearer token").map_err(|_| {
        Unauthenticated("the bearer token is neither an access token nor a refresh token")
    })?;
    let id: FlowId = token
        .id
        .parse()
        .map_err(|_| Unauthenticated("the refresh token's id is not a flowid"))?;
    match state
        .store
        .exchange(id, token.secret(), now())
        .map_err(|_| Refused::Internal)?
    {
        Ok(exchanged) => Ok(exchanged.user),
        Err(err) => Err(Refused::Exchange(err)),
    }
}

/// A 400 for a body that is not a GraphQL request.
fn bad_request(message: String) -> Response {
    (StatusCode::BAD_REQUEST, message).into_response()
}

/// `POST /api/graphql`.
async fn graphql(Extract(gql): Extract<Gql>, headers: HeaderMap, body: Bytes) -> Response {
    let user = match authorize(&gql.state, &headers) {
        Ok(user) => user,
        Err(refused) => return refused.into_response(),
    };
    let body: serde_json::Value = match serde_json::from_slice(&body) {
        Ok(body) => body,
        Err(err) => return bad_request(format!("invalid GraphQL request: {err}")),
    };
    let Some(query) = body.get("query").and_then(|q| q.as_str()) else {
        return bad_request("invalid GraphQL request: `query` must be a string".into());
    };
    let variables = match body.get("variables") {
        None | Some(serde_json::Value::Null) => Variables::default(),
        Some(object @ serde_json::Value::Object(_)) => {
            Variables::from_value(scalars::from_json(object))
        }
        Some(_) => {
            return bad_request("invalid GraphQL request: `variables` must be an object".into())
        }
    };
    let operation = match body.get("operationName") {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::String(name)) => Some(name.clone()),
        Some(_) => {
            return bad_request("invalid GraphQL request: `operationName` must be a string".into())
        }
    };
    let request = || {
        let mut request = Request::new(query)
            .variables(variables.clone())
            .data(user.clone());
        if let Some(name) = &operation {
            request = request.operation_name(name.clone());
        }
        request
    };
    let missing = check_variables(query, operation.as_deref(), &body);
    if !missing.is_empty() {
        let response = async_graphql::Response::from_errors(missing);
        return match serde_json::to_vec(&response) {
            Ok(bytes) => ([(header::CONTENT_TYPE, "application/json")], bytes).into_response(),
            Err(err) => (StatusCode::INTERNAL_SERVER_ERROR, err.to_string()).into_response(),
        };
    }
    let mut response = gql.strict.execute(request()).await;
    if response.data == async_graphql::Value::Null
        && !response.errors.is_empty()
        && response
            .errors
            .iter()
            .all(|e| string_for_string(&e.message))
    {
        response = gql.lenient.execute(request()).await;
    }
    match serde_json::to_vec(&response) {
        Ok(bytes) => ([(header::CONTENT_TYPE, "application/json")], bytes).into_response(),
        Err(err) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("cannot serialize the response: {err}"),
        )
            .into_response(),
    }
}

/// The errors of variables the operation requires that the request does
/// not give, or gives as a value of the wrong built-in scalar type. (The
/// executor checks the values of variables used as arguments, but not
/// those used only in `@include` and `@skip`.)
fn check_variables(
    query: &str,
    operation: Option<&str>,
    body: &serde_json::Value,
) -> Vec<async_graphql::ServerError> {
    use async_graphql::parser::types::{BaseType, DocumentOperations};
    let Ok(document) = async_graphql::parser::parse_query(query) else {
        return Vec::new(); // The executor reports it.
    };
    let definition = match (&document.operations, operation) {
        (DocumentOperations::Single(op), _) => op,
        (DocumentOperations::Multiple(ops), Some(name)) => match ops.get(name) {
            Some(op) => op,
            None => return Vec::new(),
        },
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => match ops.values().next() {
            Some(op) => op,
            None => return Vec::new(),
        },
        _ => return Vec::new(),
    };
    let given = body.get("variables");
    let mut errors = Vec::new();
    for variable in &definition.node.variable_definitions {
        let name = variable.node.name.node.as_str();
        let ty = &variable.node.var_type.node;
        let value = given.and_then(|v| v.get(name)).filter(|v| !v.is_null());
        let Some(value) = value else {
            if !ty.nullable && variable.node.default_value.is_none() {
                errors.push(async_graphql::ServerError::new(
                    format!("Variable \"${name}\" of required type \"{ty}\" was not provided."),
                    Some(variable.pos),
                ));
            }
            continue;
        };
        let BaseType::Named(base) = &ty.base else {
            continue;
        };
        let fits = match base.as_str() {
            "Boolean" => value.is_boolean(),
            "Int" => value.as_i64().is_some_and(|n| i32::try_from(n).is_ok()),
            "Float" => value.is_number(),
            "String" => value.is_string(),
            _ => true,
        };
        if !fits {
            errors.push(async_graphql::ServerError::new(
                format!("Variable \"${name}\" of type \"{ty}\" got an invalid value {value}: expected {base}."),
                Some(variable.pos),
            ));
        }
    }
    errors
}

/// Whether a validation error is only a string-typed variable used where
/// another string scalar is expected (`[String!]` for `[Name!]`).
fn string_for_string(message: &str) -> bool {
    let Some(rest) = message.strip_prefix("Variable \"") else {
        return false;
    };
    let parts: Vec<&str> = rest.split('"').collect();
    // $name, " of type ", <var type>, " used in position expecting type ", <expected>, ""
    if parts.len() != 6 || parts[3] != " used in position expecting type " {
        return false;
    }
    let base = |t: &str| -> (String, String) {
        let shape: String = t.chars().filter(|c| matches!(c, '[' | ']')).collect();
        let name: String = t
            .chars()
            .filter(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        (shape, name)
    };
    let ((var_shape, var_name), (want_shape, want_name)) = (base(parts[2]), base(parts[4]));
    let strings = ["String", "Name", "Prefix"];
    var_shape == want_shape
        && strings.contains(&var_name.as_str())
        && strings.contains(&want_name.as_str())
        && (!parts[4].ends_with('!') || parts[2].ends_with('!'))
}

/// The control plane's state, for a resolver.
fn state<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a Arc<State>> {
    ctx.data::<Arc<State>>()
}

/// The request's user, for a resolver.
fn user<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a User> {
    ctx.data::<User>()
}

/// Runs `work` in a transaction of the store, for a resolver.
fn db<R>(
    ctx: &Context<'_>,
    work: impl FnOnce(&rusqlite::Transaction<'_>) -> rusqlite::Result<R>,
) -> async_graphql::Result<R> {
    state(ctx)?
        .store
        .transaction(work)
        .map_err(|e| async_graphql::Error::new(format!("Internal: {e}")))
}

#[cfg(test)]
mod tests {
    use super::string_for_string;

    #[test]
    fn only_string_scalars_stand_in_for_each_other() {
        let message = |var: &str, want: &str| {
            format!(
                "Variable \"$names\" of type \"{var}\" used in position expecting type \"{want}\""
            )
        };
        assert!(string_for_string(&message("[String!]", "[Name!]")));
        assert!(string_for_string(&message("String!", "Prefix")));
        assert!(!string_for_string(&message("String", "Name!")));
        assert!(!string_for_string(&message("Int", "Name")));
        assert!(!string_for_string(&message("String", "[Name!]")));
        assert!(!string_for_string(
            "Unknown field \"x\" on type \"QueryRoot\"."
        ));
    }
}
