//! SQLite derivations on the real engine.
