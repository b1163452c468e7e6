//! The token calls over real loopback HTTP, against a server that records
//! each request as it arrives and answers as PostgREST answers.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use serde_json::{json, Value};

use super::http::Api;
use super::{
    unsigned_jwt, AccessToken, CredentialSource, GivenToken, Profile, RefreshToken, Session,
};

/// A request as the server saw it.
#[derive(Debug, Clone, PartialEq)]
struct Seen {
    method: String,
    uri: String,
    apikey: Option<String>,
    authorization: Option<String>,
    content_type: Option<String>,
    accept: Option<String>,
    body: Value,
}

/// A loopback server answering each request with the next of `answers`.
struct Server {
    url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
    runtime: tokio::runtime::Runtime,
}

impl Server {
    fn start(answers: Vec<(StatusCode, Value)>) -> Server {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let answers = Arc::new(Mutex::new(answers.into_iter()));
        let record = seen.clone();
        let app = axum::Router::new().fallback(
            move |method: Method, uri: Uri, headers: HeaderMap, body: Bytes| {
                let record = record.clone();
                let answers = answers.clone();
                async move {
                    let header =
                        |name: &str| headers.get(name).map(|v| v.to_str().unwrap().to_string());
                    record.lock().unwrap().push(Seen {
                        method: method.to_string(),
                        uri: uri.to_string(),
                        apikey: header("apikey"),
                        authorization: header("authorization"),
                        content_type: header("content-type"),
                        accept: header("accept"),
                        body: serde_json::from_slice(&body).unwrap_or(Value::Null),
                    });
                    let (status, body) = answers.lock().unwrap().next().expect("an answer");
                    // A string answers as plain text, as the encryption
                    // service's errors are.
                    match body {
                        Value::String(text) => {
                            axum::response::IntoResponse::into_response((status, text))
                        }
                        body => {
                            axum::response::IntoResponse::into_response((status, axum::Json(body)))
                        }
                    }
                }
            },
        );
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .unwrap();
        let url = format!("http://{}/rest/v1", listener.local_addr().unwrap());
        runtime.spawn(async move { axum::serve(listener, app).await.unwrap() });
        Server { url, seen, runtime }
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

/// A session of profile `local` under `home`, its PostgREST at `pg_url`,
/// holding `stored` in the profile, and `FLOW_AUTH_TOKEN` if given.
fn session(
    home: &std::path::Path,
    pg_url: &str,
    stored: Profile,
    env_token: Option<&str>,
) -> Session {
    let mut env: BTreeMap<OsString, OsString> = BTreeMap::from([("HOME".into(), home.into())]);
    let file = super::ProfileFile::locate("local", &env).unwrap();
    file.save(&Profile {
        pg_url: Some(pg_url.to_string()),
        ..stored
    })
    .unwrap();
    if let Some(token) = env_token {
        env.insert("FLOW_AUTH_TOKEN".into(), token.into());
    }
    Session::open(Some("local"), &env).unwrap()
}

const NOW: i64 = 1_800_000_000;

fn access(exp: i64) -> String {
    unsigned_jwt(json!({"exp": exp, "sub": "u-1", "email": "ann@acme.co"}))
}

#[test]
fn a_refresh_token_is_exchanged_without_a_bearer_and_saved_to_the_profile() {
    let fresh = access(NOW + 3600);
    let server = Server::start(vec![(StatusCode::OK, json!({"access_token": fresh}))]);
    let home = tempfile::tempdir().unwrap();
    let stored = Profile {
        user_refresh_token: Some(RefreshToken::new("0123456789abcdef", "hunter2")),
        ..Profile::default()
    };
    let mut session = session(home.path(), &server.url, stored, None);
    let api = Api::new(session.endpoints()).unwrap();
    let token = super::blocking(session.access_token(&api, NOW, false)).unwrap();
    assert_eq!(token.map(|t| t.as_str().to_string()), Some(fresh.clone()));
    assert_eq!(
        server.seen(),
        vec![Seen {
            method: "POST".into(),
            uri: "/rest/v1/rpc/generate_access_token".into(),
            apikey: Some(super::Endpoints::local().pg_public_token),
            authorization: None,
            content_type: Some("application/json".into()),
            accept: Some("application/json".into()),
            body: json!({"refresh_token_id": "0123456789abcdef", "secret": "hunter2"}),
        }]
    );
    // Saved: the next session reuses it without a call.
    let saved = session.file.load().unwrap();
    assert_eq!(saved.user_access_token.as_deref(), Some(fresh.as_str()));
    assert_eq!(
        saved.user_refresh_token,
        Some(RefreshToken::new("0123456789abcdef", "hunter2"))
    );
    let mut again = Session::open(
        Some("local"),
        &BTreeMap::from([("HOME".into(), home.path().into())]),
    )
    .unwrap();
    let reused = super::blocking(again.access_token(&api, NOW, false)).unwrap();
    assert_eq!(reused.map(|t| t.claims().exp), Some(NOW + 3600));
    assert_eq!(server.seen().len(), 1, "no second call");
    drop(server.runtime);
}

#[test]
fn flow_auth_token_is_exchanged_and_kept_in_memory_and_rotated_tokens_are_taken() {
    let fresh = access(NOW + 3600);
    let server = Server::start(vec![(
        StatusCode::OK,
        json!({"access_token": fresh, "refresh_token": {"id": "00000000000000bb", "secret": "rotated"}}),
    )]);
    let home = tempfile::tempdir().unwrap();
    let given = RefreshToken::new("00000000000000aa", "from-env").to_base64();
    let mut session = session(home.path(), &server.url, Profile::default(), Some(&given));
    assert_eq!(session.source, CredentialSource::Environment);
    let api = Api::new(session.endpoints()).unwrap();
    super::blocking(session.access_token(&api, NOW, false)).unwrap();
    assert_eq!(
        server.seen()[0].body,
        json!({"refresh_token_id": "00000000000000aa", "secret": "from-env"})
    );
    assert_eq!(
        session.credentials.refresh,
        Some(RefreshToken::new("00000000000000bb", "rotated"))
    );
    let text = std::fs::read_to_string(session.file.path()).unwrap();
    assert!(
        !text.contains("rotated") && !text.contains("from-env") && !text.contains(&fresh),
        "{text}"
    );
}

#[test]
fn a_lone_access_token_creates_a_refresh_token_with_its_bearer() {
    let jwt = access(NOW + 600);
    let server = Server::start(vec![(
        StatusCode::OK,
        json!({"id": "01:23:45:67:89:ab:cd:ef", "secret": "c0ffee"}),
    )]);
    let home = tempfile::tempdir().unwrap();
    let mut session = session(home.path(), &server.url, Profile::default(), None);
    session
        .configure(GivenToken::Access(
            AccessToken::parse(&jwt, "--token").unwrap(),
        ))
        .unwrap();
    let api = Api::new(session.endpoints()).unwrap();
    super::blocking(session.access_token(&api, NOW, true)).unwrap();
    let seen = server.seen();
    assert_eq!(seen[0].uri, "/rest/v1/rpc/create_refresh_token");
    assert_eq!(seen[0].authorization, Some(format!("Bearer {jwt}")));
    assert_eq!(
        seen[0].body,
        json!({"multi_use": true, "valid_for": "90d", "detail": "Created by flowspec"})
    );
    assert_eq!(
        session.file.load().unwrap().user_refresh_token,
        Some(RefreshToken::new("01:23:45:67:89:ab:cd:ef", "c0ffee"))
    );
}

#[test]
fn refusals_and_unreachable_servers_are_errors_that_name_the_call_and_no_secret() {
    let server = Server::start(vec![(
        StatusCode::BAD_REQUEST,
        json!({"code": "P0001", "details": null, "hint": null, "message": "invalid secret provided"}),
    )]);
    let home = tempfile::tempdir().unwrap();
    let stored = Profile {
        user_refresh_token: Some(RefreshToken::new("0123456789abcdef", "hunter2")),
        ..Profile::default()
    };
    let mut refused = session(home.path(), &server.url, stored.clone(), None);
    let api = Api::new(refused.endpoints()).unwrap();
    let err = super::blocking(refused.access_token(&api, NOW, false)).unwrap_err();
    assert_eq!(err.code(), "control_plane_refused");
    assert_eq!(
        err.to_string(),
        "POST /rpc/generate_access_token: 400 Bad Request: invalid secret provided"
    );
    assert_eq!(
        refused.file.load().unwrap().user_access_token,
        None,
        "nothing saved"
    );

    // A port nobody listens on.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/rest/v1", closed.local_addr().unwrap());
    drop(closed);
    let mut unreachable = session(home.path(), &url, stored, None);
    let api = Api::new(unreachable.endpoints()).unwrap();
    let err = super::blocking(unreachable.access_token(&api, NOW, false)).unwrap_err();
    assert_eq!(err.code(), "control_plane_unreachable");
    let message = err.to_string();
    assert!(
        message.starts_with(&format!(
            "POST /rpc/generate_access_token: cannot reach the control plane at {url}: "
        )),
        "{message}"
    );
    assert!(!message.contains("hunter2"), "{message}");
}

/// An API that retries quickly.
fn quick(api: Api) -> Api {
    api.with_retry(super::http::Retry {
        attempts: 3,
        base: std::time::Duration::from_millis(5),
        max: std::time::Duration::from_millis(20),
    })
}

#[test]
fn reads_are_repeated_after_5xx_and_inserts_never_are() {
    let server = Server::start(vec![
        (
            StatusCode::SERVICE_UNAVAILABLE,
            json!({"message": "restarting"}),
        ),
        (StatusCode::BAD_GATEWAY, json!({"message": "restarting"})),
        (StatusCode::OK, json!([{"id": "0000000000000001"}])),
        (
            StatusCode::INTERNAL_SERVER_ERROR,
            json!({"message": "boom"}),
        ),
    ]);
    let home = tempfile::tempdir().unwrap();
    let session = session(home.path(), &server.url, Profile::default(), None);
    let api = quick(Api::new(session.endpoints()).unwrap());
    let read = super::postgrest::Request::get("drafts").select(&["id"]);
    let rows = super::blocking(api.postgrest(&read, None)).unwrap();
    assert_eq!(rows, json!([{"id": "0000000000000001"}]));
    assert_eq!(server.seen().len(), 3, "two failures, then the answer");

    let insert = super::postgrest::Request::insert("drafts", json!({"detail": "d"}));
    let err = super::blocking(api.postgrest(&insert, None)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "POST /drafts: 500 Internal Server Error: boom"
    );
    assert_eq!(server.seen().len(), 4, "an insert is sent once");
}

#[test]
fn retries_are_bounded_and_the_last_failure_is_reported() {
    let server = Server::start(vec![
        (StatusCode::SERVICE_UNAVAILABLE, json!({"message": "down"})),
        (StatusCode::SERVICE_UNAVAILABLE, json!({"message": "down"})),
        (
            StatusCode::SERVICE_UNAVAILABLE,
            json!({"message": "still down"}),
        ),
    ]);
    let home = tempfile::tempdir().unwrap();
    let session = session(home.path(), &server.url, Profile::default(), None);
    let api = quick(Api::new(session.endpoints()).unwrap());
    let err = super::blocking(api.postgrest(&super::postgrest::Request::get("drafts"), None))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "GET /drafts: 503 Service Unavailable: still down"
    );
    assert_eq!(server.seen().len(), 3);
}

#[test]
fn a_401_renews_the_access_token_once() {
    let stale = access(NOW * 2);
    let fresh = access(NOW * 2 + 1);
    let server = Server::start(vec![
        (
            StatusCode::UNAUTHORIZED,
            json!({"code": "PGRST301", "message": "JWT expired"}),
        ),
        (StatusCode::OK, json!({"access_token": fresh})),
        (StatusCode::OK, json!([])),
    ]);
    let home = tempfile::tempdir().unwrap();
    let stored = Profile {
        user_access_token: Some(stale.clone()),
        user_refresh_token: Some(RefreshToken::new("0123456789abcdef", "hunter2")),
        ..Profile::default()
    };
    let session = session(home.path(), &server.url, stored, None);
    let connection = super::connection::Connection::new(session).unwrap();
    let rows = super::blocking(
        connection.postgrest(&super::postgrest::Request::get("drafts").select(&["id"])),
    )
    .unwrap();
    assert_eq!(rows, json!([]));
    let seen = server.seen();
    let calls: Vec<(&str, &str, Option<&str>)> = seen
        .iter()
        .map(|s| {
            (
                s.method.as_str(),
                s.uri.as_str(),
                s.authorization.as_deref(),
            )
        })
        .collect();
    let stale_bearer = format!("Bearer {stale}");
    let fresh_bearer = format!("Bearer {fresh}");
    assert_eq!(
        calls,
        vec![
            (
                "GET",
                "/rest/v1/drafts?select=id",
                Some(stale_bearer.as_str())
            ),
            ("POST", "/rest/v1/rpc/generate_access_token", None),
            (
                "GET",
                "/rest/v1/drafts?select=id",
                Some(fresh_bearer.as_str())
            ),
        ]
    );
}

#[test]
fn encryption_refusals_never_repeat_the_values_of_the_config() {
    let message = r##"failed to validate config against schema: [{"absoluteKeywordLocation":"#/properties/port/type","detail":"wrong type","instanceLocation":"/password","instanceValue":"hunter2"}]"##;
    let server = Server::start(vec![(
        StatusCode::BAD_REQUEST,
        Value::String(message.to_string()),
    )]);
    let home = tempfile::tempdir().unwrap();
    let mut session = session(home.path(), &server.url, Profile::default(), None);
    session.profile.config_encryption_url = Some(server.url.replace("/rest/v1", "/"));
    let api = Api::new(session.endpoints()).unwrap();
    let err = super::blocking(api.encrypt_config(&json!({"password": "hunter2"}), &json!({})))
        .unwrap_err();
    let text = err.to_string();
    assert!(!text.contains("hunter2"), "{text}");
    assert!(text.contains(r#""instanceLocation":"/password""#), "{text}");
    assert_eq!(server.seen()[0].uri, "/v1/encrypt-config");
    assert_eq!(
        server.seen()[0].body,
        json!({"config": {"password": "hunter2"}, "schema": {}})
    );
}
