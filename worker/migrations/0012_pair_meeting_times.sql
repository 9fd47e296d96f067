-- The start of every meeting of a pair, oldest first, in one row per pair (issue 11, item 2): comma-separated instants
-- as stored (toISOString's one form, so they sort and compare as strings). The dashboard's cadence adherence, most
-- consistent mentors and median days between check-ins are worked out from these rows (worker/db/dashboard-pairs.ts)
-- instead of reading every pair's meetings on each load. About 25 bytes a meeting.
--
-- A table of its own rather than a column of pair_rollups: a WITHOUT ROWID table should keep rows small (a row larger
-- than about a twentieth of a page is better in a rowid table: https://www.sqlite.org/withoutrowid.html, section 4),
-- and these rows grow with every meeting. Read by organisation (the dashboard) through pair_meeting_times_org. Measured
-- on the scale programme (10,000 pairs, a year of meetings; node:sqlite on the seeded file): as a pair_rollups column,
-- the dashboard's pairs statement took 122 ms; apart, 50 ms for it and 20 ms for this table, for 10,000 more rows read.
--
-- Kept like the other rollups by triggers (0011_rollups.sql says why), and re-read from the pair's own meetings
-- (meetings_pair) rather than appended, so the order holds whatever order meetings arrive in. A pair holds a few
-- hundred meetings at most, and a meeting is written once per call. group_concat(… ORDER BY …) needs SQLite 3.44
-- (https://www.sqlite.org/lang_aggfunc.html#group_concat, "ORDER BY" on aggregate functions).

CREATE TABLE pair_meeting_times (
  pair_id TEXT PRIMARY KEY,
  org_id  TEXT NOT NULL,
  times   TEXT
);
CREATE INDEX pair_meeting_times_org ON pair_meeting_times (org_id);

-- backfill:begin
DELETE FROM pair_meeting_times;
INSERT INTO pair_meeting_times (pair_id, org_id, times)
SELECT m.pair_id, m.org_id, group_concat(m.started_at, ',' ORDER BY m.started_at) FROM meetings m GROUP BY m.pair_id, m.org_id;
-- backfill:end

CREATE TRIGGER rollup_meeting_times_insert AFTER INSERT ON meetings
BEGIN
  INSERT INTO pair_meeting_times (pair_id, org_id, times) VALUES (NEW.pair_id, NEW.org_id, NEW.started_at)
    ON CONFLICT (pair_id) DO UPDATE SET times =
      (SELECT group_concat(m.started_at, ',' ORDER BY m.started_at) FROM meetings m WHERE m.pair_id = NEW.pair_id);
END;

CREATE TRIGGER rollup_meeting_times_delete AFTER DELETE ON meetings
BEGIN
  UPDATE pair_meeting_times SET times =
      (SELECT group_concat(m.started_at, ',' ORDER BY m.started_at) FROM meetings m WHERE m.pair_id = OLD.pair_id)
   WHERE pair_id = OLD.pair_id;
END;
