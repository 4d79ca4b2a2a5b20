//! Roles, kinds and states are text columns read fail-closed on both
//! backends: known values round-trip under their stored names, and a value
//! no enum knows fails the read instead of becoming a default.

#![expect(
    clippy::unwrap_used,
    reason = "helpers outside `#[test]` functions fail the test by panicking"
)]

use diesel::prelude::*;
use hearth_api::{Role, SessionKind};
use hearth_store::models::{SessionRow, UserRow};
use hearth_store::schema::{sessions, users};
use hearth_store::{DbOptions, Store, StoreError};

fn user(role: Role) -> UserRow {
    UserRow::new_account(
        format!("u{}", uuid::Uuid::now_v7().simple()),
        format!("{}@example.com", uuid::Uuid::now_v7().simple()),
        "Someone".into(),
        None,
        role,
        1,
    )
}

fn check(store: &Store) {
    let officer = user(Role::ComplianceOfficer);
    store
        .write(|tx| Ok(hearth_store::users::insert(tx.conn, &officer)?))
        .unwrap();
    let read = store
        .read(|c| Ok(hearth_store::users::by_id(c, &officer.id)?))
        .unwrap()
        .unwrap();
    assert_eq!(read.role, Role::ComplianceOfficer);
    let stored: String = store
        .read(|c| {
            Ok(users::table
                .find(&officer.id)
                .select(users::role)
                .first(c)
                .map_err(StoreError::from)?)
        })
        .unwrap();
    assert_eq!(stored, "compliance_officer");

    // Access tokens keep the stored name they had before the API's.
    let token = SessionRow {
        id: uuid::Uuid::now_v7().to_string(),
        user_id: officer.id.clone(),
        token_hash: uuid::Uuid::now_v7().to_string(),
        kind: SessionKind::AccessToken,
        name: "ci".into(),
        csrf_token: String::new(),
        created_at: 1,
        last_active_at: 1,
        expires_at: None,
        revoked_at: None,
        integration: false,
    };
    store
        .write(|tx| Ok(hearth_store::sessions::insert(tx.conn, &token)?))
        .unwrap();
    let kind: String = store
        .read(|c| {
            Ok(sessions::table
                .find(&token.id)
                .select(sessions::kind)
                .first(c)
                .map_err(StoreError::from)?)
        })
        .unwrap();
    assert_eq!(kind, "token");
    let read = store
        .read(|c| Ok(hearth_store::sessions::by_id(c, &token.id)?))
        .unwrap()
        .unwrap();
    assert_eq!(read.kind, SessionKind::AccessToken);

    // A role written by something else is an error, not a guest.
    store
        .read(|c| {
            diesel::update(users::table.find(&officer.id))
                .set(users::role.eq("superuser"))
                .execute(c)
                .map_err(StoreError::from)?;
            Ok(())
        })
        .unwrap();
    let err = store
        .read(|c| Ok(hearth_store::users::by_id(c, &officer.id)?))
        .unwrap_err();
    let text = err.to_string();
    assert!(text.contains("field 'role'"), "{text}");
    assert!(text.contains("unknown Role \"superuser\""), "{text}");
}

#[test]
fn sqlite_reads_enums_fail_closed() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(DbOptions {
        url: format!("sqlite://{}", dir.path().join("enums.db").display()),
        max_connections: 2,
        sqlite_synchronous: "NORMAL".into(),
    })
    .unwrap();
    check(&store);
}

#[test]
fn postgres_reads_enums_fail_closed() {
    let base = std::env::var("TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into());
    let name = format!("hearth_enums_{}", uuid::Uuid::now_v7().simple());
    let mut admin = PgConnection::establish(&format!("{base}/postgres")).unwrap();
    diesel::sql_query(format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .unwrap();
    let url = format!("{base}/{name}");
    let result = std::panic::catch_unwind(|| {
        let store = Store::open(DbOptions {
            url: url.clone(),
            max_connections: 2,
            sqlite_synchronous: "NORMAL".into(),
        })
        .unwrap();
        check(&store);
    });
    diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .execute(&mut admin)
        .unwrap();
    if let Err(e) = result {
        std::panic::resume_unwind(e);
    }
}
