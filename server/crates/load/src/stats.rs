//! Pure computations on what a run collected: percentiles and the
//! expected-versus-received accounting of deliveries.

use std::collections::HashSet;

/// Percentiles of a set of durations in microseconds.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Summary {
    pub count: usize,
    pub mean_us: f64,
    pub p50_us: u64,
    pub p95_us: u64,
    pub p99_us: u64,
    pub max_us: u64,
}

/// The nearest-rank percentile `p` (0–100) of an ascending slice; 0 if empty.
pub fn percentile(sorted: &[u32], p: f64) -> u64 {
    if sorted.is_empty() {
        return 0;
    }
    let rank = (p / 100.0 * sorted.len() as f64).ceil() as usize;
    let idx = rank.clamp(1, sorted.len()) - 1;
    u64::from(sorted[idx])
}

impl Summary {
    /// Sorts `samples` in place and summarises them.
    pub fn of(samples: &mut [u32]) -> Self {
        samples.sort_unstable();
        if samples.is_empty() {
            return Summary::default();
        }
        let sum: u64 = samples.iter().map(|&s| u64::from(s)).sum();
        Summary {
            count: samples.len(),
            mean_us: sum as f64 / samples.len() as f64,
            p50_us: percentile(samples, 50.0),
            p95_us: percentile(samples, 95.0),
            p99_us: percentile(samples, 99.0),
            max_us: samples.last().map_or(0, |&s| u64::from(s)),
        }
    }

    /// As JSON, in milliseconds.
    pub fn json(&self) -> serde_json::Value {
        serde_json::json!({
            "count": self.count,
            "mean_ms": ms(self.mean_us),
            "p50_ms": ms(self.p50_us as f64),
            "p95_ms": ms(self.p95_us as f64),
            "p99_ms": ms(self.p99_us as f64),
            "max_ms": ms(self.max_us as f64),
        })
    }
}

/// Microseconds to milliseconds, rounded to 0.01 ms.
pub fn ms(us: f64) -> f64 {
    (us / 10.0).round() / 100.0
}

/// Deliveries of measured posts: what should have arrived against what did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Accounting {
    /// One per (successfully created post, connected member of its channel).
    pub expected: u64,
    /// Distinct expected deliveries that arrived.
    pub received: u64,
    /// Expected deliveries that never arrived.
    pub lost: u64,
    /// Deliveries of measured posts the connection was not expected to get
    /// (post failed over HTTP yet was created, or not a member).
    pub unexpected: u64,
}

/// One connection's view, for [`account`].
pub struct ConnView<'a> {
    /// The channels (indices) its user is a member of.
    pub channels: &'a [usize],
    /// Measured post numbers it received (duplicates already folded).
    pub received: &'a HashSet<u64>,
}

/// Counts expected, received, lost and unexpected deliveries.
/// `ok_posts[c]` lists the measured posts created in channel `c`.
pub fn account(ok_posts: &[Vec<u64>], conns: &[ConnView<'_>]) -> Accounting {
    let mut a = Accounting::default();
    for conn in conns {
        let (mut expected, mut matched) = (0u64, 0u64);
        for &c in conn.channels {
            let posts = ok_posts.get(c).map_or(&[][..], Vec::as_slice);
            expected += posts.len() as u64;
            matched += posts.iter().filter(|n| conn.received.contains(n)).count() as u64;
        }
        a.expected += expected;
        a.received += matched;
        a.lost += expected - matched;
        a.unexpected += conn.received.len() as u64 - matched;
    }
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_use_nearest_rank() {
        let v: Vec<u32> = (1..=100).collect();
        assert_eq!(percentile(&v, 50.0), 50);
        assert_eq!(percentile(&v, 95.0), 95);
        assert_eq!(percentile(&v, 99.0), 99);
        assert_eq!(percentile(&v, 100.0), 100);
        assert_eq!(percentile(&v, 0.0), 1);
        assert_eq!(percentile(&[7], 99.0), 7);
        assert_eq!(percentile(&[], 50.0), 0);
    }

    #[test]
    fn summary_sorts_and_summarises() {
        let mut v = vec![30, 10, 20, 40];
        let s = Summary::of(&mut v);
        assert_eq!(s.count, 4);
        assert_eq!(s.p50_us, 20);
        assert_eq!(s.max_us, 40);
        assert!((s.mean_us - 25.0).abs() < 1e-9);
        assert_eq!(Summary::of(&mut []), Summary::default());
        assert!((ms(1234.0) - 1.23).abs() < 1e-9);
    }

    #[test]
    fn accounting_finds_lost_and_unexpected() {
        // channel 0 has posts 0 and 2, channel 1 has post 1; post 3 failed.
        let ok = vec![vec![0, 2], vec![1]];
        let a_recv: HashSet<u64> = [0, 2, 1].into(); // 1 is not its channel
        let b_recv: HashSet<u64> = [1, 0].into(); // missed 2
        let conns = [
            ConnView {
                channels: &[0],
                received: &a_recv,
            },
            ConnView {
                channels: &[0, 1],
                received: &b_recv,
            },
        ];
        let a = account(&ok, &conns);
        assert_eq!(
            a,
            Accounting {
                expected: 5,
                received: 4,
                lost: 1,
                unexpected: 1
            }
        );
    }
}
