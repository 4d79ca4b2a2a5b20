//! LDAP login, sync reads and diagnostics against a real slapd.

#![expect(
    clippy::unwrap_used,
    reason = "helpers outside `#[test]` functions fail the test by panicking"
)]

mod common;

use common::ldap::{BASE, SIZE_LIMIT, SVC_DN, SVC_PW, Slapd, generated_users};
use hearth_identity::IdentityError;
use hearth_identity::ldap::{
    Check, LdapDirectory, NestedGroups, Status, test_connection, test_user,
};

fn group_names(u: &hearth_identity::DirectoryUser) -> Vec<&str> {
    let mut v: Vec<&str> = u.groups.iter().map(|g| g.name.as_str()).collect();
    v.sort();
    v
}

#[tokio::test]
async fn login_maps_attributes_and_nested_groups() {
    let slapd = Slapd::start();
    let dir = LdapDirectory::new(slapd.config()).await.unwrap();
    let alice = dir.authenticate("alice", "alicepw").await.unwrap();
    assert_eq!(alice.login, "alice");
    assert_eq!(alice.email.as_deref(), Some("alice@example.com"));
    assert_eq!(alice.first_name.as_deref(), Some("Alice"));
    assert_eq!(alice.last_name.as_deref(), Some("Anderson"));
    assert_eq!(alice.display_name.as_deref(), Some("Alice Anderson"));
    assert_eq!(alice.dn, format!("uid=alice,ou=people,{BASE}"));
    assert!(!alice.disabled);
    // entryUUID, lower-case UUID text.
    assert!(
        uuid::Uuid::parse_str(&alice.stable_id).is_ok(),
        "{}",
        alice.stable_id
    );
    // developers directly, engineering through developers, staff through engineering,
    // loop through staff (staff <-> loop is a cycle), admins directly.
    assert_eq!(
        group_names(&alice),
        vec!["admins", "developers", "engineering", "loop", "staff"]
    );

    // Same stable id on every login; case of the typed login does not matter.
    let again = dir.authenticate("ALICE", "alicepw").await.unwrap();
    assert_eq!(again.stable_id, alice.stable_id);
    assert!(dir.idle_connections() >= 1);
}

#[tokio::test]
async fn unique_member_member_uid_and_flat_mode() {
    let slapd = Slapd::start();
    let dir = LdapDirectory::new(slapd.config()).await.unwrap();
    let carol = dir.authenticate("carol", "carolpw").await.unwrap();
    assert_eq!(
        group_names(&carol),
        vec!["designers", "engineering", "loop", "staff"]
    );
    let bob = dir.authenticate("bob", "bobpw").await.unwrap();
    assert_eq!(
        group_names(&bob),
        vec!["developers", "engineering", "loop", "posix-users", "staff"]
    );

    let mut flat = slapd.config();
    flat.groups.as_mut().unwrap().nested = NestedGroups::Off;
    let dir = LdapDirectory::new(flat).await.unwrap();
    let bob = dir.authenticate("bob", "bobpw").await.unwrap();
    assert_eq!(group_names(&bob), vec!["developers", "posix-users"]);
}

#[tokio::test]
async fn accented_names_logins_and_passwords() {
    let slapd = Slapd::start();
    let dir = LdapDirectory::new(slapd.config()).await.unwrap();
    let renee = dir.authenticate("renée", "crème brûlée").await.unwrap();
    assert_eq!(renee.login, "renée");
    assert_eq!(renee.display_name.as_deref(), Some("Renée Lévesque"));
    assert_eq!(renee.last_name.as_deref(), Some("Lévesque"));
    let jose = dir.authenticate("jmuller", "josepw").await.unwrap();
    assert_eq!(jose.display_name.as_deref(), Some("José Müller"));
    assert_eq!(
        group_names(&jose),
        vec!["designers", "engineering", "loop", "staff"]
    );
}

#[tokio::test]
async fn filter_metacharacters_in_logins_are_literal() {
    let slapd = Slapd::start();
    let dir = LdapDirectory::new(slapd.config()).await.unwrap();
    let pat = dir.authenticate("pat(admin)", "patpw").await.unwrap();
    assert_eq!(pat.login, "pat(admin)");
    for probe in ["*", "a*", "alice)(uid=*", "*)(|(uid=*", "alice\\", ""] {
        let e = dir.authenticate(probe, "alicepw").await.unwrap_err();
        assert_eq!(e.code(), "ldap.user_not_found", "probe {probe:?}: {e}");
    }
}

#[tokio::test]
async fn wrong_password_and_unknown_user_look_the_same_to_users() {
    let slapd = Slapd::start();
    let dir = LdapDirectory::new(slapd.config()).await.unwrap();
    let wrong = dir.authenticate("alice", "nope").await.unwrap_err();
    let unknown = dir.authenticate("mallory", "nope").await.unwrap_err();
    let empty = dir.authenticate("alice", "").await.unwrap_err();
    assert_eq!(
        wrong,
        IdentityError::LdapWrongPassword {
            dn: format!("uid=alice,ou=people,{BASE}")
        }
    );
    assert_eq!(
        unknown,
        IdentityError::LdapUserNotFound {
            login: "mallory".into()
        }
    );
    // An empty password must never turn into an unauthenticated bind that "succeeds".
    assert_eq!(empty.code(), "ldap.wrong_password");
    assert_eq!(wrong.public_code(), "auth.invalid_credentials");
    assert_eq!(unknown.public_code(), wrong.public_code());
    assert_ne!(unknown.code(), wrong.code());

    // A broken service account is an outage, not a user mistake.
    let mut cfg = slapd.config();
    cfg.bind_password = "rotated-elsewhere".into();
    let dir = LdapDirectory::new(cfg).await.unwrap();
    let e = dir.authenticate("alice", "alicepw").await.unwrap_err();
    assert_eq!(e.code(), "ldap.service_bind");
    assert_eq!(e.public_code(), "auth.unavailable");
}

#[tokio::test]
async fn disabled_and_ambiguous_accounts() {
    let slapd = Slapd::start();
    let dir = LdapDirectory::new(slapd.config()).await.unwrap();
    // Wrong password first: the disabled state is not revealed.
    assert_eq!(
        dir.authenticate("dave", "x").await.unwrap_err().code(),
        "ldap.wrong_password"
    );
    let e = dir.authenticate("dave", "davepw").await.unwrap_err();
    assert_eq!(e.code(), "ldap.user_disabled");
    assert_eq!(e.public_code(), "auth.account_disabled");
    let dave = dir.find_user("dave").await.unwrap();
    assert!(dave.disabled);

    let e = dir.authenticate("sam", "sampw").await.unwrap_err();
    assert_eq!(
        e,
        IdentityError::LdapAmbiguousUser {
            login: "sam".into(),
            count: 2
        }
    );
    assert_eq!(e.public_code(), "auth.invalid_credentials");

    // Missing optional attribute (no mail) is fine.
    let erin = dir.authenticate("erin", "erinpw").await.unwrap();
    assert_eq!(erin.email, None);
}

#[tokio::test]
async fn required_attribute_missing_is_named() {
    let slapd = Slapd::start();
    let mut cfg = slapd.config();
    cfg.attributes.stable_id = "employeeNumber".into();
    let dir = LdapDirectory::new(cfg).await.unwrap();
    let e = dir.authenticate("alice", "alicepw").await.unwrap_err();
    assert_eq!(
        e,
        IdentityError::LdapAttributeMissing {
            dn: format!("uid=alice,ou=people,{BASE}"),
            attribute: "employeeNumber".into()
        }
    );
}

#[tokio::test]
async fn paged_snapshot_reads_past_the_size_limit() {
    let slapd = Slapd::start();
    const GENERATED: usize = 1_200;
    slapd.add_ldif(&generated_users(GENERATED));
    let mut cfg = slapd.config();
    cfg.page_size = 200;

    // A plain search as the service account stops at the server's size limit...
    let (conn, mut ldap) = ldap3::LdapConnAsync::new(&slapd.url()).await.unwrap();
    tokio::spawn(async move {
        let _ = conn.drive().await;
    });
    ldap.simple_bind(SVC_DN, SVC_PW)
        .await
        .unwrap()
        .success()
        .unwrap();
    let plain = ldap
        .search(
            BASE,
            ldap3::Scope::Subtree,
            "(objectClass=inetOrgPerson)",
            vec!["uid"],
        )
        .await
        .unwrap();
    assert_eq!(plain.1.rc, 4, "sizeLimitExceeded expected");
    assert!(plain.0.len() <= SIZE_LIMIT);

    // ...while the paged snapshot sees everyone.
    let dir = LdapDirectory::new(cfg).await.unwrap();
    let snap = dir.snapshot().await.unwrap();
    let fixture_users = 10;
    assert_eq!(
        snap.users.len(),
        GENERATED + fixture_users,
        "issues: {:?}",
        snap.issues
    );
    assert!(snap.issues.is_empty());
    let ids: std::collections::HashSet<_> = snap.users.iter().map(|u| &u.stable_id).collect();
    assert_eq!(ids.len(), snap.users.len(), "stable ids are unique");
    let by_login = |l: &str| snap.users.iter().find(|u| u.login == l).unwrap();
    assert!(by_login("dave").disabled);
    assert!(!by_login("alice").disabled);
    assert_eq!(
        group_names(by_login("alice")),
        vec!["admins", "developers", "engineering", "loop", "staff"]
    );
    assert_eq!(
        group_names(by_login("bob")),
        vec!["developers", "engineering", "loop", "posix-users", "staff"]
    );
    assert_eq!(
        by_login("gen1199").email.as_deref(),
        Some("gen1199@example.com")
    );
    assert_eq!(snap.groups.len(), 7);
    let staff = snap.groups.iter().find(|g| g.name == "staff").unwrap();
    // alice, bob, carol, jmuller.
    assert_eq!(staff.member_count, 4);
}

#[tokio::test]
async fn snapshot_reports_unusable_entries() {
    let slapd = Slapd::start();
    let mut cfg = slapd.config();
    cfg.attributes.stable_id = "mail".into();
    let dir = LdapDirectory::new(cfg).await.unwrap();
    let snap = dir.snapshot().await.unwrap();
    // erin has no mail, so no stable id under this mapping.
    assert_eq!(snap.issues.len(), 1);
    assert_eq!(snap.issues[0].code, "ldap.attribute_missing");
    assert_eq!(snap.issues[0].dn, format!("uid=erin,ou=people,{BASE}"));
}

#[tokio::test]
async fn pool_is_bounded_and_serves_concurrent_logins() {
    let slapd = Slapd::start();
    let mut cfg = slapd.config();
    cfg.pool_size = 2;
    let dir = LdapDirectory::new(cfg).await.unwrap();
    let mut tasks = Vec::new();
    for i in 0..12 {
        let dir = dir.clone();
        tasks.push(tokio::spawn(async move {
            let (l, p) = if i % 2 == 0 {
                ("alice", "alicepw")
            } else {
                ("carol", "carolpw")
            };
            dir.authenticate(l, p).await.map(|u| u.login)
        }));
    }
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    assert!(dir.idle_connections() <= 2);
    assert!(dir.idle_connections() >= 1);
}

#[tokio::test]
async fn silent_server_times_out() {
    // Accepts TCP but never answers LDAP.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let mut cfg = hearth_identity::ldap::LdapConfig::new(format!("ldap://127.0.0.1:{port}"), BASE);
    cfg.bind_dn = SVC_DN.into();
    cfg.bind_password = SVC_PW.into();
    cfg.operation_timeout_ms = 300;
    let dir = LdapDirectory::new(cfg).await.unwrap();
    let started = std::time::Instant::now();
    let e = dir.authenticate("alice", "alicepw").await.unwrap_err();
    assert_eq!(e.code(), "ldap.timeout", "{e}");
    assert!(started.elapsed() < std::time::Duration::from_secs(3));
    drop(listener);
}

#[tokio::test]
async fn diagnosis_of_a_working_setup() {
    let slapd = Slapd::start();
    let d = test_connection(&slapd.config()).await;
    assert!(d.ok, "{d:#?}");
    let checks: Vec<Check> = d.steps.iter().map(|s| s.check).collect();
    assert_eq!(
        checks,
        vec![
            Check::Config,
            Check::ResolveHost,
            Check::TcpConnect,
            Check::TlsHandshake,
            Check::ServiceBind,
            Check::BaseDn,
            Check::UserFilter,
            Check::Attributes,
            Check::Groups,
            Check::DisabledFilter
        ]
    );
    // Plain LDAP is flagged, not failed.
    assert_eq!(d.step(Check::TlsHandshake).unwrap().status, Status::Warning);
    assert!(
        d.step(Check::UserFilter)
            .unwrap()
            .detail
            .contains("10 entries"),
        "{d:#?}"
    );
    // erin lacks mail and givenName: a warning, not a failure.
    assert_eq!(d.step(Check::Attributes).unwrap().status, Status::Warning);
    assert!(d.step(Check::Groups).unwrap().detail.contains("7 groups"));
    assert!(
        d.step(Check::DisabledFilter)
            .unwrap()
            .detail
            .contains("1 users")
    );
}

async fn first_failure(cfg: &hearth_identity::ldap::LdapConfig) -> (Check, String, String) {
    let d = test_connection(cfg).await;
    assert!(!d.ok);
    let f = d.first_failure().unwrap();
    // Everything after the failure is skipped.
    let pos = d
        .steps
        .iter()
        .position(|s| s.status == Status::Failed)
        .unwrap();
    assert!(
        d.steps[pos + 1..]
            .iter()
            .all(|s| s.status == Status::Skipped),
        "{d:#?}"
    );
    (f.check, f.code.clone().unwrap(), f.detail.clone())
}

#[tokio::test]
async fn diagnosis_names_the_failing_step() {
    let slapd = Slapd::start();

    let mut c = slapd.config();
    c.urls = vec!["ldap://no-such-host.invalid:389".into()];
    let (check, code, _) = first_failure(&c).await;
    assert_eq!((check, code.as_str()), (Check::ResolveHost, "ldap.dns"));

    let mut c = slapd.config();
    c.urls = vec![format!("ldap://127.0.0.1:{}", common::free_port())];
    let (check, code, detail) = first_failure(&c).await;
    assert_eq!((check, code.as_str()), (Check::TcpConnect, "ldap.connect"));
    assert!(detail.contains("refused"), "{detail}");

    let mut c = slapd.config();
    c.bind_password = "wrong".into();
    let (check, code, detail) = first_failure(&c).await;
    assert_eq!(
        (check, code.as_str()),
        (Check::ServiceBind, "ldap.service_bind")
    );
    assert!(detail.contains("invalidCredentials"), "{detail}");

    let mut c = slapd.config();
    c.user_filter = "(&(objectClass=inetOrgPerson)".into();
    let (check, code, _) = first_failure(&c).await;
    assert_eq!(
        (check, code.as_str()),
        (Check::Config, "ldap.filter_syntax")
    );

    let mut c = slapd.config();
    c.base_dn = format!("ou=missing,{BASE}");
    let (check, code, _) = first_failure(&c).await;
    assert_eq!(
        (check, code.as_str()),
        (Check::BaseDn, "ldap.base_dn_missing")
    );

    let mut c = slapd.config();
    c.user_filter = "(objectClass=posixAccount)".into();
    let (check, code, _) = first_failure(&c).await;
    assert_eq!((check, code.as_str()), (Check::UserFilter, "ldap.no_users"));

    let mut c = slapd.config();
    c.attributes.email = "electronicMail".into();
    let (check, code, detail) = first_failure(&c).await;
    assert_eq!(
        (check, code.as_str()),
        (Check::Attributes, "ldap.attribute_missing")
    );
    assert!(detail.contains("electronicMail"), "{detail}");
}

#[tokio::test]
async fn user_diagnosis() {
    let slapd = Slapd::start();
    let cfg = slapd.config();

    let d = test_user(&cfg, "alice", Some("alicepw")).await;
    assert!(d.ok, "{d:#?}");
    assert!(
        d.step(Check::UserGroups)
            .unwrap()
            .detail
            .contains("5 groups")
    );
    assert_eq!(d.step(Check::UserBind).unwrap().status, Status::Ok);

    let d = test_user(&cfg, "alice", Some("bad")).await;
    assert_eq!(
        d.first_failure().unwrap().code.as_deref(),
        Some("ldap.wrong_password")
    );

    let d = test_user(&cfg, "nobody", None).await;
    let f = d.first_failure().unwrap();
    assert_eq!(
        (f.check, f.code.as_deref()),
        (Check::FindUser, Some("ldap.user_not_found"))
    );

    let d = test_user(&cfg, "dave", None).await;
    assert_eq!(
        d.first_failure().unwrap().code.as_deref(),
        Some("ldap.user_disabled")
    );

    let d = test_user(&cfg, "erin", None).await;
    assert!(d.ok);
    assert_eq!(
        d.step(Check::UserAttributes).unwrap().status,
        Status::Warning
    );
    assert_eq!(d.step(Check::UserBind).unwrap().status, Status::Skipped);
}

#[tokio::test]
async fn tls_requires_a_trusted_certificate() {
    let slapd = Slapd::start_tls();
    let ca = slapd.ca_file.clone().unwrap();

    // LDAPS with a self-signed certificate and no CA configured: TLS error.
    let mut c = slapd.config();
    c.urls = vec![slapd.ldaps_url()];
    let (check, code, detail) = first_failure(&c).await;
    assert_eq!((check, code.as_str()), (Check::TlsHandshake, "ldap.tls"));
    assert!(detail.contains("ca_file"), "{detail}");
    let dir = LdapDirectory::new(c.clone()).await.unwrap();
    assert_eq!(
        dir.authenticate("alice", "alicepw")
            .await
            .unwrap_err()
            .code(),
        "ldap.tls"
    );

    // With an unrelated CA: still a TLS error.
    c.ca_file = slapd.other_ca_file.clone();
    let (check, code, _) = first_failure(&c).await;
    assert_eq!((check, code.as_str()), (Check::TlsHandshake, "ldap.tls"));

    // With the right CA: works.
    c.ca_file = Some(ca.clone());
    let d = test_connection(&c).await;
    assert!(d.ok, "{d:#?}");
    assert_eq!(d.step(Check::TlsHandshake).unwrap().status, Status::Ok);
    let dir = LdapDirectory::new(c.clone()).await.unwrap();
    assert_eq!(
        dir.authenticate("alice", "alicepw").await.unwrap().login,
        "alice"
    );

    // Explicitly insecure: works without the CA.
    c.ca_file = None;
    c.insecure_skip_verify = true;
    assert!(test_connection(&c).await.ok);

    // StartTLS on the plain port, with and without the CA.
    let mut s = slapd.config();
    s.start_tls = true;
    let (check, code, _) = first_failure(&s).await;
    assert_eq!((check, code.as_str()), (Check::TlsHandshake, "ldap.tls"));
    s.ca_file = Some(ca);
    let d = test_connection(&s).await;
    assert!(d.ok, "{d:#?}");
    let dir = LdapDirectory::new(s).await.unwrap();
    assert_eq!(
        dir.authenticate("renée", "crème brûlée")
            .await
            .unwrap()
            .login,
        "renée"
    );
}

#[tokio::test]
async fn start_tls_refused_by_a_server_without_tls() {
    let slapd = Slapd::start();
    let mut c = slapd.config();
    c.start_tls = true;
    let (check, code, detail) = first_failure(&c).await;
    assert_eq!((check, code.as_str()), (Check::TlsHandshake, "ldap.tls"));
    assert!(detail.contains("StartTLS"), "{detail}");
}

#[tokio::test]
async fn snapshot_feeds_the_sync_plan() {
    use hearth_identity::sync::{DeactivationReason, GroupMapping, TeamGrant, plan_sync};
    use hearth_identity::{AuthSource, ExistingAccount, Names, SystemRole, TeamRole};

    let slapd = Slapd::start();
    let dir = LdapDirectory::new(slapd.config()).await.unwrap();
    let mappings = vec![
        GroupMapping {
            group: "engineering".into(),
            teams: vec![TeamGrant {
                team: "eng".into(),
                role: TeamRole::Member,
            }],
            channels: vec!["eng/general".into()],
            system_role: Some(SystemRole::User),
        },
        GroupMapping {
            group: format!("cn=admins,ou=groups,{BASE}"),
            teams: vec![],
            channels: vec![],
            system_role: Some(SystemRole::Admin),
        },
    ];

    // First run: everyone but the disabled and the ambiguous logins is created.
    let snap = dir.snapshot().await.unwrap();
    let plan = plan_sync(&snap, &[], &mappings);
    let mut created: Vec<&str> = plan.create.iter().map(|c| c.login.as_str()).collect();
    created.sort();
    assert_eq!(
        created,
        vec![
            "alice",
            "bob",
            "carol",
            "erin",
            "jmuller",
            "pat(admin)",
            "renée"
        ]
    );
    assert_eq!(
        plan.issues
            .iter()
            .filter(|i| i.code == "sync.duplicate_login")
            .count(),
        2
    );
    let report = plan.report(&snap);
    assert_eq!(report.created, 7);
    // engineering (nested) reaches alice, bob, carol, jmuller: a team and a channel each.
    assert_eq!(report.memberships_added, 8);

    // Second run after the server applied the plan, with alice then disabled in the directory.
    let accounts: Vec<ExistingAccount> = plan
        .create
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let user = snap
                .users
                .iter()
                .find(|u| u.stable_id == c.stable_id)
                .unwrap();
            ExistingAccount {
                user_id: uuid::Uuid::from_u128(i as u128 + 1),
                stable_id: Some(c.stable_id.clone()),
                login: c.login.clone(),
                email: c.email.clone(),
                email_verified: true,
                names: Names {
                    first_name: c.names.first_name.clone(),
                    last_name: c.names.last_name.clone(),
                    display_name: c.names.display_name.clone(),
                },
                active: true,
                auth_source: AuthSource::Ldap,
                synced: hearth_identity::sync::desired_memberships(user, &mappings),
            }
        })
        .collect();
    // Nothing changed in the directory: nothing to do.
    assert!(plan_sync(&snap, &accounts, &mappings).is_empty());
    slapd.modify(&format!(
        "dn: uid=alice,ou=people,{BASE}\nchangetype: modify\nadd: employeeType\nemployeeType: disabled\n"
    ));
    slapd.modify(&format!(
        "dn: uid=carol,ou=people,{BASE}\nchangetype: modify\nreplace: mail\nmail: carol.clark@example.com\n"
    ));
    let snap = dir.snapshot().await.unwrap();
    let plan = plan_sync(&snap, &accounts, &mappings);
    assert_eq!(plan.deactivate.len(), 1);
    assert_eq!(
        plan.deactivate[0].reason,
        DeactivationReason::DisabledInDirectory
    );
    assert_eq!(plan.update.len(), 1);
    assert_eq!(
        plan.update[0].changes[0].new.as_deref(),
        Some("carol.clark@example.com")
    );
}
