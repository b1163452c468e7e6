//! A local Estuary control plane: the HTTP API that flowctl and flowspec
//! talk to, on this machine, backed by SQLite. It listens where flowctl's
//! `local` profile looks (PostgREST on `:5431/rest/v1`, the agent API on
//! `:8675`, config encryption on `:8765`; port 0 picks a free one).
//!
//! Served so far: PostgREST's token functions (`rpc/generate_access_token`,
//! `rpc/create_refresh_token`) with Supabase's `apikey` check and
//! PostgREST's error bodies; everything flowctl 0.6 does through PostgREST
//! to publish, test and delete catalogs (drafts, draft specs, publications,
//! draft errors, logs, live specs, data planes, storage mappings,
//! connectors); an agent that runs queued publications; the agent's GraphQL
//! API (`POST /api/graphql`: live specs, prefixes, data planes, storage
//! mappings, connector schemas and drafts); and config encryption (`POST
//! /v1/encrypt-config`) to the control plane's own age key
//! ([`ControlPlane::age_identity`]).
//!
//! A publication, as flowctl makes one: it creates a draft (`POST
//! drafts`), stages specs into it (`POST draft_specs`, kept as the exact
//! JSON text sent), optionally prunes those equal to the live ones
//! (`rpc/prune_unchanged_draft_specs`, by [`store::spec_md5`]), queues a
//! publication (`POST publications`) and polls its `job_status` while
//! reading its logs (`rpc/view_logs`). The agent runs queued publications
//! one at a time: it checks `expect_pub_id`, validates the catalog that
//! would be live with flowspec (errors become `draft_errors` scoped
//! `flow://<type>/<name>#<pointer>`), places new specs on a data plane,
//! and applies a non-dry run in one transaction, deleting the draft.
//! Specs are validated offline: connectors are not run, tests are not
//! executed, and live specs have no built spec.
//!
//! ```
//! # flowspec::client::blocking(async {
//! let plane = flowspec_server::ControlPlane::start(flowspec_server::Options::ephemeral()).await.unwrap();
//! assert!(plane.endpoints().pg_url.ends_with("/rest/v1"));
//! plane.stop().await;
//! # });
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod agent;
mod background;
pub mod catalog;
pub mod connectors;
pub mod encryption;
mod graphql;
mod postgrest;
pub mod proxy;
pub mod query;
pub mod store;
mod tables;
pub mod tokens;
mod writes;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

use flowspec::client::{Endpoints, Profile, RefreshToken};
use flowspec::secrets::Identity;

pub use background::{Background, Switched};
pub use store::Store;

/// A failure to start or run the control plane.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// A port could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The database failed.
    #[error("the control plane's database: {0}")]
    Store(String),
    /// A connector file of [`Options::connectors`] cannot be used.
    #[error(transparent)]
    Connector(#[from] connectors::ConnectorError),
}

/// Where and how to run.
#[derive(Debug, Clone)]
pub struct Options {
    /// The SQLite file (`None`: in memory, gone when stopped).
    pub db: Option<PathBuf>,
    /// The address to listen on.
    pub bind: IpAddr,
    /// PostgREST's port (flowctl's `local` profile: 5431).
    pub pg_port: u16,
    /// The agent API's port (8675).
    pub agent_port: u16,
    /// The config-encryption service's port (8765).
    pub encryption_port: u16,
    /// A directory of connector files (`*.json`, one image each; see
    /// [`connectors`]) whose endpoint schemas are served besides the
    /// built-in ones.
    pub connectors: Option<PathBuf>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            db: None,
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            pg_port: 5431,
            agent_port: 8675,
            encryption_port: 8765,
            connectors: None,
        }
    }
}

impl Options {
    /// In memory, on free ports of 127.0.0.1: for tests and examples.
    ///
    /// ```
    /// assert_eq!(flowspec_server::Options::ephemeral().pg_port, 0);
    /// ```
    pub fn ephemeral() -> Self {
        Options {
            pg_port: 0,
            agent_port: 0,
            encryption_port: 0,
            ..Options::default()
        }
    }
}

/// What the routes share.
pub(crate) struct State {
    pub(crate) store: Store,
    pub(crate) jwt_secret: String,
    pub(crate) public_token: String,
    /// Wakes the agent when a publication is queued.
    pub(crate) wake: tokio::sync::Notify,
    /// The clock of log lines.
    pub(crate) clock: agent::LogClock,
}

/// A running control plane.
pub struct ControlPlane {
    endpoints: Endpoints,
    token: RefreshToken,
    identity: Identity,
    shutdown: tokio::sync::watch::Sender<bool>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
    state: Arc<State>,
}

impl ControlPlane {
    /// Opens the store, loads the connectors, binds the three ports and
    /// serves them; a refresh token of the local user is made for this run
    /// ([`Self::auth_token`]).
    pub async fn start(options: Options) -> Result<ControlPlane, ServerError> {
        let store = Store::open(options.db.as_deref())?;
        let mut known = connectors::built_in();
        if let Some(dir) = &options.connectors {
            known.extend(connectors::load_dir(dir)?);
        }
        connectors::seed(&store, &known)?;
        let identity = encryption::identity(&store)?;
        let jwt_secret = store.jwt_secret()?;
        let user = store.local_user()?;
        let now = now();
        let (id, secret) =
            store.create_refresh_token(&user, true, 90 * 86400, Some("flowspec serve"), now)?;
        let state = Arc::new(State {
            store,
            jwt_secret,
            public_token: Endpoints::local().pg_public_token,
            wake: tokio::sync::Notify::new(),
            clock: agent::LogClock::default(),
        });
        let (shutdown, watch) = tokio::sync::watch::channel(false);
        let mut tasks = Vec::new();
        let mut bound = Vec::new();
        for (port, router) in [
            (options.pg_port, postgrest::router(state.clone())),
            (options.agent_port, graphql::router(state.clone())),
            (options.encryption_port, encryption::router(&identity)),
        ] {
            let addr = SocketAddr::new(options.bind, port);
            let listener = tokio::net::TcpListener::bind(addr)
                .await
                .map_err(|source| ServerError::Bind { addr, source })?;
            let local = listener
                .local_addr()
                .map_err(|source| ServerError::Bind { addr, source })?;
            bound.push(local);
            let mut stop = watch.clone();
            tasks.push(tokio::spawn(async move {
                let _ = axum::serve(listener, router)
                    .with_graceful_shutdown(async move {
                        let _ = stop.wait_for(|stopped| *stopped).await;
                    })
                    .await;
            }));
        }
        tasks.push(agent::spawn(state.clone(), watch.clone()));
        let url = |addr: &SocketAddr| format!("http://{addr}");
        let endpoints = Endpoints {
            pg_url: format!("{}/rest/v1", url(&bound[0])),
            agent_url: format!("{}/", url(&bound[1])),
            config_encryption_url: format!("{}/", url(&bound[2])),
            dashboard_url: Endpoints::local().dashboard_url,
            pg_public_token: Endpoints::local().pg_public_token,
        };
        Ok(ControlPlane {
            endpoints,
            token: RefreshToken::new(id.to_string(), secret),
            identity,
            shutdown,
            tasks,
            state,
        })
    }

    /// The store behind the control plane, to add data planes or
    /// connector schemas, or to read its tables.
    ///
    /// ```
    /// # flowspec::client::blocking(async {
    /// let plane = flowspec_server::ControlPlane::start(flowspec_server::Options::ephemeral()).await.unwrap();
    /// plane.store().add_data_plane("ops/dp/public/other").unwrap();
    /// plane.stop().await;
    /// # });
    /// ```
    pub fn store(&self) -> &Store {
        &self.state.store
    }

    /// Where it listens.
    pub fn endpoints(&self) -> &Endpoints {
        &self.endpoints
    }

    /// A refresh token of the local user, for `FLOW_AUTH_TOKEN`
    /// (`auth_token().to_base64()`) or a profile.
    pub fn auth_token(&self) -> &RefreshToken {
        &self.token
    }

    /// The age identity the config-encryption service encrypts to: with
    /// it, [`flowspec::secrets::decrypt`] opens the configs it returned. It
    /// is kept in the store, so a database file keeps it across restarts.
    ///
    /// ```
    /// # flowspec::client::blocking(async {
    /// let plane = flowspec_server::ControlPlane::start(flowspec_server::Options::ephemeral()).await.unwrap();
    /// assert!(plane.age_identity().recipient().starts_with("age1"));
    /// plane.stop().await;
    /// # });
    /// ```
    pub fn age_identity(&self) -> &Identity {
        &self.identity
    }

    /// A profile that points at this control plane with its token, as
    /// `--write-profile` writes it.
    pub fn profile(&self) -> Profile {
        Profile {
            agent_url: Some(self.endpoints.agent_url.clone()),
            pg_url: Some(self.endpoints.pg_url.clone()),
            pg_public_token: Some(self.endpoints.pg_public_token.clone()),
            config_encryption_url: Some(self.endpoints.config_encryption_url.clone()),
            user_refresh_token: Some(self.token.clone()),
            ..Profile::default()
        }
    }

    /// The lines `flowspec serve` prints when it starts.
    pub fn banner(&self) -> String {
        format!(
            "postgrest: {}\nagent: {}\nconfig-encryption: {}\nFLOW_AUTH_TOKEN={}\n",
            self.endpoints.pg_url,
            self.endpoints.agent_url,
            self.endpoints.config_encryption_url,
            self.token.to_base64()
        )
    }

    /// Stops serving, letting requests in flight finish.
    pub async fn stop(self) {
        let _ = self.shutdown.send(true);
        for task in self.tasks {
            let _ = task.await;
        }
    }
}

pub(crate) use flowspec::client::unix_now as now;

/// The time now, in microseconds since the Unix epoch.
pub(crate) fn now_micros() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_micros() as i64)
}
