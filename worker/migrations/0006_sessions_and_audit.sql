-- Issue 8, defect 1 (an admin could sign in as a member through a re-issued invitation, silently) and the audit log.

-- ---- sessions: every token says how it was created ------------------------------------------------------------
-- `id` is the session's public id (GET/DELETE /me/sessions/:id): never the token or its hash. `invitation_id` is
-- the invitation that was redeemed; who issued it is that invitation's `created_by` (kept in one place, so erasing
-- an admin has one column to clear). `device_label` is a short label derived from the User-Agent at sign-in.
ALTER TABLE tokens ADD COLUMN id TEXT;
ALTER TABLE tokens ADD COLUMN invitation_id TEXT REFERENCES invitations(id);
ALTER TABLE tokens ADD COLUMN device_label TEXT;

-- A random UUID (v4 layout) for rows inserted without an id: tokens from before this migration and tokens written
-- by scripts and tests. The worker itself always sets one.
UPDATE tokens SET id = lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-8'
  || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))
 WHERE id IS NULL;
CREATE TRIGGER tokens_default_id AFTER INSERT ON tokens WHEN NEW.id IS NULL
BEGIN
  UPDATE tokens SET id = lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-8'
    || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))
   WHERE token_hash = NEW.token_hash;
END;
CREATE UNIQUE INDEX tokens_id ON tokens (id);
-- GET /me/sessions: a person's sessions, newest first
CREATE INDEX tokens_user_created ON tokens (user_id, created_at);
-- "has an active session" when an admin invites someone again
CREATE INDEX tokens_user_active ON tokens (user_id, revoked_at, expires_at);

-- The newest sign-in the person has seen and acknowledged; later ones are shown as new on every device.
ALTER TABLE users ADD COLUMN sign_ins_seen_at TEXT;

-- ---- audit log: append-only, and outlives the people it names --------------------------------------------------
-- Rebuilt without the foreign key on actor_id: an erased person's rows are anonymised, not deleted, so the actor
-- may no longer exist. (audit_log is referenced by no other table, so dropping it is safe under D1's enforced
-- foreign keys: https://developers.cloudflare.com/d1/sql-api/foreign-keys/)
CREATE TABLE audit_log_new (
  id           TEXT PRIMARY KEY,
  org_id       TEXT NOT NULL REFERENCES organisations(id),
  actor_id     TEXT NOT NULL,
  action       TEXT NOT NULL,
  target_type  TEXT NOT NULL,
  target_id    TEXT NOT NULL,
  detail       TEXT NOT NULL DEFAULT '{}',
  created_at   TEXT NOT NULL
);
INSERT INTO audit_log_new (id, org_id, actor_id, action, target_type, target_id, detail, created_at)
  SELECT id, org_id, actor_id, action, target_type, target_id, detail, created_at FROM audit_log;
DROP TABLE audit_log;
ALTER TABLE audit_log_new RENAME TO audit_log;
-- GET /admin/audit: newest first, optionally by action, actor or subject
CREATE INDEX audit_org_created ON audit_log (org_id, created_at, id);
CREATE INDEX audit_org_action ON audit_log (org_id, action, created_at);
CREATE INDEX audit_org_actor ON audit_log (org_id, actor_id, created_at);
CREATE INDEX audit_org_target ON audit_log (org_id, target_id, created_at);

-- No route changes or deletes audit rows; these triggers make the database refuse it too.
-- The one permitted change is erasure's anonymisation (issue 8, "Erasure"): with id, org_id, action, target_type
-- and created_at unchanged, actor_id and target_id may be set to the placeholder 'erased' and detail to
-- '{"erased":true}'. Example:
--   UPDATE audit_log SET actor_id = 'erased' WHERE actor_id = ?;
--   UPDATE audit_log SET target_id = 'erased', detail = '{"erased":true}' WHERE target_id = ?;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
WHEN NOT (
  NEW.id IS OLD.id AND NEW.org_id IS OLD.org_id AND NEW.action IS OLD.action AND NEW.target_type IS OLD.target_type
  AND NEW.created_at IS OLD.created_at
  AND (NEW.actor_id IS OLD.actor_id OR NEW.actor_id = 'erased')
  AND (NEW.target_id IS OLD.target_id OR NEW.target_id = 'erased')
  AND (NEW.detail IS OLD.detail OR NEW.detail = '{"erased":true}')
)
BEGIN
  SELECT RAISE(ABORT, 'audit_log rows cannot be changed, only anonymised on erasure');
END;
