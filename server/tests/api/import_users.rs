//! Users from spreadsheets written by openpyxl and LibreOffice: the dry run
//! reports real row numbers and stable codes, an apply with any bad row
//! writes nothing, a clean apply creates accounts and memberships, and
//! applying it again changes nothing.

use hearth_api::{
    ChannelKind, CreateChannelRequest, ErrorCode, ImportIssueCode, ImportRowStatus, Role,
    UserImportQuery, UserImportReport,
};
use hearth_client::{Client, Method, StatusCode};

use crate::both_backends;
use crate::harness::{TestServer, audit_actions};

both_backends!(
    dry_run_reports_rows_and_codes_in_every_format,
    an_apply_with_a_bad_row_writes_nothing,
    a_clean_apply_creates_users_and_memberships_once,
    only_system_admins_import_and_bad_options_are_refused,
);

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/crates/import/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("read {path}: {e}"))
}

/// The teams and channels the fixtures refer to (but not `marketing`).
async fn teams(s: &TestServer, admin: &Client) {
    let eng = s.team(admin, "engineering", false).await;
    s.team(admin, "sales", false).await;
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
        .expect("create channel");
}

fn query(dry_run: bool) -> UserImportQuery {
    UserImportQuery {
        dry_run: Some(dry_run),
        ..Default::default()
    }
}

fn row(r: &UserImportReport, n: u32) -> &hearth_api::UserImportRow {
    r.rows
        .iter()
        .find(|x| x.row == n)
        .unwrap_or_else(|| panic!("row {n} in {r:?}"))
}

fn codes(r: &UserImportReport, n: u32) -> Vec<(ImportIssueCode, Option<String>)> {
    row(r, n)
        .errors
        .iter()
        .map(|e| (e.code, e.column.clone()))
        .collect()
}

async fn dry_run_reports_rows_and_codes_in_every_format(s: TestServer) {
    let (admin, _) = s.admin().await;
    teams(&s, &admin).await;
    for (file, format) in [
        ("users.xlsx", "xlsx"),
        ("users.xls", "xls"),
        ("users.ods", "ods"),
        ("users.csv", "csv"),
    ] {
        let r = admin
            .import_users(fixture(file), &query(true))
            .await
            .expect("dry run");
        assert_eq!(r.format, format, "{file}: format detected from the content");
        assert!(r.dry_run && !r.applied);
        assert_eq!(r.header_row, 3, "{file}");
        let statuses: Vec<(u32, ImportRowStatus)> =
            r.rows.iter().map(|x| (x.row, x.status)).collect();
        use ImportRowStatus::{Create, Error};
        assert_eq!(
            statuses,
            vec![
                (4, Create),
                (5, Create),
                (6, Error),
                (7, Error),
                (8, Error),
                (9, Create)
            ],
            "{file}"
        );
        assert_eq!(
            codes(&r, 6),
            vec![(ImportIssueCode::InvalidEmail, Some("E-mail Address".into()))]
        );
        assert_eq!(
            codes(&r, 7),
            vec![(
                ImportIssueCode::DuplicateEmail,
                Some("E-mail Address".into())
            )]
        );
        assert_eq!(
            codes(&r, 8),
            vec![(ImportIssueCode::UnknownTeam, Some("Teams".into()))]
        );
        assert_eq!((r.created, r.errors), (3, 3));
        assert_eq!(row(&r, 4).start_date.as_deref(), Some("2024-03-01"));
        assert_eq!(row(&r, 5).email.as_deref(), Some("bob@example.com"));
        assert_eq!(row(&r, 5).display_name.as_deref(), Some("Bob Baker"));
        assert_eq!(
            row(&r, 9).channels,
            vec!["engineering/backend", "sales/town-square"]
        );
    }
    // A dry run writes nothing, errors or not.
    assert!(admin.user_by_username("ann").await.is_err());
}

async fn an_apply_with_a_bad_row_writes_nothing(s: TestServer) {
    let (admin, _) = s.admin().await;
    teams(&s, &admin).await;
    let r = admin
        .import_users(fixture("users.xlsx"), &query(false))
        .await
        .expect("report");
    assert!(!r.applied && !r.dry_run);
    assert_eq!(r.errors, 3);
    for name in ["ann", "bob", "erin"] {
        let e = admin.user_by_username(name).await.expect_err("not created");
        assert_eq!(e.code(), Some(ErrorCode::NotFound));
    }
    assert!(
        !audit_actions(&s).iter().any(|(a, _)| a == "import.users"),
        "a rejected import leaves no audit entry"
    );
    // On the wire: 422 with the standard error and the report.
    let (status, body) = admin
        .raw_body(
            Method::POST,
            "/api/v1/admin/import/users",
            "application/octet-stream",
            fixture("users.ods"),
        )
        .await
        .expect("raw");
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body.error_code(), Some(ErrorCode::ImportRejected));
    let json = body.json().expect("json");
    assert_eq!(json["report"]["rows"][2]["row"], 6);
    assert_eq!(
        json["report"]["rows"][2]["errors"][0]["code"],
        "invalid_email"
    );
}

async fn a_clean_apply_creates_users_and_memberships_once(s: TestServer) {
    let (admin, _) = s.admin().await;
    teams(&s, &admin).await;
    let r = admin
        .import_users(fixture("users-clean.xlsx"), &query(false))
        .await
        .expect("apply");
    assert!(r.applied, "{r:?}");
    assert_eq!((r.created, r.updated, r.unchanged, r.errors), (3, 0, 0, 0));

    let ann = admin.user_by_username("ann").await.expect("ann");
    let bob = admin.user_by_username("bob").await.expect("bob");
    let erin = admin.user_by_username("erin").await.expect("erin");
    assert_eq!(ann.email.as_deref(), Some("ann@example.com"));
    assert_eq!(ann.display_name, "Ann Archer");
    assert_eq!(bob.role, Role::Guest);
    assert_eq!(erin.role, Role::SystemAdmin);

    let all_teams = admin.teams().await.expect("teams");
    let team = |n: &str| all_teams.iter().find(|t| t.name == n).expect("team").id;
    let members = |v: Vec<hearth_api::TeamMember>| -> Vec<uuid::Uuid> {
        v.into_iter().map(|m| m.user_id).collect()
    };
    let eng = members(admin.team_members(team("engineering")).await.expect("m"));
    let sales = members(admin.team_members(team("sales")).await.expect("m"));
    assert!(eng.contains(&ann.id) && eng.contains(&erin.id) && !eng.contains(&bob.id));
    assert!(sales.contains(&bob.id) && sales.contains(&erin.id) && !sales.contains(&ann.id));
    let backend = admin_channel(&admin, "engineering", "backend", &all_teams).await;
    let backend_members = admin.channel_members(backend).await.expect("members");
    let ids: Vec<uuid::Uuid> = backend_members.iter().map(|m| m.user_id).collect();
    assert!(ids.contains(&ann.id) && ids.contains(&erin.id) && !ids.contains(&bob.id));

    let audit = audit_actions(&s);
    let (_, details) = audit
        .iter()
        .find(|(a, _)| a == "import.users")
        .expect("audit entry");
    assert_eq!(details["created"], 3);

    let again = admin
        .import_users(fixture("users-clean.xlsx"), &query(false))
        .await
        .expect("second apply");
    assert!(again.applied);
    assert_eq!(
        (again.created, again.updated, again.unchanged),
        (0, 0, 3),
        "{again:?}"
    );
    assert!(
        again
            .rows
            .iter()
            .all(|x| x.status == ImportRowStatus::Unchanged)
    );
}

/// The admin created every channel, so it is a member of them all.
async fn admin_channel(
    admin: &Client,
    team: &str,
    name: &str,
    teams: &[hearth_api::Team],
) -> uuid::Uuid {
    let tid = teams.iter().find(|t| t.name == team).expect("team").id;
    admin
        .my_channels()
        .await
        .expect("my channels")
        .into_iter()
        .find(|c| c.name == name && c.team_id == Some(tid))
        .expect("channel")
        .id
}

async fn only_system_admins_import_and_bad_options_are_refused(s: TestServer) {
    let (admin, _) = s.admin().await;
    let (bob, _) = s.user("bob").await;
    let e = bob
        .import_users(fixture("users.csv"), &query(true))
        .await
        .expect_err("forbidden");
    assert_eq!(e.code(), Some(ErrorCode::Forbidden));
    let bad = |q: UserImportQuery| {
        let admin = admin.clone();
        async move {
            admin
                .import_users(fixture("users.csv"), &q)
                .await
                .expect_err("refused")
                .code()
        }
    };
    let refused = Some(ErrorCode::InvalidInput);
    assert_eq!(
        bad(UserImportQuery {
            format: Some("numbers".into()),
            ..Default::default()
        })
        .await,
        refused
    );
    assert_eq!(
        bad(UserImportQuery {
            mapping: Some("{\"e-mail\":\"x\"}".into()),
            ..Default::default()
        })
        .await,
        refused
    );
    assert_eq!(
        bad(UserImportQuery {
            format: Some("xlsx".into()),
            ..Default::default()
        })
        .await,
        refused,
        "a CSV body is not a readable XLSX file"
    );
    let e = admin
        .import_users(Vec::new(), &query(true))
        .await
        .expect_err("empty body");
    assert_eq!(e.code(), Some(ErrorCode::InvalidInput));
}
