//! Random secrets for sessions, tokens and CSRF, and the hash they are
//! stored under.

use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// A random secret for tokens: 32 bytes, URL-safe base64.
pub fn new_secret() -> String {
    let mut b = [0u8; 32];
    rand::rng().fill_bytes(&mut b);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
}

/// Tokens are stored only as their SHA-256, so a database leak does not leak sessions.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}
