//! The functions of the native layer that need no catalog: sops and age,
//! secrets, pulling and listing live specs, and the registry of codes.

use flowspec::json_api;

use crate::{parse, FfiError};

/// Encrypts a document (JSON text) with sops, from `EncryptOptions`: the
/// sops document as JSON text.
///
/// ```
/// let err = flowspec_uniffi::encrypt("{}".into(), r#"{"recipients": ["nope"]}"#.into()).unwrap_err();
/// assert!(err.code().starts_with("sops_"), "{}", err.code());
/// ```
#[uniffi::export]
pub fn encrypt(document: String, options: String) -> Result<String, FfiError> {
    let document = parse("encrypt", &document)?;
    let options = parse("encrypt", &options)?;
    Ok(json_api::encrypt(document, options)?.to_string())
}

/// Decrypts a sops document (JSON text), from `DecryptOptions`: the
/// plaintext document as JSON text.
///
/// ```
/// let err = flowspec_uniffi::decrypt(r#"{"a": 1}"#.into(), "{}".into()).unwrap_err();
/// assert_eq!(err.code(), "sops_missing_metadata");
/// ```
#[uniffi::export]
pub fn decrypt(document: String, options: String) -> Result<String, FfiError> {
    let document = parse("decrypt", &document)?;
    let options = parse("decrypt", &options)?;
    Ok(json_api::decrypt(document, options)?.to_string())
}

/// Encrypts a file with sops in place (or to `output`), from
/// `EncryptFileOptions`: the path written.
///
/// ```
/// let err = flowspec_uniffi::encrypt_file("/no/such.yaml".into(), "{}".into()).unwrap_err();
/// assert_eq!(err.code(), "sops_io");
/// ```
#[uniffi::export]
pub fn encrypt_file(path: String, options: String) -> Result<String, FfiError> {
    let options = parse(&format!("encryptFile {path}"), &options)?;
    Ok(json_api::encrypt_file(&path, options)?)
}

/// Decrypts a sops file, from `DecryptFileOptions`: the plaintext document
/// as JSON text.
///
/// ```
/// let err = flowspec_uniffi::decrypt_file("/no/such.yaml".into(), "{}".into()).unwrap_err();
/// assert_eq!(err.code(), "sops_io");
/// ```
#[uniffi::export]
pub fn decrypt_file(path: String, options: String) -> Result<String, FfiError> {
    let options = parse(&format!("decryptFile {path}"), &options)?;
    Ok(json_api::decrypt_file(&path, options)?.to_string())
}

/// Generates an age identity, written to `path` (as `age-keygen -o`), from
/// `AgeKeygenOptions`: its public recipient.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("keys.txt");
/// let recipient = flowspec_uniffi::age_keygen(Some(path.to_string_lossy().into_owned()), "{}".into()).unwrap();
/// assert!(recipient.starts_with("age1"));
/// ```
#[uniffi::export]
pub fn age_keygen(path: Option<String>, options: String) -> Result<String, FfiError> {
    let options = parse("ageKeygen", &options)?;
    Ok(json_api::age_keygen(path.as_deref(), options)?)
}

/// Pulls live specs into a catalog file, from `PullSpecsOptions`: what was
/// pulled as JSON text.
///
/// ```
/// let err = flowspec_uniffi::pull_specs(r#"{"prefixes": 5}"#.into()).unwrap_err();
/// assert_eq!(err.code(), "invalid_spec");
/// ```
#[uniffi::export]
pub fn pull_specs(options: String) -> Result<String, FfiError> {
    let options = parse("pullSpecs", &options)?;
    Ok(json_api::pull_specs(options)?.to_string())
}

/// Lists live specs, from `PullSpecsOptions`: the specs as JSON text.
///
/// ```
/// let err = flowspec_uniffi::list_specs(r#"{"nope": 1}"#.into()).unwrap_err();
/// assert_eq!(err.code(), "invalid_spec");
/// ```
#[uniffi::export]
pub fn list_specs(options: String) -> Result<String, FfiError> {
    let options = parse("listSpecs", &options)?;
    Ok(json_api::list(options)?.to_string())
}

/// A value (JSON text) marked secret, sealed under this process's key:
/// what `{"$secret": …}` holds. Only this process can open it
/// ([`open_secret`]).
///
/// ```
/// let sealed = flowspec_uniffi::seal_secret(r#""hunter2""#.into()).unwrap();
/// assert!(!sealed.contains("hunter2"));
/// assert_eq!(flowspec_uniffi::open_secret(sealed).unwrap(), r#""hunter2""#);
/// ```
#[uniffi::export]
pub fn seal_secret(value: String) -> Result<String, FfiError> {
    let value = parse("secret", &value)?;
    let marker = flowspec::secrets::Secret::new(value).to_marker();
    Ok(marker[flowspec::secrets::SECRET_MARKER]
        .as_str()
        .unwrap_or_default()
        .to_string())
}

/// The value (JSON text) of a sealed secret.
///
/// ```
/// let err = flowspec_uniffi::open_secret("flowspec-sealed:v1:AAAA".into()).unwrap_err();
/// assert_eq!(err.code(), "invalid_spec");
/// ```
#[uniffi::export]
pub fn open_secret(sealed: String) -> Result<String, FfiError> {
    flowspec::secrets::open_marker(&serde_json::Value::String(sealed))
        .map(|v| v.to_string())
        .map_err(|message| flowspec::Error::invalid_spec("secret", message).into())
}

/// One code of the registry.
///
/// ```
/// let codes = flowspec_uniffi::codes();
/// assert!(codes.iter().any(|c| c.code == "invalid_name" && c.group == "names"));
/// ```
#[derive(Debug, Clone, uniffi::Record)]
pub struct Code {
    /// The code, like `key_empty`.
    pub code: String,
    /// Its group, like `collections`.
    pub group: String,
    /// One sentence on the mistake it names.
    pub description: String,
}

/// Every stable code, in registry order.
#[uniffi::export]
pub fn codes() -> Vec<Code> {
    flowspec::codes::REGISTRY
        .iter()
        .map(|c| Code {
            code: c.code.to_string(),
            group: match serde_json::to_value(c.group) {
                Ok(serde_json::Value::String(s)) => s,
                _ => String::new(),
            },
            description: c.description.to_string(),
        })
        .collect()
}

/// How deep arrays and objects may nest in a value of a catalog
/// (`flowspec::json::MAX_DEPTH`): the languages check it while turning their
/// values into JSON, with the core's code `nesting_too_deep`.
///
/// ```
/// assert_eq!(flowspec_uniffi::max_depth(), 100);
/// ```
#[uniffi::export]
pub fn max_depth() -> u32 {
    flowspec::json::MAX_DEPTH as u32
}
