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
        fn dup(kind: &str, name: &str) -> Error {
            Error::InvalidValue(format!("{kind} {name} is already defined"))
        }
        match spec.build()? {
            Spec::Capture(n, d) => {
                if self.captures.contains_key(&n) {
                    return Err(dup("capture", &n));
                }
                self.captures.insert(n, d);
            }
            Spec::Collection(n, d) => {
                if self.collections.contains_key(&n) {
                    return Err(dup("collection", &n));
                }
                self.collections.insert(n, d);
            }
            Spec::Materialization(n, d) => {
                if self.materializations.contains_key(&n) {
                    return Err(dup("materialization", &n));
                }
                self.materializations.insert(n, d);
            }
            Spec::Test(n, d) => {
                if self.tests.contains_key(&n) {
                    return Err(dup("test", &n));
                }
                self.tests.insert(n, d);
            }
        }
        Ok(self)
    }
}

/// The first problem seen by a builder, with the context that names it.
#[derive(Debug, Clone, Default)]
pub(crate) struct Problems(Option<String>);

impl Problems {
    /// Records `err` (if it is the first) under `what`, and returns the value if any.
    pub(crate) fn check<T, E: std::fmt::Display>(
        &mut self,
        what: impl FnOnce() -> String,
        result: std::result::Result<T, E>,
    ) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(e) => {
                if self.0.is_none() {
                    self.0 = Some(format!("{}: {e}", what()));
                }
                None
            }
        }
    }

    pub(crate) fn fail(&mut self, message: String) {
        if self.0.is_none() {
            self.0 = Some(message);
        }
    }

    pub(crate) fn into_result(self) -> Result<()> {
        match self.0 {
            None => Ok(()),
            Some(m) => Err(Error::InvalidValue(m)),
        }
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
