//! Boots a real server in this process (its own fresh SQLite file or
//! PostgreSQL database, and data directory) and runs the real `hearthctl`
//! binary against it, over TCP with a token or over the local socket.

use std::ops::{Deref, DerefMut};
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;

use hearth_api::SignupRequest;
use hearth_client::Client;
use hearth_server::Config;
pub use hearth_testkit::Backend;

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

/// The kit's test server, with the token files and the socket `hearthctl` uses.
pub struct TestServer {
    kit: hearth_testkit::TestServer,
    pub socket: PathBuf,
    /// Token file of the admin made by [`TestServer::admin`].
    pub token_file: Option<PathBuf>,
}

impl Deref for TestServer {
    type Target = hearth_testkit::TestServer;

    fn deref(&self) -> &Self::Target {
        &self.kit
    }
}

impl DerefMut for TestServer {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.kit
    }
}

impl TestServer {
    /// The data directory is a folder of the test directory, which holds the
    /// token files and `hearthctl`'s profiles beside it.
    pub async fn boot_with(backend: Backend, tweak: impl FnOnce(&mut Config)) -> TestServer {
        let kit = hearth_testkit::TestServer::boot_with(backend, |c| {
            c.server.data_dir = c.server.data_dir.join("data");
            tweak(c);
        })
        .await;
        TestServer {
            socket: kit
                .running()
                .admin_socket
                .clone()
                .expect("the admin socket is on"),
            kit,
            token_file: None,
        }
    }

    /// The first account (system admin) and a personal access token for it
    /// in a 0600 file, used by [`TestServer::ctl`].
    pub async fn admin(&mut self) -> Client {
        let mut c = self.client();
        hearth_testkit::sign_up_admin(&mut c, self.kit.setup_token.clone()).await;
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
