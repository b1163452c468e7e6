//! The one error type of flowspec, with a stable code per kind.

use crate::{Diagnostic, NameError};

/// Everything that can go wrong in flowspec.
///
/// Each variant has a stable [`Error::code`] slug, never renamed or reused,
/// which the Python and Node bindings expose as `code`.
///
/// ```
/// use flowspec::{Error, Collection};
/// let err: Error = Collection::new("nope").unwrap_err().into();
/// assert_eq!(err.code(), "invalid_name");
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A name or JSON pointer failed its rule.
    #[error(transparent)]
    Name(#[from] NameError),
    /// A value given to a builder is not valid (the message says which and why).
    #[error("{0}")]
    InvalidValue(String),
    /// A value given to a builder nests deeper than
    /// [`crate::json::MAX_DEPTH`] levels, which a catalog cannot hold (the
    /// message says where; see [`crate::json::nesting_error`]).
    #[error("{0}")]
    NestingTooDeep(String),
    /// A file could not be read or written.
    #[error("{path}: {message}")]
    Io {
        /// The file.
        path: String,
        /// What the OS said.
        message: String,
    },
    /// A catalog source could not be loaded: the diagnostics say where and why.
    #[error("{}", summarize("failed to load the catalog", .0))]
    Load(Vec<Diagnostic>),
    /// The catalog is not valid: the diagnostics say where and why.
    #[error("{}", summarize("the catalog is invalid", .0))]
    Validation(Vec<Diagnostic>),
    /// A sops / age operation failed (the inner error says which).
    #[error(transparent)]
    Secrets(#[from] crate::secrets::SopsError),
    /// The secrets of a catalog's configs could not be sealed or opened:
    /// the diagnostics say where and why (each with its own code, like
    /// `plaintext_secret` or `sops_mac_mismatch`).
    #[error("{}", summarize("cannot seal or open the catalog's secrets", .0))]
    CatalogSecrets(Vec<Diagnostic>),
    /// A catalog could not be written.
    #[error("cannot write {path}: {message}")]
    Write {
        /// The file or directory.
        path: String,
        /// Why not.
        message: String,
    },
}

fn summarize(what: &str, diagnostics: &[Diagnostic]) -> String {
    let mut out = format!(
        "{what}: {} problem{}",
        diagnostics.len(),
        if diagnostics.len() == 1 { "" } else { "s" }
    );
    for d in diagnostics {
        out.push_str("\n  ");
        out.push_str(&d.to_string());
    }
    out
}

impl Error {
    /// The stable code of this kind of error.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Name(_) => "invalid_name",
            Error::InvalidValue(_) => "invalid_value",
            Error::NestingTooDeep(_) => "nesting_too_deep",
            Error::Io { .. } => "io",
            Error::Load(_) => "load",
            Error::Validation(_) => "validation",
            Error::Write { .. } => "write",
            Error::Secrets(e) => e.code(),
            Error::CatalogSecrets(_) => "catalog_secrets",
        }
    }

    /// The diagnostics of a load or validation error (empty for others).
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            Error::Load(d) | Error::Validation(d) | Error::CatalogSecrets(d) => d,
            _ => &[],
        }
    }
}

/// A `Result` with flowspec's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
