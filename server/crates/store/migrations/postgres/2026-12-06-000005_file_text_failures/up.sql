-- Attachments whose text extraction failed or crossed a bound (postgres). Keep in
-- step with ../sqlite.
-- The search indexer indexes such a file by name only and never extracts it
-- again, across restarts and rebuilds.
CREATE TABLE file_text_failures (
    file_id TEXT PRIMARY KEY NOT NULL,
    reason TEXT NOT NULL,
    failed_at BIGINT NOT NULL
);
