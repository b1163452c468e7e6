//! The secret marker of the DSL, and what a config holds: secrets in
//! plaintext, sops-encrypted secrets, or none.
//!
//! A secret is marked in one of two ways, both of which end as Estuary's
//! convention — a property whose name ends in `_sops`, encrypted with
//! `encrypted_suffix: _sops`, whose suffix Estuary's runtime strips before
//! the connector sees it:
//! - by naming the property with the suffix: `password_sops: hunter2`;
//! - with [`Secret`] (`flowspec.secret(...)` in Python and TypeScript), which
//!   is `{"$secret": …}` as JSON: `password: secret("hunter2")` becomes
//!   `password_sops: hunter2` when the catalog is written, as Estuary's own
//!   config-encryption service renames the properties it encrypts.
//!
//! **A secret as data.** A [`Secret`] turned into JSON — by `serde_json::json!`,
//! a binding, a copy of a spec through `JSON.stringify` or `structuredClone`
//! in Node — is the marker `{"$secret": "flowspec-sealed:v1:…"}`: its value
//! sealed with AES-256-GCM under a key that lives only in this process. So a
//! secret survives every copy made within the process, while no printout of
//! the JSON (`Debug`, logs) shows it; and a copy that outlives the process
//! cannot be opened, which is an error naming its place, never a silent
//! substitute. A marker written by hand, `{"$secret": "hunter2"}`, holds its
//! value in plaintext and is taken as it is.

use std::sync::OnceLock;

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::Aes256Gcm;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use rand::rngs::OsRng;
use rand::RngCore;
use serde_json::{Map, Value};

use super::file::is_encrypted;
use crate::redact::ESTUARY_SUFFIX;
pub use crate::redact::{marked_secret, redacted, REDACTED, SECRET_MARKER};

/// The start of a sealed secret's text (see the module docs).
const SEALED: &str = "flowspec-sealed:v1:";

/// This process's key for sealed secrets: random, and never stored.
fn process_key() -> &'static Aes256Gcm {
    static KEY: OnceLock<Aes256Gcm> = OnceLock::new();
    KEY.get_or_init(|| {
        let mut key = zeroize::Zeroizing::new([0u8; 32]);
        OsRng.fill_bytes(key.as_mut());
        Aes256Gcm::new((&*key).into())
    })
}

/// `value` sealed under this process's key: `flowspec-sealed:v1:` and the
/// nonce and ciphertext in base64.
fn seal_value(value: &Value) -> String {
    let mut nonce = [0u8; 12];
    OsRng.fill_bytes(&mut nonce);
    let plain = zeroize::Zeroizing::new(value.to_string());
    let sealed = process_key()
        .encrypt((&nonce).into(), plain.as_bytes())
        .expect("AES-GCM seals any length of text");
    let mut bytes = nonce.to_vec();
    bytes.extend(sealed);
    format!("{SEALED}{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// The value of a marker (`inner`, what `$secret` holds): a sealed secret
/// opened, or a value written by hand as it is.
///
/// ```
/// use flowspec::secrets::{open_marker, secret, SECRET_MARKER};
/// let marker = secret("sk_live_123").to_marker();
/// assert_ne!(marker[SECRET_MARKER], "sk_live_123"); // sealed
/// assert_eq!(open_marker(&marker[SECRET_MARKER]).unwrap(), "sk_live_123");
/// assert_eq!(open_marker(&serde_json::json!("hunter2")).unwrap(), "hunter2");
/// assert!(open_marker(&serde_json::json!("flowspec-sealed:v1:AAAA")).is_err());
/// ```
pub fn open_marker(inner: &Value) -> Result<Value, String> {
    let Some(token) = inner.as_str().and_then(|s| s.strip_prefix(SEALED)) else {
        return Ok(inner.clone());
    };
    let elsewhere = || {
        "this secret was sealed by another process (its JSON was copied out of the process \
         that made it), so it cannot be opened here: mark the value again with secret(...)"
            .to_string()
    };
    let bytes = URL_SAFE_NO_PAD.decode(token).map_err(|_| elsewhere())?;
    if bytes.len() < 12 {
        return Err(elsewhere());
    }
    let (nonce, sealed) = bytes.split_at(12);
    let plain = process_key()
        .decrypt(nonce.into(), sealed)
        .map_err(|_| elsewhere())?;
    let plain = zeroize::Zeroizing::new(plain);
    serde_json::from_slice(&plain).map_err(|_| elsewhere())
}

/// # Secret
/// A value to be encrypted when the catalog is written. As JSON it is the
/// marker `{"$secret": "flowspec-sealed:v1:…"}`, its value sealed under a
/// key of this process (see the module docs), so it can be put anywhere in
/// a config built with `serde_json::json!`; neither its `Debug` output nor
/// that of the JSON shows the value.
///
/// ```
/// use flowspec::secrets::{secret, Secret};
/// use serde_json::json;
///
/// let config = json!({"credentials": {"access_token": secret("sk_live_123")}});
/// let marker = &config["credentials"]["access_token"];
/// assert_eq!(Secret::from_marker(marker).unwrap().unwrap().expose(), "sk_live_123");
/// assert!(!format!("{config:?}").contains("sk_live_123"));
/// assert_eq!(format!("{:?}", secret("sk_live_123")), "Secret(<redacted>)");
/// ```
#[derive(Clone, PartialEq)]
pub struct Secret(Value);

impl Secret {
    /// Marks a value as secret.
    pub fn new(value: impl Into<Value>) -> Self {
        Self(value.into())
    }

    /// The secret value itself.
    ///
    /// ```
    /// assert_eq!(flowspec::secrets::secret("x").expose(), "x");
    /// ```
    pub fn expose(&self) -> &Value {
        &self.0
    }

    /// The marker object, `{"$secret": "flowspec-sealed:v1:…"}`, which
    /// this process opens again.
    ///
    /// ```
    /// use flowspec::secrets::{marked_secret, secret};
    /// let marker = secret(5432).to_marker();
    /// assert!(marked_secret(&marker).is_some());
    /// assert!(!marker.to_string().contains("5432"));
    /// ```
    pub fn to_marker(&self) -> Value {
        let mut map = Map::new();
        map.insert(
            SECRET_MARKER.to_string(),
            Value::String(seal_value(&self.0)),
        );
        Value::Object(map)
    }

    /// The secret a marker holds, if `value` is one: `None` for another
    /// value, an error for a sealed secret this process cannot open.
    ///
    /// ```
    /// use flowspec::secrets::{secret, Secret};
    /// use serde_json::json;
    /// let back = Secret::from_marker(&secret("x").to_marker()).unwrap().unwrap();
    /// assert_eq!(back, secret("x"));
    /// assert_eq!(Secret::from_marker(&json!({"$secret": "by hand"})).unwrap().unwrap().expose(), "by hand");
    /// assert!(Secret::from_marker(&json!({"host": "db"})).is_none());
    /// ```
    pub fn from_marker(value: &Value) -> Option<Result<Secret, String>> {
        marked_secret(value).map(|inner| open_marker(inner).map(Secret))
    }
}

/// Marks a value as secret: shorthand for [`Secret::new`].
///
/// ```
/// let token = flowspec::secrets::secret("sk_live_123");
/// assert_eq!(token.expose(), "sk_live_123");
/// ```
pub fn secret(value: impl Into<Value>) -> Secret {
    Secret::new(value)
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Secret({REDACTED})")
    }
}

impl serde::Serialize for Secret {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(1))?;
        map.serialize_entry(SECRET_MARKER, &seal_value(&self.0))?;
        map.end()
    }
}

/// What a config holds.
///
/// ```
/// use flowspec::secrets::{ConfigSecrets, secret};
/// use serde_json::json;
///
/// assert_eq!(ConfigSecrets::of(&json!({"host": "h"})), ConfigSecrets::None);
/// assert_eq!(ConfigSecrets::of(&json!({"password_sops": "hunter2"})), ConfigSecrets::Plaintext);
/// assert_eq!(ConfigSecrets::of(&json!({"password": secret("hunter2")})), ConfigSecrets::Plaintext);
/// assert_eq!(ConfigSecrets::of(&json!({"password_sops": "ENC[...]", "sops": {}})), ConfigSecrets::Encrypted);
/// // An empty or null secret is not encrypted by sops either.
/// assert_eq!(ConfigSecrets::of(&json!({"password_sops": ""})), ConfigSecrets::None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfigSecrets {
    /// Nothing to encrypt.
    None,
    /// Secrets in plaintext: markers, or values under `_sops` keys.
    Plaintext,
    /// Already sops-encrypted (a top-level `sops` object): passed through.
    Encrypted,
}

impl ConfigSecrets {
    /// Classifies a config.
    pub fn of(config: &Value) -> Self {
        if is_encrypted(config) {
            ConfigSecrets::Encrypted
        } else if holds_secret(config, false) {
            ConfigSecrets::Plaintext
        } else {
            ConfigSecrets::None
        }
    }
}

/// Whether `config` holds, unencrypted, a value under a `_sops` key that
/// sops would encrypt (markers aside): a secret in plaintext as written.
pub(crate) fn holds_suffixed_plaintext(config: &Value) -> bool {
    !is_encrypted(config) && holds(config, false, false)
}

/// Whether `value` holds a marker, or (under a `_sops` key, `secret`) a
/// value that sops would encrypt.
fn holds_secret(value: &Value, secret: bool) -> bool {
    holds(value, secret, true)
}

fn holds(value: &Value, secret: bool, markers: bool) -> bool {
    if markers && marked_secret(value).is_some() {
        return true;
    }
    match value {
        Value::Object(map) => map
            .iter()
            .any(|(k, v)| holds(v, secret || k.ends_with(ESTUARY_SUFFIX), markers)),
        Value::Array(items) => items.iter().any(|v| holds(v, secret, markers)),
        Value::Null => false,
        Value::String(s) => secret && !s.is_empty(),
        Value::Bool(_) | Value::Number(_) => secret,
    }
}

/// Whether `value` holds a secret marker anywhere.
pub(crate) fn has_marker(value: &Value) -> bool {
    let mut stack = vec![value];
    while let Some(value) = stack.pop() {
        match value {
            Value::Object(map) => {
                if marked_secret(value).is_some() {
                    return true;
                }
                stack.extend(map.values());
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    false
}

/// The JSON pointers (within the config) of the markers in an
/// already-encrypted config: secrets that would be written in plaintext.
pub(crate) fn markers_in(value: &Value, pointer: &mut String, found: &mut Vec<String>) {
    if marked_secret(value).is_some() {
        found.push(pointer.clone());
        return;
    }
    let len = pointer.len();
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                pointer.push('/');
                pointer.push_str(&k.replace('~', "~0").replace('/', "~1"));
                markers_in(v, pointer, found);
                pointer.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                pointer.push_str(&format!("/{i}"));
                markers_in(v, pointer, found);
                pointer.truncate(len);
            }
        }
        _ => {}
    }
}

/// Replaces every marker of `config` by its value, under the key with the
/// `_sops` suffix added (unless it has it already). Key order is kept.
///
/// A marker must be the value of an object property, as Estuary encrypts
/// properties: one at the root, in an array, or whose suffixed name is
/// already taken is an error naming its JSON pointer (within the config).
///
/// ```
/// use flowspec::secrets::{resolve_markers, secret};
/// use serde_json::json;
///
/// let mut config = json!({"user": "flow", "password": secret("hunter2"), "port": 5432});
/// resolve_markers(&mut config).unwrap();
/// assert_eq!(config.to_string(), r#"{"user":"flow","password_sops":"hunter2","port":5432}"#);
///
/// let mut config = json!({"keys": [secret("k1")]});
/// assert_eq!(resolve_markers(&mut config).unwrap_err(), "/keys/0: a secret must be the value of an object property, not an array item");
/// ```
pub fn resolve_markers(config: &mut Value) -> Result<(), String> {
    resolve_markers_with(config, ESTUARY_SUFFIX)
}

/// [`resolve_markers`] with another suffix than `_sops`.
fn resolve_markers_with(config: &mut Value, suffix: &str) -> Result<(), String> {
    if marked_secret(config).is_some() {
        return Err(
            "a secret must be the value of an object property, not the whole config".into(),
        );
    }
    resolve(config, &mut String::new(), suffix)
}

/// A document about to be encrypted with sops' `rule`, with its secret
/// markers (if it has any: `None` otherwise) replaced by their values so
/// that the rule encrypts them: under `encrypted_suffix`, a marked property
/// gets the suffix, as for a catalog's configs; under any other rule, a
/// marked value that the rule would leave in plaintext is an error naming
/// it. A marker is never encrypted as an object of its own.
pub(crate) fn unmark_document(
    document: &Value,
    rule: &super::EncryptionRule,
    selector: &super::rule::Selector,
) -> Result<Option<Value>, super::SopsError> {
    if !holds(document, false, true) {
        return Ok(None);
    }
    let mut document = document.clone();
    let unsupported = |message: String| {
        let (path, reason) = match message.split_once(": ") {
            Some((path, reason)) if path.starts_with('/') => (path.to_string(), reason.to_string()),
            _ => (String::new(), message),
        };
        super::SopsError::UnsupportedValue { path, reason }
    };
    if let super::EncryptionRule::EncryptedSuffix(suffix) = rule {
        resolve_markers_with(&mut document, suffix).map_err(unsupported)?;
        return Ok(Some(document));
    }
    let mut found = Vec::new();
    unmark(
        &mut document,
        &mut String::new(),
        &mut Vec::new(),
        &mut found,
    )
    .map_err(unsupported)?;
    for (pointer, keys) in found {
        let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
        if !selector.encrypts(&keys) {
            return Err(super::SopsError::UnsupportedValue {
                path: pointer,
                reason: format!(
                    "this secret would be left in plaintext by the rule `{}: {}`: rename its \
                     property to match the rule, or use another rule",
                    rule.metadata_key(),
                    rule.value()
                ),
            });
        }
    }
    Ok(Some(document))
}

/// Replaces each marker in `value` by its value, recording its JSON pointer
/// and the object keys that lead to it.
fn unmark(
    value: &mut Value,
    pointer: &mut String,
    keys: &mut Vec<String>,
    found: &mut Vec<(String, Vec<String>)>,
) -> Result<(), String> {
    if let Some(inner) = marked_secret(value) {
        *value = open_marker(inner).map_err(|e| format!("{pointer}: {e}"))?;
        found.push((pointer.clone(), keys.clone()));
        return Ok(());
    }
    let len = pointer.len();
    match value {
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                push_token(pointer, k);
                keys.push(k.clone());
                unmark(v, pointer, keys, found)?;
                keys.pop();
                pointer.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter_mut().enumerate() {
                pointer.push_str(&format!("/{i}"));
                unmark(v, pointer, keys, found)?;
                pointer.truncate(len);
            }
        }
        _ => {}
    }
    Ok(())
}

fn resolve(value: &mut Value, pointer: &mut String, suffix: &str) -> Result<(), String> {
    let len = pointer.len();
    match value {
        Value::Object(map) => {
            if !map.values().any(|v| marked_secret(v).is_some()) {
                for (k, v) in map.iter_mut() {
                    push_token(pointer, k);
                    resolve(v, pointer, suffix)?;
                    pointer.truncate(len);
                }
                return Ok(());
            }
            let old = std::mem::take(map);
            let renamed: Vec<String> = old
                .iter()
                .filter(|(k, v)| marked_secret(v).is_some() && !k.ends_with(suffix))
                .map(|(k, _)| format!("{k}{suffix}"))
                .collect();
            for (k, v) in old {
                let opened = |inner: &Value, pointer: &mut String, key: &str| {
                    open_marker(inner).map_err(|e| {
                        push_token(pointer, key);
                        format!("{pointer}: {e}")
                    })
                };
                let (key, mut v) = match marked_secret(&v) {
                    Some(inner) if k.ends_with(suffix) => {
                        let v = opened(inner, pointer, &k)?;
                        (k, v)
                    }
                    Some(inner) => (format!("{k}{suffix}"), opened(inner, pointer, &k)?),
                    None if renamed.contains(&k) => {
                        push_token(pointer, &k);
                        return Err(format!(
                            "{pointer}: a secret is also given as `{}`, so the secret's \
                             property would be written twice",
                            k.trim_end_matches(suffix)
                        ));
                    }
                    None => (k, v),
                };
                push_token(pointer, &key);
                resolve(&mut v, pointer, suffix)?;
                pointer.truncate(len);
                if map.insert(key, v).is_some() {
                    return Err(format!(
                        "{pointer}: two secrets would be written as the same property"
                    ));
                }
            }
            Ok(())
        }
        Value::Array(items) => {
            for (i, v) in items.iter_mut().enumerate() {
                pointer.push_str(&format!("/{i}"));
                if marked_secret(v).is_some() {
                    return Err(format!(
                        "{pointer}: a secret must be the value of an object property, not an \
                         array item"
                    ));
                }
                resolve(v, pointer, suffix)?;
                pointer.truncate(len);
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

fn push_token(pointer: &mut String, key: &str) {
    pointer.push('/');
    pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn markers_keep_key_order_and_an_existing_suffix() {
        let mut config = json!({
            "a": 1,
            "token_sops": secret("t"),
            "nested": {"key": secret(json!({"pem": "k"})), "z": 2},
        });
        resolve_markers(&mut config).unwrap();
        assert_eq!(
            config.to_string(),
            r#"{"a":1,"token_sops":"t","nested":{"key_sops":{"pem":"k"},"z":2}}"#
        );
    }

    #[test]
    fn a_marker_whose_property_is_taken_is_an_error() {
        let mut config = json!({"password": secret("a"), "password_sops": "b"});
        assert_eq!(
            resolve_markers(&mut config).unwrap_err(),
            "/password_sops: a secret is also given as `password`, so the secret's property \
             would be written twice"
        );
        let mut config =
            json!({"credentials": {"password": secret("a")}, "x": [{"k": secret("b")}]});
        resolve_markers(&mut config).unwrap();
        assert_eq!(
            config,
            json!({"credentials": {"password_sops": "a"}, "x": [{"k_sops": "b"}]})
        );
    }

    #[test]
    fn a_marker_at_the_root_is_an_error() {
        let mut config = json!({"$secret": "x"});
        assert!(resolve_markers(&mut config)
            .unwrap_err()
            .contains("whole config"));
    }

    #[test]
    fn classification() {
        assert_eq!(
            ConfigSecrets::of(&json!("config.yaml")),
            ConfigSecrets::None
        );
        assert_eq!(
            ConfigSecrets::of(&json!({"x_sops": {"a": null}})),
            ConfigSecrets::None
        );
        assert_eq!(
            ConfigSecrets::of(&json!({"x_sops": {"a": [false]}})),
            ConfigSecrets::Plaintext
        );
        assert_eq!(
            ConfigSecrets::of(&json!({"x": [{"$secret": 1}]})),
            ConfigSecrets::Plaintext
        );
    }

    #[test]
    fn markers_in_an_encrypted_config_are_found() {
        let mut found = Vec::new();
        markers_in(
            &json!({"a": {"b/c": secret("x")}, "sops": {}}),
            &mut String::new(),
            &mut found,
        );
        assert_eq!(found, ["/a/b~1c"]);
    }

    #[test]
    fn redaction_keeps_encrypted_values_and_hides_numbers() {
        let shown = redacted(
            &json!({"pin_sops": 1234, "key_sops": "ENC[AES256_GCM,data:x]", "e_sops": ""}),
        );
        assert_eq!(
            shown,
            json!({"pin_sops": "<redacted>", "key_sops": "ENC[AES256_GCM,data:x]", "e_sops": ""})
        );
    }
}
