//! The SQLite and PostgreSQL migrations must describe the same schema:
//! same tables, same columns, same nullability.

#![expect(
    clippy::unwrap_used,
    reason = "helpers outside `#[test]` functions fail the test by panicking"
)]

use std::collections::BTreeMap;

use diesel::prelude::*;
use diesel::sql_types::{Integer, Text};
use hearth_store::{DbOptions, migrate_only};
use hearth_testkit::{PgDb, pg_base_url};

#[derive(QueryableByName)]
struct SqliteCol {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Integer)]
    notnull: i32,
    #[diesel(sql_type = Integer)]
    pk: i32,
}

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(QueryableByName)]
struct PgCol {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    is_nullable: String,
}

type Schema = BTreeMap<String, BTreeMap<String, bool>>;

fn sqlite_schema(path: &str) -> Schema {
    let mut c = SqliteConnection::establish(path).unwrap();
    let tables: Vec<Name> = diesel::sql_query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__diesel%'",
    )
    .load(&mut c)
    .unwrap();
    let mut out = Schema::new();
    for t in tables {
        let cols: Vec<SqliteCol> = diesel::sql_query(format!("PRAGMA table_info({})", t.name))
            .load(&mut c)
            .unwrap();
        // Primary-key columns are NOT NULL in PostgreSQL whatever the DDL says.
        out.insert(
            t.name,
            cols.into_iter()
                .map(|c| (c.name, c.notnull == 1 || c.pk > 0))
                .collect(),
        );
    }
    out
}

fn pg_schema(url: &str) -> Schema {
    let mut c = PgConnection::establish(url).unwrap();
    let cols: Vec<PgCol> = diesel::sql_query(
        "SELECT table_name::text AS table_name, column_name::text AS column_name, is_nullable::text AS is_nullable \
         FROM information_schema.columns WHERE table_schema = 'public' AND table_name NOT LIKE '__diesel%'",
    )
    .load(&mut c)
    .unwrap();
    let mut out = Schema::new();
    for col in cols {
        out.entry(col.table_name)
            .or_default()
            .insert(col.column_name, col.is_nullable == "NO");
    }
    out
}

#[test]
fn sqlite_and_postgres_schemas_agree() {
    let dir = tempfile::tempdir().unwrap();
    let sqlite_path = dir.path().join("schema.db");
    migrate_only(DbOptions {
        url: format!("sqlite://{}", sqlite_path.display()),
        max_connections: 1,
        sqlite_synchronous: "NORMAL".into(),
    })
    .unwrap();

    let pg = PgDb::create_on(&pg_base_url(), "hearth_schema");
    migrate_only(DbOptions {
        url: pg.url(),
        max_connections: 1,
        sqlite_synchronous: "NORMAL".into(),
    })
    .unwrap();
    let lite = sqlite_schema(sqlite_path.to_str().unwrap());
    let pg = pg_schema(&pg.url());
    assert!(lite.len() >= 14, "all tables exist: {:?}", lite.keys());
    assert_eq!(lite, pg);
}
