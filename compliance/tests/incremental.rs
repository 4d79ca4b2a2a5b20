//! Incremental exports, interruption and rerun, and flat memory on large streams.

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "helpers outside `#[test]` functions fail the test by panicking"
)]

mod common;

use std::collections::HashMap;
use std::io::{self, Cursor as IoCursor, Seek, SeekFrom, Write};
use std::ops::ControlFlow;

use common::*;
use hearth_compliance::ComplianceError;
use hearth_compliance::archive::verify_archive;
use hearth_compliance::export::{Cursor, ExportOptions, Format, Progress, Scope, export};
use hearth_compliance::model::*;

/// Exported event ids, read back from the CSV files of an archive.
fn exported_ids(zip: &[u8]) -> Vec<String> {
    let mut names: Vec<String> = zip_names(zip)
        .into_iter()
        .filter(|n| n.starts_with("csv/"))
        .collect();
    names.sort();
    let mut ids = Vec::new();
    for n in names {
        let data = zip_entry(zip, &n);
        let mut rdr = csv::Reader::from_reader(data.as_slice());
        for row in rdr.records() {
            ids.push(row.unwrap()[2].to_string());
        }
    }
    ids
}

fn run(
    records: &[Record],
    after: Option<Cursor>,
    files: &dyn AttachmentSource,
) -> Result<hearth_compliance::export::ExportOutcome<IoCursor<Vec<u8>>>, ComplianceError> {
    let mut opts = ExportOptions::new(Format::Csv, T0, "daily");
    opts.after = after;
    opts.batch_size = 4;
    export(
        &opts,
        &directory(),
        files,
        ok_stream(records.to_vec()),
        IoCursor::new(Vec::new()),
        &mut no_progress(),
    )
}

/// A day of traffic: posts (some edited or deleted) and membership changes.
fn day(n: i64, posts: usize) -> Vec<Record> {
    let base = T0 + n * 86_400_000;
    let mut out = Vec::new();
    for i in 0..posts {
        // Several events share a millisecond so the id tie-breaker matters.
        let at = base + (i as i64 / 3) * 1000;
        let mut p = post(
            &format!("d{n}-p{i}"),
            ["c-town", "c-dev", "c-dm"][i % 3],
            "u-alice",
            at,
            "hi",
        );
        if i % 4 == 0 {
            p.history = vec![PostVersion {
                message: "draft".into(),
                at,
            }];
            p.edited_at = Some(at + 500);
        }
        if i % 5 == 0 {
            p.deleted_at = Some(at + 700);
        }
        out.extend(p.events());
        out.push(membership(
            &format!("d{n}-m{i}"),
            "c-town",
            "u-bob",
            "u-bob",
            MembershipChange::Joined,
            at,
        ));
    }
    out.sort_by(|a, b| (a.at, &a.id).cmp(&(b.at, &b.id)));
    out
}

#[test]
fn three_incremental_runs_export_every_record_exactly_once() {
    let files = MemFiles::default();
    let mut log: Vec<Record> = Vec::new();
    let mut cursor = None;
    let mut seen: Vec<String> = Vec::new();
    for n in 0..3 {
        log.extend(day(n, 10));
        // The server streams everything it has; the cursor does the skipping.
        let out = run(&log, cursor.clone(), &files).unwrap();
        let ids = exported_ids(out.writer.get_ref());
        assert!(!ids.is_empty());
        assert_eq!(out.counts.records_exported as usize, ids.len());
        seen.extend(ids);
        cursor = out.cursor;
        verify_archive(IoCursor::new(out.writer.get_ref())).unwrap();
    }
    let all: Vec<String> = log.iter().map(|r| r.id.clone()).collect();
    assert_eq!(seen, all, "every record once, in order");
    // Nothing new: an empty export keeps the cursor.
    let out = run(&log, cursor.clone(), &files).unwrap();
    assert_eq!(out.counts.records_exported, 0);
    assert_eq!(out.cursor, cursor);
}

#[test]
fn time_bounded_runs_leave_later_records_for_the_next_run() {
    let files = MemFiles::default();
    let log = day(0, 12);
    let cut = log[log.len() / 2].at;
    let mut opts = ExportOptions::new(Format::Csv, T0, "daily");
    opts.scope.until = Some(cut);
    let first = export(
        &opts,
        &directory(),
        &files,
        ok_stream(log.clone()),
        IoCursor::new(Vec::new()),
        &mut no_progress(),
    )
    .unwrap();
    opts.after = first.cursor.clone();
    opts.scope.until = None;
    let second = export(
        &opts,
        &directory(),
        &files,
        ok_stream(log.clone()),
        IoCursor::new(Vec::new()),
        &mut no_progress(),
    )
    .unwrap();
    let mut ids = exported_ids(first.writer.get_ref());
    assert!(ids.len() < log.len());
    ids.extend(exported_ids(second.writer.get_ref()));
    assert_eq!(ids, log.iter().map(|r| r.id.clone()).collect::<Vec<_>>());
}

#[test]
fn failed_attachment_read_aborts_and_rerun_is_complete() {
    let (records, mut files) = scenario();
    let previous = Some(Cursor {
        at: T0 - 1,
        id: "before".into(),
    });
    files.failing.push("f-2".into());
    let err = run(&records, previous.clone(), &files).unwrap_err();
    assert!(matches!(err, ComplianceError::Io(_)), "{err}");
    // The caller still holds `previous`; the store recovers; rerun.
    files.failing.clear();
    let out = run(&records, previous, &files).unwrap();
    let ids = exported_ids(out.writer.get_ref());
    assert_eq!(
        ids,
        records.iter().map(|r| r.id.clone()).collect::<Vec<_>>()
    );
    assert_eq!(out.cursor, records.last().map(Cursor::of));
    verify_archive(IoCursor::new(out.writer.get_ref())).unwrap();
    // Reruns are byte-for-byte reproducible.
    let again = run(
        &records,
        Some(Cursor {
            at: T0 - 1,
            id: "before".into(),
        }),
        &files,
    )
    .unwrap();
    assert_eq!(again.writer.get_ref(), out.writer.get_ref());
    assert_eq!(again.manifest_sha256, out.manifest_sha256);
}

/// Output that fails after a number of bytes, like a full disk or a killed job.
struct Breaking {
    inner: IoCursor<Vec<u8>>,
    budget: usize,
}

impl Write for Breaking {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.budget < buf.len() {
            return Err(io::Error::other("disk full"));
        }
        self.budget -= buf.len();
        self.inner.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Seek for Breaking {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.inner.seek(pos)
    }
}

#[test]
fn broken_output_or_cancellation_never_advances_the_cursor() {
    let (records, files) = scenario();
    let opts = ExportOptions::new(Format::Actiance, T0, "job");
    let out = Breaking {
        inner: IoCursor::new(Vec::new()),
        budget: 600,
    };
    let r = export(
        &opts,
        &directory(),
        &files,
        ok_stream(records.clone()),
        out,
        &mut no_progress(),
    );
    assert!(r.is_err());

    // A job stopped half way by its controller.
    let mut seen = 0;
    let mut stop = |p: Progress| {
        seen = p.records_done;
        if p.records_done == 5 {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    };
    let r = export(
        &opts,
        &directory(),
        &files,
        ok_stream(records.clone()),
        IoCursor::new(Vec::new()),
        &mut stop,
    );
    assert!(matches!(r, Err(ComplianceError::Cancelled)));
    assert_eq!(seen, 5);

    // A database error mid-stream.
    let failing = records.clone().into_iter().enumerate().map(|(i, r)| {
        if i == 6 {
            Err("connection reset")
        } else {
            Ok(r)
        }
    });
    let r = export(
        &opts,
        &directory(),
        &files,
        failing,
        IoCursor::new(Vec::new()),
        &mut no_progress(),
    );
    assert!(matches!(r, Err(ComplianceError::Source(_))));

    // The rerun from the unchanged (absent) cursor is complete and verifies.
    let ok = export(
        &opts,
        &directory(),
        &files,
        ok_stream(records.clone()),
        IoCursor::new(Vec::new()),
        &mut no_progress(),
    )
    .unwrap();
    assert_eq!(ok.counts.records_exported as usize, records.len());
    verify_archive(IoCursor::new(ok.writer.get_ref())).unwrap();
}

#[test]
fn out_of_order_streams_are_refused() {
    let (mut records, files) = scenario();
    records.swap(2, 3);
    let r = run(&records, None, &files);
    assert!(matches!(r, Err(ComplianceError::Unordered { .. })));
}

#[test]
fn progress_reports_totals() {
    let (records, files) = scenario();
    let mut opts = ExportOptions::new(Format::Csv, T0, "job");
    opts.total_hint = Some(records.len() as u64);
    let mut last = None;
    let mut cb = |p: Progress| {
        last = Some(p);
        ControlFlow::Continue(())
    };
    export(
        &opts,
        &directory(),
        &files,
        ok_stream(records.clone()),
        IoCursor::new(Vec::new()),
        &mut cb,
    )
    .unwrap();
    let p = last.unwrap();
    assert_eq!(p.records_done, records.len() as u64);
    assert_eq!(p.records_total, Some(records.len() as u64));
}

#[test]
fn scope_filters_by_range_channel_user_and_hold() {
    let (records, files) = scenario();
    let ids = |scope: Scope| {
        let mut opts = ExportOptions::new(Format::Csv, T0, "job");
        opts.scope = scope;
        let out = export(
            &opts,
            &directory(),
            &files,
            ok_stream(records.clone()),
            IoCursor::new(Vec::new()),
            &mut no_progress(),
        )
        .unwrap();
        exported_ids(out.writer.get_ref())
    };
    assert_eq!(
        ids(Scope {
            from: Some(T0 + 5000),
            until: Some(T0 + 7000),
            ..Scope::default()
        }),
        ["p-4:c", "p-4:e1"]
    );
    assert_eq!(
        ids(Scope {
            channels: Some(vec!["c-dev".into()]),
            ..Scope::default()
        }),
        ["p-3:c"]
    );
    assert_eq!(
        ids(Scope {
            users: Some(vec!["u-bob".into()]),
            ..Scope::default()
        }),
        ["m-2", "p-2:c", "p-4:c", "p-4:e1", "m-3"]
    );
    let hold = hearth_compliance::holds::LegalHold {
        id: "h".into(),
        name: "Matter 7".into(),
        description: String::new(),
        custodians: vec!["u-bob".into()],
        channels: vec!["c-town".into()],
        include_channel_context: false,
        start: None,
        end: None,
        status: hearth_compliance::holds::HoldStatus::Released,
    };
    assert_eq!(
        ids(Scope {
            hold: Some(hold),
            ..Scope::default()
        }),
        ["m-2", "p-2:c", "m-3"]
    );
}

/// Attachment store producing large files without holding them.
struct Generated;

struct Pattern {
    left: u64,
}

impl io::Read for Pattern {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = (buf.len() as u64).min(self.left) as usize;
        for (i, b) in buf[..n].iter_mut().enumerate() {
            *b = (i % 251) as u8;
        }
        self.left -= n as u64;
        Ok(n)
    }
}

impl AttachmentSource for Generated {
    fn open(&self, _post_id: &str, a: &Attachment) -> io::Result<Box<dyn io::Read + '_>> {
        Ok(Box::new(Pattern { left: a.size }))
    }
}

fn big_stream(n: usize) -> impl Iterator<Item = Result<Record, std::convert::Infallible>> {
    let channels = ["c-town", "c-dev", "c-dm"];
    let users = ["u-alice", "u-bob", "u-carol", "u-bot"];
    (0..n).map(move |i| {
        let mut p = post(
            &format!("p{i:08}"),
            channels[i % 3],
            users[i % 4],
            T0 + i as i64 * 10,
            "lorem ipsum dolor sit amet, consectetur adipiscing elit",
        );
        if i % 1000 == 0 {
            p.attachments = vec![Attachment {
                file_id: format!("f{i}"),
                name: "big.bin".into(),
                mime: "application/octet-stream".into(),
                size: 256 * 1024,
                sha256: String::new(),
            }];
        }
        Ok(Record {
            at: p.created_at,
            id: format!("{}:c", p.id),
            event: Event::PostCreated { post: p },
        })
    })
}

#[test]
fn memory_stays_flat_as_the_stream_grows() {
    let mut peaks: HashMap<usize, (usize, usize)> = HashMap::new();
    for n in [1_000usize, 10_000] {
        for format in [Format::Actiance, Format::GlobalRelay, Format::Csv] {
            let file = tempfile::tempfile().unwrap();
            let mut opts = ExportOptions::new(format, T0, "big");
            opts.batch_size = 500;
            let out = export(
                &opts,
                &directory(),
                &Generated,
                big_stream(n),
                file,
                &mut no_progress(),
            )
            .unwrap();
            assert_eq!(out.counts.records_exported as usize, n);
            assert!(out.peak_buffered_records <= 500);
            let e = peaks.entry(n).or_default();
            e.0 = e.0.max(out.peak_buffered_records);
            e.1 = e.1.max(out.peak_buffered_bytes);
            if n == 10_000 && format == Format::Csv {
                let manifest = verify_archive(out.writer).unwrap();
                assert!(
                    manifest
                        .files
                        .iter()
                        .any(|f| f.path == "files/p00009000/big.bin" && f.size == 256 * 1024)
                );
            }
        }
    }
    // Ten times the records, same buffer high-water mark.
    assert_eq!(peaks[&1_000], peaks[&10_000]);
}
