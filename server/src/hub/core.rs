//! The hub task: per-user sequence numbers, replay buffers, connections and presence.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytestring::ByteString;
use hearth_api::{EventPayload, Presence, ServerFrame, UserStatus};
use hearth_core::Id;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::{Cmd, EventBody, HubOptions, Outbound, Recipients};
use crate::metrics::Metrics;

/// Presence subscriptions one connection may hold; ids past this are ignored.
pub const MAX_PRESENCE_SUBSCRIPTIONS: usize = 1000;

/// Figures for `/metrics` and the admin status page.
#[derive(Debug, Clone, Default)]
pub struct HubStats {
    pub connections: usize,
    pub users_online: usize,
    pub users_tracked: usize,
    /// Users whose presence at least one open connection watches.
    pub presence_watched: usize,
    /// (watched user, watching connection) pairs.
    pub presence_subscriptions: usize,
}

/// Who watches whose presence: watched user → (watching user, connection).
/// Entries live exactly as long as the subscribing connection and its
/// subscription; a user nobody watches has no entry.
#[derive(Default)]
struct Watchers(HashMap<Id, HashSet<(Id, u64)>>);

impl Watchers {
    fn add(&mut self, watched: Id, user_id: Id, conn_id: u64) {
        self.0
            .entry(watched)
            .or_default()
            .insert((user_id, conn_id));
    }

    /// Drops the connection's subscriptions to `watched`.
    fn remove_all<'a>(
        &mut self,
        watched: impl IntoIterator<Item = &'a Id>,
        user_id: Id,
        conn_id: u64,
    ) {
        for w in watched {
            if let Some(set) = self.0.get_mut(w) {
                set.remove(&(user_id, conn_id));
                if set.is_empty() {
                    self.0.remove(w);
                }
            }
        }
    }

    /// Distinct users watching `watched`.
    fn users_watching(&self, watched: Id) -> Vec<Id> {
        let mut users: Vec<Id> = self
            .0
            .get(&watched)
            .map(|set| set.iter().map(|(u, _)| *u).collect())
            .unwrap_or_default();
        users.sort_unstable();
        users.dedup();
        users
    }
}

struct Conn {
    id: u64,
    session_id: String,
    tx: mpsc::Sender<Outbound>,
    /// Users whose presence changes this connection wants.
    presence_subs: HashSet<Id>,
}

struct UserState {
    seq: u64,
    replay: VecDeque<(u64, Arc<EventBody>)>,
    conns: Vec<Conn>,
    last_activity: Instant,
    disconnected_at: Option<Instant>,
    manual: Option<Presence>,
    shown: Presence,
}

impl UserState {
    fn new() -> Self {
        UserState {
            seq: 0,
            replay: VecDeque::new(),
            conns: vec![],
            last_activity: Instant::now(),
            disconnected_at: None,
            manual: None,
            shown: Presence::Offline,
        }
    }
}

struct HubCore {
    epoch: Arc<str>,
    opts: HubOptions,
    metrics: Metrics,
    users: HashMap<Id, UserState>,
    watchers: Watchers,
    /// Manual presence of users who are not tracked (set over HTTP only).
    started: Instant,
}

pub(super) async fn run(
    mut rx: mpsc::Receiver<Cmd>,
    epoch: Arc<str>,
    opts: HubOptions,
    metrics: Metrics,
    stop: CancellationToken,
) {
    let mut hub = HubCore {
        epoch,
        opts,
        metrics,
        users: HashMap::new(),
        watchers: Watchers::default(),
        started: Instant::now(),
    };
    // Sweeps often enough that "away" shows within half the idle limit.
    let every = Duration::from_millis((hub.opts.away_after_secs * 500).clamp(500, 15_000));
    let mut tick = tokio::time::interval(every);
    loop {
        tokio::select! {
            cmd = rx.recv() => match cmd {
                Some(Cmd::Shutdown { reply }) => {
                    hub.close_all();
                    let _ = reply.send(());
                }
                Some(cmd) => hub.handle(cmd),
                None => break,
            },
            _ = tick.tick() => hub.sweep(),
            () = stop.cancelled() => {
                hub.close_all();
                break;
            }
        }
    }
}

fn presence_of(s: &UserState, away_after: Duration) -> Presence {
    if let Some(m) = s.manual
        && (m == Presence::Dnd || m == Presence::Offline)
    {
        return if s.conns.is_empty() && m == Presence::Dnd {
            Presence::Offline
        } else {
            m
        };
    }
    if s.conns.is_empty() {
        Presence::Offline
    } else if s.last_activity.elapsed() >= away_after || s.manual == Some(Presence::Away) {
        Presence::Away
    } else {
        Presence::Online
    }
}

impl HubCore {
    fn away_after(&self) -> Duration {
        Duration::from_secs(self.opts.away_after_secs)
    }

    fn handle(&mut self, cmd: Cmd) {
        match cmd {
            Cmd::Connect {
                conn_id,
                user_id,
                session_id,
                resume,
                tx,
            } => self.connect(conn_id, user_id, session_id, resume, tx),
            Cmd::Disconnect { conn_id, user_id } => {
                if let Some(s) = self.users.get_mut(&user_id) {
                    let watchers = &mut self.watchers;
                    s.conns.retain(|c| {
                        if c.id == conn_id {
                            watchers.remove_all(&c.presence_subs, user_id, c.id);
                            false
                        } else {
                            true
                        }
                    });
                    if s.conns.is_empty() {
                        s.disconnected_at = Some(Instant::now());
                    }
                }
                self.refresh_presence(user_id);
            }
            Cmd::Deliver {
                to,
                body,
                except,
                close_session,
            } => self.deliver(to, &body, except, close_session.as_deref()),
            Cmd::Activity { user_id } => {
                if let Some(s) = self.users.get_mut(&user_id) {
                    s.last_activity = Instant::now();
                    if s.manual == Some(Presence::Away) {
                        s.manual = None;
                    }
                }
                self.refresh_presence(user_id);
            }
            Cmd::SetPresence {
                user_id,
                presence,
                reply,
            } => {
                let s = self.users.entry(user_id).or_insert_with(UserState::new);
                s.manual = match presence {
                    Presence::Online => None,
                    other => Some(other),
                };
                if presence == Presence::Online {
                    s.last_activity = Instant::now();
                }
                self.refresh_presence(user_id);
                let _ = reply.send(self.status(user_id));
            }
            Cmd::Statuses { user_ids, reply } => {
                let _ = reply.send(user_ids.into_iter().map(|u| self.status(u)).collect());
            }
            Cmd::Subscribe {
                conn_id,
                user_id,
                user_ids,
            } => self.subscribe(conn_id, user_id, user_ids),
            Cmd::Stats { reply } => {
                let connections = self.users.values().map(|s| s.conns.len()).sum();
                let users_online = self.users.values().filter(|s| !s.conns.is_empty()).count();
                let _ = reply.send(HubStats {
                    connections,
                    users_online,
                    users_tracked: self.users.len(),
                    presence_watched: self.watchers.0.len(),
                    presence_subscriptions: self.watchers.0.values().map(HashSet::len).sum(),
                });
            }
            Cmd::Shutdown { .. } => {}
        }
    }

    fn connect(
        &mut self,
        conn_id: u64,
        user_id: Id,
        session_id: String,
        resume: Option<(String, u64)>,
        tx: mpsc::Sender<Outbound>,
    ) {
        let epoch = self.epoch.to_string();
        let s = self.users.entry(user_id).or_insert_with(UserState::new);
        s.disconnected_at = None;
        s.last_activity = Instant::now();
        let hello = ServerFrame::Hello {
            epoch: epoch.clone(),
            seq: s.seq,
        };
        let mut frames = vec![json_frame(&hello)];
        if let Some((e, last)) = resume {
            let oldest_kept = s.replay.front().map(|(q, _)| *q).unwrap_or(s.seq + 1);
            let can_replay =
                e == epoch && last <= s.seq && (last + 1 >= oldest_kept || last == s.seq);
            if can_replay {
                for (q, body) in s.replay.iter().filter(|(q, _)| *q > last) {
                    frames.extend(body.frame(*q));
                }
            } else {
                frames.push(json_frame(&ServerFrame::Resync { epoch, seq: s.seq }));
            }
        }
        // A replay longer than the queue cannot be delivered: resync instead.
        if frames.len() > tx.max_capacity() {
            frames.truncate(1);
            frames.push(json_frame(&ServerFrame::Resync {
                epoch: self.epoch.to_string(),
                seq: s.seq,
            }));
        }
        for f in frames {
            if tx.try_send(Outbound::Text(f)).is_err() {
                return;
            }
        }
        s.conns.push(Conn {
            id: conn_id,
            session_id,
            tx,
            presence_subs: HashSet::new(),
        });
        self.refresh_presence(user_id);
    }

    fn subscribe(&mut self, conn_id: u64, user_id: Id, user_ids: Vec<Id>) {
        let Some(s) = self.users.get_mut(&user_id) else {
            return;
        };
        let Some(c) = s.conns.iter_mut().find(|c| c.id == conn_id) else {
            return;
        };
        self.watchers.remove_all(&c.presence_subs, user_id, conn_id);
        c.presence_subs = user_ids
            .iter()
            .copied()
            .take(MAX_PRESENCE_SUBSCRIPTIONS)
            .collect();
        let subs: Vec<Id> = c.presence_subs.iter().copied().collect();
        for u in &subs {
            self.watchers.add(*u, user_id, conn_id);
        }
        // Current statuses of the new subscriptions come first.
        let frames: Vec<Arc<EventBody>> =
            subs.iter().filter_map(|u| self.status_body(*u)).collect();
        for body in frames {
            self.deliver_to(user_id, &body);
        }
    }

    fn status(&self, user_id: Id) -> UserStatus {
        let away = self.away_after();
        match self.users.get(&user_id) {
            Some(s) => UserStatus {
                user_id,
                presence: presence_of(s, away),
                manual: s.manual.is_some(),
                last_activity_at: hearth_core::now_millis()
                    - s.last_activity.elapsed().as_millis() as i64,
            },
            None => UserStatus {
                user_id,
                presence: Presence::Offline,
                manual: false,
                last_activity_at: hearth_core::now_millis()
                    - self.started.elapsed().as_millis() as i64,
            },
        }
    }

    fn status_body(&self, user_id: Id) -> Option<Arc<EventBody>> {
        let event = EventPayload::StatusChanged(self.status(user_id));
        match EventBody::signal(&event, None) {
            Ok(body) => Some(Arc::new(body)),
            Err(error) => {
                tracing::error!(%user_id, %error, "status not serialised");
                None
            }
        }
    }

    /// Recomputes a user's presence and tells their watchers when it changed.
    fn refresh_presence(&mut self, user_id: Id) {
        let away = self.away_after();
        let Some(s) = self.users.get_mut(&user_id) else {
            return;
        };
        let now = presence_of(s, away);
        if now == s.shown {
            return;
        }
        s.shown = now;
        let Some(body) = self.status_body(user_id) else {
            return;
        };
        let mut watchers = self.watchers.users_watching(user_id);
        // The user's own clients are told too, once.
        if !watchers.contains(&user_id) {
            watchers.push(user_id);
        }
        for w in watchers {
            self.deliver_to(w, &body);
        }
    }

    fn deliver(
        &mut self,
        to: Recipients,
        body: &Arc<EventBody>,
        except: Option<Id>,
        close_session: Option<&str>,
    ) {
        match to {
            Recipients::Users(ids) => {
                for u in ids.iter() {
                    if Some(*u) != except {
                        self.deliver_to(*u, body);
                    }
                }
            }
            Recipients::All => {
                let all: Vec<Id> = self.users.keys().copied().collect();
                for u in all {
                    if Some(u) != except {
                        self.deliver_to(u, body);
                    }
                }
            }
            Recipients::AllExcept(left_out) => {
                let all: Vec<Id> = self.users.keys().copied().collect();
                for u in all {
                    if Some(u) != except && !left_out.contains(&u) {
                        self.deliver_to(u, body);
                    }
                }
            }
        }
        if let Some(sid) = close_session {
            let watchers = &mut self.watchers;
            for (user_id, s) in self.users.iter_mut() {
                s.conns.retain(|c| {
                    if c.session_id == sid {
                        let _ = c.tx.try_send(Outbound::Close(4001, "session revoked"));
                        watchers.remove_all(&c.presence_subs, *user_id, c.id);
                        false
                    } else {
                        true
                    }
                });
            }
        }
    }

    /// Numbers `body` for one user, keeps it for replay and queues it on
    /// their connections; a connection whose queue is full is dropped.
    fn deliver_to(&mut self, user_id: Id, body: &Arc<EventBody>) {
        let cap = self.opts.replay_events;
        let Some(s) = self.users.get_mut(&user_id) else {
            return;
        };
        s.seq += 1;
        let seq = s.seq;
        s.replay.push_back((seq, body.clone()));
        while s.replay.len() > cap {
            s.replay.pop_front();
        }
        if s.conns.is_empty() {
            return;
        }
        let Some(frame) = body.frame(seq) else {
            return;
        };
        let metrics = &self.metrics;
        let watchers = &mut self.watchers;
        s.conns.retain(|c| match c.tx.try_send(Outbound::Text(frame.clone())) {
            Ok(()) => {
                metrics.events_delivered.inc();
                true
            }
            Err(_) => {
                metrics.slow_disconnects.inc();
                tracing::warn!(user_id = %user_id, conn = c.id, "dropping slow websocket connection");
                watchers.remove_all(&c.presence_subs, user_id, c.id);
                false
            }
        });
        if s.conns.is_empty() {
            s.disconnected_at = Some(Instant::now());
        }
    }

    /// Marks idle users away and forgets users gone longer than the replay window.
    fn sweep(&mut self) {
        let keep = Duration::from_secs(self.opts.replay_keep_secs);
        self.users.retain(|_, s| {
            s.manual.is_some()
                || !s.conns.is_empty()
                || s.disconnected_at.is_none_or(|t| t.elapsed() < keep)
        });
        let ids: Vec<Id> = self.users.keys().copied().collect();
        for u in ids {
            self.refresh_presence(u);
        }
    }

    fn close_all(&mut self) {
        for s in self.users.values_mut() {
            for c in s.conns.drain(..) {
                let _ = c.tx.try_send(Outbound::Close(1001, "server shutting down"));
            }
        }
        self.watchers.0.clear();
    }
}

fn json_frame(f: &ServerFrame) -> ByteString {
    ByteString::from(serde_json::to_string(f).unwrap_or_default())
}
