//! A tamper-evident audit log: each entry carries the SHA-256 of the
//! previous entry, so changing, removing, reordering or inserting entries
//! breaks the chain.
//!
//! # Canonical bytes
//!
//! An entry's hash is `SHA-256(canonical_bytes(entry))`, where the canonical
//! bytes are, in order:
//!
//! 1. the ASCII tag `hearth-audit-v1` followed by a zero byte;
//! 2. `seq` as 8 bytes big-endian;
//! 3. `at` (milliseconds, signed) as 8 bytes big-endian two's complement;
//! 4. `actor`, `action`, `target`, then the canonical JSON of `details`,
//!    each as its UTF-8 byte length (8 bytes big-endian) followed by the bytes;
//! 5. `prev_hash` as 32 raw bytes (all zero for the first entry of a log).
//!
//! Canonical JSON has no whitespace, object keys sorted by their UTF-8 bytes
//! at every depth, strings escaped as `serde_json` escapes them, and numbers
//! written as `serde_json` writes them.
//!
//! Removing entries from the end of a log leaves a valid shorter chain; to
//! catch that, keep the latest `(seq, hash)` somewhere else (for example in
//! the export manifest) and pass it to [`verify_segment`].
//!
//! # Keyed entries
//!
//! Anyone who can write the log can also recompute a plain SHA-256 chain
//! over what they wrote. With an [`AuditKey`] kept where the log's writer
//! cannot read it, an entry's hash is instead `HMAC-SHA256(key,
//! canonical_bytes(entry))` (the same canonical bytes), which cannot be
//! recomputed without the key. A log may switch from plain to keyed hashes at
//! one entry ([`Keyed::from_seq`]): entries before it keep their SHA-256
//! hashes, and it and every later entry are keyed. The switch entry is
//! itself covered by the chain; where it is recorded is up to the log's
//! keeper.
//!
//! Its own crate so the store, which writes the log, and the compliance
//! crate, which exports and verifies it, share it without depending on each
//! other.

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// Milliseconds since the Unix epoch, UTC.
pub type Millis = i64;

/// A SHA-256 digest.
pub type Hash = [u8; 32];

/// The `prev_hash` of the first entry of a log.
pub const GENESIS: Hash = [0; 32];

/// One audit entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub seq: u64,
    pub at: Millis,
    pub actor: String,
    pub action: String,
    pub target: String,
    pub details: Value,
    /// Hash of the previous entry, hex in JSON.
    #[serde(with = "hex_hash")]
    pub prev_hash: Hash,
}

/// Where the chain breaks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("audit chain broken at seq {seq}: {reason}")]
pub struct Tamper {
    pub seq: u64,
    pub reason: String,
}

/// The canonical bytes defined in the module documentation.
pub fn canonical_bytes(entry: &AuditEntry) -> Vec<u8> {
    let mut out = Vec::with_capacity(128);
    out.extend_from_slice(b"hearth-audit-v1\0");
    out.extend_from_slice(&entry.seq.to_be_bytes());
    out.extend_from_slice(&entry.at.to_be_bytes());
    let mut details = String::new();
    canonical_json(&entry.details, &mut details);
    for field in [
        entry.actor.as_str(),
        entry.action.as_str(),
        entry.target.as_str(),
        details.as_str(),
    ] {
        out.extend_from_slice(&(field.len() as u64).to_be_bytes());
        out.extend_from_slice(field.as_bytes());
    }
    out.extend_from_slice(&entry.prev_hash);
    out
}

/// The hash of an entry, which the next entry stores as `prev_hash`.
pub fn entry_hash(entry: &AuditEntry) -> Hash {
    Sha256::digest(canonical_bytes(entry)).into()
}

/// The keyed hash of an entry: HMAC-SHA256 of its canonical bytes under
/// `key` (see "Keyed entries" in the module documentation).
pub fn keyed_entry_hash(key: &AuditKey, entry: &AuditEntry) -> Hash {
    key.mac(&canonical_bytes(entry))
}

/// [`keyed_entry_hash`] with a key, [`entry_hash`] without.
pub fn entry_hash_with(key: Option<&AuditKey>, entry: &AuditEntry) -> Hash {
    match key {
        Some(k) => keyed_entry_hash(k, entry),
        None => entry_hash(entry),
    }
}

/// Hashes `entry` as if its `prev_hash` were `prev`: the chain step.
pub fn chain_hash(prev: &Hash, entry: &AuditEntry) -> Hash {
    if entry.prev_hash == *prev {
        return entry_hash(entry);
    }
    let mut e = entry.clone();
    e.prev_hash = *prev;
    entry_hash(&e)
}

/// The secret that keys entry hashes. It never prints (`Debug` shows
/// `[redacted]`) and is at least [`AuditKey::MIN_LEN`] bytes long.
#[derive(Clone, PartialEq, Eq)]
pub struct AuditKey(Vec<u8>);

/// A key shorter than [`AuditKey::MIN_LEN`] bytes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the audit key must be at least {min} bytes long, this one has {len}")]
pub struct KeyTooShort {
    pub len: usize,
    pub min: usize,
}

impl AuditKey {
    /// The shortest key accepted, in bytes (256 bits, the size of the hash).
    pub const MIN_LEN: usize = 32;

    /// A key made of `bytes` (for a key kept as text, its UTF-8 bytes).
    pub fn new(bytes: impl Into<Vec<u8>>) -> Result<AuditKey, KeyTooShort> {
        let bytes = bytes.into();
        if bytes.len() < Self::MIN_LEN {
            return Err(KeyTooShort {
                len: bytes.len(),
                min: Self::MIN_LEN,
            });
        }
        Ok(AuditKey(bytes))
    }

    /// Names the key without revealing it: 16 hex digits of
    /// `HMAC-SHA256(key, "hearth-audit-key-id")`, so two keys can be told
    /// apart (a wrong key from a changed entry).
    pub fn id(&self) -> String {
        hex::encode(&self.mac(b"hearth-audit-key-id")[..8])
    }

    fn mac(&self, data: &[u8]) -> Hash {
        hmac_sha256(&self.0, data)
    }
}

impl std::fmt::Debug for AuditKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AuditKey([redacted])")
    }
}

fn hmac_sha256(key: &[u8], data: &[u8]) -> Hash {
    #[expect(
        clippy::expect_used,
        reason = "HMAC takes keys of any length: `new_from_slice` cannot fail"
    )]
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC accepts any key length");
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// Where a log switches to keyed hashes, and the key to check them with.
#[derive(Debug, Clone, Copy)]
pub struct Keyed<'a> {
    /// The first keyed entry; every later one is keyed too.
    pub from_seq: u64,
    pub key: &'a AuditKey,
}

impl<'a> Keyed<'a> {
    /// The key that hashes the entry at `seq`, if any.
    pub fn key_for(self, seq: u64) -> Option<&'a AuditKey> {
        (seq >= self.from_seq).then_some(self.key)
    }
}

/// Appends entries with correct sequence numbers and links.
#[derive(Debug, Clone)]
pub struct AuditChain {
    next_seq: u64,
    head: Hash,
    /// Keys every entry appended from now on.
    key: Option<AuditKey>,
}

impl Default for AuditChain {
    fn default() -> Self {
        AuditChain {
            next_seq: 1,
            head: GENESIS,
            key: None,
        }
    }
}

impl AuditChain {
    /// Continues a log whose last entry had `last_seq` and hash `head`.
    pub fn resume(last_seq: u64, head: Hash) -> Self {
        AuditChain {
            next_seq: last_seq.saturating_add(1),
            head,
            key: None,
        }
    }

    /// Keys the entries appended from now on with `key`: the next entry is
    /// the log's [`Keyed::from_seq`].
    pub fn keyed(mut self, key: AuditKey) -> Self {
        self.key = Some(key);
        self
    }

    /// The seq the next entry gets.
    pub fn next_seq(&self) -> u64 {
        self.next_seq
    }

    /// Builds the next entry; the server stores it, in order.
    pub fn append(
        &mut self,
        at: Millis,
        actor: &str,
        action: &str,
        target: &str,
        details: Value,
    ) -> AuditEntry {
        let entry = AuditEntry {
            seq: self.next_seq,
            at,
            actor: actor.to_string(),
            action: action.to_string(),
            target: target.to_string(),
            details,
            prev_hash: self.head,
        };
        self.head = entry_hash_with(self.key.as_ref(), &entry);
        self.next_seq = self.next_seq.saturating_add(1);
        entry
    }

    /// Hash of the last entry appended.
    pub fn head(&self) -> Hash {
        self.head
    }
}

/// Verifies a whole log: sequence numbers start at 1 and increase by one,
/// the first entry links to [`GENESIS`] and each later one to its predecessor.
/// Times are covered by the hashes but not required to increase, since a
/// server clock can step back.
pub fn verify(entries: &[AuditEntry]) -> Result<(), Tamper> {
    verify_segment(entries, (0, GENESIS), None).map(|_| ())
}

/// [`verify`] for a log keyed from `keyed.from_seq` on: the entries before
/// it are checked as SHA-256 and the others as HMAC-SHA256 under the key, so
/// a keyed entry rewritten (or re-chained) without the key breaks the chain.
pub fn verify_keyed(entries: &[AuditEntry], keyed: Keyed<'_>) -> Result<(), Tamper> {
    verify_segment_with(entries, (0, GENESIS), None, Some(keyed)).map(|_| ())
}

/// Verifies entries following a trusted `(seq, hash)` anchor, optionally
/// checking that the last entry hashes to a separately kept `expected_head`
/// (which catches truncation and edits of the last entry). Returns the new
/// head.
pub fn verify_segment(
    entries: &[AuditEntry],
    anchor: (u64, Hash),
    expected_head: Option<Hash>,
) -> Result<Hash, Tamper> {
    verify_segment_with(entries, anchor, expected_head, None)
}

/// [`verify_segment`] with entries from `keyed.from_seq` on hashed under
/// its key (plain SHA-256 throughout without it).
pub fn verify_segment_with(
    entries: &[AuditEntry],
    anchor: (u64, Hash),
    expected_head: Option<Hash>,
    keyed: Option<Keyed<'_>>,
) -> Result<Hash, Tamper> {
    let (mut prev_seq, mut prev_hash) = anchor;
    for e in entries {
        let expected_seq = prev_seq.checked_add(1).ok_or_else(|| Tamper {
            seq: e.seq,
            reason: "sequence overflow".into(),
        })?;
        if e.seq != expected_seq {
            let reason = if e.seq > expected_seq {
                format!("expected seq {expected_seq}: entries missing")
            } else {
                format!("expected seq {expected_seq}: entry repeated, reordered or inserted")
            };
            return Err(Tamper { seq: e.seq, reason });
        }
        if e.prev_hash != prev_hash {
            return Err(Tamper {
                seq: e.seq,
                reason: "previous-entry hash does not match: an earlier entry was changed, removed or inserted"
                    .into(),
            });
        }
        prev_seq = e.seq;
        prev_hash = entry_hash_with(keyed.and_then(|k| k.key_for(e.seq)), e);
    }
    if let Some(h) = expected_head
        && h != prev_hash
    {
        return Err(Tamper {
            seq: prev_seq,
            reason: "last entry does not match the recorded head".into(),
        });
    }
    Ok(prev_hash)
}

/// Writes `v` as canonical JSON (see the module documentation).
pub fn canonical_json(v: &Value, out: &mut String) {
    match v {
        Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) => {
            out.push_str(&v.to_string())
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                canonical_json(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                if let Some(item) = map.get(k) {
                    canonical_json(item, out);
                }
            }
            out.push('}');
        }
    }
}

mod hex_hash {
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    pub fn serialize<S: Serializer>(h: &[u8; 32], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&hex::encode(h))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<[u8; 32], D::Error> {
        let s = String::deserialize(d)?;
        let mut out = [0u8; 32];
        hex::decode_to_slice(&s, &mut out).map_err(D::Error::custom)?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 4231, test case 6 (a key longer than the block size): the MAC is
    /// standard HMAC-SHA256.
    #[test]
    fn hmac_is_rfc_4231_hmac_sha256() {
        let key = AuditKey::new(vec![0xaa; 131]).unwrap();
        assert_eq!(
            hex::encode(key.mac(b"Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
        // RFC 4231, test case 2, through the bare function (its key is short).
        assert_eq!(
            hex::encode(hmac_sha256(b"Jefe", b"what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
