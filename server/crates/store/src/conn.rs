//! Connections, the pool, migrations and the write path.
//!
//! Every mutation runs in [`Store::write`]: one transaction for the rows and
//! their change-log entries. On SQLite writes are serialised by a process
//! mutex (one writer, many WAL readers, never `SQLITE_BUSY` on upgrade); on
//! PostgreSQL an advisory lock taken before the first change-log append makes
//! commit order equal `seq` order, so a follower reading `seq > cursor` never
//! skips a row that commits late.

use std::sync::Mutex;
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::r2d2::{ManageConnection, Pool, PooledConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
use tokio::sync::watch;

use crate::change_log::{self, Change};
use crate::error::{StoreError, StoreResult};

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const PG_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// Serialises change-log and audit-log appends on PostgreSQL (any constant
/// works; this one is ours). One lock for both, so no two writers can take
/// them in opposite orders.
pub(crate) const CHANGE_LOG_LOCK: i64 = 0x4845_4152_5448;

/// One connection type for both backends; queries are written once against it.
#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Pg(diesel::PgConnection),
    Sqlite(diesel::SqliteConnection),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// How to reach the database.
#[derive(Debug, Clone)]
pub struct DbOptions {
    /// `sqlite://path/to/file.db` or `postgres://user@host/db`.
    pub url: String,
    pub max_connections: u32,
    /// SQLite `synchronous`: FULL survives power loss, NORMAL survives process crashes.
    pub sqlite_synchronous: String,
}

impl DbOptions {
    pub fn backend(&self) -> StoreResult<Backend> {
        if self.url.starts_with("sqlite://") {
            Ok(Backend::Sqlite)
        } else if self.url.starts_with("postgres://") || self.url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            Err(StoreError::BadUrl(self.url.clone()))
        }
    }
}

struct Manager {
    opts: DbOptions,
    backend: Backend,
}

impl ManageConnection for Manager {
    type Connection = DbConn;
    type Error = StoreError;

    fn connect(&self) -> StoreResult<DbConn> {
        let fail = |e: diesel::ConnectionError| StoreError::Connect {
            url: redact(&self.opts.url),
            message: e.to_string(),
        };
        match self.backend {
            Backend::Sqlite => {
                let path = self.opts.url.trim_start_matches("sqlite://");
                let mut c = diesel::SqliteConnection::establish(path).map_err(fail)?;
                c.batch_execute(&format!(
                    "PRAGMA journal_mode = WAL; PRAGMA synchronous = {}; PRAGMA busy_timeout = 10000; \
                     PRAGMA foreign_keys = ON; PRAGMA cache_size = -2000;",
                    self.opts.sqlite_synchronous
                ))?;
                Ok(DbConn::Sqlite(c))
            }
            Backend::Postgres => {
                let c = diesel::PgConnection::establish(&self.opts.url).map_err(fail)?;
                Ok(DbConn::Pg(c))
            }
        }
    }

    fn is_valid(&self, conn: &mut DbConn) -> StoreResult<()> {
        conn.batch_execute("SELECT 1")?;
        Ok(())
    }

    fn has_broken(&self, _conn: &mut DbConn) -> bool {
        false
    }
}

/// Hides the password of a database URL for messages and logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}://{user}:***@{}", &url[..s], &url[at + 1..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// The database handle shared by every service: a pool plus the write path.
pub struct Store {
    pool: Pool<Manager>,
    backend: Backend,
    write_lock: Mutex<()>,
    /// Bumped after each commit that appended to the change log.
    changes: watch::Sender<u64>,
    /// How audit entries are hashed and checked, fixed at start.
    audit: crate::audit::Keying,
}

/// A write transaction in progress.
pub struct Tx<'a> {
    pub conn: &'a mut DbConn,
    appended: bool,
    /// The append lock is held (PostgreSQL; SQLite writes are already serialised).
    ordered: bool,
    /// The store's audit keying: appends are keyed when it holds a key.
    pub(crate) audit: &'a crate::audit::Keying,
}

impl Tx<'_> {
    /// Appends `change` to the change log in this transaction; it is published
    /// to followers only once the transaction commits.
    pub fn log(&mut self, change: Change) -> StoreResult<()> {
        self.order_appends()?;
        self.appended = true;
        change_log::append(self.conn, &change)
    }

    /// Makes this transaction's appends totally ordered with every other
    /// writer's until it commits: call before reading a log's head to extend it.
    pub fn order_appends(&mut self) -> StoreResult<()> {
        if !self.ordered
            && let DbConn::Pg(pg) = &mut *self.conn
        {
            pg.batch_execute(&format!("SELECT pg_advisory_xact_lock({CHANGE_LOG_LOCK})"))?;
        }
        self.ordered = true;
        Ok(())
    }
}

enum TxError {
    Db(diesel::result::Error),
    Domain(hearth_core::Error),
}

impl From<diesel::result::Error> for TxError {
    fn from(e: diesel::result::Error) -> Self {
        TxError::Db(e)
    }
}

impl Store {
    /// Connects, creates the SQLite file if needed and runs pending migrations.
    pub fn open(opts: DbOptions) -> StoreResult<Store> {
        let backend = opts.backend()?;
        let max = match backend {
            Backend::Sqlite => opts.max_connections.clamp(2, 16),
            Backend::Postgres => opts.max_connections.max(2),
        };
        let manager = Manager {
            opts: opts.clone(),
            backend,
        };
        // Connect once outside the pool so a bad URL reports its real cause.
        let mut first = manager.connect()?;
        run_migrations(&mut first)?;
        seal_audit_log(&mut first)?;
        drop(first);
        let pool = Pool::builder()
            .max_size(max)
            .min_idle(Some(0))
            .connection_timeout(Duration::from_secs(10))
            .build(manager)?;
        let (changes, _) = watch::channel(0);
        Ok(Store {
            pool,
            backend,
            write_lock: Mutex::new(()),
            changes,
            audit: crate::audit::Keying::default(),
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Sets the audit key this store appends and verifies with (`None` for
    /// a plain SHA-256 chain) and finds where the log became keyed; with a
    /// key and a log not keyed yet, keys it from now on (see
    /// [`crate::audit::start_keying`]). Called once, at start, before any
    /// other write; `id` and `now` are for the entry that starts keying.
    pub fn start_audit_keying(
        &mut self,
        key: Option<hearth_audit_chain::AuditKey>,
        id: String,
        now: i64,
    ) -> StoreResult<crate::audit::KeyingStart> {
        self.audit = crate::audit::Keying {
            key,
            keyed_from: None,
        };
        let start = {
            let _serialised = match self.backend {
                Backend::Sqlite => Some(self.write_lock.lock().unwrap_or_else(|p| p.into_inner())),
                Backend::Postgres => None,
            };
            let mut conn = self.conn()?;
            let audit = &self.audit;
            conn.transaction::<_, StoreError, _>(|c| {
                let mut tx = Tx {
                    conn: c,
                    appended: false,
                    ordered: false,
                    audit,
                };
                crate::audit::start_keying(&mut tx, id, now)
            })?
        };
        self.audit.keyed_from = start.keyed_from;
        Ok(start)
    }

    /// The audit keying set at start.
    pub fn audit_keying(&self) -> &crate::audit::Keying {
        &self.audit
    }

    fn conn(&self) -> StoreResult<PooledConnection<Manager>> {
        Ok(self.pool.get()?)
    }

    /// Runs read-only work on a pooled connection.
    pub fn read<T>(
        &self,
        f: impl FnOnce(&mut DbConn) -> hearth_core::Result<T>,
    ) -> hearth_core::Result<T> {
        let mut conn = self.conn()?;
        f(&mut conn)
    }

    /// Runs `f` in one transaction; change-log entries it appends are
    /// announced to followers after the commit, never before.
    pub fn write<T>(
        &self,
        f: impl FnOnce(&mut Tx) -> hearth_core::Result<T>,
    ) -> hearth_core::Result<T> {
        let _serialised = match self.backend {
            Backend::Sqlite => Some(self.write_lock.lock().unwrap_or_else(|p| p.into_inner())),
            Backend::Postgres => None,
        };
        let mut conn = self.conn()?;
        let mut appended = false;
        let result = conn.transaction::<T, TxError, _>(|c| {
            let mut tx = Tx {
                conn: c,
                appended: false,
                ordered: false,
                audit: &self.audit,
            };
            let out = f(&mut tx).map_err(TxError::Domain)?;
            appended = tx.appended;
            Ok(out)
        });
        match result {
            Ok(v) => {
                if appended {
                    self.changes.send_modify(|g| *g = g.wrapping_add(1));
                }
                Ok(v)
            }
            Err(TxError::Domain(e)) => Err(e),
            Err(TxError::Db(e)) => Err(StoreError::from(e).into()),
        }
    }

    /// A receiver that changes after every commit that appended to the change log.
    pub fn subscribe_changes(&self) -> watch::Receiver<u64> {
        self.changes.subscribe()
    }

    /// True when the database answers a trivial query.
    pub fn ping(&self) -> bool {
        self.conn()
            .and_then(|mut c| Ok(c.batch_execute("SELECT 1")?))
            .is_ok()
    }

    /// Pool figures for metrics: (connections, idle).
    pub fn pool_state(&self) -> (u32, u32) {
        let s = self.pool.state();
        (s.connections, s.idle_connections)
    }
}

fn run_migrations(conn: &mut DbConn) -> StoreResult<()> {
    let result = match conn {
        DbConn::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|_| ()),
        DbConn::Pg(c) => c.run_pending_migrations(PG_MIGRATIONS).map(|_| ()),
    };
    result.map_err(|e| StoreError::Migrate(e.to_string()))
}

/// Applies pending migrations without starting anything else (`hearth db migrate`).
pub fn migrate_only(opts: DbOptions) -> StoreResult<()> {
    let backend = opts.backend()?;
    let mut c = Manager { opts, backend }.connect()?;
    run_migrations(&mut c)?;
    seal_audit_log(&mut c)
}

/// Chains audit entries written before the log was hash-chained (a one-time
/// step after the migration that added the chain columns).
fn seal_audit_log(conn: &mut DbConn) -> StoreResult<()> {
    let chained = crate::audit::chain_unsealed(conn)?;
    if chained > 0 {
        tracing::info!(entries = chained, "audit log entries chained");
    }
    Ok(())
}
