//! HTTP to the control plane: one reqwest client (rustls), PostgREST
//! requests sent with the headers flowctl sends, and answers read as
//! flowctl reads them. Bodies and messages never hold a token: a refused
//! call reports the control plane's message, which names no secret.

use serde_json::Value;

use super::postgrest::{Method, Request};
use super::{AccessToken, ClientError, Endpoints};

/// The control plane's HTTP APIs at some [`Endpoints`].
///
/// ```no_run
/// # async fn example() -> Result<(), flowspec::client::ClientError> {
/// use flowspec::client::{http::Api, postgrest::Request, Endpoints};
/// let api = Api::new(Endpoints::local())?;
/// let planes = api.postgrest(&Request::get("data_planes").select(&["id", "data_plane_name"]), None).await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Api {
    http: reqwest::Client,
    endpoints: Endpoints,
    retry: Retry,
}

/// How failed attempts of a call that may be repeated are repeated: on a
/// connection that fails, is reset or times out, and on a 5xx or 429
/// answer, after a pause that doubles from `base` up to `max`, of a random
/// length below that (full jitter), `attempts` times in all.
///
/// ```
/// let retry = flowspec::client::http::Retry::default();
/// assert_eq!(retry.attempts, 5);
/// assert!(retry.pause(1) <= retry.base && retry.pause(30) <= retry.max);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retry {
    /// Attempts in all (1: never repeated).
    pub attempts: u32,
    /// The first pause's bound.
    pub base: std::time::Duration,
    /// The longest pause.
    pub max: std::time::Duration,
}

impl Default for Retry {
    fn default() -> Self {
        Retry {
            attempts: 5,
            base: std::time::Duration::from_millis(250),
            max: std::time::Duration::from_secs(4),
        }
    }
}

impl Retry {
    /// The pause after failed attempt number `attempt` (from 1).
    pub fn pause(&self, attempt: u32) -> std::time::Duration {
        use rand::Rng as _;
        let bound = self
            .base
            .saturating_mul(1u32 << attempt.saturating_sub(1).min(16))
            .min(self.max);
        let millis = bound.as_millis() as u64;
        std::time::Duration::from_millis(rand::thread_rng().gen_range(0..=millis))
    }
}

/// Whether a failed call may succeed when repeated: the connection failed
/// or the control plane was briefly unable to answer.
fn transient(err: &ClientError) -> bool {
    match err {
        ClientError::Unreachable { .. } => true,
        ClientError::Refused { status, .. } => status.starts_with('5') || status.starts_with("429"),
        _ => false,
    }
}

impl Api {
    /// An API client of `endpoints`.
    ///
    /// ```
    /// let api = flowspec::client::http::Api::new(flowspec::client::Endpoints::local()).unwrap();
    /// assert_eq!(api.endpoints().pg_url, "http://localhost:5431/rest/v1");
    /// ```
    pub fn new(endpoints: Endpoints) -> Result<Self, ClientError> {
        let http = reqwest::Client::builder()
            .user_agent(concat!("flowspec-", env!("CARGO_PKG_VERSION")))
            .connect_timeout(std::time::Duration::from_secs(10))
            .timeout(std::time::Duration::from_secs(120))
            .build()
            .map_err(|e| ClientError::Unreachable {
                call: "starting the HTTP client".into(),
                url: endpoints.pg_url.clone(),
                reason: e.to_string(),
            })?;
        Ok(Api {
            http,
            endpoints,
            retry: Retry::default(),
        })
    }

    /// This client, repeating calls as `retry` says.
    ///
    /// ```
    /// use flowspec::client::{http::{Api, Retry}, Endpoints};
    /// let api = Api::new(Endpoints::local()).unwrap().with_retry(Retry { attempts: 1, ..Retry::default() });
    /// assert_eq!(api.retry().attempts, 1);
    /// ```
    pub fn with_retry(mut self, retry: Retry) -> Self {
        self.retry = retry;
        self
    }

    /// How calls are repeated.
    pub fn retry(&self) -> Retry {
        self.retry
    }

    /// Runs `attempt` until it succeeds, fails for good, or (when
    /// `repeatable`) runs out of attempts.
    async fn repeated<F, Fut>(&self, repeatable: bool, mut attempt: F) -> Result<Value, ClientError>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<Value, ClientError>>,
    {
        let attempts = if repeatable {
            self.retry.attempts.max(1)
        } else {
            1
        };
        let mut made = 0;
        loop {
            made += 1;
            match attempt().await {
                Err(err) if made < attempts && transient(&err) => {
                    tokio::time::sleep(self.retry.pause(made)).await;
                }
                result => return result,
            }
        }
    }

    /// The endpoints this client calls.
    ///
    /// ```
    /// # let api = flowspec::client::http::Api::new(flowspec::client::Endpoints::estuary()).unwrap();
    /// assert!(api.endpoints().agent_url.starts_with("https://"));
    /// ```
    pub fn endpoints(&self) -> &Endpoints {
        &self.endpoints
    }

    /// Sends a PostgREST request, with `apikey` always and
    /// `Authorization: Bearer` when `bearer` is given; returns the JSON
    /// answer (`null` for an empty one). A request marked
    /// [`retry`](Request::retry) is repeated after a transient failure.
    pub async fn postgrest(
        &self,
        request: &Request,
        bearer: Option<&AccessToken>,
    ) -> Result<Value, ClientError> {
        self.repeated(request.retry, || self.postgrest_once(request, bearer))
            .await
    }

    /// Sends a GraphQL query to the agent API (`POST {agent}/api/graphql`,
    /// no `apikey`), with `Authorization: Bearer` when `bearer` is given,
    /// and returns its `data`. Queries are repeated after a transient
    /// failure; mutations are not. Errors in the answer are a refusal that
    /// gives their messages.
    pub async fn graphql(
        &self,
        operation: &str,
        query: &str,
        variables: Value,
        bearer: Option<&AccessToken>,
    ) -> Result<Value, ClientError> {
        let body =
            serde_json::json!({"variables": variables, "query": query, "operationName": operation});
        let url = format!("{}api/graphql", with_slash(&self.endpoints.agent_url));
        let call = "POST /api/graphql".to_string();
        let repeatable = !query.trim_start().starts_with("mutation");
        let answer = self
            .repeated(repeatable, || async {
                let mut builder = self
                    .http
                    .post(&url)
                    .header("Content-Type", "application/json")
                    .body(body.to_string());
                if let Some(token) = bearer {
                    builder = builder.bearer_auth(token.as_str());
                }
                self.send(builder, &call, &self.endpoints.agent_url).await
            })
            .await?;
        let errors: Vec<String> = answer
            .get("errors")
            .and_then(Value::as_array)
            .map(|errors| {
                errors
                    .iter()
                    .map(|e| {
                        e.get("message")
                            .and_then(Value::as_str)
                            .map_or_else(|| e.to_string(), str::to_string)
                    })
                    .collect()
            })
            .unwrap_or_default();
        if !errors.is_empty() {
            return Err(ClientError::Refused {
                call,
                status: "graphql query errors".into(),
                message: errors.join("; "),
            });
        }
        match answer.get("data") {
            Some(data) if !data.is_null() => Ok(data.clone()),
            _ => Err(ClientError::Refused {
                call,
                status: "graphql".into(),
                message: "graphql query returned no data (also no errors)".into(),
            }),
        }
    }

    /// Asks the config-encryption service to encrypt `config`, whose
    /// secret fields `schema` (the connector's endpoint schema) marks
    /// (`POST {encryption}v1/encrypt-config`, no credentials); returns the
    /// sops-encrypted config. The config holds secrets in plaintext, so a
    /// refusal reports the service's message without any value of it.
    pub async fn encrypt_config(
        &self,
        config: &Value,
        schema: &Value,
    ) -> Result<Value, ClientError> {
        let url = format!(
            "{}v1/encrypt-config",
            with_slash(&self.endpoints.config_encryption_url)
        );
        let call = "POST /v1/encrypt-config".to_string();
        let body = serde_json::json!({"config": config, "schema": schema}).to_string();
        let result = self
            .repeated(true, || {
                let builder = self
                    .http
                    .post(&url)
                    .header("Content-Type", "application/json")
                    .body(body.clone());
                self.send(builder, &call, &self.endpoints.config_encryption_url)
            })
            .await;
        result.map_err(|err| match err {
            ClientError::Refused {
                call,
                status,
                message,
            } => ClientError::Refused {
                call,
                status,
                message: without_instance_values(&message),
            },
            other => other,
        })
    }

    /// Sends a request and reads its JSON answer (`null` for an empty one).
    async fn send(
        &self,
        builder: reqwest::RequestBuilder,
        call: &str,
        base: &str,
    ) -> Result<Value, ClientError> {
        let unreachable = |reason: String| ClientError::Unreachable {
            call: call.to_string(),
            url: base.to_string(),
            reason,
        };
        let response = builder.send().await.map_err(|e| unreachable(reason(&e)))?;
        let status = response.status();
        let bytes = response
            .bytes()
            .await
            .map_err(|e| unreachable(reason(&e)))?;
        if !status.is_success() {
            return Err(ClientError::Refused {
                call: call.to_string(),
                status: status.to_string(),
                message: refusal(&bytes),
            });
        }
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(Value::Null);
        }
        serde_json::from_slice(&bytes)
            .map_err(|e| unreachable(format!("the answer is not JSON ({e})")))
    }

    /// One attempt of [`Api::postgrest`].
    async fn postgrest_once(
        &self,
        request: &Request,
        bearer: Option<&AccessToken>,
    ) -> Result<Value, ClientError> {
        let target = request.path_and_query();
        let call = format!(
            "{} {}",
            request.method.as_str(),
            target.split('?').next().unwrap_or(&target)
        );
        let url = format!("{}{target}", self.endpoints.pg_url.trim_end_matches('/'));
        let mut builder = match request.method {
            Method::Get => self.http.get(&url),
            Method::Post => self.http.post(&url),
            Method::Delete => self.http.delete(&url),
        };
        builder = builder.header("apikey", &self.endpoints.pg_public_token);
        for (name, value) in &request.headers {
            builder = builder.header(*name, value);
        }
        if let Some(token) = bearer {
            builder = builder.bearer_auth(token.as_str());
        }
        if let Some(body) = &request.body {
            builder = builder
                .header("Content-Type", "application/json")
                .body(serde_json::to_vec(body).expect("a JSON value serializes"));
        }
        self.send(builder, &call, &self.endpoints.pg_url).await
    }
}

/// `url` with a final `/`, so that paths join to it.
fn with_slash(url: &str) -> String {
    if url.ends_with('/') {
        url.to_string()
    } else {
        format!("{url}/")
    }
}

/// The encryption service's message without the values of the config it
/// could not validate (Estuary's service lists them as `instanceValue`):
/// they may be secrets.
fn without_instance_values(message: &str) -> String {
    let Some(start) = message.find('[') else {
        return message.to_string();
    };
    match serde_json::from_str::<Value>(&message[start..]) {
        Ok(Value::Array(mut problems)) => {
            for problem in &mut problems {
                if let Some(object) = problem.as_object_mut() {
                    object.remove("instanceValue");
                }
            }
            format!("{}{}", &message[..start], Value::Array(problems))
        }
        _ if message.contains("instanceValue") => {
            format!("{}[…]", &message[..start])
        }
        _ => message.to_string(),
    }
}

/// What went wrong with a request, in words: reqwest's own message says
/// only "error sending request".
fn reason(err: &reqwest::Error) -> String {
    let mut words = Vec::new();
    let mut source: Option<&dyn std::error::Error> = Some(err);
    while let Some(e) = source {
        let text = e.to_string();
        if !words.iter().any(|w: &String| w.contains(&text)) {
            words.push(text);
        }
        source = e.source();
    }
    words.join(": ")
}

/// The message of a refused call: PostgREST's `message`, with its
/// `details` and `hint`, else the body's text.
fn refusal(body: &[u8]) -> String {
    if let Ok(Value::Object(error)) = serde_json::from_slice::<Value>(body) {
        let field = |key: &str| {
            error
                .get(key)
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
        };
        if let Some(message) = field("message") {
            let mut text = message.to_string();
            for extra in ["details", "hint"].into_iter().filter_map(field) {
                text.push_str(&format!(" ({extra})"));
            }
            return text;
        }
    }
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    if text.is_empty() {
        "no message".to_string()
    } else {
        text.chars().take(2000).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_read_postgrest_errors_and_plain_bodies() {
        assert_eq!(
            refusal(br#"{"code":"P0001","details":null,"hint":null,"message":"invalid secret provided"}"#),
            "invalid secret provided"
        );
        assert_eq!(
            refusal(br#"{"code":"PGRST116","details":"The result contains 0 rows","hint":null,"message":"JSON object requested, multiple (or no) rows returned"}"#),
            "JSON object requested, multiple (or no) rows returned (The result contains 0 rows)"
        );
        assert_eq!(refusal(b"upstream timeout\n"), "upstream timeout");
        assert_eq!(refusal(b""), "no message");
    }
}
