//! TypeScript derivations: transpiled and run in an embedded JavaScript engine.
