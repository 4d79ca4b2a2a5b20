//! TOTP secrets at rest: sealed with ChaCha20-Poly1305 under a key kept
//! outside the database, so a copy of the database (a backup, a dump, a
//! stolen replica) does not yield anyone's second factor.
//!
//! A sealed value reads `v1:<base64 of nonce ‖ ciphertext ‖ tag>`; the
//! account id is the associated data, so a sealed secret moved to another
//! account's row does not open. Plain base32 secrets (from before sealing)
//! never contain `:`, which tells them apart.

use base64::Engine;
use base64::engine::general_purpose::STANDARD_NO_PAD;
use rand::RngCore;
use ring::aead::{Aad, CHACHA20_POLY1305, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};

use crate::error::{IdentityError, Result};

const PREFIX: &str = "v1:";
/// Bytes in a key.
pub const KEY_LEN: usize = 32;

/// The key TOTP secrets are sealed with.
pub struct SealingKey(LessSafeKey);

impl std::fmt::Debug for SealingKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SealingKey([redacted])")
    }
}

fn bad(detail: impl Into<String>) -> IdentityError {
    IdentityError::TotpSecret(detail.into())
}

impl SealingKey {
    pub fn from_bytes(bytes: &[u8]) -> Result<SealingKey> {
        let key = UnboundKey::new(&CHACHA20_POLY1305, bytes)
            .map_err(|_| bad(format!("the sealing key must be {KEY_LEN} bytes")))?;
        Ok(SealingKey(LessSafeKey::new(key)))
    }

    /// A key written as 64 hexadecimal digits (as [`SealingKey::generate_hex`] makes).
    pub fn from_hex(text: &str) -> Result<SealingKey> {
        let bytes = hex::decode(text.trim()).map_err(|_| {
            bad(format!(
                "the sealing key must be {} hex digits",
                KEY_LEN * 2
            ))
        })?;
        SealingKey::from_bytes(&bytes)
    }

    /// A fresh random key as hexadecimal text.
    pub fn generate_hex() -> String {
        let mut bytes = [0u8; KEY_LEN];
        rand::rng().fill_bytes(&mut bytes);
        hex::encode(bytes)
    }

    /// Whether `stored` is already sealed.
    pub fn is_sealed(stored: &str) -> bool {
        stored.starts_with(PREFIX)
    }

    /// Seals `secret` for the account `owner`.
    pub fn seal(&self, owner: &str, secret: &str) -> Result<String> {
        let mut nonce = [0u8; NONCE_LEN];
        rand::rng().fill_bytes(&mut nonce);
        let mut data = secret.as_bytes().to_vec();
        self.0
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(owner.as_bytes()),
                &mut data,
            )
            .map_err(|_| bad("sealing failed"))?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&data);
        Ok(format!("{PREFIX}{}", STANDARD_NO_PAD.encode(out)))
    }

    /// The secret sealed for `owner`; a value stored before sealing existed
    /// comes back as it is.
    pub fn open(&self, owner: &str, stored: &str) -> Result<String> {
        let Some(body) = stored.strip_prefix(PREFIX) else {
            return Ok(stored.to_string());
        };
        let raw = STANDARD_NO_PAD
            .decode(body)
            .map_err(|_| bad("the sealed secret is not base64"))?;
        if raw.len() < NONCE_LEN {
            return Err(bad("the sealed secret is too short"));
        }
        let (nonce, sealed) = raw.split_at(NONCE_LEN);
        let nonce = Nonce::try_assume_unique_for_key(nonce).map_err(|_| bad("bad nonce"))?;
        let mut data = sealed.to_vec();
        let plain = self
            .0
            .open_in_place(nonce, Aad::from(owner.as_bytes()), &mut data)
            .map_err(|_| bad("the sealed secret does not open with this key"))?;
        String::from_utf8(plain.to_vec()).map_err(|_| bad("the sealed secret is not text"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seals_opens_and_refuses_the_wrong_key_or_owner() {
        let key = SealingKey::from_hex(&SealingKey::generate_hex()).unwrap();
        let sealed = key.seal("user-1", "JBSWY3DPEHPK3PXP").unwrap();
        assert!(SealingKey::is_sealed(&sealed));
        assert!(!sealed.contains("JBSWY3DPEHPK3PXP"));
        assert_ne!(sealed, key.seal("user-1", "JBSWY3DPEHPK3PXP").unwrap());
        assert_eq!(key.open("user-1", &sealed).unwrap(), "JBSWY3DPEHPK3PXP");
        assert!(key.open("user-2", &sealed).is_err(), "bound to its account");
        let other = SealingKey::from_hex(&SealingKey::generate_hex()).unwrap();
        assert!(other.open("user-1", &sealed).is_err());
        // Secrets from before sealing read as they are.
        assert!(!SealingKey::is_sealed("JBSWY3DPEHPK3PXP"));
        assert_eq!(
            key.open("user-1", "JBSWY3DPEHPK3PXP").unwrap(),
            "JBSWY3DPEHPK3PXP"
        );
        assert!(SealingKey::from_hex("abcd").is_err());
    }
}
