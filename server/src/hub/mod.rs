//! The real-time hub: routes committed changes and ephemeral signals (typing,
//! presence) to WebSocket connections.
//!
//! Two tasks: the [`router`] follows the change log in `seq` order and turns
//! each change's audience into a list of users; the [`core`] task owns all
//! per-user state (sequence numbers, replay buffers, connections, presence),
//! so none of it needs a lock. Each connection has a bounded queue; a full
//! queue drops that connection instead of delaying anyone else.
//!
//! The hub's own command queue is bounded too ([`COMMAND_QUEUE`]): when it is
//! full, activity signals (which the next one repeats) are dropped and
//! counted, and every other command waits for room, which slows the senders
//! (the router, connecting clients) instead of growing memory.

mod core;
pub mod router;
mod slots;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use bytestring::ByteString;
use hearth_api::{EventKind, EventPayload, Presence, UserStatus};
use hearth_core::Id;
use hearth_store::{Audience, LoggedChange, Store};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use tokio::sync::{mpsc, oneshot};

use crate::workers::{Stage, Workers};

pub use self::core::{HubStats, MAX_PRESENCE_SUBSCRIPTIONS};
pub use self::slots::ConnectionSlots;

/// Commands waiting for the hub task before senders wait (or activity
/// signals are dropped).
pub const COMMAND_QUEUE: usize = 8192;

/// What a connection task receives from the hub.
#[derive(Debug)]
pub enum Outbound {
    Text(ByteString),
    /// Close with this code and reason (revoked session, shutdown).
    Close(u16, &'static str),
}

/// An event ready to be numbered per user. Its data is serialised once;
/// each user's frame only wraps that text with their `seq`.
#[derive(Debug)]
pub struct EventBody {
    kind: EventKind,
    channel_id: Option<Id>,
    team_id: Option<Id>,
    data: Box<RawValue>,
}

/// The `event` frame as it goes on the wire: the field order is the one
/// clients have always received.
#[derive(Serialize)]
struct EventFrame<'a> {
    #[serde(rename = "type")]
    frame: &'static str,
    seq: u64,
    event: EventKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    channel_id: Option<Id>,
    #[serde(skip_serializing_if = "Option::is_none")]
    team_id: Option<Id>,
    data: &'a RawValue,
}

impl EventBody {
    /// A change from the log, whose data goes out exactly as it was stored.
    pub fn logged(change: &LoggedChange) -> EventBody {
        let (channel_id, team_id) = match &change.audience {
            Audience::Channel {
                channel_id,
                team_id,
                ..
            } => (Some(*channel_id), *team_id),
            Audience::Team { team_id, .. } => (None, Some(*team_id)),
            Audience::User(_) | Audience::All => (None, None),
        };
        EventBody {
            kind: change.event.kind(),
            channel_id,
            team_id,
            data: change.data.clone(),
        }
    }

    /// A signal that is not stored (typing, presence).
    pub fn signal(
        event: &EventPayload,
        channel_id: Option<Id>,
    ) -> Result<EventBody, serde_json::Error> {
        #[derive(Deserialize)]
        struct Parts<'a> {
            event: EventKind,
            #[serde(borrow)]
            data: &'a RawValue,
        }
        let text = serde_json::to_string(event)?;
        let parts: Parts = serde_json::from_str(&text)?;
        Ok(EventBody {
            kind: parts.event,
            channel_id,
            team_id: None,
            data: parts.data.to_owned(),
        })
    }

    /// The frame for one user; `None` (logged) in the impossible case that
    /// ids and already-valid JSON fail to serialise.
    pub fn frame(&self, seq: u64) -> Option<ByteString> {
        let frame = EventFrame {
            frame: "event",
            seq,
            event: self.kind,
            channel_id: self.channel_id,
            team_id: self.team_id,
            data: &self.data,
        };
        match serde_json::to_string(&frame) {
            Ok(text) => Some(ByteString::from(text)),
            Err(error) => {
                tracing::error!(kind = ?self.kind, %error, "event frame not serialised");
                None
            }
        }
    }
}

/// Who receives a routed event.
#[derive(Debug, Clone)]
pub enum Recipients {
    Users(Arc<Vec<Id>>),
    All,
    /// Everyone but these users (guests who may not see a profile).
    AllExcept(Arc<Vec<Id>>),
}

pub(crate) enum Cmd {
    Connect {
        conn_id: u64,
        user_id: Id,
        session_id: String,
        resume: Option<(String, u64)>,
        tx: mpsc::Sender<Outbound>,
    },
    Disconnect {
        conn_id: u64,
        user_id: Id,
    },
    Deliver {
        to: Recipients,
        body: Arc<EventBody>,
        except: Option<Id>,
        close_session: Option<String>,
    },
    Activity {
        user_id: Id,
    },
    SetPresence {
        user_id: Id,
        presence: Presence,
        reply: oneshot::Sender<UserStatus>,
    },
    Statuses {
        user_ids: Vec<Id>,
        reply: oneshot::Sender<Vec<UserStatus>>,
    },
    Subscribe {
        conn_id: u64,
        user_id: Id,
        user_ids: Vec<Id>,
    },
    Stats {
        reply: oneshot::Sender<HubStats>,
    },
    Shutdown {
        reply: oneshot::Sender<()>,
    },
}

/// A signal that is not stored: delivered to the audience's connected users only.
pub(crate) struct Ephemeral {
    pub audience: Audience,
    pub except: Option<Id>,
    pub body: Arc<EventBody>,
}

/// Cheap handle to the hub, cloned into every request.
#[derive(Clone)]
pub struct Hub {
    cmds: mpsc::Sender<Cmd>,
    ephemeral: mpsc::Sender<Ephemeral>,
    next_conn: Arc<AtomicU64>,
    metrics: crate::metrics::Metrics,
}

/// Tunables of the hub, from the `realtime` and `accounts` configuration.
#[derive(Debug, Clone)]
pub struct HubOptions {
    pub replay_events: usize,
    pub replay_keep_secs: u64,
    pub away_after_secs: u64,
}

impl Hub {
    /// Starts the router and the hub tasks as the server's workers.
    pub fn start(
        store: Arc<Store>,
        opts: HubOptions,
        metrics: crate::metrics::Metrics,
        workers: &Workers,
    ) -> Hub {
        let epoch: Arc<str> = Arc::from(hearth_core::new_id().simple().to_string());
        let (cmds, cmd_rx) = mpsc::channel(COMMAND_QUEUE);
        let (eph_tx, eph_rx) = mpsc::channel(4096);
        let hub = Hub {
            cmds,
            ephemeral: eph_tx,
            next_conn: Arc::new(AtomicU64::new(1)),
            metrics: metrics.clone(),
        };
        workers.spawn("hub", Stage::Delivery, |stop| {
            core::run(cmd_rx, epoch, opts, metrics, stop)
        });
        let router_hub = hub.clone();
        workers.spawn("router", Stage::Follower, |stop| {
            router::run(store, router_hub, eph_rx, stop)
        });
        hub
    }

    pub fn next_conn_id(&self) -> u64 {
        self.next_conn.fetch_add(1, Ordering::Relaxed)
    }

    /// Queues a command, waiting while the queue is full.
    pub(crate) async fn send(&self, cmd: Cmd) {
        // The hub task lives as long as the server; a send after shutdown is moot.
        let _ = self.cmds.send(cmd).await;
    }

    pub async fn connect(
        &self,
        conn_id: u64,
        user_id: Id,
        session_id: String,
        resume: Option<(String, u64)>,
        tx: mpsc::Sender<Outbound>,
    ) {
        self.send(Cmd::Connect {
            conn_id,
            user_id,
            session_id,
            resume,
            tx,
        })
        .await;
    }

    /// Forgets the connection and every presence subscription it held.
    pub async fn disconnect(&self, conn_id: u64, user_id: Id) {
        self.send(Cmd::Disconnect { conn_id, user_id }).await;
    }

    /// Marks the user active; dropped (and counted) when the hub is overloaded,
    /// as the next activity signal says the same.
    pub fn activity(&self, user_id: Id) {
        if self.cmds.try_send(Cmd::Activity { user_id }).is_err() {
            self.metrics.hub_commands_dropped.inc();
        }
    }

    /// Replaces the connection's presence subscriptions (at most
    /// [`MAX_PRESENCE_SUBSCRIPTIONS`] ids are kept).
    pub async fn subscribe_presence(&self, conn_id: u64, user_id: Id, user_ids: Vec<Id>) {
        self.send(Cmd::Subscribe {
            conn_id,
            user_id,
            user_ids,
        })
        .await;
    }

    /// Sends a signal that is not stored (typing); dropped when the hub is overloaded.
    pub fn ephemeral(
        &self,
        audience: Audience,
        except: Option<Id>,
        event: &EventPayload,
        channel_id: Option<Id>,
    ) {
        let body = match EventBody::signal(event, channel_id) {
            Ok(body) => Arc::new(body),
            Err(error) => {
                tracing::error!(kind = ?event.kind(), %error, "signal not serialised");
                return;
            }
        };
        let _ = self.ephemeral.try_send(Ephemeral {
            audience,
            except,
            body,
        });
    }

    pub async fn set_presence(&self, user_id: Id, presence: Presence) -> Option<UserStatus> {
        let (reply, rx) = oneshot::channel();
        self.send(Cmd::SetPresence {
            user_id,
            presence,
            reply,
        })
        .await;
        rx.await.ok()
    }

    /// Shows the presences users chose before a restart. Called at start,
    /// before the server takes requests, so no status is asked for earlier.
    pub async fn restore_presence(&self, chosen: Vec<(Id, Presence)>) {
        for (user_id, presence) in chosen {
            let (reply, _) = oneshot::channel();
            self.send(Cmd::SetPresence {
                user_id,
                presence,
                reply,
            })
            .await;
        }
    }

    pub async fn statuses(&self, user_ids: Vec<Id>) -> Vec<UserStatus> {
        let (reply, rx) = oneshot::channel();
        self.send(Cmd::Statuses { user_ids, reply }).await;
        rx.await.unwrap_or_default()
    }

    pub async fn stats(&self) -> HubStats {
        let (reply, rx) = oneshot::channel();
        self.send(Cmd::Stats { reply }).await;
        rx.await.unwrap_or_default()
    }

    /// Closes every connection with 1001 (going away).
    pub async fn shutdown(&self) {
        let (reply, rx) = oneshot::channel();
        self.send(Cmd::Shutdown { reply }).await;
        let _ = rx.await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A hub whose task never runs, so its queue only fills.
    fn stalled() -> (Hub, mpsc::Receiver<Cmd>, crate::metrics::Metrics) {
        let (cmds, rx) = mpsc::channel(COMMAND_QUEUE);
        let (ephemeral, _) = mpsc::channel(1);
        let metrics = crate::metrics::Metrics::new();
        let hub = Hub {
            cmds,
            ephemeral,
            next_conn: Arc::new(AtomicU64::new(1)),
            metrics: metrics.clone(),
        };
        (hub, rx, metrics)
    }

    #[test]
    fn a_signal_frame_has_the_members_clients_have_always_read_in_order() {
        let (channel_id, user_id) = (hearth_core::new_id(), hearth_core::new_id());
        let typing = EventPayload::Typing(hearth_api::Typing {
            channel_id,
            root_id: None,
            user_id,
        });
        let body = EventBody::signal(&typing, Some(channel_id)).unwrap();
        assert_eq!(
            &*body.frame(7).unwrap(),
            format!(
                r#"{{"type":"event","seq":7,"event":"typing","channel_id":"{channel_id}","data":{{"channel_id":"{channel_id}","root_id":null,"user_id":"{user_id}"}}}}"#
            )
        );
    }

    #[test]
    fn a_logged_frame_carries_the_stored_text_and_the_audience_ids() {
        let (channel_id, team_id, session_id) = (
            hearth_core::new_id(),
            hearth_core::new_id(),
            hearth_core::new_id(),
        );
        let stored = format!(r#"{{"session_id":"{session_id}"}}"#);
        let change = LoggedChange {
            seq: 1,
            event: EventPayload::SessionRevoked(hearth_api::SessionRevoked { session_id }),
            audience: Audience::Channel {
                channel_id,
                team_id: Some(team_id),
                also: None,
            },
            data: RawValue::from_string(stored.clone()).unwrap(),
        };
        assert_eq!(
            &*EventBody::logged(&change).frame(12).unwrap(),
            format!(
                r#"{{"type":"event","seq":12,"event":"session_revoked","channel_id":"{channel_id}","team_id":"{team_id}","data":{stored}}}"#
            )
        );
    }

    #[tokio::test]
    async fn a_full_queue_drops_activity_and_makes_other_commands_wait() {
        let (hub, mut rx, metrics) = stalled();
        let user = hearth_core::new_id();
        for _ in 0..COMMAND_QUEUE {
            hub.activity(user);
        }
        assert_eq!(metrics.hub_commands_dropped.get(), 0);
        hub.activity(user);
        assert_eq!(metrics.hub_commands_dropped.get(), 1, "dropped and counted");
        // A disconnect is never dropped: it waits until the hub takes one.
        let h = hub.clone();
        let disconnect = tokio::spawn(async move { h.disconnect(7, user).await });
        for _ in 0..10 {
            tokio::task::yield_now().await;
        }
        assert!(!disconnect.is_finished(), "waits while the queue is full");
        assert!(matches!(rx.recv().await, Some(Cmd::Activity { .. })));
        disconnect.await.unwrap();
        let mut last = None;
        while let Ok(cmd) = rx.try_recv() {
            last = Some(cmd);
        }
        assert!(matches!(last, Some(Cmd::Disconnect { conn_id: 7, .. })));
    }
}
