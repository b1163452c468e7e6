//! A connection to the control plane: the [`Api`] of a [`Session`]'s
//! endpoints, with the session's access token on every call. A call the
//! control plane refuses with 401 is repeated once with a fresh token, as
//! an access token may expire while a publication runs.

use serde_json::Value;
use tokio::sync::Mutex;

use super::http::Api;
use super::postgrest::Request;
use super::{AccessToken, ClientError, Session};

/// The [`Api`] of a session, signed in.
///
/// ```no_run
/// # async fn example() -> Result<(), flowspec::client::ClientError> {
/// use flowspec::client::{connection::Connection, postgrest::Request, Session};
/// let session = Session::open(Some("local"), &std::env::vars_os().collect())?;
/// let connection = Connection::new(session)?;
/// let planes = connection.postgrest(&Request::get("data_planes").select(&["id", "data_plane_name"])).await?;
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct Connection {
    api: Api,
    session: Mutex<Session>,
}

impl Connection {
    /// A connection with the session's endpoints.
    pub fn new(session: Session) -> Result<Self, ClientError> {
        let api = Api::new(session.endpoints())?;
        Ok(Connection {
            api,
            session: Mutex::new(session),
        })
    }

    /// A connection through `api` (its endpoints and retries) with the
    /// session's credentials.
    pub fn with_api(session: Session, api: Api) -> Self {
        Connection {
            api,
            session: Mutex::new(session),
        }
    }

    /// The HTTP client.
    pub fn api(&self) -> &Api {
        &self.api
    }

    /// The session, with any token it fetched.
    pub async fn session(&self) -> Session {
        self.session.lock().await.clone()
    }

    /// An access token, fetched when needed; an error when there are no
    /// credentials at all.
    pub async fn token(&self) -> Result<AccessToken, ClientError> {
        let mut session = self.session.lock().await;
        match session
            .access_token(&self.api, super::unix_now(), false)
            .await?
        {
            Some(token) => Ok(token),
            None => Err(ClientError::NotAuthenticated(format!(
                "not signed in to the control plane of profile '{}': run `flowspec auth login`, \
                 `flowspec auth token --token <token>`, or set FLOW_AUTH_TOKEN",
                session.name
            ))),
        }
    }

    /// Forgets the access token after a 401, so that the next call
    /// exchanges the refresh token for a new one; false when there is no
    /// refresh token to do so.
    async fn renew(&self) -> bool {
        let mut session = self.session.lock().await;
        if session.credentials.refresh.is_none() {
            return false;
        }
        session.credentials.access = None;
        true
    }

    /// Runs `call` with a token, once more with a new one after a 401.
    async fn signed<F, Fut>(&self, call: F) -> Result<Value, ClientError>
    where
        F: Fn(AccessToken) -> Fut,
        Fut: std::future::Future<Output = Result<Value, ClientError>>,
    {
        let token = self.token().await?;
        match call(token).await {
            Err(ClientError::Refused { status, .. })
                if status.starts_with("401") && self.renew().await =>
            {
                call(self.token().await?).await
            }
            result => result,
        }
    }

    /// A PostgREST call, signed in ([`Api::postgrest`]).
    pub async fn postgrest(&self, request: &Request) -> Result<Value, ClientError> {
        self.signed(|token| async move { self.api.postgrest(request, Some(&token)).await })
            .await
    }

    /// A GraphQL call to the agent API, signed in ([`Api::graphql`]).
    pub async fn graphql(
        &self,
        operation: &str,
        query: &str,
        variables: Value,
    ) -> Result<Value, ClientError> {
        self.signed(|token| {
            let variables = variables.clone();
            async move {
                self.api
                    .graphql(operation, query, variables, Some(&token))
                    .await
            }
        })
        .await
    }
}
