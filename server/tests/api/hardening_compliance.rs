//! Compliance records hardening: who a deletion is attributed to, when the
//! daily runs first start, and incremental exports that cover records by
//! when they entered the server.

use crate::both_backends;
use hearth_api::{ExportFormat, RetentionPolicy, RetentionScope};
use hearth_server::Config;
use serde_json::Value;

use crate::compliance::{DAY, insert_post, now, officer, wait_job};
use crate::compliance_exports::{all, event_ids, export, finished, parse_archive, quiet_schedule};
use crate::harness::{Backend, TestServer, my_channel};

both_backends!(with quiet_schedule;
    a_mattermost_profile_writes_mattermost_csv,
    audit_entries_record_the_client_address,
    reactions_are_exported,
    the_audit_head_in_a_manifest_catches_a_cut_back_log,
    deletions_are_attributed_to_whoever_deleted,
    silent_members_take_part_in_every_window,
    incremental_exports_include_history_imported_behind_the_cursor,
);
both_backends!(with scheduled_daily;
    the_first_daily_runs_wait_for_their_configured_time,
);

/// A daily CSV export and purge at 02:00 UTC, checked by hand (the
/// background check waits an hour).
fn scheduled_daily(c: &mut Config) {
    c.compliance.schedule_check_secs = 3600;
    c.compliance.daily_export_formats = vec!["csv".into()];
    c.compliance.daily_export_time = "02:00".into();
    c.compliance.purge_enabled = true;
    c.compliance.purge_time = "02:00".into();
}

fn rows_of<'a>(parsed: &'a Value, kind: &str) -> Vec<&'a Value> {
    parsed["csv"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["event_type"] == kind)
        .collect()
}

async fn deletions_are_attributed_to_whoever_deleted(s: TestServer) {
    let (admin, admin_u) = s.admin().await;
    let (off, _) = officer(&s, &admin, "olivia").await;
    let (alice, alice_u) = s.user("alice").await;
    let team = s.team(&admin, "acme", true).await;
    admin.add_team_member(team.id, alice_u.id).await.unwrap();
    let town = my_channel(&admin, "town-square").await;
    let p = alice
        .post_message(town.id, "something regrettable")
        .await
        .unwrap();
    admin.delete_post(p.id).await.expect("an admin deletes it");

    let csv = parse_archive(&export(&off, all(ExportFormat::Csv)).await);
    let deleted = rows_of(&csv, "post_deleted");
    assert_eq!(deleted.len(), 1, "{csv}");
    assert_eq!(
        deleted[0]["actor_id"],
        admin_u.id.to_string(),
        "the deleter acts"
    );
    assert_eq!(
        deleted[0]["user_id"],
        alice_u.id.to_string(),
        "the author's post"
    );

    let xml = parse_archive(&export(&off, all(ExportFormat::Actiance)).await);
    let msgs: Vec<&Value> = xml["actiance"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["conversations"].as_array().unwrap())
        .flat_map(|c| c["messages"].as_array().unwrap())
        .filter(|m| m["updated"] == "Deleted")
        .collect();
    assert_eq!(msgs.len(), 1, "{xml}");
    let admin_login = admin_u.email.clone().unwrap_or(admin_u.username.clone());
    assert_eq!(
        msgs[0]["login"],
        admin_login.as_str(),
        "Deleted is the deleter's entry"
    );

    let eml = parse_archive(&export(&off, all(ExportFormat::GlobalRelay)).await);
    let bodies: Vec<&str> = eml["eml"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["body"].as_str().unwrap())
        .collect();
    let line = bodies
        .iter()
        .flat_map(|b| b.lines())
        .find(|l| l.contains("deleted post"))
        .unwrap_or_else(|| panic!("{bodies:?}"));
    let (who, rest) = line.split_once("deleted post").unwrap();
    assert!(who.contains(&format!("@{}", admin_u.username)), "{line}");
    assert!(rest.contains(&format!("@{}", alice_u.username)), "{line}");
}

async fn incremental_exports_include_history_imported_behind_the_cursor(s: TestServer) {
    let (admin, _) = s.admin().await;
    let (off, _) = officer(&s, &admin, "olivia").await;
    let (alice, alice_u) = s.user("alice").await;
    let team = s.team(&alice, "acme", true).await;
    let _ = team;
    let town = my_channel(&alice, "town-square").await;
    let today = alice.post_message(town.id, "today").await.unwrap();
    let job = off
        .start_incremental_export(ExportFormat::Csv)
        .await
        .unwrap();
    let first = event_ids(&parse_archive(&finished(&off, job.id).await));
    assert!(!first.is_empty());
    // History imported now, claiming to be ten days old: behind the cursor.
    let claimed = now() - 10 * DAY;
    let old = insert_post(&s, town.id, alice_u.id, "imported history", claimed);
    // An imported reaction, as old, on a post the first run exported.
    let reaction = hearth_store::models::ReactionRow {
        post_id: today.id.to_string(),
        user_id: alice_u.id.to_string(),
        emoji_name: "tada".into(),
        created_at: claimed,
    };
    s.server
        .as_ref()
        .expect("server runs")
        .ctx
        .store
        .write(|tx| Ok(hearth_store::posts::add_reaction(tx.conn, &reaction)?))
        .expect("insert reaction");
    let job = off
        .start_incremental_export(ExportFormat::Csv)
        .await
        .unwrap();
    let parsed = parse_archive(&finished(&off, job.id).await);
    let mut second = event_ids(&parsed);
    second.sort();
    let mut expected = vec![
        format!("{old}:c"),
        format!("{}:{}:r:tada", today.id, alice_u.id),
    ];
    expected.sort();
    assert_eq!(
        second, expected,
        "the imported post and reaction are in the next run, once"
    );
    let row = parsed["csv"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["event_id"].as_str() == Some(format!("{old}:c").as_str()))
        .unwrap_or_else(|| panic!("{parsed}"));
    assert_eq!(
        row["timestamp_ms"]
            .as_str()
            .unwrap()
            .parse::<i64>()
            .unwrap(),
        claimed,
        "reported at the time it claims"
    );
}

/// The conversations of an Actiance archive, by room id.
fn rooms(parsed: &Value) -> Vec<&Value> {
    parsed["actiance"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["conversations"].as_array().unwrap())
        .collect()
}

async fn silent_members_take_part_in_every_window(s: TestServer) {
    let (admin, _) = s.admin().await;
    let (off, _) = officer(&s, &admin, "olivia").await;
    let (alice, _) = s.user("alice").await;
    let (_bob, bob_u) = s.user("bob").await;
    let dm = alice
        .direct_channel(&[bob_u.id])
        .await
        .expect("direct channel");
    alice.post_message(dm.id, "are you there?").await.unwrap();
    let job = off
        .start_incremental_export(ExportFormat::Actiance)
        .await
        .unwrap();
    finished(&off, job.id).await;
    // The next window holds no join: Bob, who never answers, is still there.
    alice.post_message(dm.id, "hello?").await.unwrap();
    let job = off
        .start_incremental_export(ExportFormat::Actiance)
        .await
        .unwrap();
    let parsed = parse_archive(&finished(&off, job.id).await);
    let convs = rooms(&parsed);
    let conv = convs
        .iter()
        .find(|c| c["room"].as_str().unwrap().ends_with(&dm.id.to_string()))
        .unwrap_or_else(|| panic!("{parsed}"));
    let bob_login = bob_u.email.clone().unwrap_or(bob_u.username.clone());
    let entered: Vec<&str> = conv["entered"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(entered.contains(&bob_login.as_str()), "{entered:?}");
    // The conversation spans the window: from the cursor to the run's end.
    let start: i64 = conv["start"].as_str().unwrap().parse().unwrap();
    let end: i64 = conv["end"].as_str().unwrap().parse().unwrap();
    assert!(start < end && end <= now(), "{start} {end}");
}

async fn the_first_daily_runs_wait_for_their_configured_time(s: TestServer) {
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
    // A fresh install started at 03:00, after the day's 02:00: nothing yet.
    let midnight = now().div_euclid(DAY) * DAY;
    tick(midnight + 3 * 3_600_000).await;
    assert!(
        admin.compliance_jobs(None, None).await.unwrap().is_empty(),
        "neither the export nor the purge starts with the server"
    );
    tick(midnight + DAY + 3_600_000).await;
    assert!(admin.compliance_jobs(None, None).await.unwrap().is_empty());
    // The next 02:00 starts both.
    tick(midnight + DAY + 2 * 3_600_000).await;
    let jobs = admin.compliance_jobs(None, None).await.unwrap();
    assert_eq!(jobs.len(), 2, "{jobs:?}");
    for j in &jobs {
        wait_job(&admin, j.id).await;
    }
}

/// The published document passes a standard OpenAPI validator
/// (`openapi-spec-validator` from PyPI, installed into a virtual environment
/// under `target/` on first use), which rejects, among other things, a tag
/// declared twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openapi_document_passes_a_standard_validator() {
    let mut s = TestServer::boot(Backend::Sqlite).await;
    let doc = s.client().openapi().await.expect("openapi.json");
    s.stop().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("openapi.json");
    std::fs::write(&path, serde_json::to_vec_pretty(&doc).unwrap()).unwrap();
    let out = std::process::Command::new(openapi_validator())
        .args(["-m", "openapi_spec_validator"])
        .arg(&path)
        .output()
        .expect("the validator runs");
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The Python of the validator's environment, installing it when missing.
/// Built in a scratch directory and renamed into place, so concurrent tests
/// never see a half-made environment (its Python finds its packages
/// wherever the environment lies).
fn openapi_validator() -> std::path::PathBuf {
    let tools = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/tools");
    let venv = tools.join("openapi-venv");
    let exe = venv.join("bin/python");
    if exe.exists() {
        return exe;
    }
    std::fs::create_dir_all(&tools).unwrap();
    let scratch = tempfile::tempdir_in(&tools).unwrap();
    let tmp = scratch.path().join("venv");
    let run = |cmd: &mut std::process::Command| {
        let out = cmd.output().expect("python3 runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run(std::process::Command::new("python3")
        .args(["-m", "venv"])
        .arg(&tmp));
    run(std::process::Command::new(tmp.join("bin/pip")).args([
        "install",
        "--quiet",
        "openapi-spec-validator==0.9.0",
    ]));
    if std::fs::rename(&tmp, &venv).is_err() && !exe.exists() {
        panic!(
            "could not place the validator environment at {}",
            venv.display()
        );
    }
    exe
}

async fn the_audit_head_in_a_manifest_catches_a_cut_back_log(s: TestServer) {
    use diesel::prelude::*;
    use hearth_store::schema::audit_log;

    let (admin, _) = s.admin().await;
    let (off, _) = officer(&s, &admin, "olivia").await;
    for name in ["one", "two", "three"] {
        s.team(&admin, name, true).await;
    }
    let zip = export(&off, all(ExportFormat::Csv)).await;
    let manifest: Value = {
        use std::io::Read;
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
        let mut text = String::new();
        z.by_name("manifest.json")
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        serde_json::from_str(&text).unwrap()
    };
    let head = manifest["metadata"]["audit_head"].clone();
    let hash = head["hash"]
        .as_str()
        .unwrap_or_else(|| panic!("{manifest}"));
    let seq = head["seq"].as_i64().unwrap();
    assert!(seq >= 4, "{head}");

    let v = admin.audit_verify_against(hash).await.unwrap();
    assert!(v.ok, "{v:?}");
    let bad = admin.audit_verify_against("not-hex").await.unwrap_err();
    assert_eq!(bad.code(), Some(hearth_api::ErrorCode::InvalidInput));

    // Someone with database access cuts the log back to before that head:
    // the shorter chain is valid by itself, not against the kept head.
    crate::audit::with_db(&s, |c| {
        diesel::delete(audit_log::table.filter(audit_log::seq.ge(seq))).execute(c)
    });
    assert!(
        admin.audit_verify().await.unwrap().ok,
        "a shorter chain holds"
    );
    let v = admin.audit_verify_against(hash).await.unwrap();
    assert!(!v.ok, "{v:?}");
    assert!(v.reason.unwrap().contains("expected head"));
}

async fn reactions_are_exported(s: TestServer) {
    let (admin, _) = s.admin().await;
    let (off, _) = officer(&s, &admin, "olivia").await;
    let (alice, _) = s.user("alice").await;
    let (bob, bob_u) = s.user("bob").await;
    let team = s.team(&alice, "acme", true).await;
    alice.add_team_member(team.id, bob_u.id).await.unwrap();
    let town = my_channel(&alice, "town-square").await;
    let p = alice.post_message(town.id, "ship it?").await.unwrap();
    bob.add_reaction(p.id, "thumbsup").await.unwrap();

    let csv = parse_archive(&export(&off, all(ExportFormat::Csv)).await);
    let rows = rows_of(&csv, "reaction_added");
    assert_eq!(rows.len(), 1, "{csv}");
    assert_eq!(rows[0]["user_id"], bob_u.id.to_string());
    assert_eq!(rows[0]["post_id"], p.id.to_string());
    assert_eq!(rows[0]["message"], ":thumbsup:");

    let xml = parse_archive(&export(&off, all(ExportFormat::Actiance)).await);
    let bob_login = bob_u.email.clone().unwrap_or(bob_u.username.clone());
    let reacted: Vec<&Value> = rooms(&xml)
        .into_iter()
        .flat_map(|c| c["messages"].as_array().unwrap())
        .filter(|m| {
            m["content"]
                .as_str()
                .unwrap_or("")
                .contains("reacted :thumbsup:")
        })
        .collect();
    assert_eq!(reacted.len(), 1, "{xml}");
    assert_eq!(reacted[0]["login"], bob_login.as_str());

    // Incremental runs take each reaction once.
    let job = off
        .start_incremental_export(ExportFormat::Csv)
        .await
        .unwrap();
    let first = event_ids(&parse_archive(&finished(&off, job.id).await));
    assert_eq!(first.iter().filter(|i| i.contains(":r:")).count(), 1);
    alice.add_reaction(p.id, "tada").await.unwrap();
    let job = off
        .start_incremental_export(ExportFormat::Csv)
        .await
        .unwrap();
    let second = event_ids(&parse_archive(&finished(&off, job.id).await));
    assert_eq!(second.len(), 1, "{second:?}");
    assert!(second[0].ends_with(":r:tada"), "{second:?}");
}

async fn audit_entries_record_the_client_address(s: TestServer) {
    let (admin, admin_u) = s.admin().await;
    s.team(&admin, "acme", true).await;
    let page = admin
        .audit_log(&hearth_api::AuditQuery {
            limit: Some(1000),
            ..Default::default()
        })
        .await
        .unwrap();
    let mine: Vec<_> = page
        .entries
        .iter()
        .filter(|e| e.actor_id == Some(admin_u.id))
        .collect();
    assert!(!mine.is_empty(), "{:?}", page.entries);
    for e in mine {
        assert_eq!(e.ip.as_deref(), Some("127.0.0.1"), "{e:?}");
    }
    // The chain still verifies: the address is kept beside the entry.
    assert!(admin.audit_verify().await.unwrap().ok);
}

async fn a_mattermost_profile_writes_mattermost_csv(s: TestServer) {
    let (admin, _) = s.admin().await;
    let (off, _) = officer(&s, &admin, "olivia").await;
    let (alice, alice_u) = s.user("alice").await;
    let team = s.team(&alice, "acme", true).await;
    let _ = team;
    let town = my_channel(&alice, "town-square").await;
    let p = alice.post_message(town.id, "draft").await.unwrap();
    alice.edit_post(p.id, "final").await.unwrap();
    let d = alice.post_message(town.id, "oops").await.unwrap();
    alice.delete_post(d.id).await.unwrap();

    let mut req = all(ExportFormat::Csv);
    req.profile = hearth_api::ExportProfile::Mattermost;
    let parsed = parse_archive(&export(&off, req).await);
    let files: Vec<&str> = parsed["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    assert!(
        files.contains(&"mattermost/batch-000001/posts.csv"),
        "{files:?}"
    );
    assert!(!files.iter().any(|f| f.starts_with("csv/")), "{files:?}");
    let rows = parsed["csv"].as_array().unwrap();
    let columns: Vec<&str> = rows[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut expected = vec![
        "Post Creation Time",
        "Team Id",
        "Team Name",
        "Team Display Name",
        "Channel Id",
        "Channel Name",
        "Channel Display Name",
        "Channel Type",
        "User Id",
        "User Email",
        "Username",
        "Post Id",
        "Edited By Post Id",
        "Replied to Post Id",
        "Post Message",
        "Post Type",
        "User Type",
        "Previews Post Id",
    ];
    let mut got = columns.clone();
    got.sort_unstable();
    expected.sort_unstable();
    assert_eq!(got, expected);
    let find = |f: &dyn Fn(&Value) -> bool| rows.iter().filter(|r| f(r)).count();
    let pid = p.id.to_string();
    assert_eq!(
        find(&|r| r["Post Id"] == pid.as_str() && r["Post Message"] == "draft"),
        1,
        "the post as first written"
    );
    assert_eq!(
        find(&|r| r["Edited By Post Id"] == pid.as_str() && r["Post Message"] == "draft"),
        1,
        "the earlier text, pointing at the post"
    );
    assert_eq!(
        find(&|r| r["Post Id"] == d.id.to_string().as_str() && r["Post Message"] == "delete oops"),
        1
    );
    assert!(
        find(&|r| r["Post Type"] == "enter" && r["User Id"] == alice_u.id.to_string().as_str())
            >= 1,
        "{rows:?}"
    );
    assert!(rows.iter().all(|r| {
        [
            "message",
            "enter",
            "leave",
            "previously-joined",
            "attachment",
        ]
        .contains(&r["Post Type"].as_str().unwrap())
    }));
}
