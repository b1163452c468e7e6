//! Builders: the Rust DSL for catalogs.
