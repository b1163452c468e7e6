//! flowspec's client publishing through a proxy that injects faults between
//! it and the local control plane: dropped requests, lost answers, 5xx,
//! delays, and a restart of the control plane on its database file. No spec
//! is lost, none is published twice, and no draft is left behind.

use std::time::Duration;

use flowspec::client::connection::Connection;
use flowspec::client::http::{Api, Retry};
use flowspec::client::publication::{publish, PublishOptions, Quiet};
use flowspec::client::{GivenToken, Profile, Session};
use flowspec_server::proxy::{Fault, Proxy, Rule};
use flowspec_server::{ControlPlane, Options};

const CATALOG: &str = r#"
captures:
  acmeCo/source-hello:
    endpoint:
      connector:
        image: ghcr.io/estuary/source-hello-world:dev
        config: {rate: 1, token_sops: hunter2-plaintext}
    bindings:
      - resource: {name: greetings}
        target: acmeCo/greetings
collections:
  acmeCo/greetings:
    schema: {type: object, properties: {id: {type: string}}, required: [id]}
    key: [/id]
materializations:
  acmeCo/to-postgres:
    endpoint:
      connector:
        image: ghcr.io/estuary/materialize-postgres:dev
        config: {address: "db:5432", user: flow, database: flow, password_sops: hunter2-plaintext}
    bindings:
      - resource: {table: greetings}
        source: acmeCo/greetings
"#;

/// Proxies in front of each service of a control plane.
struct Proxies {
    pg: Proxy,
    agent: Proxy,
    encryption: Proxy,
}

impl Proxies {
    async fn start(plane: &ControlPlane) -> Proxies {
        let e = plane.endpoints();
        Proxies {
            pg: Proxy::start(&base(&e.pg_url), vec![]).await.unwrap(),
            agent: Proxy::start(&base(&e.agent_url), vec![]).await.unwrap(),
            encryption: Proxy::start(&base(&e.config_encryption_url), vec![])
                .await
                .unwrap(),
        }
    }

    /// Points every proxy at `plane`.
    fn redirect(&self, plane: &ControlPlane) {
        let e = plane.endpoints();
        self.pg.set_upstream(&base(&e.pg_url));
        self.agent.set_upstream(&base(&e.agent_url));
        self.encryption
            .set_upstream(&base(&e.config_encryption_url));
    }

    /// A connection to the control plane through the proxies, with quick
    /// retries.
    fn connection(&self, plane: &ControlPlane) -> Connection {
        let profile = Profile {
            pg_url: Some(format!("{}/rest/v1", self.pg.url())),
            agent_url: Some(format!("{}/", self.agent.url())),
            config_encryption_url: Some(format!("{}/", self.encryption.url())),
            ..Profile::default()
        };
        let token =
            GivenToken::parse(&plane.auth_token().to_base64(), "the plane's token").unwrap();
        let session = Session::in_memory("local", profile, Some(token));
        let api = Api::new(session.endpoints()).unwrap().with_retry(Retry {
            attempts: 6,
            base: Duration::from_millis(20),
            max: Duration::from_millis(400),
        });
        Connection::with_api(session, api)
    }
}

/// The scheme, host and port of a URL: what a proxy forwards to.
fn base(url: &str) -> String {
    let url = url::Url::parse(url).unwrap();
    format!(
        "{}://{}:{}",
        url.scheme(),
        url.host_str().unwrap(),
        url.port().unwrap()
    )
}

fn count(plane: &ControlPlane, sql: &str) -> i64 {
    plane
        .store()
        .transaction(|tx| tx.query_row(sql, [], |r| r.get(0)))
        .unwrap()
}

fn options() -> PublishOptions {
    PublishOptions {
        poll_interval: Duration::from_millis(50),
        log_interval: Duration::from_millis(20),
        ..PublishOptions::default()
    }
}

fn catalog(dir: &std::path::Path) -> flowspec::Catalog {
    let path = dir.join("flow.yaml");
    std::fs::write(&path, CATALOG).unwrap();
    flowspec::Catalog::load(path.to_str().unwrap()).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn faults_on_every_call_lose_nothing_and_double_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let plane = ControlPlane::start(Options::ephemeral()).await.unwrap();
    let proxies = Proxies::start(&plane).await;
    let connection = proxies.connection(&plane);
    let cat = catalog(dir.path());
    let source = dir.path().join("flow.yaml");

    // The answer to creating the draft is lost: the run fails, and the
    // draft it made is found and deleted.
    proxies
        .pg
        .add_rule(Rule::new("POST", "/rest/v1/drafts", Fault::DropResponse));
    let err = publish(&connection, &cat, &source, &options(), &mut Quiet)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "control_plane_unreachable", "{err}");
    assert_eq!(count(&plane, "select count(*) from drafts"), 0);
    assert_eq!(count(&plane, "select count(*) from publications"), 0);

    // Faults on every other call: retried where that is safe, recovered
    // where it is not.
    for (method, path, fault) in [
        ("GET", "/rest/v1/data_planes", Fault::Status(503)),
        ("GET", "/rest/v1/live_specs_ext", Fault::DropRequest),
        ("POST", "/rest/v1/draft_specs", Fault::DropResponse),
        ("POST", "/rest/v1/draft_specs", Fault::Status(500)),
        (
            "POST",
            "/rest/v1/rpc/prune_unchanged_draft_specs",
            Fault::Status(502),
        ),
        ("POST", "/rest/v1/publications", Fault::DropResponse),
        ("GET", "/rest/v1/publications", Fault::Status(500)),
        (
            "GET",
            "/rest/v1/publications",
            Fault::Delay(Duration::from_millis(300)),
        ),
        ("POST", "/rest/v1/rpc/view_logs", Fault::DropRequest),
    ] {
        proxies.pg.add_rule(Rule::new(method, path, fault));
    }
    proxies
        .agent
        .add_rule(Rule::new("POST", "/api/graphql", Fault::Status(502)));
    proxies
        .encryption
        .add_rule(Rule::new("POST", "/v1/encrypt-config", Fault::DropRequest));
    let published = publish(&connection, &cat, &source, &options(), &mut Quiet)
        .await
        .unwrap();
    assert_eq!(published.status, "success");
    assert_eq!(published.specs.len(), 3);

    assert_eq!(
        count(
            &plane,
            "select count(*) from live_specs where spec is not null"
        ),
        3
    );
    assert_eq!(
        count(&plane, "select count(*) from publication_specs"),
        3,
        "none published twice"
    );
    assert_eq!(
        count(&plane, "select count(*) from publications"),
        1,
        "the publication whose answer was lost was not made twice"
    );
    assert_eq!(
        count(&plane, "select count(*) from drafts"),
        0,
        "no draft left"
    );
    assert_eq!(proxies.pg.count("POST", "/rest/v1/publications"), 1);
    // No plaintext secret was sent anywhere but to the encryption service.
    for proxy in [&proxies.pg, &proxies.agent] {
        for (method, path, body) in proxy.requests() {
            let text = String::from_utf8_lossy(&body);
            assert!(!text.contains("hunter2"), "{method} {path}: {text}");
        }
    }
    assert!(proxies
        .encryption
        .requests()
        .iter()
        .any(|(_, _, body)| String::from_utf8_lossy(body).contains("hunter2-plaintext")));
    let live: String = plane
        .store()
        .transaction(|tx| {
            tx.query_row("select group_concat(spec) from live_specs", [], |r| {
                r.get(0)
            })
        })
        .unwrap();
    assert!(!live.contains("hunter2"));
    plane.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restart_of_the_control_plane_on_its_database_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("plane.db");
    let first = ControlPlane::start(Options {
        db: Some(db.clone()),
        ..Options::ephemeral()
    })
    .await
    .unwrap();
    let proxies = Proxies::start(&first).await;
    let connection = proxies.connection(&first);
    let cat = catalog(dir.path());
    let source = dir.path().join("flow.yaml");

    // Pruning waits in the proxy while the control plane restarts; then it
    // and everything after go to the new one.
    proxies.pg.add_rule(Rule::new(
        "POST",
        "/rest/v1/rpc/prune_unchanged_draft_specs",
        Fault::Delay(Duration::from_millis(1500)),
    ));
    let options = options();
    let mut quiet = Quiet;
    let publishing = publish(&connection, &cat, &source, &options, &mut quiet);
    let restart = async {
        while proxies.pg.count("POST", "/rest/v1/rpc/prune") == 0 {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        first.stop().await;
        let second = ControlPlane::start(Options {
            db: Some(db.clone()),
            ..Options::ephemeral()
        })
        .await
        .unwrap();
        proxies.redirect(&second);
        second
    };
    let (published, second) = tokio::join!(publishing, restart);
    let published = published.unwrap();
    assert_eq!(published.status, "success");
    assert_eq!(
        count(
            &second,
            "select count(*) from live_specs where spec is not null"
        ),
        3
    );
    assert_eq!(count(&second, "select count(*) from publication_specs"), 3);
    assert_eq!(count(&second, "select count(*) from drafts"), 0);
    second.stop().await;
}
