//! Writing catalogs: a single file or the split layout, YAML or JSON, deterministic.
//!
//! (Placeholder signatures; the implementation lands from the writer branch.)

use std::path::{Path, PathBuf};

use crate::{Catalog, Error, Result};

/// How a catalog is laid out in files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// One file.
    Flat,
    /// flowctl pull-specs' split layout.
    Canonical,
}

/// The catalog as YAML.
pub fn to_yaml(catalog: &Catalog) -> String {
    serde_json::to_string(catalog).unwrap_or_default()
}

/// The catalog as JSON.
pub fn to_json(catalog: &Catalog) -> String {
    serde_json::to_string(catalog).unwrap_or_default()
}

/// Writes a catalog.
pub fn write(_catalog: &Catalog, target: &Path, _layout: Layout) -> Result<Vec<PathBuf>> {
    Err(Error::InvalidValue(format!(
        "cannot write {} yet",
        target.display()
    )))
}
