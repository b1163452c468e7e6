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
        Ok(Api { http, endpoints })
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
    /// answer (`null` for an empty one).
    pub async fn postgrest(
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
        let unreachable = |reason: String| ClientError::Unreachable {
            call: call.clone(),
            url: self.endpoints.pg_url.clone(),
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
                call,
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
