-- Alongside schema. Times are ISO-8601 UTC strings (e.g. 2026-11-23T09:30:00.000Z), calendar dates are YYYY-MM-DD.
-- Every hot query has an index below; the comment on each says which query it serves.

CREATE TABLE organisations (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  created_at  TEXT NOT NULL
);

CREATE TABLE users (
  id                 TEXT PRIMARY KEY,
  org_id             TEXT NOT NULL REFERENCES organisations(id),
  role               TEXT NOT NULL CHECK (role IN ('admin', 'mentor', 'mentee')),
  name               TEXT NOT NULL,
  email              TEXT NOT NULL,
  time_zone          TEXT NOT NULL,
  -- Working hours in the user's own time zone, as minutes after local midnight.
  work_start_minute  INTEGER NOT NULL DEFAULT 540 CHECK (work_start_minute BETWEEN 0 AND 1439),
  work_end_minute    INTEGER NOT NULL DEFAULT 1020 CHECK (work_end_minute BETWEEN 1 AND 1440),
  skills             TEXT NOT NULL DEFAULT '[]',   -- JSON array of strings
  interests          TEXT NOT NULL DEFAULT '[]',   -- JSON array of strings
  -- For mentees: what they want to grow in (drives matching); for mentors: how many pairs they can take.
  goals              TEXT NOT NULL DEFAULT '[]',   -- JSON array of strings
  capacity           INTEGER NOT NULL DEFAULT 3 CHECK (capacity BETWEEN 0 AND 50),
  status             TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'revoked')),
  created_at         TEXT NOT NULL,
  updated_at         TEXT NOT NULL,
  UNIQUE (org_id, email)
);
-- admin people list, filtered by role
CREATE INDEX users_org_role ON users (org_id, role, name);

CREATE TABLE pairs (
  id             TEXT PRIMARY KEY,
  org_id         TEXT NOT NULL REFERENCES organisations(id),
  mentor_id      TEXT NOT NULL REFERENCES users(id),
  mentee_id      TEXT NOT NULL REFERENCES users(id),
  status         TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'ended')),
  cadence        TEXT NOT NULL CHECK (cadence IN ('weekly', 'biweekly', 'monthly')),
  meeting_links  TEXT NOT NULL DEFAULT '{}',   -- JSON object: platform -> URL
  started_on     TEXT NOT NULL,
  ended_on       TEXT,
  version        INTEGER NOT NULL DEFAULT 1,
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL
);
-- admin pair list and dashboard (pairs by status)
CREATE INDEX pairs_org_status ON pairs (org_id, status);
-- "my pairs" for either member
CREATE INDEX pairs_mentor ON pairs (mentor_id, status);
CREATE INDEX pairs_mentee ON pairs (mentee_id, status);

CREATE TABLE goals (
  id          TEXT PRIMARY KEY,
  pair_id     TEXT NOT NULL REFERENCES pairs(id),
  org_id      TEXT NOT NULL REFERENCES organisations(id),
  owner_id    TEXT NOT NULL REFERENCES users(id),   -- whose goal it is (usually the mentee)
  title       TEXT NOT NULL,
  specific    TEXT NOT NULL DEFAULT '',
  measure     TEXT NOT NULL DEFAULT '',
  target      TEXT NOT NULL DEFAULT '',
  relevance   TEXT NOT NULL DEFAULT '',
  due_on      TEXT,
  status      TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'completed', 'paused', 'dropped')),
  progress    INTEGER NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
  version     INTEGER NOT NULL DEFAULT 1,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);
-- call context and goal lists of a pair
CREATE INDEX goals_pair ON goals (pair_id, status, due_on);
-- dashboard: goal status / progress per organisation
CREATE INDEX goals_org_status ON goals (org_id, status, due_on, progress);

-- Every change of a goal, as the full state after the change.
CREATE TABLE goal_revisions (
  id          TEXT PRIMARY KEY,
  goal_id     TEXT NOT NULL REFERENCES goals(id),
  pair_id     TEXT NOT NULL REFERENCES pairs(id),
  author_id   TEXT NOT NULL REFERENCES users(id),
  version     INTEGER NOT NULL,
  progress    INTEGER NOT NULL,
  status      TEXT NOT NULL,
  snapshot    TEXT NOT NULL,   -- JSON of the goal's SMART fields after the change
  note        TEXT NOT NULL DEFAULT '',
  created_at  TEXT NOT NULL,
  UNIQUE (goal_id, version)
);
-- goal history, and "goal stalled" (last progress change) on the dashboard
CREATE INDEX goal_revisions_goal ON goal_revisions (goal_id, created_at);
CREATE INDEX goal_revisions_pair ON goal_revisions (pair_id, created_at);

CREATE TABLE milestones (
  id          TEXT PRIMARY KEY,
  goal_id     TEXT NOT NULL REFERENCES goals(id),
  pair_id     TEXT NOT NULL REFERENCES pairs(id),
  title       TEXT NOT NULL,
  due_on      TEXT,
  done_at     TEXT,
  version     INTEGER NOT NULL DEFAULT 1,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);
CREATE INDEX milestones_goal ON milestones (goal_id, due_on);
CREATE INDEX milestones_pair ON milestones (pair_id);

CREATE TABLE meetings (
  id            TEXT PRIMARY KEY,
  pair_id       TEXT NOT NULL REFERENCES pairs(id),
  org_id        TEXT NOT NULL REFERENCES organisations(id),
  platform      TEXT NOT NULL CHECK (platform IN ('meet', 'zoom', 'teams', 'jitsi', 'whereby', 'other')),
  meeting_code  TEXT,
  started_at    TEXT NOT NULL,
  ended_at      TEXT,
  source        TEXT NOT NULL CHECK (source IN ('auto', 'manual')),
  created_by    TEXT NOT NULL REFERENCES users(id),
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL
);
-- a pair's timeline and "last meeting"
CREATE INDEX meetings_pair ON meetings (pair_id, started_at);
-- start is idempotent per meeting code: find the open meeting of this pair and code
CREATE INDEX meetings_pair_code ON meetings (pair_id, platform, meeting_code, started_at);
-- dashboard: meetings per organisation over a date range
CREATE INDEX meetings_org_started ON meetings (org_id, started_at, pair_id);

CREATE TABLE entries (
  id               TEXT PRIMARY KEY,   -- generated by the client
  pair_id          TEXT NOT NULL REFERENCES pairs(id),
  org_id           TEXT NOT NULL REFERENCES organisations(id),
  meeting_id       TEXT REFERENCES meetings(id),
  goal_id          TEXT REFERENCES goals(id),
  author_id        TEXT NOT NULL REFERENCES users(id),
  kind             TEXT NOT NULL CHECK (kind IN ('note', 'action', 'decision', 'question')),
  visibility       TEXT NOT NULL CHECK (visibility IN ('shared', 'private')),
  body             TEXT NOT NULL,
  action_owner_id  TEXT REFERENCES users(id),
  action_due_on    TEXT,
  action_done_at   TEXT,
  version          INTEGER NOT NULL DEFAULT 1,
  -- Per-pair change counter: every insert, edit and delete takes the next number, so "changes since cursor" is
  -- exact even when two writes share a millisecond.
  change_seq       INTEGER NOT NULL,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL,
  deleted_at       TEXT,
  UNIQUE (pair_id, change_seq)
);
-- entries of a pair changed since a cursor (the poll of the call overlay)
CREATE INDEX entries_pair_seq ON entries (pair_id, change_seq);
-- open actions of a pair
CREATE INDEX entries_open_actions ON entries (pair_id, kind, action_done_at, deleted_at);
-- admin: entry counts per pair (never bodies)
CREATE INDEX entries_org_pair ON entries (org_id, pair_id, kind);

CREATE TABLE agenda_items (
  id          TEXT PRIMARY KEY,   -- generated by the client
  pair_id     TEXT NOT NULL REFERENCES pairs(id),
  author_id   TEXT NOT NULL REFERENCES users(id),
  body        TEXT NOT NULL,
  position    INTEGER NOT NULL DEFAULT 0,
  done_at     TEXT,
  version     INTEGER NOT NULL DEFAULT 1,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  deleted_at  TEXT
);
CREATE INDEX agenda_pair ON agenda_items (pair_id, deleted_at, done_at, position);

CREATE TABLE feedback (
  id          TEXT PRIMARY KEY,   -- generated by the client
  meeting_id  TEXT NOT NULL REFERENCES meetings(id),
  pair_id     TEXT NOT NULL REFERENCES pairs(id),
  org_id      TEXT NOT NULL REFERENCES organisations(id),
  author_id   TEXT NOT NULL REFERENCES users(id),
  rating      INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
  comment     TEXT NOT NULL DEFAULT '',
  created_at  TEXT NOT NULL,
  UNIQUE (meeting_id, author_id)
);
CREATE INDEX feedback_org_created ON feedback (org_id, created_at, rating);
CREATE INDEX feedback_pair_created ON feedback (pair_id, created_at);

CREATE TABLE invitations (
  id           TEXT PRIMARY KEY,
  org_id       TEXT NOT NULL REFERENCES organisations(id),
  user_id      TEXT NOT NULL REFERENCES users(id),
  code_hash    TEXT NOT NULL UNIQUE,   -- SHA-256 of the code; the code itself is never stored
  created_by   TEXT REFERENCES users(id),
  created_at   TEXT NOT NULL,
  expires_at   TEXT NOT NULL,
  redeemed_at  TEXT,
  revoked_at   TEXT
);
CREATE INDEX invitations_user ON invitations (user_id, created_at);

CREATE TABLE tokens (
  token_hash    TEXT PRIMARY KEY,   -- SHA-256 of the bearer token; the token itself is never stored
  user_id       TEXT NOT NULL REFERENCES users(id),
  org_id        TEXT NOT NULL REFERENCES organisations(id),
  created_at    TEXT NOT NULL,
  expires_at    TEXT NOT NULL,
  revoked_at    TEXT
);
CREATE INDEX tokens_user ON tokens (user_id);

-- Responses of writes sent with an Idempotency-Key, so a replay returns the first result and writes nothing.
CREATE TABLE idempotency_keys (
  user_id        TEXT NOT NULL,
  key            TEXT NOT NULL,
  request_hash   TEXT NOT NULL,
  status         INTEGER NOT NULL,
  response_body  TEXT NOT NULL,
  created_at     TEXT NOT NULL,
  PRIMARY KEY (user_id, key)
);

CREATE TABLE audit_log (
  id           TEXT PRIMARY KEY,
  org_id       TEXT NOT NULL REFERENCES organisations(id),
  actor_id     TEXT NOT NULL REFERENCES users(id),
  action       TEXT NOT NULL,
  target_type  TEXT NOT NULL,
  target_id    TEXT NOT NULL,
  detail       TEXT NOT NULL DEFAULT '{}',
  created_at   TEXT NOT NULL
);
CREATE INDEX audit_org_created ON audit_log (org_id, created_at);
