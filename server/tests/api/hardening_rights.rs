//! Rights hardening: guests see only the people they share a channel with,
//! admins and compliance officers cannot act on each other's accounts,
//! removed members hear nothing more, read state stays private, and the
//! chat bookkeeping holds under concurrent writers and restarts.

mod accounts;
mod chat;
mod guests;
mod members;

use std::time::Instant;

use hearth_api::{ClientFrame, Event, ServerFrame};
use hearth_client::WsConnection;

use crate::harness::{EVENT_WAIT, TestServer, test_config};

/// Collects events until one satisfies `stop`, which is returned last.
/// Fails after [`EVENT_WAIT`].
pub async fn events_until(
    ws: &mut WsConnection,
    mut stop: impl FnMut(&Event) -> bool,
) -> Vec<Event> {
    let deadline = Instant::now() + EVENT_WAIT;
    let mut out = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match ws.next_event(left).await.expect("websocket works") {
            Some(e) => {
                let done = stop(&e);
                out.push(e);
                if done {
                    return out;
                }
            }
            None => panic!("the awaited event did not come; got {out:?}"),
        }
    }
}

/// Sends a ping and waits for the pong: every frame sent before has been
/// handled by the server by then. Events that arrive meanwhile are returned.
pub async fn round_trip(ws: &mut WsConnection) -> Vec<Event> {
    ws.send(ClientFrame::Ping).await.expect("send ping");
    let deadline = Instant::now() + EVENT_WAIT;
    let mut out = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match ws.next_frame(left).await.expect("websocket works") {
            Some(ServerFrame::Pong) => return out,
            Some(ServerFrame::Event(e)) => out.push(e),
            Some(_) => {}
            None => panic!("no pong within {EVENT_WAIT:?}"),
        }
    }
}

/// Stops the server and boots another on the same data directory and
/// database. Clients must be made again: the new server has a new port.
pub async fn restart(s: &mut TestServer) {
    s.stop().await;
    let cfg = test_config(s.backend, s.dir.path(), s.pg.as_ref());
    let server = hearth_server::start(cfg, 1)
        .await
        .expect("the server starts again");
    s.url = server.url();
    s.server = Some(server);
}
