//! The hash-chained audit log: actions append linked entries, verification
//! recomputes the chain, and edits made directly in the database are caught
//! at the first entry they break.

use diesel::prelude::*;
use hearth_api::{AuditLogEntry, AuditQuery, AuditVerification, ErrorCode, Role};
use hearth_client::Client;
use hearth_store::schema::audit_log;

use crate::both_backends;
use crate::harness::TestServer;

both_backends!(
    actions_append_chained_entries,
    direct_edits_are_reported_at_the_first_bad_entry,
    concurrent_actions_form_one_chain,
    only_system_admins_read_the_audit_log,
);

const ZERO_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Every entry, oldest first, read through the API in small pages.
async fn all_entries(admin: &Client) -> Vec<AuditLogEntry> {
    let mut out = Vec::new();
    let mut after = None;
    loop {
        let page = admin
            .audit_log(&AuditQuery {
                after,
                limit: Some(3),
                ..Default::default()
            })
            .await
            .expect("audit page");
        out.extend(page.entries);
        match page.next_after {
            Some(n) => after = Some(n),
            None => return out,
        }
    }
}

fn assert_linked(entries: &[AuditLogEntry]) {
    let mut prev = ZERO_HASH.to_string();
    for (i, e) in entries.iter().enumerate() {
        assert_eq!(e.seq, i as u64 + 1, "seq counts from 1 without gaps");
        assert_eq!(
            e.prev_hash, prev,
            "entry {} links to its predecessor",
            e.seq
        );
        assert_eq!(e.hash.len(), 64);
        prev = e.hash.clone();
    }
}

/// Runs `f` on a connection to the test server's database, bypassing the
/// server's write path as someone with database access would.
pub fn with_db<T>(
    s: &TestServer,
    f: impl FnOnce(&mut hearth_store::DbConn) -> QueryResult<T>,
) -> T {
    s.server
        .as_ref()
        .expect("server runs")
        .ctx
        .store
        .read(|c| Ok(f(c).map_err(hearth_store::StoreError::from)?))
        .expect("direct database access")
}

async fn broken_at(admin: &Client, seq: u64) -> AuditVerification {
    let v = admin.audit_verify().await.expect("verify");
    assert!(!v.ok, "tampering is detected: {v:?}");
    assert_eq!(v.first_bad_seq, Some(seq), "{v:?}");
    assert!(v.reason.as_deref().is_some_and(|r| !r.is_empty()));
    assert_eq!(v.head_hash, None);
    v
}

async fn actions_append_chained_entries(s: TestServer) {
    let (admin, admin_user) = s.admin().await;
    let (_bob, bob_user) = s.user("bob").await;
    s.team(&admin, "alpha", true).await;
    admin
        .set_role(bob_user.id, Role::SystemAdmin)
        .await
        .unwrap();
    admin.set_role(bob_user.id, Role::User).await.unwrap();

    let entries = all_entries(&admin).await;
    assert_linked(&entries);
    let actions: Vec<&str> = entries.iter().map(|e| e.action.as_str()).collect();
    for wanted in ["system.setup", "team.create", "user.role"] {
        assert!(actions.contains(&wanted), "{wanted} in {actions:?}");
    }
    let team = entries.iter().find(|e| e.action == "team.create").unwrap();
    assert_eq!(team.actor_id, Some(admin_user.id));
    assert_eq!(team.target_kind, "team");
    assert_eq!(team.details["name"], "alpha");

    let v = admin.audit_verify().await.unwrap();
    assert_eq!(
        v,
        AuditVerification {
            ok: true,
            entries: entries.len() as u64,
            head_hash: Some(entries.last().unwrap().hash.clone()),
            first_bad_seq: None,
            reason: None,
            keyed_from_seq: None,
            unchecked_from_seq: None,
        }
    );

    // Filters keep seq order and paging.
    let roles = admin
        .audit_log(&AuditQuery {
            action: Some("user.role".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(roles.entries.len(), 2);
    assert!(roles.entries[0].seq < roles.entries[1].seq);
    assert_eq!(roles.entries[0].target_id, Some(bob_user.id.to_string()));
    assert_eq!(roles.next_after, None);
    let by_bob = admin
        .audit_log(&AuditQuery {
            actor_id: Some(bob_user.id),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(
        by_bob
            .entries
            .iter()
            .all(|e| e.actor_id == Some(bob_user.id))
    );
    let tail = admin
        .audit_log(&AuditQuery {
            after: Some(entries.len() as u64 - 1),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(tail.entries, entries[entries.len() - 1..].to_vec());
    let bad = admin
        .audit_log(&AuditQuery {
            limit: Some(0),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(bad.code(), Some(ErrorCode::InvalidInput));

    // A chained log whose hashes were all blanked stays broken: it is never
    // resealed as if it predated the chain.
    with_db(&s, |c| {
        diesel::update(audit_log::table)
            .set((audit_log::prev_hash.eq(""), audit_log::hash.eq("")))
            .execute(c)
    });
    assert!(!admin.audit_verify().await.unwrap().ok);
    let chained = with_db(&s, |c| Ok(hearth_store::audit::chain_unsealed(c).unwrap()));
    assert_eq!(chained, 0, "a blanked log is never resealed");
    assert!(!admin.audit_verify().await.unwrap().ok);
}

async fn direct_edits_are_reported_at_the_first_bad_entry(s: TestServer) {
    let (admin, _) = s.admin().await;
    for name in ["one", "two", "three", "four"] {
        s.team(&admin, name, true).await;
    }
    let entries = all_entries(&admin).await;
    assert!(entries.len() >= 6, "{entries:?}");
    assert!(admin.audit_verify().await.unwrap().ok);
    let details_of = |seq: i64| {
        with_db(&s, move |c| {
            audit_log::table
                .filter(audit_log::seq.eq(seq))
                .select(audit_log::details)
                .first::<String>(c)
        })
    };
    let set_details = |seq: i64, details: String| {
        with_db(&s, move |c| {
            diesel::update(audit_log::table.filter(audit_log::seq.eq(seq)))
                .set(audit_log::details.eq(details))
                .execute(c)
        })
    };
    let set_seq = |from: i64, to: i64| {
        with_db(&s, move |c| {
            diesel::update(audit_log::table.filter(audit_log::seq.eq(from)))
                .set(audit_log::seq.eq(to))
                .execute(c)
        })
    };

    // Changed details.
    let original = details_of(3);
    set_details(3, r#"{"name":"forged"}"#.into());
    broken_at(&admin, 3).await;
    set_details(3, original);
    assert!(admin.audit_verify().await.unwrap().ok, "restored");

    // Two entries swapped.
    set_seq(4, -1);
    set_seq(5, 4);
    set_seq(-1, 5);
    broken_at(&admin, 4).await;
    set_seq(5, -1);
    set_seq(4, 5);
    set_seq(-1, 4);
    assert!(admin.audit_verify().await.unwrap().ok, "restored");

    // A removed entry: its successor no longer follows on.
    with_db(&s, |c| {
        diesel::delete(audit_log::table.filter(audit_log::seq.eq(3))).execute(c)
    });
    let v = broken_at(&admin, 4).await;
    assert!(v.reason.unwrap().contains("missing"));

    // New actions keep appending (the broken chain is reported, not fatal).
    s.team(&admin, "five", true).await;
    broken_at(&admin, 4).await;
}

async fn concurrent_actions_form_one_chain(s: TestServer) {
    let (admin, _) = s.admin().await;
    let mut users = Vec::new();
    for i in 0..4 {
        users.push(s.user(&format!("user{i}")).await.0);
    }
    let mut tasks = Vec::new();
    for (i, c) in users.into_iter().enumerate() {
        tasks.push(tokio::spawn(async move {
            for j in 0..5 {
                c.create_team(&hearth_api::CreateTeamRequest {
                    name: format!("team-{i}-{j}"),
                    display_name: format!("team {i} {j}"),
                    open: true,
                    ..Default::default()
                })
                .await
                .expect("create team");
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let entries = all_entries(&admin).await;
    assert_linked(&entries);
    assert_eq!(
        entries.iter().filter(|e| e.action == "team.create").count(),
        20
    );
    let v = admin.audit_verify().await.unwrap();
    assert!(v.ok, "{v:?}");
    assert_eq!(v.entries, entries.len() as u64);
}

async fn only_system_admins_read_the_audit_log(s: TestServer) {
    let (_admin, _) = s.admin().await;
    let (bob, _) = s.user("bob").await;
    let err = bob.audit_log(&AuditQuery::default()).await.unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::Forbidden));
    assert_eq!(err.status(), Some(403));
    let err = bob.audit_verify().await.unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::Forbidden));
    let err = s.client().audit_verify().await.unwrap_err();
    assert_eq!(err.status(), Some(401));
}
