-- Data rights (issue 8): retention of notes after a mentorship ends, and erasure.

-- Days after a pair ended when its notes are purged by the cron (worker/db/retention.ts); NULL = never (the default).
-- Who set it last is kept so the purge, which runs with no signed-in person, can name an actor in the audit log.
ALTER TABLE organisations ADD COLUMN retention_days INTEGER CHECK (retention_days IS NULL OR retention_days BETWEEN 1 AND 3650);
ALTER TABLE organisations ADD COLUMN retention_set_by TEXT REFERENCES users(id);

-- When the retention purge removed this ended pair's notes, so the cron never scans it again.
ALTER TABLE pairs ADD COLUMN notes_purged_at TEXT;

-- The retention sweep: ended pairs whose notes are still there, by end date (reads only those rows).
CREATE INDEX pairs_retention_due ON pairs (ended_on, org_id) WHERE status = 'ended' AND notes_purged_at IS NULL;
