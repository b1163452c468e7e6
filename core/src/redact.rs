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

/// What starts an age identity (a private key): X25519 and post-quantum
/// keys, and plugin identities.
const IDENTITY_PREFIXES: [&str; 2] = ["AGE-SECRET-KEY-", "AGE-PLUGIN-"];

/// `text` with every age identity in it replaced by `<redacted>`, so that no
/// message holds a private key, even one given where a recipient (a public
/// key) was expected. Identities are Bech32 (letters, digits and `-`, in
/// either case). [`crate::Error`] and [`crate::Diagnostic`] messages pass through it, so the CLI and both bindings show no identity.
///
/// ```
/// use flowspec::secrets::redact_identities;
/// assert_eq!(
///     redact_identities("invalid age recipient `AGE-SECRET-KEY-1QQQ2`: bad"),
///     "invalid age recipient `<redacted>`: bad",
/// );
/// assert_eq!(redact_identities("age-plugin-yubikey-1xyz."), "<redacted>.");
/// ```
pub fn redact_identities(text: &str) -> String {
    // ASCII upper-casing keeps byte offsets, so they index `text` too.
    let upper = text.to_ascii_uppercase();
    let mut out = String::with_capacity(text.len());
    let mut rest = 0;
    while let Some(start) = IDENTITY_PREFIXES
        .iter()
        .filter_map(|p| upper[rest..].find(p).map(|i| rest + i))
        .min()
    {
        let end = upper[start..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .map_or(upper.len(), |i| start + i);
        out.push_str(&text[rest..start]);
        out.push_str(REDACTED);
        rest = end;
    }
    out.push_str(&text[rest..]);
    out
}

#[cfg(test)]
mod redaction_tests {
    use super::redact_identities;

    #[test]
    fn identities_are_redacted_from_messages() {
        let cases = [
            ("no key here", "no key here"),
            (
                "invalid age recipient `AGE-SECRET-KEY-1QQQ2`: invalid Bech32",
                "invalid age recipient `<redacted>`: invalid Bech32",
            ),
            (
                "age-secret-key-1abc and AGE-PLUGIN-YUBIKEY-1XYZ.",
                "<redacted> and <redacted>.",
            ),
            ("ends with AGE-SECRET-KEY-", "ends with <redacted>"),
            ("café AGE-SECRET-KEY-1Q é", "café <redacted> é"),
        ];
        for (message, expected) in cases {
            assert_eq!(redact_identities(message), expected, "{message}");
        }
    }
}
