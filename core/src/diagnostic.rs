//! Diagnostics: one problem, where it is, and a stable code.

use crate::names::escape_token;

/// One problem found while loading or validating a catalog.
///
/// `scope` is the URL of the file that holds the offending value plus a JSON
/// pointer to it, as Estuary reports it:
/// `file:///p/flow.yaml#/collections/acmeCo~1x/key/0`.
///
/// ```
/// use flowspec::Diagnostic;
/// let d = Diagnostic::new("file:///p/flow.yaml#/collections/acmeCo~1x/key", "collection acmeCo/x key cannot be empty", "key_empty");
/// assert_eq!(d.to_string(), "file:///p/flow.yaml#/collections/acmeCo~1x/key: collection acmeCo/x key cannot be empty");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    /// File URL and JSON pointer of the offending value.
    pub scope: String,
    /// What is wrong, naming the entity and the value.
    pub message: String,
    /// A stable code for the kind of problem (see [`crate::codes`]).
    pub code: String,
    /// Whether the problem makes the catalog invalid, or is only a warning.
    #[serde(default)]
    pub severity: Severity,
}

/// How serious a diagnostic is.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The catalog is invalid.
    #[default]
    Error,
    /// Worth a look; the catalog is still valid.
    Warning,
}

impl Severity {
    /// Its name, as the bindings show it: `error` or `warning`.
    ///
    /// ```
    /// assert_eq!(flowspec::Severity::Warning.as_str(), "warning");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

impl Diagnostic {
    /// A diagnostic. `code` is one of the [`crate::codes`]; any age
    /// identity in `message` is redacted
    /// ([`crate::secrets::redact_identities`]).
    pub fn new(scope: impl Into<String>, message: impl Into<String>, code: &'static str) -> Self {
        Self {
            scope: scope.into(),
            message: crate::redact::redact_identities(&message.into()),
            code: code.to_string(),
            severity: Severity::Error,
        }
    }

    /// The same diagnostic, as a warning.
    #[must_use]
    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    /// Whether this diagnostic makes the catalog invalid.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.severity {
            Severity::Error => write!(f, "{}: {}", self.scope, self.message),
            Severity::Warning => write!(f, "{}: warning: {}", self.scope, self.message),
        }
    }
}

/// A location in a catalog source: a file URL and a JSON pointer into it.
///
/// ```
/// use flowspec::Scope;
/// let s = Scope::new("file:///p/flow.yaml").push("collections").push("acmeCo/x").push_index(0);
/// assert_eq!(s.to_string(), "file:///p/flow.yaml#/collections/acmeCo~1x/0");
/// ```
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct Scope {
    /// URL of the file.
    pub url: String,
    /// JSON pointer into the file (`""` for the root).
    pub pointer: String,
}

impl Scope {
    /// The root of the file at `url`.
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            pointer: String::new(),
        }
    }

    /// This scope, one property deeper.
    #[must_use]
    pub fn push(&self, token: &str) -> Self {
        Self {
            url: self.url.clone(),
            pointer: format!("{}/{}", self.pointer, escape_token(token)),
        }
    }

    /// This scope, one array item deeper.
    #[must_use]
    pub fn push_index(&self, index: usize) -> Self {
        Self {
            url: self.url.clone(),
            pointer: format!("{}/{}", self.pointer, index),
        }
    }

    /// This scope, followed by a JSON pointer (already escaped).
    #[must_use]
    pub fn join_pointer(&self, pointer: &str) -> Self {
        Self {
            url: self.url.clone(),
            pointer: format!("{}{}", self.pointer, pointer),
        }
    }

    /// A diagnostic at this scope.
    pub fn diagnostic(&self, code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(self.to_string(), message, code)
    }
}

impl std::fmt::Display for Scope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.pointer.is_empty() {
            f.write_str(&self.url)
        } else {
            write!(f, "{}#{}", self.url, self.pointer)
        }
    }
}
