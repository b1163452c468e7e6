//! Catalog tests, run locally with Estuary's semantics: reductions, the
//! combiner, the test scheduler and the SQLite and TypeScript derivation
//! runtimes.

pub mod combine;
pub mod reduce;
#[allow(dead_code)] // used by the test runner
pub(crate) mod runtime;
pub mod sqlite;
pub mod typescript;

pub use combine::{CombineError, Combined, Combiner};
