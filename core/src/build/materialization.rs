//! The materialization builder.

use serde_json::Value;

use super::{Build, Problem, Problems, Spec};
use crate::{
    ConnectorConfig, DekafConfig, Id, LocalConfig, MaterializationBinding, MaterializationDef,
    MaterializationEndpoint, OnIncompatibleSchemaChange, Result, ShardTemplate, Source,
    SourceCapture,
};

/// Builds a materialization: a destination connector and bindings of
/// collections to its resources.
///
/// ```
/// use flowspec::build::{Build, MaterializationBuilder};
/// use serde_json::json;
///
/// let spec = MaterializationBuilder::new("acmeCo/ci-cd/materialize-snowflake")
///     .connector("ghcr.io/estuary/materialize-snowflake:dev", json!({"host": "org-acct.snowflakecomputing.com"}))
///     .binding(json!({"table": "shipments"}), "acmeCo/ci-cd/postgres_shipments")
///     .build()?;
/// # Ok::<(), flowspec::Error>(())
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct MaterializationBuilder {
    name: String,
    endpoint: Option<MaterializationEndpoint>,
    def: MaterializationDef,
    problems: Problems,
}

impl MaterializationBuilder {
    /// A materialization named `name`.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            endpoint: None,
            def: MaterializationDef::new(MaterializationEndpoint::Connector(ConnectorConfig::new(
                "",
                Value::Null,
            ))),
            problems: Problems::default(),
        }
    }

    /// Materializes through a connector image with its configuration.
    pub fn connector(mut self, image: impl Into<String>, config: Value) -> Self {
        self.endpoint = Some(MaterializationEndpoint::Connector(ConnectorConfig::new(
            image, config,
        )));
        self
    }

    /// Materializes through Dekaf, Estuary's Kafka-compatible endpoint.
    pub fn dekaf(mut self, variant: impl Into<String>, config: Value) -> Self {
        self.endpoint = Some(MaterializationEndpoint::Dekaf(DekafConfig {
            variant: variant.into(),
            config,
        }));
        self
    }

    /// Materializes through a local command (development only).
    pub fn local(mut self, local: LocalConfig) -> Self {
        self.endpoint = Some(MaterializationEndpoint::Local(local));
        self
    }

    /// Binds the collection `source` to an endpoint resource.
    pub fn binding(mut self, resource: Value, source: impl AsRef<str>) -> Self {
        let index = self.def.bindings.len();
        let name = &self.name;
        if let Some(source) = self.problems.check(
            || format!("materialization {name} binding {index} source"),
            crate::Collection::new(source.as_ref()),
        ) {
            self.def.bindings.push(MaterializationBinding::new(
                resource,
                Source::Collection(source),
            ));
        }
        self
    }

    /// Adds a binding with every option (fields, priority, backfill, ...).
    pub fn binding_def(mut self, binding: MaterializationBinding) -> Self {
        self.def.bindings.push(binding);
        self
    }

    /// Materializes every binding of a capture, as it gains them.
    pub fn source_capture(mut self, capture: &str) -> Self {
        let name = &self.name;
        if let Some(c) = self.problems.check(
            || format!("materialization {name} sourceCapture"),
            crate::Capture::new(capture),
        ) {
            self.def.source = Some(SourceCapture::Simple(c));
        }
        self
    }

    /// Sets what happens when a binding's schema changes incompatibly.
    pub fn on_incompatible_schema_change(mut self, policy: OnIncompatibleSchemaChange) -> Self {
        self.def.on_incompatible_schema_change = policy;
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
        self.def.expect_pub_id = self.problems.check(
            || format!("materialization {name} expectPubId"),
            Id::new(id),
        );
        self
    }

    /// Marks the materialization for deletion.
    pub fn delete(mut self) -> Self {
        self.def.delete = true;
        self
    }
}

impl Build for MaterializationBuilder {
    fn build(self) -> Result<Spec> {
        let MaterializationBuilder {
            name,
            endpoint,
            mut def,
            mut problems,
        } = self;
        let typed = problems.check_name(crate::Materialization::new(&name));
        match endpoint {
            Some(e) => def.endpoint = e,
            None => problems.fail(Problem::Spec {
                subject: format!("materialization {name}"),
                message: "no endpoint is given: call .connector(image, config), .dekaf(...) or .local(...)"
                    .to_string(),
            }),
        }
        problems.into_result()?;
        Ok(Spec::Materialization(typed.expect("checked"), def))
    }
}
