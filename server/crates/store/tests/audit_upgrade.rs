//! Audit entries written before the log was hash-chained are chained the
//! next time the database is opened, once.

#![expect(
    clippy::unwrap_used,
    reason = "helpers outside `#[test]` functions fail the test by panicking"
)]

use diesel::prelude::*;
use hearth_store::models::AuditRow;
use hearth_store::schema::audit_log;
use hearth_testkit::{Backend, TestDb, both_backends};

both_backends!(
    unchained_entries_are_chained_at_open => super::unchained_entries_are_chained_at_open,
    a_log_whose_hashes_were_blanked_is_never_resealed => super::a_log_whose_hashes_were_blanked_is_never_resealed,
);

async fn unchained_entries_are_chained_at_open(backend: Backend) {
    let db = TestDb::new(backend);
    let store = db.open();
    let legacy: Vec<AuditRow> = (1..=3)
        .map(|i| AuditRow {
            id: uuid::Uuid::now_v7().to_string(),
            actor_id: None,
            action: format!("legacy.{i}"),
            target_kind: "system".into(),
            target_id: (i == 2).then(|| "x".to_string()),
            details: format!(r#"{{"n":{i},"a":[1.5,"s"]}}"#),
            ip: None,
            created_at: 1_700_000_000_000 + i,
            seq: i,
            prev_hash: String::new(),
            hash: String::new(),
        })
        .collect();
    store
        .read(|c| {
            for row in &legacy {
                diesel::insert_into(audit_log::table)
                    .values(row)
                    .execute(c)
                    .map_err(hearth_store::StoreError::from)?;
            }
            let v = hearth_store::audit::verify(c, 2, None, &Default::default())?;
            assert_eq!(v.tamper.map(|t| t.seq), Some(1), "not chained yet");
            // A database from before the chain has no mark that it was sealed.
            hearth_store::settings::delete(c, "audit.chain_sealed")?;
            Ok(())
        })
        .unwrap();
    drop(store);

    let store = db.open();
    store
        .read(|c| {
            let v = hearth_store::audit::verify(c, 2, None, &Default::default())?;
            assert_eq!(v.tamper, None);
            assert_eq!(v.entries, 3);
            let head = hearth_store::audit::head(c)?.unwrap();
            assert_eq!(v.head_hash, Some(head.hash));
            Ok(())
        })
        .unwrap();
}

async fn a_log_whose_hashes_were_blanked_is_never_resealed(backend: Backend) {
    let db = TestDb::new(backend);
    let store = db.open();
    store
        .write(|tx| {
            for i in 0..3 {
                hearth_store::audit::append(
                    tx,
                    hearth_store::audit::NewEntry {
                        id: uuid::Uuid::now_v7().to_string(),
                        actor_id: None,
                        action: format!("test.{i}"),
                        target_kind: "system".into(),
                        target_id: None,
                        details: serde_json::json!({}),
                        ip: None,
                        created_at: 1_700_000_000_000 + i,
                    },
                )?;
            }
            Ok(())
        })
        .unwrap();
    store
        .read(|c| {
            diesel::update(audit_log::table)
                .set((audit_log::prev_hash.eq(""), audit_log::hash.eq("")))
                .execute(c)
                .map_err(hearth_store::StoreError::from)?;
            Ok(())
        })
        .unwrap();
    drop(store);

    let store = db.open();
    store
        .read(|c| {
            assert_eq!(hearth_store::audit::chain_unsealed(c)?, 0);
            let v = hearth_store::audit::verify(c, 2, None, &Default::default())?;
            assert_eq!(v.tamper.map(|t| t.seq), Some(1), "still broken");
            Ok(())
        })
        .unwrap();
}
