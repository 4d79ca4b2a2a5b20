//! The ordered record stream exports read: post creations, edits, deletions
//! and channel joins/leaves, merged by `(time, record id)` from four keyset-
//! paged queries, so memory stays at four pages whatever the database size.
//!
//! Record ids: `<post id>:c` (created), `<version id>:e` (edited),
//! `<post id>:d` (deleted), `<membership row id>:m`,
//! `<post id>:<user id>:r:<emoji>` (reaction added). They never change, which
//! is what lets an export cursor resume exactly.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::time::Duration;

use hearth_compliance::model::{Event, MembershipEvent, Post, ReactionEvent, Record};
use hearth_core::Result;
use hearth_store::Store;
use hearth_store::compliance::{self as cstore, Key};
use hearth_store::models::{FileRow, PostHistoryRow, PostRow};

use super::convert;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    Created,
    Edited,
    Deleted,
    Membership,
    Reaction,
}

const SOURCES: [Source; 5] = [
    Source::Created,
    Source::Edited,
    Source::Deleted,
    Source::Membership,
    Source::Reaction,
];

struct Lane {
    source: Source,
    after: Option<Key>,
    buf: VecDeque<Record>,
    done: bool,
}

/// Streams records with `from <= at < until`, in `(at, id)` order.
pub struct RecordStream {
    store: Arc<Store>,
    team_of: HashMap<String, Option<String>>,
    from: i64,
    until: i64,
    page: i64,
    pause: Duration,
    lanes: Vec<Lane>,
    failed: bool,
    by_arrival: bool,
}

impl RecordStream {
    /// `team_of` maps every channel to its team; `pause` is slept after each
    /// page read so a long export leaves the database to chat traffic.
    pub fn new(
        store: Arc<Store>,
        team_of: HashMap<String, Option<String>>,
        from: i64,
        until: i64,
        page: usize,
        pause: Duration,
    ) -> RecordStream {
        RecordStream {
            store,
            team_of,
            from,
            until,
            page: i64::try_from(page.max(1)).unwrap_or(1000),
            pause,
            lanes: SOURCES
                .iter()
                .map(|&source| Lane {
                    source,
                    after: None,
                    buf: VecDeque::new(),
                    done: false,
                })
                .collect(),
            failed: false,
            by_arrival: false,
        }
    }

    /// Orders post creations and reactions by when they entered Hearth
    /// instead of the time they claim, for incremental exports: a post or
    /// reaction imported with an old time then comes after the cursor, not
    /// behind it. The record's time is its arrival; the post or reaction
    /// keeps its claimed time.
    pub fn by_arrival(mut self) -> RecordStream {
        self.by_arrival = true;
        self
    }

    fn fill(&mut self, i: usize) -> Result<()> {
        let (from, until, page) = (self.from, self.until, self.page);
        let lane = &self.lanes[i];
        let after = lane.after.clone();
        let source = lane.source;
        let team_of = &self.team_of;
        let by_arrival = self.by_arrival;
        let (records, next, count) = self.store.read(|c| {
            Ok(match source {
                Source::Created if by_arrival => {
                    let rows = cstore::posts_arrived(c, from, after.as_ref(), until, page)?;
                    let next = rows.last().map(|(p, at)| (*at, p.id.clone()));
                    let n = rows.len();
                    let (posts, arrived): (Vec<PostRow>, Vec<i64>) = rows.into_iter().unzip();
                    let mut recs = created(c, &posts, team_of)?;
                    for (r, at) in recs.iter_mut().zip(arrived) {
                        r.at = at;
                    }
                    (recs, next, n)
                }
                Source::Created => {
                    let rows = cstore::posts_created(c, from, after.as_ref(), until, page)?;
                    let next = rows.last().map(|p| (p.created_at, p.id.clone()));
                    let n = rows.len();
                    (created(c, &rows, team_of)?, next, n)
                }
                Source::Deleted => {
                    let rows = cstore::posts_deleted(c, from, after.as_ref(), until, page)?;
                    let next = rows
                        .last()
                        .map(|p| (p.deleted_at.unwrap_or(p.created_at), p.id.clone()));
                    let n = rows.len();
                    (deleted(c, &rows, team_of)?, next, n)
                }
                Source::Edited => {
                    let rows = cstore::edits(c, from, after.as_ref(), until, page)?;
                    let next = rows.last().map(|h| (h.replaced_at, h.id.clone()));
                    let n = rows.len();
                    (edited(c, &rows, team_of)?, next, n)
                }
                Source::Reaction => {
                    // Incremental runs page reactions by arrival too (see
                    // `by_arrival`); the event keeps its own time.
                    let rows = if by_arrival {
                        cstore::reactions_arrived(c, from, after.as_ref(), until, page)?
                    } else {
                        cstore::reactions_added(c, from, after.as_ref(), until, page)?
                            .into_iter()
                            .map(|r| {
                                let at = r.created_at;
                                (r, at)
                            })
                            .collect()
                    };
                    let n = rows.len();
                    let ids: Vec<String> = rows.iter().map(|(r, _)| r.post_id.clone()).collect();
                    let channel_of: HashMap<String, String> = hearth_store::posts::by_ids(c, &ids)?
                        .into_iter()
                        .map(|p| (p.id, p.channel_id))
                        .collect();
                    let recs: Vec<Record> = rows
                        .into_iter()
                        .map(|(x, key_at)| Record {
                            at: key_at,
                            id: cstore::reaction_record_id(&x.post_id, &x.user_id, &x.emoji_name),
                            event: Event::Reaction(ReactionEvent {
                                channel_id: channel_of.get(&x.post_id).cloned().unwrap_or_default(),
                                post_id: x.post_id,
                                user_id: x.user_id,
                                emoji: x.emoji_name,
                                at: x.created_at,
                            }),
                        })
                        .collect();
                    let next = recs.last().map(|r| (r.at, r.id.clone()));
                    (recs, next, n)
                }
                Source::Membership => {
                    let rows = cstore::memberships(c, from, after.as_ref(), until, page)?;
                    let next = rows.last().map(|m| (m.at, m.id.clone()));
                    let n = rows.len();
                    let recs = rows
                        .into_iter()
                        .map(|m| Record {
                            at: m.at,
                            id: format!("{}:m", m.id),
                            event: Event::Membership(MembershipEvent {
                                channel_id: m.channel_id,
                                user_id: m.user_id,
                                actor_id: m.actor_id,
                                change: convert::membership_change(m.change),
                                at: m.at,
                            }),
                        })
                        .collect();
                    (recs, next, n)
                }
            })
        })?;
        let lane = &mut self.lanes[i];
        lane.buf.extend(records);
        if count < page as usize {
            lane.done = true;
        }
        if next.is_some() {
            lane.after = next;
        }
        if !self.pause.is_zero() {
            std::thread::sleep(self.pause);
        }
        Ok(())
    }

    fn next_record(&mut self) -> Result<Option<Record>> {
        for i in 0..self.lanes.len() {
            while self.lanes[i].buf.is_empty() && !self.lanes[i].done {
                self.fill(i)?;
            }
        }
        let best = self
            .lanes
            .iter()
            .enumerate()
            .filter_map(|(i, l)| l.buf.front().map(|r| (i, r.at, r.id.as_str())))
            .min_by(|a, b| (a.1, a.2).cmp(&(b.1, b.2)))
            .map(|(i, _, _)| i);
        Ok(best.and_then(|i| self.lanes[i].buf.pop_front()))
    }
}

impl Iterator for RecordStream {
    type Item = Result<Record>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        match self.next_record() {
            Ok(r) => r.map(Ok),
            Err(e) => {
                self.failed = true;
                Some(Err(e))
            }
        }
    }
}

type Conn = hearth_store::DbConn;

fn files_by_post(c: &mut Conn, ids: &[String]) -> Result<HashMap<String, Vec<FileRow>>> {
    let mut out: HashMap<String, Vec<FileRow>> = HashMap::new();
    for f in cstore::files_of(c, ids)? {
        if let Some(p) = f.post_id.clone() {
            out.entry(p).or_default().push(f);
        }
    }
    Ok(out)
}

fn history_by_post(c: &mut Conn, ids: &[String]) -> Result<HashMap<String, Vec<PostHistoryRow>>> {
    let mut out: HashMap<String, Vec<PostHistoryRow>> = HashMap::new();
    for h in cstore::history_of(c, ids)? {
        out.entry(h.post_id.clone()).or_default().push(h);
    }
    Ok(out)
}

fn with_files(
    p: &PostRow,
    team_of: &HashMap<String, Option<String>>,
    files: &HashMap<String, Vec<FileRow>>,
) -> Post {
    let fs: Vec<&FileRow> = files
        .get(&p.id)
        .map(|v| v.iter().collect())
        .unwrap_or_default();
    convert::post(p, team_of, &fs)
}

/// Files and stored versions of a page of posts.
type PageContext = (
    HashMap<String, Vec<FileRow>>,
    HashMap<String, Vec<PostHistoryRow>>,
);

fn page_context(c: &mut Conn, ids: &[String]) -> Result<PageContext> {
    Ok((files_by_post(c, ids)?, history_by_post(c, ids)?))
}

fn created(
    c: &mut Conn,
    rows: &[PostRow],
    team_of: &HashMap<String, Option<String>>,
) -> Result<Vec<Record>> {
    let ids: Vec<String> = rows.iter().map(|p| p.id.clone()).collect();
    let (files, hist) = page_context(c, &ids)?;
    Ok(rows
        .iter()
        .map(|p| {
            let mut post = with_files(p, team_of, &files);
            // The text as first written is the oldest stored version, if any.
            if let Some(first) = hist.get(&p.id).and_then(|h| h.first()) {
                post.message = first.message.clone();
            }
            post.edited_at = None;
            post.deleted_at = None;
            Record {
                at: p.created_at,
                id: format!("{}:c", p.id),
                event: Event::PostCreated { post },
            }
        })
        .collect())
}

fn deleted(
    c: &mut Conn,
    rows: &[PostRow],
    team_of: &HashMap<String, Option<String>>,
) -> Result<Vec<Record>> {
    let ids: Vec<String> = rows.iter().map(|p| p.id.clone()).collect();
    let (files, hist) = page_context(c, &ids)?;
    let deleters = cstore::deleters(c, &ids)?;
    Ok(rows
        .iter()
        .map(|p| {
            let mut post = with_files(p, team_of, &files);
            post.history = convert::versions(p, hist.get(&p.id).map_or(&[], Vec::as_slice));
            post.deleted_by = deleters.get(&p.id).cloned();
            Record {
                at: p.deleted_at.unwrap_or(p.created_at),
                id: format!("{}:d", p.id),
                event: Event::PostDeleted { post },
            }
        })
        .collect())
}

fn edited(
    c: &mut Conn,
    rows: &[PostHistoryRow],
    team_of: &HashMap<String, Option<String>>,
) -> Result<Vec<Record>> {
    let mut ids: Vec<String> = rows.iter().map(|h| h.post_id.clone()).collect();
    ids.sort();
    ids.dedup();
    let posts: HashMap<String, PostRow> = hearth_store::posts::by_ids(c, &ids)?
        .into_iter()
        .map(|p| (p.id.clone(), p))
        .collect();
    let (files, hist) = page_context(c, &ids)?;
    let mut out = Vec::with_capacity(rows.len());
    for h in rows {
        let Some(p) = posts.get(&h.post_id) else {
            continue;
        };
        let all = hist.get(&p.id).map_or(&[][..], Vec::as_slice);
        let pos = all.iter().position(|x| x.id == h.id).unwrap_or(0);
        // The text this edit produced is what the next version replaced,
        // or the current text when this was the last change.
        let new_text = all
            .get(pos + 1)
            .map_or_else(|| p.message.clone(), |n| n.message.clone());
        let mut post = with_files(p, team_of, &files);
        post.message = new_text;
        post.edited_at = Some(h.replaced_at);
        post.deleted_at = None;
        post.history = convert::versions(p, &all[..=pos.min(all.len().saturating_sub(1))]);
        out.push(Record {
            at: h.replaced_at,
            id: format!("{}:e", h.id),
            event: Event::PostEdited {
                post,
                previous: h.message.clone(),
            },
        });
    }
    Ok(out)
}
