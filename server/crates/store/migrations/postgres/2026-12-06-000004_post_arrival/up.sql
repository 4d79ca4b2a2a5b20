-- When each post entered Hearth (server clock, milliseconds), set on every
-- insert, imports included. Incremental compliance exports page posts by
-- this rather than by their claimed creation time, so imported history
-- older than an export cursor is still exported. Existing rows entered no
-- later than their creation as far as anyone can tell.
ALTER TABLE posts ADD COLUMN inserted_at BIGINT NOT NULL DEFAULT 0;
UPDATE posts SET inserted_at = created_at;
CREATE INDEX posts_inserted_at ON posts(inserted_at, id);
