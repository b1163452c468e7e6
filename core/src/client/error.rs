//! The errors of the control-plane client.

use std::path::PathBuf;

use crate::codes;

/// A failure of the control-plane client: a profile file, a token, or
/// the lack of credentials. Messages never hold a token or a secret.
///
/// ```
/// use flowspec::client::ClientError;
/// let err = ClientError::TokenInvalid {
///     origin: "FLOW_AUTH_TOKEN".into(),
///     reason: "it is not base64".into(),
/// };
/// assert_eq!(err.code(), "auth_token_invalid");
/// assert_eq!(
///     err.to_string(),
///     "FLOW_AUTH_TOKEN is not a token: it is not base64 (give the token of Dashboard → Admin → CLI-API, \
///      a base64 refresh token, or a JWT access token)"
/// );
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ClientError {
    /// A profile file exists but cannot be read or does not parse.
    #[error("cannot read the profile {}: {message}", path.display())]
    ProfileInvalid {
        /// The profile file.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// A profile could not be saved.
    #[error("cannot write the profile {}: {source}", path.display())]
    ProfileWrite {
        /// The profile file.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// A profile name that cannot name a file, or no user config directory.
    #[error("{0}")]
    ProfileName(String),
    /// A token (from `FLOW_AUTH_TOKEN`, `auth token --token` or a profile)
    /// is neither a JWT access token nor a base64 refresh token.
    #[error(
        "{origin} is not a token: {reason} (give the token of Dashboard → Admin → CLI-API, a base64 \
         refresh token, or a JWT access token)"
    )]
    TokenInvalid {
        /// Where the token came from, like `FLOW_AUTH_TOKEN`.
        origin: String,
        /// Why it is not one; never the token itself.
        reason: String,
    },
    /// There are no usable credentials for a call that needs them.
    #[error("{0}")]
    NotAuthenticated(String),
    /// The control plane answered a call with an error.
    #[error("{call}: {status}: {message}")]
    Refused {
        /// The call, like `POST /rpc/generate_access_token`.
        call: String,
        /// The HTTP status, like `400 Bad Request`.
        status: String,
        /// What the control plane said (PostgREST's `message`, with its
        /// `details` and `hint`), or the body.
        message: String,
    },
    /// The local control plane (`flowspec serve`) could not start or run:
    /// a port in use, or its database.
    #[error("the local control plane: {0}")]
    LocalControlPlane(String),
    /// The user cancelled: approval was refused, or the call was
    /// interrupted. Nothing was published and the draft was deleted.
    #[error("{0}")]
    Cancelled(String),
    /// A publication (or a dry run) ended with another status than
    /// `success`; `errors` are the control plane's, by scope.
    #[error("{}", publication_failed(status, *dry_run, errors))]
    PublicationFailed {
        /// The job status, like `buildFailed`.
        status: String,
        /// Whether it was a dry run (`catalog test`).
        dry_run: bool,
        /// The draft's errors.
        errors: Vec<crate::Diagnostic>,
    },
    /// Endpoint configs could not be encrypted; nothing was published.
    #[error("{}", encryption_failed(.0))]
    Encryption(Vec<crate::Diagnostic>),
    /// A data plane that is not known, or connected specs on different
    /// data planes.
    #[error("{0}")]
    DataPlane(String),
    /// A named spec is not live.
    #[error("no live spec exists for name: '{0}'")]
    NotLive(String),
    /// The control plane could not be reached, or its answer not read.
    #[error("{call}: cannot reach the control plane at {url}: {reason}")]
    Unreachable {
        /// The call.
        call: String,
        /// Where it was sent.
        url: String,
        /// Why it failed.
        reason: String,
    },
}

impl ClientError {
    /// The stable code of this kind of error (group `client` of
    /// [`crate::codes`]).
    ///
    /// ```
    /// use flowspec::client::ClientError;
    /// assert_eq!(ClientError::NotAuthenticated("no token".into()).code(), "not_authenticated");
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            ClientError::ProfileInvalid { .. } | ClientError::ProfileName(_) => {
                codes::PROFILE_INVALID
            }
            ClientError::ProfileWrite { .. } => codes::PROFILE_WRITE,
            ClientError::TokenInvalid { .. } => codes::AUTH_TOKEN_INVALID,
            ClientError::NotAuthenticated(_) => codes::NOT_AUTHENTICATED,
            ClientError::Refused { .. } => codes::CONTROL_PLANE_REFUSED,
            ClientError::LocalControlPlane(_) => codes::LOCAL_CONTROL_PLANE_FAILED,
            ClientError::Unreachable { .. } => codes::CONTROL_PLANE_UNREACHABLE,
            ClientError::Cancelled(_) => codes::PUBLISH_CANCELLED,
            ClientError::PublicationFailed { .. } => codes::PUBLICATION_FAILED,
            ClientError::Encryption(_) => codes::CONFIG_ENCRYPTION_FAILED,
            ClientError::DataPlane(_) => codes::DATA_PLANE_INVALID,
            ClientError::NotLive(_) => codes::LIVE_SPEC_NOT_FOUND,
        }
    }

    /// The problems it is made of, each with its scope: the control
    /// plane's errors of a failed publication, the configs that could not
    /// be encrypted.
    pub fn diagnostics(&self) -> &[crate::Diagnostic] {
        match self {
            ClientError::PublicationFailed { errors, .. } | ClientError::Encryption(errors) => {
                errors
            }
            _ => &[],
        }
    }
}

fn publication_failed(status: &str, dry_run: bool, errors: &[crate::Diagnostic]) -> String {
    let what = if dry_run {
        "Tests failed"
    } else {
        "Publish failed"
    };
    let mut text = format!("{what}: failed with status: {status}");
    for error in errors {
        text.push_str(&format!("\n  {}: {}", error.scope, error.message));
    }
    text
}

fn encryption_failed(problems: &[crate::Diagnostic]) -> String {
    let mut text =
        String::from("endpoint configs could not be encrypted, so nothing was published");
    for problem in problems {
        text.push_str(&format!("\n  {}: {}", problem.scope, problem.message));
    }
    text
}

impl From<ClientError> for crate::Error {
    fn from(err: ClientError) -> Self {
        crate::Error::Client(err)
    }
}
