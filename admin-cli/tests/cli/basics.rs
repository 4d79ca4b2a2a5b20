//! What works without a server: token-file rules, profiles, completion, the
//! man page, help and the client version.

use std::os::unix::fs::PermissionsExt;

use crate::harness::run_in;

#[tokio::test]
async fn a_world_readable_token_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("t");
    std::fs::write(&f, "secret").unwrap();
    std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o644)).unwrap();
    let path = f.to_str().unwrap();
    let r = run_in(
        dir.path(),
        &[
            "--url",
            "http://127.0.0.1:9",
            "--token-file",
            path,
            "user",
            "list",
        ],
    )
    .await;
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stderr.contains("chmod 600"), "{r:?}");
    let r = run_in(
        dir.path(),
        &[
            "profile",
            "add",
            "p",
            "--url",
            "http://x",
            "--token-file",
            path,
        ],
    )
    .await;
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stderr.contains("chmod 600"), "{r:?}");
}

#[tokio::test]
async fn profiles_are_added_listed_chosen_and_removed() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("t");
    std::fs::write(&f, "secret").unwrap();
    std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o600)).unwrap();
    let path = f.to_str().unwrap();
    let r = run_in(
        dir.path(),
        &[
            "profile",
            "add",
            "prod",
            "--url",
            "https://chat.example.com",
            "--token-file",
            path,
        ],
    )
    .await;
    assert_eq!(r.code, 0, "{r:?}");
    run_in(
        dir.path(),
        &[
            "profile",
            "add",
            "test",
            "--url",
            "http://127.0.0.1:9",
            "--token-file",
            path,
        ],
    )
    .await;
    let list: serde_json::Value = serde_json::from_str(
        &run_in(dir.path(), &["--json", "profile", "list"])
            .await
            .stdout,
    )
    .unwrap();
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert_eq!(list[0]["name"], "prod");
    assert_eq!(
        list[0]["default"], true,
        "the first profile becomes the default"
    );
    let r = run_in(dir.path(), &["profile", "use", "test"]).await;
    assert_eq!(r.code, 0, "{r:?}");
    let table = run_in(dir.path(), &["profile", "list"]).await.stdout;
    assert!(
        table.lines().any(|l| l.contains('*') && l.contains("test")),
        "{table}"
    );
    // The default profile is used: its server is unreachable here.
    let r = run_in(dir.path(), &["user", "list"]).await;
    assert_eq!(r.code, 6, "{r:?}");
    let r = run_in(dir.path(), &["--profile", "nope", "user", "list"]).await;
    assert_eq!(r.code, 3, "{r:?}");
    let r = run_in(dir.path(), &["profile", "remove", "test"]).await;
    assert_eq!(r.code, 0, "{r:?}");
    let list: serde_json::Value = serde_json::from_str(
        &run_in(dir.path(), &["--json", "profile", "list"])
            .await
            .stdout,
    )
    .unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);
    // No profile chosen and no URL: a usage error that says what to do.
    let r = run_in(dir.path(), &["user", "list"]).await;
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("--local"), "{r:?}");
}

#[tokio::test]
async fn completion_man_and_help_come_from_the_cli_definition() {
    let dir = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish"] {
        let r = run_in(dir.path(), &["completion", shell]).await;
        assert_eq!(r.code, 0, "{r:?}");
        assert!(
            r.stdout.contains("hearthctl") && r.stdout.contains("reset-password"),
            "{shell}"
        );
    }
    let man = run_in(dir.path(), &["man"]).await;
    assert_eq!(man.code, 0);
    assert!(
        man.stdout.contains(".TH hearthctl"),
        "{}",
        &man.stdout[..200.min(man.stdout.len())]
    );
    assert!(
        man.stdout.contains("Exit codes"),
        "the man page documents the exit codes"
    );
    let help = run_in(dir.path(), &["--help"]).await;
    assert_eq!(help.code, 0);
    assert!(help.stdout.contains("Exit codes") && help.stdout.contains("server unreachable"));
}

#[tokio::test]
async fn version_works_without_a_server() {
    let dir = tempfile::tempdir().unwrap();
    let r = run_in(dir.path(), &["--json", "system", "version"]).await;
    assert_eq!(r.code, 0, "{r:?}");
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["client"], env!("CARGO_PKG_VERSION"));
    assert!(v["server"].is_null());
    let r = run_in(dir.path(), &["system", "version"]).await;
    assert!(
        r.stdout
            .contains(&format!("hearthctl {}", env!("CARGO_PKG_VERSION"))),
        "{r:?}"
    );
}
