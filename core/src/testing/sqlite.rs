//! SQLite derivations on the real engine.
// Placeholder until the runtime lands.
pub(crate) struct SqliteRuntime;
impl super::runtime::Runtime for SqliteRuntime {
    fn read(
        &mut self,
        _: usize,
        _: &serde_json::Value,
    ) -> Result<Vec<serde_json::Value>, super::runtime::RuntimeError> {
        Ok(vec![])
    }
    fn flush(&mut self) -> Result<Vec<serde_json::Value>, super::runtime::RuntimeError> {
        Ok(vec![])
    }
    fn reset(&mut self) -> Result<(), super::runtime::RuntimeError> {
        Ok(())
    }
}
pub(crate) fn open(
    _: &crate::Catalog,
    _: &crate::Collection,
) -> Result<SqliteRuntime, super::runtime::RuntimeError> {
    Ok(SqliteRuntime)
}
