//! Offline validation: every rule that needs neither a connector nor the
//! control plane.
//!
//! This module holds the schema machinery the checks build on: shapes
//! inferred from JSON schemas, and compiled collection schemas.

mod index;
mod reduce;
#[allow(dead_code)]
mod schema;
pub mod shape;
mod types;

pub use shape::{Exists, Reduction, Shape, Strategy};
pub use types::Types;
