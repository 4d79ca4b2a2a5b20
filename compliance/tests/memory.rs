//! Measures real heap use: the peak while exporting ten times more records
//! stays the same, because only one batch is ever held.

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "helpers outside `#[test]` functions fail the test by panicking"
)]

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use common::*;
use hearth_compliance::export::{ExportOptions, Format, export};
use hearth_compliance::model::*;

struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

#[expect(
    unsafe_code,
    reason = "a global allocator that counts is how the test sees the heap"
)]
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = CURRENT.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

fn stream(n: usize) -> impl Iterator<Item = Result<Record, std::convert::Infallible>> {
    let channels = ["c-town", "c-dev", "c-dm"];
    let users = ["u-alice", "u-bob", "u-carol", "u-bot"];
    (0..n).map(move |i| {
        let text = format!("message {i} {}", "lorem ipsum dolor sit amet ".repeat(8));
        let p = post(
            &format!("p{i:08}"),
            channels[i % 3],
            users[i % 4],
            T0 + i as i64 * 1000,
            &text,
        );
        Ok(Record {
            at: p.created_at,
            id: format!("{}:c", p.id),
            event: Event::PostCreated { post: p },
        })
    })
}

/// Peak heap above the starting level while exporting `n` records.
fn peak_for(format: Format, n: usize) -> usize {
    let file = tempfile::tempfile().unwrap();
    let dir = directory();
    let mut opts = ExportOptions::new(format, T0, "mem");
    opts.batch_size = 200;
    let base = CURRENT.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let out = export(
        &opts,
        &dir,
        &NoAttachments,
        stream(n),
        file,
        &mut no_progress(),
    )
    .unwrap();
    assert_eq!(out.counts.records_exported as usize, n);
    PEAK.load(Ordering::Relaxed) - base
}

#[test]
fn peak_heap_does_not_grow_with_the_export() {
    for format in [Format::Actiance, Format::GlobalRelay, Format::Csv] {
        let small = peak_for(format, 1_000);
        let large = peak_for(format, 10_000);
        // Ten times the records; allow for per-file manifest lines and noise.
        assert!(
            large < small + small / 2,
            "{format:?}: {small} bytes for 1k records, {large} for 10k"
        );
    }
}
