//! The final report, as human text or JSON.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde_json::json;

use crate::Args;
use crate::rss::{Rss, mib};
use crate::run::Outcome;
use crate::stats::{Accounting, ConnView, Summary, account, ms};

/// Everything worth printing about a run.
pub struct Report {
    config: serde_json::Value,
    runid: String,
    connections: usize,
    connect_errors: Vec<String>,
    posts_planned: u64,
    posts_created: u64,
    posts_skipped: u64,
    post_errors: BTreeMap<String, u64>,
    post_http: Summary,
    delivery: Summary,
    acc: Accounting,
    duplicates: u64,
    untimed: u64,
    seq_gaps: u64,
    seq_backwards: u64,
    resyncs: u64,
    other_events: u64,
    closed: BTreeMap<String, u64>,
    reader_errors: Vec<String>,
    duration_s: f64,
    posting_s: f64,
    /// Before WebSockets, idle with all open, peak while posting, at the end.
    rss: [Option<Rss>; 4],
}

impl Report {
    pub fn new(
        args: &Args,
        runid: &str,
        user_channels: &[Vec<usize>],
        o: &Outcome,
        connect_errors: Vec<String>,
        rss: [Option<Rss>; 4],
    ) -> Self {
        let views: Vec<ConnView<'_>> = o
            .conns
            .iter()
            .map(|c| ConnView {
                channels: user_channels.get(c.user).map_or(&[][..], Vec::as_slice),
                received: &c.received,
            })
            .collect();
        let acc = account(&o.ok_posts, &views);
        let mut lat: Vec<u32> = o
            .conns
            .iter()
            .flat_map(|c| c.latencies_us.iter().copied())
            .collect();
        let mut http = o.post_http_us.clone();
        let sum = |f: fn(&crate::run::ConnStats) -> u64| o.conns.iter().map(f).sum::<u64>();
        let mut closed = BTreeMap::new();
        for c in &o.conns {
            if let Some(code) = c.closed {
                let key = code.map_or_else(|| "none".to_string(), |c| c.to_string());
                *closed.entry(key).or_default() += 1;
            }
        }
        Report {
            config: json!({
                "url": args.url, "users": args.users, "channels": args.channels,
                "members_per_channel": args.members_per_channel, "rate": args.rate,
                "duration_s": args.duration, "warmup_s": args.warmup, "drain_s": args.drain,
            }),
            runid: runid.to_string(),
            connections: o.conns.len(),
            connect_errors,
            posts_planned: o.posts_planned,
            posts_created: o.measured_created,
            posts_skipped: o.posts_skipped,
            post_errors: o.post_errors.clone(),
            post_http: Summary::of(&mut http),
            delivery: Summary::of(&mut lat),
            acc,
            duplicates: sum(|c| c.duplicates),
            untimed: sum(|c| c.untimed),
            seq_gaps: sum(|c| c.seq_gaps),
            seq_backwards: sum(|c| c.seq_backwards),
            resyncs: sum(|c| c.resyncs),
            other_events: sum(|c| c.other_events),
            closed,
            reader_errors: o.conns.iter().filter_map(|c| c.error.clone()).collect(),
            duration_s: args.duration as f64,
            posting_s: o.elapsed_posting.as_secs_f64(),
            rss,
        }
    }

    /// No lost or duplicate deliveries, no failed posts or connections.
    pub fn healthy(&self) -> bool {
        self.acc.lost == 0
            && self.duplicates == 0
            && self.post_errors.is_empty()
            && self.connect_errors.is_empty()
            && self.closed.is_empty()
            && self.reader_errors.is_empty()
    }

    fn deliveries_per_s(&self) -> f64 {
        self.acc.received as f64 / self.duration_s
    }

    /// Server memory added by opening the WebSockets, per connection.
    fn per_connection_kib(&self) -> Option<f64> {
        match (self.rss[0], self.rss[1]) {
            (Some(b), Some(i)) if self.connections > 0 => {
                Some((i.rss_kib as f64 - b.rss_kib as f64) / self.connections as f64)
            }
            _ => None,
        }
    }

    fn rss_json(&self) -> serde_json::Value {
        let kib = |r: Option<Rss>| r.map(|r| r.rss_kib);
        let [before, idle, peak, end] = self.rss;
        let per_conn = self.per_connection_kib();
        json!({
            "before_ws_kib": kib(before), "idle_kib": kib(idle), "peak_kib": kib(peak),
            "end_kib": kib(end), "hwm_kib": end.map(|r| r.hwm_kib),
            "per_connection_kib": per_conn,
        })
    }

    /// The machine-readable report.
    pub fn json(&self) -> serde_json::Value {
        json!({
            "run_id": self.runid,
            "config": self.config,
            "healthy": self.healthy(),
            "connections": { "open": self.connections, "failed": self.connect_errors.len(),
                "closed_by_server": self.closed, "reader_errors": self.reader_errors.len() },
            "posts": { "planned": self.posts_planned, "created_measured": self.posts_created,
                "skipped_backpressure": self.posts_skipped, "errors": self.post_errors,
                "posting_s": self.posting_s, "http": self.post_http.json() },
            "deliveries": { "expected": self.acc.expected, "received": self.acc.received,
                "lost": self.acc.lost, "duplicates": self.duplicates,
                "unexpected": self.acc.unexpected, "untimed": self.untimed,
                "per_second": self.deliveries_per_s(), "latency": self.delivery.json() },
            "events": { "seq_gaps": self.seq_gaps, "seq_backwards": self.seq_backwards,
                "resyncs": self.resyncs, "other": self.other_events },
            "server_rss": self.rss_json(),
        })
    }

    /// The human report.
    pub fn text(&self) -> String {
        let mut s = String::new();
        let line = |s: &mut String, t: String| {
            let _ = writeln!(s, "{t}");
        };
        let pct = |a: &Summary| {
            format!(
                "p50 {:.2}  p95 {:.2}  p99 {:.2}  max {:.2} ms  (n={})",
                ms(a.p50_us as f64),
                ms(a.p95_us as f64),
                ms(a.p99_us as f64),
                ms(a.max_us as f64),
                a.count
            )
        };
        line(&mut s, format!("hearth-load report (run {})", self.runid));
        line(&mut s, format!("  config        {}", self.config));
        line(
            &mut s,
            format!(
                "  connections   {} open, {} failed to connect, closed by server: {:?}, reader errors: {}",
                self.connections,
                self.connect_errors.len(),
                self.closed,
                self.reader_errors.len()
            ),
        );
        for e in self
            .connect_errors
            .iter()
            .chain(&self.reader_errors)
            .take(5)
        {
            line(&mut s, format!("      {e}"));
        }
        line(
            &mut s,
            format!(
                "  posts         {} planned, {} created in the measured window, {} skipped (in-flight cap), posting took {:.1}s",
                self.posts_planned, self.posts_created, self.posts_skipped, self.posting_s
            ),
        );
        line(&mut s, format!("  post errors   {:?}", self.post_errors));
        line(&mut s, format!("  post HTTP     {}", pct(&self.post_http)));
        line(
            &mut s,
            format!(
                "  deliveries    {} expected, {} received, {} lost, {} duplicates, {} unexpected, {} untimed",
                self.acc.expected,
                self.acc.received,
                self.acc.lost,
                self.duplicates,
                self.acc.unexpected,
                self.untimed
            ),
        );
        line(
            &mut s,
            format!(
                "  throughput    {:.0} deliveries/s",
                self.deliveries_per_s()
            ),
        );
        line(&mut s, format!("  post→delivery {}", pct(&self.delivery)));
        line(
            &mut s,
            format!(
                "  event seq     {} gaps, {} backwards, {} resyncs, {} other events",
                self.seq_gaps, self.seq_backwards, self.resyncs, self.other_events
            ),
        );
        let show = |r: Option<Rss>| r.map_or_else(|| "-".to_string(), |r| mib(r.rss_kib));
        let [before, idle, peak, end] = self.rss;
        line(
            &mut s,
            format!(
                "  server RSS    before WS {}, idle with all WS {} ({} KiB per connection), peak {}, end {}, high-water {}",
                show(before),
                show(idle),
                self.per_connection_kib()
                    .map_or_else(|| "-".to_string(), |k| format!("{k:.1}")),
                show(peak),
                show(end),
                end.map_or_else(|| "-".to_string(), |r| mib(r.hwm_kib))
            ),
        );
        line(
            &mut s,
            format!(
                "  verdict       {}",
                if self.healthy() {
                    "OK"
                } else {
                    "PROBLEMS (see above)"
                }
            ),
        );
        s
    }
}
