//! sops with age for the bindings: encrypt and decrypt documents and files,
//! generate identities, and open a catalog's encrypted configs, each with a
//! JSON option object.

use std::path::Path;

use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::Value;

use super::decode;
use crate::secrets::{self, EncryptionRule, Identities, SopsError};
use crate::Format;
use crate::{Catalog, Error, Result};

/// The encryption rule flags shared by [`EncryptOptions`] and
/// [`EncryptFileOptions`], resolved against the file they are for.
struct EncryptFlags<'a> {
    recipients: &'a [String],
    encrypted_suffix: &'a Option<String>,
    unencrypted_suffix: &'a Option<String>,
    encrypted_regex: &'a Option<String>,
    unencrypted_regex: &'a Option<String>,
    mac_only_encrypted: bool,
}

impl EncryptFlags<'_> {
    fn resolve(&self, file: &Path) -> Result<secrets::EncryptOptions> {
        let rules: Vec<EncryptionRule> = [
            self.encrypted_suffix
                .clone()
                .map(EncryptionRule::EncryptedSuffix),
            self.unencrypted_suffix
                .clone()
                .map(EncryptionRule::UnencryptedSuffix),
            self.encrypted_regex
                .clone()
                .map(EncryptionRule::EncryptedRegex),
            self.unencrypted_regex
                .clone()
                .map(EncryptionRule::UnencryptedRegex),
        ]
        .into_iter()
        .flatten()
        .collect();
        if rules.len() > 1 {
            return Err(SopsError::MultipleRules {
                rules: rules.iter().map(|r| r.metadata_key().to_string()).collect(),
            }
            .into());
        }
        let mut options =
            secrets::EncryptOptions::new().mac_only_encrypted(self.mac_only_encrypted);
        options.recipients = self.recipients.to_vec();
        options.rule = rules.into_iter().next();
        let cwd = current_dir()?;
        Ok(options.resolve(file, &cwd)?)
    }
}

/// Options of [`encrypt`] (a document), as sops' flags: `recipients` (age
/// public keys), at most one rule, `macOnlyEncrypted`, and the `path` whose
/// `.sops.yaml` creation rule applies.
///
/// Without recipients, `SOPS_AGE_RECIPIENTS` and then the `.sops.yaml`
/// creation rule matching `path` are used.
///
/// ```
/// let o: flowspec::json_api::EncryptOptions = serde_json::from_value(serde_json::json!({
///     "recipients": ["age1…"], "encryptedSuffix": "_sops",
/// })).unwrap();
/// assert_eq!(o.encrypted_suffix.as_deref(), Some("_sops"));
/// ```
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "encrypt options: an object {recipients, encryptedSuffix, …}"
)]
pub struct EncryptOptions {
    /// age recipients (`age1...`). Default: `SOPS_AGE_RECIPIENTS`, then the
    /// `.sops.yaml` creation rule matching `path`.
    #[serde(default)]
    pub recipients: Vec<String>,
    /// Encrypt only the values under keys with this suffix, like `_sops`.
    pub encrypted_suffix: Option<String>,
    /// Encrypt every value but those under keys with this suffix.
    pub unencrypted_suffix: Option<String>,
    /// Encrypt only the values under keys matching this regex.
    pub encrypted_regex: Option<String>,
    /// Encrypt every value but those under keys matching this regex.
    pub unencrypted_regex: Option<String>,
    /// Compute the MAC over the encrypted values only, so that plaintext
    /// values can be edited. Default `false`.
    #[serde(default)]
    pub mac_only_encrypted: bool,
    /// The file whose `.sops.yaml` creation rule applies (no file is read).
    pub path: Option<String>,
}

impl EncryptOptions {
    fn flags(&self) -> EncryptFlags<'_> {
        EncryptFlags {
            recipients: &self.recipients,
            encrypted_suffix: &self.encrypted_suffix,
            unencrypted_suffix: &self.unencrypted_suffix,
            encrypted_regex: &self.encrypted_regex,
            unencrypted_regex: &self.unencrypted_regex,
            mac_only_encrypted: self.mac_only_encrypted,
        }
    }
}

/// Options of [`encrypt_file`]: those of [`EncryptOptions`] but `path`,
/// plus the file's format (`inputType`, else from its extension) and
/// `inPlace`.
///
/// ```
/// let o: flowspec::json_api::EncryptFileOptions = serde_json::from_value(serde_json::json!({
///     "recipients": ["age1…"], "inPlace": true,
/// })).unwrap();
/// assert!(o.in_place);
/// ```
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "encrypt options: an object {recipients, encryptedSuffix, …, inputType, inPlace}"
)]
pub struct EncryptFileOptions {
    /// age recipients (`age1...`). Default: `SOPS_AGE_RECIPIENTS`, then the
    /// `.sops.yaml` creation rule matching the file.
    #[serde(default)]
    pub recipients: Vec<String>,
    /// Encrypt only the values under keys with this suffix, like `_sops`.
    pub encrypted_suffix: Option<String>,
    /// Encrypt every value but those under keys with this suffix.
    pub unencrypted_suffix: Option<String>,
    /// Encrypt only the values under keys matching this regex.
    pub encrypted_regex: Option<String>,
    /// Encrypt every value but those under keys matching this regex.
    pub unencrypted_regex: Option<String>,
    /// Compute the MAC over the encrypted values only. Default `false`.
    #[serde(default)]
    pub mac_only_encrypted: bool,
    /// The file's format. Default: from its extension.
    #[schemars(with = "Option<super::schema::FormatName>")]
    pub input_type: Option<Format>,
    /// Replace the file with the encrypted text (atomically). Default
    /// `false`.
    #[serde(default)]
    pub in_place: bool,
}

impl EncryptFileOptions {
    fn flags(&self) -> EncryptFlags<'_> {
        EncryptFlags {
            recipients: &self.recipients,
            encrypted_suffix: &self.encrypted_suffix,
            unencrypted_suffix: &self.unencrypted_suffix,
            encrypted_regex: &self.encrypted_regex,
            unencrypted_regex: &self.unencrypted_regex,
            mac_only_encrypted: self.mac_only_encrypted,
        }
    }
}

/// Secret text of an option — age secret keys (`AGE-SECRET-KEY-1…` lines),
/// a control plane's token: wiped when dropped, and shown by `Debug` as
/// redacted, so that the option objects holding it derive `Debug` safely.
///
/// ```
/// let o: flowspec::json_api::DecryptOptions = serde_json::from_value(
///     serde_json::json!({"identity": "AGE-SECRET-KEY-1SECRET"}),
/// ).unwrap();
/// assert!(!format!("{o:?}").contains("SECRET-KEY"));
/// ```
#[derive(Default, Deserialize)]
#[serde(transparent)]
pub struct SecretText(zeroize::Zeroizing<String>);

impl SecretText {
    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for SecretText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(secrets::REDACTED)
    }
}

/// The identities given as text and as a file, else those found as sops
/// finds them.
fn identities(identity: Option<&SecretText>, key_file: Option<&str>) -> Result<Identities> {
    Ok(Identities::given_or_discovered(
        identity.map(|text| text.as_str()),
        key_file.map(Path::new),
    )?)
}

/// Options of [`decrypt`] (a document): `identity` (the text of age secret
/// keys) or `keyFile`, else the identities found as sops finds them
/// (`SOPS_AGE_KEY`, `SOPS_AGE_KEY_FILE`, `SOPS_AGE_KEY_CMD`,
/// `~/.config/sops/age/keys.txt`); `stripSuffix` removes Estuary's `_sops`
/// suffix from keys.
///
/// ```
/// let o: flowspec::json_api::DecryptOptions = serde_json::from_value(serde_json::json!({"stripSuffix": true})).unwrap();
/// assert!(o.strip_suffix);
/// ```
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "decrypt options: an object {identity, keyFile, stripSuffix}"
)]
pub struct DecryptOptions {
    /// age secret keys, one `AGE-SECRET-KEY-1...` per line (`#` comments
    /// allowed).
    #[schemars(with = "Option<String>")]
    pub identity: Option<SecretText>,
    /// A file of age secret keys.
    pub key_file: Option<String>,
    /// Remove the file's `encrypted_suffix` (like `_sops`) from every key,
    /// as Estuary's runtime does. Default `false`.
    #[serde(default)]
    pub strip_suffix: bool,
}

/// Options of [`decrypt_file`]: those of [`DecryptOptions`], plus the
/// file's format (`inputType`, else from its extension).
///
/// ```
/// let o: flowspec::json_api::DecryptFileOptions = serde_json::from_value(serde_json::json!({"inputType": "yaml"})).unwrap();
/// assert_eq!(o.input_type, Some(flowspec::Format::Yaml));
/// ```
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "decrypt options: an object {identity, keyFile, stripSuffix, inputType}"
)]
pub struct DecryptFileOptions {
    /// age secret keys, one `AGE-SECRET-KEY-1...` per line (`#` comments
    /// allowed).
    #[schemars(with = "Option<String>")]
    pub identity: Option<SecretText>,
    /// A file of age secret keys.
    pub key_file: Option<String>,
    /// Remove the file's `encrypted_suffix` from every key. Default `false`.
    #[serde(default)]
    pub strip_suffix: bool,
    /// The file's format. Default: from its extension.
    #[schemars(with = "Option<super::schema::FormatName>")]
    pub input_type: Option<Format>,
}

/// Options of [`decrypt_secrets`]: the identities to use, as for
/// [`DecryptOptions`]. A catalog keeps its `_sops` keys, so that writing it
/// encrypts them again: there is no `stripSuffix`.
///
/// ```
/// let err = flowspec::json_api::decrypt_secrets(&mut flowspec::Catalog::default(), serde_json::json!({"stripSuffix": true})).unwrap_err();
/// assert!(err.to_string().starts_with("decrypt secrets: unknown option `stripSuffix`"), "{err}");
/// ```
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "decrypt secrets options: an object {identity, keyFile}"
)]
pub struct DecryptSecretsOptions {
    /// age secret keys, one `AGE-SECRET-KEY-1...` per line (`#` comments
    /// allowed).
    #[schemars(with = "Option<String>")]
    pub identity: Option<SecretText>,
    /// A file of age secret keys.
    pub key_file: Option<String>,
}

/// Options of the bindings' `age_keygen` / `ageKeygen` (see [`age_keygen`]).
///
/// ```
/// let o: flowspec::json_api::AgeKeygenOptions = serde_json::from_value(serde_json::json!({"overwrite": true})).unwrap();
/// assert!(o.overwrite);
/// ```
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "age keygen options: an object {overwrite}"
)]
pub struct AgeKeygenOptions {
    /// Replace an existing file. Default `false`.
    #[serde(default)]
    pub overwrite: bool,
}

fn current_dir() -> Result<std::path::PathBuf> {
    std::env::current_dir().map_err(|source| Error::Io {
        path: ".".into(),
        source,
    })
}

/// Encrypts a document (a JSON object) with [`EncryptOptions`].
///
/// ```
/// use flowspec::{json_api, secrets::Identity};
/// use serde_json::json;
/// let identity = Identity::generate();
/// let doc = json!({"user": "flow", "password_sops": "hunter2"});
/// let sealed = json_api::encrypt(doc.clone(), json!({"recipients": [identity.recipient()], "encryptedSuffix": "_sops"}))?;
/// assert_eq!(sealed["user"], "flow");
/// let key = identity.to_secret_string();
/// assert_eq!(json_api::decrypt(sealed, json!({"identity": *key}))?, doc);
/// # Ok::<(), flowspec::Error>(())
/// ```
pub fn encrypt(document: Value, options: Value) -> Result<Value> {
    let options: EncryptOptions = decode("encrypt", options)?;
    let encrypt_options = options
        .flags()
        .resolve(Path::new(options.path.as_deref().unwrap_or("")))?;
    Ok(secrets::encrypt(&document, &encrypt_options)?)
}

/// Decrypts a sops document with [`DecryptOptions`], verifying its MAC.
pub fn decrypt(document: Value, options: Value) -> Result<Value> {
    let options: DecryptOptions = decode("decrypt", options)?;
    Ok(secrets::decrypt(
        &document,
        &identities(options.identity.as_ref(), options.key_file.as_deref())?,
        &secrets::DecryptOptions::new().strip_encrypted_suffix(options.strip_suffix),
    )?)
}

/// Encrypts a JSON or YAML file with [`EncryptFileOptions`]; returns the
/// encrypted text, and with `inPlace` also replaces the file (atomically).
///
/// ```
/// use flowspec::{json_api, secrets::Identity};
/// use serde_json::json;
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("config.yaml");
/// std::fs::write(&path, "password: hunter2\n").unwrap();
/// let identity = Identity::generate();
/// let text = json_api::encrypt_file(path.to_str().unwrap(), json!({"recipients": [identity.recipient()]}))?;
/// assert!(text.starts_with("password: ENC[AES256_GCM,data:"));
/// # Ok::<(), flowspec::Error>(())
/// ```
pub fn encrypt_file(path: &str, options: Value) -> Result<String> {
    let options: EncryptFileOptions = decode(&format!("encrypt {path}"), options)?;
    let path = Path::new(path);
    let resolved = options.flags().resolve(path)?;
    Ok(secrets::encrypt_file(
        path,
        options.input_type,
        &resolved,
        options.in_place,
    )?)
}

/// Decrypts a sops file (JSON or YAML) with [`DecryptFileOptions`],
/// verifying its MAC; returns the document.
pub fn decrypt_file(path: &str, options: Value) -> Result<Value> {
    let options: DecryptFileOptions = decode(&format!("decrypt {path}"), options)?;
    Ok(secrets::decrypt_file(
        Path::new(path),
        options.input_type,
        &identities(options.identity.as_ref(), options.key_file.as_deref())?,
        &secrets::DecryptOptions::new().strip_encrypted_suffix(options.strip_suffix),
    )?)
}

/// Writes a new age identity to `path` (readable only by its owner), or to
/// sops' default key file when `path` is `None`; returns its recipient.
/// An existing file is an error unless `overwrite` ([`AgeKeygenOptions`]).
///
/// ```
/// use serde_json::json;
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("keys.txt");
/// let recipient = flowspec::json_api::age_keygen(Some(path.to_str().unwrap()), json!({}))?;
/// assert!(recipient.starts_with("age1"));
/// assert!(flowspec::json_api::age_keygen(Some(path.to_str().unwrap()), json!({})).is_err());
/// flowspec::json_api::age_keygen(Some(path.to_str().unwrap()), json!({"overwrite": true}))?;
/// # Ok::<(), flowspec::Error>(())
/// ```
pub fn age_keygen(path: Option<&str>, options: Value) -> Result<String> {
    let AgeKeygenOptions { overwrite } = decode("age keygen", options)?;
    let path = match path {
        Some(p) => std::path::PathBuf::from(p),
        None => secrets::default_key_file().ok_or_else(|| {
            Error::invalid_spec(
                "age keygen",
                "no user config directory (set XDG_CONFIG_HOME or HOME), so give a path",
            )
        })?,
    };
    Ok(secrets::write_identity_file(&path, overwrite)?)
}

/// Decrypts every encrypted config of a catalog in place
/// ([`crate::secrets::open`]) with the identities of
/// [`DecryptSecretsOptions`]; returns how many.
pub fn decrypt_secrets(catalog: &mut Catalog, options: Value) -> Result<usize> {
    let options: DecryptSecretsOptions = decode("decrypt secrets", options)?;
    secrets::open(
        catalog,
        &identities(options.identity.as_ref(), options.key_file.as_deref())?,
    )
}

/// Options of [`load`]: `decrypt` (decrypt the encrypted configs after
/// loading), with the `identity` (text of age secret keys) or `keyFile` to
/// use, else the identities sops would find; the `root` directory file
/// references must stay in, and `denyOutsideRoot` to refuse those that do
/// not (see [`crate::load::LoadOptions`]).
///
/// ```
/// let o: flowspec::json_api::LoadOptions = serde_json::from_value(serde_json::json!({"decrypt": true, "keyFile": "keys.txt"})).unwrap();
/// assert!(o.decrypt);
/// ```
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "load options: an object {decrypt, identity, keyFile, root, denyOutsideRoot}"
)]
pub struct LoadOptions {
    /// Decrypt the sops-encrypted configs after loading. Default `false`.
    #[serde(default)]
    pub decrypt: bool,
    /// With `decrypt`: age secret keys, one `AGE-SECRET-KEY-1...` per line
    /// (`#` comments allowed).
    #[schemars(with = "Option<String>")]
    pub identity: Option<SecretText>,
    /// With `decrypt`: a file of age secret keys.
    pub key_file: Option<String>,
    /// The directory file references must stay in. Default: the project
    /// root, as `flowctl generate` finds it (the file's directory, and up
    /// through each parent that also holds a `flow.yaml`).
    pub root: Option<String>,
    /// Refuse to read files outside of the root, rather than warn. Default
    /// `false`.
    #[serde(default)]
    pub deny_outside_root: bool,
}

/// Loads a catalog ([`Catalog::load`]) with [`LoadOptions`] and, with
/// `{"decrypt": true}`, decrypts its encrypted configs
/// ([`decrypt_secrets`]).
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("flow.yaml");
/// std::fs::write(&path, "{}\n").unwrap();
/// let path = path.to_str().unwrap();
/// assert!(flowspec::json_api::load(path, serde_json::json!({}))?.is_empty());
/// let err = flowspec::json_api::load(path, serde_json::json!({"keyFile": "keys.txt"})).unwrap_err();
/// assert!(err.to_string().contains("only with decrypt"));
/// # Ok::<(), flowspec::Error>(())
/// ```
pub fn load(path: &str, options: Value) -> Result<Catalog> {
    let what = format!("load {path}");
    let options: LoadOptions = decode(&what, options)?;
    if !options.decrypt && (options.identity.is_some() || options.key_file.is_some()) {
        return Err(Error::invalid_spec(
            what,
            "an identity or a key file is used only with decrypt",
        ));
    }
    let load_options = crate::load::LoadOptions {
        root: options.root.as_ref().map(std::path::PathBuf::from),
        deny_outside_root: options.deny_outside_root,
        ..Default::default()
    };
    let mut catalog = crate::load::load_with(path, &load_options)?;
    if options.decrypt {
        let found = identities(options.identity.as_ref(), options.key_file.as_deref())?;
        secrets::open(&mut catalog, &found)?;
    }
    Ok(catalog)
}
