//! Node.js binding of flowspec: Estuary Flow catalogs as code.
//!
//! A thin layer over the `flowspec` crate. Each file is one area of
//! operations; each operation converts its arguments, calls the core and
//! converts the result:
//!
//! - [`catalog`]: the `Catalog` class: load, validate, bundle, write;
//! - [`dsl`]: `capture`, `collection`, `derivation`, `materialization`, `test`;
//! - [`handles`]: the handles those return (`binding`, `transform`, `ingest`, ...);
//! - [`specs`]: reading, replacing and removing specs as JSON;
//! - [`publish`]: `pullSpecs`, `listSpecs`, `LocalControlPlane` (and the
//!   options of `Catalog.publish` / `testRemote`);
//! - [`secrets`]: the `Secret` marker, sops `encrypt` / `decrypt` of
//!   documents and files, `ageKeygen`;
//! - [`types`]: the TypeScript types of options and specs (types only);
//! - [`convert`]: JS values to and from JSON;
//! - [`error`]: the one conversion of failures into thrown JS errors;
//! - [`tasks`]: the core's operations on libuv's thread pool, for the
//!   Promise-returning forms (`loadAsync`, `validateAsync`, ...).
//!
//! Options arrive as JS objects, become `serde_json::Value`s and go straight
//! to the core's `flowspec::json_api` functions, which decode them into the core's
//! own option types. The only options read here are those the core takes as
//! arguments rather than JSON: `Catalog.load`'s `decrypt` and `ageKeygen`'s
//! `overwrite`.

#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod catalog;
mod convert;
mod dsl;
mod error;
mod handles;
mod publish;
mod secrets;
mod specs;
mod tasks;
mod types;
