//! Real servers for the tests, each on its own fresh database and data
//! directory, and what tests ask of them: clients, accounts, events, the
//! audit log.

use std::path::{Path, PathBuf};
use std::time::Duration;

use hearth_api::{Channel, CreateTeamRequest, Event, EventKind, SignupRequest, Team, User};
use hearth_client::{Client, WsConnection};
use hearth_server::{Config, RunningServer};

use crate::db::{Backend, PgDb, database_url};

pub struct TestServer {
    pub server: Option<RunningServer>,
    pub backend: Backend,
    /// The data directory (and the SQLite file, `hearth.db`).
    pub dir: tempfile::TempDir,
    /// Held so the database is dropped after the server stops.
    pub pg: Option<PgDb>,
    pub url: String,
    /// Present while no account exists: needed to create the first admin.
    pub setup_token: Option<String>,
}

/// Test configuration: loopback, ephemeral port, generous rate limits.
pub fn test_config(backend: Backend, dir: &Path, pg: Option<&PgDb>) -> Config {
    let mut cfg = Config::default();
    cfg.server.listen = "127.0.0.1:0".into();
    cfg.server.data_dir = dir.to_path_buf();
    cfg.server.shutdown_grace_secs = 1;
    cfg.database.url = database_url(backend, dir, pg);
    cfg.database.max_connections = 4;
    cfg.limits.logins_per_minute = 1000;
    cfg.limits.signups_per_hour = 100_000;
    // The tests sign their users up themselves; the default is invite-only.
    cfg.accounts.signup = hearth_server::config::SignupMode::Open;
    cfg.limits.posts_per_second = 1000;
    if let Some(reader) = sheet_reader() {
        cfg.limits.sheet_reader_program = reader;
    }
    cfg.limits.account_requests_per_minute = 1_000_000;
    cfg
}

/// Spreadsheets are read by a `hearth` child process and a test binary is
/// not one: use the workspace's, built beside the test binaries
/// (`target/<profile>/deps/<test>` next to `target/<profile>/hearth`).
fn sheet_reader() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let hearth = exe.parent()?.parent()?.join("hearth");
    hearth.exists().then_some(hearth)
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
        TestServer {
            url: server.url(),
            setup_token: server.setup_token.clone(),
            server: Some(server),
            backend,
            dir,
            pg,
        }
    }

    /// The running server.
    pub fn running(&self) -> &RunningServer {
        self.server.as_ref().expect("server runs")
    }

    pub fn client(&self) -> Client {
        Client::with_timeout(self.url.clone(), Duration::from_secs(20)).expect("client")
    }

    /// A client on the server's local administration socket: every request
    /// acts as the operator on the server's host (the built-in administrator).
    pub fn local(&self) -> Client {
        let path = self
            .running()
            .admin_socket
            .clone()
            .expect("the admin socket is on by default");
        Client::unix(&path, Duration::from_secs(20)).expect("local client")
    }

    /// Creates the first account (system admin) with the setup token and logs in.
    pub async fn admin(&self) -> (Client, User) {
        let token = self
            .setup_token
            .clone()
            .expect("fresh server has a setup token");
        let mut c = self.client();
        let user = sign_up_admin(&mut c, Some(token)).await;
        (c, user)
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

/// Stops the server before the test ends, so no worker or pool thread is
/// still talking to the database while the process exits.
impl Drop for TestServer {
    fn drop(&mut self) {
        if let (Some(s), Ok(rt)) = (self.server.take(), tokio::runtime::Handle::try_current()) {
            tokio::task::block_in_place(|| rt.block_on(s.stop()));
        }
    }
}

/// Creates the first account, `admin` (password `admin-password`), with the
/// server's setup token, and logs `c` in as it.
pub async fn sign_up_admin(c: &mut Client, setup_token: Option<String>) -> User {
    c.signup(&SignupRequest {
        username: "admin".into(),
        email: "admin@example.com".into(),
        password: "admin-password".into(),
        setup_token,
        ..Default::default()
    })
    .await
    .expect("admin signup");
    c.login("admin", "admin-password")
        .await
        .expect("admin login")
        .user
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

/// The newest audit entries (most recent first), read from the server's store.
pub fn audit_actions(s: &TestServer) -> Vec<(String, serde_json::Value)> {
    s.running()
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
