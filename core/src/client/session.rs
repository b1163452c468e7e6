//! A session: the profile in use, its endpoints and the credentials that
//! apply, resolved from the environment once ([`Session::open`]), and what
//! `auth token` and `auth status` do with them.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fmt;

use super::http::Api;
use super::postgrest::Request;
use super::{
    profile_name, AccessToken, ClientError, Credentials, Endpoints, GivenToken, NextStep, Profile,
    ProfileFile, RefreshToken, LOCAL_PROFILE,
};

/// Where a session's credentials come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CredentialSource {
    /// The profile file.
    Profile,
    /// `FLOW_AUTH_TOKEN`, which replaces the profile's tokens and is never
    /// written to the profile.
    Environment,
    /// No credentials at all.
    Nowhere,
}

/// The profile in use, with its credentials.
///
/// ```
/// use std::collections::BTreeMap;
/// use flowspec::client::{CredentialSource, Session};
/// let home = tempfile::tempdir().unwrap();
/// let env = BTreeMap::from([("HOME".into(), home.path().into())]);
/// let session = Session::open(Some("local"), &env).unwrap();
/// assert_eq!(session.endpoints().pg_url, "http://localhost:5431/rest/v1");
/// assert_eq!(session.source, CredentialSource::Nowhere);
/// ```
#[derive(Debug, Clone)]
pub struct Session {
    /// The profile's name.
    pub name: String,
    /// Its file.
    pub file: ProfileFile,
    /// Its contents (the tokens of `FLOW_AUTH_TOKEN` are not in it).
    pub profile: Profile,
    /// The credentials that apply.
    pub credentials: Credentials,
    /// Where they come from.
    pub source: CredentialSource,
}

impl Session {
    /// Opens the profile named `profile` (`--profile`), else by
    /// `FLOWCTL_PROFILE`, else `default`, in flowctl's config directory of
    /// `env`; `FLOW_AUTH_TOKEN` of `env`, when set, replaces its tokens.
    ///
    /// ```
    /// use std::collections::BTreeMap;
    /// use flowspec::client::Session;
    /// let home = tempfile::tempdir().unwrap();
    /// let env = BTreeMap::from([
    ///     ("HOME".into(), home.path().into()),
    ///     ("FLOW_AUTH_TOKEN".into(), "not a token".into()),
    /// ]);
    /// assert_eq!(Session::open(None, &env).unwrap_err().code(), "auth_token_invalid");
    /// ```
    pub fn open(
        profile: Option<&str>,
        env: &BTreeMap<OsString, OsString>,
    ) -> Result<Session, ClientError> {
        let name = profile_name(profile, env);
        let file = ProfileFile::locate(&name, env)?;
        let profile = file.load()?;
        let given = env
            .get(&OsString::from("FLOW_AUTH_TOKEN"))
            .filter(|v| !v.is_empty());
        let (credentials, source) = match given {
            Some(text) => {
                let text = zeroize::Zeroizing::new(text.to_string_lossy().into_owned());
                let token = GivenToken::parse(&text, "FLOW_AUTH_TOKEN")?;
                (Credentials::given(token), CredentialSource::Environment)
            }
            None => {
                let credentials = profile_credentials(&profile, &file)?;
                let source = if credentials.is_empty() {
                    CredentialSource::Nowhere
                } else {
                    CredentialSource::Profile
                };
                (credentials, source)
            }
        };
        Ok(Session {
            name,
            file,
            profile,
            credentials,
            source,
        })
    }

    /// A session of `profile` held in memory, signed in with `token`: for
    /// a control plane started from code, whose endpoints and token are
    /// known, no profile file is read or written.
    ///
    /// ```
    /// use flowspec::client::{CredentialSource, Endpoints, GivenToken, Profile, RefreshToken, Session};
    /// let token = GivenToken::parse(&RefreshToken::new("0000000000000001", "s").to_base64(), "token").unwrap();
    /// let session = Session::in_memory("local", Profile::default(), Some(token));
    /// assert_eq!(session.source, CredentialSource::Environment);
    /// assert_eq!(session.endpoints(), Endpoints::local());
    /// ```
    pub fn in_memory(name: &str, profile: Profile, token: Option<GivenToken>) -> Session {
        let (credentials, source) = match token {
            Some(token) => (Credentials::given(token), CredentialSource::Environment),
            None => (Credentials::default(), CredentialSource::Nowhere),
        };
        Session {
            name: name.to_string(),
            file: ProfileFile::at(std::path::PathBuf::new()),
            profile,
            credentials,
            source,
        }
    }

    /// The endpoints of the profile (the `local` profile's defaults are on
    /// this machine).
    ///
    /// ```
    /// # use std::collections::BTreeMap;
    /// # let home = tempfile::tempdir().unwrap();
    /// # let env = BTreeMap::from([("HOME".into(), home.path().into())]);
    /// let session = flowspec::client::Session::open(None, &env).unwrap();
    /// assert_eq!(session.endpoints().agent_url, "https://api.estuary.dev/");
    /// ```
    pub fn endpoints(&self) -> Endpoints {
        self.profile.endpoints(self.name == LOCAL_PROFILE)
    }

    /// Stores `token` in the profile file, as `auth token --token` does: a
    /// refresh token replaces the stored tokens (a new access token is
    /// fetched with it when one is needed); an access token replaces the
    /// stored ones too, and lasts until it expires unless a refresh token
    /// is created with it.
    ///
    /// ```
    /// use std::collections::BTreeMap;
    /// use flowspec::client::{GivenToken, RefreshToken, Session};
    /// let home = tempfile::tempdir().unwrap();
    /// let env = BTreeMap::from([("HOME".into(), home.path().into())]);
    /// let mut session = Session::open(None, &env).unwrap();
    /// let token = RefreshToken::new("0123456789abcdef", "s3cret");
    /// session.configure(GivenToken::Refresh(token.clone())).unwrap();
    /// let reopened = Session::open(None, &env).unwrap();
    /// assert_eq!(reopened.credentials.refresh, Some(token));
    /// ```
    pub fn configure(&mut self, token: GivenToken) -> Result<(), ClientError> {
        match &token {
            GivenToken::Access(access) => {
                self.profile.user_access_token = Some(access.as_str().to_string());
                self.profile.user_refresh_token = None;
            }
            GivenToken::Refresh(refresh) => {
                self.profile.user_access_token = None;
                self.profile.user_refresh_token = Some(refresh.clone());
            }
        }
        self.file.save(&self.profile)?;
        self.credentials = Credentials::given(token);
        self.source = CredentialSource::Profile;
        Ok(())
    }

    /// What `auth status` shows at `now` (seconds since the Unix epoch):
    /// who, which profile, where the credentials come from, and when they
    /// expire; never a token.
    ///
    /// ```
    /// # use std::collections::BTreeMap;
    /// # let home = tempfile::tempdir().unwrap();
    /// # let env = BTreeMap::from([("HOME".into(), home.path().into())]);
    /// let status = flowspec::client::Session::open(None, &env).unwrap().status(0);
    /// assert!(status.to_string().contains("not signed in"));
    /// ```
    pub fn status(&self, now: i64) -> AuthStatus {
        let access = self.credentials.access.as_ref();
        AuthStatus {
            profile: self.name.clone(),
            path: self.file.path().display().to_string(),
            source: self.source,
            email: access.and_then(|a| a.claims().email.clone()),
            user_id: access.and_then(|a| a.claims().sub.clone()),
            access_expires: access.map(|a| a.claims().exp),
            refresh_token_id: self.credentials.refresh.as_ref().map(|r| r.id.clone()),
            endpoints: self.endpoints(),
            now,
            problem: None,
        }
    }
}

impl Session {
    /// An access token for a call at `now` (seconds since the Unix epoch),
    /// fetched from the control plane when needed ([`Credentials::next_step`]):
    /// the refresh token is exchanged (`POST {pg}/rpc/generate_access_token`,
    /// without a bearer), or, with `may_create`, a refresh token is created
    /// for a lone access token (`POST {pg}/rpc/create_refresh_token`).
    /// `None` when there are no credentials. Tokens of the profile are
    /// saved back to it, as flowctl saves them; those of `FLOW_AUTH_TOKEN`
    /// stay in memory.
    pub async fn access_token(
        &mut self,
        api: &Api,
        now: i64,
        may_create: bool,
    ) -> Result<Option<AccessToken>, ClientError> {
        match self.credentials.next_step(now, may_create)? {
            NextStep::Anonymous => return Ok(None),
            NextStep::Reuse => {}
            NextStep::Exchange => {
                let refresh = self
                    .credentials
                    .refresh
                    .clone()
                    .expect("exchange needs one");
                let answer = api
                    .postgrest(
                        &Request::rpc(
                            "generate_access_token",
                            serde_json::json!({"refresh_token_id": refresh.id, "secret": refresh.secret()}),
                        ),
                        None,
                    )
                    .await?;
                let jwt = answer
                    .get("access_token")
                    .and_then(serde_json::Value::as_str);
                let access = AccessToken::parse(
                    jwt.unwrap_or_default(),
                    "the control plane's access token",
                )?;
                // A single-use refresh token is replaced by a new one.
                if let Some(next) = answer.get("refresh_token").filter(|v| !v.is_null()) {
                    self.credentials.refresh = Some(read_refresh_token(next)?);
                }
                self.credentials.access = Some(access);
                self.save_credentials()?;
            }
            NextStep::CreateRefreshToken => {
                let access = self.credentials.access.clone().expect("creating needs one");
                let answer = api
                    .postgrest(
                        &Request::rpc(
                            "create_refresh_token",
                            serde_json::json!({"multi_use": true, "valid_for": "90d", "detail": "Created by flowspec"}),
                        ),
                        Some(&access),
                    )
                    .await?;
                self.credentials.refresh = Some(read_refresh_token(&answer)?);
                self.save_credentials()?;
            }
        }
        Ok(self.credentials.access.clone())
    }

    /// Signs in with `token`, as `auth token` and `auth login` do: the
    /// control plane is asked for an access token with it (and a refresh
    /// token is created for a lone access token), and only then are the
    /// tokens stored in the profile. A token the control plane refuses is
    /// not stored, and the profile is left as it was.
    pub async fn sign_in(
        &mut self,
        api: &Api,
        token: GivenToken,
        now: i64,
    ) -> Result<Option<AccessToken>, ClientError> {
        let mut trial = self.clone();
        trial.credentials = Credentials::given(token);
        trial.source = CredentialSource::Environment; // nothing is saved yet
        let access = trial.access_token(api, now, true).await?;
        self.credentials = trial.credentials;
        self.source = CredentialSource::Profile;
        self.save_credentials()?;
        Ok(access)
    }

    /// What `auth status` shows at `now`: [`Session::status`], after
    /// fetching an access token when only a refresh token is at hand, so
    /// that it can say who this is. A control plane that cannot answer is
    /// reported in the status, not as an error.
    pub async fn checked_status(&mut self, api: &Api, now: i64) -> AuthStatus {
        let problem = match (&self.credentials.access, &self.credentials.refresh) {
            (None, Some(_)) => self.access_token(api, now, false).await.err(),
            _ => None,
        };
        AuthStatus {
            problem: problem.map(|e| e.to_string()),
            ..self.status(now)
        }
    }

    /// Saves the credentials to the profile when they are the profile's.
    fn save_credentials(&mut self) -> Result<(), ClientError> {
        if self.source != CredentialSource::Profile {
            return Ok(());
        }
        self.profile.user_access_token = self
            .credentials
            .access
            .as_ref()
            .map(|a| a.as_str().to_string());
        self.profile.user_refresh_token = self.credentials.refresh.clone();
        self.file.save(&self.profile)
    }
}

/// A refresh token `{id, secret}` as the control plane returns it.
fn read_refresh_token(value: &serde_json::Value) -> Result<RefreshToken, ClientError> {
    serde_json::from_value(value.clone()).map_err(|_| ClientError::TokenInvalid {
        origin: "the control plane's refresh token".to_string(),
        reason: "it is not {\"id\", \"secret\"}".to_string(),
    })
}

impl Session {
    /// [`Session::status`] now.
    ///
    /// ```
    /// # use std::collections::BTreeMap;
    /// # let home = tempfile::tempdir().unwrap();
    /// # let env = BTreeMap::from([("HOME".into(), home.path().into())]);
    /// let status = flowspec::client::Session::open(None, &env).unwrap().status_now();
    /// assert_eq!(status.profile, "default");
    /// ```
    pub fn status_now(&self) -> AuthStatus {
        self.status(super::unix_now())
    }
}

/// The credentials stored in a profile.
fn profile_credentials(profile: &Profile, file: &ProfileFile) -> Result<Credentials, ClientError> {
    let origin = format!("the access token of the profile {}", file.path().display());
    let access = profile
        .user_access_token
        .as_deref()
        .map(|jwt| super::AccessToken::parse(jwt, &origin))
        .transpose()?;
    Ok(Credentials::new(access, profile.user_refresh_token.clone()))
}

/// What `auth status` reports. Its `Display` is the CLI's output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthStatus {
    /// The profile's name.
    pub profile: String,
    /// The profile's file.
    pub path: String,
    /// Where the credentials come from.
    pub source: CredentialSource,
    /// The signed-in user's email, from the access token.
    pub email: Option<String>,
    /// The signed-in user's id, from the access token.
    pub user_id: Option<String>,
    /// When the access token expires (seconds since the Unix epoch).
    pub access_expires: Option<i64>,
    /// The refresh token's id (its secret is never shown).
    pub refresh_token_id: Option<String>,
    /// The endpoints in use.
    pub endpoints: Endpoints,
    /// The time of the report.
    pub now: i64,
    /// Why the control plane could not say who this is, when it was asked
    /// ([`Session::checked_status`]).
    pub problem: Option<String>,
}

impl fmt::Display for AuthStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "profile: {} ({})", self.profile, self.path)?;
        writeln!(f, "control plane: {}", self.endpoints.pg_url)?;
        let source = match self.source {
            CredentialSource::Profile => "the profile",
            CredentialSource::Environment => "FLOW_AUTH_TOKEN",
            CredentialSource::Nowhere => {
                return writeln!(
                    f,
                    "not signed in: run `flowspec auth token --token …` with a token from \
                     Dashboard → Admin → CLI-API, or set FLOW_AUTH_TOKEN"
                );
            }
        };
        writeln!(f, "credentials: from {source}")?;
        match (&self.email, &self.user_id) {
            (Some(email), Some(id)) => writeln!(f, "user: {email} ({id})")?,
            (Some(email), None) => writeln!(f, "user: {email}")?,
            (None, Some(id)) => writeln!(f, "user: {id}")?,
            (None, None) => writeln!(f, "user: not known until an access token is fetched")?,
        }
        if let Some(exp) = self.access_expires {
            let when = chrono::DateTime::from_timestamp(exp, 0)
                .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
                .unwrap_or_else(|| exp.to_string());
            let left = exp - self.now;
            if left > 0 {
                writeln!(f, "access token: expires {when} (in {})", minutes(left))?;
            } else {
                writeln!(f, "access token: expired {when}")?;
            }
        }
        match &self.refresh_token_id {
            Some(id) => writeln!(f, "refresh token: {id}")?,
            None => writeln!(
                f,
                "refresh token: none (the access token cannot be renewed)"
            )?,
        }
        match &self.problem {
            Some(problem) => writeln!(f, "control plane: {problem}"),
            None => Ok(()),
        }
    }
}

/// A duration in whole minutes, or seconds under one.
fn minutes(secs: i64) -> String {
    match secs {
        s if s < 60 => format!("{s}s"),
        s if s < 7200 => format!("{}m", s / 60),
        s => format!("{}h{:02}m", s / 3600, (s % 3600) / 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::{unsigned_jwt as jwt, AccessToken, RefreshToken};

    fn env(home: &std::path::Path, extra: &[(&str, &str)]) -> BTreeMap<OsString, OsString> {
        let mut env = BTreeMap::from([("HOME".into(), home.into())]);
        env.extend(
            extra
                .iter()
                .map(|(k, v)| (OsString::from(k), OsString::from(v))),
        );
        env
    }

    #[test]
    fn flow_auth_token_replaces_the_profile_and_is_never_written() {
        let home = tempfile::tempdir().unwrap();
        let mut session = Session::open(Some("ci"), &env(home.path(), &[])).unwrap();
        session
            .configure(GivenToken::Refresh(RefreshToken::new("01", "stored")))
            .unwrap();
        let given = RefreshToken::new("02", "from-env");
        let env = env(
            home.path(),
            &[
                ("FLOW_AUTH_TOKEN", &given.to_base64()),
                ("FLOWCTL_PROFILE", "ci"),
            ],
        );
        let session = Session::open(None, &env).unwrap();
        assert_eq!(session.name, "ci");
        assert_eq!(session.source, CredentialSource::Environment);
        assert_eq!(session.credentials.refresh, Some(given));
        let text = std::fs::read_to_string(session.file.path()).unwrap();
        assert!(
            text.contains("stored") && !text.contains("from-env"),
            "{text}"
        );
    }

    #[test]
    fn status_says_who_and_until_when_without_tokens() {
        let home = tempfile::tempdir().unwrap();
        let access =
            jwt(serde_json::json!({"exp": 1_800_003_600, "sub": "u-1", "email": "ann@acme.co"}));
        let mut session = Session::open(Some("local"), &env(home.path(), &[])).unwrap();
        session
            .configure(GivenToken::Access(
                AccessToken::parse(&access, "x").unwrap(),
            ))
            .unwrap();
        session.profile.user_refresh_token = Some(RefreshToken::new("0123456789abcdef", "hunter2"));
        session.file.save(&session.profile).unwrap();
        let session = Session::open(Some("local"), &env(home.path(), &[])).unwrap();
        let shown = session.status(1_800_000_000).to_string();
        assert_eq!(
            shown,
            format!(
                "profile: local ({})\ncontrol plane: http://localhost:5431/rest/v1\ncredentials: from the profile\n\
                 user: ann@acme.co (u-1)\naccess token: expires 2027-01-15T09:00:00Z (in 60m)\n\
                 refresh token: 0123456789abcdef\n",
                session.file.path().display()
            )
        );
        assert!(!shown.contains("hunter2") && !shown.contains(&access));
    }

    #[test]
    fn a_broken_access_token_in_a_profile_names_the_profile() {
        let home = tempfile::tempdir().unwrap();
        let file = ProfileFile::locate("default", &env(home.path(), &[])).unwrap();
        file.save(&Profile {
            user_access_token: Some("garbage-SECRET".into()),
            ..Profile::default()
        })
        .unwrap();
        let err = Session::open(None, &env(home.path(), &[])).unwrap_err();
        assert_eq!(err.code(), "auth_token_invalid");
        assert_eq!(
            err.to_string().split(" (give").next().unwrap(),
            format!("the access token of the profile {} is not a token: a JWT has three `.`-separated parts", file.path().display())
        );
    }
}
