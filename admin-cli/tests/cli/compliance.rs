//! Retention, legal holds, exports, account deletion and imports through
//! `hearthctl`, in table and `--json` output.

use hearth_api::{ChannelKind, CreateChannelRequest, CreateTeamRequest, Role};

use crate::both_backends;
use crate::harness::TestServer;

both_backends!(retention_holds_and_exports, imports_report_and_apply);

async fn retention_holds_and_exports(mut s: TestServer) {
    let admin = s.admin().await;
    s.user_token("alice").await;
    let officer = s.user_token("olivia").await;
    let team = admin
        .create_team(&CreateTeamRequest {
            name: "acme".into(),
            display_name: "Acme".into(),
            open: true,
            ..Default::default()
        })
        .await
        .unwrap();
    let alice_id = admin.user_by_username("alice").await.unwrap().id;
    admin.add_team_member(team.id, alice_id).await.unwrap();

    // Retention: the global default and a channel override.
    let t = s.ctl(&["retention", "set", "--messages", "90"]).await;
    assert!(t.ok().contains("90 days"), "{t:?}");
    let t = s
        .ctl(&[
            "retention",
            "set",
            "--channel",
            "acme:town-square",
            "--messages",
            "forever",
            "--files",
            "30d",
        ])
        .await;
    assert!(t.ok().contains("keep forever"), "{t:?}");
    let p = s.ctl(&["--json", "retention", "show"]).await.json();
    let policies = p["policies"].as_array().unwrap();
    assert_eq!(policies.len(), 2);
    assert!(
        policies
            .iter()
            .any(|x| x["scope"] == "channel" && x["messages_days"] == 0 && x["files_days"] == 30)
    );
    assert!(
        s.ctl(&["retention", "show"])
            .await
            .ok()
            .contains("Daily purge: 02:00 UTC")
    );
    let bad = s.ctl(&["retention", "set", "--messages", "soon"]).await;
    assert_eq!(bad.code, 2, "{bad:?}");
    let d = s.ctl(&["--json", "retention", "dry-run"]).await.json();
    assert_eq!(d["posts"], 0);
    assert!(
        s.ctl(&["retention", "dry-run"])
            .await
            .ok()
            .contains("would be deleted")
    );
    let r = s
        .ctl(&["--json", "retention", "run", "--wait"])
        .await
        .json();
    assert_eq!(r["status"], "succeeded");
    assert!(
        s.ctl(&["retention", "remove", "--channel", "acme:town-square"])
            .await
            .code
            == 0
    );
    assert_eq!(
        s.ctl(&["--json", "retention", "show"]).await.json()["policies"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // Legal holds by name.
    let h = s
        .ctl(&[
            "--json",
            "hold",
            "create",
            "matter-17",
            "--custodian",
            "alice",
            "--description",
            "pending litigation",
        ])
        .await
        .json();
    assert_eq!(h["status"], "active");
    assert_eq!(h["custodians"][0], alice_id.to_string());
    let t = s.ctl(&["hold", "list"]).await;
    assert!(t.ok().contains("matter-17"), "{t:?}");
    let t = s.ctl(&["hold", "show", "matter-17"]).await;
    assert!(t.ok().contains("covered posts"), "{t:?}");
    let dup = s
        .ctl(&["hold", "create", "matter-17", "--custodian", "alice"])
        .await;
    assert_eq!(dup.code, 5, "a taken name is a conflict: {dup:?}");
    let missing = s.ctl(&["hold", "show", "nope"]).await;
    assert_eq!(missing.code, 3);

    // Exports: admins start and follow them, only officers download.
    let j = s
        .ctl(&["--json", "export", "start", "--format", "csv", "--wait"])
        .await
        .json();
    assert_eq!(j["status"], "succeeded", "{j}");
    let id = j["id"].as_str().unwrap().to_string();
    let t = s.ctl(&["export", "jobs"]).await;
    assert!(t.ok().contains(&id), "{t:?}");
    assert!(
        s.ctl(&["export", "status", &id])
            .await
            .ok()
            .contains("succeeded")
    );
    let zip = s.dir.path().join("export.zip");
    let zip_s = zip.to_str().unwrap();
    let denied = s.ctl(&["export", "download", &id, "-o", zip_s]).await;
    assert_eq!(denied.code, 4, "admins do not download content: {denied:?}");
    // Only the operator on the host makes a compliance officer: the admin's
    // token is refused, the local socket is not.
    let refused = s
        .ctl(&["user", "role", "olivia", "compliance_officer"])
        .await;
    assert_eq!(refused.code, 4, "{refused:?}");
    assert!(
        refused.stderr.contains("separation_of_duties"),
        "{refused:?}"
    );
    // Creating an officer with a token is refused before any account exists.
    let refused = s
        .ctl(&[
            "user",
            "create",
            "--username",
            "puppet",
            "--email",
            "puppet@example.com",
            "--role",
            "compliance_officer",
        ])
        .await;
    assert_eq!(refused.code, 4, "{refused:?}");
    assert!(admin.user_by_username("puppet").await.is_err());
    s.local(&["user", "role", "olivia", "compliance_officer"])
        .await
        .ok();
    assert_eq!(
        admin.user_by_username("olivia").await.unwrap().role,
        Role::ComplianceOfficer
    );
    let as_officer = |args: &[&str]| {
        let mut full = vec![
            "--url",
            s.url.as_str(),
            "--token-file",
            officer.to_str().unwrap(),
        ];
        full.extend_from_slice(args);
        full.iter().map(|x| x.to_string()).collect::<Vec<_>>()
    };
    let args = as_officer(&["--json", "export", "download", &id, "-o", zip_s]);
    let d = s
        .run(&args.iter().map(String::as_str).collect::<Vec<_>>())
        .await
        .json();
    assert!(d["bytes"].as_u64().unwrap() > 0);
    let bytes = std::fs::read(&zip).unwrap();
    assert_eq!(&bytes[..2], b"PK", "a zip archive");
    let args = as_officer(&[
        "hold",
        "export",
        "matter-17",
        "--format",
        "actiance",
        "-o",
        zip_s,
    ]);
    let t = s
        .run(&args.iter().map(String::as_str).collect::<Vec<_>>())
        .await;
    assert!(t.ok().contains("Saved"), "{t:?}");
    let args = as_officer(&[
        "--json",
        "export",
        "incremental",
        "--format",
        "global-relay",
        "--wait",
    ]);
    let j = s
        .run(&args.iter().map(String::as_str).collect::<Vec<_>>())
        .await
        .json();
    assert_eq!(j["status"], "succeeded");
    // Everything is younger than the late-commit margin: left for the next run.
    assert_eq!(j["result"]["counts"]["records_exported"], 0, "{j}");
    let c = s.ctl(&["--json", "export", "cursors"]).await.json();
    assert!(
        c.as_array().unwrap().is_empty(),
        "the cursor did not move: {c}"
    );
    assert_eq!(s.ctl(&["export", "cursors"]).await.code, 0);

    // Account deletion keeps what the hold covers.
    let refused = s.ctl(&["user", "delete", "alice"]).await;
    assert_eq!(refused.code, 2, "no --yes without a terminal: {refused:?}");
    let out = s
        .ctl(&[
            "--json",
            "user",
            "delete",
            "alice",
            "--erase-content",
            "--yes",
        ])
        .await
        .json();
    assert_eq!(out["holds"].as_array().unwrap().len(), 1);
    assert!(out["username"].as_str().unwrap().starts_with("deleted-"));
    let t = s.ctl(&["hold", "release", "matter-17"]).await;
    assert!(t.ok().contains("Released"), "{t:?}");
    assert_eq!(
        s.ctl(&["--json", "hold", "list", "--active"])
            .await
            .json()
            .as_array()
            .unwrap()
            .len(),
        0
    );
}

async fn imports_report_and_apply(mut s: TestServer) {
    let admin = s.admin().await;
    let eng = admin
        .create_team(&CreateTeamRequest {
            name: "engineering".into(),
            display_name: "Engineering".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    admin
        .create_team(&CreateTeamRequest {
            name: "sales".into(),
            display_name: "Sales".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    admin
        .create_channel(&CreateChannelRequest {
            team_id: eng.id,
            kind: ChannelKind::Private,
            name: "backend".into(),
            display_name: "Backend".into(),
            purpose: None,
            header: None,
        })
        .await
        .unwrap();
    let fixtures = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../server/crates/import/tests/fixtures"
    );
    // The messy sheet: a dry run names the bad rows and exits 5.
    let messy = format!("{fixtures}/users.xlsx");
    let r = s
        .ctl(&["--json", "import", "users", &messy, "--dry-run"])
        .await;
    assert_eq!(r.code, 5, "{r:?}");
    let report: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert!(report["errors"].as_u64().unwrap() > 0);
    assert!(
        report["rows"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["status"] == "error")
    );
    let t = s.ctl(&["import", "users", &messy, "--dry-run"]).await;
    assert!(t.stdout.contains("Nothing was written"), "{t:?}");
    let bad = s
        .ctl(&["import", "users", &messy, "--mapping", "not json"])
        .await;
    assert_eq!(bad.code, 2);
    // The clean sheet applies, and a second run changes nothing.
    let clean = format!("{fixtures}/users-clean.xlsx");
    let r = s.ctl(&["--json", "import", "users", &clean]).await.json();
    assert_eq!(r["applied"], true, "{r}");
    assert!(r["created"].as_u64().unwrap() > 0);
    let t = s.ctl(&["import", "users", &clean]).await;
    assert!(t.ok().contains("0 to create"), "{t:?}");

    // A Mattermost bulk file, twice: the rerun imports nothing new.
    let jsonl = s.dir.path().join("bulk.jsonl");
    std::fs::write(
        &jsonl,
        concat!(
            r#"{"type":"version","version":1}"#, "\n",
            r#"{"type":"team","team":{"name":"ops","display_name":"Operations","type":"O"}}"#, "\n",
            r#"{"type":"channel","channel":{"team":"ops","name":"oncall","display_name":"On call","type":"O"}}"#, "\n",
            r#"{"type":"user","user":{"username":"pat","email":"pat@example.com","teams":[{"name":"ops","channels":[{"name":"oncall"}]}]}}"#, "\n",
            r#"{"type":"post","post":{"team":"ops","channel":"oncall","user":"pat","message":"pager is quiet","create_at":1704153600000}}"#, "\n",
        ),
    )
    .unwrap();
    let path = jsonl.to_str().unwrap();
    let r = s
        .ctl(&["--json", "import", "mattermost", path])
        .await
        .json();
    assert_eq!(r["posts"], 1, "{r}");
    assert_eq!(r["teams_created"], 1);
    let t = s.ctl(&["import", "mattermost", path]).await;
    assert!(t.ok().contains("already imported"), "{t:?}");
    let r = s
        .ctl(&["--json", "import", "mattermost", path])
        .await
        .json();
    assert_eq!(r["posts"], 0);
    assert!(r["skipped"].as_u64().unwrap() > 0);
}
