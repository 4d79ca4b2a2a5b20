//! Starting and stopping a server many times in one process leaves nothing
//! behind: no worker, no listener, no database connection, and the
//! database opens again each time.

use std::sync::Arc;

use hearth_api::EventKind;
use hearth_testkit::{Backend, PgDb, expect_event, my_channel, sign_up_admin, test_config};

use crate::both_backends;

const ROUNDS: usize = 20;

both_backends!(servers_start_and_stop_cleanly => super::start_and_stop_many_times);

async fn start_and_stop_many_times(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let pg = (backend == Backend::Postgres).then(PgDb::create);
    for round in 0..ROUNDS {
        let server = hearth_server::start(test_config(backend, dir.path(), pg.as_ref()), 1)
            .await
            .expect("server starts");
        let workers = server.workers();
        assert!(workers.running() > 0, "round {round}: workers run");
        let mut admin = hearth_client::Client::new(server.url());
        if server.setup_token.is_some() {
            sign_up_admin(&mut admin, server.setup_token.clone()).await;
            admin
                .create_team(&hearth_api::CreateTeamRequest {
                    name: "rounds".into(),
                    display_name: "Rounds".into(),
                    open: true,
                    ..Default::default()
                })
                .await
                .unwrap();
        } else {
            admin.login("admin", "admin-password").await.unwrap();
        }
        // A live socket and a post routed to it, so every worker has had work.
        let town = my_channel(&admin, "town-square").await;
        let mut ws = admin.connect_ws(None).await.unwrap();
        admin
            .post_message(town.id, &format!("round {round}"))
            .await
            .unwrap();
        expect_event(&mut ws, EventKind::Posted).await;

        let addr = server.addr;
        let ctx = Arc::downgrade(&server.ctx);
        server.stop().await;
        assert_eq!(workers.running(), 0, "round {round}: every worker stopped");
        assert!(
            ctx.upgrade().is_none(),
            "round {round}: the context, and the database pool with it, is gone"
        );
        std::net::TcpListener::bind(addr).expect("the port is free again");
        if let Some(db) = &pg {
            assert_eq!(
                connections_after_close(db).await,
                0,
                "round {round}: no connection left open"
            );
        }
    }
}

/// The database's connections once PostgreSQL has seen the closed ones go:
/// a backend leaves `pg_stat_activity` a moment after its client hangs up.
async fn connections_after_close(db: &PgDb) -> i64 {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let n = db.connections();
        if n == 0 || std::time::Instant::now() > deadline {
            return n;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}
