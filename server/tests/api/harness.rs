//! Boots real servers for the tests: each test gets its own fresh database
//! (a temporary SQLite file, or a new PostgreSQL database dropped afterwards)
//! and its own data directory.

use std::time::Duration;

use diesel::{Connection, PgConnection, RunQueryDsl};
use hearth_api::{Channel, CreateTeamRequest, Event, EventKind, SignupRequest, Team, User};
use hearth_client::{Client, WsConnection};
use hearth_server::{Config, RunningServer};

/// Where the test PostgreSQL server lives; every machine runs one on loopback.
pub fn pg_base_url() -> String {
    std::env::var("TEST_PG_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A fresh PostgreSQL database, dropped when this value is.
pub struct PgDb {
    pub name: String,
}

impl PgDb {
    pub fn create() -> PgDb {
        let name = format!("hearth_test_{}", uuid::Uuid::now_v7().simple());
        let mut c = PgConnection::establish(&format!("{}/postgres", pg_base_url()))
            .expect("PostgreSQL must run on 127.0.0.1:5432 for the tests (see README)");
        diesel::sql_query(format!("CREATE DATABASE {name}"))
            .execute(&mut c)
            .expect("create test database");
        PgDb { name }
    }

    pub fn url(&self) -> String {
        format!("{}/{}", pg_base_url(), self.name)
    }
}

impl Drop for PgDb {
    fn drop(&mut self) {
        if let Ok(mut c) = PgConnection::establish(&format!("{}/postgres", pg_base_url())) {
            let _ = diesel::sql_query(format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ))
            .execute(&mut c);
        }
    }
}

pub struct TestServer {
    pub server: Option<RunningServer>,
    pub backend: Backend,
    pub dir: tempfile::TempDir,
    /// Held so the database is dropped after the server stops.
    pub pg: Option<PgDb>,
    pub url: String,
    setup_token: Option<String>,
}

/// Test configuration: loopback, ephemeral port, generous rate limits.
pub fn test_config(backend: Backend, dir: &std::path::Path, pg: Option<&PgDb>) -> Config {
    let mut cfg = Config::default();
    cfg.server.listen = "127.0.0.1:0".into();
    cfg.server.data_dir = dir.to_path_buf();
    cfg.server.shutdown_grace_secs = 1;
    cfg.database.url = match (backend, pg) {
        (Backend::Postgres, Some(db)) => db.url(),
        _ => format!("sqlite://{}", dir.join("hearth.db").display()),
    };
    cfg.database.max_connections = 4;
    cfg.limits.logins_per_minute = 1000;
    cfg.limits.signups_per_hour = 100_000;
    // The tests sign their users up themselves; the default is invite-only.
    cfg.accounts.signup = hearth_server::config::SignupMode::Open;
    cfg.limits.posts_per_second = 1000;
    // The test binary is not `hearth`: spreadsheets are read by the real one.
    cfg.limits.sheet_reader_program = env!("CARGO_BIN_EXE_hearth").into();
    cfg.limits.account_requests_per_minute = 1_000_000;
    cfg
}

impl TestServer {
    pub async fn boot(backend: Backend) -> TestServer {
        Self::boot_with(backend, |_| {}).await
    }

    pub async fn boot_with(backend: Backend, tweak: impl FnOnce(&mut Config)) -> TestServer {
        let dir = tempfile::tempdir().expect("tempdir");
        let pg = (backend == Backend::Postgres).then(PgDb::create);
        let mut cfg = test_config(backend, dir.path(), pg.as_ref());
        tweak(&mut cfg);
        let server = hearth_server::start(cfg, 1).await.expect("server starts");
        let url = server.url();
        let setup_token = server.setup_token.clone();
        TestServer {
            server: Some(server),
            backend,
            dir,
            pg,
            url,
            setup_token,
        }
    }

    pub fn client(&self) -> Client {
        Client::with_timeout(self.url.clone(), Duration::from_secs(20)).expect("client")
    }

    /// A client on the server's local administration socket: every request
    /// acts as the operator on the server's host (the built-in administrator).
    pub fn local(&self) -> Client {
        let server = self.server.as_ref().expect("server runs");
        let path = server
            .admin_socket
            .clone()
            .expect("the admin socket is on by default");
        Client::unix(&path, Duration::from_secs(20)).expect("local client")
    }

    /// Creates the first account (system admin) with the setup token and logs in.
    pub async fn admin(&self) -> (Client, User) {
        let c = self.client();
        let token = self
            .setup_token
            .clone()
            .expect("fresh server has a setup token");
        c.signup(&SignupRequest {
            username: "admin".into(),
            email: "admin@example.com".into(),
            password: "admin-password".into(),
            setup_token: Some(token),
            ..Default::default()
        })
        .await
        .expect("admin signup");
        self.login("admin", "admin-password").await
    }

    pub async fn login(&self, login: &str, password: &str) -> (Client, User) {
        let mut c = self.client();
        let r = c.login(login, password).await.expect("login");
        (c, r.user)
    }

    /// Signs up and logs in an ordinary user named `name`.
    pub async fn user(&self, name: &str) -> (Client, User) {
        self.client()
            .signup(&SignupRequest {
                username: name.into(),
                email: format!("{name}@example.com"),
                password: format!("{name}-password"),
                ..Default::default()
            })
            .await
            .expect("signup");
        self.login(name, &format!("{name}-password")).await
    }

    /// A team created by `owner`, open or invite-only.
    pub async fn team(&self, owner: &Client, name: &str, open: bool) -> Team {
        owner
            .create_team(&CreateTeamRequest {
                name: name.into(),
                display_name: name.into(),
                open,
                ..Default::default()
            })
            .await
            .expect("create team")
    }

    pub async fn stop(&mut self) {
        if let Some(s) = self.server.take() {
            s.stop().await;
        }
    }
}

/// The caller's channel named `name` (e.g. `town-square`, which every team member joins).
pub async fn my_channel(c: &Client, name: &str) -> Channel {
    c.my_channels()
        .await
        .expect("list my channels")
        .into_iter()
        .find(|ch| ch.name == name)
        .unwrap_or_else(|| panic!("not in a channel named {name}"))
}

/// How long a test waits for an event before failing.
pub const EVENT_WAIT: Duration = Duration::from_secs(10);

/// Waits for the next event of `kind`, skipping others; fails after [`EVENT_WAIT`].
pub async fn expect_event(ws: &mut WsConnection, kind: EventKind) -> Event {
    let deadline = std::time::Instant::now() + EVENT_WAIT;
    loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        match ws.next_event(left).await.expect("websocket works") {
            Some(e) if e.event == kind => return e,
            Some(_) => continue,
            None => panic!("no {kind:?} event within {EVENT_WAIT:?}"),
        }
    }
}

/// Stops the server before the test ends, so no worker or pool thread is
/// still talking to the database while the process exits.
impl Drop for TestServer {
    fn drop(&mut self) {
        if let (Some(s), Ok(rt)) = (self.server.take(), tokio::runtime::Handle::try_current()) {
            tokio::task::block_in_place(|| rt.block_on(s.stop()));
        }
    }
}

/// Runs one async test body on SQLite and on PostgreSQL.
#[macro_export]
macro_rules! both_backends {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                use $crate::harness::{Backend, TestServer};
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$name(TestServer::boot(Backend::Sqlite).await).await;
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    super::$name(TestServer::boot(Backend::Postgres).await).await;
                }
            }
        )*
    };
}

/// The newest audit entries (most recent first), read from the server's store.
pub fn audit_actions(s: &TestServer) -> Vec<(String, serde_json::Value)> {
    let server = s.server.as_ref().expect("server runs");
    server
        .ctx
        .store
        .read(|c| Ok(hearth_store::audit::recent(c, 1000)?))
        .expect("read audit log")
        .into_iter()
        .map(|r| {
            let details = serde_json::from_str(&r.details).unwrap_or_default();
            (r.action, details)
        })
        .collect()
}
