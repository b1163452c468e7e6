//! The Kotlin and Ruby bindings of flowspec, made by uniffi from this crate.
//!
//! This crate is the native layer: a catalog object and functions whose
//! options and results are JSON text, the same option objects the Python and
//! Node bindings pass to [`flowspec::json_api`]. Each language then has a
//! thin idiomatic layer over it, whose option-taking methods are generated
//! from the core's option tables (`json_api::surface`): Kotlin's named
//! arguments in `kotlin/flowspec/Dsl.kt`, Ruby's keyword arguments in
//! `ruby/lib/flowspec/dsl.rb`. Nothing here decides what a catalog means: it
//! translates values and errors.
//!
//! ```
//! use flowspec_uniffi::FfiCatalog;
//! let catalog = FfiCatalog::new("{}".into()).unwrap();
//! catalog.add("collection".into(), "acmeCo/x".into(),
//!     r#"{"schema": {"type": "object"}, "key": ["/id"]}"#.into()).unwrap();
//! assert_eq!(catalog.names("collection".into()).unwrap(), ["acmeCo/x"]);
//! catalog.release();
//! assert_eq!(catalog.names("collection".into()).unwrap_err().code(), "closed");
//! ```

uniffi::setup_scaffolding!("flowspec_ffi");

mod catalog;
mod error;
mod functions;
mod plane;

pub use catalog::{FfiCatalog, Written};
pub use error::{Diagnostic, ErrorClass, FfiError};
pub use functions::*;
pub use plane::FfiControlPlane;

/// A JSON text given to a call, decoded: `null` for an empty text.
fn parse(what: &str, text: &str) -> Result<serde_json::Value, FfiError> {
    if text.trim().is_empty() {
        return Ok(serde_json::Value::Null);
    }
    serde_json::from_str(text).map_err(|e| {
        flowspec::Error::invalid_spec(what, format!("the options are not JSON: {e}")).into()
    })
}
