-- Data import (PostgreSQL). Keep in step with ../sqlite.

-- What earlier imports created, so a rerun of the same export skips it:
-- one row per imported user, channel, post, file or reaction, keyed by where
-- it came from (slack, mattermost), its kind and its id there.
CREATE TABLE import_map (
    source TEXT NOT NULL,
    kind TEXT NOT NULL,
    external_id TEXT NOT NULL,
    hearth_id TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (source, kind, external_id)
);
