import { MAX_OPEN_MEETING_MS } from '../../shared/schemas/index.ts';
import type { ClientEndReason, Meeting, MeetingEndReason, MeetingPlatform, MeetingSource } from '../../shared/schemas/index.ts';
import type { Db } from '../env.ts';
import { nowIso } from '../lib/time.ts';

interface MeetingRow {
  id: string;
  pair_id: string;
  platform: MeetingPlatform;
  meeting_code: string | null;
  started_at: string;
  ended_at: string | null;
  source: MeetingSource;
  end_reason: MeetingEndReason | null;
}

const MEETING_COLUMNS = 'id, pair_id, platform, meeting_code, started_at, ended_at, source, end_reason';

export const toMeeting = (r: MeetingRow): Meeting => ({
  id: r.id,
  pairId: r.pair_id,
  platform: r.platform,
  meetingCode: r.meeting_code,
  startedAt: r.started_at,
  endedAt: r.ended_at,
  source: r.source,
  endReason: r.end_reason,
  // A meeting closed by the server was not seen to end: its stored end is the bound, not a length anyone measured.
  durationMinutes:
    r.ended_at && r.end_reason !== 'timeout' ? Math.round((Date.parse(r.ended_at) - Date.parse(r.started_at)) / 60_000) : null,
});

/** Defined in shared/ so the admin view can name it; its comment says why 4 hours. */
export { MAX_OPEN_MEETING_MS };
/** Leaving and rejoining within this time continues the meeting instead of logging a new one. */
export const REJOIN_GRACE_MS = 15 * 60_000;

/**
 * `SET` clause of a timeout close: the end is the bound, not the time of the sweep. ?1 is now (updated_at), ?2 the
 * bound in seconds. Stored times are toISOString's form, which strftime with %f (seconds.milliseconds) reproduces.
 */
const CLOSE_AS_TIMEOUT = `ended_at = strftime('%Y-%m-%dT%H:%M:%fZ', started_at, '+' || ?2 || ' seconds'), end_reason = 'timeout', updated_at = ?1`;
const staleBefore = (now: number) => new Date(now - MAX_OPEN_MEETING_MS).toISOString();

/** Every meeting still open past the bound, whatever its pair (?3: started before now − bound); exported for its query-plan test. */
export const CLOSE_STALE_MEETINGS_SQL = `UPDATE meetings SET ${CLOSE_AS_TIMEOUT} WHERE ended_at IS NULL AND started_at < ?3`;
export const closeStaleMeetingsParams = (now: number) => [new Date(now).toISOString(), MAX_OPEN_MEETING_MS / 1000, staleBefore(now)];

/**
 * Closes every meeting that is still open MAX_OPEN_MEETING_MS after its start, in one statement (3 bound
 * parameters; the partial index meetings_open_started keeps it to the open rows). Returns how many it closed.
 */
export async function closeStaleMeetings(db: Db, now: number = Date.now()): Promise<number> {
  const result = await db.prepare(CLOSE_STALE_MEETINGS_SQL).bind(...closeStaleMeetingsParams(now)).run();
  return result.meta.changes;
}

export async function getMeeting(db: Db, id: string): Promise<Meeting | null> {
  const row = await db.prepare(`SELECT ${MEETING_COLUMNS} FROM meetings WHERE id = ?`).bind(id).first<MeetingRow>();
  return row ? toMeeting(row) : null;
}

/**
 * Starts the pair's meeting for this code, or joins the one already running (idempotent per meeting code), in one
 * batch: close the pair's meetings left open past the bound (so a rejoin hours after a crash starts afresh rather than
 * continuing the crashed one), reopen a meeting left moments ago, insert only when no current meeting exists, then
 * read the current one. Null when there is no current meeting because `id` is already taken by another meeting (the
 * insert did nothing).
 */
export async function startMeeting(
  db: Db,
  m: { id: string; pairId: string; orgId: string; platform: MeetingPlatform; meetingCode: string; userId: string; source?: MeetingSource },
): Promise<Meeting | null> {
  const now = Date.now();
  const nowStr = new Date(now).toISOString();
  const openSince = staleBefore(now);
  const rejoinAfter = new Date(now - REJOIN_GRACE_MS).toISOString();
  // Current: started within the bound, and still open or left within the grace. A timed-out meeting never is.
  const current = `pair_id = ?1 AND platform = ?2 AND meeting_code = ?3 AND started_at >= ?4 AND (ended_at IS NULL OR ended_at > ?5)`;
  const results = await db.batch([
    db
      .prepare(`UPDATE meetings SET ${CLOSE_AS_TIMEOUT} WHERE pair_id = ?4 AND ended_at IS NULL AND started_at < ?3`)
      .bind(nowStr, MAX_OPEN_MEETING_MS / 1000, openSince, m.pairId),
    db
      .prepare(`UPDATE meetings SET ended_at = NULL, end_reason = NULL, updated_at = ?6 WHERE ${current} AND ended_at IS NOT NULL`)
      .bind(m.pairId, m.platform, m.meetingCode, openSince, rejoinAfter, nowStr),
    db
      .prepare(
        `INSERT INTO meetings (id, pair_id, org_id, platform, meeting_code, started_at, source, created_by, created_at, updated_at)
         SELECT ?6, ?1, ?7, ?2, ?3, ?8, ?10, ?9, ?8, ?8
          WHERE NOT EXISTS (SELECT 1 FROM meetings WHERE ${current})
         ON CONFLICT (id) DO NOTHING`,
      )
      .bind(m.pairId, m.platform, m.meetingCode, openSince, rejoinAfter, m.id, m.orgId, nowStr, m.userId, m.source ?? 'auto'),
    db
      .prepare(`SELECT ${MEETING_COLUMNS} FROM meetings WHERE ${current} ORDER BY started_at DESC LIMIT 1`)
      .bind(m.pairId, m.platform, m.meetingCode, openSince, rejoinAfter),
  ]);
  const row = (results[3]?.results ?? [])[0] as MeetingRow | undefined;
  return row ? toMeeting(row) : null;
}

/**
 * Ends a meeting; when both partners leave, the later time wins, and so does that end's reason (null when the client
 * sent none). Never moves the end before the start. A timeout close is only a stand-in for a missing report: any
 * reported end replaces it, earlier or later (an outbox may deliver the real end after the sweep).
 */
export async function endMeeting(db: Db, id: string, endedAt: string, reason: ClientEndReason | null = null): Promise<void> {
  const unreported = `ended_at IS NULL OR end_reason = 'timeout'`;
  await db
    .prepare(
      `UPDATE meetings
          SET ended_at = CASE WHEN ${unreported} THEN MAX(started_at, ?2) ELSE MAX(ended_at, started_at, ?2) END,
              end_reason = CASE WHEN ${unreported} OR ?2 >= ended_at THEN ?3 ELSE end_reason END,
              updated_at = ?4
        WHERE id = ?1`,
    )
    .bind(id, endedAt, reason, nowIso())
    .run();
}

export async function insertManualMeeting(
  db: Db,
  m: { id: string; pairId: string; orgId: string; startedAt: string; endedAt: string; userId: string },
): Promise<void> {
  const now = nowIso();
  await db
    .prepare(
      `INSERT INTO meetings (id, pair_id, org_id, platform, meeting_code, started_at, ended_at, source, end_reason, created_by, created_at, updated_at)
       VALUES (?, ?, ?, 'other', NULL, ?, ?, 'manual', 'manual', ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
    )
    .bind(m.id, m.pairId, m.orgId, m.startedAt, m.endedAt, m.userId, now, now)
    .run();
}

export const listMeetingsOfPairStatement = (db: Db, pairId: string, limit = 200) =>
  db.prepare(`SELECT ${MEETING_COLUMNS} FROM meetings WHERE pair_id = ? ORDER BY started_at DESC LIMIT ?`).bind(pairId, limit);
export const meetingsFrom = (rows: readonly unknown[]): Meeting[] => (rows as MeetingRow[]).map(toMeeting);

export async function listMeetingsOfPair(db: Db, pairId: string, limit = 200): Promise<Meeting[]> {
  return meetingsFrom((await listMeetingsOfPairStatement(db, pairId, limit).all<MeetingRow>()).results);
}

/**
 * Ended meetings of the last two weeks that this member has not given feedback on yet. A timed-out meeting counts: it
 * did take place (a start needs in-call evidence), only its end went unreported.
 */
export async function listPendingFeedback(db: Db, pairId: string, userId: string): Promise<Meeting[]> {
  return meetingsFrom((await listPendingFeedbackStatement(db, pairId, userId).all<MeetingRow>()).results);
}

export function listPendingFeedbackStatement(db: Db, pairId: string, userId: string) {
  const since = new Date(Date.now() - 14 * 86_400_000).toISOString();
  return db
    .prepare(
      `SELECT ${MEETING_COLUMNS} FROM meetings m
        WHERE m.pair_id = ?1 AND m.started_at > ?3 AND m.ended_at IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM feedback f WHERE f.meeting_id = m.id AND f.author_id = ?2)
        ORDER BY m.started_at DESC LIMIT 5`,
    )
    .bind(pairId, userId, since);
}
