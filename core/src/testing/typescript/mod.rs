//! TypeScript derivations: transpiled and run in an embedded JavaScript engine.
// Placeholder until the runtime lands.
pub(crate) use super::sqlite::SqliteRuntime as TypescriptRuntime;
pub(crate) fn open(
    _: &crate::Catalog,
    _: &crate::Collection,
) -> Result<TypescriptRuntime, super::runtime::RuntimeError> {
    Ok(super::sqlite::SqliteRuntime)
}
