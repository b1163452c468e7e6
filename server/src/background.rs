//! A control plane running on threads of its own, for callers that are not
//! `async`: tests and examples ([`Background`]), and the bindings'
//! `LocalControlPlane`, which start and stop one ([`Switched`]).

use std::sync::{Mutex, MutexGuard};

use flowspec::client::ClientError;

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

/// A control plane that is started and stopped, again and again: what the
/// Python, Node, Kotlin and Ruby bindings' `LocalControlPlane` holds. Its
/// failures are the client's `local_control_plane_failed` errors.
///
/// ```
/// let local = flowspec_server::Switched::new(flowspec_server::Options::ephemeral());
/// let err = local.with(|plane| plane.target()).unwrap_err();
/// assert_eq!(err.to_string(), "the local control plane: it is not running: call start() first");
/// local.start().unwrap();
/// assert!(local.with(|plane| plane.target()).unwrap()["pgUrl"].is_string());
/// assert!(local.describe().starts_with("LocalControlPlane(http://127.0.0.1:"));
/// local.stop();
/// assert_eq!(local.describe(), "LocalControlPlane(stopped)");
/// ```
pub struct Switched {
    options: Options,
    running: Mutex<Option<Background>>,
}

impl Switched {
    /// A control plane of `options`, not yet started.
    pub fn new(options: Options) -> Self {
        Self {
            options,
            running: Mutex::new(None),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Option<Background>> {
        self.running.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Starts serving (nothing happens if it already is).
    pub fn start(&self) -> Result<(), flowspec::Error> {
        let mut running = self.lock();
        if running.is_none() {
            let started = Background::start(self.options.clone())
                .map_err(|e| ClientError::LocalControlPlane(e.to_string()))?;
            *running = Some(started);
        }
        Ok(())
    }

    /// Stops serving (nothing happens if it is not).
    pub fn stop(&self) {
        let taken = self.lock().take();
        if let Some(mut background) = taken {
            background.stop();
        }
    }

    /// Whether it is serving.
    pub fn running(&self) -> bool {
        self.lock().is_some()
    }

    /// `f` of the running control plane, or an error saying it is not
    /// running.
    pub fn with<R>(&self, f: impl FnOnce(&ControlPlane) -> R) -> Result<R, flowspec::Error> {
        match self.lock().as_ref() {
            Some(background) => Ok(f(background.plane())),
            None => Err(ClientError::LocalControlPlane(
                "it is not running: call start() first".into(),
            )
            .into()),
        }
    }

    /// `LocalControlPlane(<PostgREST URL>)`, or `LocalControlPlane(stopped)`:
    /// never its token.
    pub fn describe(&self) -> String {
        match self.lock().as_ref() {
            Some(b) => format!("LocalControlPlane({})", b.plane().endpoints().pg_url),
            None => "LocalControlPlane(stopped)".to_string(),
        }
    }
}
