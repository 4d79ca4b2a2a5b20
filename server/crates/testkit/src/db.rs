//! A fresh database per test: a SQLite file in a temporary directory, or a
//! PostgreSQL database created for the test and dropped after it.

use diesel::{Connection, PgConnection, RunQueryDsl};
use hearth_store::{DbOptions, Store};

/// Where the test PostgreSQL server lives (`TEST_PG_URL`); every test
/// machine runs one on loopback.
pub fn pg_base_url() -> String {
    std::env::var("TEST_PG_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A fresh PostgreSQL database, dropped (with any connection still open to
/// it) when this value is.
pub struct PgDb {
    base: String,
    pub name: String,
}

impl PgDb {
    /// A database on the [`pg_base_url`] server.
    pub fn create() -> PgDb {
        PgDb::create_on(&pg_base_url(), "hearth_test")
    }

    /// A database named `<prefix>_<uuid>` on the server at `base`.
    pub fn create_on(base: &str, prefix: &str) -> PgDb {
        let name = format!("{prefix}_{}", uuid::Uuid::now_v7().simple());
        let mut c = PgConnection::establish(&format!("{base}/postgres")).expect(
            "PostgreSQL must run on 127.0.0.1:5432 (or TEST_PG_URL) for the tests (see README)",
        );
        diesel::sql_query(format!("CREATE DATABASE {name}"))
            .execute(&mut c)
            .expect("create test database");
        PgDb {
            base: base.to_string(),
            name,
        }
    }

    pub fn url(&self) -> String {
        format!("{}/{}", self.base, self.name)
    }

    /// Connections open to this database, as PostgreSQL counts them.
    pub fn connections(&self) -> i64 {
        #[derive(diesel::QueryableByName)]
        struct Count {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let mut c = PgConnection::establish(&format!("{}/postgres", self.base))
            .expect("connect to PostgreSQL");
        diesel::sql_query(format!(
            "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = '{}'",
            self.name
        ))
        .get_result::<Count>(&mut c)
        .expect("count connections")
        .n
    }
}

impl Drop for PgDb {
    fn drop(&mut self) {
        if let Ok(mut c) = PgConnection::establish(&format!("{}/postgres", self.base)) {
            let _ = diesel::sql_query(format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ))
            .execute(&mut c);
        }
    }
}

/// A database of its own for one test, on either backend, and a temporary
/// directory beside it.
pub struct TestDb {
    pub backend: Backend,
    pub dir: tempfile::TempDir,
    pub pg: Option<PgDb>,
}

impl TestDb {
    pub fn new(backend: Backend) -> TestDb {
        TestDb {
            backend,
            dir: tempfile::tempdir().expect("tempdir"),
            pg: (backend == Backend::Postgres).then(PgDb::create),
        }
    }

    /// The database URL: the PostgreSQL database, or `hearth.db` in the directory.
    pub fn url(&self) -> String {
        database_url(self.backend, self.dir.path(), self.pg.as_ref())
    }

    pub fn options(&self, max_connections: u32) -> DbOptions {
        DbOptions {
            url: self.url(),
            max_connections,
            sqlite_synchronous: "NORMAL".into(),
        }
    }

    /// Opens (and migrates) the database.
    pub fn open(&self) -> Store {
        Store::open(self.options(2)).expect("open the test database")
    }
}

/// Where a test's database lives: the PostgreSQL one when there is one,
/// else `hearth.db` in `dir`.
pub(crate) fn database_url(backend: Backend, dir: &std::path::Path, pg: Option<&PgDb>) -> String {
    match (backend, pg) {
        (Backend::Postgres, Some(db)) => db.url(),
        _ => format!("sqlite://{}", dir.join("hearth.db").display()),
    }
}
