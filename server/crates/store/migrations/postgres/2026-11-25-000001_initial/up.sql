-- Hearth initial schema (PostgreSQL). Keep in step with ../sqlite: same tables, columns and indexes.
CREATE TABLE users (
    id TEXT PRIMARY KEY NOT NULL,
    username TEXT NOT NULL UNIQUE,
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT,
    role TEXT NOT NULL,
    timezone TEXT NOT NULL,
    status_text TEXT NOT NULL,
    avatar_sha256 TEXT,
    is_active BOOLEAN NOT NULL,
    is_bot BOOLEAN NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE sessions (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id),
    token_hash TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_active_at BIGINT NOT NULL,
    expires_at BIGINT,
    revoked_at BIGINT
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE system_settings (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);

CREATE TABLE teams (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    description TEXT NOT NULL,
    open BOOLEAN NOT NULL,
    invite_id TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE team_members (
    team_id TEXT NOT NULL REFERENCES teams(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    role TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (team_id, user_id)
);
CREATE INDEX team_members_user ON team_members(user_id);

CREATE TABLE channels (
    id TEXT PRIMARY KEY NOT NULL,
    team_id TEXT REFERENCES teams(id),
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    display_name TEXT NOT NULL,
    purpose TEXT NOT NULL,
    header TEXT NOT NULL,
    creator_id TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    archived_at BIGINT,
    last_post_at BIGINT NOT NULL,
    total_msg_count BIGINT NOT NULL
);
-- Direct and group channels have no team; their name is the sorted member ids.
CREATE UNIQUE INDEX channels_team_name ON channels(COALESCE(team_id, ''), name);

CREATE TABLE channel_members (
    channel_id TEXT NOT NULL REFERENCES channels(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    role TEXT NOT NULL,
    notify_level TEXT NOT NULL,
    muted BOOLEAN NOT NULL,
    favorite BOOLEAN NOT NULL,
    last_viewed_at BIGINT NOT NULL,
    msg_count BIGINT NOT NULL,
    mention_count BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (channel_id, user_id)
);
CREATE INDEX channel_members_user ON channel_members(user_id);

CREATE TABLE posts (
    id TEXT PRIMARY KEY NOT NULL,
    channel_id TEXT NOT NULL REFERENCES channels(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    root_id TEXT,
    message TEXT NOT NULL,
    file_ids TEXT NOT NULL,
    mentions TEXT NOT NULL,
    mentions_channel BOOLEAN NOT NULL,
    channel_links TEXT NOT NULL,
    is_pinned BOOLEAN NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    edited_at BIGINT,
    deleted_at BIGINT,
    reply_count BIGINT NOT NULL,
    last_reply_at BIGINT,
    idempotency_key TEXT
);
CREATE INDEX posts_channel ON posts(channel_id, id);
CREATE INDEX posts_root ON posts(root_id, id);
CREATE UNIQUE INDEX posts_idempotency ON posts(user_id, idempotency_key);

CREATE TABLE post_history (
    id TEXT PRIMARY KEY NOT NULL,
    post_id TEXT NOT NULL REFERENCES posts(id),
    message TEXT NOT NULL,
    file_ids TEXT NOT NULL,
    replaced_at BIGINT NOT NULL,
    replaced_by TEXT NOT NULL
);
CREATE INDEX post_history_post ON post_history(post_id, id);

CREATE TABLE thread_members (
    root_id TEXT NOT NULL REFERENCES posts(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    following BOOLEAN NOT NULL,
    participated_at BIGINT,
    last_viewed_at BIGINT NOT NULL,
    PRIMARY KEY (root_id, user_id)
);
CREATE INDEX thread_members_user ON thread_members(user_id);

CREATE TABLE reactions (
    post_id TEXT NOT NULL REFERENCES posts(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    emoji_name TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (post_id, user_id, emoji_name)
);

CREATE TABLE saved_posts (
    user_id TEXT NOT NULL REFERENCES users(id),
    post_id TEXT NOT NULL REFERENCES posts(id),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, post_id)
);

CREATE TABLE files (
    id TEXT PRIMARY KEY NOT NULL,
    uploader_id TEXT NOT NULL REFERENCES users(id),
    channel_id TEXT NOT NULL REFERENCES channels(id),
    post_id TEXT,
    name TEXT NOT NULL,
    mime_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    width INT,
    height INT,
    has_preview BOOLEAN NOT NULL,
    created_at BIGINT NOT NULL,
    deleted_at BIGINT
);
CREATE INDEX files_post ON files(post_id);

-- The ordered stream every projection (real-time hub, search, exports) follows.
CREATE TABLE change_log (
    seq BIGSERIAL PRIMARY KEY,
    created_at BIGINT NOT NULL,
    kind TEXT NOT NULL,
    audience TEXT NOT NULL,
    team_id TEXT,
    channel_id TEXT,
    user_id TEXT,
    payload TEXT NOT NULL
);

CREATE TABLE audit_log (
    id TEXT PRIMARY KEY NOT NULL,
    actor_id TEXT,
    action TEXT NOT NULL,
    target_kind TEXT NOT NULL,
    target_id TEXT,
    details TEXT NOT NULL,
    ip TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX audit_log_created ON audit_log(created_at);
