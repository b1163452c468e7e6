//! A local control plane (the `flowspec-server` crate), served from a
//! background thread of this process, to publish to and pull from.

use std::sync::{Arc, Mutex, MutexGuard};

use crate::FfiError;

/// A control plane on loopback, backed by SQLite (in memory, or the file
/// `db`), on free ports unless given. `start()` it, publish with its
/// `options()` as the `controlPlane` option, `stop()` it.
///
/// ```
/// use flowspec_uniffi::FfiControlPlane;
/// let plane = FfiControlPlane::new(None, 0, 0, 0);
/// assert_eq!(plane.options().unwrap_err().code(), "local_control_plane_failed");
/// plane.start().unwrap();
/// assert!(plane.options().unwrap().contains("pgUrl"));
/// plane.stop();
/// ```
#[derive(uniffi::Object)]
pub struct FfiControlPlane {
    options: flowspec_server::Options,
    running: Mutex<Option<flowspec_server::Background>>,
}

fn not_running() -> FfiError {
    flowspec::Error::from(flowspec::client::ClientError::LocalControlPlane(
        "it is not running: call start() first".into(),
    ))
    .into()
}

impl FfiControlPlane {
    fn lock(&self) -> MutexGuard<'_, Option<flowspec_server::Background>> {
        self.running.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn read<T>(&self, f: impl FnOnce(&flowspec_server::ControlPlane) -> T) -> Result<T, FfiError> {
        match self.lock().as_ref() {
            Some(background) => Ok(f(background.plane())),
            None => Err(not_running()),
        }
    }
}

#[uniffi::export]
impl FfiControlPlane {
    /// A control plane, not yet started: `db` keeps its state across
    /// restarts; a port of 0 is a free one.
    #[uniffi::constructor]
    pub fn new(
        db: Option<String>,
        pg_port: u16,
        agent_port: u16,
        encryption_port: u16,
    ) -> Arc<Self> {
        Arc::new(Self {
            options: flowspec_server::Options {
                db: db.map(std::path::PathBuf::from),
                pg_port,
                agent_port,
                encryption_port,
                ..flowspec_server::Options::ephemeral()
            },
            running: Mutex::new(None),
        })
    }

    /// Starts serving (nothing happens if it already is).
    pub fn start(&self) -> Result<(), FfiError> {
        let mut running = self.lock();
        if running.is_none() {
            let started =
                flowspec_server::Background::start(self.options.clone()).map_err(|e| {
                    flowspec::Error::from(flowspec::client::ClientError::LocalControlPlane(
                        e.to_string(),
                    ))
                })?;
            *running = Some(started);
        }
        Ok(())
    }

    /// Stops serving (nothing happens if it is not).
    pub fn stop(&self) {
        if let Some(mut background) = self.lock().take() {
            background.stop();
        }
    }

    /// Whether it is serving.
    pub fn running(&self) -> bool {
        self.lock().is_some()
    }

    /// Its PostgREST URL.
    pub fn pg_url(&self) -> Result<String, FfiError> {
        self.read(|p| p.endpoints().pg_url.clone())
    }

    /// Its agent API URL.
    pub fn agent_url(&self) -> Result<String, FfiError> {
        self.read(|p| p.endpoints().agent_url.clone())
    }

    /// Its config-encryption service's URL.
    pub fn config_encryption_url(&self) -> Result<String, FfiError> {
        self.read(|p| p.endpoints().config_encryption_url.clone())
    }

    /// A refresh token of its user, as `FLOW_AUTH_TOKEN` takes it.
    pub fn flow_auth_token(&self) -> Result<String, FfiError> {
        self.read(|p| p.auth_token().to_base64().to_string())
    }

    /// Its endpoints and token as the `controlPlane` option, JSON text.
    pub fn options(&self) -> Result<String, FfiError> {
        self.read(|p| p.target().to_string())
    }

    /// `LocalControlPlane(<PostgREST URL>)`, or `LocalControlPlane(stopped)`.
    pub fn describe(&self) -> String {
        match self.lock().as_ref() {
            Some(b) => format!("LocalControlPlane({})", b.plane().endpoints().pg_url),
            None => "LocalControlPlane(stopped)".to_string(),
        }
    }
}
