//! Kill -9 right after posts were acknowledged: after a restart every
//! acknowledged post is there, on SQLite and on PostgreSQL.

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "helpers outside `#[test]` functions fail the test by panicking"
)]

#[path = "api/process.rs"]
mod process;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use hearth_api::{CreatePostRequest, CreateTeamRequest};
use hearth_client::Client;
use hearth_testkit::{Backend, PgDb, sign_up_admin};
use process::spawn;

async fn acknowledged_posts_survive_sigkill(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let pg = (backend == Backend::Postgres).then(PgDb::create);
    let db_url = match &pg {
        Some(db) => db.url(),
        None => format!("sqlite://{}", dir.path().join("hearth.db").display()),
    };
    let mut p = spawn(dir.path(), &db_url, &[]);
    let token = p
        .setup_token
        .clone()
        .expect("first start prints a setup token");
    let mut admin = Client::new(p.url.clone());
    sign_up_admin(&mut admin, Some(token)).await;
    admin
        .create_team(&CreateTeamRequest {
            name: "crash".into(),
            display_name: "Crash".into(),
            open: true,
            ..Default::default()
        })
        .await
        .unwrap();
    let town = hearth_testkit::my_channel(&admin, "town-square").await;

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

    let mut p2 = spawn(dir.path(), &db_url, &[]);
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
