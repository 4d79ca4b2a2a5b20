//! Search, directory status, the audit log and exit codes against a live
//! server.

use crate::both_backends;
use crate::harness::TestServer;

both_backends!(search_ldap_and_audit, exit_codes_name_the_failure);

/// A provider nobody answers for: the check fails at its first step, says
/// so in both outputs, and exits 1.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oidc_test_names_the_failed_step() {
    use crate::harness::{Backend, TestServer};
    let mut s = TestServer::boot_with(Backend::Sqlite, |c| {
        let mut p = hearth_identity::oidc::OidcProviderConfig::new(
            "corp",
            "http://127.0.0.1:9/realms/corp",
            "hearth",
            Some("secret".into()),
            "http://127.0.0.1:8065/api/v1/oauth/corp/callback",
        );
        p.http_timeout_ms = 2_000;
        c.oidc.providers = vec![p];
    })
    .await;
    s.admin().await;
    let r = s.ctl(&["--json", "oidc", "test", "corp"]).await;
    assert_eq!(r.code, 1, "{r:?}");
    let d: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(d["ok"], false);
    assert_eq!(d["steps"][0]["check"], "discovery");
    assert_eq!(d["steps"][0]["status"], "failed");
    let r = s.ctl(&["oidc", "test", "corp"]).await;
    assert_eq!(r.code, 1);
    assert!(
        r.stdout.contains("discovery") && r.stdout.contains("failed"),
        "{r:?}"
    );
    assert!(r.stderr.contains("discovery check"), "{r:?}");
    let r = s.ctl(&["oidc", "test", "other"]).await;
    assert_eq!(r.code, 3, "{r:?}");
}

async fn search_ldap_and_audit(mut s: TestServer) {
    s.admin().await;
    let st = s.ctl(&["--json", "search", "status"]).await.json();
    assert_eq!(st["enabled"], true);
    let t = s.ctl(&["search", "status"]).await;
    assert!(t.ok().contains("changes not yet indexed"), "{t:?}");
    let r = s.ctl(&["--json", "search", "reindex"]).await.json();
    assert_eq!(r["rebuilding"], false);
    let t = s.ctl(&["search", "reindex"]).await;
    assert!(t.ok().contains("Index rebuilt"), "{t:?}");

    let st = s.ctl(&["--json", "ldap", "status"]).await.json();
    assert_eq!(st["enabled"], false);
    assert!(s.ctl(&["ldap", "status"]).await.ok().contains("enabled"));

    // Some audited actions, then query, export and verify.
    for name in ["user1", "user2", "user3"] {
        s.ctl(&[
            "user",
            "create",
            "--username",
            name,
            "--email",
            &format!("{name}@example.com"),
        ])
        .await
        .ok();
    }
    let page = s
        .ctl(&[
            "--json",
            "audit",
            "query",
            "--action",
            "user.create",
            "--actor",
            "admin",
        ])
        .await
        .json();
    let entries = page["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 3);
    let first_at = entries[0]["at"].as_i64().unwrap();
    let later = s
        .ctl(&[
            "--json",
            "audit",
            "query",
            "--action",
            "user.create",
            "--since",
            &(first_at + 1).to_string(),
        ])
        .await
        .json();
    assert!(
        later["entries"].as_array().unwrap().len() < 3
            || first_at == entries[2]["at"].as_i64().unwrap()
    );
    let none = s
        .ctl(&["--json", "audit", "query", "--until", "1970-01-02"])
        .await
        .json();
    assert!(none["entries"].as_array().unwrap().is_empty());
    let t = s.ctl(&["audit", "query", "--limit", "2"]).await;
    assert!(t.ok().contains("seq"), "{t:?}");

    let all = s
        .ctl(&["--json", "audit", "query", "--limit", "1000"])
        .await
        .json();
    let total = all["entries"].as_array().unwrap().len();
    let jsonl = s.ctl(&["audit", "export"]).await;
    let lines: Vec<serde_json::Value> = jsonl
        .ok()
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    assert_eq!(lines.len(), total);
    let file = s.dir.path().join("audit.csv");
    let r = s
        .ctl(&[
            "--json",
            "audit",
            "export",
            "--format",
            "csv",
            "--output",
            file.to_str().unwrap(),
            "--action",
            "user.create",
        ])
        .await
        .json();
    assert_eq!(r["entries"], 3);
    let csv = std::fs::read_to_string(&file).unwrap();
    assert!(csv.starts_with("seq,id,at,actor_id,action"), "{csv}");
    assert_eq!(csv.lines().count(), 4);

    let v = s.ctl(&["--json", "audit", "verify"]).await.json();
    assert_eq!(v["ok"], true);
    assert_eq!(v["entries"].as_u64().unwrap() as usize, total);
}

async fn exit_codes_name_the_failure(mut s: TestServer) {
    s.admin().await;
    // 3: not found, with the server's code.
    let r = s.ctl(&["user", "show", "nobody"]).await;
    assert_eq!(r.code, 3, "{r:?}");
    assert!(r.stderr.contains("not_found"), "{r:?}");
    let r = s
        .ctl(&["--json", "user", "show", "nobody@example.com"])
        .await;
    assert_eq!(r.code, 3, "{r:?}");
    let err: serde_json::Value = serde_json::from_str(r.stderr.trim()).expect("JSON error");
    assert_eq!(err["error"]["code"], "not_found");
    // 5: conflict and invalid input.
    let r = s
        .ctl(&[
            "user",
            "create",
            "--username",
            "admin",
            "--email",
            "x@example.com",
        ])
        .await;
    assert_eq!(r.code, 5, "{r:?}");
    assert!(r.stderr.contains("conflict"), "{r:?}");
    let r = s
        .ctl(&[
            "user",
            "create",
            "--username",
            "ok",
            "--email",
            "not-an-email",
        ])
        .await;
    assert_eq!(r.code, 5, "{r:?}");
    assert!(r.stderr.contains("invalid_input"), "{r:?}");
    // 4: permission denied for an ordinary user, and for a bad token.
    let carol = s.user_token("carol").await;
    let r = s
        .run(&[
            "--url",
            &s.url,
            "--token-file",
            carol.to_str().unwrap(),
            "audit",
            "verify",
        ])
        .await;
    assert_eq!(r.code, 4, "{r:?}");
    assert!(r.stderr.contains("forbidden"), "{r:?}");
    let bad = s.write_token("bad.token", "not-a-token");
    let r = s
        .run(&[
            "--url",
            &s.url,
            "--token-file",
            bad.to_str().unwrap(),
            "user",
            "list",
        ])
        .await;
    assert_eq!(r.code, 4, "{r:?}");
    // 6: nobody listening.
    let r = s
        .run(&[
            "--url",
            "http://127.0.0.1:9",
            "--token-file",
            bad.to_str().unwrap(),
            "user",
            "list",
        ])
        .await;
    assert_eq!(r.code, 6, "{r:?}");
    let r = s
        .run(&[
            "--socket",
            s.dir.path().join("nope.sock").to_str().unwrap(),
            "user",
            "list",
        ])
        .await;
    assert_eq!(r.code, 6, "{r:?}");
    // 5: the local administrator cannot own a team (it has no account).
    let r = s
        .local(&["team", "create", "--name", "ops", "--display-name", "Ops"])
        .await;
    assert_eq!(r.code, 5, "{r:?}");
    assert!(r.stderr.contains("no account"), "{r:?}");
    // 2: usage.
    let r = s.ctl(&["user", "frobnicate"]).await;
    assert_eq!(r.code, 2, "{r:?}");
}
