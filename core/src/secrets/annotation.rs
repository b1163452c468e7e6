//! How a connector's endpoint schema marks a property secret: `secret:
//! true`, or Airbyte's `airbyte_secret: true`. The config-encryption
//! service encrypts what they mark, plans hide it, and shapes record it.

use serde_json::Value;

/// The keywords of a schema that mark its location secret.
///
/// ```
/// assert_eq!(flowspec::secrets::SECRET_ANNOTATIONS, ["secret", "airbyte_secret"]);
/// ```
pub const SECRET_ANNOTATIONS: [&str; 2] = ["secret", "airbyte_secret"];

/// Whether the schema `node` marks its location secret.
///
/// ```
/// use flowspec::secrets::marks_secret;
/// use serde_json::json;
/// assert!(marks_secret(&json!({"type": "string", "airbyte_secret": true})));
/// assert!(!marks_secret(&json!({"type": "string", "secret": false})));
/// ```
pub fn marks_secret(node: &Value) -> bool {
    SECRET_ANNOTATIONS
        .iter()
        .any(|k| node.get(k) == Some(&Value::Bool(true)))
}
