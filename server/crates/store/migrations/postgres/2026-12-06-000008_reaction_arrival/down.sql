DROP INDEX reactions_inserted_at;
ALTER TABLE reactions DROP COLUMN inserted_at;
