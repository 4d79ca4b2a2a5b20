//! Kill -9 right after posts were acknowledged: after a restart every
//! acknowledged post is there, on SQLite and on PostgreSQL.

#[allow(dead_code)]
#[path = "api/harness.rs"]
mod harness;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use harness::{Backend, PgDb};
use hearth_api::{CreatePostRequest, CreateTeamRequest, SignupRequest};
use hearth_client::Client;

/// A `hearth serve` process and what it printed at start.
struct Proc {
    child: Child,
    url: String,
    setup_token: Option<String>,
}

fn spawn(dir: &std::path::Path, db_url: &str) -> Proc {
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

async fn acknowledged_posts_survive_sigkill(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let pg = (backend == Backend::Postgres).then(PgDb::create);
    let db_url = match &pg {
        Some(db) => db.url(),
        None => format!("sqlite://{}", dir.path().join("hearth.db").display()),
    };
    let mut p = spawn(dir.path(), &db_url);
    let token = p
        .setup_token
        .clone()
        .expect("first start prints a setup token");
    let anon = Client::new(p.url.clone());
    anon.signup(&SignupRequest {
        username: "admin".into(),
        email: "admin@example.com".into(),
        password: "admin-password".into(),
        setup_token: Some(token),
        ..Default::default()
    })
    .await
    .unwrap();
    let mut admin = Client::new(p.url.clone());
    admin.login("admin", "admin-password").await.unwrap();
    admin
        .create_team(&CreateTeamRequest {
            name: "crash".into(),
            display_name: "Crash".into(),
            open: true,
            ..Default::default()
        })
        .await
        .unwrap();
    let town = harness::my_channel(&admin, "town-square").await;

    // Eight writers post as fast as they can; the server dies right after the 300th acknowledgement.
    let acked = Arc::new(Mutex::new(Vec::new()));
    let target = 300;
    let mut tasks = Vec::new();
    for w in 0..8 {
        let c = admin.clone();
        let acked = acked.clone();
        tasks.push(tokio::spawn(async move {
            for i in 0.. {
                let req = CreatePostRequest {
                    channel_id: town.id,
                    message: format!("writer {w} post {i}"),
                    idempotency_key: Some(format!("w{w}-{i}")),
                    ..Default::default()
                };
                match c.create_post(&req).await {
                    Ok(post) => {
                        let mut a = acked.lock().unwrap();
                        a.push(post.id);
                        if a.len() >= target {
                            return;
                        }
                    }
                    Err(_) => return,
                }
            }
        }));
    }
    loop {
        if acked.lock().unwrap().len() >= target {
            p.child.kill().expect("SIGKILL");
            break;
        }
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    p.child.wait().unwrap();
    for t in tasks {
        let _ = t.await;
    }
    let acked: Vec<_> = acked.lock().unwrap().clone();
    assert!(acked.len() >= target);

    let mut p2 = spawn(dir.path(), &db_url);
    assert!(
        p2.setup_token.is_none(),
        "accounts survived, so no new setup token"
    );
    let mut admin = Client::new(p2.url.clone());
    admin.login("admin", "admin-password").await.unwrap();
    let mut missing = Vec::new();
    for id in &acked {
        if admin.post(*id).await.is_err() {
            missing.push(*id);
        }
    }
    p2.child.kill().ok();
    p2.child.wait().ok();
    assert!(
        missing.is_empty(),
        "{} of {} acknowledged posts lost: {missing:?}",
        missing.len(),
        acked.len()
    );
    drop(pg);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_acknowledged_posts_survive_sigkill() {
    acknowledged_posts_survive_sigkill(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_acknowledged_posts_survive_sigkill() {
    acknowledged_posts_survive_sigkill(Backend::Postgres).await;
}
