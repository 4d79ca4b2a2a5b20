DROP INDEX posts_inserted_at;
ALTER TABLE posts DROP COLUMN inserted_at;
