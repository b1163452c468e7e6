//! The secret marker of the DSL, and what a config holds: secrets in
//! plaintext, sops-encrypted secrets, or none.
//!
//! A secret is marked in one of two ways, both of which end as Estuary's
//! convention — a property whose name ends in `_sops`, encrypted with
//! `encrypted_suffix: _sops`, whose suffix Estuary's runtime strips before
//! the connector sees it:
//! - by naming the property with the suffix: `password_sops: hunter2`;
//! - with [`Secret`] (`flowspec.secret(...)` in Python and TypeScript), which
//!   is `{"$secret": value}` as JSON: `password: secret("hunter2")` becomes
//!   `password_sops: hunter2` when the catalog is written, as Estuary's own
//!   config-encryption service renames the properties it encrypts.

use serde_json::{Map, Value};

use super::file::is_encrypted;
use super::rule::ESTUARY_SUFFIX;

/// The key of the JSON object that marks a secret: `{"$secret": value}`.
pub const SECRET_MARKER: &str = "$secret";

/// What [`Debug`] output and error messages show instead of a secret value.
pub const REDACTED: &str = "<redacted>";

/// # Secret
/// A value to be encrypted when the catalog is written. It serializes as
/// `{"$secret": value}`, so it can be put anywhere in a config built with
/// `serde_json::json!`; its `Debug` output never shows the value.
///
/// ```
/// use flowspec::secrets::{secret, Secret};
/// use serde_json::json;
///
/// let config = json!({"credentials": {"access_token": secret("sk_live_123")}});
/// assert_eq!(config, json!({"credentials": {"access_token": {"$secret": "sk_live_123"}}}));
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

    /// The marker object, `{"$secret": value}`.
    ///
    /// ```
    /// let marker = flowspec::secrets::secret(5432).to_marker();
    /// assert_eq!(marker, serde_json::json!({"$secret": 5432}));
    /// ```
    pub fn to_marker(&self) -> Value {
        let mut map = Map::new();
        map.insert(SECRET_MARKER.to_string(), self.0.clone());
        Value::Object(map)
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
        map.serialize_entry(SECRET_MARKER, &self.0)?;
        map.end()
    }
}

/// The value inside a secret marker, if `value` is one: an object whose only
/// key is `$secret`.
///
/// ```
/// use flowspec::secrets::marked_secret;
/// use serde_json::json;
/// assert_eq!(marked_secret(&json!({"$secret": "x"})), Some(&json!("x")));
/// assert_eq!(marked_secret(&json!({"$secret": "x", "other": 1})), None);
/// ```
pub fn marked_secret(value: &Value) -> Option<&Value> {
    match value {
        Value::Object(map) if map.len() == 1 => map.get(SECRET_MARKER),
        _ => None,
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
    if marked_secret(config).is_some() {
        return Err(
            "a secret must be the value of an object property, not the whole config".into(),
        );
    }
    resolve(config, &mut String::new())
}

fn resolve(value: &mut Value, pointer: &mut String) -> Result<(), String> {
    let len = pointer.len();
    match value {
        Value::Object(map) => {
            if !map.values().any(|v| marked_secret(v).is_some()) {
                for (k, v) in map.iter_mut() {
                    push_token(pointer, k);
                    resolve(v, pointer)?;
                    pointer.truncate(len);
                }
                return Ok(());
            }
            let old = std::mem::take(map);
            let renamed: Vec<String> = old
                .iter()
                .filter(|(k, v)| marked_secret(v).is_some() && !k.ends_with(ESTUARY_SUFFIX))
                .map(|(k, _)| format!("{k}{ESTUARY_SUFFIX}"))
                .collect();
            for (k, v) in old {
                let (key, mut v) = match marked_secret(&v) {
                    Some(inner) if k.ends_with(ESTUARY_SUFFIX) => (k, inner.clone()),
                    Some(inner) => (format!("{k}{ESTUARY_SUFFIX}"), inner.clone()),
                    None if renamed.contains(&k) => {
                        push_token(pointer, &k);
                        return Err(format!(
                            "{pointer}: a secret is also given as `{}`, so the secret's \
                             property would be written twice",
                            k.trim_end_matches(ESTUARY_SUFFIX)
                        ));
                    }
                    None => (k, v),
                };
                push_token(pointer, &key);
                resolve(&mut v, pointer)?;
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
                resolve(v, pointer)?;
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

/// `config` with every plaintext secret replaced by `"<redacted>"`: marker
/// values, and values under `_sops` keys that are not `ENC[...]`.
///
/// ```
/// use flowspec::secrets::{redacted, secret};
/// use serde_json::json;
/// let shown = redacted(&json!({"user": "flow", "password_sops": "hunter2", "key": secret("k")}));
/// assert_eq!(shown, json!({"user": "flow", "password_sops": "<redacted>", "key": "<redacted>"}));
/// ```
pub fn redacted(config: &Value) -> Value {
    redact(config, false)
}

fn redact(value: &Value, secret: bool) -> Value {
    if marked_secret(value).is_some() {
        return Value::String(REDACTED.into());
    }
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), redact(v, secret || k.ends_with(ESTUARY_SUFFIX))))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(|v| redact(v, secret)).collect()),
        Value::String(s) if secret && !s.is_empty() && !s.starts_with("ENC[") => {
            Value::String(REDACTED.into())
        }
        Value::Bool(_) | Value::Number(_) if secret => Value::String(REDACTED.into()),
        other => other.clone(),
    }
}

/// Formats a config for `Debug` with its secrets redacted.
pub(crate) struct DebugConfig<'a>(pub &'a Value);

impl std::fmt::Debug for DebugConfig<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&redacted(self.0), f)
    }
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
