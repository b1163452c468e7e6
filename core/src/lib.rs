//! # flowspec
//!
//! Estuary Flow catalogs as code. This crate holds the catalog model, the
//! builders (the DSL), loading and writing `flow.yaml`, and offline
//! validation. The Python and Node bindings and the `flowspec` CLI are thin
//! layers over it.
//!
//! ```
//! use flowspec::{Catalog, CollectionDef, Collection};
//!
//! let catalog: Catalog = serde_json::from_str(r#"{
//!     "collections": {"acmeCo/anvils": {"schema": {"type": "object"}, "key": ["/id"]}}
//! }"#).unwrap();
//! assert!(catalog.collections.contains_key("acmeCo/anvils"));
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod build;
mod catalog_ops;
pub mod client;
pub mod codegen;
pub mod codes;
mod diagnostic;
mod error;
mod format;
pub mod generate;
pub mod json;
pub mod json_api;
pub mod load;
mod model;
pub mod names;
mod paths;
mod redact;

pub mod secrets;
pub mod testing;
pub mod validate;
pub mod write;
mod yaml;

pub use diagnostic::{Diagnostic, Scope, Severity};
pub use error::{Error, ErrorClass, Result};
pub use format::{Format, UnknownFormat};
pub use model::*;
pub use names::{
    Capture, Collection, Field, JsonPointer, Materialization, NameError, Prefix, Test, Token,
    Transform,
};
/// Marks a config value as secret (as `flowspec.secret` in Python and TypeScript).
pub use secrets::{secret, Secret};
