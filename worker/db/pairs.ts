import type { AdminPair, Cadence, MeetingLinks, Pair, PairStatus, PairSummary, Person } from '../../shared/schemas/index.ts';
import { MeetingLinks as MeetingLinksSchema } from '../../shared/schemas/index.ts';
import type { Db } from '../env.ts';
import { nowIso } from '../lib/time.ts';
import { type OrderTerm, sortLikeSql } from './sql-order.ts';
import { safeJson } from './users.ts';

export interface PairRow {
  id: string;
  org_id: string;
  mentor_id: string;
  mentee_id: string;
  status: PairStatus;
  cadence: Cadence;
  meeting_links: string;
  started_on: string;
  ended_on: string | null;
  version: number;
}

export const PAIR_COLUMNS = 'p.id, p.org_id, p.mentor_id, p.mentee_id, p.status, p.cadence, p.meeting_links, p.started_on, p.ended_on, p.version';

export const toPair = (r: PairRow): Pair => ({
  id: r.id,
  orgId: r.org_id,
  mentorId: r.mentor_id,
  menteeId: r.mentee_id,
  status: r.status,
  cadence: r.cadence,
  meetingLinks: MeetingLinksSchema.catch({}).parse(safeJson(r.meeting_links)),
  startedOn: r.started_on,
  endedOn: r.ended_on,
  version: r.version,
});

/** Reads one pair by id, as a statement to run in a batch; `pairOf` reads its result. */
export const pairStatement = (db: Db, id: string): D1PreparedStatement => db.prepare(`SELECT ${PAIR_COLUMNS} FROM pairs p WHERE p.id = ?`).bind(id);

/** Reads the pair of an entry (none when there is no such entry), as a statement to run in a batch. */
export const pairOfEntryStatement = (db: Db, entryId: string): D1PreparedStatement =>
  db.prepare(`SELECT ${PAIR_COLUMNS} FROM pairs p WHERE p.id = (SELECT pair_id FROM entries WHERE id = ?)`).bind(entryId);

export const pairOf = (result: D1Result | undefined): Pair | null => {
  const row = result?.results[0] as PairRow | undefined;
  return row ? toPair(row) : null;
};

export async function getPair(db: Db, id: string): Promise<Pair | null> {
  return pairOf(await pairStatement(db, id).all());
}

interface PairWithPartnerRow extends PairRow {
  partner_id: string;
  partner_role: 'mentor' | 'mentee';
  partner_name: string;
  partner_time_zone: string;
  partner_work_start: number;
  partner_work_end: number;
}

/** The partner's columns, as `u`, for the pair `p`. */
const PARTNER_COLUMNS = `u.id AS partner_id, u.role AS partner_role, u.name AS partner_name, u.time_zone AS partner_time_zone,
  u.work_start_minute AS partner_work_start, u.work_end_minute AS partner_work_end`;

/** ORDER BY CASE status WHEN 'active' THEN 0 WHEN 'paused' THEN 1 ELSE 2 END, started_on DESC, id */
const MEMBER_PAIR_ORDER: readonly OrderTerm<PairWithPartnerRow>[] = [
  { by: (p) => (p.status === 'active' ? 0 : p.status === 'paused' ? 1 : 2) },
  { by: (p) => p.started_on, desc: true },
  { by: (p) => p.id },
];

/**
 * The pairs a mentor or mentee belongs to, with what they may see of their partner: one index lookup per role, each
 * joined to the partner by primary key, sorted in the worker (a SQL sort reads every row twice, see sql-order.ts).
 * A pair's two members differ, so no pair comes twice. (The IN-subquery with a CASE join it replaces read 6 rows for
 * a mentor's one pair; this reads 3: the pair, the index entry after the mentor's last, and the partner.)
 */
export async function listPairsOfMember(db: Db, userId: string): Promise<PairSummary[]> {
  const { results: unsorted } = await db
    .prepare(
      `SELECT ${PAIR_COLUMNS}, ${PARTNER_COLUMNS} FROM pairs p JOIN users u ON u.id = p.mentee_id WHERE p.mentor_id = ?1
       UNION ALL
       SELECT ${PAIR_COLUMNS}, ${PARTNER_COLUMNS} FROM pairs p JOIN users u ON u.id = p.mentor_id WHERE p.mentee_id = ?1`,
    )
    .bind(userId)
    .all<PairWithPartnerRow>();
  const results = sortLikeSql(unsorted, MEMBER_PAIR_ORDER);
  return results.map((r) => ({
    ...toPair(r),
    myRole: r.mentor_id === userId ? 'mentor' : 'mentee',
    partner: {
      id: r.partner_id,
      role: r.partner_role,
      name: r.partner_name,
      timeZone: r.partner_time_zone,
      workingHours: { startMinute: r.partner_work_start, endMinute: r.partner_work_end },
    },
  }));
}

type PersonRow = { id: string; role: Person['role']; name: string; time_zone: string; work_start_minute: number; work_end_minute: number };
const PERSON_COLUMNS = 'id, role, name, time_zone, work_start_minute, work_end_minute';
const toPerson = (r: PersonRow): Person => ({ id: r.id, role: r.role, name: r.name, timeZone: r.time_zone, workingHours: { startMinute: r.work_start_minute, endMinute: r.work_end_minute } });

export async function getPerson(db: Db, id: string): Promise<Person | null> {
  const r = await db.prepare(`SELECT ${PERSON_COLUMNS} FROM users WHERE id = ?`).bind(id).first<PersonRow>();
  return r ? toPerson(r) : null;
}

/**
 * Two people in one statement (the call context's me and partner): two primary-key lookups. `id IN (?1, ?2)` walks
 * its list as an ephemeral table (OpenEphemeral, https://sqlite.org/opcode.html#OpenEphemeral) whose steps D1 counts
 * as rows read too (see sql-order.ts): 4 rows read for 2, where this reads 2.
 */
export const getPeopleStatement = (db: Db, a: string, b: string) =>
  db.prepare(`SELECT ${PERSON_COLUMNS} FROM users WHERE id = ?1 UNION ALL SELECT ${PERSON_COLUMNS} FROM users WHERE id = ?2`).bind(a, b);
export const peopleFrom = (rows: readonly unknown[]): Map<string, Person> => new Map((rows as PersonRow[]).map((r) => [r.id, toPerson(r)]));

// ---- admin --------------------------------------------------------------------------------------

interface AdminPairRow extends PairRow {
  mentor_name: string;
  mentor_tz: string;
  mentee_name: string;
  mentee_tz: string;
  last_meeting_at: string | null;
  meeting_count: number;
}

const ADMIN_PAIR_SELECT = `
  SELECT ${PAIR_COLUMNS}, mr.name AS mentor_name, mr.time_zone AS mentor_tz, me.name AS mentee_name, me.time_zone AS mentee_tz,
         (SELECT MAX(m.started_at) FROM meetings m WHERE m.pair_id = p.id) AS last_meeting_at,
         (SELECT COUNT(*) FROM meetings m WHERE m.pair_id = p.id) AS meeting_count
    FROM pairs p JOIN users mr ON mr.id = p.mentor_id JOIN users me ON me.id = p.mentee_id`;

const toAdminPair = (r: AdminPairRow): AdminPair => ({
  ...toPair(r),
  mentor: { id: r.mentor_id, name: r.mentor_name, timeZone: r.mentor_tz },
  mentee: { id: r.mentee_id, name: r.mentee_name, timeZone: r.mentee_tz },
  lastMeetingAt: r.last_meeting_at,
  meetingCount: r.meeting_count,
});

export async function listOrgPairs(db: Db, orgId: string, status?: PairStatus): Promise<AdminPair[]> {
  const { results } = await db
    .prepare(`${ADMIN_PAIR_SELECT} WHERE p.org_id = ?1 AND (?2 IS NULL OR p.status = ?2) ORDER BY mr.name, me.name`)
    .bind(orgId, status ?? null)
    .all<AdminPairRow>();
  return results.map(toAdminPair);
}

export async function getOrgPair(db: Db, orgId: string, id: string): Promise<AdminPair | null> {
  const row = await db.prepare(`${ADMIN_PAIR_SELECT} WHERE p.org_id = ? AND p.id = ?`).bind(orgId, id).first<AdminPairRow>();
  return row ? toAdminPair(row) : null;
}

export function insertPairStatement(
  db: Db,
  p: { id: string; orgId: string; mentorId: string; menteeId: string; cadence: Cadence; meetingLinks: MeetingLinks; startedOn: string },
) {
  const now = nowIso();
  return db
    .prepare(
      `INSERT INTO pairs (id, org_id, mentor_id, mentee_id, status, cadence, meeting_links, started_on, created_at, updated_at)
       VALUES (?, ?, ?, ?, 'active', ?, ?, ?, ?, ?)`,
    )
    .bind(p.id, p.orgId, p.mentorId, p.menteeId, p.cadence, JSON.stringify(p.meetingLinks), p.startedOn, now, now);
}

/** Applies a change only when `version` still matches (optimistic concurrency). */
export function updatePairStatement(
  db: Db,
  orgId: string,
  id: string,
  patch: { version: number; status?: PairStatus; cadence?: Cadence; meetingLinks?: MeetingLinks },
  today: string,
) {
  return db
    .prepare(
      `UPDATE pairs SET
         status = COALESCE(?4, status),
         cadence = COALESCE(?5, cadence),
         meeting_links = COALESCE(?6, meeting_links),
         ended_on = CASE WHEN ?4 = 'ended' THEN COALESCE(ended_on, ?7) WHEN ?4 IS NOT NULL THEN NULL ELSE ended_on END,
         version = version + 1,
         updated_at = ?8
       WHERE org_id = ?1 AND id = ?2 AND version = ?3`,
    )
    .bind(orgId, id, patch.version, patch.status ?? null, patch.cadence ?? null, patch.meetingLinks ? JSON.stringify(patch.meetingLinks) : null, today, nowIso());
}
