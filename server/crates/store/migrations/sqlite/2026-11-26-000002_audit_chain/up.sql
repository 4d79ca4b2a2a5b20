-- Hash-chained audit log (SQLite). Keep in step with ../postgres.
--
-- `seq` numbers entries gap-free from 1 in append order; existing entries are
-- numbered here by (created_at, id). `prev_hash` and `hash` are hex SHA-256
-- per hearth-compliance's audit chain; they are empty only for entries written
-- before this migration, which the server chains once at startup (before it
-- serves anything) when no entry has been chained yet.
ALTER TABLE audit_log ADD COLUMN seq BIGINT NOT NULL DEFAULT 0;
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN hash TEXT NOT NULL DEFAULT '';
UPDATE audit_log SET seq = (
    SELECT n FROM (
        SELECT id, ROW_NUMBER() OVER (ORDER BY created_at, id) AS n FROM audit_log
    ) AS numbered WHERE numbered.id = audit_log.id
);
CREATE UNIQUE INDEX audit_log_seq ON audit_log(seq);
