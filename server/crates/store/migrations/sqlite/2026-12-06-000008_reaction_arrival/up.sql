-- When each reaction entered Hearth (server clock, milliseconds), set on
-- every insert, imports included: incremental compliance exports page
-- reactions by it, like posts.inserted_at, so an imported reaction with an
-- old time is still exported. Existing rows: their own time.
ALTER TABLE reactions ADD COLUMN inserted_at BIGINT NOT NULL DEFAULT 0;
UPDATE reactions SET inserted_at = created_at;
CREATE INDEX reactions_inserted_at ON reactions(inserted_at, post_id, user_id, emoji_name);
