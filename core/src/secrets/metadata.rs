//! The `sops` metadata block: read in every shape sops has written, written as sops ≥ 3.13
//! writes it (all keys sorted alphabetically).

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use super::{EncryptionRule, SopsError};

/// The sops version flowspec writes into `sops.version` (its format is what sops 3.13.x
/// writes: sorted metadata keys, `int` for JSON integers).
///
/// ```
/// assert!(flowspec::secrets::SOPS_VERSION.starts_with("3.13."));
/// ```
pub const SOPS_VERSION: &str = "3.13.3";

/// Key types sops supports besides age. flowspec cannot use them, but mentions them when
/// no age identity matches.
const OTHER_KEY_TYPES: [&str; 6] = ["kms", "gcp_kms", "azure_kv", "hc_vault", "pgp", "hckms"];

/// One `sops.age[]` entry: the data key wrapped for one recipient.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct AgeEntry {
    pub(crate) recipient: String,
    /// The armored age file holding the 32 data-key bytes (ciphertext, not secret).
    pub(crate) enc: String,
}

/// The parts of the metadata that encryption and decryption use.
#[derive(Clone, Debug)]
pub(crate) struct Metadata {
    pub(crate) age: Vec<AgeEntry>,
    pub(crate) lastmodified: String,
    pub(crate) mac: String,
    /// The file's rule; a file without one reads as the default.
    pub(crate) rule: EncryptionRule,
    pub(crate) mac_only_encrypted: bool,
    pub(crate) version: Option<String>,
    pub(crate) other_key_types: Vec<String>,
}

impl Metadata {
    /// Reads the `sops` object of an encrypted document. Accepts any key order, `null` or
    /// empty key lists, unknown keys (Estuary's `overlay`), a missing rule (the default
    /// `unencrypted_suffix: _unencrypted`) and a missing `version`.
    pub(crate) fn from_document(document: &Map<String, Value>) -> Result<Self, SopsError> {
        let sops = match document.get("sops") {
            Some(Value::Object(sops)) => sops,
            // A `sops` key that is not an object is not sops metadata (see is_encrypted).
            _ => return Err(SopsError::MissingMetadata),
        };

        let (age, other_key_types) = Self::keys(sops)?;
        let lastmodified = required_string(sops, "lastmodified")?;
        let mac = required_string(sops, "mac")?;
        let rule = Self::rule(sops)?;
        let mac_only_encrypted = match sops.get("mac_only_encrypted") {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => *b,
            Some(_) => {
                return Err(SopsError::metadata(
                    "mac_only_encrypted",
                    "must be a boolean",
                ))
            }
        };
        let version = match sops.get("version") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            // A YAML reader may have turned `3.10` into a number.
            Some(Value::Number(n)) => Some(n.to_string()),
            Some(_) => return Err(SopsError::metadata("version", "must be a string")),
        };
        Ok(Metadata {
            age,
            lastmodified,
            mac,
            rule,
            mac_only_encrypted,
            version,
            other_key_types,
        })
    }

    /// The age entries, from the top-level lists or from a single key group.
    fn keys(sops: &Map<String, Value>) -> Result<(Vec<AgeEntry>, Vec<String>), SopsError> {
        let age = age_entries(sops.get("age"), "age")?;
        let other = other_key_types(sops);
        if !age.is_empty() || !other.is_empty() {
            return Ok((age, other));
        }
        match sops.get("key_groups") {
            None | Some(Value::Null) => Ok((age, other)),
            Some(Value::Array(groups)) if groups.is_empty() => Ok((age, other)),
            Some(Value::Array(groups)) if groups.len() > 1 => Err(SopsError::KeyGroups {
                groups: groups.len(),
            }),
            Some(Value::Array(groups)) => match &groups[0] {
                Value::Object(group) => Ok((
                    age_entries(group.get("age"), "key_groups[0].age")?,
                    other_key_types(group),
                )),
                _ => Err(SopsError::metadata(
                    "key_groups",
                    "each group must be an object",
                )),
            },
            Some(_) => Err(SopsError::metadata("key_groups", "must be a list")),
        }
    }

    fn rule(sops: &Map<String, Value>) -> Result<EncryptionRule, SopsError> {
        let mut present = Vec::new();
        for key in EncryptionRule::KEYS {
            match sops.get(key) {
                None | Some(Value::Null) => {}
                Some(Value::String(s)) if s.is_empty() => {}
                Some(Value::String(s)) => present.push((key, s.as_str())),
                Some(_) => return Err(SopsError::metadata(key, "must be a string")),
            }
        }
        match present.as_slice() {
            [] => Ok(EncryptionRule::default()),
            [(key, value)] => {
                EncryptionRule::from_key(key, value).ok_or_else(|| SopsError::UnsupportedRule {
                    rule: (*key).to_string(),
                })
            }
            _ => Err(SopsError::MultipleRules {
                rules: present.iter().map(|(k, _)| (*k).to_string()).collect(),
            }),
        }
    }

    /// The additional data the MAC is sealed with: `lastmodified` re-rendered as Go's
    /// RFC 3339 (fractional seconds dropped, a zero offset written `Z`).
    pub(crate) fn mac_aad(&self) -> Result<String, SopsError> {
        let parsed = DateTime::parse_from_rfc3339(self.lastmodified.trim())
            .map_err(|_| SopsError::metadata("lastmodified", "is not an RFC 3339 timestamp"))?;
        let base = parsed.format("%Y-%m-%dT%H:%M:%S").to_string();
        if parsed.offset().local_minus_utc() == 0 {
            Ok(format!("{base}Z"))
        } else {
            Ok(format!("{base}{}", parsed.format("%:z")))
        }
    }

    /// The metadata object as sops ≥ 3.13 writes it: keys sorted alphabetically, age
    /// entries as `{enc, recipient}`, `mac_only_encrypted` only when true.
    pub(crate) fn to_value(&self) -> Value {
        let mut entries: Vec<(&str, Value)> = vec![
            (
                "age",
                Value::Array(
                    self.age
                        .iter()
                        .map(|entry| {
                            let mut m = Map::new();
                            m.insert("enc".into(), Value::String(entry.enc.clone()));
                            m.insert("recipient".into(), Value::String(entry.recipient.clone()));
                            Value::Object(m)
                        })
                        .collect(),
                ),
            ),
            (
                self.rule.metadata_key(),
                Value::String(self.rule.value().to_string()),
            ),
            ("lastmodified", Value::String(self.lastmodified.clone())),
            ("mac", Value::String(self.mac.clone())),
            (
                "version",
                Value::String(self.version.clone().unwrap_or_else(|| SOPS_VERSION.into())),
            ),
        ];
        if self.mac_only_encrypted {
            entries.push(("mac_only_encrypted", Value::Bool(true)));
        }
        entries.sort_by(|a, b| a.0.cmp(b.0));
        Value::Object(
            entries
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
        )
    }
}

/// `lastmodified` for a file written now: UTC, whole seconds, `Z`.
pub(crate) fn now_lastmodified() -> String {
    Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn required_string(sops: &Map<String, Value>, field: &str) -> Result<String, SopsError> {
    match sops.get(field) {
        Some(Value::String(s)) if !s.is_empty() => Ok(s.clone()),
        Some(Value::String(_)) | None | Some(Value::Null) => {
            Err(SopsError::metadata(field, "is missing"))
        }
        Some(_) => Err(SopsError::metadata(field, "must be a string")),
    }
}

fn age_entries(value: Option<&Value>, field: &str) -> Result<Vec<AgeEntry>, SopsError> {
    let list = match value {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(list)) => list,
        Some(_) => return Err(SopsError::metadata(field, "must be a list")),
    };
    list.iter()
        .enumerate()
        .map(|(i, entry)| {
            let text = |name: &str| match entry.get(name) {
                Some(Value::String(s)) if !s.is_empty() => Ok(s.clone()),
                _ => Err(SopsError::metadata(
                    field,
                    format!("entry {i} has no `{name}` string"),
                )),
            };
            Ok(AgeEntry {
                recipient: text("recipient")?.trim().to_string(),
                enc: text("enc")?,
            })
        })
        .collect()
}

fn other_key_types(map: &Map<String, Value>) -> Vec<String> {
    OTHER_KEY_TYPES
        .iter()
        .filter(|key| matches!(map.get(**key), Some(Value::Array(list)) if !list.is_empty()))
        .map(|key| (*key).to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(sops: Value) -> Result<Metadata, SopsError> {
        let doc = json!({ "a": 1, "sops": sops });
        Metadata::from_document(doc.as_object().unwrap())
    }

    fn base() -> Value {
        json!({
            "age": [{"recipient": "age1x", "enc": "-----BEGIN AGE ENCRYPTED FILE-----\n"}],
            "lastmodified": "2025-10-27T20:32:14Z",
            "mac": "ENC[...]",
        })
    }

    #[test]
    fn reads_every_metadata_shape() {
        // ≤ 3.9: null key lists, struct order, no rule written by old rops.
        let old = json!({
            "kms": null, "gcp_kms": null, "azure_kv": null, "hc_vault": null,
            "age": [{"recipient": "age1x", "enc": "E"}],
            "lastmodified": "2024-12-25T09:03:17Z", "mac": "M", "pgp": null,
            "unencrypted_suffix": "_unencrypted", "version": "3.9.2",
        });
        let m = parse(old).unwrap();
        assert_eq!(m.age.len(), 1);
        assert_eq!(m.rule, EncryptionRule::default());
        assert_eq!(m.version.as_deref(), Some("3.9.2"));
        assert!(m.other_key_types.is_empty());

        // No rule, no version, unknown keys, empty lists.
        let mut v = base();
        v["overlay"] = json!({"x": 1});
        v["pgp"] = json!([]);
        let m = parse(v).unwrap();
        assert_eq!(m.rule, EncryptionRule::default());
        assert_eq!(m.version, None);
        assert!(!m.mac_only_encrypted);

        let mut v = base();
        v["encrypted_regex"] = json!("^enc");
        v["mac_only_encrypted"] = json!(true);
        v["gcp_kms"] = json!([{"resource_id": "x", "enc": "y"}]);
        let m = parse(v).unwrap();
        assert_eq!(m.rule, EncryptionRule::EncryptedRegex("^enc".into()));
        assert!(m.mac_only_encrypted);
        assert_eq!(m.other_key_types, vec!["gcp_kms".to_string()]);
    }

    #[test]
    fn rejects_what_sops_rejects() {
        let mut two = base();
        two["encrypted_suffix"] = json!("_sops");
        two["unencrypted_suffix"] = json!("_unencrypted");
        let err = parse(two).unwrap_err();
        assert_eq!(err.code(), "sops_multiple_rules");
        assert!(err
            .to_string()
            .contains("unencrypted_suffix, encrypted_suffix"));

        let mut comment = base();
        comment["encrypted_comment_regex"] = json!("sops:enc");
        assert_eq!(parse(comment).unwrap_err().code(), "sops_unsupported_rule");

        let groups = json!({
            "key_groups": [{"age": [{"recipient": "a", "enc": "b"}]}, {"age": []}],
            "shamir_threshold": 2, "lastmodified": "2025-01-01T00:00:00Z", "mac": "M",
        });
        let err = parse(groups).unwrap_err();
        assert_eq!(err.code(), "sops_key_groups");
        assert!(err.to_string().contains("2 key groups"));

        let mut no_mac = base();
        no_mac.as_object_mut().unwrap().remove("mac");
        assert_eq!(
            parse(no_mac).unwrap_err().to_string(),
            "invalid sops metadata field `sops.mac`: is missing"
        );

        let doc = json!({"a": 1});
        let err = Metadata::from_document(doc.as_object().unwrap()).unwrap_err();
        assert_eq!(err.code(), "sops_missing_metadata");
    }

    #[test]
    fn single_key_group_is_fine() {
        let v = json!({
            "key_groups": [{"age": [{"recipient": "age1g", "enc": "E"}]}],
            "lastmodified": "2025-01-01T00:00:00Z", "mac": "M",
        });
        assert_eq!(parse(v).unwrap().age[0].recipient, "age1g");
    }

    #[test]
    fn mac_aad_is_go_rfc3339() {
        let cases = [
            ("2025-10-27T20:32:14Z", "2025-10-27T20:32:14Z"),
            ("2025-10-27T20:32:14.123456Z", "2025-10-27T20:32:14Z"),
            ("2025-10-27T20:32:14+00:00", "2025-10-27T20:32:14Z"),
            ("2025-10-27T22:32:14+02:00", "2025-10-27T22:32:14+02:00"),
        ];
        for (stored, aad) in cases {
            let mut v = base();
            v["lastmodified"] = json!(stored);
            assert_eq!(parse(v).unwrap().mac_aad().unwrap(), aad);
        }
        let mut v = base();
        v["lastmodified"] = json!("yesterday");
        assert_eq!(
            parse(v).unwrap().mac_aad().unwrap_err().code(),
            "sops_invalid_metadata"
        );
    }

    #[test]
    fn writes_sorted_keys() {
        let m = Metadata {
            age: vec![AgeEntry {
                recipient: "age1r".into(),
                enc: "E".into(),
            }],
            lastmodified: "2026-01-01T00:00:00Z".into(),
            mac: "M".into(),
            rule: EncryptionRule::estuary(),
            mac_only_encrypted: true,
            version: None,
            other_key_types: vec![],
        };
        let v = m.to_value();
        let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            [
                "age",
                "encrypted_suffix",
                "lastmodified",
                "mac",
                "mac_only_encrypted",
                "version"
            ]
        );
        let entry_keys: Vec<&String> = v["age"][0].as_object().unwrap().keys().collect();
        assert_eq!(entry_keys, ["enc", "recipient"]);
        assert_eq!(v["version"], SOPS_VERSION);
        assert_eq!(now_lastmodified().len(), "2026-01-01T00:00:00Z".len());
    }
}
