//! `hearth-load` against a real server: a small run must deliver every post
//! to every member exactly once and report it.

use std::process::Command;

use hearth_testkit::{Backend, TestDb, test_config};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn small_run_delivers_everything_once() {
    let db = TestDb::new(Backend::Sqlite);
    let mut cfg = test_config(Backend::Sqlite, db.dir.path(), None);
    cfg.limits.logins_per_minute = 10_000;
    cfg.limits.signups_per_hour = 10_000;
    let server = hearth_server::start(cfg, 2).await.unwrap();
    let token = server.setup_token.clone().unwrap();
    let url = server.url();
    let out = tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_hearth-load"))
            .args([
                "--url",
                &url,
                "--setup-token",
                &token,
                "--admin-password",
                "load-admin-password",
            ])
            .args([
                "--users",
                "20",
                "--channels",
                "4",
                "--members-per-channel",
                "10",
            ])
            .args([
                "--rate",
                "20",
                "--duration",
                "3",
                "--warmup",
                "1",
                "--drain",
                "2",
                "--settle",
                "0",
            ])
            .args(["--json", "--quiet"])
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    server.stop().await;
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "exit {:?}\n{stdout}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["healthy"], true);
    assert_eq!(report["connections"]["open"], 20);
    let d = &report["deliveries"];
    let expected = d["expected"].as_u64().unwrap();
    // About 60 measured posts to 10 members each.
    assert!(expected >= 400, "{d}");
    assert_eq!(d["received"].as_u64().unwrap(), expected);
    assert_eq!(d["lost"], 0);
    assert_eq!(d["duplicates"], 0);
    assert_eq!(report["events"]["seq_gaps"], 0);
}
