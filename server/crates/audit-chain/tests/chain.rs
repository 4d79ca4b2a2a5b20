//! Audit chain: canonical hashing and tamper detection.

use hearth_audit_chain::*;
use serde_json::json;

fn log(n: u64) -> Vec<AuditEntry> {
    let mut chain = AuditChain::default();
    (0..n)
        .map(|i| {
            chain.append(
                1_000 + i as i64,
                "u-admin",
                if i % 2 == 0 {
                    "legal_hold.create"
                } else {
                    "export.run"
                },
                &format!("target-{i}"),
                json!({"n": i, "nested": {"b": [1, 2.5, "x"], "a": null}, "ü": true}),
            )
        })
        .collect()
}

#[test]
fn a_fresh_chain_verifies_and_links() {
    let entries = log(6);
    verify(&entries).unwrap();
    assert_eq!(entries[0].prev_hash, GENESIS);
    for w in entries.windows(2) {
        assert_eq!(w[1].prev_hash, entry_hash(&w[0]));
        assert_eq!(chain_hash(&w[0].prev_hash, &w[0]), w[1].prev_hash);
    }
    // Round trip through JSON keeps every hash.
    let text = serde_json::to_string(&entries).unwrap();
    let back: Vec<AuditEntry> = serde_json::from_str(&text).unwrap();
    verify(&back).unwrap();
}

#[test]
fn canonical_json_ignores_key_order() {
    let mut a = log(1).remove(0);
    let mut b = a.clone();
    a.details = serde_json::from_str(r#"{"x":1,"y":{"q":2,"p":3}}"#).unwrap();
    b.details = serde_json::from_str(r#"{"y":{"p":3,"q":2},"x":1}"#).unwrap();
    assert_eq!(entry_hash(&a), entry_hash(&b));
    let mut s = String::new();
    canonical_json(&a.details, &mut s);
    assert_eq!(s, r#"{"x":1,"y":{"p":3,"q":2}}"#);
}

#[test]
fn canonical_bytes_are_length_prefixed() {
    // "ab"+"c" must not collide with "a"+"bc".
    let mut a = log(1).remove(0);
    let mut b = a.clone();
    a.actor = "ab".into();
    a.action = "c".into();
    b.actor = "a".into();
    b.action = "bc".into();
    assert_ne!(entry_hash(&a), entry_hash(&b));
}

#[test]
fn modification_is_detected() {
    for field in 0..5 {
        let mut entries = log(5);
        match field {
            0 => entries[2].actor = "mallory".into(),
            1 => entries[2].details = json!({"n": 999}),
            2 => entries[2].at += 1,
            3 => entries[2].target = "other".into(),
            _ => entries[2].action = "export.delete".into(),
        }
        let t = verify(&entries).unwrap_err();
        assert_eq!(t.seq, 4, "the next entry no longer links");
    }
}

#[test]
fn deletion_is_detected() {
    let mut entries = log(5);
    entries.remove(2);
    assert_eq!(verify(&entries).unwrap_err().seq, 4);
    let mut entries = log(5);
    entries.remove(0);
    assert_eq!(verify(&entries).unwrap_err().seq, 2);
}

#[test]
fn reordering_is_detected() {
    let mut entries = log(5);
    entries.swap(1, 3);
    let t = verify(&entries).unwrap_err();
    assert_eq!(t.seq, 4);
}

#[test]
fn insertion_is_detected_even_with_renumbering() {
    let mut entries = log(5);
    let mut forged = entries[2].clone();
    forged.action = "export.run".into();
    entries.insert(3, forged);
    assert!(verify(&entries).is_err());
    // A forger renumbers and relinks the inserted entry, but the original
    // next entry still points at its real predecessor.
    let mut entries = log(5);
    let mut forged = entries[2].clone();
    forged.seq = 4;
    forged.prev_hash = entry_hash(&entries[2]);
    entries.insert(3, forged);
    for e in entries.iter_mut().skip(4) {
        e.seq += 1;
    }
    let t = verify(&entries).unwrap_err();
    assert_eq!(t.seq, 5);
}

#[test]
fn truncation_and_last_entry_edits_need_the_recorded_head() {
    let entries = log(5);
    let head = entry_hash(&entries[4]);
    let first = &entries[..2];
    let anchor = (first[1].seq, entry_hash(&first[1]));
    assert_eq!(
        verify_segment(&entries[2..], anchor, Some(head)).unwrap(),
        head
    );
    // Dropping the tail is only visible against the recorded head.
    verify(&entries[..4]).unwrap();
    assert!(verify_segment(&entries[2..4], anchor, Some(head)).is_err());
    let mut edited = entries.clone();
    edited[4].details = json!({});
    verify(&edited).unwrap();
    assert!(verify_segment(&edited[2..], anchor, Some(head)).is_err());
}

#[test]
fn resumed_chain_continues() {
    let entries = log(3);
    let mut chain = AuditChain::resume(3, entry_hash(&entries[2]));
    let mut all = entries.clone();
    all.push(chain.append(5_000, "u", "a", "t", json!(null)));
    verify(&all).unwrap();
    assert_eq!(chain.head(), entry_hash(&all[3]));
}

#[test]
fn documented_canonical_form_is_reproducible_elsewhere() {
    let entry = AuditEntry {
        seq: 7,
        at: -5,
        actor: "u-admin".into(),
        action: "legal_hold.release".into(),
        target: "hold/Ünï".into(),
        details: json!({"z": [1, {"b": "x\"y", "a": 2.5}], "a": null}),
        prev_hash: [0xab; 32],
    };
    let spec = r#"
import hashlib, json, struct, sys
def canon(v):
    if isinstance(v, dict):
        keys = sorted(v.keys(), key=lambda k: k.encode('utf-8'))
        return '{' + ','.join(json.dumps(k, ensure_ascii=False) + ':' + canon(v[k]) for k in keys) + '}'
    if isinstance(v, list):
        return '[' + ','.join(canon(x) for x in v) + ']'
    return json.dumps(v, ensure_ascii=False)
b = b'hearth-audit-v1\x00' + struct.pack('>Q', 7) + struct.pack('>q', -5)
for f in ['u-admin', 'legal_hold.release', 'hold/Ünï', canon({"z": [1, {"b": "x\"y", "a": 2.5}], "a": None})]:
    e = f.encode('utf-8')
    b += struct.pack('>Q', len(e)) + e
b += bytes([0xab] * 32)
print(hashlib.sha256(b).hexdigest())
"#;
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(spec)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8(out.stdout).unwrap().trim(),
        hex::encode(entry_hash(&entry))
    );
}
