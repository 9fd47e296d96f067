-- The start of every meeting of a pair, oldest first, in its pair_rollups row (issue 11, item 2): comma-separated
-- instants as stored (toISOString's one form, so they sort and compare as strings). The dashboard's cadence adherence,
-- most consistent mentors and median days between check-ins are worked out from this one row per pair
-- (worker/db/dashboard-pairs.ts) instead of reading every pair's meetings on each load. About 25 bytes a meeting.
--
-- A column here rather than a table of its own: the dashboard reads pair_rollups for every pair anyway, and D1 counts
-- each table's row as read (issue 11's budget is 50,000 rows a load). Large rows are not what WITHOUT ROWID tables
-- suit best (https://www.sqlite.org/withoutrowid.html, section 4); measured on the scale programme under wrangler dev,
-- a separate rowid table read by organisation answered no faster and read 10,000 rows more.
--
-- Kept like the other rollups by triggers (0011_rollups.sql says why), and re-read from the pair's own meetings
-- (meetings_pair) rather than appended, so the order holds whatever order meetings arrive in. A pair holds a few
-- hundred meetings at most, and a meeting is written once per call. group_concat(… ORDER BY …) needs SQLite 3.44
-- (https://www.sqlite.org/lang_aggfunc.html#group_concat, "ORDER BY" on aggregate functions).

ALTER TABLE pair_rollups ADD COLUMN meeting_times TEXT;

-- backfill:begin
UPDATE pair_rollups SET meeting_times =
  (SELECT group_concat(m.started_at, ',' ORDER BY m.started_at) FROM meetings m WHERE m.pair_id = pair_rollups.pair_id);
-- backfill:end

-- Either this trigger or 0011's rollup_meeting_insert may run first; each upserts the pair's row.
CREATE TRIGGER rollup_meeting_times_insert AFTER INSERT ON meetings
BEGIN
  INSERT INTO pair_rollups (pair_id, org_id, meeting_times) VALUES (NEW.pair_id, NEW.org_id, NEW.started_at)
    ON CONFLICT (pair_id) DO UPDATE SET meeting_times =
      (SELECT group_concat(m.started_at, ',' ORDER BY m.started_at) FROM meetings m WHERE m.pair_id = NEW.pair_id);
END;

CREATE TRIGGER rollup_meeting_times_delete AFTER DELETE ON meetings
BEGIN
  UPDATE pair_rollups SET meeting_times =
      (SELECT group_concat(m.started_at, ',' ORDER BY m.started_at) FROM meetings m WHERE m.pair_id = OLD.pair_id)
   WHERE pair_id = OLD.pair_id;
END;
