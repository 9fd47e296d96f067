-- Lighter hot member requests (issue 11, item 3). D1 counts every row a statement steps through
-- (cloudflare/workerd patches/sqlite/0001-row-counts-plain.patch), triggers included.
--
-- 1. Authentication reads the token alone. It joined the token to its user (2 rows read for 1 returned) to learn the
--    user's organisation and role and that the user still has access. The token now carries them, kept by triggers
--    on both tables, so no insert or update of a user, by the worker or by a script, can leave a token behind:
--    - a new token takes them from its user (every INSERT INTO tokens, the worker's and the dev and test seeds');
--    - a change of a user's organisation, role or status reaches all of the user's tokens.
--    user_active defaults to 0: a token whose user could not be read does not authenticate.
--    Erasure deletes a user's tokens before the user (worker/db/erasure.ts).
--
-- 2. An entry's insert no longer also counts it in pair_rollups: nothing read those per-pair totals, which are the sum of
--    the pair's weeks in pair_week_rollups (still kept in the same statement, test/worker/rollups.test.ts). One
--    upsert fewer on every entry written, edited in kind or deleted: adding an entry writes 10 rows instead of 11
--    (D1's meta.rows_written, measured in workerd; its rows read do not change). The three entry triggers of
--    0011_rollups.sql are made again without it, and the columns dropped (SQLite refuses to drop a column a trigger
--    names, so the triggers go first: https://www.sqlite.org/lang_altertable.html#altertabdropcol). 0011's backfill
--    no longer fills them.

ALTER TABLE tokens ADD COLUMN role TEXT;
ALTER TABLE tokens ADD COLUMN user_active INTEGER NOT NULL DEFAULT 0;
-- Existing tokens take all three from their user, the organisation too: authentication read it from the user, and now
-- reads the token's.
UPDATE tokens SET org_id = COALESCE((SELECT u.org_id FROM users u WHERE u.id = tokens.user_id), org_id),
                  role = (SELECT u.role FROM users u WHERE u.id = tokens.user_id),
                  user_active = COALESCE((SELECT u.status = 'active' FROM users u WHERE u.id = tokens.user_id), 0);

CREATE TRIGGER token_takes_user AFTER INSERT ON tokens
BEGIN
  UPDATE tokens SET org_id = u.org_id, role = u.role, user_active = (u.status = 'active')
    FROM users u WHERE u.id = NEW.user_id AND tokens.token_hash = NEW.token_hash;
END;

CREATE TRIGGER user_reaches_tokens AFTER UPDATE OF org_id, role, status ON users
BEGIN
  UPDATE tokens SET org_id = NEW.org_id, role = NEW.role, user_active = (NEW.status = 'active') WHERE user_id = NEW.id;
END;

DROP TRIGGER rollup_entry_insert;
DROP TRIGGER rollup_entry_delete;
DROP TRIGGER rollup_entry_update;
ALTER TABLE pair_rollups DROP COLUMN entries_note;
ALTER TABLE pair_rollups DROP COLUMN entries_action;
ALTER TABLE pair_rollups DROP COLUMN entries_decision;
ALTER TABLE pair_rollups DROP COLUMN entries_question;

CREATE TRIGGER rollup_entry_insert AFTER INSERT ON entries WHEN NEW.deleted_at IS NULL
BEGIN
  INSERT INTO pair_week_rollups (pair_id, org_id, week_start, entries_note, entries_action, entries_decision, entries_question)
    VALUES (NEW.pair_id, NEW.org_id, date(NEW.created_at, '-' || ((CAST(strftime('%w', NEW.created_at) AS INTEGER) + 6) % 7) || ' days'),
            NEW.kind = 'note', NEW.kind = 'action', NEW.kind = 'decision', NEW.kind = 'question')
    ON CONFLICT (pair_id, week_start) DO UPDATE SET entries_note = entries_note + excluded.entries_note,
       entries_action = entries_action + excluded.entries_action, entries_decision = entries_decision + excluded.entries_decision,
       entries_question = entries_question + excluded.entries_question;
END;

CREATE TRIGGER rollup_entry_delete AFTER DELETE ON entries WHEN OLD.deleted_at IS NULL
BEGIN
  UPDATE pair_week_rollups SET entries_note = entries_note - (OLD.kind = 'note'), entries_action = entries_action - (OLD.kind = 'action'),
         entries_decision = entries_decision - (OLD.kind = 'decision'), entries_question = entries_question - (OLD.kind = 'question')
   WHERE pair_id = OLD.pair_id AND week_start = date(OLD.created_at, '-' || ((CAST(strftime('%w', OLD.created_at) AS INTEGER) + 6) % 7) || ' days');
END;

CREATE TRIGGER rollup_entry_update AFTER UPDATE OF kind, deleted_at, created_at, pair_id, org_id ON entries
  WHEN OLD.kind IS NOT NEW.kind OR (OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL) OR OLD.created_at IS NOT NEW.created_at
    OR OLD.pair_id IS NOT NEW.pair_id OR OLD.org_id IS NOT NEW.org_id
BEGIN
  UPDATE pair_week_rollups SET entries_note = entries_note - (OLD.kind = 'note'), entries_action = entries_action - (OLD.kind = 'action'),
         entries_decision = entries_decision - (OLD.kind = 'decision'), entries_question = entries_question - (OLD.kind = 'question')
   WHERE OLD.deleted_at IS NULL AND pair_id = OLD.pair_id
     AND week_start = date(OLD.created_at, '-' || ((CAST(strftime('%w', OLD.created_at) AS INTEGER) + 6) % 7) || ' days');
  INSERT INTO pair_week_rollups (pair_id, org_id, week_start, entries_note, entries_action, entries_decision, entries_question)
    SELECT NEW.pair_id, NEW.org_id, date(NEW.created_at, '-' || ((CAST(strftime('%w', NEW.created_at) AS INTEGER) + 6) % 7) || ' days'),
           NEW.kind = 'note', NEW.kind = 'action', NEW.kind = 'decision', NEW.kind = 'question'
     WHERE NEW.deleted_at IS NULL
    ON CONFLICT (pair_id, week_start) DO UPDATE SET entries_note = entries_note + excluded.entries_note,
       entries_action = entries_action + excluded.entries_action, entries_decision = entries_decision + excluded.entries_decision,
       entries_question = entries_question + excluded.entries_question;
END;
