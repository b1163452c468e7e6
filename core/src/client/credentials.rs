//! Credentials as flowctl keeps them: a JWT access token and a refresh
//! token `{id, secret}`, from a profile or from `FLOW_AUTH_TOKEN`, and
//! what to do with them before a call ([`Credentials::next_step`]).
//!
//! Tokens are held in [`zeroize::Zeroizing`] strings and never shown: their
//! `Debug` says only what they are, and no message quotes them.

use std::fmt;

use base64::Engine as _;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::ClientError;

/// How long before its expiry an access token is replaced, as flowctl
/// does: one with fewer seconds left is refreshed first.
pub const REFRESH_MARGIN_SECS: i64 = 60;

/// A refresh token: multi-use (90 days by default), exchanged at the
/// control plane for access tokens. `FLOW_AUTH_TOKEN` and the Dashboard's
/// CLI-API token are its JSON in standard base64.
///
/// ```
/// use flowspec::client::RefreshToken;
/// let token = RefreshToken::new("0123456789abcdef", "s3cret");
/// let text = token.to_base64();
/// assert_eq!(RefreshToken::from_base64(&text, "FLOW_AUTH_TOKEN").unwrap(), token);
/// assert_eq!(format!("{token:?}"), "RefreshToken { id: \"0123456789abcdef\", secret: <redacted> }");
/// ```
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefreshToken {
    /// The token's id (a flowid: 16 hex digits, or PostgREST's colon form).
    pub id: String,
    secret: Zeroizing<String>,
}

impl RefreshToken {
    /// A refresh token of `id` and `secret`.
    ///
    /// ```
    /// let token = flowspec::client::RefreshToken::new("0123456789abcdef", "s3cret");
    /// assert_eq!(token.secret(), "s3cret");
    /// ```
    pub fn new(id: impl Into<String>, secret: impl Into<String>) -> Self {
        RefreshToken {
            id: id.into(),
            secret: Zeroizing::new(secret.into()),
        }
    }

    /// The secret, for the one request that exchanges it.
    ///
    /// ```
    /// let token = flowspec::client::RefreshToken::new("01", "s3cret");
    /// assert_eq!(token.secret(), "s3cret");
    /// ```
    pub fn secret(&self) -> &str {
        &self.secret
    }

    /// The token as `FLOW_AUTH_TOKEN` holds it: `{"id","secret"}` in
    /// standard base64.
    ///
    /// ```
    /// let token = flowspec::client::RefreshToken::new("01", "s");
    /// assert_eq!(token.to_base64(), "eyJpZCI6IjAxIiwic2VjcmV0IjoicyJ9");
    /// ```
    pub fn to_base64(&self) -> String {
        let json = Zeroizing::new(
            serde_json::to_string(self).expect("a refresh token serializes to JSON"),
        );
        base64::engine::general_purpose::STANDARD.encode(json.as_bytes())
    }

    /// Reads a token in `FLOW_AUTH_TOKEN`'s form; `origin` names where it
    /// came from in the error.
    ///
    /// ```
    /// use flowspec::client::RefreshToken;
    /// let err = RefreshToken::from_base64("not base64!", "FLOW_AUTH_TOKEN").unwrap_err();
    /// assert_eq!(err.code(), "auth_token_invalid");
    /// assert!(!err.to_string().contains("base64!"));
    /// ```
    pub fn from_base64(text: &str, origin: &str) -> Result<Self, ClientError> {
        let invalid = |reason: &str| ClientError::TokenInvalid {
            origin: origin.to_string(),
            reason: reason.to_string(),
        };
        let bytes = Zeroizing::new(
            base64::engine::general_purpose::STANDARD
                .decode(text.trim())
                .map_err(|_| invalid("it is not base64"))?,
        );
        let token: RefreshToken = serde_json::from_slice(&bytes).map_err(|_| {
            invalid("its base64 does not hold a refresh token {\"id\", \"secret\"}")
        })?;
        if token.id.is_empty() || token.secret.is_empty() {
            return Err(invalid("its refresh token has an empty id or secret"));
        }
        Ok(token)
    }
}

impl fmt::Debug for RefreshToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RefreshToken")
            .field("id", &self.id)
            .field("secret", &format_args!("<redacted>"))
            .finish()
    }
}

/// The claims of an access token that the client reads. The token is
/// parsed, not verified: verifying is the control plane's business.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Claims {
    /// Expiry, in seconds since the Unix epoch.
    pub exp: i64,
    /// Issued at, in seconds since the Unix epoch.
    #[serde(default)]
    pub iat: Option<i64>,
    /// The user's id.
    #[serde(default)]
    pub sub: Option<String>,
    /// The user's email address.
    #[serde(default)]
    pub email: Option<String>,
}

/// A JWT access token of the control plane (about an hour long), with the
/// claims read from it.
///
/// ```
/// use flowspec::client::AccessToken;
/// // {"alg":"HS256"} . {"exp":2000000000,"email":"ann@acme.co"} . signature
/// let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjIwMDAwMDAwMDAsImVtYWlsIjoiYW5uQGFjbWUuY28ifQ.c2ln";
/// let token = AccessToken::parse(jwt, "the profile").unwrap();
/// assert_eq!(token.claims().exp, 2_000_000_000);
/// assert_eq!(token.claims().email.as_deref(), Some("ann@acme.co"));
/// assert_eq!(format!("{token:?}"), "AccessToken { exp: 2000000000, jwt: <redacted> }");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken {
    jwt: Zeroizing<String>,
    claims: Claims,
}

impl AccessToken {
    /// Reads the claims of `jwt` (three `.`-separated parts, the middle one
    /// URL-safe base64 JSON with an `exp`); `origin` names where it came
    /// from in the error.
    ///
    /// ```
    /// let err = flowspec::client::AccessToken::parse("a.b", "FLOW_AUTH_TOKEN").unwrap_err();
    /// assert_eq!(err.code(), "auth_token_invalid");
    /// ```
    pub fn parse(jwt: &str, origin: &str) -> Result<Self, ClientError> {
        let invalid = |reason: &str| ClientError::TokenInvalid {
            origin: origin.to_string(),
            reason: reason.to_string(),
        };
        let jwt = jwt.trim();
        let parts: Vec<&str> = jwt.split('.').collect();
        let [_, payload, _] = parts.as_slice() else {
            return Err(invalid("a JWT has three `.`-separated parts"));
        };
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload.trim_end_matches('='))
            .map_err(|_| invalid("its JWT payload is not base64"))?;
        let claims: Claims = serde_json::from_slice(&bytes)
            .map_err(|_| invalid("its JWT payload is not JSON claims with an `exp`"))?;
        Ok(AccessToken {
            jwt: Zeroizing::new(jwt.to_string()),
            claims,
        })
    }

    /// The token, for the `Authorization: Bearer` header.
    ///
    /// ```
    /// # let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjF9.c2ln";
    /// let token = flowspec::client::AccessToken::parse(jwt, "x").unwrap();
    /// assert_eq!(token.as_str(), jwt);
    /// ```
    pub fn as_str(&self) -> &str {
        &self.jwt
    }

    /// The claims read from the token.
    ///
    /// ```
    /// # let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjF9.c2ln";
    /// assert_eq!(flowspec::client::AccessToken::parse(jwt, "x").unwrap().claims().exp, 1);
    /// ```
    pub fn claims(&self) -> &Claims {
        &self.claims
    }

    /// Whether the token is still good at `now` (seconds since the Unix
    /// epoch) with [`REFRESH_MARGIN_SECS`] to spare.
    ///
    /// ```
    /// # let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjEwMDB9.c2ln"; // exp 1000
    /// let token = flowspec::client::AccessToken::parse(jwt, "x").unwrap();
    /// assert!(token.fresh_at(939));
    /// assert!(!token.fresh_at(940));
    /// ```
    pub fn fresh_at(&self, now: i64) -> bool {
        self.claims.exp - now > REFRESH_MARGIN_SECS
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessToken")
            .field("exp", &self.claims.exp)
            .field("jwt", &format_args!("<redacted>"))
            .finish()
    }
}

/// A token as a user gives it (`FLOW_AUTH_TOKEN`, `auth token --token`):
/// a JWT access token when it has exactly three `.`-separated parts, else
/// a base64 refresh token, as flowctl tells them apart.
///
/// ```
/// use flowspec::client::{GivenToken, RefreshToken};
/// let refresh = RefreshToken::new("0123456789abcdef", "s3cret");
/// match GivenToken::parse(&refresh.to_base64(), "FLOW_AUTH_TOKEN").unwrap() {
///     GivenToken::Refresh(token) => assert_eq!(token, refresh),
///     GivenToken::Access(_) => unreachable!(),
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GivenToken {
    /// A JWT access token.
    Access(AccessToken),
    /// A refresh token.
    Refresh(RefreshToken),
}

impl GivenToken {
    /// Reads `text`; `origin` names where it came from in the error.
    ///
    /// ```
    /// let err = flowspec::client::GivenToken::parse("", "--token").unwrap_err();
    /// assert_eq!(err.to_string().split(':').next(), Some("--token is not a token"));
    /// ```
    pub fn parse(text: &str, origin: &str) -> Result<Self, ClientError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(ClientError::TokenInvalid {
                origin: origin.to_string(),
                reason: "it is empty".to_string(),
            });
        }
        if text.split('.').count() == 3 {
            AccessToken::parse(text, origin).map(GivenToken::Access)
        } else {
            RefreshToken::from_base64(text, origin).map(GivenToken::Refresh)
        }
    }
}

/// What the client must do before an authenticated call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NextStep {
    /// Use the access token as it is.
    Reuse,
    /// Exchange the refresh token for a new access token
    /// (`POST {pg}/rpc/generate_access_token`).
    Exchange,
    /// Create a refresh token with the access token
    /// (`POST {pg}/rpc/create_refresh_token`), then reuse the access token:
    /// what `auth token` with a JWT, and `auth login`, do.
    CreateRefreshToken,
    /// Go on without credentials: calls that need them fail at the server.
    Anonymous,
}

/// The credentials of a session: an access token, a refresh token, or
/// both, with where they came from.
///
/// ```
/// use flowspec::client::{Credentials, NextStep, RefreshToken};
/// let credentials = Credentials::new(None, Some(RefreshToken::new("01", "s")));
/// assert_eq!(credentials.next_step(0, false).unwrap(), NextStep::Exchange);
/// assert_eq!(Credentials::default().next_step(0, false).unwrap(), NextStep::Anonymous);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Credentials {
    /// The access token, if any.
    pub access: Option<AccessToken>,
    /// The refresh token, if any.
    pub refresh: Option<RefreshToken>,
}

impl Credentials {
    /// Credentials of these tokens.
    ///
    /// ```
    /// assert!(flowspec::client::Credentials::new(None, None).is_empty());
    /// ```
    pub fn new(access: Option<AccessToken>, refresh: Option<RefreshToken>) -> Self {
        Credentials { access, refresh }
    }

    /// The credentials of a given token, which replace any others, as
    /// `FLOW_AUTH_TOKEN` replaces the profile's tokens in flowctl.
    ///
    /// ```
    /// use flowspec::client::{Credentials, GivenToken, RefreshToken};
    /// let c = Credentials::given(GivenToken::Refresh(RefreshToken::new("01", "s")));
    /// assert!(c.access.is_none() && c.refresh.is_some());
    /// ```
    pub fn given(token: GivenToken) -> Self {
        match token {
            GivenToken::Access(access) => Credentials::new(Some(access), None),
            GivenToken::Refresh(refresh) => Credentials::new(None, Some(refresh)),
        }
    }

    /// Whether there is no token at all.
    ///
    /// ```
    /// assert!(flowspec::client::Credentials::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.access.is_none() && self.refresh.is_none()
    }

    /// What to do before a call at `now` (seconds since the Unix epoch).
    /// `may_create` allows creating a refresh token for a lone access token
    /// (`auth login`, `auth token`); otherwise a lone access token is used
    /// until it expires, and then it is an error saying how to sign in.
    ///
    /// ```
    /// use flowspec::client::{AccessToken, Credentials, NextStep};
    /// let access = AccessToken::parse("eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjEwMDB9.c2ln", "x").unwrap(); // exp 1000
    /// let lone = Credentials::new(Some(access), None);
    /// assert_eq!(lone.next_step(0, false).unwrap(), NextStep::Reuse);
    /// assert_eq!(lone.next_step(0, true).unwrap(), NextStep::CreateRefreshToken);
    /// assert_eq!(lone.next_step(2000, false).unwrap_err().code(), "not_authenticated");
    /// ```
    pub fn next_step(&self, now: i64, may_create: bool) -> Result<NextStep, ClientError> {
        match (&self.access, &self.refresh) {
            (None, None) => Ok(NextStep::Anonymous),
            (Some(access), Some(_)) if access.fresh_at(now) => Ok(NextStep::Reuse),
            (_, Some(_)) => Ok(NextStep::Exchange),
            (Some(_), None) if may_create => Ok(NextStep::CreateRefreshToken),
            (Some(access), None) if access.fresh_at(now) => Ok(NextStep::Reuse),
            (Some(_), None) => Err(ClientError::NotAuthenticated(
                "the access token has expired and there is no refresh token: run `flowspec auth \
                 token --token …` with a token from Dashboard → Admin → CLI-API, or set \
                 FLOW_AUTH_TOKEN"
                    .to_string(),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::client::unsigned_jwt as jwt;

    #[test]
    fn given_tokens_are_told_apart_as_flowctl_does() {
        let access = jwt(
            serde_json::json!({"exp": 2_000_000_000, "sub": "u-1", "email": "a@b.c", "role": "authenticated"}),
        );
        let GivenToken::Access(token) = GivenToken::parse(&access, "FLOW_AUTH_TOKEN").unwrap()
        else {
            panic!("a JWT is an access token");
        };
        assert_eq!(
            token.claims(),
            &Claims {
                exp: 2_000_000_000,
                iat: None,
                sub: Some("u-1".into()),
                email: Some("a@b.c".into())
            }
        );
        // The Dashboard's token: base64 of {"id","secret"}, with padding.
        let text = base64::engine::general_purpose::STANDARD
            .encode(br#"{"id":"01:23:45:67:89:ab:cd:ef","secret":"c0ffee"}"#);
        assert_eq!(
            GivenToken::parse(&format!("  {text}\n"), "--token").unwrap(),
            GivenToken::Refresh(RefreshToken::new("01:23:45:67:89:ab:cd:ef", "c0ffee"))
        );
    }

    #[test]
    fn bad_tokens_say_why_and_never_echo_the_token() {
        let cases = [
            ("", "FLOW_AUTH_TOKEN is not a token: it is empty"),
            ("SECRET-not-base64", "FLOW_AUTH_TOKEN is not a token: it is not base64"),
            (
                // base64 of {"secret":"SECRET"}: no id
                "eyJzZWNyZXQiOiJTRUNSRVQifQ==",
                "FLOW_AUTH_TOKEN is not a token: its base64 does not hold a refresh token {\"id\", \"secret\"}",
            ),
            (
                // base64 of {"id":"","secret":"SECRET"}
                "eyJpZCI6IiIsInNlY3JldCI6IlNFQ1JFVCJ9",
                "FLOW_AUTH_TOKEN is not a token: its refresh token has an empty id or secret",
            ),
            ("a.SECRET.c", "FLOW_AUTH_TOKEN is not a token: its JWT payload is not base64"),
            (
                // the payload {"sub":"SECRET"} has no exp
                "e30.eyJzdWIiOiJTRUNSRVQifQ.c2ln",
                "FLOW_AUTH_TOKEN is not a token: its JWT payload is not JSON claims with an `exp`",
            ),
        ];
        for (text, want) in cases {
            let err = GivenToken::parse(text, "FLOW_AUTH_TOKEN").unwrap_err();
            assert_eq!(err.code(), "auth_token_invalid");
            let message = err.to_string();
            assert!(message.starts_with(want), "{message:?} !~ {want:?}");
            assert!(!message.contains("SECRET"), "{message}");
        }
    }

    #[test]
    fn next_steps_follow_flowctl() {
        let access =
            |exp: i64| AccessToken::parse(&jwt(serde_json::json!({"exp": exp})), "x").unwrap();
        let refresh = || RefreshToken::new("01", "s");
        let both = |exp| Credentials::new(Some(access(exp)), Some(refresh()));
        assert_eq!(both(1061).next_step(1000, false).unwrap(), NextStep::Reuse);
        // Sixty seconds or fewer left: refresh first.
        assert_eq!(
            both(1060).next_step(1000, false).unwrap(),
            NextStep::Exchange
        );
        assert_eq!(
            Credentials::new(None, Some(refresh()))
                .next_step(1000, true)
                .unwrap(),
            NextStep::Exchange
        );
        let lone = Credentials::new(Some(access(5000)), None);
        assert_eq!(lone.next_step(1000, false).unwrap(), NextStep::Reuse);
        assert_eq!(
            lone.next_step(1000, true).unwrap(),
            NextStep::CreateRefreshToken
        );
        let err = Credentials::new(Some(access(1000)), None)
            .next_step(1000, false)
            .unwrap_err();
        assert_eq!(err.code(), "not_authenticated");
        assert!(err
            .to_string()
            .starts_with("the access token has expired and there is no refresh token"));
        assert_eq!(
            Credentials::default().next_step(1000, true).unwrap(),
            NextStep::Anonymous
        );
    }

    #[test]
    fn debug_output_holds_no_token() {
        let secret_jwt = jwt(serde_json::json!({"exp": 1, "email": "x@y.z"}));
        let credentials = Credentials::new(
            Some(AccessToken::parse(&secret_jwt, "x").unwrap()),
            Some(RefreshToken::new("01", "hunter2")),
        );
        let shown = format!("{credentials:?} {credentials:#?}");
        assert!(
            !shown.contains("hunter2") && !shown.contains(&secret_jwt),
            "{shown}"
        );
        assert!(shown.contains("<redacted>"));
    }
}
