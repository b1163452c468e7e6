//! What output shows of secrets: the secret marker, recognized without any
//! cryptography, and configs with their secret values replaced by
//! `<redacted>`. The model's `Debug` output and the secrets module both use
//! it, so the model does not depend on the secrets engine.

use serde_json::Value;

/// The suffix Estuary uses for secret fields in connector configs (`password_sops`).
///
/// ```
/// assert_eq!(flowspec::secrets::ESTUARY_SUFFIX, "_sops");
/// ```
pub const ESTUARY_SUFFIX: &str = "_sops";

/// The key of the JSON object that marks a secret: `{"$secret": value}`.
pub const SECRET_MARKER: &str = "$secret";

/// What [`Debug`] output and error messages show instead of a secret value.
pub const REDACTED: &str = "<redacted>";

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
