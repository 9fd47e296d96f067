import type { Meeting, MeetingPlatform, Platform } from '../../shared/schemas/index.ts';
import type { Db } from '../env.ts';
import { nowIso } from '../lib/time.ts';

interface MeetingRow {
  id: string;
  pair_id: string;
  platform: MeetingPlatform;
  meeting_code: string | null;
  started_at: string;
  ended_at: string | null;
  source: 'auto' | 'manual';
}

const MEETING_COLUMNS = 'id, pair_id, platform, meeting_code, started_at, ended_at, source';

export const toMeeting = (r: MeetingRow): Meeting => ({
  id: r.id,
  pairId: r.pair_id,
  platform: r.platform,
  meetingCode: r.meeting_code,
  startedAt: r.started_at,
  endedAt: r.ended_at,
  source: r.source,
  durationMinutes: r.ended_at ? Math.round((Date.parse(r.ended_at) - Date.parse(r.started_at)) / 60_000) : null,
});

/** A call with the same code within this window is the same meeting (both partners join; a dropped tab rejoins). */
export const SAME_MEETING_WINDOW_MS = 12 * 3_600_000;
/** Leaving and rejoining within this time continues the meeting instead of logging a new one. */
export const REJOIN_GRACE_MS = 15 * 60_000;

export async function getMeeting(db: Db, id: string): Promise<Meeting | null> {
  const row = await db.prepare(`SELECT ${MEETING_COLUMNS} FROM meetings WHERE id = ?`).bind(id).first<MeetingRow>();
  return row ? toMeeting(row) : null;
}

/**
 * Starts the pair's meeting for this code, or joins the one already running (idempotent per meeting code), in one
 * batch: reopen a meeting left moments ago, insert only when no current meeting exists, then read the current one.
 * Null when there is no current meeting because `id` is already taken by another meeting (the insert did nothing).
 */
export async function startMeeting(
  db: Db,
  m: { id: string; pairId: string; orgId: string; platform: Platform; meetingCode: string; userId: string },
): Promise<Meeting | null> {
  const now = Date.now();
  const nowStr = new Date(now).toISOString();
  const windowStart = new Date(now - SAME_MEETING_WINDOW_MS).toISOString();
  const rejoinAfter = new Date(now - REJOIN_GRACE_MS).toISOString();
  const current = `pair_id = ?1 AND platform = ?2 AND meeting_code = ?3 AND started_at > ?4 AND (ended_at IS NULL OR ended_at > ?5)`;
  const results = await db.batch([
    db
      .prepare(`UPDATE meetings SET ended_at = NULL, updated_at = ?6 WHERE ${current} AND ended_at IS NOT NULL`)
      .bind(m.pairId, m.platform, m.meetingCode, windowStart, rejoinAfter, nowStr),
    db
      .prepare(
        `INSERT INTO meetings (id, pair_id, org_id, platform, meeting_code, started_at, source, created_by, created_at, updated_at)
         SELECT ?6, ?1, ?7, ?2, ?3, ?8, 'auto', ?9, ?8, ?8
          WHERE NOT EXISTS (SELECT 1 FROM meetings WHERE ${current})
         ON CONFLICT (id) DO NOTHING`,
      )
      .bind(m.pairId, m.platform, m.meetingCode, windowStart, rejoinAfter, m.id, m.orgId, nowStr, m.userId),
    db
      .prepare(`SELECT ${MEETING_COLUMNS} FROM meetings WHERE ${current} ORDER BY started_at DESC LIMIT 1`)
      .bind(m.pairId, m.platform, m.meetingCode, windowStart, rejoinAfter),
  ]);
  const row = (results[2]?.results ?? [])[0] as MeetingRow | undefined;
  return row ? toMeeting(row) : null;
}

/** Ends a meeting; when both partners leave, the later time wins. Never moves the end before the start. */
export async function endMeeting(db: Db, id: string, endedAt: string): Promise<void> {
  await db
    .prepare(
      `UPDATE meetings SET ended_at = MAX(COALESCE(ended_at, started_at), started_at, ?2), updated_at = ?3 WHERE id = ?1`,
    )
    .bind(id, endedAt, nowIso())
    .run();
}

export async function insertManualMeeting(
  db: Db,
  m: { id: string; pairId: string; orgId: string; startedAt: string; endedAt: string; userId: string },
): Promise<void> {
  const now = nowIso();
  await db
    .prepare(
      `INSERT INTO meetings (id, pair_id, org_id, platform, meeting_code, started_at, ended_at, source, created_by, created_at, updated_at)
       VALUES (?, ?, ?, 'other', NULL, ?, ?, 'manual', ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
    )
    .bind(m.id, m.pairId, m.orgId, m.startedAt, m.endedAt, m.userId, now, now)
    .run();
}

export async function listMeetingsOfPair(db: Db, pairId: string, limit = 200): Promise<Meeting[]> {
  const { results } = await db
    .prepare(`SELECT ${MEETING_COLUMNS} FROM meetings WHERE pair_id = ? ORDER BY started_at DESC LIMIT ?`)
    .bind(pairId, limit)
    .all<MeetingRow>();
  return results.map(toMeeting);
}

/** Ended meetings of the last two weeks that this member has not given feedback on yet. */
export async function listPendingFeedback(db: Db, pairId: string, userId: string): Promise<Meeting[]> {
  const since = new Date(Date.now() - 14 * 86_400_000).toISOString();
  const { results } = await db
    .prepare(
      `SELECT ${MEETING_COLUMNS} FROM meetings m
        WHERE m.pair_id = ?1 AND m.started_at > ?3 AND m.ended_at IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM feedback f WHERE f.meeting_id = m.id AND f.author_id = ?2)
        ORDER BY m.started_at DESC LIMIT 5`,
    )
    .bind(pairId, userId, since)
    .all<MeetingRow>();
  return results.map(toMeeting);
}
