//! System administration: the status figures match what exists, and
//! configuration changes are validated, saved into the file keeping its
//! comments, applied live where they can be, locked where fixed elsewhere,
//! audited by key name only, and refused to everyone but system admins.

use hearth_api::{CreatePostRequest, ErrorCode};
use hearth_client::Client;
use serde_json::{Map, Value, json};

use crate::both_backends;
use crate::harness::{Backend, TestServer, audit_actions, my_channel};

both_backends!(
    status_counts_what_exists,
    config_changes_are_saved_applied_and_audited,
    secrets_stay_hidden_and_unchanged,
    only_system_admins_administer_the_system,
    admins_reset_passwords,
);

fn set(pairs: &[(&str, Value)]) -> Map<String, Value> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

async fn status_counts_what_exists(s: TestServer) {
    let (admin, _) = s.admin().await;
    let (bob, _) = s.user("bob").await;
    let (_carol, carol_user) = s.user("carol").await;
    admin.set_active(carol_user.id, false).await.unwrap();
    s.team(&admin, "alpha", true).await;
    s.team(&bob, "bobs-own", false).await;
    let all: Vec<String> = admin
        .all_teams()
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.name)
        .collect();
    assert_eq!(
        all,
        vec!["alpha".to_string(), "bobs-own".to_string()],
        "invite-only teams included"
    );
    assert_eq!(
        bob.all_teams().await.unwrap_err().code(),
        Some(ErrorCode::Forbidden)
    );
    let ch = my_channel(&admin, "town-square").await;
    let before = admin.system_status().await.unwrap().posts.total;
    for i in 0..3 {
        admin
            .create_post(&CreatePostRequest {
                channel_id: ch.id,
                message: format!("hello {i}"),
                root_id: None,
                file_ids: vec![],
                idempotency_key: None,
            })
            .await
            .unwrap();
    }

    let st = admin.system_status().await.unwrap();
    assert_eq!(st.version, env!("CARGO_PKG_VERSION"));
    assert!(st.uptime_secs < 600);
    assert_eq!(
        (
            st.users.total,
            st.users.active,
            st.users.deactivated,
            st.users.bots
        ),
        (3, 2, 1, 0)
    );
    // The admin's and bob's sessions; carol's ended with her deactivation.
    assert_eq!(st.sessions.active, 2);
    assert_eq!(st.teams, 2);
    assert!(
        st.channels >= 2,
        "town square and off-topic: {}",
        st.channels
    );
    assert_eq!(st.posts.total, before + 3);
    assert_eq!(st.posts.per_day.len(), 30);
    let today = st.posts.per_day.last().unwrap();
    assert_eq!(today.count, st.posts.total, "every post was made today");
    assert!(st.posts.per_day[..29].iter().all(|d| d.count == 0));
    assert!(st.posts.per_day[0].day < today.day);
    assert_eq!(today.day.len(), 10);
    let backend = match s.backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    };
    assert_eq!(st.database.backend, backend);
    assert!(st.database.ok);
    assert!(st.database.size_bytes.is_some_and(|n| n > 0));
    assert!(st.search.as_ref().is_some_and(|x| x.enabled));
    assert!(st.ldap.is_none(), "no directory configured");
    assert!(st.jobs.is_empty());
}

async fn config_changes_are_saved_applied_and_audited(s: TestServer) {
    let (admin, _) = s.admin().await;
    let ctx = s.server.as_ref().unwrap().ctx.clone();
    let view = admin.config().await.unwrap();
    assert_eq!(view.source, None, "started without a file");
    assert!(view.writable);
    assert_eq!(view.config["login"]["lockout_threshold"], 10);
    assert!(view.restart_keys.contains(&"server".to_string()));

    // A live key and a restart key: the file is created in the data directory.
    let changed = admin
        .patch_config(set(&[
            ("login.lockout_threshold", json!(3)),
            ("server.shutdown_grace_secs", json!(5)),
        ]))
        .await
        .unwrap();
    let file = s.dir.path().join("hearth.toml");
    assert_eq!(changed.source.as_deref(), Some(file.to_str().unwrap()));
    assert_eq!(
        changed.restart_required,
        Some(vec!["server.shutdown_grace_secs".to_string()])
    );
    assert_eq!(changed.config["login"]["lockout_threshold"], 3);
    assert_eq!(changed.config["server"]["shutdown_grace_secs"], 5);
    assert_eq!(ctx.config().login.lockout_threshold, 3, "applied live");
    assert_eq!(
        ctx.config().server.shutdown_grace_secs,
        1,
        "kept until restart"
    );
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("lockout_threshold = 3"), "{text}");
    // The file holds what the server ran with, so a restart from it is the same server.
    let reread = hearth_server::Config::load(Some(&file)).unwrap();
    assert_eq!(reread.database.url, ctx.config().database.url);

    // The admin's own comments survive later changes.
    std::fs::write(&file, format!("# kept by the console\n{text}")).unwrap();
    admin
        .patch_config(set(&[("mfa.issuer", json!("Acme Chat"))]))
        .await
        .unwrap();
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.starts_with("# kept by the console\n"), "{text}");
    assert_eq!(ctx.config().mfa.issuer, "Acme Chat");

    // Bad values and unknown keys are refused with the key named; nothing is written.
    for (key, value, named) in [
        ("server.listen", json!("nope"), "server.listen"),
        ("login.lockout_treshold", json!(3), "lockout_treshold"),
        (
            "mfa.challenge_ttl_secs",
            json!("soon"),
            "challenge_ttl_secs",
        ),
        ("ldap.directory.urls", json!(["http://x"]), "ldap.directory"),
    ] {
        let e = admin
            .patch_config(set(&[(key, value.clone())]))
            .await
            .unwrap_err();
        assert_eq!(e.code(), Some(ErrorCode::InvalidConfig), "{key}: {e}");
        assert_eq!(e.status(), Some(400));
        assert!(e.to_string().contains(named), "{key}: {e}");
        let e = admin
            .validate_config(json!({ key.split('.').next().unwrap(): {} }))
            .await;
        assert!(e.is_ok(), "an empty section is valid: {e:?}");
    }
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
    let e = admin
        .validate_config(json!({ "server": { "listen": "nope" } }))
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some(ErrorCode::InvalidConfig));
    assert!(e.to_string().contains("server.listen"), "{e}");
    let ok = admin
        .validate_config(
            json!({ "server": { "listen": "127.0.0.1:9999" }, "mfa": { "enforce": "admins" } }),
        )
        .await
        .unwrap();
    assert!(ok.valid);
    assert_eq!(
        ok.restart_required,
        vec![
            "server.listen".to_string(),
            "server.shutdown_grace_secs".to_string()
        ]
    );

    // A hand edit is picked up by a reload.
    let edited = text.replace("Acme Chat", "Hearth HQ");
    std::fs::write(&file, edited).unwrap();
    let reloaded = admin.reload_config().await.unwrap();
    assert_eq!(reloaded.config["mfa"]["issuer"], "Hearth HQ");
    assert_eq!(ctx.config().mfa.issuer, "Hearth HQ");
    std::fs::write(&file, "[server]\nlisten = \"nope\"\n").unwrap();
    let e = admin.reload_config().await.unwrap_err();
    assert_eq!(e.code(), Some(ErrorCode::InvalidConfig));
    assert_eq!(ctx.config().mfa.issuer, "Hearth HQ", "nothing applied");

    let actions = audit_actions(&s);
    let change = actions
        .iter()
        .find(|(a, d)| a == "config.changed" && d["keys"] == json!(["mfa.issuer"]))
        .expect("config change audited");
    assert_eq!(
        change.1["restart_required"],
        json!(["server.shutdown_grace_secs"])
    );
    assert!(
        actions
            .iter()
            .any(|(a, d)| a == "config.reloaded" && d["keys"] == json!(["mfa.issuer"]))
    );
}

async fn secrets_stay_hidden_and_unchanged(s: TestServer) {
    let (admin, _) = s.admin().await;
    let ctx = s.server.as_ref().unwrap().ctx.clone();
    admin
        .patch_config(set(&[(
            "ldap.directory",
            json!({
                "urls": ["ldap://127.0.0.1:1"],
                "base_dn": "dc=example,dc=com",
                "bind_dn": "cn=svc,dc=example,dc=com",
                "bind_password": "hunter2-secret",
            }),
        )]))
        .await
        .unwrap();
    let view = admin.config().await.unwrap();
    assert_eq!(
        view.config["ldap"]["directory"]["bind_password"],
        "********"
    );
    assert_eq!(
        view.config["ldap"]["directory"]["base_dn"],
        "dc=example,dc=com"
    );
    // The mask sent back, alone or inside its section, keeps the secret.
    admin
        .patch_config(set(&[("ldap.directory.bind_password", json!("********"))]))
        .await
        .unwrap();
    let mut dir = view.config["ldap"]["directory"].clone();
    dir["base_dn"] = json!("dc=example,dc=org");
    admin
        .patch_config(set(&[
            ("ldap.directory", dir),
            ("ldap.enabled", json!(true)),
        ]))
        .await
        .unwrap();
    let live = ctx.config();
    let d = live.ldap.directory.as_ref().unwrap();
    assert_eq!(d.bind_password, "hunter2-secret");
    assert_eq!(d.base_dn, "dc=example,dc=org");
    assert!(
        ctx.signin.ldap.load().is_some(),
        "the directory is rebuilt live"
    );
    let st = admin.system_status().await.unwrap();
    assert!(st.ldap.is_some_and(|l| l.enabled));
    // The test runs against the new settings: nothing listens on port 1.
    let d = admin.ldap_test().await.unwrap();
    assert!(!d.ok);
    // Never a secret in the audit log.
    let text = serde_json::to_string(&audit_actions(&s)).unwrap();
    assert!(text.contains("ldap.directory.bind_password"));
    assert!(!text.contains("hunter2"), "{text}");
}

async fn only_system_admins_administer_the_system(s: TestServer) {
    let (_admin, _) = s.admin().await;
    let (bob, _) = s.user("bob").await;
    let forbidden = |r: Result<(), hearth_client::ClientError>| {
        let e = r.unwrap_err();
        assert_eq!(e.code(), Some(ErrorCode::Forbidden), "{e}");
    };
    forbidden(bob.system_status().await.map(|_| ()));
    forbidden(bob.config().await.map(|_| ()));
    forbidden(bob.validate_config(json!({})).await.map(|_| ()));
    forbidden(
        bob.patch_config(set(&[("mfa.issuer", json!("x"))]))
            .await
            .map(|_| ()),
    );
    forbidden(bob.reload_config().await.map(|_| ()));
    let anon = Client::new(s.url.clone());
    let e = anon.system_status().await.unwrap_err();
    assert_eq!(e.code(), Some(ErrorCode::Unauthenticated));
}

async fn admins_reset_passwords(s: TestServer) {
    let (admin, _) = s.admin().await;
    let (bob, bob_user) = s.user("bob").await;
    let e = bob
        .reset_password(bob_user.id, "another-password")
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some(ErrorCode::Forbidden));
    let e = admin
        .reset_password(bob_user.id, "short")
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some(ErrorCode::InvalidInput));
    admin
        .reset_password(bob_user.id, "a-brand-new-password")
        .await
        .unwrap();
    let e = bob.me().await.unwrap_err();
    assert_eq!(e.status(), Some(401), "old sessions end");
    s.login("bob", "a-brand-new-password").await;
    assert!(
        audit_actions(&s)
            .iter()
            .any(|(a, _)| a == "user.password_reset")
    );
}

/// Keys fixed on the command line answer `config_locked`.
mod locked_keys {
    use super::*;

    async fn run(backend: Backend) {
        let s = TestServer::boot_with(backend, |c| {
            c.origin.cli = vec!["server.listen".into()];
        })
        .await;
        let (admin, _) = s.admin().await;
        let view = admin.config().await.unwrap();
        assert_eq!(view.cli_overrides, vec!["server.listen".to_string()]);
        for key in ["server.listen", "server"] {
            let e = admin
                .patch_config(set(&[(key, json!("0.0.0.0:1"))]))
                .await
                .unwrap_err();
            assert_eq!(e.code(), Some(ErrorCode::ConfigLocked), "{key}: {e}");
            assert_eq!(e.status(), Some(409));
        }
        assert!(!s.dir.path().join("hearth.toml").exists());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        run(Backend::Sqlite).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        run(Backend::Postgres).await;
    }
}
