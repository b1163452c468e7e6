//! A local control plane (the `flowspec-server` crate), served from a
//! background thread of this process, to publish to and pull from.

use std::sync::Arc;

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
    local: flowspec_server::Switched,
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
            local: flowspec_server::Switched::new(flowspec_server::Options {
                db: db.map(std::path::PathBuf::from),
                pg_port,
                agent_port,
                encryption_port,
                ..flowspec_server::Options::ephemeral()
            }),
        })
    }

    /// Starts serving (nothing happens if it already is).
    pub fn start(&self) -> Result<(), FfiError> {
        Ok(self.local.start()?)
    }

    /// Stops serving (nothing happens if it is not).
    pub fn stop(&self) {
        self.local.stop()
    }

    /// Whether it is serving.
    pub fn running(&self) -> bool {
        self.local.running()
    }

    /// Its PostgREST URL.
    pub fn pg_url(&self) -> Result<String, FfiError> {
        Ok(self.local.with(|p| p.endpoints().pg_url.clone())?)
    }

    /// Its agent API URL.
    pub fn agent_url(&self) -> Result<String, FfiError> {
        Ok(self.local.with(|p| p.endpoints().agent_url.clone())?)
    }

    /// Its config-encryption service's URL.
    pub fn config_encryption_url(&self) -> Result<String, FfiError> {
        Ok(self
            .local
            .with(|p| p.endpoints().config_encryption_url.clone())?)
    }

    /// A refresh token of its user, as `FLOW_AUTH_TOKEN` takes it.
    pub fn flow_auth_token(&self) -> Result<String, FfiError> {
        Ok(self
            .local
            .with(|p| p.auth_token().to_base64().to_string())?)
    }

    /// Its endpoints and token as the `controlPlane` option, JSON text.
    pub fn options(&self) -> Result<String, FfiError> {
        Ok(self.local.with(|p| p.target().to_string())?)
    }

    /// `LocalControlPlane(<PostgREST URL>)`, or `LocalControlPlane(stopped)`.
    pub fn describe(&self) -> String {
        self.local.describe()
    }
}
