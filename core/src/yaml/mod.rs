//! YAML, read and written in one place.
//!
//! - [`read`]: a streaming `serde::Deserializer` over libyaml-safer's
//!   events, which catalog files, schema files and configs are read with:
//!   a spec is handed over as soon as it is parsed, and only what aliases
//!   need is kept. It resolves scalars and tags, and words its errors, as
//!   serde_yaml_ng does, and turns a panic of the parser into an error. Its
//!   documentation says why it is not serde-saphyr.
//! - [`mod@write`]: the emitter of catalogs and their files: block style, every
//!   ambiguous string quoted for YAML 1.1 and 1.2 readers alike, multi-line
//!   strings as literal blocks, numbers with their exact text.
//! - [`sops`]: sops documents, read with [`read`] and written with
//!   [`mod@write`] indented by 4, as sops indents them.

pub(crate) mod read;
pub(crate) mod sops;
pub(crate) mod write;

#[cfg(test)]
mod write_tests;
