-- Why a meeting ended (issue 7, truthful logging). NULL while the meeting runs, and for meetings ended before this
-- column existed. 'timeout' is set only by the server, when no end was reported within MAX_OPEN_MEETING_MS
-- (worker/db/meetings.ts): the meeting's real length is then unknown.
ALTER TABLE meetings ADD COLUMN end_reason TEXT CHECK (end_reason IN ('left', 'ended', 'page-closed', 'manual', 'timeout'));

-- closeStaleMeetings (the cron trigger): open meetings by start time, so the sweep reads only the few rows still
-- open rather than every meeting.
CREATE INDEX meetings_open_started ON meetings (started_at) WHERE ended_at IS NULL;
