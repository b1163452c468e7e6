//! The one error type of flowspec, with a stable code per kind.

use std::io;
use std::path::PathBuf;

use crate::redact::redact_identities;
use crate::{codes, Diagnostic, Kind, NameError};

/// Everything that can go wrong in flowspec.
///
/// Each variant has a stable [`Error::code`] from the [`codes`] registry,
/// which the Python and Node bindings expose as `code`. The same mistake
/// has the same code whichever entry point finds it: a bad catalog name is
/// `invalid_name` from a builder, an option object and a loaded `flow.yaml`
/// alike. Messages never hold an age identity (see
/// [`crate::secrets::redact_identities`]).
///
/// ```
/// use flowspec::{Error, Collection};
/// let err: Error = Collection::new("nope").unwrap_err().into();
/// assert_eq!(err.code(), "invalid_name");
/// let Error::Name(name) = &err else { unreachable!() };
/// assert_eq!((name.entity, name.value.as_str()), ("collection", "nope"));
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// A name, field or JSON pointer failed its rule (code `invalid_name`).
    /// Its message begins with the place the name was given, when known.
    Name(NameError),
    /// A spec or an option is not valid: a wrong type, an unknown or
    /// missing field, a conflict between options (code `invalid_spec`).
    InvalidSpec {
        /// What was being built or decoded, like `capture acmeCo/x` or
        /// `options of write`.
        subject: String,
        /// What is wrong, naming the option or field.
        message: String,
    },
    /// A spec of this kind and name is already in the catalog (code
    /// `name_collision`).
    AlreadyDefined {
        /// The kind of spec.
        kind: Kind,
        /// Its name.
        name: String,
    },
    /// No spec of this kind and name is in the catalog (code
    /// `reference_undefined`).
    NotDefined {
        /// The kind of spec.
        kind: Kind,
        /// Its name.
        name: String,
    },
    /// A value nests deeper than [`crate::json::MAX_DEPTH`] levels, which
    /// a catalog cannot hold (code `nesting_too_deep`; the message says
    /// where; see [`crate::json::nesting_error`]).
    NestingTooDeep(String),
    /// A file could not be read (code `io`).
    Io {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: io::Error,
    },
    /// A catalog source could not be loaded: the diagnostics say where and
    /// why (code `load`).
    Load(Vec<Diagnostic>),
    /// The catalog is not valid: the diagnostics say where and why (code
    /// `validation`).
    Validation(Vec<Diagnostic>),
    /// A sops / age operation failed (its code says which, `sops_*`).
    Secrets(crate::secrets::SopsError),
    /// The secrets of a catalog's configs could not be sealed or opened:
    /// the diagnostics say where and why, each with its own code, like
    /// `plaintext_secret` or `sops_mac_mismatch` (code `catalog_secrets`).
    CatalogSecrets(Vec<Diagnostic>),
    /// A profile, a token or missing credentials of the control-plane
    /// client (its code says which: `profile_invalid`,
    /// `auth_token_invalid`…).
    Client(crate::client::ClientError),
    /// A catalog could not be written (code `write`).
    Write {
        /// The file or directory.
        path: String,
        /// Why not; with a `source`, what was being done.
        message: String,
        /// The failure of the operating system, if that is why.
        source: Option<io::Error>,
    },
}

impl Error {
    /// An [`Error::InvalidSpec`].
    ///
    /// ```
    /// let err = flowspec::Error::invalid_spec("capture acmeCo/x", "it has no endpoint");
    /// assert_eq!(err.to_string(), "capture acmeCo/x: it has no endpoint");
    /// assert_eq!(err.code(), "invalid_spec");
    /// ```
    pub fn invalid_spec(subject: impl Into<String>, message: impl Into<String>) -> Self {
        Error::InvalidSpec {
            subject: subject.into(),
            message: message.into(),
        }
    }

    /// An [`Error::Write`] without an OS failure.
    pub(crate) fn write(path: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Write {
            path: path.into(),
            message: message.into(),
            source: None,
        }
    }

    /// An [`Error::Write`] caused by an OS failure: `what` was being done.
    pub(crate) fn write_io(path: impl Into<String>, what: &str, source: io::Error) -> Self {
        Error::Write {
            path: path.into(),
            message: what.to_string(),
            source: Some(source),
        }
    }

    /// The stable code of this kind of error, from the [`codes`] registry.
    ///
    /// ```
    /// use flowspec::{Error, Kind};
    /// let err = Error::NotDefined { kind: Kind::Collection, name: "acmeCo/x".into() };
    /// assert_eq!(err.code(), "reference_undefined");
    /// assert!(flowspec::codes::lookup(err.code()).is_some());
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            Error::Name(_) => codes::INVALID_NAME,
            Error::InvalidSpec { .. } => codes::INVALID_SPEC,
            Error::AlreadyDefined { .. } => codes::NAME_COLLISION,
            Error::NotDefined { .. } => codes::REFERENCE_UNDEFINED,
            Error::NestingTooDeep(_) => codes::NESTING_TOO_DEEP,
            Error::Io { .. } => codes::IO,
            Error::Load(_) => codes::LOAD,
            Error::Validation(_) => codes::VALIDATION,
            Error::Write { .. } => codes::WRITE,
            Error::Secrets(e) => e.code(),
            Error::CatalogSecrets(_) => codes::CATALOG_SECRETS,
            Error::Client(e) => e.code(),
        }
    }

    /// The diagnostics of a load, validation or catalog-secrets error
    /// (empty for others).
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            Error::Load(d) | Error::Validation(d) | Error::CatalogSecrets(d) => d,
            Error::Client(e) => e.diagnostics(),
            _ => &[],
        }
    }

    /// The failure of the operating system behind this error, if any: of a
    /// file that could not be read or written, including by a secrets
    /// operation.
    ///
    /// ```
    /// let err = flowspec::load::load("/no/such/flow.yaml").unwrap_err();
    /// assert_eq!(err.io_error().unwrap().kind(), std::io::ErrorKind::NotFound);
    /// ```
    pub fn io_error(&self) -> Option<&io::Error> {
        match self {
            Error::Io { source, .. } => Some(source),
            Error::Write { source, .. } => source.as_ref(),
            Error::Secrets(crate::secrets::SopsError::Io { source, .. }) => Some(source),
            _ => None,
        }
    }

    /// The file an I/O failure is about, if any.
    pub fn path(&self) -> Option<PathBuf> {
        match self {
            Error::Io { path, .. } => Some(path.clone()),
            Error::Write { path, .. } => Some(PathBuf::from(path)),
            Error::Secrets(crate::secrets::SopsError::Io { path, .. }) => Some(path.clone()),
            _ => None,
        }
    }

    /// The message, before identities are redacted.
    fn unredacted(&self) -> String {
        match self {
            Error::Name(e) => e.to_string(),
            Error::InvalidSpec { subject, message } => format!("{subject}: {message}"),
            Error::AlreadyDefined { kind, name } => {
                format!("{} {name} is already defined", kind.singular())
            }
            Error::NotDefined { kind, name } => {
                format!("{} {name} is not defined", kind.singular())
            }
            Error::NestingTooDeep(message) => message.clone(),
            Error::Io { path, source } => format!("cannot read {}: {source}", path.display()),
            Error::Load(d) => summarize("failed to load the catalog", d),
            Error::Validation(d) => summarize("the catalog is invalid", d),
            Error::Secrets(e) => e.to_string(),
            Error::CatalogSecrets(d) => summarize("cannot seal or open the catalog's secrets", d),
            Error::Client(e) => e.to_string(),
            Error::Write {
                path,
                message,
                source: None,
            } => format!("cannot write {path}: {message}"),
            Error::Write {
                path,
                message,
                source: Some(source),
            } => format!("cannot write {path}: {message}: {source}"),
        }
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&redact_identities(&self.unredacted()))
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Name(e) => Some(e),
            Error::Io { source, .. } => Some(source),
            Error::Write {
                source: Some(source),
                ..
            } => Some(source),
            Error::Secrets(e) => Some(e),
            Error::Client(e) => Some(e),
            _ => None,
        }
    }
}

impl From<NameError> for Error {
    fn from(err: NameError) -> Self {
        Error::Name(err)
    }
}

impl From<crate::UnknownKind> for Error {
    fn from(err: crate::UnknownKind) -> Self {
        Error::invalid_spec("kind", err.to_string())
    }
}

impl From<crate::secrets::SopsError> for Error {
    fn from(err: crate::secrets::SopsError) -> Self {
        Error::Secrets(err)
    }
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

/// The family of an [`Error`]: the bindings raise one exception class per
/// family (Python's `InvalidSpecError`, Kotlin's `InvalidSpecException`,
/// Ruby's `Flowspec::InvalidSpecError`, ...), its code telling the kinds
/// within it apart.
///
/// ```
/// use flowspec::{Error, ErrorClass, Kind};
/// let err = Error::NotDefined { kind: Kind::Test, name: "acmeCo/t".into() };
/// assert_eq!(err.class(), ErrorClass::InvalidSpec);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorClass {
    /// [`Error::Name`].
    InvalidName,
    /// [`Error::InvalidSpec`], [`Error::AlreadyDefined`],
    /// [`Error::NotDefined`], [`Error::NestingTooDeep`].
    InvalidSpec,
    /// A file that could not be read: [`Error::Io`], and the I/O failures
    /// of secrets operations.
    File,
    /// [`Error::Write`].
    Write,
    /// [`Error::Load`].
    Load,
    /// [`Error::Validation`].
    Validation,
    /// [`Error::Secrets`] (but for I/O), [`Error::CatalogSecrets`].
    Secrets,
    /// [`Error::Client`].
    ControlPlane,
}

impl Error {
    /// The family of this error ([`ErrorClass`]).
    ///
    /// ```
    /// let err = flowspec::load::load("/no/such/flow.yaml").unwrap_err();
    /// assert_eq!(err.class(), flowspec::ErrorClass::File);
    /// ```
    pub fn class(&self) -> ErrorClass {
        match self {
            Error::Name(_) => ErrorClass::InvalidName,
            Error::InvalidSpec { .. }
            | Error::AlreadyDefined { .. }
            | Error::NotDefined { .. }
            | Error::NestingTooDeep(_) => ErrorClass::InvalidSpec,
            Error::Io { .. } | Error::Secrets(crate::secrets::SopsError::Io { .. }) => {
                ErrorClass::File
            }
            Error::Write { .. } => ErrorClass::Write,
            Error::Load(_) => ErrorClass::Load,
            Error::Validation(_) => ErrorClass::Validation,
            Error::Secrets(_) | Error::CatalogSecrets(_) => ErrorClass::Secrets,
            Error::Client(_) => ErrorClass::ControlPlane,
        }
    }
}

/// A `Result` with flowspec's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_registered_and_messages_hold_no_identity() {
        let identity = "AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ";
        let errors = [
            Error::Name(crate::Collection::new("x").unwrap_err()),
            Error::invalid_spec("capture acmeCo/x", format!("bad {identity}")),
            Error::AlreadyDefined {
                kind: Kind::Capture,
                name: "acmeCo/x".into(),
            },
            Error::NotDefined {
                kind: Kind::Test,
                name: "acmeCo/x".into(),
            },
            Error::NestingTooDeep("deep".into()),
            Error::Io {
                path: "f".into(),
                source: io::Error::from(io::ErrorKind::NotFound),
            },
            Error::Load(vec![Diagnostic::new("s", identity, codes::INVALID_SPEC)]),
            Error::Validation(vec![]),
            Error::Secrets(crate::secrets::SopsError::ReservedKey),
            Error::CatalogSecrets(vec![]),
            Error::write("p", "m"),
        ];
        for err in &errors {
            assert!(codes::lookup(err.code()).is_some(), "{}", err.code());
            assert!(!err.to_string().contains("AGE-SECRET"), "{err}");
        }
        assert_eq!(errors[1].to_string(), "capture acmeCo/x: bad <redacted>");
        let io = &errors[5];
        assert_eq!(io.io_error().unwrap().kind(), io::ErrorKind::NotFound);
        assert!(std::error::Error::source(io).is_some());
        assert_eq!(io.path(), Some(PathBuf::from("f")));
    }
}
