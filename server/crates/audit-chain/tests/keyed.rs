//! Keyed audit chains: entry hashes under an HMAC key kept outside the log.

#![expect(
    clippy::unwrap_used,
    reason = "helpers outside `#[test]` functions fail the test by panicking"
)]

use hearth_audit_chain::*;
use serde_json::json;

const KEY: &[u8] = b"0123456789abcdef0123456789abcdef-audit";

fn key() -> AuditKey {
    AuditKey::new(KEY).unwrap()
}

fn append(chain: &mut AuditChain, n: u64) -> Vec<AuditEntry> {
    (0..n)
        .map(|i| {
            chain.append(
                2_000 + i as i64,
                "u-admin",
                "team.create",
                &format!("team:{i}"),
                json!({"name": format!("team {i}"), "n": i}),
            )
        })
        .collect()
}

/// Three plain entries written before the key was set, then four keyed ones
/// (the first keyed entry is seq 4).
fn switched_log() -> Vec<AuditEntry> {
    let mut plain = AuditChain::default();
    let mut entries = append(&mut plain, 3);
    let mut keyed = AuditChain::resume(3, plain.head()).keyed(key());
    assert_eq!(keyed.next_seq(), 4);
    entries.extend(append(&mut keyed, 4));
    assert_eq!(keyed.head(), keyed_entry_hash(&key(), &entries[6]));
    entries
}

fn keyed_from(seq: u64, key: &AuditKey) -> Keyed<'_> {
    Keyed { from_seq: seq, key }
}

#[test]
fn the_keyed_hash_is_hmac_over_the_canonical_bytes() {
    let e = append(&mut AuditChain::default(), 1).remove(0);
    let k = key();
    assert_ne!(keyed_entry_hash(&k, &e), entry_hash(&e));
    assert_eq!(keyed_entry_hash(&k, &e), keyed_entry_hash(&key(), &e));
    assert_eq!(entry_hash_with(Some(&k), &e), keyed_entry_hash(&k, &e));
    assert_eq!(entry_hash_with(None, &e), entry_hash(&e));
    let other = AuditKey::new(b"another key of at least thirty-two bytes".to_vec()).unwrap();
    assert_ne!(keyed_entry_hash(&other, &e), keyed_entry_hash(&k, &e));
    // Every field is still covered.
    let mut changed = e.clone();
    changed.details = json!({"name": "forged"});
    assert_ne!(keyed_entry_hash(&k, &changed), keyed_entry_hash(&k, &e));

    // Anyone with the key reproduces it with a standard HMAC-SHA256.
    let spec = r#"
import hashlib, hmac, sys
key = sys.argv[1].encode()
data = bytes.fromhex(sys.argv[2])
print(hmac.new(key, data, hashlib.sha256).hexdigest())
"#;
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(spec)
        .arg(std::str::from_utf8(KEY).unwrap())
        .arg(hex::encode(canonical_bytes(&e)))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8(out.stdout).unwrap().trim(),
        hex::encode(keyed_entry_hash(&k, &e))
    );
}

#[test]
fn keys_are_long_named_and_never_printed() {
    let short = AuditKey::new(vec![b'x'; AuditKey::MIN_LEN - 1]).unwrap_err();
    assert_eq!(short.len, 31);
    assert!(short.to_string().contains("32"), "{short}");
    assert!(AuditKey::new(Vec::new()).is_err());
    assert!(AuditKey::new(vec![b'x'; AuditKey::MIN_LEN]).is_ok());

    let k = key();
    assert_eq!(format!("{k:?}"), "AuditKey([redacted])");
    let printed = format!("{:?}", AuditChain::default().keyed(key()));
    assert!(!printed.contains("0123456789abcdef"), "{printed}");
    // The id names the key without revealing it, and differs between keys.
    assert_eq!(k.id().len(), 16);
    assert_eq!(k.id(), key().id());
    let other = AuditKey::new(b"another key of at least thirty-two bytes".to_vec()).unwrap();
    assert_ne!(k.id(), other.id());
}

#[test]
fn entries_before_the_key_still_verify() {
    let entries = switched_log();
    let k = key();
    verify_keyed(&entries, keyed_from(4, &k)).unwrap();
    // The plain part is an ordinary chain.
    verify(&entries[..3]).unwrap();
    // A log keyed from its first entry.
    let mut chain = AuditChain::default().keyed(key());
    let all = append(&mut chain, 3);
    verify_keyed(&all, keyed_from(1, &k)).unwrap();
    assert!(verify(&all).is_err());
}

#[test]
fn a_plain_rewrite_is_detected_with_the_key() {
    let entries = switched_log();
    let k = key();
    // Without the key, the keyed part is not a SHA-256 chain.
    assert_eq!(verify(&entries).unwrap_err().seq, 5);

    // Someone without the key changes seq 5 and recomputes a plain SHA-256
    // chain from the first keyed entry on: a plain check passes...
    let mut forged = entries.clone();
    forged[4].details = json!({"name": "forged"});
    for i in 3..forged.len() {
        forged[i].prev_hash = entry_hash(&forged[i - 1]);
    }
    verify(&forged).unwrap();
    // ...the keyed one does not.
    let t = verify_keyed(&forged, keyed_from(4, &k)).unwrap_err();
    assert_eq!(t.seq, 5, "{t}");
    // Nor does the head kept from before.
    let head = keyed_entry_hash(&k, &entries[6]);
    let anchor = (3, entry_hash(&entries[2]));
    assert!(
        verify_segment_with(&forged[3..], anchor, Some(head), Some(keyed_from(4, &k))).is_err()
    );
    assert_eq!(
        verify_segment_with(&entries[3..], anchor, Some(head), Some(keyed_from(4, &k))).unwrap(),
        head
    );
}

#[test]
fn a_wrong_key_fails_at_the_first_keyed_entry() {
    let entries = switched_log();
    let wrong = AuditKey::new(b"not the key the log was written with".to_vec()).unwrap();
    let t = verify_keyed(&entries, keyed_from(4, &wrong)).unwrap_err();
    // Seq 4 is the first keyed entry; its successor is where the link breaks.
    assert_eq!(t.seq, 5, "{t}");
    let head = keyed_entry_hash(&key(), &entries[3]);
    let anchor = (3, entry_hash(&entries[2]));
    let t = verify_segment_with(
        &entries[3..4],
        anchor,
        Some(head),
        Some(keyed_from(4, &wrong)),
    )
    .unwrap_err();
    assert_eq!(t.seq, 4, "{t}");
}

#[test]
fn the_switch_point_cannot_move() {
    let entries = switched_log();
    let k = key();
    // Claiming the key started later, or earlier, breaks the chain.
    assert!(verify_keyed(&entries, keyed_from(5, &k)).is_err());
    assert!(verify_keyed(&entries, keyed_from(3, &k)).is_err());
    assert!(verify_keyed(&entries, keyed_from(1, &k)).is_err());
    verify_keyed(&entries, keyed_from(4, &k)).unwrap();
}
