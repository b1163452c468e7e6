//! Recipients: the public keys a data key is wrapped for, one armored age file each.

use std::str::FromStr;

use age::x25519;

use super::cipher::DataKey;
use super::metadata::AgeEntry;
use super::SopsError;

/// The environment variable sops reads recipients from when encrypting.
///
/// ```
/// assert_eq!(flowspec::secrets::RECIPIENTS_ENV, "SOPS_AGE_RECIPIENTS");
/// ```
pub const RECIPIENTS_ENV: &str = "SOPS_AGE_RECIPIENTS";

/// Splits a comma-separated recipient list (`--age a,b`, `SOPS_AGE_RECIPIENTS`, or a
/// `.sops.yaml` `age:` string), trimming spaces and dropping empty items.
///
/// ```
/// use flowspec::secrets::split_recipients;
/// assert_eq!(split_recipients(" age1a , age1b,"), vec!["age1a", "age1b"]);
/// ```
pub fn split_recipients(list: &str) -> Vec<String> {
    list.split(',')
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_string)
        .collect()
}

/// The recipients in `SOPS_AGE_RECIPIENTS` (comma-separated), or none.
///
/// ```
/// use flowspec::secrets::recipients_from_env;
/// // Empty unless SOPS_AGE_RECIPIENTS is set.
/// let recipients: Vec<String> = recipients_from_env();
/// # let _ = recipients;
/// ```
pub fn recipients_from_env() -> Vec<String> {
    std::env::var(RECIPIENTS_ENV)
        .map(|list| split_recipients(&list))
        .unwrap_or_default()
}

/// Parses an X25519 recipient (`age1…`), with a clear message for the kinds sops accepts
/// but flowspec does not.
pub(crate) fn parse_recipient(recipient: &str) -> Result<x25519::Recipient, SopsError> {
    let r = recipient.trim();
    let unsupported = |reason: &str| SopsError::InvalidRecipient {
        recipient: super::redact_identities(r),
        reason: reason.to_string(),
    };
    if r.starts_with("age1pq1") {
        return Err(unsupported(
            "post-quantum (age1pq1) recipients are not supported; use an X25519 age1… key",
        ));
    }
    if r.starts_with("ssh-") {
        return Err(unsupported(
            "SSH recipients are not supported; use an X25519 age1… key",
        ));
    }
    // Bech32 data never contains '1', so a second one means a plugin recipient.
    if r.starts_with("age1") && r.matches('1').count() > 1 {
        return Err(unsupported(
            "age plugin recipients are not supported; use an X25519 age1… key",
        ));
    }
    x25519::Recipient::from_str(r).map_err(unsupported)
}

/// Wraps the data key for each recipient (duplicates removed, order kept): one armored
/// age file of the raw 32 bytes per recipient.
pub(crate) fn wrap_data_key(
    key: &DataKey,
    recipients: &[String],
) -> Result<Vec<AgeEntry>, SopsError> {
    let mut entries: Vec<AgeEntry> = Vec::with_capacity(recipients.len());
    for recipient in recipients {
        let name = recipient.trim();
        if entries.iter().any(|e| e.recipient == name) {
            continue;
        }
        let parsed = parse_recipient(name)?;
        let enc = age::encrypt_and_armor(&parsed, key.as_bytes()).map_err(|err| {
            SopsError::AgeEncrypt {
                recipient: name.to_string(),
                reason: err.to_string(),
            }
        })?;
        entries.push(AgeEntry {
            recipient: name.to_string(),
            enc,
        });
    }
    if entries.is_empty() {
        return Err(SopsError::NoRecipients);
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_unusable_recipients() {
        let cases = [
            ("age1pq1abc", "post-quantum"),
            ("ssh-ed25519 AAAA", "SSH recipients"),
            ("age1yubikey1qwerty", "plugin recipients"),
            ("age1notbech32", "invalid age recipient `age1notbech32`"),
            ("AGE-SECRET-KEY-1XYZ", "invalid age recipient"),
        ];
        for (input, expected) in cases {
            let err = parse_recipient(input).unwrap_err();
            assert_eq!(err.code(), "sops_invalid_recipient");
            assert!(err.to_string().contains(expected), "{input}: {err}");
        }
    }

    #[test]
    fn wraps_once_per_distinct_recipient() {
        let a = age::x25519::Identity::generate().to_public().to_string();
        let b = age::x25519::Identity::generate().to_public().to_string();
        let key = DataKey::generate();
        let entries = wrap_data_key(&key, &[a.clone(), format!(" {b} "), a.clone()]).unwrap();
        assert_eq!(
            entries
                .iter()
                .map(|e| e.recipient.as_str())
                .collect::<Vec<_>>(),
            [a.as_str(), b.as_str()]
        );
        for entry in &entries {
            assert!(entry
                .enc
                .starts_with("-----BEGIN AGE ENCRYPTED FILE-----\n"));
            assert!(entry.enc.ends_with("-----END AGE ENCRYPTED FILE-----\n"));
            assert!(entry.enc.lines().all(|line| line.len() <= 64));
        }
        assert_eq!(
            wrap_data_key(&key, &[]).unwrap_err().code(),
            "sops_no_recipients"
        );
    }
}
