//! The message authentication code: SHA-512 over every hashed leaf's plaintext bytes, in
//! document order, rendered as uppercase hex.

use sha2::{Digest, Sha256, Sha512};

/// A MAC being computed.
pub(crate) struct MacHasher(Sha512);

impl MacHasher {
    /// With `mac_only_encrypted`, sops first hashes the 32 bytes of SHA-256("sops"), so
    /// such a MAC never equals one over the same values without the flag.
    pub(crate) fn new(mac_only_encrypted: bool) -> Self {
        let mut sha = Sha512::new();
        if mac_only_encrypted {
            sha.update(Sha256::digest(b"sops"));
        }
        MacHasher(sha)
    }

    pub(crate) fn update(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }

    /// The 128 uppercase hex digits sops stores (encrypted) in `sops.mac`.
    pub(crate) fn finish(self) -> String {
        self.0
            .finalize()
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_mac_is_sha512_of_nothing() {
        let mac = MacHasher::new(false).finish();
        assert_eq!(mac.len(), 128);
        assert!(mac.starts_with("CF83E1357EEFB8BDF1542850D66D8007"));
    }

    #[test]
    fn mac_only_encrypted_prefix_is_sops_constant() {
        // sops.go: MACOnlyEncryptedInitialization
        let expected: [u8; 32] = [
            0x8a, 0x3f, 0xd2, 0xad, 0x54, 0xce, 0x66, 0x52, 0x7b, 0x10, 0x34, 0xf3, 0xd1, 0x47,
            0xbe, 0x0b, 0x0b, 0x97, 0x5b, 0x3b, 0xf4, 0x4f, 0x72, 0xc6, 0xfd, 0xad, 0xec, 0x81,
            0x76, 0xf2, 0x7d, 0x69,
        ];
        assert_eq!(Sha256::digest(b"sops").as_slice(), expected);
        let mut plain = MacHasher::new(false);
        plain.update(&expected);
        assert_eq!(plain.finish(), MacHasher::new(true).finish());
    }
}
