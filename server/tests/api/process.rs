//! A `hearth serve` child process, for tests that kill the server.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A `hearth serve` process and what it printed at start.
pub struct Proc {
    pub child: Child,
    pub url: String,
    pub setup_token: Option<String>,
}

/// Starts `hearth serve` on a free port with extra `HEARTH_*` settings.
pub fn spawn(dir: &std::path::Path, db_url: &str, env: &[(&str, &str)]) -> Proc {
    let mut child = Command::new(env!("CARGO_BIN_EXE_hearth"))
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--workers",
            "2",
            "--data-dir",
        ])
        .arg(dir)
        .env("HEARTH_DATABASE__URL", db_url)
        .env("HEARTH_LIMITS__POSTS_PER_SECOND", "100000")
        .env("RUST_LOG", "warn")
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("hearth binary starts");
    // A reader thread forwards stdout lines, so waiting never blocks on the pipe.
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut url = None;
    while url.is_none() {
        let line = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("server starts within a minute");
        url = line
            .strip_prefix("Hearth is listening on ")
            .and_then(|r| r.split_whitespace().next())
            .map(str::to_string);
    }
    let mut setup_token = None;
    if let Ok(line) = rx.recv_timeout(Duration::from_millis(500))
        && line.starts_with("First start")
    {
        setup_token = rx
            .recv_timeout(Duration::from_secs(5))
            .ok()
            .map(|l| l.trim().to_string());
    }
    Proc {
        child,
        url: url.expect("server printed its URL"),
        setup_token,
    }
}
