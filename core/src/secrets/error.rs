//! The one error type of the sops engine, with a stable `code()` per kind.

use std::io;
use std::path::PathBuf;

use crate::codes;

// Maintainer note: messages must never contain a plaintext value, a data key or an
// identity. Paths, recipients (public keys), file names and counts are fine.

/// # Why a sops operation failed
///
/// Every variant has a stable slug from [`SopsError::code`] that is never renamed or
/// reused, and a message that names the place (a value's path such as
/// `credentials.access_token`, a metadata field, a file) and the reason. Messages never
/// contain a secret: no plaintext, no data key, no identity.
///
/// ```
/// use flowspec::secrets::{decrypt, DecryptOptions, Identities, SopsError};
///
/// let plain = serde_json::json!({"token": "x"});
/// let err = decrypt(&plain, &Identities::new(), &DecryptOptions::default()).unwrap_err();
/// assert!(matches!(err, SopsError::MissingMetadata));
/// assert_eq!(err.code(), "sops_missing_metadata");
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SopsError {
    /// No age identity was configured anywhere.
    #[error(
        "no age identity found: set SOPS_AGE_KEY, SOPS_AGE_KEY_FILE or SOPS_AGE_KEY_CMD, \
         or create {default_file}"
    )]
    NoIdentity {
        /// The default key file that was looked for.
        default_file: String,
    },

    /// Identities exist, but none of them opens any `sops.age[]` entry.
    #[error(
        "no age identity matches a recipient of this file ({available} identities tried); \
         it is encrypted to: {}{}",
        list_or_none(recipients),
        other_key_note(other_key_types)
    )]
    NoMatchingIdentity {
        /// The recipients the file is encrypted to (public keys).
        recipients: Vec<String>,
        /// How many identities were tried.
        available: usize,
        /// Other key types in the file that flowspec cannot use (`gcp_kms`, `pgp`, ...).
        other_key_types: Vec<String>,
    },

    /// The document's MAC does not match its content.
    #[error("MAC mismatch: {detail}")]
    MacMismatch {
        /// What did not match.
        detail: String,
    },

    /// An `ENC[...]` value failed to decrypt (wrong key, or the value, its path or its
    /// type was changed).
    #[error(
        "value at `{path}` could not be decrypted: the value, its key path or its type was \
         modified, or it was encrypted with another data key"
    )]
    DecryptFailed {
        /// The value's path, e.g. `credentials.access_token`.
        path: String,
    },

    /// A value that must be an `ENC[AES256_GCM,...]` string is not well formed.
    #[error("malformed encrypted value at `{path}`: {reason}")]
    MalformedValue {
        /// The value's path.
        path: String,
        /// What is wrong with it.
        reason: String,
    },

    /// An `ENC[...]` value records a type this engine cannot decode.
    #[error("unsupported value type `{value_type}` at `{path}`")]
    UnsupportedType {
        /// The value's path.
        path: String,
        /// The `type:` recorded in the value.
        value_type: String,
    },

    /// A value cannot be represented (for example a non-finite float in JSON).
    #[error("unsupported value at `{path}`: {reason}")]
    UnsupportedValue {
        /// The value's path.
        path: String,
        /// Why it cannot be represented.
        reason: String,
    },

    /// The metadata names more than one encryption rule.
    #[error(
        "the sops metadata has more than one encryption rule ({}); sops allows only one per file",
        rules.join(", ")
    )]
    MultipleRules {
        /// The rule keys that were present.
        rules: Vec<String>,
    },

    /// The metadata uses a rule this engine does not implement (the comment regexes).
    #[error("the sops metadata uses `{rule}`, which flowspec does not support")]
    UnsupportedRule {
        /// The rule key.
        rule: String,
    },

    /// The file splits its data key over several key groups (Shamir secret sharing).
    #[error(
        "the file uses {groups} key groups (Shamir secret sharing), which flowspec does not \
         support; re-encrypt it with a single group of age recipients"
    )]
    KeyGroups {
        /// The number of key groups.
        groups: usize,
    },

    /// The document has no top-level `sops` object.
    #[error("the document has no `sops` metadata object: it is not sops-encrypted")]
    MissingMetadata,

    /// A metadata field is missing or has the wrong shape.
    #[error("invalid sops metadata field `sops.{field}`: {reason}")]
    InvalidMetadata {
        /// The field name below `sops`.
        field: String,
        /// What is wrong.
        reason: String,
    },

    /// The metadata has no age key entries at all.
    #[error(
        "the sops metadata lists no age recipients{}",
        other_key_note(other_key_types)
    )]
    NoAgeKeys {
        /// Other key types in the file that flowspec cannot use.
        other_key_types: Vec<String>,
    },

    /// The plaintext document already has a top-level `sops` key.
    #[error(
        "the document already has a top-level `sops` key, which is reserved for sops metadata \
         (is it encrypted already?)"
    )]
    ReservedKey,

    /// A sops document must be an object at the top level.
    #[error("a sops document must be an object at the top level, found {found}")]
    NotAnObject {
        /// What was found instead.
        found: &'static str,
    },

    /// No recipient to encrypt to.
    #[error(
        "no age recipients: pass them explicitly, set SOPS_AGE_RECIPIENTS, or add an `age` \
         creation rule to .sops.yaml"
    )]
    NoRecipients,

    /// A recipient string could not be used.
    #[error("invalid age recipient `{recipient}`: {reason}")]
    InvalidRecipient {
        /// The recipient as given (a public key).
        recipient: String,
        /// Why it was rejected.
        reason: String,
    },

    /// Key text holds something that is not a usable identity. The key itself is never
    /// shown.
    #[error("invalid age identity in {origin}, line {line}: {reason}")]
    InvalidIdentity {
        /// Where the text came from (`SOPS_AGE_KEY`, a file path, ...).
        origin: String,
        /// The 1-based line number.
        line: usize,
        /// Why it was rejected.
        reason: String,
    },

    /// An encryption regex does not compile.
    #[error("invalid regex `{pattern}` for {rule}: {reason}")]
    InvalidRegex {
        /// The rule key (`encrypted_regex`, `path_regex`, ...).
        rule: String,
        /// The pattern.
        pattern: String,
        /// The compiler's message.
        reason: String,
    },

    /// A rule's suffix or pattern is empty (sops would read that as "no rule").
    #[error("the {rule} rule needs a non-empty value")]
    EmptyRule {
        /// The rule key.
        rule: String,
    },

    /// `SOPS_AGE_KEY_CMD` could not be parsed or run, or it failed.
    #[error("SOPS_AGE_KEY_CMD `{command}` failed: {reason}")]
    KeyCommand {
        /// The command line.
        command: String,
        /// What went wrong (never the command's output).
        reason: String,
    },

    /// Reading or writing a file failed.
    #[error("cannot {action} `{}`: {source}", path.display())]
    Io {
        /// What was being done (`read`, `write`, ...).
        action: &'static str,
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: io::Error,
    },

    /// A JSON or YAML text does not parse.
    #[error("invalid {format} in {origin}: {reason}")]
    Parse {
        /// `JSON` or `YAML`.
        format: &'static str,
        /// Where the text came from.
        origin: String,
        /// The parser's message.
        reason: String,
    },

    /// A file's format cannot be told from its name.
    #[error(
        "cannot tell the format of `{}` from its extension; say json or yaml explicitly",
        path.display()
    )]
    UnknownFormat {
        /// The file.
        path: PathBuf,
    },

    /// A format name is not `json` or `yaml`.
    #[error("unsupported sops file format `{name}`; expected json or yaml")]
    UnsupportedFormat {
        /// The name given.
        name: String,
    },

    /// A `.sops.yaml` is malformed or asks for something unsupported.
    #[error("invalid sops config `{}`: {reason}", path.display())]
    Config {
        /// The config file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },

    /// Refused to replace an existing identity file.
    #[error("identity file `{}` already exists; refusing to overwrite it", path.display())]
    IdentityFileExists {
        /// The file.
        path: PathBuf,
    },

    /// An age entry opened but does not hold a 32-byte data key.
    #[error("the age entry for {recipient} does not hold a 32-byte sops data key")]
    InvalidDataKey {
        /// The entry's recipient.
        recipient: String,
    },

    /// Wrapping the data key for a recipient failed.
    #[error("age encryption to {recipient} failed: {reason}")]
    AgeEncrypt {
        /// The recipient.
        recipient: String,
        /// What went wrong.
        reason: String,
    },
    /// Stripping the encrypted suffix would merge two keys of one object.
    #[error(
        "cannot strip the suffix `{suffix}` at `{path}`: the object has both `{key}` and \
         `{key}{suffix}`, and one would be lost; decrypt without stripping the suffix",
        key = path.rsplit('/').next().unwrap_or_default()
    )]
    SuffixCollision {
        /// The JSON pointer of the key without the suffix.
        path: String,
        /// The suffix.
        suffix: String,
    },
}

impl SopsError {
    /// The stable slug of this kind of error.
    ///
    /// ```
    /// use flowspec::secrets::SopsError;
    /// assert_eq!(SopsError::ReservedKey.code(), "sops_reserved_key");
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            SopsError::NoIdentity { .. } => codes::SOPS_NO_IDENTITY,
            SopsError::NoMatchingIdentity { .. } => codes::SOPS_NO_MATCHING_IDENTITY,
            SopsError::MacMismatch { .. } => codes::SOPS_MAC_MISMATCH,
            SopsError::DecryptFailed { .. } => codes::SOPS_DECRYPT_FAILED,
            SopsError::MalformedValue { .. } => codes::SOPS_MALFORMED_VALUE,
            SopsError::UnsupportedType { .. } => codes::SOPS_UNSUPPORTED_TYPE,
            SopsError::UnsupportedValue { .. } => codes::SOPS_UNSUPPORTED_VALUE,
            SopsError::MultipleRules { .. } => codes::SOPS_MULTIPLE_RULES,
            SopsError::UnsupportedRule { .. } => codes::SOPS_UNSUPPORTED_RULE,
            SopsError::KeyGroups { .. } => codes::SOPS_KEY_GROUPS,
            SopsError::MissingMetadata => codes::SOPS_MISSING_METADATA,
            SopsError::InvalidMetadata { .. } => codes::SOPS_INVALID_METADATA,
            SopsError::NoAgeKeys { .. } => codes::SOPS_NO_AGE_KEYS,
            SopsError::ReservedKey => codes::SOPS_RESERVED_KEY,
            SopsError::NotAnObject { .. } => codes::SOPS_NOT_AN_OBJECT,
            SopsError::NoRecipients => codes::SOPS_NO_RECIPIENTS,
            SopsError::InvalidRecipient { .. } => codes::SOPS_INVALID_RECIPIENT,
            SopsError::InvalidIdentity { .. } => codes::SOPS_INVALID_IDENTITY,
            SopsError::InvalidRegex { .. } => codes::SOPS_INVALID_REGEX,
            SopsError::EmptyRule { .. } => codes::SOPS_EMPTY_RULE,
            SopsError::KeyCommand { .. } => codes::SOPS_KEY_COMMAND,
            SopsError::Io { .. } => codes::SOPS_IO,
            SopsError::Parse { .. } => codes::SOPS_PARSE,
            SopsError::UnknownFormat { .. } => codes::SOPS_UNKNOWN_FORMAT,
            SopsError::UnsupportedFormat { .. } => codes::SOPS_UNSUPPORTED_FORMAT,
            SopsError::Config { .. } => codes::SOPS_CONFIG,
            SopsError::IdentityFileExists { .. } => codes::SOPS_IDENTITY_FILE_EXISTS,
            SopsError::InvalidDataKey { .. } => codes::SOPS_INVALID_DATA_KEY,
            SopsError::AgeEncrypt { .. } => codes::SOPS_AGE_ENCRYPT,
            SopsError::SuffixCollision { .. } => codes::SOPS_SUFFIX_COLLISION,
        }
    }

    pub(crate) fn io(action: &'static str, path: impl Into<PathBuf>, source: io::Error) -> Self {
        SopsError::Io {
            action,
            path: path.into(),
            source,
        }
    }

    pub(crate) fn metadata(field: &str, reason: impl Into<String>) -> Self {
        SopsError::InvalidMetadata {
            field: field.to_string(),
            reason: reason.into(),
        }
    }

    pub(crate) fn malformed(path: impl Into<String>, reason: impl Into<String>) -> Self {
        SopsError::MalformedValue {
            path: path.into(),
            reason: reason.into(),
        }
    }
}

fn list_or_none(items: &[String]) -> String {
    if items.is_empty() {
        "(no age recipients)".to_string()
    } else {
        items.join(", ")
    }
}

fn other_key_note(other: &[String]) -> String {
    if other.is_empty() {
        String::new()
    } else {
        format!(
            "; it also has {} keys, which flowspec cannot use",
            other.join(", ")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_variant_has_its_own_registered_code() {
        let samples = vec![
            SopsError::NoIdentity {
                default_file: "k".into(),
            },
            SopsError::NoMatchingIdentity {
                recipients: vec![],
                available: 0,
                other_key_types: vec![],
            },
            SopsError::MacMismatch { detail: "d".into() },
            SopsError::DecryptFailed { path: "a".into() },
            SopsError::malformed("a", "r"),
            SopsError::UnsupportedType {
                path: "a".into(),
                value_type: "t".into(),
            },
            SopsError::UnsupportedValue {
                path: "a".into(),
                reason: "r".into(),
            },
            SopsError::MultipleRules { rules: vec![] },
            SopsError::UnsupportedRule { rule: "r".into() },
            SopsError::KeyGroups { groups: 2 },
            SopsError::MissingMetadata,
            SopsError::metadata("mac", "r"),
            SopsError::NoAgeKeys {
                other_key_types: vec![],
            },
            SopsError::ReservedKey,
            SopsError::NotAnObject { found: "an array" },
            SopsError::NoRecipients,
            SopsError::InvalidRecipient {
                recipient: "x".into(),
                reason: "r".into(),
            },
            SopsError::InvalidIdentity {
                origin: "o".into(),
                line: 1,
                reason: "r".into(),
            },
            SopsError::InvalidRegex {
                rule: "r".into(),
                pattern: "p".into(),
                reason: "r".into(),
            },
            SopsError::EmptyRule { rule: "r".into() },
            SopsError::KeyCommand {
                command: "c".into(),
                reason: "r".into(),
            },
            SopsError::io("read", "/x", io::Error::other("e")),
            SopsError::Parse {
                format: "JSON",
                origin: "o".into(),
                reason: "r".into(),
            },
            SopsError::UnknownFormat { path: "x".into() },
            SopsError::UnsupportedFormat { name: "x".into() },
            SopsError::Config {
                path: "x".into(),
                reason: "r".into(),
            },
            SopsError::IdentityFileExists { path: "x".into() },
            SopsError::InvalidDataKey {
                recipient: "r".into(),
            },
            SopsError::AgeEncrypt {
                recipient: "r".into(),
                reason: "e".into(),
            },
            SopsError::SuffixCollision {
                path: "/a".into(),
                suffix: "_sops".into(),
            },
        ];
        // One variant per code, and every sops code of the registry has its variant.
        let codes: Vec<&str> = samples.iter().map(SopsError::code).collect();
        let registry: Vec<&str> = codes::REGISTRY
            .iter()
            .filter(|c| c.group == codes::Group::Sops)
            .map(|c| c.code)
            .collect();
        assert_eq!(codes, registry);
    }

    #[test]
    fn messages_name_what_failed() {
        let cases = [
            (
                SopsError::DecryptFailed {
                    path: "credentials.access_token".into(),
                },
                "value at `credentials.access_token` could not be decrypted",
            ),
            (
                SopsError::NoMatchingIdentity {
                    recipients: vec!["age1abc".into()],
                    available: 2,
                    other_key_types: vec!["gcp_kms".into()],
                },
                "it is encrypted to: age1abc; it also has gcp_kms keys",
            ),
            (
                SopsError::MultipleRules {
                    rules: vec!["encrypted_suffix".into(), "unencrypted_suffix".into()],
                },
                "(encrypted_suffix, unencrypted_suffix)",
            ),
        ];
        for (err, expected) in cases {
            let msg = err.to_string();
            assert!(msg.contains(expected), "{msg:?} lacks {expected:?}");
        }
    }
}
