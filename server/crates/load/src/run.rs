//! The measured phase: posts at a fixed rate while one reader task per
//! WebSocket timestamps every `posted` event it receives.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use hearth_api::{CreatePostRequest, EventKind, ServerFrame};
use hearth_client::{Client, ClientError, WsConnection};
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;
use uuid::Uuid;

use crate::rss::{self, Rss};

/// Post states in [`Shared::state`].
const SENDING: u8 = 1;
const CREATED: u8 = 2;
const FAILED: u8 = 3;

/// What readers and posters share: per post number, when it was sent.
struct Shared {
    start: Instant,
    runid: String,
    warmup_ns: u64,
    /// Nanoseconds since `start` plus one; 0 = not sent yet.
    sent_ns: Vec<AtomicU64>,
    state: Vec<AtomicU8>,
}

impl Shared {
    fn now_ns(&self) -> u64 {
        u64::try_from(self.start.elapsed().as_nanos()).unwrap_or(u64::MAX)
    }

    /// Whether post `n` was sent after the warm-up.
    fn measured(&self, n: usize) -> bool {
        self.after_warmup(self.sent_ns[n].load(Ordering::Acquire))
    }

    /// Whether a `sent_ns` value (time + 1, 0 = unsent) lies after the warm-up.
    fn after_warmup(&self, sent: u64) -> bool {
        sent > self.warmup_ns
    }
}

/// The message of post `n`: the tag first, so readers find it cheaply.
pub fn post_message(runid: &str, n: u64, channel: usize) -> String {
    format!("lp:{runid}:{n} load test post {n} in channel {channel}")
}

/// The post number in a message written by [`post_message`] for this run.
pub fn post_number(message: &str, runid: &str) -> Option<u64> {
    let rest = message
        .strip_prefix("lp:")?
        .strip_prefix(runid)?
        .strip_prefix(':')?;
    rest.split(' ').next()?.parse().ok()
}

/// The settings of the measured phase.
pub struct Params {
    pub rate: f64,
    pub warmup: Duration,
    pub duration: Duration,
    pub drain: Duration,
    pub max_in_flight: usize,
    pub server_pid: Option<u32>,
}

/// One connection's observations.
#[derive(Default)]
pub struct ConnStats {
    pub user: usize,
    /// Post-to-delivery latencies of measured posts, in µs.
    pub latencies_us: Vec<u32>,
    /// Measured post numbers received.
    pub received: HashSet<u64>,
    /// Warm-up post numbers received (kept only to detect duplicates).
    warmup_received: HashSet<u64>,
    pub duplicates: u64,
    /// Sequence numbers skipped, and frames whose seq went backwards.
    pub seq_gaps: u64,
    pub seq_backwards: u64,
    pub resyncs: u64,
    pub other_events: u64,
    /// `posted` events whose sender time was not recorded (should be 0).
    pub untimed: u64,
    /// Set if the server closed the socket during the run.
    pub closed: Option<Option<u16>>,
    pub error: Option<String>,
}

/// Everything the measured phase collected.
pub struct Outcome {
    pub conns: Vec<ConnStats>,
    pub posts_planned: u64,
    pub posts_skipped: u64,
    pub post_http_us: Vec<u32>,
    pub post_errors: BTreeMap<String, u64>,
    /// Measured, successfully created posts per channel.
    pub ok_posts: Vec<Vec<u64>>,
    pub measured_created: u64,
    pub rss_peak: Option<Rss>,
    pub rss_end: Option<Rss>,
    pub elapsed_posting: Duration,
}

fn error_key(e: &ClientError) -> String {
    match e {
        ClientError::Api { code, .. } => code.as_str().to_string(),
        ClientError::Unexpected { status, .. } => format!("http_{status}"),
        ClientError::Http(e) if e.is_timeout() => "timeout".into(),
        ClientError::Http(_) => "transport".into(),
        ClientError::Decode { .. } => "decode".into(),
        _ => "other".into(),
    }
}

async fn reader(
    shared: Arc<Shared>,
    user: usize,
    mut conn: WsConnection,
    mut stop: watch::Receiver<bool>,
) -> ConnStats {
    let mut st = ConnStats {
        user,
        ..ConnStats::default()
    };
    let mut last_seq = conn.last_seq();
    loop {
        let frame = tokio::select! {
            _ = stop.changed() => break,
            f = conn.next_frame(Duration::from_secs(3600)) => f,
        };
        let ev = match frame {
            Ok(Some(ServerFrame::Event(ev))) => ev,
            Ok(Some(ServerFrame::Resync { seq, .. })) => {
                st.resyncs += 1;
                last_seq = seq;
                continue;
            }
            Ok(_) => continue,
            Err(ClientError::Closed { code, .. }) => {
                st.closed = Some(code);
                break;
            }
            Err(e) => {
                st.error = Some(e.to_string());
                break;
            }
        };
        let at = shared.now_ns();
        if ev.seq > last_seq + 1 {
            st.seq_gaps += ev.seq - last_seq - 1;
        } else if ev.seq <= last_seq {
            st.seq_backwards += 1;
        }
        last_seq = ev.seq;
        if ev.event != EventKind::Posted {
            st.other_events += 1;
            continue;
        }
        let n = ev.data.get("message").and_then(|m| m.as_str());
        let Some(n) = n.and_then(|m| post_number(m, &shared.runid)) else {
            st.other_events += 1;
            continue;
        };
        let Some(sent) = usize::try_from(n).ok().and_then(|i| shared.sent_ns.get(i)) else {
            st.untimed += 1;
            continue;
        };
        let sent = sent.load(Ordering::Acquire);
        if sent == 0 {
            st.untimed += 1;
        }
        let measured = shared.after_warmup(sent);
        let set = if measured {
            &mut st.received
        } else {
            &mut st.warmup_received
        };
        if !set.insert(n) {
            st.duplicates += 1;
        } else if measured {
            let us = at.saturating_sub(sent - 1) / 1000;
            st.latencies_us.push(u32::try_from(us).unwrap_or(u32::MAX));
        }
    }
    if st.closed.is_none() {
        let _ = tokio::time::timeout(Duration::from_secs(3), conn.close()).await;
    }
    st
}

/// Samples the server's RSS every second until `stop`, keeping the largest.
async fn sample_rss(pid: u32, mut stop: watch::Receiver<bool>) -> Option<Rss> {
    let mut peak: Option<Rss> = None;
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    loop {
        tokio::select! {
            _ = stop.changed() => return peak,
            _ = tick.tick() => {
                match rss::read(pid) {
                    Some(r) if peak.is_none_or(|p| r.rss_kib > p.rss_kib) => peak = Some(r),
                    _ => {}
                }
            }
        }
    }
}

/// Posts for warm-up plus duration, drains, then stops the readers.
pub async fn run(
    world: &crate::setup::World,
    conns: Vec<Option<WsConnection>>,
    p: &Params,
) -> Outcome {
    let total = ((p.warmup + p.duration).as_secs_f64() * p.rate).round() as u64;
    let shared = Arc::new(Shared {
        start: Instant::now(),
        runid: world.runid.clone(),
        warmup_ns: u64::try_from(p.warmup.as_nanos()).unwrap_or(u64::MAX),
        sent_ns: (0..total).map(|_| AtomicU64::new(0)).collect(),
        state: (0..total).map(|_| AtomicU8::new(0)).collect(),
    });
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut readers = JoinSet::new();
    for (user, conn) in conns.into_iter().enumerate() {
        if let Some(conn) = conn {
            readers.spawn(reader(shared.clone(), user, conn, stop_rx.clone()));
        }
    }
    let rss_task = p
        .server_pid
        .map(|pid| tokio::spawn(sample_rss(pid, stop_rx.clone())));

    let clients: Arc<Vec<Client>> =
        Arc::new(world.users.iter().map(|u| u.client.clone()).collect());
    let channels: Arc<Vec<Uuid>> = Arc::new(world.channels.clone());
    let limit = Arc::new(Semaphore::new(p.max_in_flight.max(1)));
    // Each post task answers (HTTP µs, sent after warm-up, error code).
    let mut posts: JoinSet<(u32, bool, Option<String>)> = JoinSet::new();
    let mut out_http = Vec::new();
    let mut errors: BTreeMap<String, u64> = BTreeMap::new();
    let mut collect = |r: Result<(u32, bool, Option<String>), tokio::task::JoinError>| match r {
        Ok((us, true, None)) => out_http.push(us),
        Ok((_, false, None)) => {}
        Ok((_, _, Some(code))) => *errors.entry(code).or_default() += 1,
        Err(_) => *errors.entry("panic".into()).or_default() += 1,
    };
    let mut skipped = 0u64;
    let mut tick = tokio::time::interval(Duration::from_secs_f64(1.0 / p.rate));
    let posting_start = Instant::now();
    for n in 0..total {
        tick.tick().await;
        while let Some(r) = posts.try_join_next() {
            collect(r);
        }
        let Ok(permit) = limit.clone().try_acquire_owned() else {
            skipped += 1;
            continue;
        };
        let c = (n % channels.len() as u64) as usize;
        let members = &world.members[c];
        let author = members[(n / channels.len() as u64) as usize % members.len()];
        let (shared, clients, channel) = (shared.clone(), clients.clone(), channels[c]);
        posts.spawn(async move {
            let req = CreatePostRequest {
                channel_id: channel,
                message: post_message(&shared.runid, n, c),
                idempotency_key: Some(format!("lp-{}-{n}", shared.runid)),
                ..Default::default()
            };
            let i = n as usize;
            shared.state[i].store(SENDING, Ordering::Relaxed);
            let t0 = Instant::now();
            shared.sent_ns[i].store(shared.now_ns() + 1, Ordering::Release);
            let r = clients[author].create_post(&req).await;
            let us = u32::try_from(t0.elapsed().as_micros()).unwrap_or(u32::MAX);
            drop(permit);
            let (state, err) = match r {
                Ok(_) => (CREATED, None),
                Err(e) => (FAILED, Some(error_key(&e))),
            };
            shared.state[i].store(state, Ordering::Release);
            (us, shared.measured(i), err)
        });
    }
    while let Some(r) = posts.join_next().await {
        collect(r);
    }
    let elapsed_posting = posting_start.elapsed();
    tokio::time::sleep(p.drain).await;
    let rss_end = p.server_pid.and_then(rss::read);
    let _ = stop_tx.send(true);

    let mut conns = Vec::new();
    while let Some(r) = readers.join_next().await {
        if let Ok(st) = r {
            conns.push(st);
        }
    }
    conns.sort_by_key(|c| c.user);
    let rss_peak = match rss_task {
        Some(t) => t.await.ok().flatten(),
        None => None,
    };

    let mut ok_posts = vec![Vec::new(); channels.len()];
    let mut measured_created = 0;
    for n in 0..total {
        let i = n as usize;
        if shared.state[i].load(Ordering::Acquire) == CREATED && shared.measured(i) {
            ok_posts[i % channels.len()].push(n);
            measured_created += 1;
        }
    }
    Outcome {
        conns,
        posts_planned: total,
        posts_skipped: skipped,
        post_http_us: out_http,
        post_errors: errors,
        ok_posts,
        measured_created,
        rss_peak,
        rss_end,
        elapsed_posting,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn post_numbers_round_trip() {
        let m = post_message("ab12cd", 4711, 3);
        assert_eq!(post_number(&m, "ab12cd"), Some(4711));
        assert_eq!(post_number(&m, "other1"), None);
        assert_eq!(post_number("hello", "ab12cd"), None);
        assert_eq!(post_number("lp:ab12cd:x", "ab12cd"), None);
    }
}
