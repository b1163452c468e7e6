//! The one error of the native layer, and the class of exception each
//! language raises for it.

/// Which exception a failure is: the core's [`flowspec::ErrorClass`], and
/// `Closed`. Kotlin's `FlowspecException` subclasses and Ruby's
/// `Flowspec::Error` subclasses are named after these.
///
/// ```
/// use flowspec_uniffi::{ErrorClass, FfiError};
/// let err: FfiError = flowspec::Collection::new("nope").map_err(flowspec::Error::from).unwrap_err().into();
/// assert_eq!(err.class(), ErrorClass::InvalidName);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum ErrorClass {
    /// A catalog name, field or JSON pointer broke its rule (`invalid_name`).
    InvalidName,
    /// An option or spec is not valid, or names a spec that is missing or
    /// already defined (`invalid_spec`, `name_collision`,
    /// `reference_undefined`, `nesting_too_deep`).
    InvalidSpec,
    /// A file could not be read (`io`, `sops_io`).
    File,
    /// A catalog could not be written (`write`).
    Write,
    /// A catalog source could not be loaded (`load`): see the diagnostics.
    Load,
    /// The catalog is not valid (`validation`): see the diagnostics.
    Validation,
    /// A sops / age operation failed (`sops_*`), or a catalog's secrets
    /// could not be sealed or opened (`catalog_secrets`).
    Secrets,
    /// A call to a control plane failed (`not_authenticated`,
    /// `publication_failed`, ...).
    ControlPlane,
    /// A catalog was used after it was closed (`closed`).
    Closed,
}

/// One problem found while loading or validating a catalog.
///
/// ```
/// let d = flowspec_uniffi::Diagnostic::from(&flowspec::Diagnostic::new("flow://x", "bad", "key_empty"));
/// assert_eq!((d.code.as_str(), d.severity.as_str()), ("key_empty", "error"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Diagnostic {
    /// File URL and JSON pointer of the offending value.
    pub scope: String,
    /// What is wrong, naming the entity and the value.
    pub message: String,
    /// A stable code for the kind of problem, like `key_empty`.
    pub code: String,
    /// `error` or `warning`.
    pub severity: String,
}

impl From<&flowspec::Diagnostic> for Diagnostic {
    fn from(d: &flowspec::Diagnostic) -> Self {
        Self {
            scope: d.scope.clone(),
            message: d.message.clone(),
            code: d.code.clone(),
            severity: d.severity.as_str().to_string(),
        }
    }
}

/// A failure of a call: its class, stable code, message, diagnostics, and
/// the file it is about when there is one.
///
/// ```
/// use flowspec_uniffi::FfiError;
/// let err: FfiError = flowspec::Error::invalid_spec("capture acmeCo/x", "it has no endpoint").into();
/// assert_eq!(err.code(), "invalid_spec");
/// assert_eq!(err.to_string(), "capture acmeCo/x: it has no endpoint");
/// ```
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum FfiError {
    /// The one variant: see the fields.
    #[error("{detail}")]
    Failure {
        /// Which exception it is.
        kind: ErrorClass,
        /// The stable code, from `flowspec::codes`.
        code: String,
        /// The message.
        detail: String,
        /// Where and why, for loading, validation, secrets and publishing.
        diagnostics: Vec<Diagnostic>,
        /// The file, for a file that could not be read or written.
        path: Option<String>,
    },
}

impl FfiError {
    /// The class of exception.
    pub fn class(&self) -> ErrorClass {
        let FfiError::Failure { kind, .. } = self;
        *kind
    }

    /// The stable code.
    pub fn code(&self) -> &str {
        let FfiError::Failure { code, .. } = self;
        code
    }

    /// The failure of using something closed: `what` (`catalog`, ...).
    pub(crate) fn closed(what: &str) -> Self {
        FfiError::Failure {
            kind: ErrorClass::Closed,
            code: flowspec::codes::CLOSED.to_string(),
            detail: format!("the {what} is closed"),
            diagnostics: Vec::new(),
            path: None,
        }
    }
}

impl From<flowspec::Error> for FfiError {
    fn from(err: flowspec::Error) -> Self {
        use flowspec::ErrorClass as C;
        let kind = match err.class() {
            C::InvalidName => ErrorClass::InvalidName,
            C::InvalidSpec => ErrorClass::InvalidSpec,
            C::File => ErrorClass::File,
            C::Write => ErrorClass::Write,
            C::Load => ErrorClass::Load,
            C::Validation => ErrorClass::Validation,
            C::Secrets => ErrorClass::Secrets,
            C::ControlPlane => ErrorClass::ControlPlane,
        };
        FfiError::Failure {
            kind,
            code: err.code().to_string(),
            detail: err.to_string(),
            diagnostics: err.diagnostics().iter().map(Diagnostic::from).collect(),
            path: err.path().map(|p| p.to_string_lossy().into_owned()),
        }
    }
}
