//! Which values get encrypted: the one rule a sops file carries.

use regex::Regex;

use super::SopsError;

pub use crate::redact::ESTUARY_SUFFIX;

/// The rule sops uses when none is given (`unencrypted_suffix: _unencrypted`).
///
/// ```
/// assert_eq!(flowspec::secrets::DEFAULT_UNENCRYPTED_SUFFIX, "_unencrypted");
/// ```
pub const DEFAULT_UNENCRYPTED_SUFFIX: &str = "_unencrypted";

/// # Which values a sops file encrypts
///
/// A value's *path* is the list of object keys from the root to it (array indices are not
/// part of it). Each rule tests **every key on the path**, so a rule that matches an
/// ancestor covers everything below it. Regexes are unanchored searches (write
/// `^(data|stringData)$` to match whole keys). A file carries exactly one rule; the
/// default is `unencrypted_suffix: _unencrypted`.
///
/// ```
/// use flowspec::secrets::EncryptionRule;
///
/// let rule = EncryptionRule::estuary();
/// assert_eq!(rule, EncryptionRule::EncryptedSuffix("_sops".into()));
/// assert_eq!(rule.metadata_key(), "encrypted_suffix");
/// assert_eq!(EncryptionRule::default().value(), "_unencrypted");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EncryptionRule {
    /// Encrypt only values with a path key ending in this suffix.
    EncryptedSuffix(String),
    /// Encrypt every value, except those with a path key ending in this suffix.
    UnencryptedSuffix(String),
    /// Encrypt only values with a path key matching this regex.
    EncryptedRegex(String),
    /// Encrypt every value, except those with a path key matching this regex.
    UnencryptedRegex(String),
}

impl Default for EncryptionRule {
    fn default() -> Self {
        EncryptionRule::UnencryptedSuffix(DEFAULT_UNENCRYPTED_SUFFIX.to_string())
    }
}

impl EncryptionRule {
    /// Estuary's convention for connector configs: `encrypted_suffix: _sops`.
    ///
    /// ```
    /// use flowspec::secrets::EncryptionRule;
    /// assert_eq!(EncryptionRule::estuary().value(), "_sops");
    /// ```
    pub fn estuary() -> Self {
        EncryptionRule::EncryptedSuffix(ESTUARY_SUFFIX.to_string())
    }

    /// The key this rule is stored under in the `sops` metadata and in `.sops.yaml`.
    ///
    /// ```
    /// use flowspec::secrets::EncryptionRule;
    /// let rule = EncryptionRule::UnencryptedRegex("^public$".into());
    /// assert_eq!(rule.metadata_key(), "unencrypted_regex");
    /// ```
    pub fn metadata_key(&self) -> &'static str {
        match self {
            EncryptionRule::EncryptedSuffix(_) => "encrypted_suffix",
            EncryptionRule::UnencryptedSuffix(_) => "unencrypted_suffix",
            EncryptionRule::EncryptedRegex(_) => "encrypted_regex",
            EncryptionRule::UnencryptedRegex(_) => "unencrypted_regex",
        }
    }

    /// The suffix or pattern.
    ///
    /// ```
    /// use flowspec::secrets::EncryptionRule;
    /// assert_eq!(EncryptionRule::EncryptedRegex("^secret".into()).value(), "^secret");
    /// ```
    pub fn value(&self) -> &str {
        match self {
            EncryptionRule::EncryptedSuffix(v)
            | EncryptionRule::UnencryptedSuffix(v)
            | EncryptionRule::EncryptedRegex(v)
            | EncryptionRule::UnencryptedRegex(v) => v,
        }
    }

    /// Builds a rule from its metadata key and value, if the key names one of the four
    /// rules.
    ///
    /// ```
    /// use flowspec::secrets::EncryptionRule;
    /// let rule = EncryptionRule::from_key("encrypted_suffix", "_sops");
    /// assert_eq!(rule, Some(EncryptionRule::estuary()));
    /// assert_eq!(EncryptionRule::from_key("mac", "x"), None);
    /// ```
    pub fn from_key(key: &str, value: &str) -> Option<Self> {
        let value = value.to_string();
        Some(match key {
            "encrypted_suffix" => EncryptionRule::EncryptedSuffix(value),
            "unencrypted_suffix" => EncryptionRule::UnencryptedSuffix(value),
            "encrypted_regex" => EncryptionRule::EncryptedRegex(value),
            "unencrypted_regex" => EncryptionRule::UnencryptedRegex(value),
            _ => return None,
        })
    }

    /// The metadata keys that name a rule, in sops' order. The comment-regex rules are
    /// recognised (so a file using them is rejected clearly) but not implemented.
    pub(crate) const KEYS: [&'static str; 6] = [
        "unencrypted_suffix",
        "encrypted_suffix",
        "unencrypted_regex",
        "encrypted_regex",
        "unencrypted_comment_regex",
        "encrypted_comment_regex",
    ];

    pub(crate) fn compile(&self) -> Result<Selector, SopsError> {
        let regex = |pattern: &str| {
            Regex::new(pattern).map_err(|err| SopsError::InvalidRegex {
                rule: self.metadata_key().to_string(),
                pattern: pattern.to_string(),
                reason: err.to_string(),
            })
        };
        if self.value().is_empty() {
            return Err(SopsError::EmptyRule {
                rule: self.metadata_key().to_string(),
            });
        }
        Ok(match self {
            EncryptionRule::EncryptedSuffix(s) => Selector::EncryptedSuffix(s.clone()),
            EncryptionRule::UnencryptedSuffix(s) => Selector::UnencryptedSuffix(s.clone()),
            EncryptionRule::EncryptedRegex(p) => Selector::EncryptedRegex(regex(p)?),
            EncryptionRule::UnencryptedRegex(p) => Selector::UnencryptedRegex(regex(p)?),
        })
    }
}

/// A compiled [`EncryptionRule`].
#[derive(Debug)]
pub(crate) enum Selector {
    EncryptedSuffix(String),
    UnencryptedSuffix(String),
    EncryptedRegex(Regex),
    UnencryptedRegex(Regex),
}

impl Selector {
    /// sops' `shouldBeEncrypted`: `keys` are the object keys from the root to the leaf.
    pub(crate) fn encrypts(&self, keys: &[&str]) -> bool {
        match self {
            Selector::UnencryptedSuffix(s) => !keys.iter().any(|k| k.ends_with(s.as_str())),
            Selector::EncryptedSuffix(s) => keys.iter().any(|k| k.ends_with(s.as_str())),
            Selector::UnencryptedRegex(r) => !keys.iter().any(|k| r.is_match(k)),
            Selector::EncryptedRegex(r) => keys.iter().any(|k| r.is_match(k)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_test_every_path_key() {
        let cases: &[(EncryptionRule, &[&str], bool)] = &[
            (EncryptionRule::estuary(), &["password_sops"], true),
            (
                EncryptionRule::estuary(),
                &["creds_sops", "inner", "deep"],
                true,
            ),
            (EncryptionRule::estuary(), &["password"], false),
            (EncryptionRule::estuary(), &["sops_password"], false),
            (EncryptionRule::default(), &["a", "b"], true),
            (EncryptionRule::default(), &["a_unencrypted", "b"], false),
            (EncryptionRule::default(), &["a", "b_unencrypted"], false),
            (
                EncryptionRule::EncryptedRegex("^encrypted".into()),
                &["a", "encrypted_1", "x"],
                true,
            ),
            (
                EncryptionRule::EncryptedRegex("^encrypted".into()),
                &["a", "not_encrypted"],
                false,
            ),
            // Unanchored: a match anywhere in the key counts.
            (
                EncryptionRule::EncryptedRegex("secret".into()),
                &["my_secret_key"],
                true,
            ),
            (
                EncryptionRule::UnencryptedRegex("^unencrypted".into()),
                &["a", "unencrypted_1", "c"],
                false,
            ),
            (
                EncryptionRule::UnencryptedRegex("^unencrypted".into()),
                &["a", "encrypted"],
                true,
            ),
            (
                EncryptionRule::UnencryptedRegex("^(data|stringData)$".into()),
                &["metadata"],
                true,
            ),
        ];
        for (rule, keys, expected) in cases {
            let selector = rule.compile().unwrap();
            assert_eq!(selector.encrypts(keys), *expected, "{rule:?} on {keys:?}");
        }
    }

    #[test]
    fn bad_regex_is_reported() {
        let err = EncryptionRule::EncryptedRegex("(".into())
            .compile()
            .unwrap_err();
        assert_eq!(err.code(), "sops_invalid_regex");
        assert!(err
            .to_string()
            .contains("invalid regex `(` for encrypted_regex"));
        let err = EncryptionRule::EncryptedSuffix(String::new())
            .compile()
            .unwrap_err();
        assert_eq!(err.code(), "sops_empty_rule");
    }
}
