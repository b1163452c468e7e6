//! The capture builder.

use serde_json::Value;

use super::{Build, Problem, Problems, Spec};
use crate::{
    AutoDiscover, CaptureBinding, CaptureDef, CaptureEndpoint, ConnectorConfig, Duration, Id,
    LocalConfig, Result, ShardTemplate,
};

/// Builds a capture: a source connector and bindings of its resources to
/// collections.
///
/// ```
/// use flowspec::build::{Build, CaptureBuilder};
/// use serde_json::json;
///
/// let spec = CaptureBuilder::new("acmeCo/ci-cd/source-stripe-native")
///     .connector("ghcr.io/estuary/source-stripe-native:dev", json!({"credentials": {"access_token_sops": "..."}}))
///     .binding(json!({"stream": "charges", "syncMode": "incremental"}), "acmeCo/ci-cd/stripe_charges")
///     .interval("10m")
///     .build()?;
/// # Ok::<(), flowspec::Error>(())
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct CaptureBuilder {
    name: String,
    endpoint: Option<CaptureEndpoint>,
    def: CaptureDef,
    problems: Problems,
}

impl CaptureBuilder {
    /// A capture named `name` (like `acmeCo/source-postgres`).
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            endpoint: None,
            def: CaptureDef::new(CaptureEndpoint::Connector(ConnectorConfig::new(
                "",
                Value::Null,
            ))),
            problems: Problems::default(),
        }
    }

    /// Captures through a connector image with its configuration (an object,
    /// or the relative URL of a config file).
    pub fn connector(mut self, image: impl Into<String>, config: Value) -> Self {
        self.endpoint = Some(CaptureEndpoint::Connector(ConnectorConfig::new(
            image, config,
        )));
        self
    }

    /// Captures through a local command (development only).
    pub fn local(mut self, local: LocalConfig) -> Self {
        self.endpoint = Some(CaptureEndpoint::Local(local));
        self
    }

    /// Binds an endpoint resource to a target collection.
    pub fn binding(mut self, resource: Value, target: impl AsRef<str>) -> Self {
        let index = self.def.bindings.len();
        let name = &self.name;
        if let Some(target) = self.problems.check(
            || format!("capture {name} binding {index} target"),
            crate::Collection::new(target.as_ref()),
        ) {
            self.def
                .bindings
                .push(CaptureBinding::new(resource, target));
        }
        self
    }

    /// Adds a binding with every option (`disable`, `backfill`).
    pub fn binding_def(mut self, binding: CaptureBinding) -> Self {
        self.def.bindings.push(binding);
        self
    }

    /// Sets the interval between runs of connectors that exit (default `5m`).
    pub fn interval(mut self, interval: &str) -> Self {
        let name = &self.name;
        if let Some(d) = self.problems.check(
            || format!("capture {name} interval"),
            Duration::new(interval),
        ) {
            self.def.interval = d;
        }
        self
    }

    /// Discovers new bindings automatically.
    pub fn auto_discover(
        mut self,
        add_new_bindings: bool,
        evolve_incompatible_collections: bool,
    ) -> Self {
        self.def.auto_discover = Some(AutoDiscover {
            add_new_bindings,
            evolve_incompatible_collections,
        });
        self
    }

    /// Sets the shard template.
    pub fn shards(mut self, shards: ShardTemplate) -> Self {
        self.def.shards = shards;
        self
    }

    /// Expects this last publication id when publishing.
    pub fn expect_pub_id(mut self, id: &str) -> Self {
        let name = &self.name;
        self.def.expect_pub_id = self
            .problems
            .check(|| format!("capture {name} expectPubId"), Id::new(id));
        self
    }

    /// Marks the capture for deletion.
    pub fn delete(mut self) -> Self {
        self.def.delete = true;
        self
    }

    /// Deletes and re-creates the capture in one publication.
    pub fn reset(mut self) -> Self {
        self.def.reset = true;
        self
    }

    /// Sets the salt of `sha256` redactions (base64).
    pub fn redact_salt(mut self, salt: impl Into<String>) -> Self {
        self.def.redact_salt = Some(salt.into());
        self
    }
}

impl Build for CaptureBuilder {
    fn build(self) -> Result<Spec> {
        let CaptureBuilder {
            name,
            endpoint,
            mut def,
            mut problems,
        } = self;
        let typed = problems.check_name(crate::Capture::new(&name));
        match endpoint {
            Some(e) => def.endpoint = e,
            None => problems.fail(Problem::Spec {
                subject: format!("capture {name}"),
                message: "no endpoint is given: call .connector(image, config) or .local(...)"
                    .to_string(),
            }),
        }
        problems.into_result()?;
        Ok(Spec::Capture(typed.expect("checked"), def))
    }
}
