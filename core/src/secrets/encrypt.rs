//! Encrypting a JSON document into the sops format, as sops ≥ 3.13 writes it.

use serde_json::{Map, Value};
use zeroize::Zeroizing;

use super::cipher::DataKey;
use super::mac::MacHasher;
use super::metadata::{now_lastmodified, Metadata};
use super::path::KeyPath;
use super::recipient::wrap_data_key;
use super::rule::Selector;
use super::scalar::{leaf_plaintext, LeafType};
use super::{EncryptionRule, SopsError};

/// # How to encrypt a document
///
/// Plain data with public fields, so bindings can fill it from keyword arguments or an
/// options object. `rule: None` means "not chosen": [`EncryptOptions::resolve`] may take
/// one from `.sops.yaml`, and [`encrypt`] falls back to sops' default
/// (`unencrypted_suffix: _unencrypted`). Estuary connector configs use
/// [`EncryptOptions::estuary`] (`encrypted_suffix: _sops`).
///
/// ```
/// use flowspec::secrets::{EncryptOptions, EncryptionRule};
///
/// let options = EncryptOptions::estuary()
///     .recipient("age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p")
///     .mac_only_encrypted(true);
/// assert_eq!(options.rule, Some(EncryptionRule::estuary()));
/// assert_eq!(options.recipients.len(), 1);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EncryptOptions {
    /// age recipients (`age1…`). Each gets its own wrapped copy of the data key.
    pub recipients: Vec<String>,
    /// Which values to encrypt; `None` uses `.sops.yaml` or the sops default.
    pub rule: Option<EncryptionRule>,
    /// Hash only encrypted values into the MAC, so plaintext fields stay editable.
    pub mac_only_encrypted: bool,
}

impl EncryptOptions {
    /// No recipients, no rule chosen, full MAC.
    ///
    /// ```
    /// use flowspec::secrets::EncryptOptions;
    /// assert_eq!(EncryptOptions::new(), EncryptOptions::default());
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Estuary's convention for connector configs: only keys ending in `_sops` (and
    /// everything below them) are encrypted.
    ///
    /// ```
    /// use flowspec::secrets::{EncryptOptions, EncryptionRule};
    /// assert_eq!(EncryptOptions::estuary().rule, Some(EncryptionRule::estuary()));
    /// ```
    pub fn estuary() -> Self {
        EncryptOptions {
            rule: Some(EncryptionRule::estuary()),
            ..Self::default()
        }
    }

    /// Adds a recipient.
    ///
    /// ```
    /// use flowspec::secrets::EncryptOptions;
    /// let options = EncryptOptions::new().recipient("age1abc").recipient("age1def");
    /// assert_eq!(options.recipients, ["age1abc", "age1def"]);
    /// ```
    #[must_use]
    pub fn recipient(mut self, recipient: &str) -> Self {
        self.recipients.push(recipient.to_string());
        self
    }

    /// Sets the rule.
    ///
    /// ```
    /// use flowspec::secrets::{EncryptOptions, EncryptionRule};
    /// let rule = EncryptionRule::EncryptedRegex("^(password|token)$".into());
    /// assert_eq!(EncryptOptions::new().rule(rule.clone()).rule, Some(rule));
    /// ```
    #[must_use]
    pub fn rule(mut self, rule: EncryptionRule) -> Self {
        self.rule = Some(rule);
        self
    }

    /// Sets `mac_only_encrypted`.
    ///
    /// ```
    /// use flowspec::secrets::EncryptOptions;
    /// assert!(EncryptOptions::new().mac_only_encrypted(true).mac_only_encrypted);
    /// ```
    #[must_use]
    pub fn mac_only_encrypted(mut self, yes: bool) -> Self {
        self.mac_only_encrypted = yes;
        self
    }
}

/// Encrypts a document (an object) to the options' recipients, in the sops format.
///
/// One random 32-byte data key seals every value the rule selects, except nulls and
/// empty strings, as `ENC[AES256_GCM,data:…,iv:…,tag:…,type:str|int|float|bool]` with a
/// fresh 32-byte IV and the value's key path as additional data. Key order is kept. The
/// `sops` block is appended last, with keys sorted as sops ≥ 3.13 writes them.
///
/// Values marked with [`secret`](super::secret) are encrypted as the values they mark:
/// under `encrypted_suffix`, the marked property gets the suffix (`password: secret(…)`
/// is written `password_sops: ENC[…]`); under another rule, a marked value the rule
/// would leave in plaintext is an error naming it.
///
/// ```
/// use flowspec::secrets::{decrypt, encrypt, DecryptOptions, EncryptOptions, Identities, Identity};
/// use serde_json::json;
///
/// let identity = Identity::generate();
/// let config = json!({"host": "db.example.com", "password_sops": "hunter2"});
/// let options = EncryptOptions::estuary().recipient(identity.recipient());
/// let sealed = encrypt(&config, &options).unwrap();
/// assert_eq!(sealed["host"], "db.example.com");
/// assert!(sealed["password_sops"].as_str().unwrap().starts_with("ENC[AES256_GCM,data:"));
/// assert_eq!(sealed["sops"]["encrypted_suffix"], "_sops");
///
/// let opened = decrypt(&sealed, &Identities::from(identity), &DecryptOptions::default()).unwrap();
/// assert_eq!(opened, config);
///
/// let marked = json!({"password": flowspec::secrets::secret("hunter2")});
/// let sealed = encrypt(&marked, &options).unwrap();
/// assert!(sealed["password_sops"].as_str().unwrap().starts_with("ENC[AES256_GCM,data:"));
/// let unencrypted_name = EncryptOptions::new()
///     .rule(flowspec::secrets::EncryptionRule::UnencryptedSuffix("word".into()))
///     .recipient(Identity::generate().recipient());
/// let err = encrypt(&marked, &unencrypted_name).unwrap_err();
/// assert_eq!(err.code(), "sops_unsupported_value");
/// ```
pub fn encrypt(document: &Value, options: &EncryptOptions) -> Result<Value, SopsError> {
    let map = document.as_object().ok_or(SopsError::NotAnObject {
        found: kind_of(document),
    })?;
    if map.contains_key("sops") {
        return Err(SopsError::ReservedKey);
    }
    let rule = options.rule.clone().unwrap_or_default();
    let selector = rule.compile()?;
    if options.recipients.is_empty() {
        return Err(SopsError::NoRecipients);
    }
    // Secret markers become the values they mark, which the rule encrypts.
    let unmarked = super::marker::unmark_document(document, &rule, &selector)?;
    let map = match &unmarked {
        Some(Value::Object(map)) => map,
        _ => map,
    };
    let key = DataKey::generate();
    let age = wrap_data_key(&key, &options.recipients)?;

    let mut walker = Walker {
        key: &key,
        selector: &selector,
        hasher: MacHasher::new(options.mac_only_encrypted),
        mac_only_encrypted: options.mac_only_encrypted,
    };
    let mut path = KeyPath::default();
    let mut out = Map::with_capacity(map.len() + 1);
    for (k, v) in map {
        path.push_key(k);
        out.insert(k.clone(), walker.value(v, &mut path)?);
        path.pop();
    }

    let lastmodified = now_lastmodified();
    let digest = walker.hasher.finish();
    let mac = key
        .seal(digest.as_bytes(), lastmodified.as_bytes(), LeafType::Str)
        .ok_or_else(|| SopsError::UnsupportedValue {
            path: "sops.mac".into(),
            reason: "AES-GCM refused to seal it".into(),
        })?;
    let metadata = Metadata {
        age,
        lastmodified,
        mac,
        rule,
        mac_only_encrypted: options.mac_only_encrypted,
        version: None,
        other_key_types: Vec::new(),
    };
    out.insert("sops".to_string(), metadata.to_value());
    Ok(Value::Object(out))
}

struct Walker<'k> {
    key: &'k DataKey,
    selector: &'k Selector,
    hasher: MacHasher,
    mac_only_encrypted: bool,
}

impl Walker<'_> {
    fn value<'a>(&mut self, value: &'a Value, path: &mut KeyPath<'a>) -> Result<Value, SopsError> {
        match value {
            Value::Object(map) => {
                let mut out = Map::with_capacity(map.len());
                for (k, v) in map {
                    path.push_key(k);
                    out.insert(k.clone(), self.value(v, path)?);
                    path.pop();
                }
                Ok(Value::Object(out))
            }
            Value::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    path.push_index(i);
                    out.push(self.value(item, path)?);
                    path.pop();
                }
                Ok(Value::Array(out))
            }
            leaf => self.leaf(leaf, path),
        }
    }

    fn leaf(&mut self, value: &Value, path: &KeyPath<'_>) -> Result<Value, SopsError> {
        // Nulls and empty strings are neither encrypted nor hashed.
        let Some((kind, bytes)) = leaf_plaintext(value) else {
            return Ok(value.clone());
        };
        let bytes = Zeroizing::new(bytes);
        let encrypts = self.selector.encrypts(&path.keys());
        if encrypts || !self.mac_only_encrypted {
            self.hasher.update(&bytes);
        }
        if !encrypts {
            return Ok(value.clone());
        }
        self.key
            .seal(&bytes, path.aad().as_bytes(), kind)
            .map(Value::String)
            .ok_or_else(|| SopsError::UnsupportedValue {
                path: path.display(),
                reason: "the value is too large for AES-GCM".into(),
            })
    }
}

/// "an array", "a string", … for messages.
pub(crate) fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secrets::Identity;
    use serde_json::json;

    fn options() -> EncryptOptions {
        EncryptOptions::new().recipient(Identity::generate().recipient())
    }

    #[test]
    fn selects_values_by_rule_and_keeps_order() {
        let doc = json!({
            "z": "top", "a_sops": {"deep": [1, {"x": true}], "empty": "", "nothing": null},
            "m": 1.5,
        });
        let sealed = encrypt(
            &doc,
            &EncryptOptions::estuary().recipient(Identity::generate().recipient()),
        )
        .unwrap();
        let keys: Vec<&String> = sealed.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["z", "a_sops", "m", "sops"]);
        assert_eq!(sealed["z"], "top");
        assert_eq!(sealed["m"], 1.5);
        assert_eq!(sealed["a_sops"]["empty"], "");
        assert_eq!(sealed["a_sops"]["nothing"], Value::Null);
        let deep = sealed["a_sops"]["deep"][0].as_str().unwrap();
        assert!(deep.ends_with(",type:int]"), "{deep}");
        let inner = sealed["a_sops"]["deep"][1]["x"].as_str().unwrap();
        assert!(inner.ends_with(",type:bool]"), "{inner}");
    }

    #[test]
    fn metadata_block_is_sops_3_13() {
        let sealed = encrypt(&json!({"a": "b"}), &options().mac_only_encrypted(true)).unwrap();
        let sops = sealed["sops"].as_object().unwrap();
        let keys: Vec<&String> = sops.keys().collect();
        assert_eq!(
            keys,
            [
                "age",
                "lastmodified",
                "mac",
                "mac_only_encrypted",
                "unencrypted_suffix",
                "version"
            ]
        );
        assert_eq!(sops["unencrypted_suffix"], "_unencrypted");
        assert_eq!(sops["version"], "3.13.3");
        let lastmodified = sops["lastmodified"].as_str().unwrap();
        assert!(chrono::DateTime::parse_from_rfc3339(lastmodified).is_ok());
        assert!(lastmodified.ends_with('Z') && !lastmodified.contains('.'));
        assert!(sops["mac"].as_str().unwrap().ends_with(",type:str]"));

        let plain = encrypt(&json!({"a": "b"}), &options()).unwrap();
        assert!(plain["sops"].get("mac_only_encrypted").is_none());
    }

    #[test]
    fn refuses_bad_input() {
        let cases = [
            (json!([1]), options(), "sops_not_an_object"),
            (json!({"sops": {}}), options(), "sops_reserved_key"),
            (json!({"a": 1}), EncryptOptions::new(), "sops_no_recipients"),
            (
                json!({"a": 1}),
                options().rule(EncryptionRule::UnencryptedRegex("[".into())),
                "sops_invalid_regex",
            ),
            (
                json!({"a": 1}),
                EncryptOptions::new().recipient("age1nope"),
                "sops_invalid_recipient",
            ),
        ];
        for (doc, opts, code) in cases {
            assert_eq!(encrypt(&doc, &opts).unwrap_err().code(), code, "{doc}");
        }
    }
}
