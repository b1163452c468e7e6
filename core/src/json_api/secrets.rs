//! sops with age for the bindings: encrypt and decrypt documents and files,
//! generate identities, and open a catalog's encrypted configs, each with a
//! JSON option object.

use std::path::Path;

use serde::Deserialize;
use serde_json::Value;

use super::decode;
use crate::secrets::{self, DecryptOptions, EncryptOptions, EncryptionRule, Identities, SopsError};
use crate::Format;
use crate::{Catalog, Error, Result};

/// Options of [`encrypt`] and [`encrypt_file`], as sops' flags: `recipients`
/// (age public keys), at most one rule, `macOnlyEncrypted`; for files also
/// `inputType` (`json` or `yaml`, else from the extension) and `inPlace`.
///
/// Without recipients, `SOPS_AGE_RECIPIENTS` and then the `.sops.yaml`
/// creation rule matching the file (or `path`, for documents) are used.
///
/// ```
/// let o: flowspec::json_api::EncryptOptionsJson = serde_json::from_value(serde_json::json!({
///     "recipients": ["age1…"], "encryptedSuffix": "_sops",
/// })).unwrap();
/// assert_eq!(o.encrypted_suffix.as_deref(), Some("_sops"));
/// ```
#[derive(Debug, Default, Deserialize)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "encrypt options: an object {recipients, encryptedSuffix, …}"
)]
pub struct EncryptOptionsJson {
    /// age recipients.
    #[serde(default)]
    pub recipients: Vec<String>,
    /// Encrypt only values under keys with this suffix.
    pub encrypted_suffix: Option<String>,
    /// Encrypt all but values under keys with this suffix.
    pub unencrypted_suffix: Option<String>,
    /// Encrypt only values under keys matching this regex.
    pub encrypted_regex: Option<String>,
    /// Encrypt all but values under keys matching this regex.
    pub unencrypted_regex: Option<String>,
    /// MAC only the encrypted values.
    #[serde(default)]
    pub mac_only_encrypted: bool,
    /// The path whose `.sops.yaml` creation rule applies to a document.
    pub path: Option<String>,
    /// `json` or `yaml` (files only; else from the extension).
    pub input_type: Option<Format>,
    /// Replace the file (files only).
    #[serde(default)]
    pub in_place: bool,
}

/// Options of [`decrypt`], [`decrypt_file`] and [`decrypt_secrets`]:
/// `identity` (the text of age secret keys) or `keyFile`, else the
/// identities found as sops finds them; `stripSuffix` removes Estuary's
/// `_sops` suffix from keys (documents and files only); `inputType`.
///
/// ```
/// let o: flowspec::json_api::DecryptOptionsJson = serde_json::from_value(serde_json::json!({"stripSuffix": true})).unwrap();
/// assert!(o.strip_suffix);
/// ```
#[derive(Default, Deserialize)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "decrypt options: an object {identity, keyFile, stripSuffix, inputType}"
)]
pub struct DecryptOptionsJson {
    /// age secret keys, one per line (`AGE-SECRET-KEY-1…`).
    pub identity: Option<zeroize::Zeroizing<String>>,
    /// A file of age secret keys.
    pub key_file: Option<String>,
    /// Strip the `encrypted_suffix` from every key.
    #[serde(default)]
    pub strip_suffix: bool,
    /// `json` or `yaml` (files only; else from the extension).
    pub input_type: Option<Format>,
}

impl std::fmt::Debug for DecryptOptionsJson {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DecryptOptionsJson")
            .field(
                "identity",
                &self.identity.as_ref().map(|_| secrets::REDACTED),
            )
            .field("key_file", &self.key_file)
            .field("strip_suffix", &self.strip_suffix)
            .field("input_type", &self.input_type)
            .finish()
    }
}

impl EncryptOptionsJson {
    fn resolve(&self, file: &Path) -> Result<EncryptOptions> {
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
        let mut options = EncryptOptions::new().mac_only_encrypted(self.mac_only_encrypted);
        options.recipients = self.recipients.clone();
        options.rule = rules.into_iter().next();
        let cwd = current_dir()?;
        Ok(options.resolve(file, &cwd)?)
    }
}

impl DecryptOptionsJson {
    fn identities(&self) -> Result<Identities> {
        Ok(Identities::given_or_discovered(
            self.identity.as_deref().map(String::as_str),
            self.key_file.as_deref().map(Path::new),
        )?)
    }

    fn options(&self) -> DecryptOptions {
        DecryptOptions::new().strip_encrypted_suffix(self.strip_suffix)
    }
}

fn current_dir() -> Result<std::path::PathBuf> {
    std::env::current_dir().map_err(|source| Error::Io {
        path: ".".into(),
        source,
    })
}

/// Encrypts a document (a JSON object) with [`EncryptOptionsJson`].
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
    let options: EncryptOptionsJson = decode("encrypt", options)?;
    let encrypt_options = options.resolve(Path::new(options.path.as_deref().unwrap_or("")))?;
    Ok(secrets::encrypt(&document, &encrypt_options)?)
}

/// Decrypts a sops document with [`DecryptOptionsJson`], verifying its MAC.
pub fn decrypt(document: Value, options: Value) -> Result<Value> {
    let options: DecryptOptionsJson = decode("decrypt", options)?;
    Ok(secrets::decrypt(
        &document,
        &options.identities()?,
        &options.options(),
    )?)
}

/// Encrypts a JSON or YAML file; returns the encrypted text, and with
/// `inPlace` also replaces the file (atomically).
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
    let options: EncryptOptionsJson = decode(&format!("encrypt {path}"), options)?;
    let path = Path::new(path);
    let resolved = options.resolve(path)?;
    Ok(secrets::encrypt_file(
        path,
        options.input_type,
        &resolved,
        options.in_place,
    )?)
}

/// Decrypts a sops file (JSON or YAML), verifying its MAC; returns the
/// document.
pub fn decrypt_file(path: &str, options: Value) -> Result<Value> {
    let options: DecryptOptionsJson = decode(&format!("decrypt {path}"), options)?;
    Ok(secrets::decrypt_file(
        Path::new(path),
        options.input_type,
        &options.identities()?,
        &options.options(),
    )?)
}

/// Writes a new age identity to `path` (readable only by its owner), or to
/// sops' default key file when `path` is `None`; returns its recipient.
/// An existing file is an error unless `overwrite`.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("keys.txt");
/// let recipient = flowspec::json_api::age_keygen(Some(path.to_str().unwrap()), false)?;
/// assert!(recipient.starts_with("age1"));
/// assert!(flowspec::json_api::age_keygen(Some(path.to_str().unwrap()), false).is_err());
/// # Ok::<(), flowspec::Error>(())
/// ```
pub fn age_keygen(path: Option<&str>, overwrite: bool) -> Result<String> {
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
/// ([`crate::secrets::open`]) with [`DecryptOptionsJson`]'s identities;
/// returns how many.
pub fn decrypt_secrets(catalog: &mut Catalog, options: Value) -> Result<usize> {
    let options: DecryptOptionsJson = decode("decrypt secrets", options)?;
    if options.strip_suffix || options.input_type.is_some() {
        return Err(Error::invalid_spec(
            "decrypt secrets",
            "stripSuffix and inputType are for documents and files: a catalog keeps its `_sops` \
             keys so that writing it encrypts them again",
        ));
    }
    secrets::open(catalog, &options.identities()?)
}

/// Options of [`load`]: `decrypt` (decrypt the encrypted configs after
/// loading), with the `identity` (text of age secret keys) or `keyFile` to
/// use, else the identities sops would find; the `root` directory file
/// references must stay in, and `denyOutsideRoot` to refuse those that do
/// not (see [`crate::load::LoadOptions`]).
#[derive(Default, Deserialize)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "load options: an object {decrypt, identity, keyFile}"
)]
struct LoadOptions {
    #[serde(default)]
    decrypt: bool,
    identity: Option<zeroize::Zeroizing<String>>,
    key_file: Option<String>,
    root: Option<String>,
    #[serde(default)]
    deny_outside_root: bool,
}

/// Loads a catalog ([`Catalog::load`]) and, with `{"decrypt": true}`,
/// decrypts its encrypted configs ([`decrypt_secrets`]).
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
    };
    let mut catalog = crate::load::load_with(path, &load_options)?;
    if options.decrypt {
        let decrypt = DecryptOptionsJson {
            identity: options.identity,
            key_file: options.key_file,
            ..Default::default()
        };
        secrets::open(&mut catalog, &decrypt.identities()?)?;
    }
    Ok(catalog)
}
