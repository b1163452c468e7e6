//! The data key and the `ENC[AES256_GCM,data:…,iv:…,tag:…,type:…]` values sealed with
//! it: AES-256-GCM with a 32-byte nonce, the key path as additional data.

use std::fmt;

use aes_gcm::aead::consts::U32;
use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::aes::Aes256;
use aes_gcm::AesGcm;
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use rand::rngs::OsRng;
use rand::RngCore;
use zeroize::Zeroizing;

use super::scalar::LeafType;

/// AES-256-GCM with sops' 32-byte IV (GHASH-derived J0).
type SopsGcm = AesGcm<Aes256, U32>;

const IV_LEN: usize = 32;
const TAG_LEN: usize = 16;
const PREFIX: &str = "ENC[AES256_GCM,data:";

/// A file's 32-byte data key. Zeroized on drop; `Debug` never shows it.
pub(crate) struct DataKey(Zeroizing<[u8; 32]>);

impl DataKey {
    /// A fresh random key from the operating system's CSPRNG.
    pub(crate) fn generate() -> Self {
        let mut key = Zeroizing::new([0u8; 32]);
        OsRng.fill_bytes(key.as_mut());
        DataKey(key)
    }

    /// Takes the key out of unwrapped age payload bytes, which must be exactly 32.
    pub(crate) fn from_slice(bytes: &[u8]) -> Option<Self> {
        let array: [u8; 32] = bytes.try_into().ok()?;
        Some(DataKey(Zeroizing::new(array)))
    }

    pub(crate) fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    fn cipher(&self) -> SopsGcm {
        let key: &[u8; 32] = &self.0;
        SopsGcm::new(key.into())
    }

    /// Seals `plaintext` under `aad` with a fresh random IV and renders the `ENC[...]`
    /// string.
    pub(crate) fn seal(&self, plaintext: &[u8], aad: &[u8], kind: LeafType) -> Option<String> {
        let mut iv = [0u8; IV_LEN];
        OsRng.fill_bytes(&mut iv);
        let sealed = self
            .cipher()
            .encrypt(
                (&iv).into(),
                Payload {
                    msg: plaintext,
                    aad,
                },
            )
            .ok()?;
        let (data, tag) = sealed.split_at(sealed.len().checked_sub(TAG_LEN)?);
        Some(format!(
            "ENC[AES256_GCM,data:{},iv:{},tag:{},type:{}]",
            STANDARD.encode(data),
            STANDARD.encode(iv),
            STANDARD.encode(tag),
            kind.tag()
        ))
    }

    /// Opens a parsed value. `None` means authentication failed: wrong key, or the data,
    /// IV, tag, type or additional data was changed.
    pub(crate) fn open(&self, value: &EncValue, aad: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
        let mut sealed = Vec::with_capacity(value.data.len() + TAG_LEN);
        sealed.extend_from_slice(&value.data);
        sealed.extend_from_slice(&value.tag);
        self.cipher()
            .decrypt((&value.iv).into(), Payload { msg: &sealed, aad })
            .ok()
            .map(Zeroizing::new)
    }
}

impl fmt::Debug for DataKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DataKey([REDACTED])")
    }
}

/// A parsed `ENC[...]` value.
#[derive(Debug)]
pub(crate) struct EncValue {
    pub(crate) data: Vec<u8>,
    pub(crate) iv: [u8; IV_LEN],
    pub(crate) tag: [u8; TAG_LEN],
    /// The raw `type:` text; see [`LeafType::parse`].
    pub(crate) kind: String,
}

/// Whether a string is meant to be an encrypted value (sops' regex is anchored at the
/// start only).
pub(crate) fn looks_encrypted(s: &str) -> bool {
    s.starts_with("ENC[")
}

impl EncValue {
    /// Parses `ENC[AES256_GCM,data:<b64>,iv:<b64>,tag:<b64>,type:<t>]`. The error says
    /// what is wrong without echoing the value.
    pub(crate) fn parse(s: &str) -> Result<Self, String> {
        let rest = s.strip_prefix(PREFIX).ok_or_else(|| {
            if looks_encrypted(s) {
                "only AES256_GCM values are supported (expected `ENC[AES256_GCM,data:`)".to_string()
            } else {
                "expected an `ENC[AES256_GCM,...]` string".to_string()
            }
        })?;
        let body = rest
            .strip_suffix(']')
            .ok_or_else(|| "missing the closing `]`".to_string())?;
        let (data, rest) = body
            .split_once(",iv:")
            .ok_or_else(|| "missing `iv:`".to_string())?;
        let (iv, rest) = rest
            .split_once(",tag:")
            .ok_or_else(|| "missing `tag:`".to_string())?;
        let (tag, kind) = rest
            .split_once(",type:")
            .ok_or_else(|| "missing `type:`".to_string())?;
        if data.is_empty() {
            return Err("`data` is empty".to_string());
        }
        if kind.is_empty() {
            return Err("`type` is empty".to_string());
        }
        let decode = |field: &str, text: &str| {
            STANDARD
                .decode(text)
                .map_err(|_| format!("`{field}` is not valid base64"))
        };
        let data = decode("data", data)?;
        let iv_bytes = decode("iv", iv)?;
        let tag_bytes = decode("tag", tag)?;
        let iv: [u8; IV_LEN] = iv_bytes
            .as_slice()
            .try_into()
            .map_err(|_| format!("`iv` must be {IV_LEN} bytes, found {}", iv_bytes.len()))?;
        let tag: [u8; TAG_LEN] = tag_bytes
            .as_slice()
            .try_into()
            .map_err(|_| format!("`tag` must be {TAG_LEN} bytes, found {}", tag_bytes.len()))?;
        Ok(EncValue {
            data,
            iv,
            tag,
            kind: kind.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_then_open() {
        let key = DataKey::generate();
        let enc = key.seal(b"hunter2", b"a:b:", LeafType::Str).unwrap();
        assert!(enc.starts_with("ENC[AES256_GCM,data:"));
        assert!(enc.ends_with(",type:str]"));
        let parsed = EncValue::parse(&enc).unwrap();
        assert_eq!(parsed.kind, "str");
        assert_eq!(parsed.data.len(), 7);
        assert_eq!(key.open(&parsed, b"a:b:").unwrap().as_slice(), b"hunter2");
        // The path is authenticated.
        assert!(key.open(&parsed, b"a:c:").is_none());
        // So is the key.
        assert!(DataKey::generate().open(&parsed, b"a:b:").is_none());
    }

    #[test]
    fn fresh_iv_every_time() {
        let key = DataKey::generate();
        let a = key.seal(b"same", b"k:", LeafType::Str).unwrap();
        let b = key.seal(b"same", b"k:", LeafType::Str).unwrap();
        assert_ne!(a, b);
    }

    #[test]
    fn malformed_values() {
        let iv = STANDARD.encode([0u8; 32]);
        let tag = STANDARD.encode([0u8; 16]);
        let cases = [
            ("plain", "expected an `ENC[AES256_GCM,...]` string"),
            ("ENC[AES128_GCM,data:AA==]", "only AES256_GCM"),
            ("ENC[AES256_GCM,data:AA==,iv:AA==", "closing"),
            (
                "ENC[AES256_GCM,data:AA==,tag:AA==,type:str]",
                "missing `iv:`",
            ),
            (
                &format!("ENC[AES256_GCM,data:,iv:{iv},tag:{tag},type:str]"),
                "`data` is empty",
            ),
            (
                &format!("ENC[AES256_GCM,data:!!,iv:{iv},tag:{tag},type:str]"),
                "`data` is not valid base64",
            ),
            (
                "ENC[AES256_GCM,data:AA==,iv:AAAA,tag:AA==,type:str]",
                "`iv` must be 32 bytes, found 3",
            ),
            (
                &format!("ENC[AES256_GCM,data:AA==,iv:{iv},tag:AA==,type:str]"),
                "`tag` must be 16 bytes, found 1",
            ),
        ];
        for (input, expected) in cases {
            let err = EncValue::parse(input).unwrap_err();
            assert!(err.contains(expected), "{input}: {err}");
        }
    }

    #[test]
    fn debug_is_redacted() {
        let key = DataKey::from_slice(&[7u8; 32]).unwrap();
        assert_eq!(format!("{key:?}"), "DataKey([REDACTED])");
        assert!(DataKey::from_slice(&[7u8; 31]).is_none());
    }
}
