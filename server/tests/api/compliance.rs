//! Compliance: who may do what, and legal holds against user deletes, the
//! retention purge and account deletion.

use std::time::Duration;

use hearth_api::{
    ComplianceJob, ComplianceSearchRequest, CreateChannelRequest, ErrorCode, ExportFormat,
    ExportRequest, JobStatus, LegalHoldRequest, RetentionPolicy, RetentionScope, Role, User,
};
use hearth_client::Client;
use hearth_store::models::PostRow;

use crate::both_backends;
use crate::harness::{TestServer, audit_actions, my_channel};

both_backends!(
    roles_decide_who_manages_and_who_reads,
    held_content_survives_deletes_purges_and_account_deletion,
    holds_validate_and_report_what_they_cover,
);

/// The schedule is driven by hand here; the background check waits an hour.
mod the_daily_schedule_queues_each_run_once_a_day {
    use crate::harness::{Backend, TestServer};
    fn slow(c: &mut hearth_server::Config) {
        c.compliance.schedule_check_secs = 3600;
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        super::the_daily_schedule_queues_each_run_once_a_day(
            TestServer::boot_with(Backend::Sqlite, slow).await,
        )
        .await;
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        super::the_daily_schedule_queues_each_run_once_a_day(
            TestServer::boot_with(Backend::Postgres, slow).await,
        )
        .await;
    }
}

pub const DAY: i64 = 86_400_000;

pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// An account made compliance officer by the operator over the local
/// administration socket (an admin cannot grant that role; the admin's
/// client is taken so the call sites read as before).
pub async fn officer(s: &TestServer, _admin: &Client, name: &str) -> (Client, User) {
    let (_, u) = s.user(name).await;
    s.local()
        .set_role(u.id, Role::ComplianceOfficer)
        .await
        .expect("make officer");
    s.login(name, &format!("{name}-password")).await
}

/// Writes a post straight into the database with a chosen creation time,
/// as if it had been written then (the API always stamps "now").
pub fn insert_post(
    s: &TestServer,
    channel: uuid::Uuid,
    author: uuid::Uuid,
    text: &str,
    at: i64,
) -> uuid::Uuid {
    let id = uuid::Uuid::now_v7();
    let row = PostRow {
        id: id.to_string(),
        channel_id: channel.to_string(),
        user_id: author.to_string(),
        root_id: None,
        message: text.into(),
        file_ids: "[]".into(),
        mentions: "[]".into(),
        mentions_channel: false,
        channel_links: "[]".into(),
        is_pinned: false,
        created_at: at,
        updated_at: at,
        edited_at: None,
        deleted_at: None,
        reply_count: 0,
        last_reply_at: None,
        idempotency_key: None,
    };
    let server = s.server.as_ref().expect("server runs");
    server
        .ctx
        .store
        .write(|tx| Ok(hearth_store::posts::insert(tx.conn, &row)?))
        .expect("insert post");
    id
}

/// Whether the post's row is still stored (deleted or not).
pub fn stored(s: &TestServer, id: uuid::Uuid) -> bool {
    let server = s.server.as_ref().expect("server runs");
    server
        .ctx
        .store
        .read(|c| Ok(hearth_store::posts::by_id(c, &id.to_string())?))
        .expect("read post")
        .is_some()
}

/// Polls a job until it stops changing; fails after a minute.
pub async fn wait_job(c: &Client, id: uuid::Uuid) -> ComplianceJob {
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    loop {
        let j = c.compliance_job(id).await.expect("job");
        if j.status.is_final() {
            return j;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "job {id} still {:?}",
            j.status
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn hold_on(name: &str, custodians: Vec<uuid::Uuid>) -> LegalHoldRequest {
    LegalHoldRequest {
        name: name.into(),
        description: "matter 2026-17".into(),
        custodians,
        channels: vec![],
        include_channel_context: false,
        start_at: None,
        end_at: None,
    }
}

async fn roles_decide_who_manages_and_who_reads(s: TestServer) {
    let (admin, _) = s.admin().await;
    let (alice, alice_u) = s.user("alice").await;
    let (officer_c, _) = officer(&s, &admin, "olivia").await;
    let team = s.team(&alice, "acme", true).await;
    let secret = alice
        .create_channel(&CreateChannelRequest {
            team_id: team.id,
            name: "merger".into(),
            display_name: "Merger".into(),
            kind: hearth_api::ChannelKind::Private,
            purpose: None,
            header: None,
        })
        .await
        .expect("private channel");
    alice
        .post_message(secret.id, "the quarterly figures are confidential")
        .await
        .expect("post");

    // An ordinary user sees none of it.
    let e = alice.retention_policies().await.unwrap_err();
    assert_eq!(e.code(), Some(ErrorCode::Forbidden));
    let e = alice
        .create_legal_hold(&hold_on("x", vec![alice_u.id]))
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some(ErrorCode::Forbidden));

    // Admins manage policies, holds and jobs...
    admin
        .set_retention(&RetentionPolicy {
            scope: RetentionScope::Global,
            scope_id: None,
            messages_days: Some(365),
            files_days: None,
            updated_at: None,
        })
        .await
        .expect("admin sets the global policy");
    let hold = admin
        .create_legal_hold(&hold_on("litigation", vec![alice_u.id]))
        .await
        .expect("admin places a hold");
    assert_eq!(hold.covered_posts, Some(1));
    let job = admin
        .start_export(&ExportRequest {
            format: ExportFormat::Csv,
            from: None,
            until: None,
            channels: None,
            users: None,
            hold_id: None,
            profile: Default::default(),
        })
        .await
        .expect("admin starts an export");
    let job = wait_job(&admin, job.id).await;
    assert_eq!(job.status, JobStatus::Succeeded, "{:?}", job.error);
    // ...but read no one's content: no download, no search across channels.
    let e = admin.download_compliance_job(job.id).await.unwrap_err();
    assert_eq!(e.code(), Some(ErrorCode::Forbidden));
    let search = ComplianceSearchRequest {
        terms: "quarterly".into(),
        reason: "case 17 review".into(),
        page: None,
        per_page: None,
    };
    let e = admin.compliance_search(&search).await.unwrap_err();
    assert_eq!(e.code(), Some(ErrorCode::Forbidden));

    // The officer, not a member of the private channel, finds and downloads it.
    let found = wait_search(&officer_c, &search).await;
    assert_eq!(found.posts.len(), 1);
    assert_eq!(found.posts[0].channel_id, secret.id);
    let zip = officer_c
        .download_compliance_job(job.id)
        .await
        .expect("officer downloads");
    assert_eq!(zip.content_type.as_deref(), Some("application/zip"));
    let manifest = hearth_compliance::archive::verify_archive(std::io::Cursor::new(zip.bytes))
        .expect("the archive matches its manifest");
    assert!(!manifest.files.is_empty());
    // Ordinary search still respects membership for the officer.
    let plain = officer_c
        .search_posts(&hearth_api::SearchRequest {
            terms: "quarterly".into(),
            ..Default::default()
        })
        .await
        .expect("plain search");
    assert!(
        plain.posts.is_empty(),
        "an officer reads private channels only through the audited search"
    );
    let e = officer_c
        .post_message(secret.id, "hello")
        .await
        .unwrap_err();
    assert_eq!(
        e.code(),
        Some(ErrorCode::NotFound),
        "no posting where not a member"
    );

    let actions = audit_actions(&s);
    let has = |a: &str| actions.iter().any(|(x, _)| x == a);
    for a in [
        "compliance.retention.set",
        "compliance.hold.create",
        "compliance.export.start",
        "compliance.export.succeeded",
        "compliance.download",
        "compliance.search",
    ] {
        assert!(has(a), "audit log lacks {a}");
    }
    let search_entry = actions
        .iter()
        .find(|(a, _)| a == "compliance.search")
        .unwrap();
    assert_eq!(search_entry.1["reason"], "case 17 review");
}

/// The index catches up asynchronously; retry briefly.
async fn wait_search(c: &Client, req: &ComplianceSearchRequest) -> hearth_api::PostSearchResults {
    for _ in 0..50 {
        let r = c.compliance_search(req).await.expect("compliance search");
        if !r.posts.is_empty() {
            return r;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("nothing found for {:?}", req.terms);
}

async fn held_content_survives_deletes_purges_and_account_deletion(s: TestServer) {
    let (admin, _) = s.admin().await;
    let (alice, alice_u) = s.user("alice").await;
    let (bob, bob_u) = s.user("bob").await;
    let team = s.team(&alice, "acme", true).await;
    alice
        .add_team_member(team.id, bob_u.id)
        .await
        .expect("bob joins");
    let town = my_channel(&alice, "town-square").await;
    let old = now() - 40 * DAY;
    let a_old = insert_post(&s, town.id, alice_u.id, "alice, long ago", old);
    let b_old = insert_post(&s, town.id, bob_u.id, "bob, long ago", old);
    let a_new = alice
        .post_message(town.id, "alice, today")
        .await
        .unwrap()
        .id;

    let hold = admin
        .create_legal_hold(&hold_on("alice matter", vec![alice_u.id]))
        .await
        .expect("hold");
    assert_eq!(hold.covered_posts, Some(2));

    // Alice deletes her old post: gone for users, kept for the hold.
    alice.delete_post(a_old).await.expect("delete");
    let e = bob.post(a_old).await;
    assert!(e.is_err() || e.unwrap().deleted_at.is_some());
    assert!(stored(&s, a_old));

    admin
        .set_retention(&RetentionPolicy {
            scope: RetentionScope::Global,
            scope_id: None,
            messages_days: Some(30),
            files_days: None,
            updated_at: None,
        })
        .await
        .unwrap();
    let dry = admin.retention_dry_run().await.expect("dry run");
    assert_eq!((dry.posts, dry.held_posts), (1, 1), "{dry:?}");
    assert!(stored(&s, b_old), "a dry run deletes nothing");
    let job = admin.retention_run().await.expect("purge");
    let job = wait_job(&admin, job.id).await;
    assert_eq!(job.status, JobStatus::Succeeded, "{:?}", job.error);
    assert!(!stored(&s, b_old), "bob's expired post is purged");
    assert!(stored(&s, a_old), "alice's held post survives the purge");
    assert!(stored(&s, a_new));

    // Deleting alice's account keeps what the hold covers.
    let out = admin
        .delete_user(alice_u.id, true)
        .await
        .expect("delete account");
    assert_eq!((out.posts_deleted, out.posts_held), (0, 2));
    assert_eq!(out.holds, vec![hold.id]);
    assert!(out.username.starts_with("deleted-"));
    assert!(stored(&s, a_old) && stored(&s, a_new));
    let gone = admin.user(alice_u.id).await.expect("user");
    assert!(!gone.is_active);
    assert_ne!(gone.email.as_deref(), Some("alice@example.com"));
    let mut c = s.client();
    assert!(
        c.login("alice", "alice-password").await.is_err(),
        "a deleted account cannot sign in"
    );

    // Released, the old post follows retention again; the new one is young.
    admin.release_legal_hold(hold.id).await.expect("release");
    let job = admin.retention_run().await.unwrap();
    assert_eq!(wait_job(&admin, job.id).await.status, JobStatus::Succeeded);
    assert!(!stored(&s, a_old));
    assert!(stored(&s, a_new));
    let actions = audit_actions(&s);
    assert!(
        actions
            .iter()
            .any(|(a, d)| a == "compliance.user.anonymise" && d["holds"][0] == hold.id.to_string())
    );
    assert!(actions.iter().any(|(a, _)| a == "compliance.hold.release"));
}

async fn holds_validate_and_report_what_they_cover(s: TestServer) {
    let (admin, _) = s.admin().await;
    let (alice, alice_u) = s.user("alice").await;
    let team = s.team(&alice, "acme", true).await;
    let town = my_channel(&alice, "town-square").await;
    let _ = team;
    for bad in [
        LegalHoldRequest {
            name: " ".into(),
            ..hold_on("", vec![alice_u.id])
        },
        hold_on("nobody", vec![]),
        hold_on("ghost", vec![uuid::Uuid::now_v7()]),
        LegalHoldRequest {
            start_at: Some(10),
            end_at: Some(5),
            ..hold_on("range", vec![alice_u.id])
        },
    ] {
        let e = admin.create_legal_hold(&bad).await.unwrap_err();
        assert_eq!(e.code(), Some(ErrorCode::InvalidInput), "{bad:?}");
    }
    let t = now();
    insert_post(&s, town.id, alice_u.id, "in range", t - 5 * DAY);
    insert_post(&s, town.id, alice_u.id, "too old", t - 50 * DAY);
    let h = admin
        .create_legal_hold(&LegalHoldRequest {
            start_at: Some(t - 10 * DAY),
            end_at: Some(t),
            channels: vec![town.id],
            ..hold_on("ranged", vec![alice_u.id])
        })
        .await
        .expect("ranged hold");
    assert_eq!(h.covered_posts, Some(1));
    let e = admin
        .create_legal_hold(&hold_on("ranged", vec![alice_u.id]))
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some(ErrorCode::Conflict), "names are unique");
    let listed = admin.legal_holds(true).await.unwrap();
    assert_eq!(listed.len(), 1);
    admin.release_legal_hold(h.id).await.unwrap();
    assert!(admin.legal_holds(true).await.unwrap().is_empty());
    assert_eq!(admin.legal_holds(false).await.unwrap().len(), 1);
    let e = admin.release_legal_hold(h.id).await.unwrap_err();
    assert_eq!(e.code(), Some(ErrorCode::Conflict));
}

async fn the_daily_schedule_queues_each_run_once_a_day(s: TestServer) {
    let (admin, _) = s.admin().await;
    let ctx = s.server.as_ref().unwrap().ctx.clone();
    let tick = |at: i64| {
        let ctx = ctx.clone();
        async move {
            tokio::task::spawn_blocking(move || hearth_server::compliance_schedule_tick(&ctx, at))
                .await
                .unwrap()
                .unwrap()
        }
    };
    // The test server runs no daily export and has no policy: nothing is due.
    tick(now()).await;
    assert!(admin.compliance_jobs(None, None).await.unwrap().is_empty());
    admin
        .set_retention(&RetentionPolicy {
            scope: RetentionScope::Global,
            scope_id: None,
            messages_days: Some(90),
            files_days: None,
            updated_at: None,
        })
        .await
        .unwrap();
    // Purges run at 02:00 UTC. The first tick only notes the schedule: the
    // first run waits for 02:00 rather than starting with the server.
    let midnight = now().div_euclid(DAY) * DAY;
    tick(midnight + 60_000).await;
    assert!(
        admin.compliance_jobs(None, None).await.unwrap().is_empty(),
        "nothing runs before the configured time on first start"
    );
    tick(midnight + 3 * 3_600_000).await;
    let jobs = admin
        .compliance_jobs(Some(hearth_api::JobKind::Purge), None)
        .await
        .unwrap();
    assert_eq!(jobs.len(), 1, "today's run after 02:00");
    wait_job(&admin, jobs[0].id).await;
    tick(midnight + 3 * 3_600_000 + 90_000).await;
    assert_eq!(
        admin.compliance_jobs(None, None).await.unwrap().len(),
        1,
        "not twice for one day"
    );
    tick(midnight + DAY + 3 * 3_600_000).await;
    let jobs = admin
        .compliance_jobs(Some(hearth_api::JobKind::Purge), None)
        .await
        .unwrap();
    assert_eq!(jobs.len(), 2, "the next day's run after 02:00");
    assert!(jobs.iter().all(|j| j.scheduled && j.created_by.is_none()));
}
