//! Time-based one-time passwords (RFC 6238) and single-use recovery codes.
//!
//! The server stores the base32 secret (encrypted at rest is the server's concern) and
//! the last accepted time step per user; passing that step back into [`verify`] is what
//! makes a code unusable twice, even within its 90-second acceptance window.

use rand::RngCore;
use sha2::{Digest, Sha256};
use totp_rs::{Algorithm, Secret, TOTP};
use url::Url;

use crate::error::{IdentityError, Result};

/// Seconds per time step; the value every authenticator app assumes.
pub const STEP_SECS: u64 = 30;
/// Digits per code; the value every authenticator app assumes.
pub const DIGITS: usize = 6;
/// Accepted steps either side of "now", to tolerate clock drift and typing time.
pub const WINDOW: u64 = 1;
/// Number of recovery codes issued at enrolment.
pub const RECOVERY_CODE_COUNT: usize = 10;

/// A fresh enrolment: the secret to store and the URI the client renders as a QR code.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TotpEnrolment {
    /// Base32 (RFC 4648, no padding) encoding of a 160-bit random secret.
    pub secret_base32: String,
    /// `otpauth://totp/...` URI understood by authenticator apps.
    pub otpauth_uri: String,
}

/// Generates a 160-bit secret (the HMAC-SHA1 block recommendation of RFC 4226).
pub fn generate_secret() -> String {
    let mut bytes = [0u8; 20];
    rand::rng().fill_bytes(&mut bytes);
    Secret::Raw(bytes.to_vec()).to_encoded().to_string()
}

/// Builds the enrolment data for `account` (usually the login or email) under `issuer`
/// (the product or site name shown in the authenticator app).
pub fn enrol(issuer: &str, account: &str) -> Result<TotpEnrolment> {
    let secret_base32 = generate_secret();
    let otpauth_uri = otpauth_uri(&secret_base32, issuer, account)?;
    Ok(TotpEnrolment {
        secret_base32,
        otpauth_uri,
    })
}

/// The `otpauth://totp/Issuer:account?secret=...&issuer=...` key URI.
///
/// The issuer appears both as label prefix and parameter, as recommended by the key
/// URI format, so old and new apps group the entry correctly.
pub fn otpauth_uri(secret_base32: &str, issuer: &str, account: &str) -> Result<String> {
    decode_secret(secret_base32)?;
    if issuer.contains(':') {
        return Err(IdentityError::Config {
            field: "totp.issuer".into(),
            detail: "must not contain ':'".into(),
        });
    }
    let label = format!(
        "{}:{}",
        percent_encode_path(issuer),
        percent_encode_path(account)
    );
    let mut url =
        Url::parse(&format!("otpauth://totp/{label}")).map_err(|e| IdentityError::Config {
            field: "totp.account".into(),
            detail: e.to_string(),
        })?;
    url.query_pairs_mut()
        .append_pair("secret", secret_base32)
        .append_pair("issuer", issuer)
        .append_pair("algorithm", "SHA1")
        .append_pair("digits", &DIGITS.to_string())
        .append_pair("period", &STEP_SECS.to_string());
    Ok(url.to_string())
}

fn percent_encode_path(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'@') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn decode_secret(secret_base32: &str) -> Result<Vec<u8>> {
    let cleaned: String = secret_base32
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '=')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let bytes = Secret::Encoded(cleaned)
        .to_bytes()
        .map_err(|e| IdentityError::TotpSecret(e.to_string()))?;
    if bytes.len() < 16 {
        return Err(IdentityError::TotpSecret(format!(
            "secret has {} bits; at least 128 are required",
            bytes.len() * 8
        )));
    }
    Ok(bytes)
}

/// Code for `secret` at unix time `unix_secs`, with the standard parameters.
pub fn code_at(secret_base32: &str, unix_secs: u64) -> Result<String> {
    code_with(
        Algorithm::SHA1,
        DIGITS,
        &decode_secret(secret_base32)?,
        unix_secs,
    )
}

/// Code with explicit algorithm and digit count (RFC 6238 vectors use 8 digits and
/// SHA-256/512 too).
pub fn code_with(
    algorithm: Algorithm,
    digits: usize,
    secret: &[u8],
    unix_secs: u64,
) -> Result<String> {
    let totp = TOTP::new_unchecked(algorithm, digits, 0, STEP_SECS, secret.to_vec());
    Ok(totp.generate(unix_secs))
}

/// Verifies `code` at `unix_secs` within ±[`WINDOW`] steps.
///
/// `last_used_step` is the step returned by the previous successful verification for
/// this user; codes of that step or earlier are refused, so a code observed over a
/// shoulder or replayed from a log cannot be used again. Returns the matched step,
/// which the caller must persist as the new `last_used_step`.
pub fn verify(
    secret_base32: &str,
    code: &str,
    unix_secs: u64,
    last_used_step: Option<u64>,
) -> Result<Option<u64>> {
    let secret = decode_secret(secret_base32)?;
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != DIGITS || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(None);
    }
    let totp = TOTP::new_unchecked(Algorithm::SHA1, DIGITS, 0, STEP_SECS, secret);
    let now_step = unix_secs / STEP_SECS;
    let first = now_step.saturating_sub(WINDOW);
    let mut matched = None;
    for step in first..=now_step + WINDOW {
        let candidate = totp.generate(step * STEP_SECS);
        // Compare every candidate so timing does not reveal which step matched.
        if constant_time_eq(candidate.as_bytes(), code.as_bytes()) && matched.is_none() {
            matched = Some(step);
        }
    }
    Ok(match (matched, last_used_step) {
        (Some(step), Some(last)) if step <= last => None,
        (m, _) => m,
    })
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Recovery codes as shown once to the user, plus the hashes the server stores.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecoveryCodes {
    /// Codes to display (format `xxxx-xxxx-xxxx-xxxx`, 80 random bits each).
    pub plain: Vec<String>,
    /// Lower-case hex SHA-256 of each normalised code, same order as `plain`.
    ///
    /// A fast hash is sufficient because every code carries 80 bits of entropy, which
    /// no offline guessing can cover; it also lets verification be a single lookup.
    pub hashes: Vec<String>,
}

/// 32 symbols without the easily confused `i`, `l`, `o` and `1`: 5 bits per character.
const RECOVERY_ALPHABET: &[u8; 32] = b"abcdefghjkmnpqrstuvwxyz023456789";

/// Generates [`RECOVERY_CODE_COUNT`] fresh recovery codes.
pub fn generate_recovery_codes() -> RecoveryCodes {
    let mut rng = rand::rng();
    let mut plain = Vec::with_capacity(RECOVERY_CODE_COUNT);
    for _ in 0..RECOVERY_CODE_COUNT {
        let mut bytes = [0u8; 16];
        rng.fill_bytes(&mut bytes);
        let chars: Vec<char> = bytes
            .iter()
            .map(|b| RECOVERY_ALPHABET[(b & 31) as usize] as char)
            .collect();
        let code = chars
            .chunks(4)
            .map(|c| c.iter().collect::<String>())
            .collect::<Vec<_>>()
            .join("-");
        plain.push(code);
    }
    let hashes = plain.iter().map(|c| hash_recovery_code(c)).collect();
    RecoveryCodes { plain, hashes }
}

/// Hash of a recovery code as typed by the user (case, spaces and dashes ignored).
pub fn hash_recovery_code(code: &str) -> String {
    let normalised: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    hex::encode(Sha256::digest(normalised.as_bytes()))
}

/// Finds the stored hash matching `code` and returns its index.
///
/// The caller deletes (or marks used) that entry in the same transaction that signs the
/// user in, which is what makes each recovery code single use.
pub fn match_recovery_code(code: &str, unused_hashes: &[String]) -> Option<usize> {
    let hash = hash_recovery_code(code);
    let mut found = None;
    for (i, stored) in unused_hashes.iter().enumerate() {
        if constant_time_eq(stored.as_bytes(), hash.as_bytes()) && found.is_none() {
            found = Some(i);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED20: &[u8] = b"12345678901234567890";
    const SEED32: &[u8] = b"12345678901234567890123456789012";
    const SEED64: &[u8] = b"1234567890123456789012345678901234567890123456789012345678901234";

    /// RFC 6238 Appendix B.
    #[test]
    fn rfc6238_vectors() {
        let vectors: &[(u64, &str, &str, &str)] = &[
            (59, "94287082", "46119246", "90693936"),
            (1111111109, "07081804", "68084774", "25091201"),
            (1111111111, "14050471", "67062674", "99943326"),
            (1234567890, "89005924", "91819424", "93441116"),
            (2000000000, "69279037", "90698825", "38618901"),
            (20000000000, "65353130", "77737706", "47863826"),
        ];
        for (t, sha1, sha256, sha512) in vectors {
            assert_eq!(
                code_with(Algorithm::SHA1, 8, SEED20, *t).unwrap(),
                *sha1,
                "t={t}"
            );
            assert_eq!(
                code_with(Algorithm::SHA256, 8, SEED32, *t).unwrap(),
                *sha256,
                "t={t}"
            );
            assert_eq!(
                code_with(Algorithm::SHA512, 8, SEED64, *t).unwrap(),
                *sha512,
                "t={t}"
            );
        }
    }

    #[test]
    fn six_digit_code_is_rfc_vector_suffix() {
        let b32 = Secret::Raw(SEED20.to_vec()).to_encoded().to_string();
        assert_eq!(code_at(&b32, 59).unwrap(), "287082");
        assert_eq!(code_at(&b32, 1111111109).unwrap(), "081804");
    }

    #[test]
    fn secret_is_160_bits_base32() {
        let s = generate_secret();
        assert_eq!(s.len(), 32);
        assert!(
            s.chars()
                .all(|c| c.is_ascii_uppercase() || ('2'..='7').contains(&c))
        );
        assert_eq!(decode_secret(&s).unwrap().len(), 20);
        assert_ne!(s, generate_secret());
    }

    #[test]
    fn short_or_garbage_secret_is_refused() {
        assert_eq!(
            decode_secret("GEZDGNBV").unwrap_err().code(),
            "totp.invalid_secret"
        );
        assert!(decode_secret("not base32 !!").is_err());
    }

    #[test]
    fn window_and_replay() {
        let s = generate_secret();
        let now = 1_700_000_000u64;
        let step = now / STEP_SECS;
        let prev = code_at(&s, now - STEP_SECS).unwrap();
        let next = code_at(&s, now + STEP_SECS).unwrap();
        let cur = code_at(&s, now).unwrap();
        let too_old = code_at(&s, now - 2 * STEP_SECS).unwrap();
        assert_eq!(verify(&s, &cur, now, None).unwrap(), Some(step));
        assert_eq!(verify(&s, &prev, now, None).unwrap(), Some(step - 1));
        assert_eq!(verify(&s, &next, now, None).unwrap(), Some(step + 1));
        if too_old != cur && too_old != prev && too_old != next {
            assert_eq!(verify(&s, &too_old, now, None).unwrap(), None);
        }
        // Replay of the same code, and of an older code after a newer one, are refused.
        assert_eq!(verify(&s, &cur, now, Some(step)).unwrap(), None);
        assert_eq!(verify(&s, &prev, now, Some(step)).unwrap(), None);
        assert_eq!(verify(&s, &next, now, Some(step)).unwrap(), Some(step + 1));
        // Spaces are tolerated; wrong length and letters are not.
        let spaced = format!("{} {}", &cur[..3], &cur[3..]);
        assert_eq!(verify(&s, &spaced, now, None).unwrap(), Some(step));
        assert_eq!(verify(&s, "12345", now, None).unwrap(), None);
        assert_eq!(verify(&s, "12a456", now, None).unwrap(), None);
    }

    #[test]
    fn uri_has_issuer_account_and_secret() {
        let e = enrol("Hearth Chat", "josé@example.com").unwrap();
        let url = Url::parse(&e.otpauth_uri).unwrap();
        assert_eq!(url.scheme(), "otpauth");
        assert_eq!(url.host_str(), Some("totp"));
        assert_eq!(url.path(), "/Hearth%20Chat:jos%C3%A9@example.com");
        let q: std::collections::HashMap<_, _> = url.query_pairs().into_owned().collect();
        assert_eq!(q["secret"], e.secret_base32);
        assert_eq!(q["issuer"], "Hearth Chat");
        assert_eq!(q["digits"], "6");
        assert_eq!(q["period"], "30");
        assert!(otpauth_uri(&e.secret_base32, "a:b", "x").is_err());
    }

    #[test]
    fn recovery_codes_single_lookup() {
        let codes = generate_recovery_codes();
        assert_eq!(codes.plain.len(), RECOVERY_CODE_COUNT);
        assert_eq!(codes.hashes.len(), RECOVERY_CODE_COUNT);
        for (i, c) in codes.plain.iter().enumerate() {
            assert_eq!(c.len(), 19);
            assert_eq!(match_recovery_code(c, &codes.hashes), Some(i));
            // Typing variations still match.
            let typed = c.to_uppercase().replace('-', " ");
            assert_eq!(match_recovery_code(&typed, &codes.hashes), Some(i));
        }
        // Single use: once the server removes the matched hash, the code no longer works.
        let mut remaining = codes.hashes.clone();
        let i = match_recovery_code(&codes.plain[3], &remaining).unwrap();
        remaining.remove(i);
        assert_eq!(match_recovery_code(&codes.plain[3], &remaining), None);
        assert_eq!(
            match_recovery_code("aaaa-bbbb-cccc-dddd", &codes.hashes),
            None
        );
        let unique: std::collections::HashSet<_> = codes.plain.iter().collect();
        assert_eq!(unique.len(), RECOVERY_CODE_COUNT);
    }
}
