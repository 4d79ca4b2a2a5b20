-- Presence a user chose (do not disturb, invisible), kept across restarts (sqlite).
-- Keep in step with ../postgres. Automatic presence (online, away) is
-- derived from connections and activity and is never stored.
CREATE TABLE user_presence (
    user_id TEXT PRIMARY KEY NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    manual TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
