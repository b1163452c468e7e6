//! The derivation and transform builders.

use serde_json::Value;

use super::{pointers, Problems};
use crate::{
    ConnectorConfig, DeriveUsing, Duration, FullSource, LocalConfig, PartitionSelector,
    PythonModule, ShardTemplate, Shuffle, ShuffleType, Source, SqliteMigrations, Timestamp,
    TransformDef, TypescriptModule,
};

/// Builds a derivation, given to [`super::Collection::derive`].
///
/// ```
/// use flowspec::build::{Build, CollectionBuilder, DerivationBuilder, TransformBuilder};
/// use serde_json::json;
///
/// let spec = CollectionBuilder::new("acmeCo/customers-with-orders")
///     .schema(json!({"type": "object", "properties": {"customer_id": {"type": "string"}}, "required": ["customer_id"]}))
///     .key(["/customer_id"])
///     .derive(DerivationBuilder::typescript("full-outer-join.flow.ts")
///         .transform(TransformBuilder::new("fromOrders", "acmeCo/orders").shuffle_key(["/customer_id"]))
///         .transform(TransformBuilder::new("fromCustomers", "acmeCo/customers").shuffle_key(["/customer_id"])))
///     .build();
/// assert!(spec.is_ok());
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct DerivationBuilder {
    def: crate::Derivation,
    problems: Problems,
}

impl DerivationBuilder {
    /// A derivation run by `using`.
    pub fn using(using: DeriveUsing) -> Self {
        Self {
            def: crate::Derivation::new(using),
            problems: Problems::default(),
        }
    }

    /// A TypeScript derivation: `module` is the relative URL of a `.ts` file,
    /// or inline code.
    pub fn typescript(module: impl Into<String>) -> Self {
        Self::using(DeriveUsing::Typescript(TypescriptModule {
            module: Value::String(module.into()),
        }))
    }

    /// A SQLite derivation with these migrations (inline SQL or file URLs).
    pub fn sqlite<I, S>(migrations: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self::using(DeriveUsing::Sqlite(SqliteMigrations {
            migrations: migrations
                .into_iter()
                .map(|m| Value::String(m.into()))
                .collect(),
        }))
    }

    /// A Python derivation: `module` is the relative URL of a `.py` file, or inline code.
    pub fn python(module: impl Into<String>) -> Self {
        Self::using(DeriveUsing::Python(PythonModule {
            module: Value::String(module.into()),
            dependencies: Default::default(),
        }))
    }

    /// A derivation run by a connector image.
    pub fn connector(image: impl Into<String>, config: Value) -> Self {
        Self::using(DeriveUsing::Connector(ConnectorConfig::new(image, config)))
    }

    /// A derivation run by a local command (development only).
    pub fn local(local: LocalConfig) -> Self {
        Self::using(DeriveUsing::Local(local))
    }

    /// Adds a transform.
    pub fn transform(mut self, transform: TransformBuilder) -> Self {
        let TransformBuilder {
            def,
            problems: Problems(p),
        } = transform;
        if let Some(p) = p {
            self.problems.fail(p);
        } else if let Some(def) = def {
            self.def.transforms.push(def);
        }
        self
    }

    /// Declares the types of the shuffle key, for lambda shuffles.
    pub fn shuffle_key_types(mut self, types: impl IntoIterator<Item = ShuffleType>) -> Self {
        self.def.shuffle_key_types = types.into_iter().collect();
        self
    }

    /// Sets the shard template.
    pub fn shards(mut self, shards: ShardTemplate) -> Self {
        self.def.shards = shards;
        self
    }

    /// Sets the salt of `sha256` redactions (base64).
    pub fn redact_salt(mut self, salt: impl Into<String>) -> Self {
        self.def.redact_salt = Some(salt.into());
        self
    }

    pub(crate) fn into_def(self) -> Result<crate::Derivation, super::Problem> {
        self.problems.first()?;
        Ok(self.def)
    }
}

/// Builds a transform of a derivation.
///
/// ```
/// use flowspec::build::TransformBuilder;
/// let t = TransformBuilder::new("fromOrders", "acmeCo/orders")
///     .shuffle_key(["/customer_id"])
///     .read_delay("1h")
///     .lambda("SELECT $customer_id;");
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct TransformBuilder {
    def: Option<TransformDef>,
    problems: Problems,
}

impl TransformBuilder {
    /// A transform named `name` reading the collection `source`. Give it a
    /// shuffle with [`TransformBuilder::shuffle_key`], [`TransformBuilder::shuffle_any`] or
    /// [`TransformBuilder::shuffle_lambda`].
    pub fn new(name: &str, source: &str) -> Self {
        let mut problems = Problems::default();
        let n = problems.check_name(crate::Transform::new(name));
        let s = problems.check(
            || format!("transform {name} source"),
            crate::Collection::new(source),
        );
        let def = match (n, s) {
            (Some(n), Some(s)) => {
                let mut def = TransformDef::new(n, Source::Collection(s), Shuffle::Any);
                def.shuffle = None;
                Some(def)
            }
            _ => None,
        };
        Self { def, problems }
    }

    fn edit(mut self, f: impl FnOnce(&mut TransformDef, &mut Problems)) -> Self {
        if let Some(def) = self.def.as_mut() {
            f(def, &mut self.problems);
        }
        self
    }

    fn full_source(def: &mut TransformDef) -> &mut FullSource {
        if let Source::Collection(c) = &def.source {
            def.source = Source::Source(FullSource::new(c.clone()));
        }
        match &mut def.source {
            Source::Source(s) => s,
            Source::Collection(_) => unreachable!("converted above"),
        }
    }

    /// Shuffles source documents by these document locations.
    pub fn shuffle_key<I, S>(self, key: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let key = pointers(key);
        self.edit(|d, p| {
            let name = d.name.to_string();
            if let Some(key) = p.check(|| format!("transform {name} shuffle key"), key) {
                d.shuffle = Some(Shuffle::Key(key));
            }
        })
    }

    /// Lets any shard process any source document.
    pub fn shuffle_any(self) -> Self {
        self.edit(|d, _| d.shuffle = Some(Shuffle::Any))
    }

    /// Shuffles by a key that a lambda computes (inline code or a file URL).
    pub fn shuffle_lambda(self, lambda: impl Into<String>) -> Self {
        let lambda = Value::String(lambda.into());
        self.edit(|d, _| d.shuffle = Some(Shuffle::Lambda(lambda)))
    }

    /// Sets the lambda (inline SQL or a file URL).
    pub fn lambda(self, lambda: impl Into<String>) -> Self {
        let lambda = Value::String(lambda.into());
        self.edit(|d, _| d.lambda = Some(lambda))
    }

    /// Reads only these partitions of the source.
    pub fn partitions(self, selector: PartitionSelector) -> Self {
        self.edit(|d, _| Self::full_source(d).partitions = Some(selector))
    }

    /// Reads only documents published at or after `timestamp` (RFC 3339).
    pub fn not_before(self, timestamp: &str) -> Self {
        let t = Timestamp::new(timestamp);
        self.edit(|d, p| {
            let name = d.name.to_string();
            if let Some(t) = p.check(|| format!("transform {name} notBefore"), t) {
                Self::full_source(d).not_before = Some(t);
            }
        })
    }

    /// Reads only documents published at or before `timestamp` (RFC 3339).
    pub fn not_after(self, timestamp: &str) -> Self {
        let t = Timestamp::new(timestamp);
        self.edit(|d, p| {
            let name = d.name.to_string();
            if let Some(t) = p.check(|| format!("transform {name} notAfter"), t) {
                Self::full_source(d).not_after = Some(t);
            }
        })
    }

    /// Sets the priority (higher goes first).
    pub fn priority(self, priority: u32) -> Self {
        self.edit(|d, _| d.priority = priority)
    }

    /// Delays processing of each source document.
    pub fn read_delay(self, delay: &str) -> Self {
        let delay = Duration::new(delay);
        self.edit(|d, p| {
            let name = d.name.to_string();
            d.read_delay = p.check(|| format!("transform {name} readDelay"), delay);
        })
    }

    /// Disables the transform.
    pub fn disable(self) -> Self {
        self.edit(|d, _| d.disable = true)
    }

    /// Sets the backfill counter.
    pub fn backfill(self, backfill: u32) -> Self {
        self.edit(|d, _| d.backfill = backfill)
    }
}
