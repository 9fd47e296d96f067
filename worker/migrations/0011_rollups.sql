-- Rollups for the admin dashboard and the CSV exports (issue 11, item 2): counts kept up to date with every write, so
-- a dashboard load reads a few hundred rollup rows instead of hundreds of thousands of meetings and ratings.
--
-- They are kept by triggers rather than by an upsert added to each write's batch: a trigger runs inside the very
-- statement that changes the raw row, so every path that writes meetings, feedback or entries (the routes, the cron
-- timeout close, erasure, the retention purge, and rows that tests and the dev seeds insert directly) keeps them
-- right, and no future write path can forget to. Each trigger is one upsert per rollup table (INSERT … ON CONFLICT
-- DO UPDATE SET x = x + excluded.x). test/worker/rollups.test.ts checks them against the raw rows.
--
-- Weeks are Monday-based (UTC), as in shared/domain/engagement.ts; a day is the first 10 characters of an instant.

-- Per organisation and day: meetings started and ratings given. The dashboard's "meetings held", meetings per week
-- and rating trend sum a range of these (at most 366 rows for a year).
CREATE TABLE org_day_rollups (
  org_id         TEXT NOT NULL,
  day            TEXT NOT NULL,
  meetings       INTEGER NOT NULL DEFAULT 0,
  ratings_count  INTEGER NOT NULL DEFAULT 0,
  ratings_sum    INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (org_id, day)
) WITHOUT ROWID;

-- Per pair and week: meetings started, ratings given and live (not deleted) entries by kind, by the week of the
-- meeting's start, the rating's and the entry's creation.
CREATE TABLE pair_week_rollups (
  pair_id           TEXT NOT NULL,
  org_id            TEXT NOT NULL,
  week_start        TEXT NOT NULL,
  meetings          INTEGER NOT NULL DEFAULT 0,
  ratings_count     INTEGER NOT NULL DEFAULT 0,
  ratings_sum       INTEGER NOT NULL DEFAULT 0,
  entries_note      INTEGER NOT NULL DEFAULT 0,
  entries_action    INTEGER NOT NULL DEFAULT 0,
  entries_decision  INTEGER NOT NULL DEFAULT 0,
  entries_question  INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (pair_id, week_start)
) WITHOUT ROWID;
-- an organisation's weeks in a range
CREATE INDEX pair_week_rollups_org_week ON pair_week_rollups (org_id, week_start, pair_id);

-- Per pair, all time: totals, the latest meeting (pairs.csv, the engagement export) and what the at-risk check
-- reads per active pair, so it needs no lookup of raw rows while the range reaches the present:
--   recent_ratings: the pair's last 8 ratings (2 × RATING_WINDOW, shared/domain/engagement.ts) as digits, oldest
--     first, e.g. '45344'. NULL while latest_rating_at is set means "not known here" (two of the pair's ratings share
--     an instant, so their order is not defined): the dashboard then reads the pair's raw ratings.
--   active_goals and last_goal_change_at: goals with status 'active', and the latest goal creation or revision.
CREATE TABLE pair_rollups (
  pair_id              TEXT PRIMARY KEY,
  org_id               TEXT NOT NULL,
  meetings             INTEGER NOT NULL DEFAULT 0,
  last_meeting_at      TEXT,
  ratings_count        INTEGER NOT NULL DEFAULT 0,
  ratings_sum          INTEGER NOT NULL DEFAULT 0,
  latest_rating_at     TEXT,
  recent_ratings       TEXT,
  active_goals         INTEGER NOT NULL DEFAULT 0,
  last_goal_change_at  TEXT,
  entries_note      INTEGER NOT NULL DEFAULT 0,
  entries_action    INTEGER NOT NULL DEFAULT 0,
  entries_decision  INTEGER NOT NULL DEFAULT 0,
  entries_question  INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX pair_rollups_org ON pair_rollups (org_id);

-- ---- backfill (worker/dev/scale/local-d1.ts runs this section again after writing the scale programme) ----
-- backfill:begin
DELETE FROM org_day_rollups;
DELETE FROM pair_week_rollups;
DELETE FROM pair_rollups;
INSERT INTO org_day_rollups (org_id, day, meetings, ratings_count, ratings_sum)
SELECT org_id, day, SUM(meetings), SUM(ratings_count), SUM(ratings_sum) FROM (
  SELECT org_id, substr(started_at, 1, 10) AS day, 1 AS meetings, 0 AS ratings_count, 0 AS ratings_sum FROM meetings
  UNION ALL
  SELECT org_id, substr(created_at, 1, 10), 0, 1, rating FROM feedback
) GROUP BY org_id, day;
INSERT INTO pair_week_rollups (pair_id, org_id, week_start, meetings, ratings_count, ratings_sum,
                               entries_note, entries_action, entries_decision, entries_question)
SELECT pair_id, org_id, date(day, '-' || ((CAST(strftime('%w', day) AS INTEGER) + 6) % 7) || ' days') AS week_start,
       SUM(meetings), SUM(ratings_count), SUM(ratings_sum), SUM(kind = 'note'), SUM(kind = 'action'), SUM(kind = 'decision'), SUM(kind = 'question')
  FROM (
  SELECT pair_id, org_id, substr(started_at, 1, 10) AS day, 1 AS meetings, 0 AS ratings_count, 0 AS ratings_sum, '' AS kind FROM meetings
  UNION ALL
  SELECT pair_id, org_id, substr(created_at, 1, 10), 0, 1, rating, '' FROM feedback
  UNION ALL
  SELECT pair_id, org_id, substr(created_at, 1, 10), 0, 0, 0, kind FROM entries WHERE deleted_at IS NULL
) GROUP BY pair_id, week_start;
-- (It filled pair_rollups' entry counts too, until 0015_lean_hot_writes.sql dropped them: the backfill runs again on
-- seeded databases, after every migration.)
INSERT INTO pair_rollups (pair_id, org_id, meetings, last_meeting_at, ratings_count, ratings_sum)
SELECT pair_id, org_id, SUM(meetings), MAX(last_at), SUM(ratings_count), SUM(ratings_sum)
  FROM (
  SELECT pair_id, org_id, 1 AS meetings, started_at AS last_at, 0 AS ratings_count, 0 AS ratings_sum FROM meetings
  UNION ALL
  SELECT pair_id, org_id, 0, NULL, 1, rating FROM feedback
) GROUP BY pair_id;
-- pairs with goals but nothing else yet
INSERT INTO pair_rollups (pair_id, org_id) SELECT DISTINCT pair_id, org_id FROM goals WHERE true ON CONFLICT (pair_id) DO NOTHING;
UPDATE pair_rollups SET
  latest_rating_at = (SELECT MAX(f.created_at) FROM feedback f WHERE f.pair_id = pair_rollups.pair_id),
  -- unknown (NULL) for a pair with two ratings at one instant: their order is not defined
  recent_ratings = CASE WHEN (SELECT COUNT(*) - COUNT(DISTINCT f.created_at) FROM feedback f WHERE f.pair_id = pair_rollups.pair_id) = 0 THEN
    (SELECT group_concat(rating, '') FROM (SELECT rating, created_at FROM (
       SELECT f.rating, f.created_at FROM feedback f WHERE f.pair_id = pair_rollups.pair_id ORDER BY f.created_at DESC LIMIT 8) ORDER BY created_at)) END,
  active_goals = (SELECT COUNT(*) FROM goals g WHERE g.pair_id = pair_rollups.pair_id AND g.status = 'active'),
  last_goal_change_at = (SELECT MAX(at) FROM (SELECT MAX(g.created_at) AS at FROM goals g WHERE g.pair_id = pair_rollups.pair_id
                                              UNION ALL SELECT MAX(r.created_at) FROM goal_revisions r WHERE r.pair_id = pair_rollups.pair_id));
-- backfill:end

-- ---- the triggers (names start with rollup_: the scale seed drops and re-creates them around its bulk insert) ----

-- Meetings: a meeting's pair, organisation and start never change once written (worker/db/meetings.ts).
CREATE TRIGGER rollup_meeting_insert AFTER INSERT ON meetings
BEGIN
  INSERT INTO org_day_rollups (org_id, day, meetings) VALUES (NEW.org_id, substr(NEW.started_at, 1, 10), 1)
    ON CONFLICT (org_id, day) DO UPDATE SET meetings = meetings + 1;
  INSERT INTO pair_week_rollups (pair_id, org_id, week_start, meetings)
    VALUES (NEW.pair_id, NEW.org_id, date(NEW.started_at, '-' || ((CAST(strftime('%w', NEW.started_at) AS INTEGER) + 6) % 7) || ' days'), 1)
    ON CONFLICT (pair_id, week_start) DO UPDATE SET meetings = meetings + 1;
  INSERT INTO pair_rollups (pair_id, org_id, meetings, last_meeting_at) VALUES (NEW.pair_id, NEW.org_id, 1, NEW.started_at)
    ON CONFLICT (pair_id) DO UPDATE SET meetings = meetings + 1, last_meeting_at = MAX(COALESCE(last_meeting_at, ''), excluded.last_meeting_at);
END;

-- No route deletes a meeting; should one ever, the counts follow (and the latest meeting is looked up again).
CREATE TRIGGER rollup_meeting_delete AFTER DELETE ON meetings
BEGIN
  UPDATE org_day_rollups SET meetings = meetings - 1 WHERE org_id = OLD.org_id AND day = substr(OLD.started_at, 1, 10);
  UPDATE pair_week_rollups SET meetings = meetings - 1
   WHERE pair_id = OLD.pair_id AND week_start = date(OLD.started_at, '-' || ((CAST(strftime('%w', OLD.started_at) AS INTEGER) + 6) % 7) || ' days');
  UPDATE pair_rollups SET meetings = meetings - 1,
         last_meeting_at = (SELECT MAX(started_at) FROM meetings WHERE pair_id = OLD.pair_id)
   WHERE pair_id = OLD.pair_id;
END;

-- Feedback: once per person per meeting; its rating and time never change.
CREATE TRIGGER rollup_feedback_insert AFTER INSERT ON feedback
BEGIN
  INSERT INTO org_day_rollups (org_id, day, ratings_count, ratings_sum) VALUES (NEW.org_id, substr(NEW.created_at, 1, 10), 1, NEW.rating)
    ON CONFLICT (org_id, day) DO UPDATE SET ratings_count = ratings_count + 1, ratings_sum = ratings_sum + excluded.ratings_sum;
  INSERT INTO pair_week_rollups (pair_id, org_id, week_start, ratings_count, ratings_sum)
    VALUES (NEW.pair_id, NEW.org_id, date(NEW.created_at, '-' || ((CAST(strftime('%w', NEW.created_at) AS INTEGER) + 6) % 7) || ' days'), 1, NEW.rating)
    ON CONFLICT (pair_id, week_start) DO UPDATE SET ratings_count = ratings_count + 1, ratings_sum = ratings_sum + excluded.ratings_sum;
  -- The last 8 ratings: appended while ratings arrive in time order (they are stamped on arrival); a rating from the
  -- past (or at the latest one's instant) has them read again from the pair's ratings, unknown (NULL) while two share
  -- an instant.
  INSERT INTO pair_rollups (pair_id, org_id, ratings_count, ratings_sum, latest_rating_at, recent_ratings)
    VALUES (NEW.pair_id, NEW.org_id, 1, NEW.rating, NEW.created_at, CAST(NEW.rating AS TEXT))
    ON CONFLICT (pair_id) DO UPDATE SET ratings_count = ratings_count + 1, ratings_sum = ratings_sum + excluded.ratings_sum,
       recent_ratings = CASE WHEN latest_rating_at IS NULL THEN excluded.recent_ratings
                             WHEN recent_ratings IS NOT NULL AND excluded.latest_rating_at > latest_rating_at
                               THEN substr(recent_ratings || excluded.recent_ratings, -8)
                             ELSE (SELECT CASE WHEN COUNT(*) = COUNT(DISTINCT f.created_at) THEN
                               (SELECT group_concat(rating, '') FROM (SELECT rating, created_at FROM (
                                  SELECT g.rating, g.created_at FROM feedback g WHERE g.pair_id = NEW.pair_id ORDER BY g.created_at DESC LIMIT 8) ORDER BY created_at)) END
                              FROM feedback f WHERE f.pair_id = NEW.pair_id) END,
       latest_rating_at = MAX(COALESCE(latest_rating_at, ''), excluded.latest_rating_at);
END;

CREATE TRIGGER rollup_feedback_delete AFTER DELETE ON feedback
BEGIN
  UPDATE org_day_rollups SET ratings_count = ratings_count - 1, ratings_sum = ratings_sum - OLD.rating
   WHERE org_id = OLD.org_id AND day = substr(OLD.created_at, 1, 10);
  UPDATE pair_week_rollups SET ratings_count = ratings_count - 1, ratings_sum = ratings_sum - OLD.rating
   WHERE pair_id = OLD.pair_id AND week_start = date(OLD.created_at, '-' || ((CAST(strftime('%w', OLD.created_at) AS INTEGER) + 6) % 7) || ' days');
  UPDATE pair_rollups SET ratings_count = ratings_count - 1, ratings_sum = ratings_sum - OLD.rating,
         recent_ratings = (SELECT CASE WHEN COUNT(*) = COUNT(DISTINCT f.created_at) THEN
                               (SELECT group_concat(rating, '') FROM (SELECT rating, created_at FROM (
                                  SELECT g.rating, g.created_at FROM feedback g WHERE g.pair_id = OLD.pair_id ORDER BY g.created_at DESC LIMIT 8) ORDER BY created_at)) END
                              FROM feedback f WHERE f.pair_id = OLD.pair_id),
         latest_rating_at = (SELECT MAX(created_at) FROM feedback WHERE pair_id = OLD.pair_id)
   WHERE pair_id = OLD.pair_id;
END;

-- Goals: how many are active, and when a goal of the pair was last created or revised (the at-risk "stalled" check).
CREATE TRIGGER rollup_goal_insert AFTER INSERT ON goals
BEGIN
  INSERT INTO pair_rollups (pair_id, org_id, active_goals, last_goal_change_at) VALUES (NEW.pair_id, NEW.org_id, NEW.status = 'active', NEW.created_at)
    ON CONFLICT (pair_id) DO UPDATE SET active_goals = active_goals + excluded.active_goals,
       last_goal_change_at = MAX(COALESCE(last_goal_change_at, ''), excluded.last_goal_change_at);
END;

CREATE TRIGGER rollup_goal_status AFTER UPDATE OF status ON goals WHEN OLD.status IS NOT NEW.status
BEGIN
  UPDATE pair_rollups SET active_goals = active_goals + (NEW.status = 'active') - (OLD.status = 'active') WHERE pair_id = NEW.pair_id;
END;

CREATE TRIGGER rollup_goal_delete AFTER DELETE ON goals
BEGIN
  UPDATE pair_rollups SET active_goals = active_goals - (OLD.status = 'active'),
         last_goal_change_at = (SELECT MAX(at) FROM (SELECT MAX(created_at) AS at FROM goals WHERE pair_id = OLD.pair_id
                                                     UNION ALL SELECT MAX(created_at) FROM goal_revisions WHERE pair_id = OLD.pair_id))
   WHERE pair_id = OLD.pair_id;
END;

CREATE TRIGGER rollup_goal_revision_insert AFTER INSERT ON goal_revisions
BEGIN
  INSERT INTO pair_rollups (pair_id, org_id, last_goal_change_at)
    SELECT NEW.pair_id, p.org_id, NEW.created_at FROM pairs p WHERE p.id = NEW.pair_id
    ON CONFLICT (pair_id) DO UPDATE SET last_goal_change_at = MAX(COALESCE(last_goal_change_at, ''), excluded.last_goal_change_at);
END;

-- Entries: live ones count, by kind. A soft delete (deleted_at set), erasure's hard delete of private notes and the
-- retention purge all take an entry out; a change of kind moves it.
CREATE TRIGGER rollup_entry_insert AFTER INSERT ON entries WHEN NEW.deleted_at IS NULL
BEGIN
  INSERT INTO pair_week_rollups (pair_id, org_id, week_start, entries_note, entries_action, entries_decision, entries_question)
    VALUES (NEW.pair_id, NEW.org_id, date(NEW.created_at, '-' || ((CAST(strftime('%w', NEW.created_at) AS INTEGER) + 6) % 7) || ' days'),
            NEW.kind = 'note', NEW.kind = 'action', NEW.kind = 'decision', NEW.kind = 'question')
    ON CONFLICT (pair_id, week_start) DO UPDATE SET entries_note = entries_note + excluded.entries_note,
       entries_action = entries_action + excluded.entries_action, entries_decision = entries_decision + excluded.entries_decision,
       entries_question = entries_question + excluded.entries_question;
  INSERT INTO pair_rollups (pair_id, org_id, entries_note, entries_action, entries_decision, entries_question)
    VALUES (NEW.pair_id, NEW.org_id, NEW.kind = 'note', NEW.kind = 'action', NEW.kind = 'decision', NEW.kind = 'question')
    ON CONFLICT (pair_id) DO UPDATE SET entries_note = entries_note + excluded.entries_note,
       entries_action = entries_action + excluded.entries_action, entries_decision = entries_decision + excluded.entries_decision,
       entries_question = entries_question + excluded.entries_question;
END;

CREATE TRIGGER rollup_entry_delete AFTER DELETE ON entries WHEN OLD.deleted_at IS NULL
BEGIN
  UPDATE pair_week_rollups SET entries_note = entries_note - (OLD.kind = 'note'), entries_action = entries_action - (OLD.kind = 'action'),
         entries_decision = entries_decision - (OLD.kind = 'decision'), entries_question = entries_question - (OLD.kind = 'question')
   WHERE pair_id = OLD.pair_id AND week_start = date(OLD.created_at, '-' || ((CAST(strftime('%w', OLD.created_at) AS INTEGER) + 6) % 7) || ' days');
  UPDATE pair_rollups SET entries_note = entries_note - (OLD.kind = 'note'), entries_action = entries_action - (OLD.kind = 'action'),
         entries_decision = entries_decision - (OLD.kind = 'decision'), entries_question = entries_question - (OLD.kind = 'question')
   WHERE pair_id = OLD.pair_id;
END;

-- Any change that moves an entry between counts: out of the old (if it was live), into the new (if it is live).
CREATE TRIGGER rollup_entry_update AFTER UPDATE OF kind, deleted_at, created_at, pair_id, org_id ON entries
  WHEN OLD.kind IS NOT NEW.kind OR (OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL) OR OLD.created_at IS NOT NEW.created_at
    OR OLD.pair_id IS NOT NEW.pair_id OR OLD.org_id IS NOT NEW.org_id
BEGIN
  UPDATE pair_week_rollups SET entries_note = entries_note - (OLD.kind = 'note'), entries_action = entries_action - (OLD.kind = 'action'),
         entries_decision = entries_decision - (OLD.kind = 'decision'), entries_question = entries_question - (OLD.kind = 'question')
   WHERE OLD.deleted_at IS NULL AND pair_id = OLD.pair_id
     AND week_start = date(OLD.created_at, '-' || ((CAST(strftime('%w', OLD.created_at) AS INTEGER) + 6) % 7) || ' days');
  UPDATE pair_rollups SET entries_note = entries_note - (OLD.kind = 'note'), entries_action = entries_action - (OLD.kind = 'action'),
         entries_decision = entries_decision - (OLD.kind = 'decision'), entries_question = entries_question - (OLD.kind = 'question')
   WHERE OLD.deleted_at IS NULL AND pair_id = OLD.pair_id;
  INSERT INTO pair_week_rollups (pair_id, org_id, week_start, entries_note, entries_action, entries_decision, entries_question)
    SELECT NEW.pair_id, NEW.org_id, date(NEW.created_at, '-' || ((CAST(strftime('%w', NEW.created_at) AS INTEGER) + 6) % 7) || ' days'),
           NEW.kind = 'note', NEW.kind = 'action', NEW.kind = 'decision', NEW.kind = 'question'
     WHERE NEW.deleted_at IS NULL
    ON CONFLICT (pair_id, week_start) DO UPDATE SET entries_note = entries_note + excluded.entries_note,
       entries_action = entries_action + excluded.entries_action, entries_decision = entries_decision + excluded.entries_decision,
       entries_question = entries_question + excluded.entries_question;
  INSERT INTO pair_rollups (pair_id, org_id, entries_note, entries_action, entries_decision, entries_question)
    SELECT NEW.pair_id, NEW.org_id, NEW.kind = 'note', NEW.kind = 'action', NEW.kind = 'decision', NEW.kind = 'question'
     WHERE NEW.deleted_at IS NULL
    ON CONFLICT (pair_id) DO UPDATE SET entries_note = entries_note + excluded.entries_note,
       entries_action = entries_action + excluded.entries_action, entries_decision = entries_decision + excluded.entries_decision,
       entries_question = entries_question + excluded.entries_question;
END;
