//! # sops + age
//!
//! Encrypts and decrypts JSON documents in the [sops](https://github.com/getsops/sops)
//! format with [age](https://age-encryption.org) X25519 keys, so that files written here
//! open with `sops --decrypt` (and Estuary's runtime), and files sops wrote open here.
//!
//! - [`encrypt`] / [`decrypt`] work on `serde_json::Value` documents (key order is kept:
//!   the MAC depends on it). [`EncryptOptions`] picks recipients, the [`EncryptionRule`]
//!   and `mac_only_encrypted`; [`DecryptOptions`] can strip Estuary's `_sops` suffix.
//! - [`Identities`] holds age secret keys: from text, a key file, or the environment as
//!   sops finds them ([`Identities::discover`]).
//! - [`read_document`] / [`write_document`] / [`render_document`] handle the JSON and
//!   YAML layouts sops writes; [`is_encrypted`] tells an encrypted config apart.
//! - [`SopsConfig`] reads `.sops.yaml`; [`EncryptOptions::resolve`] applies it.
//! - [`write_identity_file`] is `age-keygen -o`.
//!
//! What is written is what sops ≥ 3.13 writes: one random 32-byte data key per file,
//! wrapped for each recipient as an armored age file; each selected value sealed with
//! AES-256-GCM (32-byte IV, the value's key path as additional data) as
//! `ENC[AES256_GCM,data:…,iv:…,tag:…,type:…]`; a SHA-512 MAC over the values, sealed with
//! `lastmodified` as additional data; and the `sops` metadata with sorted keys.
//!
//! Not supported (each is rejected with its own error): key groups / Shamir sharing,
//! the comment-regex rules, non-age key types (KMS, PGP, …), SSH, plugin and
//! post-quantum age keys, passphrase-protected identity files, and multi-document YAML.
//!
//! Nothing here logs, prints or writes a secret: `Debug` of [`Identity`] and
//! [`Identities`] shows public recipients only, data keys are zeroized after use, and no
//! error message contains a plaintext value or a key.
//!
//! ```
//! use flowspec::secrets::{
//!     decrypt, encrypt, render_document, DecryptOptions, EncryptOptions, Identities, Identity,
//! };
//! use flowspec::Format;
//! use serde_json::json;
//!
//! let identity = Identity::generate();
//! let config = json!({"address": "db:5432", "password_sops": "hunter2"});
//! let sealed = encrypt(&config, &EncryptOptions::estuary().recipient(identity.recipient())).unwrap();
//! let text = render_document(&sealed, Format::Yaml);
//! assert!(text.contains("password_sops: ENC[AES256_GCM,data:"));
//!
//! let opened = decrypt(&sealed, &Identities::from(identity), &DecryptOptions::default()).unwrap();
//! assert_eq!(opened, config);
//! ```

mod annotation;
mod catalog;
mod cipher;
mod config;
mod decrypt;
mod encrypt;
mod error;
mod file;
mod identity;
mod json;
mod keygen;
mod mac;
mod marker;
mod metadata;
mod path;
mod recipient;
mod rule;
pub(crate) mod scalar;

#[cfg(test)]
mod testing;
#[cfg(test)]
mod vectors;

pub use crate::redact::redact_identities;
pub use annotation::{marks_secret, SECRET_ANNOTATIONS};
pub(crate) use catalog::{holds_plaintext_secrets, seal_over, unencrypted_configs};
pub use catalog::{misplaced_secrets, open, plaintext_secrets, seal, SealOptions};
pub(crate) use cipher::looks_encrypted;
pub use config::{CreationRule, SopsConfig, CONFIG_ENV, CONFIG_FILE_NAME};
pub use decrypt::{decrypt, DecryptOptions};
pub use encrypt::{encrypt, EncryptOptions};
pub use error::SopsError;
pub use file::{
    decrypt_file, encrypt_file, is_encrypted, parse_document, read_document, render_document,
    write_document,
};
pub use identity::{
    default_key_file, Identities, Identity, KEY_CMD_ENV, KEY_ENV, KEY_FILE_ENV, RECIPIENT_ENV,
};
pub use keygen::write_identity_file;
pub use marker::{
    marked_secret, open_marker, redacted, resolve_markers, secret, ConfigSecrets, Secret, REDACTED,
    SECRET_MARKER,
};
pub use metadata::SOPS_VERSION;
pub use recipient::{recipients_from_env, split_recipients, RECIPIENTS_ENV};
pub use rule::{EncryptionRule, DEFAULT_UNENCRYPTED_SUFFIX, ESTUARY_SUFFIX};
