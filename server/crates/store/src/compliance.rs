//! Compliance tables: retention policies, legal holds, jobs, export cursors
//! and membership history, plus the ordered reads exports and purges walk.

use diesel::prelude::*;

use hearth_api::{HoldStatus, JobKind, JobStatus, RetentionScope};

use crate::conn::DbConn;
use crate::error::StoreResult;
use crate::kinds::{MembershipChange, PostChange};
use crate::models::{FileRow, PostHistoryRow, PostRow};
use crate::schema::{
    channel_member_history, compliance_jobs, export_cursors, files, legal_holds, post_history,
    posts, reactions, retention_policies, saved_posts, thread_members,
};

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = retention_policies, treat_none_as_null = true)]
pub struct RetentionRow {
    pub scope_kind: RetentionScope,
    /// `''` for the global default.
    pub scope_id: String,
    /// `None` defers, `0` keeps forever, otherwise milliseconds.
    pub messages_ms: Option<i64>,
    pub files_ms: Option<i64>,
    pub updated_by: Option<String>,
    pub updated_at: i64,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = legal_holds, treat_none_as_null = true)]
pub struct HoldRow {
    pub id: String,
    pub name: String,
    pub description: String,
    /// JSON array of user ids.
    pub custodians: String,
    /// JSON array of channel ids.
    pub channels: String,
    pub include_channel_context: bool,
    pub start_at: Option<i64>,
    pub end_at: Option<i64>,
    pub status: HoldStatus,
    pub created_by: Option<String>,
    pub created_at: i64,
    pub released_by: Option<String>,
    pub released_at: Option<i64>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = compliance_jobs, treat_none_as_null = true)]
pub struct JobRow {
    pub id: String,
    pub kind: JobKind,
    pub status: JobStatus,
    pub params: String,
    pub progress: String,
    pub result: Option<String>,
    pub error: Option<String>,
    pub attempts: i32,
    pub scheduled: bool,
    pub created_by: Option<String>,
    pub created_at: i64,
    pub started_at: Option<i64>,
    pub finished_at: Option<i64>,
    pub file_name: Option<String>,
    pub file_size: Option<i64>,
    pub file_sha256: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = export_cursors)]
pub struct CursorRow {
    pub name: String,
    pub at: i64,
    pub record_id: String,
    pub job_id: String,
    pub updated_at: i64,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = channel_member_history)]
pub struct MembershipRow {
    pub id: String,
    pub channel_id: String,
    pub user_id: String,
    /// A user id, or `system` for the directory sync.
    pub actor_id: String,
    pub change: MembershipChange,
    pub at: i64,
}

/// Every join and leave, oldest first: who was in which channel when.
pub fn membership_history(conn: &mut DbConn) -> StoreResult<Vec<MembershipRow>> {
    Ok(channel_member_history::table
        .order((
            channel_member_history::at.asc(),
            channel_member_history::id.asc(),
        ))
        .select(MembershipRow::as_select())
        .load(conn)?)
}

/// Records a join or leave; `by` is `None` for automatic changes.
pub fn record_membership(
    conn: &mut DbConn,
    channel_id: &str,
    user_id: &str,
    by: Option<uuid::Uuid>,
    joined: bool,
    at: i64,
) -> StoreResult<()> {
    let row = MembershipRow {
        id: uuid::Uuid::now_v7().to_string(),
        channel_id: channel_id.to_string(),
        user_id: user_id.to_string(),
        actor_id: by.map_or_else(|| "system".to_string(), |u| u.to_string()),
        change: if joined {
            MembershipChange::Joined
        } else {
            MembershipChange::Left
        },
        at,
    };
    diesel::insert_into(channel_member_history::table)
        .values(&row)
        .execute(conn)?;
    Ok(())
}

// ---- retention policies ----

pub fn policies(conn: &mut DbConn) -> StoreResult<Vec<RetentionRow>> {
    Ok(retention_policies::table
        .order((retention_policies::scope_kind, retention_policies::scope_id))
        .select(RetentionRow::as_select())
        .load(conn)?)
}

/// Inserts or replaces the policy of one level.
pub fn put_policy(conn: &mut DbConn, row: &RetentionRow) -> StoreResult<()> {
    let n = diesel::update(retention_policies::table.find((&row.scope_kind, &row.scope_id)))
        .set(row)
        .execute(conn)?;
    if n == 0 {
        diesel::insert_into(retention_policies::table)
            .values(row)
            .execute(conn)?;
    }
    Ok(())
}

pub fn delete_policy(conn: &mut DbConn, kind: RetentionScope, id: &str) -> StoreResult<bool> {
    Ok(diesel::delete(retention_policies::table.find((kind, id))).execute(conn)? > 0)
}

// ---- legal holds ----

pub fn insert_hold(conn: &mut DbConn, row: &HoldRow) -> StoreResult<()> {
    diesel::insert_into(legal_holds::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

pub fn save_hold(conn: &mut DbConn, row: &HoldRow) -> StoreResult<()> {
    diesel::update(legal_holds::table.find(&row.id))
        .set(row)
        .execute(conn)?;
    Ok(())
}

pub fn hold(conn: &mut DbConn, id: &str) -> StoreResult<Option<HoldRow>> {
    Ok(legal_holds::table
        .find(id)
        .select(HoldRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn hold_by_name(conn: &mut DbConn, name: &str) -> StoreResult<Option<HoldRow>> {
    Ok(legal_holds::table
        .filter(legal_holds::name.eq(name))
        .select(HoldRow::as_select())
        .first(conn)
        .optional()?)
}

/// All holds, newest first; `active_only` leaves released ones out.
pub fn holds(conn: &mut DbConn, active_only: bool) -> StoreResult<Vec<HoldRow>> {
    let mut q = legal_holds::table
        .order(legal_holds::created_at.desc())
        .select(HoldRow::as_select())
        .into_boxed();
    if active_only {
        q = q.filter(legal_holds::status.eq(HoldStatus::Active));
    }
    Ok(q.load(conn)?)
}

// ---- jobs ----

pub fn insert_job(conn: &mut DbConn, row: &JobRow) -> StoreResult<()> {
    diesel::insert_into(compliance_jobs::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

pub fn save_job(conn: &mut DbConn, row: &JobRow) -> StoreResult<()> {
    diesel::update(compliance_jobs::table.find(&row.id))
        .set(row)
        .execute(conn)?;
    Ok(())
}

pub fn job(conn: &mut DbConn, id: &str) -> StoreResult<Option<JobRow>> {
    Ok(compliance_jobs::table
        .find(id)
        .select(JobRow::as_select())
        .first(conn)
        .optional()?)
}

/// Jobs newest first, optionally of one kind.
pub fn jobs(conn: &mut DbConn, kind: Option<JobKind>, limit: i64) -> StoreResult<Vec<JobRow>> {
    let mut q = compliance_jobs::table
        .order((
            compliance_jobs::created_at.desc(),
            compliance_jobs::id.desc(),
        ))
        .limit(limit)
        .select(JobRow::as_select())
        .into_boxed();
    if let Some(k) = kind {
        q = q.filter(compliance_jobs::kind.eq(k));
    }
    Ok(q.load(conn)?)
}

/// The oldest job in `status`, if any.
pub fn oldest_with_status(conn: &mut DbConn, status: JobStatus) -> StoreResult<Option<JobRow>> {
    Ok(compliance_jobs::table
        .filter(compliance_jobs::status.eq(status))
        .order((compliance_jobs::created_at.asc(), compliance_jobs::id.asc()))
        .select(JobRow::as_select())
        .first(conn)
        .optional()?)
}

/// Moves a job from `from` to `to` only if it is still in `from`: the
/// compare-and-set that keeps two runners from taking the same job.
pub fn transition_job(
    conn: &mut DbConn,
    id: &str,
    from: JobStatus,
    to: JobStatus,
) -> StoreResult<bool> {
    Ok(diesel::update(
        compliance_jobs::table
            .filter(compliance_jobs::id.eq(id))
            .filter(compliance_jobs::status.eq(from)),
    )
    .set(compliance_jobs::status.eq(to))
    .execute(conn)?
        > 0)
}

pub fn set_job_progress(conn: &mut DbConn, id: &str, progress: &str) -> StoreResult<()> {
    diesel::update(compliance_jobs::table.find(id))
        .set(compliance_jobs::progress.eq(progress))
        .execute(conn)?;
    Ok(())
}

/// Whether a job of `kind` is queued or running.
pub fn job_pending(conn: &mut DbConn, kind: JobKind, scheduled: bool) -> StoreResult<bool> {
    let n: i64 = compliance_jobs::table
        .filter(compliance_jobs::kind.eq(kind))
        .filter(compliance_jobs::scheduled.eq(scheduled))
        .filter(compliance_jobs::status.eq_any([JobStatus::Queued, JobStatus::Running]))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

// ---- export cursors ----

pub fn cursor(conn: &mut DbConn, name: &str) -> StoreResult<Option<CursorRow>> {
    Ok(export_cursors::table
        .find(name)
        .select(CursorRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn put_cursor(conn: &mut DbConn, row: &CursorRow) -> StoreResult<()> {
    let n = diesel::update(export_cursors::table.find(&row.name))
        .set(row)
        .execute(conn)?;
    if n == 0 {
        diesel::insert_into(export_cursors::table)
            .values(row)
            .execute(conn)?;
    }
    Ok(())
}

// ---- ordered reads for exports ----

/// A position inside one ordered source: `(time, row id)`.
pub type Key = (i64, String);

/// Posts by creation, from `from` (inclusive) or after `after`, before `until`.
pub fn posts_created(
    conn: &mut DbConn,
    from: i64,
    after: Option<&Key>,
    until: i64,
    limit: i64,
) -> StoreResult<Vec<PostRow>> {
    let mut q = posts::table
        .filter(posts::created_at.ge(from))
        .filter(posts::created_at.lt(until))
        .order((posts::created_at.asc(), posts::id.asc()))
        .limit(limit)
        .select(PostRow::as_select())
        .into_boxed();
    if let Some((at, id)) = after {
        q = q.filter(
            posts::created_at
                .gt(*at)
                .or(posts::created_at.eq(*at).and(posts::id.gt(id.clone()))),
        );
    }
    Ok(q.load(conn)?)
}

/// Posts by when they entered Hearth (`inserted_at`), like
/// [`posts_created`]; each with that time. Incremental exports read these
/// so posts imported with an old creation time are never behind a cursor.
pub fn posts_arrived(
    conn: &mut DbConn,
    from: i64,
    after: Option<&Key>,
    until: i64,
    limit: i64,
) -> StoreResult<Vec<(PostRow, i64)>> {
    let mut q = posts::table
        .filter(posts::inserted_at.ge(from))
        .filter(posts::inserted_at.lt(until))
        .order((posts::inserted_at.asc(), posts::id.asc()))
        .limit(limit)
        .select((PostRow::as_select(), posts::inserted_at))
        .into_boxed();
    if let Some((at, id)) = after {
        q = q.filter(
            posts::inserted_at
                .gt(*at)
                .or(posts::inserted_at.eq(*at).and(posts::id.gt(id.clone()))),
        );
    }
    Ok(q.load(conn)?)
}

/// Who deleted each of `post_ids`: the author of the `delete` version the
/// deletion stored. Posts deleted before they reached Hearth have none.
pub fn deleters(
    conn: &mut DbConn,
    post_ids: &[String],
) -> StoreResult<std::collections::HashMap<String, String>> {
    let rows: Vec<(String, String, i64)> = post_history::table
        .filter(post_history::post_id.eq_any(post_ids))
        .filter(post_history::change.eq(PostChange::Delete))
        .order(post_history::replaced_at.asc())
        .select((
            post_history::post_id,
            post_history::replaced_by,
            post_history::replaced_at,
        ))
        .load(conn)?;
    Ok(rows.into_iter().map(|(p, by, _)| (p, by)).collect())
}

/// The record id of a reaction in exports: `<post>:<user>:r:<emoji>`. Post
/// and user ids have one length, and the emoji comes last, so these ids
/// sort as the `(post, user, emoji)` tuples [`reactions_added`] pages by.
pub fn reaction_record_id(post_id: &str, user_id: &str, emoji: &str) -> String {
    format!("{post_id}:{user_id}:r:{emoji}")
}

/// The `(post, user, emoji)` of a [`reaction_record_id`].
fn reaction_key(id: &str) -> (String, String, String) {
    let mut parts = id.splitn(3, ':');
    let p = parts.next().unwrap_or_default().to_string();
    let u = parts.next().unwrap_or_default().to_string();
    let e = parts
        .next()
        .and_then(|r| r.strip_prefix("r:"))
        .unwrap_or_default()
        .to_string();
    (p, u, e)
}

/// Pages reactions by `$time` (their claimed time or their arrival), then
/// by `(post, user, emoji)`, after the key `$after`.
macro_rules! reactions_by {
    ($conn:expr, $time:expr, $from:expr, $after:expr, $until:expr, $limit:expr) => {{
        let mut q = reactions::table
            .filter($time.ge($from))
            .filter($time.lt($until))
            .order((
                $time.asc(),
                reactions::post_id.asc(),
                reactions::user_id.asc(),
                reactions::emoji_name.asc(),
            ))
            .limit($limit)
            .select((crate::models::ReactionRow::as_select(), $time))
            .into_boxed();
        if let Some((at, id)) = $after {
            let (p, u, e) = reaction_key(id);
            q = q.filter(
                $time.gt(*at).or($time.eq(*at).and(
                    reactions::post_id
                        .gt(p.clone())
                        .or(reactions::post_id.eq(p).and(
                            reactions::user_id
                                .gt(u.clone())
                                .or(reactions::user_id.eq(u).and(reactions::emoji_name.gt(e))),
                        )),
                )),
            );
        }
        q.load::<(crate::models::ReactionRow, i64)>($conn)
    }};
}

/// Reactions by the time they were added, like [`posts_created`]; `after`
/// holds a [`reaction_record_id`].
pub fn reactions_added(
    conn: &mut DbConn,
    from: i64,
    after: Option<&Key>,
    until: i64,
    limit: i64,
) -> StoreResult<Vec<crate::models::ReactionRow>> {
    let rows = reactions_by!(conn, reactions::created_at, from, after, until, limit)?;
    Ok(rows.into_iter().map(|(r, _)| r).collect())
}

/// Reactions by when they entered Hearth (`inserted_at`), like
/// [`posts_arrived`]: for incremental exports, so an imported reaction with
/// an old time is not left behind the cursor. Each comes with its arrival.
pub fn reactions_arrived(
    conn: &mut DbConn,
    from: i64,
    after: Option<&Key>,
    until: i64,
    limit: i64,
) -> StoreResult<Vec<(crate::models::ReactionRow, i64)>> {
    Ok(reactions_by!(
        conn,
        reactions::inserted_at,
        from,
        after,
        until,
        limit
    )?)
}

/// Deleted posts by deletion time, like [`posts_created`].
pub fn posts_deleted(
    conn: &mut DbConn,
    from: i64,
    after: Option<&Key>,
    until: i64,
    limit: i64,
) -> StoreResult<Vec<PostRow>> {
    let mut q = posts::table
        .filter(posts::deleted_at.ge(from))
        .filter(posts::deleted_at.lt(until))
        .order((posts::deleted_at.asc(), posts::id.asc()))
        .limit(limit)
        .select(PostRow::as_select())
        .into_boxed();
    if let Some((at, id)) = after {
        q = q.filter(
            posts::deleted_at
                .gt(*at)
                .or(posts::deleted_at.eq(*at).and(posts::id.gt(id.clone()))),
        );
    }
    Ok(q.load(conn)?)
}

/// Edit versions by the time they were replaced, like [`posts_created`].
pub fn edits(
    conn: &mut DbConn,
    from: i64,
    after: Option<&Key>,
    until: i64,
    limit: i64,
) -> StoreResult<Vec<PostHistoryRow>> {
    let mut q = post_history::table
        .filter(post_history::change.eq(PostChange::Edit))
        .filter(post_history::replaced_at.ge(from))
        .filter(post_history::replaced_at.lt(until))
        .order((post_history::replaced_at.asc(), post_history::id.asc()))
        .limit(limit)
        .select(PostHistoryRow::as_select())
        .into_boxed();
    if let Some((at, id)) = after {
        q = q.filter(
            post_history::replaced_at
                .gt(*at)
                .or(post_history::replaced_at
                    .eq(*at)
                    .and(post_history::id.gt(id.clone()))),
        );
    }
    Ok(q.load(conn)?)
}

/// Joins and leaves by time, like [`posts_created`].
pub fn memberships(
    conn: &mut DbConn,
    from: i64,
    after: Option<&Key>,
    until: i64,
    limit: i64,
) -> StoreResult<Vec<MembershipRow>> {
    let mut q = channel_member_history::table
        .filter(channel_member_history::at.ge(from))
        .filter(channel_member_history::at.lt(until))
        .order((
            channel_member_history::at.asc(),
            channel_member_history::id.asc(),
        ))
        .limit(limit)
        .select(MembershipRow::as_select())
        .into_boxed();
    if let Some((at, id)) = after {
        q = q.filter(
            channel_member_history::at
                .gt(*at)
                .or(channel_member_history::at
                    .eq(*at)
                    .and(channel_member_history::id.gt(id.clone()))),
        );
    }
    Ok(q.load(conn)?)
}

/// Every stored version of these posts, oldest first per post.
pub fn history_of(conn: &mut DbConn, post_ids: &[String]) -> StoreResult<Vec<PostHistoryRow>> {
    if post_ids.is_empty() {
        return Ok(vec![]);
    }
    Ok(post_history::table
        .filter(post_history::post_id.eq_any(post_ids))
        .order((
            post_history::post_id,
            post_history::replaced_at.asc(),
            post_history::id.asc(),
        ))
        .select(PostHistoryRow::as_select())
        .load(conn)?)
}

/// Files attached to these posts, deleted or not.
pub fn files_of(conn: &mut DbConn, post_ids: &[String]) -> StoreResult<Vec<FileRow>> {
    if post_ids.is_empty() {
        return Ok(vec![]);
    }
    Ok(files::table
        .filter(files::post_id.eq_any(post_ids))
        .order(files::id.asc())
        .select(FileRow::as_select())
        .load(conn)?)
}

// ---- purge ----

/// Posts created before `before`, in `(created_at, id)` order after `after`.
pub fn purge_candidates(
    conn: &mut DbConn,
    before: i64,
    after: Option<&Key>,
    limit: i64,
) -> StoreResult<Vec<PostRow>> {
    posts_created(conn, i64::MIN, after, before, limit)
}

/// Deletes posts for good with everything hanging off them, and the files
/// listed as `(post id, file id)`; surviving posts stop listing purged files.
/// Returns the thread roots whose reply counts were recomputed.
pub fn purge(
    conn: &mut DbConn,
    post_ids: &[String],
    files_of_posts: &[(String, String)],
) -> StoreResult<Vec<String>> {
    let mut roots: Vec<String> = Vec::new();
    if !post_ids.is_empty() {
        roots = posts::table
            .filter(posts::id.eq_any(post_ids))
            .filter(posts::root_id.is_not_null())
            .select(posts::root_id.assume_not_null())
            .distinct()
            .load(conn)?;
        roots.retain(|r| !post_ids.contains(r));
        diesel::delete(post_history::table.filter(post_history::post_id.eq_any(post_ids)))
            .execute(conn)?;
        diesel::delete(reactions::table.filter(reactions::post_id.eq_any(post_ids)))
            .execute(conn)?;
        diesel::delete(saved_posts::table.filter(saved_posts::post_id.eq_any(post_ids)))
            .execute(conn)?;
        diesel::delete(thread_members::table.filter(thread_members::root_id.eq_any(post_ids)))
            .execute(conn)?;
        diesel::delete(posts::table.filter(posts::id.eq_any(post_ids))).execute(conn)?;
    }
    if !files_of_posts.is_empty() {
        let file_ids: Vec<&String> = files_of_posts.iter().map(|(_, f)| f).collect();
        diesel::delete(files::table.filter(files::id.eq_any(&file_ids))).execute(conn)?;
        let mut kept: Vec<&String> = files_of_posts
            .iter()
            .map(|(p, _)| p)
            .filter(|p| !post_ids.contains(p))
            .collect();
        kept.sort();
        kept.dedup();
        for post_id in kept {
            let listed: Option<String> = posts::table
                .find(post_id)
                .select(posts::file_ids)
                .first(conn)
                .optional()?;
            if let Some(listed) = listed {
                let left: Vec<String> = serde_json::from_str::<Vec<String>>(&listed)
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|f| !file_ids.contains(&f))
                    .collect();
                let json = serde_json::to_string(&left).unwrap_or_else(|_| "[]".into());
                diesel::update(posts::table.find(post_id))
                    .set(posts::file_ids.eq(json))
                    .execute(conn)?;
            }
        }
    }
    for root in &roots {
        let n: i64 = posts::table
            .filter(posts::root_id.eq(root))
            .filter(posts::deleted_at.is_null())
            .count()
            .get_result(conn)?;
        diesel::update(posts::table.find(root))
            .set(posts::reply_count.eq(n))
            .execute(conn)?;
    }
    Ok(roots)
}

// ---- directory ----

/// Every account, for resolving names in exports (small next to posts).
pub fn all_users(conn: &mut DbConn) -> StoreResult<Vec<crate::models::UserRow>> {
    use crate::schema::users;
    Ok(users::table
        .order(users::id.asc())
        .select(crate::models::UserRow::as_select())
        .load(conn)?)
}

/// Every channel, archived ones included.
pub fn all_channels(conn: &mut DbConn) -> StoreResult<Vec<crate::models::ChannelRow>> {
    use crate::schema::channels;
    Ok(channels::table
        .order(channels::id.asc())
        .select(crate::models::ChannelRow::as_select())
        .load(conn)?)
}

/// How many file rows still point at stored bytes, so shared bytes survive.
pub fn files_with_sha(conn: &mut DbConn, sha256: &str) -> StoreResult<i64> {
    Ok(files::table
        .filter(files::sha256.eq(sha256))
        .count()
        .get_result(conn)?)
}

/// Posts a hold with these rules covers (see `hearth_compliance::holds`).
pub fn count_covered(
    conn: &mut DbConn,
    custodians: &[String],
    channels: &[String],
    include_channel_context: bool,
    start: Option<i64>,
    end: Option<i64>,
) -> StoreResult<i64> {
    let mut q = posts::table.select(diesel::dsl::count_star()).into_boxed();
    if include_channel_context && !channels.is_empty() {
        q = q.filter(posts::channel_id.eq_any(channels));
    } else {
        q = q.filter(posts::user_id.eq_any(custodians));
        if !channels.is_empty() {
            q = q.filter(posts::channel_id.eq_any(channels));
        }
    }
    if let Some(s) = start {
        q = q.filter(posts::created_at.ge(s));
    }
    if let Some(e) = end {
        q = q.filter(posts::created_at.le(e));
    }
    Ok(q.first(conn)?)
}

/// A user's posts in id order after `after`, for their data export.
pub fn posts_by_author(
    conn: &mut DbConn,
    user_id: &str,
    after: Option<&str>,
    limit: i64,
) -> StoreResult<Vec<PostRow>> {
    let mut q = posts::table
        .filter(posts::user_id.eq(user_id))
        .order(posts::id.asc())
        .limit(limit)
        .select(PostRow::as_select())
        .into_boxed();
    if let Some(a) = after {
        q = q.filter(posts::id.gt(a.to_string()));
    }
    Ok(q.load(conn)?)
}
