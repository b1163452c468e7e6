//! Builders: the Rust DSL for catalogs.
//!
//! Each builder is consumed by its methods (`#[must_use]`, `mut self` →
//! `Self`) and does no IO. Names, pointers and durations are checked as they
//! are given; the first problem is kept and returned by `build()` (or by
//! [`Catalog::add`]), naming the spec and the offending value.
//!
//! ```
//! use flowspec::build::{CaptureBuilder, CollectionBuilder, MaterializationBuilder};
//! use flowspec::Catalog;
//! use serde_json::json;
//!
//! let mut catalog = Catalog::default();
//! catalog
//!     .add(CaptureBuilder::new("acmeCo/source-hello")
//!         .connector("ghcr.io/estuary/source-hello-world:dev", json!({"rate": 1}))
//!         .binding(json!({"name": "greetings"}), "acmeCo/greetings"))?
//!     .add(CollectionBuilder::new("acmeCo/greetings")
//!         .schema(json!({"type": "object", "properties": {"ts": {"type": "string"}}, "required": ["ts"]}))
//!         .key(["/ts"]))?
//!     .add(MaterializationBuilder::new("acmeCo/to-postgres")
//!         .connector("ghcr.io/estuary/materialize-postgres:v1", json!({"address": "db:5432"}))
//!         .binding(json!({"table": "greetings"}), "acmeCo/greetings"))?;
//! assert_eq!(catalog.len(), 3);
//! # Ok::<(), flowspec::Error>(())
//! ```

mod capture;
mod collection;
mod derivation;
mod materialization;
mod test_builder;

pub use capture::CaptureBuilder;
pub use collection::CollectionBuilder;
pub use derivation::{DerivationBuilder, TransformBuilder};
pub use materialization::MaterializationBuilder;
pub use test_builder::TestBuilder;

use crate::{CaptureDef, Catalog, CollectionDef, Error, MaterializationDef, Result, TestDef};

/// A built spec, ready to add to a catalog.
#[derive(Debug, Clone, PartialEq)]
#[allow(clippy::large_enum_variant)] // short-lived: moved into a catalog at once
pub enum Spec {
    /// A capture.
    Capture(crate::Capture, CaptureDef),
    /// A collection or derivation.
    Collection(crate::Collection, CollectionDef),
    /// A materialization.
    Materialization(crate::Materialization, MaterializationDef),
    /// A test.
    Test(crate::Test, TestDef),
}

/// Anything that builds a [`Spec`]: the builders of this module, or a spec
/// itself.
pub trait Build {
    /// Checks what was given and returns the spec.
    fn build(self) -> Result<Spec>;
}

impl Build for Spec {
    fn build(self) -> Result<Spec> {
        Ok(self)
    }
}

impl Catalog {
    /// Adds a spec built by a builder. A spec of the same kind and name is
    /// an error: remove it first to replace it.
    ///
    /// ```
    /// use flowspec::{build::CollectionBuilder, Catalog};
    /// let mut catalog = Catalog::default();
    /// catalog.add(CollectionBuilder::new("acmeCo/x").schema(serde_json::json!({"type": "object"})).key(["/id"]))?;
    /// let err = catalog.add(CollectionBuilder::new("acmeCo/x").schema(serde_json::json!({"type": "object"})).key(["/id"])).unwrap_err();
    /// assert_eq!(err.to_string(), "collection acmeCo/x is already defined");
    /// # Ok::<(), flowspec::Error>(())
    /// ```
    pub fn add(&mut self, spec: impl Build) -> Result<&mut Self> {
        fn dup(kind: crate::Kind, name: &str) -> Error {
            Error::AlreadyDefined {
                kind,
                name: name.to_string(),
            }
        }
        match spec.build()? {
            Spec::Capture(n, d) => {
                if self.captures.contains_key(&n) {
                    return Err(dup(crate::Kind::Capture, &n));
                }
                self.captures.insert(n, d);
            }
            Spec::Collection(n, d) => {
                if self.collections.contains_key(&n) {
                    return Err(dup(crate::Kind::Collection, &n));
                }
                self.collections.insert(n, d);
            }
            Spec::Materialization(n, d) => {
                if self.materializations.contains_key(&n) {
                    return Err(dup(crate::Kind::Materialization, &n));
                }
                self.materializations.insert(n, d);
            }
            Spec::Test(n, d) => {
                if self.tests.contains_key(&n) {
                    return Err(dup(crate::Kind::Test, &n));
                }
                self.tests.insert(n, d);
            }
        }
        Ok(self)
    }
}

/// The first problem seen by a builder, typed, with the context that
/// names it: a bad name stays an [`Error::Name`] (its entity and value
/// kept), anything else becomes an [`Error::InvalidSpec`].
#[derive(Debug, Clone, Default)]
pub(crate) struct Problems(Option<Problem>);

/// A problem a builder records.
#[derive(Debug, Clone)]
pub(crate) enum Problem {
    /// A name, field or pointer that does not follow its rule.
    Name(crate::NameError),
    /// Anything else: what was being built, and what is wrong.
    Spec { subject: String, message: String },
}

impl From<Problem> for Error {
    fn from(problem: Problem) -> Self {
        match problem {
            Problem::Name(err) => Error::Name(err),
            Problem::Spec { subject, message } => Error::invalid_spec(subject, message),
        }
    }
}

/// What a builder can record as a [`Problem`], given its context.
pub(crate) trait IntoProblem {
    /// This problem, in the context `what`.
    fn in_context(self, what: String) -> Problem;
}

impl IntoProblem for crate::NameError {
    fn in_context(self, what: String) -> Problem {
        Problem::Name(crate::NameError {
            message: format!("{what}: {}", self.message),
            ..self
        })
    }
}

impl IntoProblem for String {
    fn in_context(self, what: String) -> Problem {
        Problem::Spec {
            subject: what,
            message: self,
        }
    }
}

impl IntoProblem for Problem {
    fn in_context(self, what: String) -> Problem {
        match self {
            Problem::Name(err) => err.in_context(what),
            Problem::Spec { subject, message } => Problem::Spec {
                subject: format!("{what}: {subject}"),
                message,
            },
        }
    }
}

impl Problems {
    /// Records `err` (if it is the first) under `what`, and returns the value if any.
    pub(crate) fn check<T, E: IntoProblem>(
        &mut self,
        what: impl FnOnce() -> String,
        result: std::result::Result<T, E>,
    ) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(e) => {
                let problem = e.in_context(what());
                self.fail(problem);
                None
            }
        }
    }

    /// Records a name error as it is (if it is the first): the spec's own
    /// name, whose error names it already.
    pub(crate) fn check_name<T>(
        &mut self,
        result: std::result::Result<T, crate::NameError>,
    ) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(e) => {
                self.fail(Problem::Name(e));
                None
            }
        }
    }

    /// Records a problem (if it is the first).
    pub(crate) fn fail(&mut self, problem: Problem) {
        if self.0.is_none() {
            self.0 = Some(problem);
        }
    }

    /// The first problem, if any.
    pub(crate) fn first(self) -> std::result::Result<(), Problem> {
        match self.0 {
            None => Ok(()),
            Some(problem) => Err(problem),
        }
    }

    pub(crate) fn into_result(self) -> Result<()> {
        Ok(self.first()?)
    }
}

/// Parses a list of JSON pointers.
pub(crate) fn pointers<I, S>(
    items: I,
) -> std::result::Result<Vec<crate::JsonPointer>, crate::NameError>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    items
        .into_iter()
        .map(|s| crate::JsonPointer::new(s.as_ref()))
        .collect()
}

#[cfg(test)]
mod tests;
