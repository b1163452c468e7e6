//! Offline validation: every rule that needs neither a connector nor the control plane.
//!
//! (Placeholder signature; the implementation lands from the validation branch.)

use crate::{Catalog, Diagnostic};

/// Validates a catalog.
pub fn validate(_catalog: &Catalog) -> Vec<Diagnostic> {
    Vec::new()
}
