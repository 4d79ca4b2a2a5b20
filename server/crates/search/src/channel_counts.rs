//! Hits per channel ("12 results in ~town-square"), counted from the same
//! channel-id columns the scope filter reads, so counting needs no extra
//! indexed data.

use std::collections::HashMap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};
use uuid::Uuid;

use crate::scope_filter::{CHANNEL_HI, CHANNEL_LO};

/// Counts matching documents per channel.
pub(crate) struct ChannelCounts;

pub(crate) struct SegmentChannelCounts {
    hi: Column<u64>,
    lo: Column<u64>,
    counts: HashMap<u128, u64>,
}

impl Collector for ChannelCounts {
    type Fruit = HashMap<u128, u64>;
    type Child = SegmentChannelCounts;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        let fast = segment.fast_fields();
        Ok(SegmentChannelCounts {
            hi: fast.u64(CHANNEL_HI)?,
            lo: fast.u64(CHANNEL_LO)?,
            counts: HashMap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<HashMap<u128, u64>>) -> tantivy::Result<Self::Fruit> {
        let mut total: HashMap<u128, u64> = HashMap::new();
        for fruit in fruits {
            for (channel, count) in fruit {
                *total.entry(channel).or_default() += count;
            }
        }
        Ok(total)
    }
}

impl SegmentCollector for SegmentChannelCounts {
    type Fruit = HashMap<u128, u64>;

    fn collect(&mut self, doc: DocId, _: Score) {
        if let (Some(hi), Some(lo)) = (self.hi.first(doc), self.lo.first(doc)) {
            *self
                .counts
                .entry((u128::from(hi) << 64) | u128::from(lo))
                .or_default() += 1;
        }
    }

    fn harvest(self) -> Self::Fruit {
        self.counts
    }
}

/// The `n` channels with most hits, ties broken by id for stable output.
pub(crate) fn top_channels(counts: HashMap<u128, u64>, n: usize) -> Vec<(Uuid, u64)> {
    let mut v: Vec<(Uuid, u64)> = counts
        .into_iter()
        .map(|(c, n)| (Uuid::from_u128(c), n))
        .collect();
    v.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v.truncate(n);
    v
}
