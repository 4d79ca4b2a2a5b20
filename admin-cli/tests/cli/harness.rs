//! Boots a real server in this process (its own fresh SQLite file or
//! PostgreSQL database, and data directory) and runs the real `hearthctl`
//! binary against it, over TCP with a token or over the local socket.

use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::time::Duration;

use diesel::{Connection, PgConnection, RunQueryDsl};
use hearth_api::SignupRequest;
use hearth_client::Client;
use hearth_server::{Config, RunningServer};

pub fn pg_base_url() -> String {
    std::env::var("TEST_PG_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A fresh PostgreSQL database, dropped with this value.
pub struct PgDb {
    pub name: String,
}

impl PgDb {
    pub fn create() -> PgDb {
        let name = format!("hearthctl_test_{}", uuid::Uuid::now_v7().simple());
        let mut c = PgConnection::establish(&format!("{}/postgres", pg_base_url()))
            .expect("PostgreSQL must run on 127.0.0.1:5432 for the tests (see README)");
        diesel::sql_query(format!("CREATE DATABASE {name}"))
            .execute(&mut c)
            .expect("create test database");
        PgDb { name }
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

/// What one `hearthctl` run produced.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// The standard output as JSON (for `--json` runs that succeed).
    pub fn json(&self) -> serde_json::Value {
        assert_eq!(self.code, 0, "hearthctl failed: {self:?}");
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {self:?}"))
    }

    pub fn ok(&self) -> &str {
        assert_eq!(self.code, 0, "hearthctl failed: {self:?}");
        &self.stdout
    }
}

pub struct TestServer {
    pub server: Option<RunningServer>,
    pub dir: tempfile::TempDir,
    #[expect(dead_code, reason = "dropped with the server")]
    pg: Option<PgDb>,
    pub url: String,
    pub socket: PathBuf,
    setup_token: Option<String>,
    /// Token file of the admin made by [`TestServer::admin`].
    pub token_file: Option<PathBuf>,
}

impl TestServer {
    pub async fn boot(backend: Backend) -> TestServer {
        Self::boot_with(backend, |_| {}).await
    }

    pub async fn boot_with(backend: Backend, tweak: impl FnOnce(&mut Config)) -> TestServer {
        let dir = tempfile::tempdir().expect("tempdir");
        let pg = (backend == Backend::Postgres).then(PgDb::create);
        let mut cfg = Config::default();
        cfg.server.listen = "127.0.0.1:0".into();
        cfg.server.data_dir = dir.path().join("data");
        cfg.server.shutdown_grace_secs = 1;
        cfg.database.url = match &pg {
            Some(db) => format!("{}/{}", pg_base_url(), db.name),
            None => format!("sqlite://{}", dir.path().join("hearth.db").display()),
        };
        cfg.database.max_connections = 4;
        cfg.limits.logins_per_minute = 1000;
        cfg.limits.signups_per_hour = 100_000;
        // The tests sign their users up themselves; the default is invite-only.
        cfg.accounts.signup = hearth_server::config::SignupMode::Open;
        // Spreadsheets are read by a `hearth` child process; this test binary
        // is not one, so use the workspace's (built beside `hearthctl`).
        let reader = std::path::Path::new(env!("CARGO_BIN_EXE_hearthctl")).with_file_name("hearth");
        if reader.exists() {
            cfg.limits.sheet_reader_program = reader;
        }
        tweak(&mut cfg);
        let server = hearth_server::start(cfg, 1).await.expect("server starts");
        TestServer {
            url: server.url(),
            socket: server.admin_socket.clone().expect("the admin socket is on"),
            setup_token: server.setup_token.clone(),
            server: Some(server),
            dir,
            pg,
            token_file: None,
        }
    }

    pub fn client(&self) -> Client {
        Client::with_timeout(self.url.clone(), Duration::from_secs(20)).expect("client")
    }

    /// The first account (system admin) and a personal access token for it
    /// in a 0600 file, used by [`TestServer::ctl`].
    pub async fn admin(&mut self) -> Client {
        let c = self.client();
        c.signup(&SignupRequest {
            username: "admin".into(),
            email: "admin@example.com".into(),
            password: "admin-password".into(),
            setup_token: self.setup_token.clone(),
            ..Default::default()
        })
        .await
        .expect("admin signup");
        let mut c = self.client();
        c.login("admin", "admin-password").await.expect("login");
        let t = c
            .create_token("hearthctl tests", None)
            .await
            .expect("token");
        self.token_file = Some(self.write_token("admin.token", &t.token));
        c
    }

    /// Signs up an ordinary user and returns a token file for them.
    pub async fn user_token(&self, name: &str) -> PathBuf {
        let password = format!("{name}-password");
        self.client()
            .signup(&SignupRequest {
                username: name.into(),
                email: format!("{name}@example.com"),
                password: password.clone(),
                ..Default::default()
            })
            .await
            .expect("signup");
        let mut c = self.client();
        c.login(name, &password).await.expect("login");
        let t = c.create_token("t", None).await.expect("token");
        self.write_token(&format!("{name}.token"), &t.token)
    }

    pub fn write_token(&self, name: &str, token: &str) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::write(&p, token).expect("write token");
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        p
    }

    /// Runs `hearthctl --url … --token-file <admin token> args…`.
    pub async fn ctl(&self, args: &[&str]) -> Run {
        let token = self.token_file.as_ref().expect("call admin() first");
        let mut full = vec!["--url", &self.url, "--token-file"];
        let token = token.to_str().expect("utf-8 path");
        full.push(token);
        full.extend_from_slice(args);
        self.run(&full).await
    }

    /// Runs `hearthctl --socket <admin socket> args…`.
    pub async fn local(&self, args: &[&str]) -> Run {
        let socket = self.socket.to_str().expect("utf-8 path");
        let mut full = vec!["--socket", socket];
        full.extend_from_slice(args);
        self.run(&full).await
    }

    /// Runs `hearthctl` with exactly `args`, isolated from the caller's
    /// profiles and environment.
    pub async fn run(&self, args: &[&str]) -> Run {
        run_in(self.dir.path(), args).await
    }
}

/// Runs the binary with its profiles file inside `dir`.
pub async fn run_in(dir: &std::path::Path, args: &[&str]) -> Run {
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_hearthctl"))
        .args(args)
        .env("HEARTHCTL_CONFIG", dir.join("hearthctl.toml"))
        .env_remove("HEARTHCTL_URL")
        .env_remove("HEARTHCTL_TOKEN")
        .env_remove("HEARTHCTL_PROFILE")
        .env_remove("HEARTH_SERVER__DATA_DIR")
        .output()
        .await
        .expect("hearthctl runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let (Some(s), Ok(rt)) = (self.server.take(), tokio::runtime::Handle::try_current()) {
            tokio::task::block_in_place(|| rt.block_on(s.stop()));
        }
    }
}

/// Runs one async test on SQLite and on PostgreSQL.
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
