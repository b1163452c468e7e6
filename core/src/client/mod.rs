//! The control-plane client: what flowctl does to talk to Estuary, and what
//! flowspec does the same way.
//!
//! - [`profile`](mod@profile): profiles as flowctl keeps them
//!   (`<user config dir>/flowctl/<profile>.json`), and the endpoints they
//!   point at (Estuary's cloud, or a local control plane).
//! - [`credentials`]: access and refresh tokens, `FLOW_AUTH_TOKEN`, and
//!   what to do with them before a call.
//! - [`session`]: the profile in use with the credentials that apply, and
//!   what `auth token` and `auth status` do.
//! - [`id`](mod@id): the control plane's ids (`flowid`), in both of their
//!   spellings, and how it makes them.
//! - [`postgrest`]: PostgREST requests as flowctl sends them, and its
//!   filter syntax, which the local control plane reads back.
//! - [`http`]: the HTTP client that sends them, repeating what may be
//!   repeated, and [`connection`]: that client signed in.
//! - [`draft`]: a catalog as the specs of a draft, in staging batches.
//! - [`publication`]: `catalog publish` and `catalog test --remote`.
//! - [`live`]: what is live: `catalog list`, `pull-specs` and `delete`.
//!
//! The calls are `async`; [`blocking`] runs one to completion for callers
//! that are not (the CLI, Python's synchronous API).
//!
//! Tokens are never shown: not in `Debug` output, not in messages.

pub mod connection;
pub mod credentials;
pub mod draft;
pub mod drafts;
mod error;
pub mod history;
pub mod http;
pub mod id;
pub mod live;
pub mod plan;
pub mod postgrest;
pub mod profile;
pub mod publication;
pub mod session;
pub mod status;

pub use credentials::{AccessToken, Claims, Credentials, GivenToken, NextStep, RefreshToken};
pub use error::ClientError;
pub use id::{FlowId, FlowIdError, IdGenerator};
pub use profile::{profile_name, Endpoints, Profile, ProfileFile, DEFAULT_PROFILE, LOCAL_PROFILE};
pub use session::{AuthStatus, CredentialSource, Session};

/// The time now, in seconds since the Unix epoch: the clock tokens are
/// judged by.
///
/// ```
/// assert!(flowspec::client::unix_now() > 1_700_000_000);
/// ```
pub fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// Runs `future` to completion on a runtime of its own: the blocking
/// form of the client's `async` calls.
///
/// ```
/// assert_eq!(flowspec::client::blocking(async { 1 + 1 }), 2);
/// ```
pub fn blocking<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a Tokio runtime starts")
        .block_on(future)
}

/// An unsigned JWT with these claims, for tests: the client reads claims
/// and never verifies signatures.
#[cfg(test)]
pub(crate) fn unsigned_jwt(claims: serde_json::Value) -> String {
    use base64::Engine as _;
    let b64 = |v: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v);
    format!(
        "{}.{}.{}",
        b64(br#"{"alg":"HS256","typ":"JWT"}"#),
        b64(claims.to_string().as_bytes()),
        b64(b"signature")
    )
}

#[cfg(test)]
mod tests;
