//! Writing catalogs: a single file or the split layout, YAML or JSON, deterministic.
