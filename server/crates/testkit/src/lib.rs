//! What Hearth's tests share: a fresh database per test on both backends
//! ([`TestDb`], [`PgDb`]), a real server booted on it (`TestServer`, with the
//! `server` feature), waiting for an event on a WebSocket and reading the
//! audit log, and [`both_backends!`] to run one test body on SQLite and on
//! PostgreSQL.
//!
//! PostgreSQL is found at `TEST_PG_URL` (default `postgres://postgres@127.0.0.1:5432`);
//! each test gets its own database there, dropped when the test ends.

mod db;
#[cfg(feature = "server")]
mod server;

pub use db::{Backend, PgDb, TestDb, pg_base_url};
#[cfg(feature = "server")]
pub use server::{
    EVENT_WAIT, TestServer, audit_actions, expect_event, my_channel, sign_up_admin, test_config,
};

/// Runs each named async test body on SQLite and on PostgreSQL, as a module
/// holding a `sqlite` and a `postgres` test.
///
/// - `both_backends!(a, b)`: `a(TestServer)`, booted with the test defaults.
/// - `both_backends!(with tweak; a, b)`: booted with `tweak(&mut Config)` applied.
/// - `both_backends!(a => f, b => g)`: `f(Backend)`, for tests that boot
///   their own servers (or need only a database).
///
/// `TestServer` is whatever type of that name the calling module uses, so
/// a crate may wrap the kit's server in its own.
#[macro_export]
macro_rules! both_backends {
    (with $tweak:expr; $($name:ident),+ $(,)?) => {
        $(
            mod $name {
                use super::*;
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$name(TestServer::boot_with($crate::Backend::Sqlite, $tweak).await).await;
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    super::$name(TestServer::boot_with($crate::Backend::Postgres, $tweak).await).await;
                }
            }
        )+
    };
    ($($name:ident => $f:path),+ $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    $f($crate::Backend::Sqlite).await;
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    $f($crate::Backend::Postgres).await;
                }
            }
        )+
    };
    ($($name:ident),+ $(,)?) => {
        $crate::both_backends!(with |_| {}; $($name),+);
    };
}
