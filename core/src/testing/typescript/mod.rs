//! TypeScript derivations: transpiled and run in an embedded JavaScript engine.
// Placeholder until the runtime lands.
pub(crate) use super::sqlite::SqliteRuntime as TypescriptRuntime;
pub(crate) fn open(
    _: &crate::Catalog,
    d: &crate::Collection,
) -> Result<TypescriptRuntime, super::runtime::RuntimeError> {
    Err(super::runtime::RuntimeError::new(format!(
        "derivation {d}: TypeScript is not available"
    )))
}
