//! Access tokens as the control plane signs them: HS256 JWTs of an hour,
//! `{exp, iat, sub, email, aud: "authenticated", role: "authenticated"}`.

use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use crate::store::User;

/// How long an access token lasts.
pub const ACCESS_TOKEN_SECS: i64 = 3600;

/// The claims of an access token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// Expiry (seconds since the Unix epoch).
    pub exp: i64,
    /// Issued at.
    pub iat: i64,
    /// The user's id.
    pub sub: String,
    /// The user's email.
    pub email: String,
    /// Always `authenticated`.
    pub aud: String,
    /// Always `authenticated`.
    pub role: String,
}

/// Signs an access token of `user` at `now` with `secret`.
pub fn sign(user: &User, now: i64, secret: &str) -> String {
    let claims = Claims {
        exp: now + ACCESS_TOKEN_SECS,
        iat: now,
        sub: user.id.clone(),
        email: user.email.clone(),
        aud: "authenticated".into(),
        role: "authenticated".into(),
    };
    encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .expect("HS256 signing does not fail")
}

/// The claims of `token` if it is one this control plane signed and it
/// has not expired.
pub fn verify(token: &str, secret: &str) -> Option<Claims> {
    let mut validation = Validation::new(Algorithm::HS256);
    validation.set_audience(&["authenticated"]);
    validation.leeway = 0;
    decode::<Claims>(
        token,
        &DecodingKey::from_secret(secret.as_bytes()),
        &validation,
    )
    .ok()
    .map(|data| data.claims)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_verify_with_their_key_only_and_until_they_expire() {
        let user = User {
            id: "u-1".into(),
            email: "a@b.c".into(),
        };
        let now = flowspec::client::unix_now();
        let token = sign(&user, now, "key");
        let claims = verify(&token, "key").unwrap();
        assert_eq!(
            (claims.sub.as_str(), claims.exp - claims.iat),
            ("u-1", 3600)
        );
        assert_eq!(verify(&token, "other"), None);
        assert_eq!(verify(&sign(&user, now - 7200, "key"), "key"), None);
        // The client reads the same claims.
        let read = flowspec::client::AccessToken::parse(&token, "x").unwrap();
        assert_eq!(read.claims().email.as_deref(), Some("a@b.c"));
    }
}
