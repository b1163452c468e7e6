//! Identities (age secret keys) and how sops finds them.

use std::collections::HashMap;
use std::ffi::{OsStr, OsString};
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::str::FromStr;

use age::armor::ArmoredReader;
use age::secrecy::ExposeSecret;
use age::x25519;
use zeroize::Zeroizing;

use super::cipher::DataKey;
use super::metadata::AgeEntry;
use super::SopsError;

/// Key text (`SOPS_AGE_KEY`).
///
/// ```
/// assert_eq!(flowspec::secrets::KEY_ENV, "SOPS_AGE_KEY");
/// ```
pub const KEY_ENV: &str = "SOPS_AGE_KEY";
/// A key file path (`SOPS_AGE_KEY_FILE`).
///
/// ```
/// assert_eq!(flowspec::secrets::KEY_FILE_ENV, "SOPS_AGE_KEY_FILE");
/// ```
pub const KEY_FILE_ENV: &str = "SOPS_AGE_KEY_FILE";
/// A command that prints key text (`SOPS_AGE_KEY_CMD`).
///
/// ```
/// assert_eq!(flowspec::secrets::KEY_CMD_ENV, "SOPS_AGE_KEY_CMD");
/// ```
pub const KEY_CMD_ENV: &str = "SOPS_AGE_KEY_CMD";
/// Set for `SOPS_AGE_KEY_CMD` to the recipient being opened.
///
/// ```
/// assert_eq!(flowspec::secrets::RECIPIENT_ENV, "SOPS_AGE_RECIPIENT");
/// ```
pub const RECIPIENT_ENV: &str = "SOPS_AGE_RECIPIENT";

/// # An age X25519 identity
///
/// The secret half of an `age1…` recipient. `Debug` shows only the public recipient,
/// as `Identity(age1…)`.
///
/// ```
/// use flowspec::secrets::Identity;
///
/// let identity = Identity::generate();
/// assert!(identity.recipient().starts_with("age1"));
/// let again: Identity = identity.to_secret_string().parse().unwrap();
/// assert_eq!(again.recipient(), identity.recipient());
/// assert_eq!(format!("{identity:?}"), format!("Identity({})", identity.recipient()));
/// ```
#[derive(Clone)]
pub struct Identity {
    secret: x25519::Identity,
    recipient: String,
}

impl Identity {
    /// A new random identity.
    ///
    /// ```
    /// use flowspec::secrets::Identity;
    /// assert_ne!(Identity::generate().recipient(), Identity::generate().recipient());
    /// ```
    pub fn generate() -> Self {
        Self::from_secret(x25519::Identity::generate())
    }

    fn from_secret(secret: x25519::Identity) -> Self {
        let recipient = secret.to_public().to_string();
        Identity { secret, recipient }
    }

    /// The public `age1…` recipient of this identity.
    ///
    /// ```
    /// use flowspec::secrets::Identity;
    /// assert_eq!(Identity::generate().recipient().len(), 62);
    /// ```
    pub fn recipient(&self) -> &str {
        &self.recipient
    }

    /// The secret key, `AGE-SECRET-KEY-1…`. Zeroized when dropped; handle with care.
    ///
    /// ```
    /// use flowspec::secrets::Identity;
    /// assert!(Identity::generate().to_secret_string().starts_with("AGE-SECRET-KEY-1"));
    /// ```
    pub fn to_secret_string(&self) -> Zeroizing<String> {
        Zeroizing::new(self.secret.to_string().expose_secret().to_string())
    }

    fn as_age(&self) -> &dyn age::Identity {
        &self.secret
    }
}

impl FromStr for Identity {
    type Err = SopsError;

    /// Parses one `AGE-SECRET-KEY-1…` key. The error never echoes the input.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_token(s.trim())
            .and_then(|parsed| match parsed {
                Token::Identity(identity) => Ok(identity),
                Token::Unsupported(reason) => Err(reason),
            })
            .map_err(|reason| SopsError::InvalidIdentity {
                origin: "the given key".to_string(),
                line: 1,
                reason,
            })
    }
}

impl fmt::Debug for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Identity({})", self.recipient)
    }
}

/// A token of key text.
enum Token {
    Identity(Identity),
    /// A real identity of a kind flowspec cannot use (post-quantum, plugin).
    Unsupported(String),
}

fn parse_token(token: &str) -> Result<Token, String> {
    if token.starts_with("AGE-SECRET-KEY-PQ-1") {
        return Ok(Token::Unsupported(
            "post-quantum identities are not supported".into(),
        ));
    }
    if token.starts_with("AGE-PLUGIN-") {
        return Ok(Token::Unsupported(
            "age plugin identities are not supported".into(),
        ));
    }
    if token.starts_with("AGE-SECRET-KEY-1") {
        return x25519::Identity::from_str(token)
            .map(|secret| Token::Identity(Identity::from_secret(secret)))
            .map_err(|reason| format!("not a valid X25519 secret key ({reason})"));
    }
    Err("expected an AGE-SECRET-KEY-1… secret key".to_string())
}

/// A command that prints key text, run once per recipient being opened. (The command
/// line is not secret; its output is.)
#[derive(Clone, Debug)]
struct KeyCommand {
    line: String,
    argv: Vec<String>,
}

impl KeyCommand {
    fn parse(line: &str) -> Result<Self, SopsError> {
        let fail = |reason: &str| SopsError::KeyCommand {
            command: line.to_string(),
            reason: reason.to_string(),
        };
        let argv = shlex::split(line).ok_or_else(|| fail("it cannot be split into words"))?;
        if argv.is_empty() {
            return Err(fail("it is empty"));
        }
        Ok(KeyCommand {
            line: line.to_string(),
            argv,
        })
    }

    /// Runs the command without a shell, `SOPS_AGE_RECIPIENT` set, and reads its standard
    /// output as key text. Standard error goes to ours.
    fn run(&self, recipient: &str) -> Result<Identities, SopsError> {
        let fail = |reason: String| SopsError::KeyCommand {
            command: self.line.clone(),
            reason,
        };
        let output = Command::new(&self.argv[0])
            .args(&self.argv[1..])
            .env(RECIPIENT_ENV, recipient)
            .stdin(Stdio::null())
            .stderr(Stdio::inherit())
            .output()
            .map_err(|err| fail(format!("cannot run it: {err}")))?;
        let stdout = Zeroizing::new(output.stdout);
        if !output.status.success() {
            return Err(fail(format!("it exited with {}", output.status)));
        }
        let text = std::str::from_utf8(&stdout)
            .map_err(|_| fail("its output is not UTF-8".to_string()))?;
        Identities::parse_from(text, &format!("the output of {KEY_CMD_ENV}"))
    }
}

/// # The identities to decrypt with
///
/// Build them from key text ([`Identities::parse`]), a key file
/// ([`Identities::from_file`]), or the environment the way sops does
/// ([`Identities::discover`]). Decryption tries every identity against every
/// `sops.age[]` entry. `Debug` shows only public recipients.
///
/// ```
/// use flowspec::secrets::{Identities, Identity};
///
/// let identity = Identity::generate();
/// let text = format!("# my key\n\n{}\n", identity.to_secret_string().as_str());
/// let identities = Identities::parse(&text).unwrap();
/// assert_eq!(identities.recipients(), vec![identity.recipient().to_string()]);
/// ```
#[derive(Clone, Default)]
pub struct Identities {
    identities: Vec<Identity>,
    key_command: Option<KeyCommand>,
    unsupported: usize,
    default_file: Option<PathBuf>,
}

impl Identities {
    /// No identities.
    ///
    /// ```
    /// use flowspec::secrets::Identities;
    /// assert!(Identities::new().is_empty());
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Parses key text as sops reads `SOPS_AGE_KEY`: lines starting with `#` and blank
    /// lines are skipped, and a line may hold several keys separated by whitespace.
    /// Post-quantum and plugin identities are skipped (flowspec cannot use them); anything
    /// else that is not a key is an error naming the line, never its content.
    ///
    /// ```
    /// use flowspec::secrets::{Identities, Identity};
    ///
    /// let (a, b) = (Identity::generate(), Identity::generate());
    /// let text = format!("{} {}", a.to_secret_string().as_str(), b.to_secret_string().as_str());
    /// assert_eq!(Identities::parse(&text).unwrap().len(), 2);
    /// let err = Identities::parse("# ok\nnot-a-key").unwrap_err();
    /// assert_eq!(err.to_string(),
    ///     "invalid age identity in key text, line 2: expected an AGE-SECRET-KEY-1… secret key");
    /// ```
    pub fn parse(text: &str) -> Result<Self, SopsError> {
        Self::parse_from(text, "key text")
    }

    fn parse_from(text: &str, origin: &str) -> Result<Self, SopsError> {
        let mut out = Identities::new();
        let trimmed = text.trim_start();
        if trimmed.starts_with("age-encryption.org/") || trimmed.starts_with("-----BEGIN AGE") {
            return Err(SopsError::InvalidIdentity {
                origin: origin.to_string(),
                line: 1,
                reason: "passphrase-protected identity files are not supported".to_string(),
            });
        }
        for (index, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            for token in line.split_whitespace() {
                match parse_token(token) {
                    Ok(Token::Identity(identity)) => out.push(identity),
                    Ok(Token::Unsupported(_)) => out.unsupported += 1,
                    Err(reason) => {
                        return Err(SopsError::InvalidIdentity {
                            origin: origin.to_string(),
                            line: index + 1,
                            reason,
                        })
                    }
                }
            }
        }
        Ok(out)
    }

    /// Reads a key file (as written by `age-keygen` or [`write_identity_file`]).
    ///
    /// [`write_identity_file`]: super::write_identity_file
    ///
    /// ```no_run
    /// use flowspec::secrets::Identities;
    /// let identities = Identities::from_file("keys.txt".as_ref()).unwrap();
    /// println!("{identities:?}"); // shows recipients only
    /// ```
    pub fn from_file(path: &Path) -> Result<Self, SopsError> {
        let text = Zeroizing::new(
            std::fs::read_to_string(path).map_err(|err| SopsError::io("read", path, err))?,
        );
        Self::parse_from(&text, &format!("`{}`", path.display()))
    }

    /// Finds identities the way sops does, from every source at once:
    /// `SOPS_AGE_KEY` (key text), `SOPS_AGE_KEY_FILE` (a path), `SOPS_AGE_KEY_CMD` (a
    /// command split like a shell would and run without one, later, once per recipient,
    /// with `SOPS_AGE_RECIPIENT` set), and the default file
    /// `<config dir>/sops/age/keys.txt` if it exists (`$XDG_CONFIG_HOME`, else
    /// `~/.config`; on macOS `~/Library/Application Support` unless `XDG_CONFIG_HOME` is
    /// set). Finding nothing is not an error here; decrypting with nothing is.
    /// [`Identities::discover_in`] reads the same variables from a given environment.
    ///
    /// ```no_run
    /// use flowspec::secrets::{decrypt_file, DecryptOptions, Identities};
    /// let identities = Identities::discover().unwrap();
    /// let config = decrypt_file("config.sops.json".as_ref(), None, &identities,
    ///     &DecryptOptions::default()).unwrap();
    /// ```
    pub fn discover() -> Result<Self, SopsError> {
        Self::discover_in(std::env::vars_os())
    }

    /// [`Identities::discover`] with the environment given as its variables
    /// (`std::env::vars_os()` is this process's), so that a caller that
    /// resolves the environment once, or a test, need not change the
    /// process's. A key command still runs in this process's environment,
    /// with `SOPS_AGE_RECIPIENT` added.
    ///
    /// ```
    /// use flowspec::secrets::{Identities, Identity, KEY_ENV};
    ///
    /// let identity = Identity::generate();
    /// let config_home = std::env::temp_dir().join("no-sops-config-here");
    /// let env = [
    ///     (KEY_ENV, identity.to_secret_string().to_string()),
    ///     ("XDG_CONFIG_HOME", config_home.display().to_string()),
    /// ];
    /// let found = Identities::discover_in(env).unwrap();
    /// assert_eq!(found.recipients(), [identity.recipient()]);
    /// ```
    pub fn discover_in<K, V>(vars: impl IntoIterator<Item = (K, V)>) -> Result<Self, SopsError>
    where
        K: Into<OsString>,
        V: Into<OsString>,
    {
        let env: Env = vars
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        let mut out = Identities::new();
        if let Some(text) = env_text(&env, KEY_ENV)? {
            let text = Zeroizing::new(text);
            out.extend(Self::parse_from(&text, KEY_ENV)?);
        }
        if let Some(path) = env.get(OsStr::new(KEY_FILE_ENV)) {
            let path = PathBuf::from(path);
            let text =
                Zeroizing::new(std::fs::read_to_string(&path).map_err(|err| {
                    SopsError::io("read the SOPS_AGE_KEY_FILE", path.clone(), err)
                })?);
            out.extend(Self::parse_from(&text, &format!("`{}`", path.display()))?);
        }
        if let Some(line) = env_text(&env, KEY_CMD_ENV)? {
            out.key_command = Some(KeyCommand::parse(&line)?);
        }
        if let Some(path) = default_key_file_in(&env) {
            if path.is_file() {
                out.extend(Self::from_file(&path)?);
            }
            out.default_file = Some(path);
        }
        Ok(out)
    }

    /// The identities given, `text` (age secret keys, one per line) and the
    /// key file `key_file`; if neither is given, those sops finds
    /// ([`Identities::discover`]). The Python and Node bindings (`identity`,
    /// `keyFile`) and the CLI (`--key-file`) choose identities this way.
    ///
    /// ```
    /// use flowspec::secrets::{Identities, Identity};
    /// let key = Identity::generate();
    /// let given = Identities::given_or_discovered(Some(key.to_secret_string().as_str()), None).unwrap();
    /// assert_eq!(given.len(), 1);
    /// ```
    pub fn given_or_discovered(
        text: Option<&str>,
        key_file: Option<&Path>,
    ) -> Result<Self, SopsError> {
        let mut found = Identities::new();
        if let Some(text) = text {
            found.extend(Identities::parse(text)?);
        }
        if let Some(file) = key_file {
            found.extend(Identities::from_file(file)?);
        }
        if text.is_none() && key_file.is_none() {
            found = Identities::discover()?;
        }
        Ok(found)
    }

    /// Adds one identity.
    ///
    /// ```
    /// use flowspec::secrets::{Identities, Identity};
    /// let mut identities = Identities::new();
    /// identities.push(Identity::generate());
    /// assert_eq!(identities.len(), 1);
    /// ```
    pub fn push(&mut self, identity: Identity) {
        if !self
            .identities
            .iter()
            .any(|i| i.recipient == identity.recipient)
        {
            self.identities.push(identity);
        }
    }

    /// Adds all identities (and a key command, if this set has none) of `other`.
    ///
    /// ```
    /// use flowspec::secrets::{Identities, Identity};
    /// let mut all = Identities::from(Identity::generate());
    /// all.extend(Identities::from(Identity::generate()));
    /// assert_eq!(all.len(), 2);
    /// ```
    pub fn extend(&mut self, other: Identities) {
        for identity in other.identities {
            self.push(identity);
        }
        self.unsupported += other.unsupported;
        if self.key_command.is_none() {
            self.key_command = other.key_command;
        }
        if self.default_file.is_none() {
            self.default_file = other.default_file;
        }
    }

    /// How many usable identities there are (not counting a key command's).
    ///
    /// ```
    /// use flowspec::secrets::Identities;
    /// assert_eq!(Identities::new().len(), 0);
    /// ```
    pub fn len(&self) -> usize {
        self.identities.len()
    }

    /// Whether there is no identity and no key command.
    ///
    /// ```
    /// use flowspec::secrets::{Identities, Identity};
    /// assert!(!Identities::from(Identity::generate()).is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.identities.is_empty() && self.key_command.is_none()
    }

    /// The public recipients of the identities held.
    ///
    /// ```
    /// use flowspec::secrets::{Identities, Identity};
    /// let identity = Identity::generate();
    /// let recipient = identity.recipient().to_string();
    /// assert_eq!(Identities::from(identity).recipients(), vec![recipient]);
    /// ```
    pub fn recipients(&self) -> Vec<String> {
        self.identities
            .iter()
            .map(|i| i.recipient.clone())
            .collect()
    }

    /// Opens the data key from the first entry any identity matches.
    pub(crate) fn unwrap_data_key(
        &self,
        entries: &[AgeEntry],
        other_key_types: &[String],
    ) -> Result<DataKey, SopsError> {
        if self.is_empty() {
            return Err(SopsError::NoIdentity {
                default_file: self
                    .default_file
                    .clone()
                    .or_else(default_key_file)
                    .map(|p| p.display().to_string())
                    .unwrap_or_else(|| "~/.config/sops/age/keys.txt".to_string()),
            });
        }
        if entries.is_empty() {
            return Err(SopsError::NoAgeKeys {
                other_key_types: other_key_types.to_vec(),
            });
        }
        let mut tried = self.identities.len();
        for entry in entries {
            if let Some(key) = open_entry(entry, &self.identities)? {
                return Ok(key);
            }
        }
        let mut command_error = None;
        if let Some(command) = &self.key_command {
            for entry in entries {
                match command.run(&entry.recipient) {
                    Ok(found) => {
                        tried += found.identities.len();
                        if let Some(key) = open_entry(entry, &found.identities)? {
                            return Ok(key);
                        }
                    }
                    Err(err) => command_error = Some(err),
                }
            }
        }
        if let Some(err) = command_error {
            return Err(err);
        }
        Err(SopsError::NoMatchingIdentity {
            recipients: entries.iter().map(|e| e.recipient.clone()).collect(),
            available: tried,
            other_key_types: other_key_types.to_vec(),
        })
    }
}

impl From<Identity> for Identities {
    fn from(identity: Identity) -> Self {
        let mut out = Identities::new();
        out.push(identity);
        out
    }
}

impl fmt::Debug for Identities {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Identities")
            .field("identities", &self.identities)
            .field("key_command", &self.key_command.as_ref().map(|c| &c.line))
            .field("unsupported", &self.unsupported)
            .finish()
    }
}

/// Tries all identities on one entry. `Ok(None)`: none matches (or the entry is not an
/// age file). An entry that opens but does not hold 32 bytes is an error.
fn open_entry(entry: &AgeEntry, identities: &[Identity]) -> Result<Option<DataKey>, SopsError> {
    if identities.is_empty() {
        return Ok(None);
    }
    let Ok(decryptor) = age::Decryptor::new(ArmoredReader::new(entry.enc.as_bytes())) else {
        return Ok(None);
    };
    let Ok(mut reader) = decryptor.decrypt(identities.iter().map(Identity::as_age)) else {
        return Ok(None);
    };
    let invalid = || SopsError::InvalidDataKey {
        recipient: entry.recipient.clone(),
    };
    let mut payload = Zeroizing::new(Vec::with_capacity(32));
    reader.read_to_end(&mut payload).map_err(|_| invalid())?;
    DataKey::from_slice(&payload).map(Some).ok_or_else(invalid)
}

/// Environment variables, by name.
type Env = HashMap<OsString, OsString>;

/// An environment variable's text, `None` when unset; an error when not Unicode.
fn env_text(env: &Env, name: &str) -> Result<Option<String>, SopsError> {
    match env.get(OsStr::new(name)).map(|value| value.to_str()) {
        None => Ok(None),
        Some(Some(value)) => Ok(Some(value.to_string())),
        Some(None) => Err(SopsError::InvalidIdentity {
            origin: name.to_string(),
            line: 1,
            reason: "the variable is not valid Unicode".to_string(),
        }),
    }
}

/// `<user config dir>/sops/age/keys.txt`, as sops computes it.
pub fn default_key_file() -> Option<PathBuf> {
    default_key_file_in(&std::env::vars_os().collect())
}

fn default_key_file_in(env: &Env) -> Option<PathBuf> {
    user_config_dir(env).map(|dir| dir.join("sops").join("age").join("keys.txt"))
}

fn user_config_dir(env: &Env) -> Option<PathBuf> {
    let non_empty = |name: &str| {
        env.get(OsStr::new(name))
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    let xdg = non_empty("XDG_CONFIG_HOME");
    if cfg!(windows) {
        return non_empty("APPDATA");
    }
    let home = non_empty("HOME");
    if cfg!(target_os = "macos") {
        return xdg.or_else(|| home.map(|h| h.join("Library").join("Application Support")));
    }
    match xdg {
        // Go's os.UserConfigDir refuses a relative XDG_CONFIG_HOME.
        Some(dir) if dir.is_absolute() => Some(dir),
        Some(_) => None,
        None => home.map(|h| h.join(".config")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_key_file_syntax() {
        let (a, b, c) = (
            Identity::generate(),
            Identity::generate(),
            Identity::generate(),
        );
        let text = format!(
            "# created: 2024-03-24T21:11:43-04:00\n# public key: {}\n{}\n\n   \n  {}\t{}  \n",
            a.recipient(),
            a.to_secret_string().as_str(),
            b.to_secret_string().as_str(),
            c.to_secret_string().as_str(),
        );
        let ids = Identities::parse(&text).unwrap();
        assert_eq!(
            ids.recipients(),
            vec![a.recipient(), b.recipient(), c.recipient()]
        );
    }

    #[test]
    fn skips_unsupported_identity_kinds() {
        let a = Identity::generate();
        let text = format!(
            "AGE-PLUGIN-YUBIKEY-1QQQ\nAGE-SECRET-KEY-PQ-1QQQ\n{}",
            a.to_secret_string().as_str()
        );
        let ids = Identities::parse(&text).unwrap();
        assert_eq!(ids.len(), 1);
        assert_eq!(ids.unsupported, 2);
    }

    #[test]
    fn bad_key_text_names_the_line_not_the_key() {
        let secret = "AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ";
        let cases = [
            (
                format!("# c\n\n{secret}"),
                3,
                "not a valid X25519 secret key",
            ),
            ("hello world".to_string(), 1, "expected an AGE-SECRET-KEY-1"),
            (
                "age-encryption.org/v1\n-> scrypt".to_string(),
                1,
                "passphrase-protected",
            ),
        ];
        for (text, line, reason) in cases {
            let err = Identities::parse(&text).unwrap_err();
            match &err {
                SopsError::InvalidIdentity {
                    line: l, reason: r, ..
                } => {
                    assert_eq!(*l, line, "{text}");
                    assert!(r.contains(reason), "{r}");
                }
                other => panic!("unexpected {other:?}"),
            }
            assert!(!err.to_string().contains(secret));
            assert!(!format!("{err:?}").contains(secret));
        }
        let err = secret.parse::<Identity>().unwrap_err();
        assert!(!err.to_string().contains(secret));
    }

    #[test]
    fn debug_shows_only_recipients() {
        let identity = Identity::generate();
        let secret = identity.to_secret_string();
        let mut ids = Identities::from(identity.clone());
        ids.key_command = Some(KeyCommand::parse("op read 'op://vault/age key'").unwrap());
        let shown = format!("{identity:?} {ids:?} {ids:#?}");
        assert!(shown.contains(&format!("Identity({})", identity.recipient())));
        assert!(shown.contains("op read 'op://vault/age key'"));
        assert!(!shown.contains(secret.as_str()));
        assert!(!shown.contains("AGE-SECRET-KEY"));
    }

    #[test]
    fn key_command_parsing() {
        let cmd = KeyCommand::parse("cat '/tmp/my keys.txt'").unwrap();
        assert_eq!(cmd.argv, ["cat", "/tmp/my keys.txt"]);
        assert_eq!(
            KeyCommand::parse("  ").unwrap_err().code(),
            "sops_key_command"
        );
        assert!(KeyCommand::parse("cat 'unterminated")
            .unwrap_err()
            .to_string()
            .contains("cannot be split"));
    }
}
