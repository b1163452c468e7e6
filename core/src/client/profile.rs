//! Profiles as flowctl keeps them: one JSON file per profile,
//! `<user config dir>/flowctl/<profile>.json`, holding endpoint overrides
//! and the user's tokens. flowspec reads and writes the same files, so a
//! profile set up by either tool works with the other.
//!
//! ```
//! use flowspec::client::{Profile, ProfileFile};
//! let dir = tempfile::tempdir().unwrap();
//! let file = ProfileFile::at(dir.path().join("flowctl/default.json"));
//! assert_eq!(file.load().unwrap(), Profile::default()); // no file yet
//! let mut profile = Profile::default();
//! profile.pg_url = Some("http://127.0.0.1:5431/rest/v1".into());
//! file.save(&profile).unwrap();
//! assert_eq!(file.load().unwrap(), profile);
//! ```

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fmt;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{ClientError, RefreshToken};

/// The profile used when neither `--profile` nor `FLOWCTL_PROFILE` names
/// one.
pub const DEFAULT_PROFILE: &str = "default";

/// The profile whose default endpoints are on this machine (a local
/// control plane), as in flowctl.
pub const LOCAL_PROFILE: &str = "local";

/// The contents of a profile file. Every field is optional and left out
/// when unset; fields flowspec does not know are kept as they are when the
/// file is written back.
///
/// ```
/// let profile: flowspec::client::Profile = serde_json::from_str(
///     r#"{"pg_url": "http://localhost:5431/rest/v1", "user_refresh_token": {"id": "01", "secret": "s"}}"#,
/// ).unwrap();
/// assert_eq!(profile.user_refresh_token.unwrap().id, "01");
/// ```
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    /// The agent API (GraphQL), overriding the default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_url: Option<String>,
    /// The dashboard, overriding the default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dashboard_url: Option<String>,
    /// PostgREST, overriding the default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pg_url: Option<String>,
    /// PostgREST's public (anonymous) key, overriding the default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pg_public_token: Option<String>,
    /// The config-encryption service, overriding the default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_encryption_url: Option<String>,
    /// The draft selected with flowctl's `draft select`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub draft: Option<String>,
    /// The last access token (a JWT).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_access_token: Option<String>,
    /// The refresh token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_refresh_token: Option<RefreshToken>,
    /// Fields of other versions of flowctl, kept as they are.
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}

impl fmt::Debug for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Profile")
            .field("agent_url", &self.agent_url)
            .field("dashboard_url", &self.dashboard_url)
            .field("pg_url", &self.pg_url)
            .field("config_encryption_url", &self.config_encryption_url)
            .field("draft", &self.draft)
            .field(
                "user_access_token",
                &self.user_access_token.as_ref().map(|_| "<redacted>"),
            )
            .field("user_refresh_token", &self.user_refresh_token)
            .field("other", &self.other.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl Profile {
    /// Moves the legacy `api` stanza of old flowctl versions
    /// (`{endpoint, public_token, access_token, refresh_token}`) into the
    /// current fields, where they are not set already, as flowctl does.
    ///
    /// ```
    /// let mut profile: flowspec::client::Profile = serde_json::from_str(
    ///     r#"{"api": {"endpoint": "http://localhost:5431/rest/v1", "public_token": "anon", "access_token": "a.b.c"}}"#,
    /// ).unwrap();
    /// profile.migrate_legacy();
    /// assert_eq!(profile.pg_url.as_deref(), Some("http://localhost:5431/rest/v1"));
    /// assert_eq!(profile.user_access_token.as_deref(), Some("a.b.c"));
    /// assert!(profile.other.is_empty());
    /// ```
    pub fn migrate_legacy(&mut self) {
        let Some(Value::Object(api)) = self.other.remove("api") else {
            return;
        };
        let text = |key: &str| api.get(key).and_then(Value::as_str).map(str::to_string);
        self.pg_url = self.pg_url.take().or_else(|| text("endpoint"));
        self.pg_public_token = self.pg_public_token.take().or_else(|| text("public_token"));
        self.user_access_token = self
            .user_access_token
            .take()
            .or_else(|| text("access_token"));
        if self.user_refresh_token.is_none() {
            self.user_refresh_token = api
                .get("refresh_token")
                .and_then(|v| serde_json::from_value(v.clone()).ok());
        }
    }

    /// The endpoints of this profile: its overrides, else the defaults of
    /// Estuary's cloud, or of a local control plane when `local`.
    ///
    /// ```
    /// use flowspec::client::Profile;
    /// let local = Profile::default().endpoints(true);
    /// assert_eq!(local.pg_url, "http://localhost:5431/rest/v1");
    /// assert_eq!(local.config_encryption_url, "http://localhost:8765/");
    /// assert_eq!(Profile::default().endpoints(false).agent_url, "https://api.estuary.dev/");
    /// ```
    pub fn endpoints(&self, local: bool) -> Endpoints {
        let defaults = if local {
            Endpoints::local()
        } else {
            Endpoints::estuary()
        };
        let pick = |given: &Option<String>, default: String| given.clone().unwrap_or(default);
        Endpoints {
            agent_url: pick(&self.agent_url, defaults.agent_url),
            dashboard_url: pick(&self.dashboard_url, defaults.dashboard_url),
            pg_url: pick(&self.pg_url, defaults.pg_url),
            pg_public_token: pick(&self.pg_public_token, defaults.pg_public_token),
            config_encryption_url: pick(
                &self.config_encryption_url,
                defaults.config_encryption_url,
            ),
        }
    }
}

/// Where the control plane's services are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    /// The agent API: GraphQL at `api/graphql`.
    pub agent_url: String,
    /// The dashboard (for sign-in links).
    pub dashboard_url: String,
    /// PostgREST: tables and RPCs.
    pub pg_url: String,
    /// PostgREST's public key, sent as `apikey`.
    pub pg_public_token: String,
    /// The config-encryption service (`v1/encrypt-config` is joined to it
    /// as text, so it ends with `/`).
    pub config_encryption_url: String,
}

/// The public key of Estuary's PostgREST: an anonymous key, meant to be
/// shared (every flowctl holds it).
const ESTUARY_PG_PUBLIC_TOKEN: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZSIsInJlZiI6ImV5cmNubXV6enlyaXlwZGFqd2RrIiwicm9sZSI6ImFub24iLCJpYXQiOjE2NDg3NTA1NzksImV4cCI6MTk2NDMyNjU3OX0.y1OyXD3-DYMz10eGxzo1eeamVMMUwIIeOoMryTRAoco";

/// The public key of a local Supabase: the well-known anonymous key of
/// `supabase-demo` (`{"iss":"supabase-demo","role":"anon","exp":1983812996}`).
const LOCAL_PG_PUBLIC_TOKEN: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6ImFub24iLCJleHAiOjE5ODM4MTI5OTZ9.CRXP1A7WOeoJeXxjNni43kdQwgnWNReilDMblYTn_I0";

impl Endpoints {
    /// Estuary's cloud, flowctl's defaults.
    ///
    /// ```
    /// let e = flowspec::client::Endpoints::estuary();
    /// assert_eq!(e.config_encryption_url, "https://config-encryption.estuary.dev/");
    /// ```
    pub fn estuary() -> Self {
        Endpoints {
            agent_url: "https://api.estuary.dev/".into(),
            dashboard_url: "https://dashboard.estuary.dev/".into(),
            pg_url: "https://eyrcnmuzzyriypdajwdk.supabase.co/rest/v1".into(),
            pg_public_token: ESTUARY_PG_PUBLIC_TOKEN.into(),
            config_encryption_url: "https://config-encryption.estuary.dev/".into(),
        }
    }

    /// A control plane on this machine, where flowctl's `local` profile
    /// looks (and where `flowspec serve` listens by default).
    ///
    /// ```
    /// let e = flowspec::client::Endpoints::local();
    /// assert_eq!(e.agent_url, "http://localhost:8675/");
    /// ```
    pub fn local() -> Self {
        Endpoints {
            agent_url: "http://localhost:8675/".into(),
            dashboard_url: "http://localhost:3000/".into(),
            pg_url: "http://localhost:5431/rest/v1".into(),
            pg_public_token: LOCAL_PG_PUBLIC_TOKEN.into(),
            config_encryption_url: "http://localhost:8765/".into(),
        }
    }
}

/// The name of the profile to use: `given` (`--profile`), else
/// `FLOWCTL_PROFILE` of `env`, else [`DEFAULT_PROFILE`].
///
/// ```
/// use std::collections::BTreeMap;
/// use flowspec::client::profile_name;
/// let env = BTreeMap::from([("FLOWCTL_PROFILE".into(), "ci".into())]);
/// assert_eq!(profile_name(None, &env), "ci");
/// assert_eq!(profile_name(Some("local"), &env), "local");
/// assert_eq!(profile_name(None, &BTreeMap::new()), "default");
/// ```
pub fn profile_name(given: Option<&str>, env: &BTreeMap<OsString, OsString>) -> String {
    given
        .map(str::to_string)
        .or_else(|| {
            env.get(&OsString::from("FLOWCTL_PROFILE"))
                .filter(|v| !v.is_empty())
                .map(|v| v.to_string_lossy().into_owned())
        })
        .unwrap_or_else(|| DEFAULT_PROFILE.to_string())
}

/// flowctl's config directory, as the `dirs` crate finds it:
/// `$XDG_CONFIG_HOME` (if absolute) or `$HOME/.config` on Linux,
/// `$HOME/Library/Application Support` on macOS, `%APPDATA%` on Windows.
fn config_dir(env: &BTreeMap<OsString, OsString>) -> Option<PathBuf> {
    let var = |name: &str| {
        env.get(&OsString::from(name))
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    if cfg!(windows) {
        return var("APPDATA");
    }
    let home = var("HOME").filter(|h| h.is_absolute());
    if cfg!(target_os = "macos") {
        return home.map(|h| h.join("Library").join("Application Support"));
    }
    var("XDG_CONFIG_HOME")
        .filter(|d| d.is_absolute())
        .or_else(|| home.map(|h| h.join(".config")))
}

/// A profile file on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileFile {
    path: PathBuf,
}

impl ProfileFile {
    /// The file of profile `name` in flowctl's config directory of `env`.
    ///
    /// ```
    /// use std::collections::BTreeMap;
    /// use flowspec::client::ProfileFile;
    /// let env = BTreeMap::from([("HOME".into(), "/home/ann".into())]);
    /// # #[cfg(target_os = "linux")]
    /// assert_eq!(
    ///     ProfileFile::locate("default", &env).unwrap().path(),
    ///     std::path::Path::new("/home/ann/.config/flowctl/default.json")
    /// );
    /// assert_eq!(ProfileFile::locate("../x", &env).unwrap_err().code(), "profile_invalid");
    /// ```
    pub fn locate(name: &str, env: &BTreeMap<OsString, OsString>) -> Result<Self, ClientError> {
        let valid = !name.is_empty()
            && name != "."
            && name != ".."
            && !name.contains(['/', '\\', '\0'])
            && !name.starts_with('.');
        if !valid {
            return Err(ClientError::ProfileName(format!(
                "{name:?} cannot name a profile: a profile is a file name, without `/` and not \
                 starting with `.`"
            )));
        }
        let dir = config_dir(env).ok_or_else(|| {
            ClientError::ProfileName(
                "there is no user config directory for profiles: set HOME (or XDG_CONFIG_HOME)"
                    .to_string(),
            )
        })?;
        Ok(ProfileFile::at(
            dir.join("flowctl").join(format!("{name}.json")),
        ))
    }

    /// The profile file at `path`.
    ///
    /// ```
    /// let file = flowspec::client::ProfileFile::at("/tmp/p.json");
    /// assert_eq!(file.path(), std::path::Path::new("/tmp/p.json"));
    /// ```
    pub fn at(path: impl Into<PathBuf>) -> Self {
        ProfileFile { path: path.into() }
    }

    /// The file's path.
    ///
    /// ```
    /// # let file = flowspec::client::ProfileFile::at("/tmp/p.json");
    /// assert!(file.path().ends_with("p.json"));
    /// ```
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Reads the profile; a missing file is an empty profile. The legacy
    /// `api` stanza is migrated ([`Profile::migrate_legacy`]).
    ///
    /// ```
    /// let dir = tempfile::tempdir().unwrap();
    /// let path = dir.path().join("p.json");
    /// std::fs::write(&path, "{not json").unwrap();
    /// let err = flowspec::client::ProfileFile::at(&path).load().unwrap_err();
    /// assert_eq!(err.code(), "profile_invalid");
    /// ```
    pub fn load(&self) -> Result<Profile, ClientError> {
        let invalid = |message: String| ClientError::ProfileInvalid {
            path: self.path.clone(),
            message,
        };
        let text = match std::fs::read(&self.path) {
            Ok(text) => zeroize::Zeroizing::new(text),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Profile::default()),
            Err(err) => return Err(invalid(err.to_string())),
        };
        // serde_json's messages may quote a value (a token): say only what
        // kind of problem it is, and where.
        let mut profile: Profile = serde_json::from_slice(&text).map_err(|e| {
            let what = match e.classify() {
                serde_json::error::Category::Data => "a field has the wrong type",
                _ => "invalid JSON",
            };
            invalid(format!(
                "it is not a flowctl profile (JSON with optional pg_url, user_refresh_token, …): \
                 {what} at line {} column {}",
                e.line(),
                e.column()
            ))
        })?;
        profile.migrate_legacy();
        Ok(profile)
    }

    /// Writes the profile atomically (a temporary file in the same
    /// directory, then a rename), readable only by its owner (`0600`; the
    /// directory is created `0700`).
    ///
    /// ```
    /// let dir = tempfile::tempdir().unwrap();
    /// let file = flowspec::client::ProfileFile::at(dir.path().join("flowctl/ci.json"));
    /// file.save(&flowspec::client::Profile::default()).unwrap();
    /// assert_eq!(std::fs::read_to_string(file.path()).unwrap(), "{}\n");
    /// # #[cfg(unix)]
    /// # {
    /// use std::os::unix::fs::PermissionsExt;
    /// assert_eq!(std::fs::metadata(file.path()).unwrap().permissions().mode() & 0o777, 0o600);
    /// # }
    /// ```
    pub fn save(&self, profile: &Profile) -> Result<(), ClientError> {
        let failed = |source: std::io::Error| ClientError::ProfileWrite {
            path: self.path.clone(),
            source,
        };
        let dir = self
            .path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(dir).map_err(failed)?;
        let mut text = zeroize::Zeroizing::new(
            serde_json::to_string_pretty(profile).expect("a profile serializes to JSON"),
        );
        text.push('\n');
        // tempfile creates the file 0600.
        let mut temp = tempfile::Builder::new()
            .prefix(".flowspec-profile-")
            .tempfile_in(dir)
            .map_err(failed)?;
        temp.write_all(text.as_bytes()).map_err(failed)?;
        temp.as_file().sync_all().map_err(failed)?;
        temp.persist(&self.path).map_err(|e| failed(e.error))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> BTreeMap<OsString, OsString> {
        pairs.iter().map(|(k, v)| (k.into(), v.into())).collect()
    }

    #[test]
    fn a_flowctl_profile_reads_and_writes_back_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("default.json");
        let text = r#"{
  "agent_url": "http://localhost:8675/",
  "pg_url": "http://localhost:5431/rest/v1",
  "draft": "1a2b3c4d5e6f7081",
  "user_access_token": "a.b.c",
  "user_refresh_token": {
    "id": "01:23:45:67:89:ab:cd:ef",
    "secret": "c0ffee"
  },
  "zz_future_field": [1, 2]
}"#;
        std::fs::write(&path, text).unwrap();
        let file = ProfileFile::at(&path);
        let profile = file.load().unwrap();
        assert_eq!(profile.draft.as_deref(), Some("1a2b3c4d5e6f7081"));
        assert_eq!(
            profile.user_refresh_token,
            Some(RefreshToken::new("01:23:45:67:89:ab:cd:ef", "c0ffee"))
        );
        assert_eq!(
            profile.other,
            BTreeMap::from([("zz_future_field".to_string(), serde_json::json!([1, 2]))])
        );
        file.save(&profile).unwrap();
        let written: Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(written, serde_json::from_str::<Value>(text).unwrap());
        // No temporary file is left beside it.
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![OsString::from("default.json")]);
    }

    #[test]
    fn endpoints_are_overridden_field_by_field() {
        let profile = Profile {
            pg_url: Some("http://127.0.0.1:9999/rest/v1".into()),
            ..Profile::default()
        };
        let local = profile.endpoints(true);
        assert_eq!(local.pg_url, "http://127.0.0.1:9999/rest/v1");
        assert_eq!(local.agent_url, "http://localhost:8675/");
        assert_eq!(local.pg_public_token, LOCAL_PG_PUBLIC_TOKEN);
        let cloud = Profile::default().endpoints(false);
        assert_eq!(cloud, Endpoints::estuary());
        assert_eq!(
            cloud.pg_url,
            "https://eyrcnmuzzyriypdajwdk.supabase.co/rest/v1"
        );
    }

    #[test]
    fn the_public_keys_are_the_anonymous_roles_they_claim_to_be() {
        use base64::Engine as _;
        let claims = |jwt: &str| -> Value {
            let payload = jwt.split('.').nth(1).unwrap();
            serde_json::from_slice(
                &base64::engine::general_purpose::URL_SAFE_NO_PAD
                    .decode(payload)
                    .unwrap(),
            )
            .unwrap()
        };
        assert_eq!(
            claims(LOCAL_PG_PUBLIC_TOKEN),
            serde_json::json!({"iss": "supabase-demo", "role": "anon", "exp": 1983812996})
        );
        let estuary = claims(ESTUARY_PG_PUBLIC_TOKEN);
        assert_eq!(
            (estuary["role"].as_str(), estuary["ref"].as_str()),
            (Some("anon"), Some("eyrcnmuzzyriypdajwdk"))
        );
    }

    #[test]
    fn profiles_are_found_where_flowctl_finds_them() {
        let home = env(&[("HOME", "/home/ann")]);
        let path = ProfileFile::locate("local", &home)
            .unwrap()
            .path()
            .to_path_buf();
        if cfg!(target_os = "linux") {
            assert_eq!(path, Path::new("/home/ann/.config/flowctl/local.json"));
            let xdg = env(&[("HOME", "/home/ann"), ("XDG_CONFIG_HOME", "/cfg")]);
            assert_eq!(
                ProfileFile::locate("ci", &xdg).unwrap().path(),
                Path::new("/cfg/flowctl/ci.json")
            );
            // A relative XDG_CONFIG_HOME is ignored, as `dirs` ignores it.
            let relative = env(&[("HOME", "/home/ann"), ("XDG_CONFIG_HOME", "cfg")]);
            assert_eq!(
                ProfileFile::locate("ci", &relative).unwrap().path(),
                Path::new("/home/ann/.config/flowctl/ci.json")
            );
        }
        for bad in ["", ".", "..", "../etc", "a/b", ".hidden"] {
            let err = ProfileFile::locate(bad, &home).unwrap_err();
            assert_eq!(err.code(), "profile_invalid", "{bad:?}");
        }
        let err = ProfileFile::locate("default", &env(&[])).unwrap_err();
        assert_eq!(
            err.to_string(),
            "there is no user config directory for profiles: set HOME (or XDG_CONFIG_HOME)"
        );
    }

    #[test]
    fn a_broken_profile_names_the_file_and_not_its_tokens() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("default.json");
        std::fs::write(&path, r#"{"user_refresh_token": "hunter2"}"#).unwrap();
        let err = ProfileFile::at(&path).load().unwrap_err();
        let message = err.to_string();
        assert_eq!(
            message,
            format!(
                "cannot read the profile {}: it is not a flowctl profile (JSON with optional pg_url, \
                 user_refresh_token, …): a field has the wrong type at line 1 column 32",
                path.display()
            )
        );
        assert!(!message.contains("hunter2"), "{message}");
        let shown = format!(
            "{:?}",
            Profile {
                user_access_token: Some("a.SECRET.c".into()),
                ..Profile::default()
            }
        );
        assert!(!shown.contains("SECRET"), "{shown}");
    }

    #[cfg(unix)]
    #[test]
    fn a_profile_that_cannot_be_written_is_an_error_naming_it() {
        let err = ProfileFile::at("/proc/flowspec/default.json")
            .save(&Profile::default())
            .unwrap_err();
        assert_eq!(err.code(), "profile_write");
        assert!(
            err.to_string()
                .starts_with("cannot write the profile /proc/flowspec/default.json: "),
            "{err}"
        );
    }
}
