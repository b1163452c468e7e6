//! An HTTP proxy that records every request and injects faults: for
//! testing clients of the control plane (flowspec's own, or a CI job's)
//! against dropped connections, 5xx answers, delays and restarts, and for
//! counting the requests a client makes.
//!
//! Each request is matched against the proxy's [`Rule`]s in order; the
//! first whose method and path prefix match, and whose occurrence count
//! is due, decides its [`Fault`].
//!
//! ```
//! # flowspec::client::blocking(async {
//! use flowspec_server::proxy::{Fault, Proxy, Rule};
//! let proxy = Proxy::start("http://127.0.0.1:9", vec![Rule::new("GET", "/x", Fault::Status(503))]).await.unwrap();
//! let answer = reqwest::get(format!("{}/x", proxy.url())).await.unwrap();
//! assert_eq!(answer.status(), 503);
//! assert_eq!(proxy.seen(), vec![("GET".to_string(), "/x".to_string())]);
//! proxy.stop().await;
//! # });
//! ```

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};

/// What the proxy does with a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Forwards it.
    Forward,
    /// Answers with this status, without forwarding.
    Status(u16),
    /// Breaks the connection without forwarding: the request is lost.
    DropRequest,
    /// Forwards it, then breaks the connection instead of answering: the
    /// request took effect and its answer is lost.
    DropResponse,
    /// Waits this long, then forwards it.
    Delay(Duration),
}

/// When to inject a fault: requests with `method` whose path starts with
/// `path`, their `from`-th occurrence (counting from 1) and `times` of them
/// from there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// The HTTP method.
    pub method: String,
    /// A prefix of the path (without the query).
    pub path: String,
    /// The first occurrence it applies to.
    pub from: usize,
    /// How many occurrences it applies to.
    pub times: usize,
    /// The fault.
    pub fault: Fault,
    seen: usize,
}

impl Rule {
    /// The fault for the first matching request.
    ///
    /// ```
    /// use flowspec_server::proxy::{Fault, Rule};
    /// let rule = Rule::new("POST", "/rest/v1/draft_specs", Fault::DropResponse).occurrences(2, 3);
    /// assert_eq!((rule.from, rule.times), (2, 3));
    /// ```
    pub fn new(method: &str, path: &str, fault: Fault) -> Rule {
        Rule {
            method: method.to_string(),
            path: path.to_string(),
            from: 1,
            times: 1,
            fault,
            seen: 0,
        }
    }

    /// Applies to occurrences `from` (from 1) through `from + times - 1`.
    pub fn occurrences(mut self, from: usize, times: usize) -> Rule {
        self.from = from;
        self.times = times;
        self
    }
}

struct Shared {
    upstream: Mutex<String>,
    rules: Mutex<Vec<Rule>>,
    seen: Mutex<Vec<(String, String)>>,
    bodies: Mutex<Vec<Bytes>>,
    http: reqwest::Client,
}

/// A running proxy.
pub struct Proxy {
    url: String,
    shared: Arc<Shared>,
    shutdown: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<()>,
}

impl Proxy {
    /// Listens on a free port of 127.0.0.1 and forwards to `upstream` (a
    /// base URL: the request's path is appended to it).
    pub async fn start(upstream: &str, rules: Vec<Rule>) -> std::io::Result<Proxy> {
        let shared = Arc::new(Shared {
            upstream: Mutex::new(upstream.trim_end_matches('/').to_string()),
            rules: Mutex::new(rules),
            seen: Mutex::new(Vec::new()),
            bodies: Mutex::new(Vec::new()),
            http: reqwest::Client::new(),
        });
        let state = shared.clone();
        let app = axum::Router::new().fallback(
            move |method: Method, uri: Uri, headers: HeaderMap, body: Bytes| {
                let state = state.clone();
                async move { handle(&state, method, uri, headers, body).await }
            },
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}", listener.local_addr()?);
        let (shutdown, stop) = tokio::sync::oneshot::channel();
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    let _ = stop.await;
                })
                .await;
        });
        Ok(Proxy {
            url,
            shared,
            shutdown,
            task,
        })
    }

    /// Its base URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Forwards to another upstream from now on (after a restart on other
    /// ports, say).
    pub fn set_upstream(&self, upstream: &str) {
        *lock(&self.shared.upstream) = upstream.trim_end_matches('/').to_string();
    }

    /// Adds a rule, after the others.
    pub fn add_rule(&self, rule: Rule) {
        lock(&self.shared.rules).push(rule);
    }

    /// Every request so far: method and path.
    pub fn seen(&self) -> Vec<(String, String)> {
        lock(&self.shared.seen).clone()
    }

    /// Every request so far: method, path and body.
    pub fn requests(&self) -> Vec<(String, String, Bytes)> {
        let seen = lock(&self.shared.seen);
        let bodies = lock(&self.shared.bodies);
        seen.iter()
            .zip(bodies.iter())
            .map(|((m, p), b)| (m.clone(), p.clone(), b.clone()))
            .collect()
    }

    /// How many requests with `method` had a path starting with `path`.
    pub fn count(&self, method: &str, path: &str) -> usize {
        lock(&self.shared.seen)
            .iter()
            .filter(|(m, p)| m == method && p.starts_with(path))
            .count()
    }

    /// Stops listening.
    pub async fn stop(self) {
        let _ = self.shutdown.send(());
        let _ = self.task.await;
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// A response whose body fails at once: the connection breaks.
fn broken() -> Response {
    let stream = futures_util::stream::once(async {
        Err::<Bytes, std::io::Error>(std::io::Error::other("connection dropped by the proxy"))
    });
    Response::new(Body::from_stream(stream))
}

async fn handle(
    shared: &Shared,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path().to_string();
    {
        let mut seen = lock(&shared.seen);
        seen.push((method.to_string(), path.clone()));
        lock(&shared.bodies).push(body.clone());
    }
    let fault = {
        let mut rules = lock(&shared.rules);
        let mut fault = Fault::Forward;
        for rule in rules.iter_mut() {
            if rule.method == method.as_str() && path.starts_with(&rule.path) {
                rule.seen += 1;
                if rule.seen >= rule.from && rule.seen < rule.from + rule.times {
                    fault = rule.fault;
                    break;
                }
            }
        }
        fault
    };
    match fault {
        Fault::Status(code) => {
            let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            return (status, format!("injected by the proxy: {code}")).into_response();
        }
        Fault::DropRequest => return broken(),
        Fault::Delay(pause) => tokio::time::sleep(pause).await,
        Fault::Forward | Fault::DropResponse => {}
    }
    let target = format!(
        "{}{}",
        lock(&shared.upstream),
        uri.path_and_query().map_or("/", |p| p.as_str())
    );
    let mut request = shared.http.request(method, &target).body(body);
    for (name, value) in &headers {
        if name != "host" && name != "content-length" {
            request = request.header(name, value);
        }
    }
    let answer = match request.send().await {
        Ok(answer) => answer,
        Err(_) => return broken(),
    };
    if fault == Fault::DropResponse {
        return broken();
    }
    let status = answer.status();
    let mut out = HeaderMap::new();
    for (name, value) in answer.headers() {
        if name != "transfer-encoding" && name != "content-length" && name != "connection" {
            out.insert(name, value.clone());
        }
    }
    match answer.bytes().await {
        Ok(bytes) => (status, out, bytes).into_response(),
        Err(_) => broken(),
    }
}
