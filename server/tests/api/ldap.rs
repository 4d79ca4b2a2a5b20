//! LDAP login, directory sync and diagnostics against a real slapd.

use hearth_api::{ErrorCode, Role};
use hearth_identity::sync::{GroupMapping, TeamGrant};
use hearth_identity::test_support::ldap::{BASE, Slapd};
use hearth_identity::{SystemRole, TeamRole};
use hearth_server::Config;

use crate::harness::{Backend, TestServer, audit_actions};

fn ldap_config(slapd: &Slapd) -> impl FnOnce(&mut Config) {
    let dir = slapd.config();
    move |c: &mut Config| {
        c.ldap.enabled = true;
        c.ldap.sync_interval_mins = 0;
        c.ldap.directory = Some(dir);
        c.ldap.group_mappings = vec![
            GroupMapping {
                group: "developers".into(),
                teams: vec![TeamGrant {
                    team: "engineering".into(),
                    role: TeamRole::Member,
                }],
                channels: vec!["engineering/builds".into()],
                system_role: None,
            },
            GroupMapping {
                group: format!("cn=admins,ou=groups,{BASE}"),
                teams: vec![],
                channels: vec![],
                system_role: Some(SystemRole::Admin),
            },
        ];
    }
}

async fn boot(backend: Backend, slapd: &Slapd) -> TestServer {
    TestServer::boot_with(backend, ldap_config(slapd)).await
}

async fn ldap_login_provisions_and_survives_rename(backend: Backend) {
    let slapd = Slapd::start();
    let s = boot(backend, &slapd).await;
    let (admin, _) = s.admin().await;
    let team = s.team(&admin, "engineering", true).await;

    let providers = s.client().auth_providers().await.unwrap();
    assert!(providers.ldap);

    let (alice, me) = s.login("alice", "alicepw").await;
    assert_eq!(me.username, "alice");
    assert_eq!(me.email.as_deref(), Some("alice@example.com"));
    assert_eq!(me.display_name, "Alice Anderson");
    // Group mappings: developers → team engineering; admins → system admin.
    assert_eq!(me.role, Role::SystemAdmin);
    let members = admin.team_members(team.id).await.unwrap();
    assert!(members.iter().any(|m| m.user_id == me.id));
    assert_eq!(alice.me().await.unwrap().id, me.id);

    // Renamed in the directory: same entryUUID, so the same account.
    slapd.modify(&format!(
        "dn: uid=alice,ou=people,{BASE}\nchangetype: modrdn\nnewrdn: uid=alicia\ndeleteoldrdn: 1\n"
    ));
    let (_, again) = s.login("alicia", "alicepw").await;
    assert_eq!(again.id, me.id);
    assert_eq!(again.username, "alicia");

    // Wrong password and unknown login answer exactly the same.
    let wrong = s.client().login("bob", "not-bobs").await.unwrap_err();
    let unknown = s.client().login("nobody", "whatever").await.unwrap_err();
    assert_eq!(wrong.code(), Some(ErrorCode::InvalidCredentials));
    assert_eq!(wrong.to_string(), unknown.to_string());
    // A disabled directory account cannot log in.
    let dave = s.client().login("dave", "davepw").await.unwrap_err();
    assert_eq!(dave.code(), Some(ErrorCode::AccountInactive));

    let audit = audit_actions(&s);
    let reasons: Vec<String> = audit
        .iter()
        .filter(|(a, _)| a == "user.login_failed")
        .map(|(_, d)| d["reason"].as_str().unwrap_or_default().to_string())
        .collect();
    assert!(
        reasons.contains(&"ldap.wrong_password".to_string()),
        "{reasons:?}"
    );
    assert!(
        reasons.contains(&"ldap.user_not_found".to_string()),
        "{reasons:?}"
    );
    assert!(
        audit.iter().any(|(a, d)| a == "user.provision"
            && d["decision"] == "create"
            && d["source"] == "ldap")
    );
    assert!(
        audit
            .iter()
            .any(|(a, d)| a == "user.login" && d["method"] == "ldap")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ldap_login_provisions_and_survives_rename_sqlite() {
    ldap_login_provisions_and_survives_rename(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ldap_login_provisions_and_survives_rename_postgres() {
    ldap_login_provisions_and_survives_rename(Backend::Postgres).await;
}

async fn ldap_sync_creates_updates_deactivates(backend: Backend) {
    let slapd = Slapd::start();
    let s = boot(backend, &slapd).await;
    let (admin, _) = s.admin().await;
    let team = s.team(&admin, "engineering", true).await;

    let report = admin.ldap_sync().await.expect("sync");
    assert!(report.created >= 6, "{report:?}");
    assert!(report.users_seen >= 8, "{report:?}");
    // The duplicate `sam` entries are reported, not created.
    assert!(
        report
            .errors
            .iter()
            .any(|e| e.code == "sync.duplicate_login"),
        "{report:?}"
    );
    // The mapped channel does not exist: reported, the rest applied.
    assert!(
        report
            .errors
            .iter()
            .any(|e| e.code == "sync.unknown_channel"),
        "{report:?}"
    );
    let bob = admin.user_by_username("bob").await.expect("bob created");
    let carol = admin
        .user_by_username("carol")
        .await
        .expect("carol created");
    let members = admin.team_members(team.id).await.unwrap();
    assert!(members.iter().any(|m| m.user_id == bob.id));
    assert!(!members.iter().any(|m| m.user_id == carol.id));
    assert!(
        admin.user_by_username("dave").await.is_err(),
        "disabled entries are not created"
    );

    // Logins reuse the synced accounts.
    let (bob_client, bob_me) = s.login("bob", "bobpw").await;
    assert_eq!(bob_me.id, bob.id);

    // Directory changes: carol's e-mail, bob disabled, developers now only carol.
    slapd.modify(&format!(
        "dn: uid=carol,ou=people,{BASE}\nchangetype: modify\nreplace: mail\nmail: carol.clark@example.com\n\n\
         dn: uid=bob,ou=people,{BASE}\nchangetype: modify\nadd: employeeType\nemployeeType: disabled\n\n\
         dn: cn=developers,ou=groups,{BASE}\nchangetype: modify\nreplace: member\nmember: uid=carol,ou=people,{BASE}\n"
    ));
    let report = admin.ldap_sync().await.expect("second sync");
    assert_eq!(report.created, 0, "{report:?}");
    assert!(report.updated >= 1, "{report:?}");
    assert_eq!(report.deactivated, 1, "{report:?}");
    assert_eq!(
        admin.user(carol.id).await.unwrap().email.as_deref(),
        Some("carol.clark@example.com")
    );
    assert!(!admin.user(bob.id).await.unwrap().is_active);
    // Out of the mapped group: out of the team it granted; into it: in the team.
    assert!(report.memberships_removed >= 1, "{report:?}");
    assert!(report.memberships_added >= 1, "{report:?}");
    let alice = admin.user_by_username("alice").await.unwrap();
    let members = admin.team_members(team.id).await.unwrap();
    assert!(!members.iter().any(|m| m.user_id == alice.id));
    assert!(members.iter().any(|m| m.user_id == carol.id));
    // The deactivated user's session stops working at once.
    let gone = bob_client.me().await.unwrap_err();
    assert_eq!(gone.code(), Some(ErrorCode::SessionExpired));

    let status = admin.ldap_status().await.unwrap();
    assert!(status.enabled && !status.running);
    assert_eq!(status.last_sync.map(|r| r.deactivated), Some(1));

    let audit = audit_actions(&s);
    assert!(audit.iter().filter(|(a, _)| a == "ldap.sync").count() == 2);
    assert!(
        audit
            .iter()
            .any(|(a, d)| a == "user.deactivate" && d["source"] == "ldap")
    );
    assert!(audit.iter().any(|(a, _)| a == "user.sync_update"));
    assert!(audit.iter().any(|(a, _)| a == "team.member_sync"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ldap_sync_creates_updates_deactivates_sqlite() {
    ldap_sync_creates_updates_deactivates(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ldap_sync_creates_updates_deactivates_postgres() {
    ldap_sync_creates_updates_deactivates(Backend::Postgres).await;
}

/// The diagnostics name the failing step; only admins may run them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ldap_diagnostics_name_the_failing_step() {
    let slapd = Slapd::start();
    let s = boot(Backend::Sqlite, &slapd).await;
    let (admin, _) = s.admin().await;
    let ok = admin.ldap_test().await.expect("test connection");
    assert!(ok.ok, "{ok:?}");

    let d = admin.ldap_test_user("nobody", None).await.unwrap();
    assert!(!d.ok);
    let failed = d
        .steps
        .iter()
        .find(|s| s.status == "failed")
        .expect("a failed step");
    assert_eq!(failed.check, "find_user");
    let d = admin.ldap_test_user("bob", Some("wrong")).await.unwrap();
    let failed = d
        .steps
        .iter()
        .find(|s| s.status == "failed")
        .expect("a failed step");
    assert_eq!(failed.check, "user_bind");
    let d = admin.ldap_test_user("bob", Some("bobpw")).await.unwrap();
    assert!(d.ok, "{d:?}");

    let (user, _) = s.login("carol", "carolpw").await;
    let e = user.ldap_test().await.unwrap_err();
    assert_eq!(e.code(), Some(ErrorCode::Forbidden));

    // A wrong service password: the service bind step fails and says so.
    let mut bad = slapd.config();
    bad.bind_password = "wrong".into();
    let s2 = TestServer::boot_with(Backend::Sqlite, move |c| {
        c.ldap.enabled = true;
        c.ldap.sync_interval_mins = 0;
        c.ldap.directory = Some(bad);
    })
    .await;
    let (admin2, _) = s2.admin().await;
    let d = admin2.ldap_test().await.unwrap();
    assert!(!d.ok);
    let failed = d
        .steps
        .iter()
        .find(|s| s.status == "failed")
        .expect("a failed step");
    assert_eq!(failed.check, "service_bind");
    assert_eq!(failed.code.as_deref(), Some("ldap.service_bind"));
    // Sync cannot run against it and says why.
    let e = admin2.ldap_sync().await.unwrap_err();
    assert_eq!(e.code(), Some(ErrorCode::Unavailable));
    assert!(audit_actions(&s).iter().any(|(a, _)| a == "ldap.test_user"));
}

/// StartTLS and LDAPS with the directory's own CA: logins work over both.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ldap_login_over_starttls_and_ldaps() {
    let slapd = Slapd::start_tls();
    for (url, start_tls) in [(slapd.url(), true), (slapd.ldaps_url(), false)] {
        let mut dir = slapd.config();
        dir.urls = vec![url.clone()];
        dir.start_tls = start_tls;
        dir.ca_file = slapd.ca_file.clone();
        let s = TestServer::boot_with(Backend::Sqlite, move |c| {
            c.ldap.enabled = true;
            c.ldap.sync_interval_mins = 0;
            c.ldap.directory = Some(dir);
        })
        .await;
        let _ = s.admin().await;
        let (_, carol) = s.login("carol", "carolpw").await;
        assert_eq!(carol.username, "carol", "{url}");
    }
    // The wrong CA is refused, and the diagnosis says it is TLS.
    let mut dir = slapd.config();
    dir.urls = vec![slapd.ldaps_url()];
    dir.ca_file = slapd.other_ca_file.clone();
    let s = TestServer::boot_with(Backend::Sqlite, move |c| {
        c.ldap.enabled = true;
        c.ldap.sync_interval_mins = 0;
        c.ldap.directory = Some(dir);
    })
    .await;
    let (admin, _) = s.admin().await;
    let e = s.client().login("carol", "carolpw").await.unwrap_err();
    assert_eq!(e.code(), Some(ErrorCode::Unavailable));
    let d = admin.ldap_test().await.unwrap();
    let failed = d
        .steps
        .iter()
        .find(|s| s.status == "failed")
        .expect("a failed step");
    assert_eq!(failed.check, "tls_handshake", "{d:?}");
}

/// A mapped team that is archived takes nobody in: the sync reports it and
/// provisions the accounts anyway.
async fn ldap_sync_skips_archived_teams(backend: Backend) {
    let slapd = Slapd::start();
    let s = boot(backend, &slapd).await;
    let (admin, _) = s.admin().await;
    let team = s.team(&admin, "engineering", true).await;
    admin.archive_team(team.id).await.expect("archive");
    let report = admin.ldap_sync().await.expect("sync");
    assert!(report.created >= 6, "{report:?}");
    assert!(
        report
            .errors
            .iter()
            .any(|e| e.code == "sync.archived_team" && e.subject == "engineering"),
        "{report:?}"
    );
    assert_eq!(admin.team_members(team.id).await.unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ldap_sync_skips_archived_teams_sqlite() {
    ldap_sync_skips_archived_teams(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ldap_sync_skips_archived_teams_postgres() {
    ldap_sync_skips_archived_teams(Backend::Postgres).await;
}
