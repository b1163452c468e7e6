//! The Python binding of flowspec: the `flowspec._flowspec` extension
//! module, re-exported by the `flowspec` package.
//!
//! The binding only converts: Python values become the JSON option objects
//! of [`flowspec::json_api`], core errors become Python exceptions (in one
//! function, [`errors::to_py_err`]), and specs come back as dicts.

mod catalog;
mod convert;
mod errors;
mod handles;
mod options;
mod publish;
mod schema;
mod secrets;

use pyo3::prelude::*;

/// Estuary Flow catalogs as code (the native part of `flowspec`).
#[pymodule]
#[pyo3(name = "_flowspec")]
fn flowspec_module(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<catalog::Catalog>()?;
    m.add_class::<catalog::Specs>()?;
    m.add_class::<handles::Capture>()?;
    m.add_class::<handles::Collection>()?;
    m.add_class::<handles::Derivation>()?;
    m.add_class::<handles::Materialization>()?;
    m.add_class::<handles::Test>()?;
    errors::register(m)?;
    secrets::register(m)?;
    publish::register(m)?;
    Ok(())
}
