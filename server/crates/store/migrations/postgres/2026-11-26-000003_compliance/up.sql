-- Compliance: retention policies, legal holds, jobs, export cursors and the
-- membership history exports report (PostgreSQL). Keep in step with ../sqlite.

-- One row per level that sets a period. `scope_id` is '' for the global
-- default. Periods: NULL defers to the less specific level, 0 keeps forever,
-- a positive value keeps that many milliseconds after creation.
CREATE TABLE retention_policies (
    scope_kind TEXT NOT NULL,
    scope_id TEXT NOT NULL,
    messages_ms BIGINT,
    files_ms BIGINT,
    updated_by TEXT,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (scope_kind, scope_id)
);

-- Custodians and channels are JSON arrays of ids.
CREATE TABLE legal_holds (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    custodians TEXT NOT NULL,
    channels TEXT NOT NULL,
    include_channel_context BOOLEAN NOT NULL,
    start_at BIGINT,
    end_at BIGINT,
    status TEXT NOT NULL,
    created_by TEXT,
    created_at BIGINT NOT NULL,
    released_by TEXT,
    released_at BIGINT
);
CREATE UNIQUE INDEX legal_holds_name ON legal_holds(name);

-- Exports, purges and data-subject exports run as persisted jobs so that a
-- restart resumes them and officers can follow their progress.
CREATE TABLE compliance_jobs (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    params TEXT NOT NULL,
    progress TEXT NOT NULL,
    result TEXT,
    error TEXT,
    attempts INTEGER NOT NULL,
    scheduled BOOLEAN NOT NULL,
    created_by TEXT,
    created_at BIGINT NOT NULL,
    started_at BIGINT,
    finished_at BIGINT,
    file_name TEXT,
    file_size BIGINT,
    file_sha256 TEXT
);
CREATE INDEX compliance_jobs_status ON compliance_jobs(status, created_at);

-- Where each incremental export stopped: the key of the last record it read.
CREATE TABLE export_cursors (
    name TEXT PRIMARY KEY NOT NULL,
    at BIGINT NOT NULL,
    record_id TEXT NOT NULL,
    job_id TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- Joins and leaves, kept for exports after the membership itself is gone.
CREATE TABLE channel_member_history (
    id TEXT PRIMARY KEY NOT NULL,
    channel_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    actor_id TEXT NOT NULL,
    change TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX channel_member_history_at ON channel_member_history(at, id);
CREATE INDEX channel_member_history_user ON channel_member_history(user_id);
INSERT INTO channel_member_history (id, channel_id, user_id, actor_id, change, at)
    SELECT 'm-' || channel_id || '-' || user_id, channel_id, user_id, user_id, 'joined', created_at
    FROM channel_members;

-- Whether a version was replaced by an edit or kept when the post was deleted.
ALTER TABLE post_history ADD COLUMN change TEXT NOT NULL DEFAULT 'edit';
UPDATE post_history SET change = 'delete' WHERE EXISTS (
    SELECT 1 FROM posts WHERE posts.id = post_history.post_id
        AND posts.deleted_at = post_history.replaced_at
);
CREATE INDEX post_history_replaced ON post_history(replaced_at, id);

-- Exports and purges walk posts in creation order; deletions by their time.
CREATE INDEX posts_created ON posts(created_at, id);
CREATE INDEX posts_deleted ON posts(deleted_at, id);
-- Purges remove saved flags by post.
CREATE INDEX saved_posts_post ON saved_posts(post_id);
