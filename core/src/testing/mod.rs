//! Catalog tests, run locally with Estuary's semantics: reductions, the
//! combiner, the test scheduler and the SQLite and TypeScript derivation
//! runtimes.
//!
//! [`run`] runs a catalog's tests and gives a [`TestResult`] per test;
//! [`TestResults::render`] prints them as `flowctl catalog test` does.

pub mod combine;
pub mod reduce;
mod results;
mod run;
pub(crate) mod runtime;
pub mod sqlite;
pub mod typescript;
pub mod verify;

pub use combine::{CombineError, Combined, Combiner};
pub use results::{Failure, Mismatch, TestResult, TestResults};
pub use run::{run, TestOptions};
