-- Each pair's goals summed up in its pair_rollups row (issue 11, item 2), so the dashboard's goal summary for a range
-- that reaches today reads one row per pair, which it reads anyway, instead of every goal of the organisation
-- (23,000 rows on the scale programme; D1 counts each, and the budget is 50,000 a load). A range in the past still
-- counts goals_org_created, because only goals created by its end count (worker/db/dashboard.ts).
--
-- Over the goals that are not dropped: how many, how many completed, how many in each progress bucket
-- (progressBucket in shared/domain/engagement.ts: 0–19 … 80–99, 100), and the due dates of the active ones, sorted and
-- comma-separated, so "overdue on asOf" is counted in the worker for any day.
--
-- pair_goal_summary says how they are computed, once: the backfill and the triggers read it for one pair, through
-- goals_pair. Kept by triggers like the other rollups (0011_rollups.sql says why); a pair has a handful of goals.

ALTER TABLE pair_rollups ADD COLUMN goals_total INTEGER;
ALTER TABLE pair_rollups ADD COLUMN goals_completed INTEGER;
ALTER TABLE pair_rollups ADD COLUMN goal_buckets TEXT;
ALTER TABLE pair_rollups ADD COLUMN active_due_dates TEXT;

CREATE VIEW pair_goal_summary AS
SELECT pair_id,
       COUNT(*) AS goals_total,
       SUM(status = 'completed') AS goals_completed,
       json_array(SUM(bucket = 0), SUM(bucket = 1), SUM(bucket = 2), SUM(bucket = 3), SUM(bucket = 4), SUM(bucket = 5)) AS goal_buckets,
       group_concat(CASE WHEN status = 'active' THEN due_on END, ',' ORDER BY due_on) AS active_due_dates
  FROM (SELECT pair_id, status, due_on, CASE WHEN progress >= 100 THEN 5 ELSE progress / 20 END AS bucket
          FROM goals WHERE status IN ('active', 'completed', 'paused'))
 GROUP BY pair_id;

-- backfill:begin
INSERT INTO pair_rollups (pair_id, org_id) SELECT DISTINCT pair_id, org_id FROM goals WHERE true ON CONFLICT (pair_id) DO NOTHING;
UPDATE pair_rollups SET (goals_total, goals_completed, goal_buckets, active_due_dates) =
  (SELECT goals_total, goals_completed, goal_buckets, active_due_dates FROM pair_goal_summary s WHERE s.pair_id = pair_rollups.pair_id);
-- backfill:end

CREATE TRIGGER rollup_goal_summary_insert AFTER INSERT ON goals
BEGIN
  INSERT INTO pair_rollups (pair_id, org_id) VALUES (NEW.pair_id, NEW.org_id) ON CONFLICT (pair_id) DO NOTHING;
  UPDATE pair_rollups SET (goals_total, goals_completed, goal_buckets, active_due_dates) =
    (SELECT goals_total, goals_completed, goal_buckets, active_due_dates FROM pair_goal_summary s WHERE s.pair_id = NEW.pair_id)
   WHERE pair_id = NEW.pair_id;
END;

CREATE TRIGGER rollup_goal_summary_update AFTER UPDATE OF status, progress, due_on ON goals
BEGIN
  UPDATE pair_rollups SET (goals_total, goals_completed, goal_buckets, active_due_dates) =
    (SELECT goals_total, goals_completed, goal_buckets, active_due_dates FROM pair_goal_summary s WHERE s.pair_id = NEW.pair_id)
   WHERE pair_id = NEW.pair_id;
END;

CREATE TRIGGER rollup_goal_summary_delete AFTER DELETE ON goals
BEGIN
  UPDATE pair_rollups SET (goals_total, goals_completed, goal_buckets, active_due_dates) =
    (SELECT goals_total, goals_completed, goal_buckets, active_due_dates FROM pair_goal_summary s WHERE s.pair_id = OLD.pair_id)
   WHERE pair_id = OLD.pair_id;
END;
