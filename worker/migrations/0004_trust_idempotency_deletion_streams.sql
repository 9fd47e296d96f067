-- Issue 8 (Trust), defects 2, 3 and 8.

-- 2. The idempotency cache keeps no answers any more: only the status and which resource the request created or
--    changed (worker/lib/middleware.ts re-reads it on a replay). Stored answers held invitation codes and note text,
--    so every existing row goes (they would expire within 24 h anyway; a client retrying a request made before this
--    migration runs it once more, and every create route is idempotent by its client id).
DELETE FROM idempotency_keys;
-- DROP COLUMN (SQLite 3.35+) rewrites the whole table to purge the column's data (https://sqlite.org/lang_altertable.html).
ALTER TABLE idempotency_keys DROP COLUMN response_body;
ALTER TABLE idempotency_keys ADD COLUMN resource_type TEXT NOT NULL DEFAULT '';
ALTER TABLE idempotency_keys ADD COLUMN resource_id TEXT NOT NULL DEFAULT '';
-- the cron purge of keys older than 24 h (worker/scheduled.ts)
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

-- 3. Deleting erases the text at once; the row stays as a tombstone for sync. Text kept by earlier deletions goes now.
UPDATE entries SET body = '' WHERE deleted_at IS NOT NULL AND body <> '';
UPDATE agenda_items SET body = '' WHERE deleted_at IS NOT NULL AND body <> '';

-- 8. Change streams that reveal no private activity. `change_seq` counted every change of a pair, private ones
--    included, so the partner's cursor moved (and showed gaps) when the other member wrote a private note. Now:
--    - shared_seq: the pair's shared stream; set on every change of a shared entry (NULL while private).
--    - private_seq: the author's own private stream; set on every change of their private entry, and kept when the
--      entry is shared later, so the stream's highest number never goes down.
--    A reader follows two streams (shared, and their own private one) with the cursor "<shared>:<private>".
--    change_seq stays as an internal counter and is never sent to clients.
ALTER TABLE entries ADD COLUMN shared_seq INTEGER;
ALTER TABLE entries ADD COLUMN private_seq INTEGER;
-- Existing numbers keep their order within each stream; cursors of old clients (plain numbers) restart at 0:0.
UPDATE entries SET shared_seq = CASE WHEN visibility = 'shared' THEN change_seq END,
                   private_seq = CASE WHEN visibility = 'private' THEN change_seq END;
-- shared stream of a pair since a cursor (GET /entries)
CREATE UNIQUE INDEX entries_shared_seq ON entries (pair_id, shared_seq);
-- a member's private stream since a cursor (GET /entries)
CREATE UNIQUE INDEX entries_private_seq ON entries (pair_id, author_id, private_seq);
