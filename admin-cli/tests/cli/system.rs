//! `hearthctl system …` against a live server. Status and configuration use
//! the system administration endpoints.

use crate::both_backends;
use crate::harness::TestServer;

both_backends!(version_names_the_server, status_config_and_reload);

async fn version_names_the_server(mut s: TestServer) {
    s.admin().await;
    let v = s.ctl(&["--json", "system", "version"]).await.json();
    assert_eq!(v["server"], env!("CARGO_PKG_VERSION"));
    let v = s.local(&["system", "version"]).await;
    assert!(v.ok().contains("server"), "{v:?}");
}

async fn status_config_and_reload(mut s: TestServer) {
    s.admin().await;
    let st = s.ctl(&["--json", "system", "status"]).await.json();
    assert_eq!(st["users"]["total"], 1);
    let backend = st["database"]["backend"].as_str().unwrap().to_string();
    assert!(backend == "sqlite" || backend == "postgres", "{st}");
    assert_eq!(st["posts"]["per_day"].as_array().unwrap().len(), 30);
    let t = s.ctl(&["system", "status"]).await;
    assert!(
        t.ok().contains("uptime") && t.stdout.contains(&backend),
        "{t:?}"
    );

    let cfg = s.ctl(&["--json", "system", "config", "show"]).await.json();
    assert!(cfg["config"]["server"].is_object());
    let t = s.ctl(&["system", "config", "show"]).await;
    assert!(t.ok().contains("[accounts]"), "{t:?}");
    let r = s
        .ctl(&[
            "--json",
            "system",
            "config",
            "set",
            "accounts.signup=invite_only",
        ])
        .await
        .json();
    assert_eq!(r["config"]["accounts"]["signup"], "invite_only");
    let bad = s
        .ctl(&["system", "config", "set", "log.format=fancy"])
        .await;
    assert_eq!(bad.code, 5, "{bad:?}");
    assert!(bad.stderr.contains("invalid_config"), "{bad:?}");
    let t = s
        .ctl(&["system", "config", "set", "server.shutdown_grace_secs=3"])
        .await;
    assert!(t.ok().contains("after a restart"), "{t:?}");

    let file = s.dir.path().join("partial.toml");
    std::fs::write(&file, "[accounts]\nsignup = \"disabled\"\n").unwrap();
    let r = s
        .ctl(&[
            "--json",
            "system",
            "config",
            "validate",
            file.to_str().unwrap(),
        ])
        .await
        .json();
    assert_eq!(r["valid"], true);
    let r = s.ctl(&["--json", "system", "reload"]).await.json();
    assert!(r["config"].is_object());
    let t = s.ctl(&["system", "reload"]).await;
    assert!(t.ok().contains("reloaded"), "{t:?}");
}
