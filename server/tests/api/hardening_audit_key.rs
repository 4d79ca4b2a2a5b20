//! The audit log's HMAC key, kept outside the database: with it, a rewrite
//! made with database access alone (the entries changed and a plain SHA-256
//! chain recomputed over them) is reported; entries from before the key
//! still verify; a wrong key fails at the first keyed entry; a server
//! without the key says it cannot check keyed entries; and the key is never
//! printed.

use diesel::prelude::*;
use hearth_api::{AuditVerification, ErrorCode};
use hearth_client::Client;
use hearth_compliance::audit::{AuditEntry, AuditKey, GENESIS, entry_hash, keyed_entry_hash};
use hearth_identity::Secret;
use hearth_store::audit::canonical_entry;
use hearth_store::models::AuditRow;
use hearth_store::schema::audit_log;
use serde_json::{Map, Value, json};

use crate::audit::with_db;
use crate::both_backends;
use crate::harness::{Backend, TestServer, audit_actions, test_config};

both_backends!(a_keyed_log_reports_a_plain_rewrite);

/// Boots on `backend` with the key in `<data_dir>/audit.key`, so the log is
/// keyed from its first entry.
async fn boot_keyed(backend: Backend) -> TestServer {
    TestServer::boot_with(backend, |cfg| {
        let path = cfg.server.data_dir.join("audit.key");
        std::fs::write(&path, format!("{KEY}\n")).unwrap();
        cfg.audit.hmac_key_file = path;
    })
    .await
}

mod without_the_key_keyed_entries_are_unchecked_and_a_wrong_key_fails {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        super::without_the_key_keyed_entries_are_unchecked_and_a_wrong_key_fails(
            boot_keyed(Backend::Sqlite).await,
        )
        .await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        super::without_the_key_keyed_entries_are_unchecked_and_a_wrong_key_fails(
            boot_keyed(Backend::Postgres).await,
        )
        .await;
    }
}

const KEY: &str = "the-audit-key-of-these-tests-0123456789abcdef";
const OTHER_KEY: &str = "another-audit-key-not-the-one-0123456789abcdef";

fn key(text: &str) -> AuditKey {
    AuditKey::new(text.as_bytes()).unwrap()
}

/// How a restarted server is given the audit key.
enum Key {
    None,
    Inline(&'static str),
    /// Written to `<data_dir>/audit.key` (with a trailing newline) and named
    /// by `audit.hmac_key_file`.
    File(&'static str),
}

/// Stops the server and starts another on the same data directory and
/// database, with `key`. Clients must be made again (new port).
async fn restart(s: &mut TestServer, key: Key) {
    s.stop().await;
    let mut cfg = test_config(s.backend, s.dir.path(), s.pg.as_ref());
    match key {
        Key::None => {}
        Key::Inline(k) => cfg.audit.hmac_key = Secret::from(k),
        Key::File(k) => {
            let path = s.dir.path().join("audit.key");
            std::fs::write(&path, format!("{k}\n")).unwrap();
            cfg.audit.hmac_key_file = path;
        }
    }
    let server = hearth_server::start(cfg, 1)
        .await
        .expect("the server starts again");
    s.url = server.url();
    s.server = Some(server);
}

/// Every row, oldest first, as stored.
fn all_rows(s: &TestServer) -> Vec<AuditRow> {
    with_db(s, |c| {
        audit_log::table
            .order(audit_log::seq.asc())
            .select(AuditRow::as_select())
            .load(c)
    })
}

fn store_row(c: &mut hearth_store::DbConn, row: &AuditRow) -> QueryResult<usize> {
    diesel::update(audit_log::table.filter(audit_log::id.eq(&row.id)))
        .set((
            audit_log::action.eq(&row.action),
            audit_log::details.eq(&row.details),
            audit_log::prev_hash.eq(&row.prev_hash),
            audit_log::hash.eq(&row.hash),
        ))
        .execute(c)
}

/// What someone with database access but without the key can do: `edit` the
/// entries from seq `from` on, and recompute `prev_hash` and `hash` from
/// there as a plain SHA-256 chain linked to the entry before.
fn rewrite_plain(s: &TestServer, from: i64, edit: impl Fn(&mut AuditRow)) {
    let rows = all_rows(s);
    let mut prev = GENESIS;
    if let Some(before) = rows.iter().find(|r| r.seq == from - 1) {
        hex::decode_to_slice(&before.hash, &mut prev).unwrap();
    }
    with_db(s, |c| {
        for mut row in rows.into_iter().filter(|r| r.seq >= from) {
            edit(&mut row);
            row.prev_hash = hex::encode(prev);
            prev = entry_hash(&canonical_entry(&row).unwrap());
            row.hash = hex::encode(prev);
            store_row(c, &row)?;
        }
        Ok(())
    });
}

/// Puts rows back as they were.
fn put_back(s: &TestServer, rows: &[AuditRow]) {
    with_db(s, |c| {
        for row in rows {
            store_row(c, row)?;
        }
        Ok(())
    });
}

fn canonical(rows: &[AuditRow]) -> Vec<AuditEntry> {
    rows.iter().map(|r| canonical_entry(r).unwrap()).collect()
}

async fn broken_at(c: &Client, seq: i64, reason: &str) -> AuditVerification {
    let v = c.audit_verify().await.expect("verify");
    assert!(!v.ok, "{v:?}");
    assert_eq!(v.first_bad_seq, Some(seq as u64), "{v:?}");
    assert!(
        v.reason.as_deref().is_some_and(|r| r.contains(reason)),
        "{reason:?} in {v:?}"
    );
    assert_eq!(v.head_hash, None);
    assert_eq!(v.unchecked_from_seq, None);
    v
}

async fn a_keyed_log_reports_a_plain_rewrite(mut s: TestServer) {
    // Entries written before there was a key.
    let (admin, _) = s.admin().await;
    s.team(&admin, "before", true).await;
    let v = admin.audit_verify().await.unwrap();
    assert!(v.ok, "{v:?}");
    assert_eq!(v.keyed_from_seq, None);
    let before = all_rows(&s);
    let plain = before.len() as i64;

    // The same data, restarted with a key: the first start with it appends
    // the entry that starts keying, and leaves the earlier entries as they
    // were, still verifying.
    restart(&mut s, Key::Inline(KEY)).await;
    let (admin, _) = s.login("admin", "admin-password").await;
    let rows = all_rows(&s);
    for (old, now) in before.iter().zip(&rows) {
        assert_eq!(
            (old.seq, &old.prev_hash, &old.hash),
            (now.seq, &now.prev_hash, &now.hash),
            "nothing is re-keyed"
        );
    }
    let switch = &rows[plain as usize];
    assert_eq!(switch.seq, plain + 1);
    assert_eq!(switch.action, "audit.hmac_enabled");
    let details: Value = serde_json::from_str(&switch.details).unwrap();
    assert_eq!(details["plain_entries"], json!(plain));
    assert_eq!(details["key_id"], json!(key(KEY).id()));
    assert!(!switch.details.contains(KEY));
    for name in ["one", "two", "three"] {
        s.team(&admin, name, true).await;
    }
    let rows = all_rows(&s);
    let v = admin.audit_verify().await.unwrap();
    assert_eq!(
        v,
        AuditVerification {
            ok: true,
            entries: rows.len() as u64,
            head_hash: Some(rows.last().unwrap().hash.clone()),
            first_bad_seq: None,
            reason: None,
            keyed_from_seq: Some(plain as u64 + 1),
            unchecked_from_seq: None,
        }
    );
    // Keyed entries hold the HMAC under the key, earlier ones the SHA-256.
    for (row, e) in rows.iter().zip(canonical(&rows)) {
        let expected = if row.seq > plain {
            keyed_entry_hash(&key(KEY), &e)
        } else {
            entry_hash(&e)
        };
        assert_eq!(row.hash, hex::encode(expected), "seq {}", row.seq);
    }
    // The old head still belongs to the chain.
    let old_head = before.last().unwrap().hash.clone();
    assert!(admin.audit_verify_against(&old_head).await.unwrap().ok);

    // One keyed entry changed, and the chain after it recomputed as plain
    // SHA-256: caught at that entry.
    let two = rows
        .iter()
        .find(|r| r.action == "team.create" && r.details.contains("\"two\""))
        .unwrap()
        .seq;
    let forge = move |r: &mut AuditRow| {
        if r.seq == two {
            r.details = r#"{"name":"forged"}"#.into();
        }
    };
    rewrite_plain(&s, two, forge);
    broken_at(&admin, two, "not keyed").await;
    put_back(&s, &rows);
    assert!(admin.audit_verify().await.unwrap().ok, "restored");

    // The whole keyed part rewritten as a plain chain is a valid SHA-256
    // chain, which a check without the key accepts ...
    rewrite_plain(&s, plain + 1, forge);
    let forged = all_rows(&s);
    hearth_compliance::audit::verify(&canonical(&forged)).expect("a valid SHA-256 chain");
    // ... and the server with the key does not, from the first keyed entry.
    broken_at(&admin, plain + 1, "not keyed").await;
    // Hiding the switch too (the entry that started keying renamed) is
    // caught by the server, which saw where keying started when it started.
    rewrite_plain(&s, plain + 1, |r| {
        forge(r);
        if r.seq == plain + 1 {
            r.action = "team.update".into();
        }
    });
    hearth_compliance::audit::verify(&canonical(&all_rows(&s))).expect("a valid SHA-256 chain");
    broken_at(&admin, plain + 1, "no longer starts it").await;
    // A fake switch earlier in the plain part does not move it either.
    put_back(&s, &rows);
    rewrite_plain(&s, 2, |r| {
        if r.seq == 2 {
            r.action = "audit.hmac_enabled".into();
        }
    });
    broken_at(&admin, 2, "started at seq").await;
    put_back(&s, &rows);
    let v = admin.audit_verify().await.unwrap();
    assert!(v.ok, "restored: {v:?}");
    assert_eq!(v.entries, rows.len() as u64);
}

async fn without_the_key_keyed_entries_are_unchecked_and_a_wrong_key_fails(mut s: TestServer) {
    // A log keyed from its first entry, the key read from a file.
    let (admin, _) = s.admin().await;
    // Verified below with a token: signing in would add entries.
    let token = admin.create_token("verifier", None).await.unwrap().token;
    s.team(&admin, "keyed", true).await;
    let v = admin.audit_verify().await.unwrap();
    assert!(v.ok, "{v:?}");
    assert_eq!(v.keyed_from_seq, Some(1));
    let keyed = all_rows(&s);
    assert_eq!(keyed[0].action, "audit.hmac_enabled");
    assert_eq!(
        serde_json::from_str::<Value>(&keyed[0].details).unwrap()["plain_entries"],
        json!(0)
    );

    // A wrong key: broken at the first keyed entry, the keys named by id.
    restart(&mut s, Key::Inline(OTHER_KEY)).await;
    let c = s.client().with_token(token.clone());
    let v = broken_at(&c, 1, "not the one the log was keyed with").await;
    let reason = v.reason.unwrap();
    assert!(reason.contains(&key(KEY).id()), "{reason}");
    assert!(reason.contains(&key(OTHER_KEY).id()), "{reason}");
    assert!(!reason.contains(KEY) && !reason.contains(OTHER_KEY));
    assert_eq!(v.keyed_from_seq, Some(1));
    assert_eq!(all_rows(&s).len(), keyed.len(), "no second switch");

    // No key: a clear "cannot check", never "intact", and nothing re-keyed.
    restart(&mut s, Key::None).await;
    let c = s.client().with_token(token.clone());
    let v = c.audit_verify().await.unwrap();
    assert!(!v.ok, "{v:?}");
    assert_eq!(v.first_bad_seq, None);
    assert_eq!(v.unchecked_from_seq, Some(1));
    assert_eq!(v.keyed_from_seq, Some(1));
    assert_eq!(v.head_hash, None);
    assert_eq!(v.entries, keyed.len() as u64);
    assert!(
        v.reason
            .as_deref()
            .is_some_and(|r| r.contains("cannot check keyed entries")),
        "{v:?}"
    );
    let rows = all_rows(&s);
    for (a, b) in keyed.iter().zip(&rows) {
        assert_eq!((&a.prev_hash, &a.hash), (&b.prev_hash, &b.hash));
    }
    // Its own entries are plain; links are still checked without the key.
    s.team(&c, "keyless", true).await;
    let rows = all_rows(&s);
    let first_plain = keyed.len() as i64 + 1;
    let row = rows.iter().find(|r| r.seq == first_plain).unwrap();
    assert_eq!(row.action, "team.create");
    assert_eq!(
        row.hash,
        hex::encode(entry_hash(&canonical_entry(row).unwrap()))
    );
    let v = c.audit_verify().await.unwrap();
    assert_eq!(
        (v.ok, v.first_bad_seq, v.unchecked_from_seq),
        (false, None, Some(1))
    );
    with_db(&s, |c| {
        diesel::delete(audit_log::table.filter(audit_log::seq.eq(2))).execute(c)
    });
    broken_at(&c, 3, "missing").await;
    put_back_deleted(&s, &rows);
    let v = c.audit_verify().await.unwrap();
    assert_eq!(v.unchecked_from_seq, Some(1), "restored: {v:?}");

    // With the key again: the entry written without it is reported.
    restart(&mut s, Key::File(KEY)).await;
    let c = s.client().with_token(token);
    broken_at(&c, first_plain, "started without the audit key").await;
    assert_eq!(all_rows(&s).len(), rows.len(), "no second switch");
}

/// Inserts the rows of `rows` missing from the log again.
fn put_back_deleted(s: &TestServer, rows: &[AuditRow]) {
    let now: Vec<String> = all_rows(s).into_iter().map(|r| r.id).collect();
    with_db(s, |c| {
        for row in rows.iter().filter(|r| !now.contains(&r.id)) {
            diesel::insert_into(audit_log::table)
                .values(row)
                .execute(c)?;
        }
        Ok(())
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_key_is_checked_at_start_and_never_printed() {
    // Too short, given twice, or an unreadable file: refused, naming the
    // setting and never showing the key.
    let short = "short-audit-key";
    let e = hearth_server::Config::from_toml(Some(&format!("[audit]\nhmac_key = \"{short}\"\n")))
        .unwrap_err()
        .to_string();
    assert!(e.contains("audit.hmac_key") && e.contains("32"), "{e}");
    assert!(!e.contains(short), "{e}");
    let both =
        format!("[audit]\nhmac_key = \"{KEY}\"\nhmac_key_file = \"/etc/hearth/audit.key\"\n");
    let e = hearth_server::Config::from_toml(Some(&both))
        .unwrap_err()
        .to_string();
    assert!(e.contains("both set") && !e.contains(KEY), "{e}");
    let missing = "[audit]\nhmac_key_file = \"/nonexistent/audit.key\"\n";
    let e = hearth_server::Config::from_toml(Some(missing))
        .unwrap_err()
        .to_string();
    assert!(e.contains("/nonexistent/audit.key"), "{e}");

    // `hearth config check` with the key in HEARTH_AUDIT__HMAC_KEY_FILE.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("audit.key");
    std::fs::write(&file, format!("{KEY}\n")).unwrap();
    let check = |var: &str, value: &std::path::Path| {
        std::process::Command::new(env!("CARGO_BIN_EXE_hearth"))
            .args(["config", "check"])
            .current_dir(dir.path())
            .env(var, value)
            .output()
            .unwrap()
    };
    let out = check("HEARTH_AUDIT__HMAC_KEY_FILE", &file);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(printed["audit"]["hmac_key"], "[redacted]");
    assert!(!text.contains(KEY), "{text}");
    std::fs::write(&file, short).unwrap();
    let out = check("HEARTH_AUDIT__HMAC_KEY_FILE", &file);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("audit.hmac_key") && !err.contains(short),
        "{err}"
    );
    // A server does not start with a bad key.
    let data = tempfile::tempdir().unwrap();
    let mut cfg = test_config(Backend::Sqlite, data.path(), None);
    cfg.audit.hmac_key = Secret::from(short);
    assert!(hearth_server::start(cfg, 1).await.is_err());

    // The console shows it masked, refuses a short one, and applies a new
    // one only at the next start.
    let s = TestServer::boot(Backend::Sqlite).await;
    let (admin, _) = s.admin().await;
    let view = admin.config().await.unwrap();
    assert_eq!(view.config["audit"]["hmac_key"], "********");
    assert!(view.restart_keys.contains(&"audit".to_string()));
    let set = |k: &str| -> Map<String, Value> {
        [("audit.hmac_key".to_string(), json!(k))]
            .into_iter()
            .collect()
    };
    let e = admin.patch_config(set(short)).await.unwrap_err();
    assert_eq!(e.code(), Some(ErrorCode::InvalidConfig), "{e}");
    assert!(!e.to_string().contains(short), "{e}");
    let view = admin.patch_config(set(KEY)).await.unwrap();
    assert_eq!(view.config["audit"]["hmac_key"], "********");
    assert_eq!(
        view.restart_required,
        Some(vec!["audit.hmac_key".to_string()])
    );
    let ctx = &s.server.as_ref().unwrap().ctx;
    assert!(ctx.store.audit_keying().key.is_none(), "read at start only");
    let (_, changed) = audit_actions(&s)
        .into_iter()
        .find(|(a, _)| a == "config.changed")
        .unwrap();
    assert_eq!(changed["keys"], json!(["audit.hmac_key"]));
    assert!(!changed.to_string().contains(KEY));
    assert!(
        !admin
            .config()
            .await
            .unwrap()
            .config
            .to_string()
            .contains(KEY)
    );
}
