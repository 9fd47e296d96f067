import type { CheckIn, CheckInStatus } from '../../shared/schemas/index.ts';
import type { Db } from '../env.ts';
import { nowIso } from '../lib/time.ts';

interface CheckInRow {
  id: string;
  pair_id: string;
  starts_at: string;
  duration_minutes: number;
  organiser_zone: string;
  proposed_by: string;
  status: CheckInStatus;
  responded_by: string | null;
  responded_at: string | null;
  version: number;
  created_at: string;
}

const COLUMNS = 'id, pair_id, starts_at, duration_minutes, organiser_zone, proposed_by, status, responded_by, responded_at, version, created_at';

const toCheckIn = (r: CheckInRow): CheckIn => ({
  id: r.id,
  pairId: r.pair_id,
  startsAt: r.starts_at,
  durationMinutes: r.duration_minutes,
  organiserZone: r.organiser_zone,
  proposedBy: r.proposed_by,
  status: r.status,
  respondedBy: r.responded_by,
  respondedAt: r.responded_at,
  version: r.version,
  createdAt: r.created_at,
});

export async function getCheckIn(db: Db, id: string): Promise<CheckIn | null> {
  const row = await db.prepare(`SELECT ${COLUMNS} FROM checkins WHERE id = ?`).bind(id).first<CheckInRow>();
  return row ? toCheckIn(row) : null;
}

/** The pair's scheduled check-in (past or future), or null. */
export async function getScheduledCheckIn(db: Db, pairId: string): Promise<CheckIn | null> {
  const row = await db.prepare(`SELECT ${COLUMNS} FROM checkins WHERE pair_id = ? AND status = 'scheduled'`).bind(pairId).first<CheckInRow>();
  return row ? toCheckIn(row) : null;
}

/** Proposals still waiting for an answer whose time has not passed, soonest first. */
export async function listOpenProposals(db: Db, pairId: string, now: string): Promise<CheckIn[]> {
  const { results } = await db
    .prepare(`SELECT ${COLUMNS} FROM checkins WHERE pair_id = ? AND status = 'proposed' AND starts_at > ? ORDER BY starts_at, id LIMIT 50`)
    .bind(pairId, now)
    .all<CheckInRow>();
  return results.map(toCheckIn);
}

/** Every check-in of a pair, oldest first (the member's data export). */
export async function listPairCheckIns(db: Db, pairId: string): Promise<CheckIn[]> {
  const { results } = await db.prepare(`SELECT ${COLUMNS} FROM checkins WHERE pair_id = ? ORDER BY created_at, id LIMIT 10000`).bind(pairId).all<CheckInRow>();
  return results.map(toCheckIn);
}

/** Open proposals of a pair (their time not passed), to cap how many one pair can pile up. */
export async function countOpenProposals(db: Db, pairId: string, now: string): Promise<number> {
  const row = await db
    .prepare(`SELECT COUNT(*) AS n FROM checkins WHERE pair_id = ? AND status = 'proposed' AND starts_at > ?`)
    .bind(pairId, now)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

export interface NewCheckInRow {
  id: string;
  pairId: string;
  orgId: string;
  startsAt: string;
  durationMinutes: number;
  organiserZone: string;
  proposedBy: string;
}

/** Inserts a proposal with its client-generated id; a retried insert changes nothing. */
export async function insertCheckIn(db: Db, c: NewCheckInRow): Promise<void> {
  const now = nowIso();
  await db
    .prepare(
      `INSERT INTO checkins (id, pair_id, org_id, starts_at, duration_minutes, organiser_zone, proposed_by, status, version, created_at, updated_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'proposed', 1, ?8, ?8)
       ON CONFLICT (id) DO NOTHING`,
    )
    .bind(c.id, c.pairId, c.orgId, c.startsAt, c.durationMinutes, c.organiserZone, c.proposedBy, now)
    .run();
}

/**
 * Accepts a proposal, in one D1 batch (atomic: D1 has no interactive transactions): the pair's scheduled check-in
 * and its other open proposals are cancelled, and the proposal becomes the scheduled one. Every statement is
 * guarded by the proposal still being open at `version`, so a proposal accepted, declined or withdrawn meanwhile
 * changes nothing at all. True when it was accepted.
 */
export async function acceptCheckIn(db: Db, c: { id: string; pairId: string; version: number }, by: string): Promise<boolean> {
  const now = nowIso();
  const stillOpen = `EXISTS (SELECT 1 FROM checkins t WHERE t.id = ?1 AND t.status = 'proposed' AND t.version = ?2)`;
  const results = await db.batch([
    db
      .prepare(
        `UPDATE checkins SET status = 'cancelled', cancelled_by = ?4, cancelled_at = ?5, version = version + 1, updated_at = ?5
          WHERE pair_id = ?3 AND id <> ?1 AND status IN ('scheduled', 'proposed') AND ${stillOpen}`,
      )
      .bind(c.id, c.version, c.pairId, by, now),
    db
      .prepare(
        `UPDATE checkins SET status = 'scheduled', responded_by = ?3, responded_at = ?4, version = version + 1, updated_at = ?4
          WHERE id = ?1 AND status = 'proposed' AND version = ?2`,
      )
      .bind(c.id, c.version, by, now),
  ]);
  return (results[1]?.meta.changes ?? 0) > 0;
}

/** Declines an open proposal; true when it was still open at `version`. */
export async function declineCheckIn(db: Db, c: { id: string; version: number }, by: string): Promise<boolean> {
  const now = nowIso();
  const res = await db
    .prepare(
      `UPDATE checkins SET status = 'declined', responded_by = ?3, responded_at = ?4, version = version + 1, updated_at = ?4
        WHERE id = ?1 AND status = 'proposed' AND version = ?2`,
    )
    .bind(c.id, c.version, by, now)
    .run();
  return res.meta.changes > 0;
}

/** Withdraws a proposal or calls off the scheduled check-in; true when it was unchanged since `version`. */
export async function cancelCheckIn(db: Db, c: { id: string; version: number }, by: string): Promise<boolean> {
  const now = nowIso();
  const res = await db
    .prepare(
      `UPDATE checkins SET status = 'cancelled', cancelled_by = ?3, cancelled_at = ?4, version = version + 1, updated_at = ?4
        WHERE id = ?1 AND status IN ('proposed', 'scheduled') AND version = ?2`,
    )
    .bind(c.id, c.version, by, now)
    .run();
  return res.meta.changes > 0;
}

/** A scheduled check-in as the admin pair page shows it: when, and whether a meeting of the pair was held near it. */
export interface ScheduledVersusHeld {
  id: string;
  startsAt: string;
  durationMinutes: number;
  organiserZone: string;
  /** 'scheduled' while it is the pair's current one; 'cancelled' when called off or replaced after its start. */
  status: CheckInStatus;
  /** The start of the pair's meeting nearest the scheduled start within the window, or null: not held. */
  heldAt: string | null;
}

/** A meeting counts as the check-in held when it started within this many hours either side of the scheduled start. */
export const HELD_WINDOW_HOURS = 12;

/**
 * The pair's past scheduled check-ins, newest first, with whether a meeting was held within ±HELD_WINDOW_HOURS of
 * each. "Past scheduled" means accepted (responded_at set, not declined), starting before `now`, and not cancelled
 * before its start: a check-in called off ahead of time was never due; one replaced by the next accepted time after
 * it had passed was. The meeting lookup uses the meetings_pair index (pair_id, started_at).
 */
export async function listScheduledVersusHeld(db: Db, pairId: string, now: string, limit = 20): Promise<ScheduledVersusHeld[]> {
  const windowMs = HELD_WINDOW_HOURS * 3_600_000;
  const { results } = await db
    .prepare(
      `SELECT c.id, c.starts_at, c.duration_minutes, c.organiser_zone, c.status,
              (SELECT m.started_at FROM meetings m
                WHERE m.pair_id = c.pair_id
                  AND m.started_at >= strftime('%Y-%m-%dT%H:%M:%fZ', c.starts_at, ?3)
                  AND m.started_at <= strftime('%Y-%m-%dT%H:%M:%fZ', c.starts_at, ?4)
                ORDER BY abs(julianday(m.started_at) - julianday(c.starts_at)) LIMIT 1) AS held_at
         FROM checkins c
        WHERE c.pair_id = ?1 AND c.status IN ('scheduled', 'cancelled') AND c.responded_at IS NOT NULL AND c.starts_at < ?2
          AND (c.cancelled_at IS NULL OR c.cancelled_at >= c.starts_at)
        ORDER BY c.starts_at DESC LIMIT ?5`,
    )
    .bind(pairId, now, `-${windowMs / 1000} seconds`, `+${windowMs / 1000} seconds`, limit)
    .all<{ id: string; starts_at: string; duration_minutes: number; organiser_zone: string; status: CheckInStatus; held_at: string | null }>();
  return results.map((r) => ({
    id: r.id,
    startsAt: r.starts_at,
    durationMinutes: r.duration_minutes,
    organiserZone: r.organiser_zone,
    status: r.status,
    heldAt: r.held_at,
  }));
}

/**
 * The calendar event's SEQUENCE for the pair. The event's UID is the pair's (one event per pair, which a new time
 * updates), so SEQUENCE has to grow across the pair's check-ins: a check-in's own version starts again at 1 for every
 * new proposal, and a calendar ignores an update whose SEQUENCE is not higher (RFC 5545 §3.8.7.4). The sum of the
 * versions of all the pair's check-ins only ever grows (rows are never deleted, versions only go up) and grows with
 * every change, so it is used instead.
 */
export async function pairCalendarSequence(db: Db, pairId: string): Promise<number> {
  const row = await db.prepare('SELECT COALESCE(SUM(version), 0) AS n FROM checkins WHERE pair_id = ?').bind(pairId).first<{ n: number }>();
  return row?.n ?? 0;
}
