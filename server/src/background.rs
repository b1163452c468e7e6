//! A control plane running on threads of its own, for callers that are not
//! `async`: the Python and Node bindings' `LocalControlPlane`, tests and
//! examples.

use crate::{ControlPlane, Options, ServerError};

/// A [`ControlPlane`] with its own Tokio runtime; stopped when dropped.
///
/// ```
/// let mut plane = flowspec_server::Background::start(flowspec_server::Options::ephemeral()).unwrap();
/// assert!(plane.plane().endpoints().pg_url.starts_with("http://127.0.0.1:"));
/// plane.stop();
/// ```
pub struct Background {
    runtime: Option<tokio::runtime::Runtime>,
    plane: Option<ControlPlane>,
}

impl Background {
    /// Starts a control plane with `options` on two threads of its own.
    pub fn start(options: Options) -> Result<Background, ServerError> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("flowspec-control-plane")
            .enable_all()
            .build()
            .map_err(|e| ServerError::Store(format!("cannot start its threads: {e}")))?;
        let plane = runtime.block_on(ControlPlane::start(options))?;
        Ok(Background {
            runtime: Some(runtime),
            plane: Some(plane),
        })
    }

    /// The control plane; panics once stopped.
    pub fn plane(&self) -> &ControlPlane {
        self.plane.as_ref().expect("the control plane is running")
    }

    /// Whether it is running.
    pub fn is_running(&self) -> bool {
        self.plane.is_some()
    }

    /// Stops serving and ends its threads; stopping again does nothing.
    pub fn stop(&mut self) {
        if let (Some(runtime), Some(plane)) = (self.runtime.as_ref(), self.plane.take()) {
            runtime.block_on(plane.stop());
        }
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_timeout(std::time::Duration::from_secs(5));
        }
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        self.stop();
    }
}

impl ControlPlane {
    /// This control plane as the `controlPlane` option of the JSON API's
    /// publishing calls ([`flowspec::json_api::ControlPlaneOptions`]): its
    /// endpoints and its token.
    ///
    /// ```
    /// let mut running = flowspec_server::Background::start(flowspec_server::Options::ephemeral()).unwrap();
    /// let target = running.plane().target();
    /// assert!(target["pgUrl"].as_str().unwrap().ends_with("/rest/v1"));
    /// let _: flowspec::json_api::ControlPlaneOptions = serde_json::from_value(target).unwrap();
    /// running.stop();
    /// ```
    pub fn target(&self) -> serde_json::Value {
        let endpoints = self.endpoints();
        serde_json::json!({
            "pgUrl": endpoints.pg_url,
            "agentUrl": endpoints.agent_url,
            "configEncryptionUrl": endpoints.config_encryption_url,
            "pgPublicToken": endpoints.pg_public_token,
            "authToken": self.auth_token().to_base64().as_str(),
        })
    }
}
