-- Indexes for the admin dashboard (worker/db/dashboard.ts), so its aggregates read index ranges only.

-- goal summary and progress distribution: goals created by the end of the range, covering status, due date and
-- progress (goals_org_status has no created_at, so it would read every goal row)
CREATE INDEX goals_org_created ON goals (org_id, created_at, status, due_on, progress);

-- at-risk "falling ratings": a pair's latest ratings, newest first, without reading the feedback rows
CREATE INDEX feedback_pair_rating ON feedback (pair_id, created_at, rating);

-- at-risk "goals stalled": when a pair's newest goal was created (goals_pair has no created_at)
CREATE INDEX goals_pair_created ON goals (pair_id, created_at);
