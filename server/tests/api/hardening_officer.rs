//! Nobody becomes a compliance officer at an admin's word alone: the officer
//! role is granted and removed only by the operator on the server's host,
//! through the local administration socket. Over the API a system admin gets
//! `separation_of_duties` whichever path sets the role (the role route, an
//! account the admin created, a user import), and a directory mapping (LDAP
//! sync or an OpenID Connect sign-in) never changes an officer's role.

use hearth_api::{
    ErrorCode, ImportIssueCode, Role, SignupRequest, UserImportQuery, UserImportReport,
};
use hearth_client::{ClientError, Method};
use hearth_identity::SystemRole;
use hearth_identity::sync::GroupMapping;
use hearth_identity::test_support::free_port;
use hearth_identity::test_support::ldap::{BASE, Slapd};
use hearth_identity::test_support::oidc::OidcServer;

use crate::both_backends;
use crate::harness::{Backend, TestServer, audit_actions};
use crate::oidc::{Sso, browser, me, sso};

both_backends!(
    only_the_operator_grants_or_removes_the_officer_role,
    user_imports_never_change_an_officers_role,
);

fn code<T: std::fmt::Debug>(r: Result<T, ClientError>) -> Option<ErrorCode> {
    r.unwrap_err().code()
}

/// The `user.role` audit entries that name the officer role, with who acted.
fn officer_role_changes(s: &TestServer) -> Vec<serde_json::Value> {
    audit_actions(s)
        .into_iter()
        .filter(|(a, d)| {
            a == "user.role"
                && (d["to"] == "compliance_officer" || d["from"] == "compliance_officer")
        })
        .map(|(_, d)| d)
        .collect()
}

async fn only_the_operator_grants_or_removes_the_officer_role(s: TestServer) {
    let (admin, admin_user) = s.admin().await;
    let (bob, bob_user) = s.user("bob").await;
    let (_, ada) = s.user("ada").await;
    admin.set_role(ada.id, Role::SystemAdmin).await.unwrap();
    let sod = Some(ErrorCode::SeparationOfDuties);

    // An admin cannot promote anyone to officer: not a plain user, not a
    // fresh account of their own making, not another admin, not themself.
    assert_eq!(
        code(admin.set_role(bob_user.id, Role::ComplianceOfficer).await),
        sod
    );
    let puppet = admin
        .create_user(&SignupRequest {
            username: "puppet".into(),
            email: "puppet@example.com".into(),
            password: "puppet-password".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        code(admin.set_role(puppet.id, Role::ComplianceOfficer).await),
        sod
    );
    assert_eq!(
        code(admin.set_role(ada.id, Role::ComplianceOfficer).await),
        sod
    );
    assert_eq!(
        code(admin.set_role(admin_user.id, Role::ComplianceOfficer).await),
        sod
    );
    // On the wire: 403 with the stable code and a message that says where
    // the role is set.
    let (status, body) = admin
        .raw(
            Method::PUT,
            &format!("/api/v1/users/{}/role", puppet.id),
            Some(serde_json::json!({ "role": "compliance_officer" })),
        )
        .await
        .unwrap();
    assert_eq!(status, 403);
    assert_eq!(body.error_code(), Some(ErrorCode::SeparationOfDuties));
    let message = body.json().and_then(|v| v["error"]["message"].as_str());
    assert!(
        message.is_some_and(|m| m.contains("local administration socket")),
        "{body:?}"
    );
    for (id, role) in [
        (bob_user.id, Role::User),
        (puppet.id, Role::User),
        (ada.id, Role::SystemAdmin),
        (admin_user.id, Role::SystemAdmin),
    ] {
        assert_eq!(admin.user(id).await.unwrap().role, role);
    }
    assert!(officer_role_changes(&s).is_empty());

    // The operator on the host grants it, audited as done over the socket.
    let local = s.local();
    local
        .set_role(bob_user.id, Role::ComplianceOfficer)
        .await
        .expect("the operator grants the role");
    assert_eq!(bob.me().await.unwrap().role, Role::ComplianceOfficer);
    let granted = officer_role_changes(&s);
    assert_eq!(granted.len(), 1, "{granted:?}");
    assert_eq!(granted[0]["to"], "compliance_officer");
    assert_eq!(granted[0]["via"], "local_socket");

    // An admin can neither remove it nor turn the officer into an admin.
    for role in [Role::User, Role::SystemAdmin, Role::Guest] {
        assert_eq!(code(admin.set_role(bob_user.id, role).await), sod);
    }
    assert_eq!(bob.me().await.unwrap().role, Role::ComplianceOfficer);

    // The operator removes it.
    local.set_role(bob_user.id, Role::User).await.unwrap();
    assert_eq!(bob.me().await.unwrap().role, Role::User);
    let changes = officer_role_changes(&s);
    assert_eq!(changes.len(), 2, "{changes:?}");
    assert!(changes.iter().all(|d| d["via"] == "local_socket"));
    // Other role changes are still the admins' to make.
    admin.set_role(puppet.id, Role::Guest).await.unwrap();
}

fn csv(rows: &[(&str, &str, &str)]) -> Vec<u8> {
    let mut out = String::from("email,username,role\n");
    for (email, username, role) in rows {
        out.push_str(&format!("{email},{username},{role}\n"));
    }
    out.into_bytes()
}

fn apply() -> UserImportQuery {
    UserImportQuery {
        dry_run: Some(false),
        ..Default::default()
    }
}

fn row_codes(r: &UserImportReport, username: &str) -> Vec<ImportIssueCode> {
    r.rows
        .iter()
        .find(|x| x.username.as_deref() == Some(username))
        .unwrap_or_else(|| panic!("{username} in {r:?}"))
        .errors
        .iter()
        .map(|e| e.code)
        .collect()
}

async fn user_imports_never_change_an_officers_role(s: TestServer) {
    let (admin, _) = s.admin().await;
    let (olga, olga_user) = s.user("olga").await;
    s.local()
        .set_role(olga_user.id, Role::ComplianceOfficer)
        .await
        .unwrap();

    // A file that would demote the officer (or turn them into an admin) is
    // refused as a whole, with the row named.
    for role in ["user", "system_admin"] {
        let r = admin
            .import_users(
                csv(&[
                    ("olga@example.com", "olga", role),
                    ("nina@example.com", "nina", "user"),
                ]),
                &apply(),
            )
            .await
            .expect("report");
        assert!(!r.applied, "{r:?}");
        assert_eq!(
            row_codes(&r, "olga"),
            vec![ImportIssueCode::SeparationOfDuties]
        );
        assert!(row_codes(&r, "nina").is_empty());
    }
    assert_eq!(olga.me().await.unwrap().role, Role::ComplianceOfficer);
    assert!(admin.user_by_username("nina").await.is_err());
    // A file cannot name the officer role at all.
    let r = admin
        .import_users(
            csv(&[("pat@example.com", "pat", "compliance_officer")]),
            &apply(),
        )
        .await
        .expect("report");
    assert!(!r.applied);
    assert_eq!(row_codes(&r, "pat"), vec![ImportIssueCode::InvalidRole]);
    // Rows that leave the officer's role alone still apply.
    let r = admin
        .import_users(
            csv(&[
                ("olga@example.com", "olga", ""),
                ("nina@example.com", "nina", "user"),
            ]),
            &apply(),
        )
        .await
        .expect("report");
    assert!(r.applied, "{r:?}");
    assert_eq!(olga.me().await.unwrap().role, Role::ComplianceOfficer);

    // The operator's import may remove the role.
    let r = s
        .local()
        .import_users(csv(&[("olga@example.com", "olga", "user")]), &apply())
        .await
        .expect("report");
    assert!(r.applied, "{r:?}");
    assert_eq!(olga.me().await.unwrap().role, Role::User);
}

/// A server whose OpenID Connect mapping makes everyone in jose's group a
/// system admin.
async fn boot_with_admin_mapping(backend: Backend) -> Sso {
    let port = free_port();
    let url = format!("http://127.0.0.1:{port}");
    let provider = OidcServer::start_for(
        &format!("{url}/api/v1/oauth/test/callback"),
        &format!("{url}/"),
    );
    let mut p = provider.config("hearth");
    p.link_by_verified_email = true;
    let s = TestServer::boot_with(backend, move |c| {
        c.server.listen = format!("127.0.0.1:{port}");
        c.server.public_url = url.clone();
        c.oidc.providers = vec![p];
        c.oidc.group_mappings = vec![GroupMapping {
            group: "équipe".into(),
            teams: vec![],
            channels: vec![],
            system_role: Some(SystemRole::Admin),
        }];
    })
    .await;
    Sso { s, provider }
}

/// An officer who signs in through a provider whose group mapping grants
/// another role keeps the officer role; the skipped change is audited.
async fn directory_mappings_never_change_an_officers_role(backend: Backend) {
    let env = boot_with_admin_mapping(backend).await;
    let s = &env.s;
    let (admin, _) = s.admin().await;
    // An account the admin vouched for (so single sign-on links to it by
    // e-mail), made officer by the operator.
    let jose = admin
        .create_user(&SignupRequest {
            username: "jose".into(),
            email: "jose@example.org".into(),
            password: "jose-password".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    s.local()
        .set_role(jose.id, Role::ComplianceOfficer)
        .await
        .unwrap();

    let http = browser();
    let (_, cookie) = sso(&env, &http, "jose").await;
    assert!(cookie.is_some(), "jose signs in");
    let signed_in: hearth_api::User = me(&env, &http).await.json().await.unwrap();
    assert_eq!(signed_in.id, jose.id);
    assert_eq!(signed_in.role, Role::ComplianceOfficer);
    assert_eq!(
        admin.user(jose.id).await.unwrap().role,
        Role::ComplianceOfficer
    );
    let skipped: Vec<_> = audit_actions(s)
        .into_iter()
        .filter(|(a, _)| a == "user.role_sync_skipped")
        .collect();
    assert_eq!(skipped.len(), 1, "{skipped:?}");
    assert_eq!(skipped[0].1["from"], "compliance_officer");
    assert_eq!(skipped[0].1["to"], "system_admin");
    assert_eq!(skipped[0].1["source"], "oidc");
    // Signing in again neither changes the role nor repeats the entry.
    let again = browser();
    sso(&env, &again, "jose").await;
    assert_eq!(
        admin.user(jose.id).await.unwrap().role,
        Role::ComplianceOfficer
    );
    let skipped = audit_actions(s)
        .into_iter()
        .filter(|(a, _)| a == "user.role_sync_skipped")
        .count();
    assert_eq!(skipped, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn directory_mappings_never_change_an_officers_role_sqlite() {
    directory_mappings_never_change_an_officers_role(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn directory_mappings_never_change_an_officers_role_postgres() {
    directory_mappings_never_change_an_officers_role(Backend::Postgres).await;
}

/// An officer whose directory group no longer maps to a role keeps the
/// officer role at the next LDAP sync; the sync reports and audits the skip.
async fn ldap_sync_never_changes_an_officers_role(backend: Backend) {
    let slapd = Slapd::start();
    let dir = slapd.config();
    let s = TestServer::boot_with(backend, move |c| {
        c.ldap.enabled = true;
        c.ldap.sync_interval_mins = 0;
        c.ldap.directory = Some(dir);
        c.ldap.group_mappings = vec![GroupMapping {
            group: format!("cn=admins,ou=groups,{BASE}"),
            teams: vec![],
            channels: vec![],
            system_role: Some(SystemRole::Admin),
        }];
    })
    .await;
    let (admin, _) = s.admin().await;
    admin.ldap_sync().await.expect("first sync");
    let alice = admin.user_by_username("alice").await.unwrap();
    assert_eq!(
        alice.role,
        Role::SystemAdmin,
        "mapped from the admins group"
    );
    s.local()
        .set_role(alice.id, Role::ComplianceOfficer)
        .await
        .unwrap();

    // Out of the admins group: the mapping would make her a plain user.
    slapd.modify(&format!(
        "dn: cn=admins,ou=groups,{BASE}\nchangetype: modify\nreplace: member\nmember: uid=carol,ou=people,{BASE}\n"
    ));
    let report = admin.ldap_sync().await.expect("second sync");
    assert!(
        report
            .errors
            .iter()
            .any(|e| e.code == "sync.officer_role" && e.subject == "alice"),
        "{report:?}"
    );
    assert_eq!(
        admin.user(alice.id).await.unwrap().role,
        Role::ComplianceOfficer
    );
    let skipped: Vec<_> = audit_actions(&s)
        .into_iter()
        .filter(|(a, _)| a == "user.role_sync_skipped")
        .collect();
    assert_eq!(skipped.len(), 1, "{skipped:?}");
    assert_eq!(skipped[0].1["source"], "ldap");
    assert_eq!(skipped[0].1["to"], "user");
    // The next sync neither changes the role nor reports it again.
    let report = admin.ldap_sync().await.expect("third sync");
    assert!(
        !report.errors.iter().any(|e| e.code == "sync.officer_role"),
        "{report:?}"
    );
    assert_eq!(
        admin.user(alice.id).await.unwrap().role,
        Role::ComplianceOfficer
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ldap_sync_never_changes_an_officers_role_sqlite() {
    ldap_sync_never_changes_an_officers_role(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ldap_sync_never_changes_an_officers_role_postgres() {
    ldap_sync_never_changes_an_officers_role(Backend::Postgres).await;
}
