//! The token functions of the local control plane over real loopback
//! HTTP: flowspec's own client against them, and bad requests of every
//! kind answered as PostgREST answers them.

use std::collections::BTreeMap;
use std::ffi::OsString;

use flowspec::client::http::Api;
use flowspec::client::{CredentialSource, Endpoints, ProfileFile, Session};
use flowspec_server::{ControlPlane, Options};
use serde_json::{json, Value};

use flowspec::client::unix_now as now;

/// A session under `home` whose profile `local` is the plane's
/// (`--write-profile local`).
fn session(home: &std::path::Path, plane: &ControlPlane) -> Session {
    let env: BTreeMap<OsString, OsString> = BTreeMap::from([("HOME".into(), home.into())]);
    ProfileFile::locate("local", &env)
        .unwrap()
        .save(&plane.profile())
        .unwrap();
    Session::open(Some("local"), &env).unwrap()
}

#[tokio::test]
async fn the_client_signs_in_with_the_printed_token_and_creates_its_own() {
    let plane = ControlPlane::start(Options::ephemeral()).await.unwrap();
    let banner = plane.banner();
    let lines: Vec<&str> = banner.lines().collect();
    assert_eq!(lines[0], format!("postgrest: {}", plane.endpoints().pg_url));
    assert!(
        lines[1].starts_with("agent: http://127.0.0.1:")
            && lines[2].starts_with("config-encryption: http://127.0.0.1:")
    );
    assert_eq!(
        lines[3],
        format!("FLOW_AUTH_TOKEN={}", plane.auth_token().to_base64())
    );

    let home = tempfile::tempdir().unwrap();
    let mut session = session(home.path(), &plane);
    assert_eq!(session.source, CredentialSource::Profile);
    let api = Api::new(session.endpoints()).unwrap();
    let access = session
        .access_token(&api, now(), false)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(access.claims().email.as_deref(), Some("local@flowspec.dev"));
    assert!(access.claims().exp > now() + 3500);

    // A lone access token gets a refresh token of its own.
    let mut lone = session.clone();
    lone.credentials.refresh = None;
    lone.access_token(&api, now(), true).await.unwrap();
    let created = lone.credentials.refresh.clone().unwrap();
    assert_ne!(&created, plane.auth_token());
    assert_eq!(
        created.id.len(),
        23,
        "the colon form of PostgREST: {}",
        created.id
    );
    // ... which exchanges in its turn.
    lone.credentials.access = None;
    assert!(lone
        .access_token(&api, now(), false)
        .await
        .unwrap()
        .is_some());
    plane.stop().await;
}

#[tokio::test]
async fn tokens_survive_a_restart_with_a_database_file() {
    let dir = tempfile::tempdir().unwrap();
    let options = Options {
        db: Some(dir.path().join("cp.db")),
        ..Options::ephemeral()
    };
    let first = ControlPlane::start(options.clone()).await.unwrap();
    let token = first.auth_token().clone();
    first.stop().await;
    let second = ControlPlane::start(options).await.unwrap();
    let home = tempfile::tempdir().unwrap();
    let mut session = session(home.path(), &second);
    session.credentials.refresh = Some(token);
    let api = Api::new(session.endpoints()).unwrap();
    assert!(session
        .access_token(&api, now(), false)
        .await
        .unwrap()
        .is_some());
    second.stop().await;
}

/// Sends `body` to `path` of PostgREST with `apikey` (if given) and a
/// bearer (if given); returns the status and JSON answer.
async fn call(
    endpoints: &Endpoints,
    path: &str,
    apikey: Option<&str>,
    bearer: Option<&str>,
    body: Vec<u8>,
) -> (u16, Value) {
    let mut request = reqwest::Client::new()
        .post(format!("{}{path}", endpoints.pg_url))
        .header("Content-Type", "application/json")
        .body(body);
    if let Some(key) = apikey {
        request = request.header("apikey", key);
    }
    if let Some(token) = bearer {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (
        status,
        serde_json::from_slice(&response.bytes().await.unwrap()).unwrap_or(Value::Null),
    )
}

fn pg_error(code: &str, message: &str) -> Value {
    json!({"code": code, "details": null, "hint": null, "message": message})
}

#[tokio::test]
async fn bad_requests_get_postgrest_errors_and_change_nothing() {
    let plane = ControlPlane::start(Options::ephemeral()).await.unwrap();
    let e = plane.endpoints().clone();
    let key = Some(e.pg_public_token.as_str());
    let token = plane.auth_token().clone();
    let exchange = |id: &str, secret: &str| {
        json!({"refresh_token_id": id, "secret": secret})
            .to_string()
            .into_bytes()
    };
    let rpc = "/rpc/generate_access_token";
    // (apikey, path, body, status, answer)
    type Case<'a> = (Option<&'a str>, &'a str, Vec<u8>, u16, Value);
    let cases: Vec<Case> = vec![
        (None, rpc, exchange(&token.id, token.secret()), 401, json!({"message": "No API key found in request"})),
        (Some("other"), rpc, exchange(&token.id, token.secret()), 401, json!({"message": "Invalid API key"})),
        (key, rpc, b"{not json".to_vec(), 400, pg_error("PGRST102", "Empty or invalid json")),
        (key, rpc, b"[1]".to_vec(), 400, pg_error("PGRST102", "Empty or invalid json")),
        (
            key,
            rpc,
            json!({"refresh_token_id": token.id}).to_string().into_bytes(),
            404,
            pg_error("PGRST202", "Could not find the function public.generate_access_token(refresh_token_id) in the schema cache"),
        ),
        (key, rpc, exchange("xyz", "s"), 400, pg_error("22P02", "invalid input syntax for type macaddr8: \"xyz\"")),
        (key, rpc, exchange("0000000000000001", "s"), 400, pg_error("P0001", "could not find refresh_token with the given `refresh_token_id`")),
        (key, rpc, exchange(&token.id, "wrong"), 400, pg_error("P0001", "invalid secret provided")),
        (
            key,
            "/drafts",
            b"{}".to_vec(),
            401,
            pg_error("42501", "permission denied for table drafts"),
        ),
        (
            key,
            "/drafts/1",
            b"{}".to_vec(),
            404,
            pg_error("PGRST125", "Invalid path specified in request URL: /drafts/1 is not served by this local control plane yet"),
        ),
        (
            key,
            "/rpc/create_refresh_token",
            json!({"multi_use": true, "valid_for": "90d", "detail": "x"}).to_string().into_bytes(),
            401,
            pg_error("42501", "permission denied for function create_refresh_token"),
        ),
    ];
    for (apikey, path, body, status, answer) in cases {
        assert_eq!(
            call(&e, path, apikey, None, body).await,
            (status, answer),
            "{path}"
        );
    }
    // A forged bearer is refused.
    let forged = "eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjQwMDAwMDAwMDAsInN1YiI6InUiLCJhdWQiOiJhdXRoZW50aWNhdGVkIn0.c2ln";
    let (status, answer) = call(
        &e,
        "/rpc/create_refresh_token",
        key,
        Some(forged),
        b"{}".to_vec(),
    )
    .await;
    assert_eq!((status, answer["code"].as_str()), (401, Some("PGRST301")));
    // A body over 2 MiB is refused before it is read.
    assert_eq!(
        call(&e, rpc, key, None, vec![b' '; 3 * 1024 * 1024]).await,
        (413, json!({"message": "Request size limit exceeded"}))
    );
    // The routes not served yet say so.
    let response = reqwest::get(format!("{}api/v1/catalog/status", e.agent_url))
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 404);
    assert_eq!(
        response.json::<Value>().await.unwrap(),
        json!({"error": "not_found", "message": "the agent API of this local control plane does not serve /api/v1/catalog/status yet"})
    );
    // After all of that, the token still works.
    let (status, answer) = call(&e, rpc, key, None, exchange(&token.id, token.secret())).await;
    assert_eq!(status, 200, "{answer}");
    plane.stop().await;
}
