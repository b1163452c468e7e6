//! Decrypting a sops document and verifying its MAC.

use serde_json::{Map, Value};

use super::cipher::{DataKey, EncValue};
use super::encrypt::kind_of;
use super::mac::MacHasher;
use super::metadata::Metadata;
use super::path::KeyPath;
use super::rule::Selector;
use super::scalar::{decode_leaf, leaf_plaintext, legacy_json_plaintext, DecodeError, LeafType};
use super::{EncryptionRule, Identities, SopsError};

/// # How to decrypt a document
///
/// ```
/// use flowspec::secrets::DecryptOptions;
///
/// let options = DecryptOptions::new().strip_encrypted_suffix(true);
/// assert!(options.strip_encrypted_suffix);
/// assert!(!DecryptOptions::default().strip_encrypted_suffix);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DecryptOptions {
    /// After decrypting, if the file's rule is `encrypted_suffix`, trim one trailing copy
    /// of the suffix from every object key at any depth, as Estuary's runtime does
    /// (`password_sops` → `password`, `a_sops_sops` → `a_sops`). Off by default, as in
    /// `sops --decrypt`.
    pub strip_encrypted_suffix: bool,
}

impl DecryptOptions {
    /// The defaults: keys are returned as they are in the file.
    ///
    /// ```
    /// use flowspec::secrets::DecryptOptions;
    /// assert_eq!(DecryptOptions::new(), DecryptOptions::default());
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets [`DecryptOptions::strip_encrypted_suffix`].
    ///
    /// ```
    /// use flowspec::secrets::DecryptOptions;
    /// assert!(DecryptOptions::new().strip_encrypted_suffix(true).strip_encrypted_suffix);
    /// ```
    #[must_use]
    pub fn strip_encrypted_suffix(mut self, yes: bool) -> Self {
        self.strip_encrypted_suffix = yes;
        self
    }
}

/// Decrypts a sops document with the given identities and verifies its MAC.
///
/// Every identity is tried against every `sops.age[]` entry. Values are decrypted and
/// checked against the type recorded in each `ENC[...]`; the MAC is checked after all of
/// them. The result is the document without its `sops` block; nothing is returned unless
/// everything decrypted and the MAC matched.
///
/// ```
/// use flowspec::secrets::{decrypt, encrypt, DecryptOptions, EncryptOptions, Identities, Identity};
/// use serde_json::json;
///
/// let identity = Identity::generate();
/// let doc = json!({"credentials_sops": {"access_token": "t0k"}, "region": "eu"});
/// let sealed = encrypt(&doc, &EncryptOptions::estuary().recipient(identity.recipient())).unwrap();
///
/// let identities = Identities::from(identity);
/// let opened = decrypt(&sealed, &identities, &DecryptOptions::default()).unwrap();
/// assert_eq!(opened, doc);
///
/// let stripped = decrypt(&sealed, &identities, &DecryptOptions::new().strip_encrypted_suffix(true)).unwrap();
/// assert_eq!(stripped, json!({"credentials": {"access_token": "t0k"}, "region": "eu"}));
/// ```
pub fn decrypt(
    document: &Value,
    identities: &Identities,
    options: &DecryptOptions,
) -> Result<Value, SopsError> {
    let map = document.as_object().ok_or(SopsError::NotAnObject {
        found: kind_of(document),
    })?;
    let metadata = Metadata::from_document(map)?;
    let selector = metadata.rule.compile()?;
    let mac_aad = metadata.mac_aad()?;
    let mac_value = EncValue::parse(&metadata.mac)
        .map_err(|reason| SopsError::malformed("sops.mac", reason))?;
    let key = identities.unwrap_data_key(&metadata.age, &metadata.other_key_types)?;

    let mut walker = Walker {
        key: &key,
        selector: &selector,
        mac_only_encrypted: metadata.mac_only_encrypted,
        hasher: MacHasher::new(metadata.mac_only_encrypted),
        legacy: MacHasher::new(metadata.mac_only_encrypted),
    };
    let mut path = KeyPath::default();
    let mut out = Map::with_capacity(map.len());
    for (k, v) in map {
        if k == "sops" {
            continue;
        }
        path.push_key(k);
        if let Some(value) = walker.value(v, &mut path, false)? {
            out.insert(k.clone(), value);
        }
        path.pop();
    }

    let stored =
        key.open(&mac_value, mac_aad.as_bytes())
            .ok_or_else(|| SopsError::MacMismatch {
                detail: "sops.mac does not open with the data key: sops.mac or \
                     sops.lastmodified was modified"
                    .to_string(),
            })?;
    let (computed, legacy) = (walker.hasher.finish(), walker.legacy.finish());
    let stored = stored.as_slice();
    if stored != computed.as_bytes() && stored != legacy.as_bytes() {
        return Err(SopsError::MacMismatch {
            detail: "the values do not match sops.mac: a value was modified, added, removed \
                     or reordered"
                .to_string(),
        });
    }

    let mut document = Value::Object(out);
    if options.strip_encrypted_suffix {
        if let EncryptionRule::EncryptedSuffix(suffix) = &metadata.rule {
            document = strip_suffix(document, suffix, &mut String::new())?;
        }
    }
    Ok(document)
}

struct Walker<'k> {
    key: &'k DataKey,
    selector: &'k Selector,
    mac_only_encrypted: bool,
    hasher: MacHasher,
    /// The MAC as sops ≤ 3.13.1 computed it for JSON files (numbers as float64).
    legacy: MacHasher,
}

impl Walker<'_> {
    /// The decrypted value, or `None` for an encrypted YAML comment inside a list
    /// (comments are not data).
    fn value<'a>(
        &mut self,
        value: &'a Value,
        path: &mut KeyPath<'a>,
        in_list: bool,
    ) -> Result<Option<Value>, SopsError> {
        match value {
            Value::Object(map) => {
                let mut out = Map::with_capacity(map.len());
                for (k, v) in map {
                    path.push_key(k);
                    if let Some(decrypted) = self.value(v, path, false)? {
                        out.insert(k.clone(), decrypted);
                    }
                    path.pop();
                }
                Ok(Some(Value::Object(out)))
            }
            Value::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    path.push_index(i);
                    if let Some(decrypted) = self.value(item, path, true)? {
                        out.push(decrypted);
                    }
                    path.pop();
                }
                Ok(Some(Value::Array(out)))
            }
            leaf => self.leaf(leaf, path, in_list),
        }
    }

    fn leaf(
        &mut self,
        value: &Value,
        path: &KeyPath<'_>,
        in_list: bool,
    ) -> Result<Option<Value>, SopsError> {
        let encrypted = self.selector.encrypts(&path.keys());
        if !encrypted {
            if !self.mac_only_encrypted {
                if let Some((_, bytes)) = leaf_plaintext(value) {
                    self.hasher.update(&bytes);
                }
                if let Some(bytes) = legacy_json_plaintext(value) {
                    self.legacy.update(&bytes);
                }
            }
            return Ok(Some(value.clone()));
        }
        let text = match value {
            Value::Null => return Ok(Some(Value::Null)),
            Value::String(s) if s.is_empty() => return Ok(Some(value.clone())),
            Value::String(s) => s,
            other => {
                return Err(SopsError::malformed(
                    path.display(),
                    format!("expected an encrypted string, found {}", kind_of(other)),
                ))
            }
        };
        let sealed =
            EncValue::parse(text).map_err(|reason| SopsError::malformed(path.display(), reason))?;
        let kind = LeafType::parse(&sealed.kind).ok_or_else(|| SopsError::UnsupportedType {
            path: path.display(),
            value_type: sealed.kind.clone(),
        })?;
        let plaintext = self
            .key
            .open(&sealed, path.aad().as_bytes())
            .ok_or_else(|| SopsError::DecryptFailed {
                path: path.display(),
            })?;
        if kind == LeafType::Comment {
            // sops turns these back into YAML comments; they are never in the MAC.
            return if in_list {
                Ok(None)
            } else {
                Err(SopsError::UnsupportedType {
                    path: path.display(),
                    value_type: "comment".to_string(),
                })
            };
        }
        let leaf = decode_leaf(kind, &plaintext).map_err(|err| match err {
            DecodeError::Invalid(reason) => SopsError::malformed(
                path.display(),
                format!("it decrypts to an invalid `{}` value: {reason}", kind.tag()),
            ),
            DecodeError::Unrepresentable(reason) => SopsError::UnsupportedValue {
                path: path.display(),
                reason,
            },
        })?;
        self.hasher.update(&leaf.mac_bytes);
        self.legacy.update(&leaf.mac_bytes);
        Ok(Some(leaf.value))
    }
}

/// Trims one trailing copy of `suffix` from every object key, at any depth;
/// an object that holds a key both with and without the suffix is an error
/// (one of them would be lost). `pointer` is where `value` is.
fn strip_suffix(value: Value, suffix: &str, pointer: &mut String) -> Result<Value, SopsError> {
    let len = pointer.len();
    match value {
        Value::Object(map) => {
            let mut out = Map::with_capacity(map.len());
            let stripped: Vec<String> = map
                .keys()
                .filter_map(|k| k.strip_suffix(suffix).map(str::to_string))
                .collect();
            for key in &stripped {
                if map.contains_key(key) {
                    return Err(SopsError::SuffixCollision {
                        path: format!("{pointer}/{}", crate::names::escape_token(key)),
                        suffix: suffix.to_string(),
                    });
                }
            }
            for (k, v) in map {
                pointer.push('/');
                pointer.push_str(&crate::names::escape_token(&k));
                let key = k.strip_suffix(suffix).map(str::to_string).unwrap_or(k);
                out.insert(key, strip_suffix(v, suffix, pointer)?);
                pointer.truncate(len);
            }
            Ok(Value::Object(out))
        }
        Value::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.into_iter().enumerate() {
                pointer.push_str(&format!("/{i}"));
                out.push(strip_suffix(item, suffix, pointer)?);
                pointer.truncate(len);
            }
            Ok(Value::Array(out))
        }
        other => Ok(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn strips_one_copy_at_every_depth() {
        let doc = json!({
            "a_sops_sops": 1,
            "b_sops": {"inner_sops": [{"deep_sops": "x", "plain": "y"}]},
            "c": "z",
        });
        let strip = |doc, suffix| strip_suffix(doc, suffix, &mut String::new());
        assert_eq!(
            strip(doc, "_sops").unwrap(),
            json!({"a_sops": 1, "b": {"inner": [{"deep": "x", "plain": "y"}]}, "c": "z"})
        );
        assert_eq!(
            strip(json!({"s1-sops": 1}), "-sops").unwrap(),
            json!({"s1": 1})
        );
    }

    #[test]
    fn a_key_both_with_and_without_the_suffix_is_an_error() {
        let doc = json!({"db": [{"password": "a", "password_sops": "b"}]});
        let err = strip_suffix(doc, "_sops", &mut String::new()).unwrap_err();
        assert_eq!(err.code(), "sops_suffix_collision");
        assert_eq!(
            err.to_string(),
            "cannot strip the suffix `_sops` at `/db/0/password`: the object has both \
             `password` and `password_sops`, and one would be lost; decrypt without \
             stripping the suffix"
        );
    }
}
