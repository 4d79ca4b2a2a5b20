-- Archived teams (postgres). Keep in step with ../sqlite.
-- NULL while the team is active; archiving also archives the team's channels
-- that were open, with the same time, so a restore reopens exactly those.
ALTER TABLE teams ADD COLUMN archived_at BIGINT;
