//! What the test runner asks of a derivation runtime.

use serde_json::Value;

/// One running shard of a derivation: it reads source documents one at a
/// time and publishes derived documents.
pub(crate) trait Runtime {
    /// Reads `doc`, a document of the source of the derivation's transform
    /// at index `transform`, and returns the documents it publishes.
    fn read(&mut self, transform: usize, doc: &Value) -> Result<Vec<Value>, RuntimeError>;
    /// Ends a transaction, returning any documents published on flush.
    fn flush(&mut self) -> Result<Vec<Value>, RuntimeError>;
    /// Forgets all state, as between two test cases.
    fn reset(&mut self) -> Result<(), RuntimeError>;
}

/// A failure of a derivation runtime. The message names the derivation,
/// and the transform and document where there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RuntimeError {
    /// What went wrong, in full.
    pub message: String,
}

impl RuntimeError {
    /// An error with this message.
    pub fn new(message: impl Into<String>) -> Self {
        RuntimeError {
            message: message.into(),
        }
    }
}

impl std::fmt::Display for RuntimeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}
