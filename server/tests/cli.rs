//! The `hearth` command line: configuration checks and migrations.

use std::process::Command;

fn hearth() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_hearth"));
    // A stray HEARTH_* variable in the environment must not change the outcome.
    for (k, _) in std::env::vars() {
        if k.starts_with("HEARTH_") {
            c.env_remove(k);
        }
    }
    c
}

#[test]
fn config_check_accepts_the_example_and_names_the_bad_key() {
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/../packaging/hearth.toml");
    let ok = hearth()
        .args(["config", "check", "--config", example])
        .output()
        .unwrap();
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(String::from_utf8_lossy(&ok.stdout).contains("\"listen\": \"127.0.0.1:8065\""));

    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "[database]\nurl = \"mysql://x\"\n").unwrap();
    let out = hearth()
        .args(["config", "check", "--config"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("database.url"), "{err}");

    let out = hearth()
        .args(["config", "check"])
        .env("HEARTH_ACCOUNTS__SIGNUP", "sometimes")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("sometimes"));

    let missing = hearth()
        .args(["config", "check", "--config", "/nonexistent/hearth.toml"])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("does not exist"));
}

#[test]
fn db_migrate_creates_the_embedded_database() {
    let dir = tempfile::tempdir().unwrap();
    let out = hearth()
        .args(["db", "migrate"])
        .env("HEARTH_SERVER__DATA_DIR", dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(dir.path().join("hearth.db").exists());
    // Running it again is a no-op that still succeeds.
    let again = hearth()
        .args(["db", "migrate"])
        .env("HEARTH_SERVER__DATA_DIR", dir.path())
        .output()
        .unwrap();
    assert!(again.status.success());
}
