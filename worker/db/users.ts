import { z } from 'zod';
import type { NewUser, Organisation, Role, User } from '../../shared/schemas/index.ts';
import { NewUser as NewUserSchema, UserPatch } from '../../shared/schemas/index.ts';
import type { Db } from '../env.ts';
import { nowIso } from '../lib/time.ts';

export interface UserRow {
  id: string;
  org_id: string;
  role: Role;
  name: string;
  email: string;
  time_zone: string;
  work_start_minute: number;
  work_end_minute: number;
  skills: string;
  interests: string;
  goals: string;
  capacity: number;
  status: 'active' | 'revoked';
  created_at: string;
}

const StringList = z.array(z.string()).catch([]);
const parseList = (json: string) => StringList.parse(safeJson(json));
export function safeJson(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    return undefined;
  }
}

export const toUser = (r: UserRow): User => ({
  id: r.id,
  orgId: r.org_id,
  role: r.role,
  name: r.name,
  email: r.email,
  timeZone: r.time_zone,
  workingHours: { startMinute: r.work_start_minute, endMinute: r.work_end_minute },
  skills: parseList(r.skills),
  interests: parseList(r.interests),
  goals: parseList(r.goals),
  capacity: r.capacity,
  status: r.status,
  createdAt: r.created_at,
});

export const USER_COLUMNS =
  'id, org_id, role, name, email, time_zone, work_start_minute, work_end_minute, skills, interests, goals, capacity, status, created_at';

export async function getUser(db: Db, id: string): Promise<User | null> {
  const row = await db.prepare(`SELECT ${USER_COLUMNS} FROM users WHERE id = ?`).bind(id).first<UserRow>();
  return row ? toUser(row) : null;
}

export async function getOrganisation(db: Db, id: string): Promise<Organisation | null> {
  return db.prepare('SELECT id, name FROM organisations WHERE id = ?').bind(id).first<Organisation>();
}

export async function listUsers(db: Db, orgId: string, role?: Role): Promise<User[]> {
  const { results } = await db
    .prepare(`SELECT ${USER_COLUMNS} FROM users WHERE org_id = ?1 AND (?2 IS NULL OR role = ?2) ORDER BY role, name`)
    .bind(orgId, role ?? null)
    .all<UserRow>();
  return results.map(toUser);
}

export async function findUserByEmail(db: Db, orgId: string, email: string): Promise<User | null> {
  const row = await db
    .prepare(`SELECT ${USER_COLUMNS} FROM users WHERE org_id = ? AND email = ? COLLATE NOCASE`)
    .bind(orgId, email)
    .first<UserRow>();
  return row ? toUser(row) : null;
}

/**
 * Adds a person. Emails are stored lowercased, so the unique (org, email) key is case-insensitive in effect; when a
 * concurrent request took the email first, the insert changes nothing (the caller checks `meta.changes`) instead
 * of failing with a constraint error.
 */
/** A new user's column values from `role` to `capacity`, defaults applied, in the order of USER_INSERT_COLUMNS. */
export function newUserValues(input: z.output<typeof NewUserSchema>): (string | number)[] {
  return [
    input.role,
    input.name,
    input.email.toLowerCase(),
    input.timeZone,
    input.workingHours?.startMinute ?? 540,
    input.workingHours?.endMinute ?? 1020,
    JSON.stringify(input.skills),
    JSON.stringify(input.interests),
    JSON.stringify(input.goals),
    input.capacity ?? (input.role === 'mentor' ? 3 : 0),
  ];
}

export const USER_INSERT_COLUMNS =
  'id, org_id, role, name, email, time_zone, work_start_minute, work_end_minute, skills, interests, goals, capacity, status, created_at, updated_at';

export function insertUserStatement(db: Db, orgId: string, id: string, input: z.output<typeof NewUserSchema>) {
  const now = nowIso();
  return db
    .prepare(
      `INSERT INTO users (${USER_INSERT_COLUMNS})
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?)
       ON CONFLICT (org_id, email) DO NOTHING`,
    )
    .bind(id, orgId, ...newUserValues(input), now, now);
}

export type NewUserInput = NewUser;

/** Changes the given fields; like the insert, a lost race on the email changes nothing (`OR IGNORE`). */
export function updateUserStatement(db: Db, orgId: string, id: string, patch: z.output<typeof UserPatch>) {
  return db
    .prepare(
      `UPDATE OR IGNORE users SET
         name = COALESCE(?3, name), email = COALESCE(?4, email), time_zone = COALESCE(?5, time_zone),
         work_start_minute = COALESCE(?6, work_start_minute), work_end_minute = COALESCE(?7, work_end_minute),
         skills = COALESCE(?8, skills), interests = COALESCE(?9, interests), goals = COALESCE(?10, goals),
         capacity = COALESCE(?11, capacity), updated_at = ?12
       WHERE org_id = ?1 AND id = ?2`,
    )
    .bind(
      orgId,
      id,
      patch.name ?? null,
      patch.email?.toLowerCase() ?? null,
      patch.timeZone ?? null,
      patch.workingHours?.startMinute ?? null,
      patch.workingHours?.endMinute ?? null,
      patch.skills ? JSON.stringify(patch.skills) : null,
      patch.interests ? JSON.stringify(patch.interests) : null,
      patch.goals ? JSON.stringify(patch.goals) : null,
      patch.capacity ?? null,
      nowIso(),
    );
}

/** Revoking access: the user can no longer sign in, and every token and open invitation stops working at once. */
export function revokeUserStatements(db: Db, orgId: string, id: string) {
  const now = nowIso();
  return [
    db.prepare(`UPDATE users SET status = 'revoked', updated_at = ?3 WHERE org_id = ?1 AND id = ?2`).bind(orgId, id, now),
    db.prepare('UPDATE tokens SET revoked_at = ?2 WHERE user_id = ?1 AND revoked_at IS NULL').bind(id, now),
    db.prepare('UPDATE invitations SET revoked_at = ?2 WHERE user_id = ?1 AND revoked_at IS NULL AND redeemed_at IS NULL').bind(id, now),
    // Their devices are sent no new keys (issue 10): the partner's next key rotation leaves them out.
    db.prepare('UPDATE device_keys SET revoked_at = ?2 WHERE user_id = ?1 AND revoked_at IS NULL').bind(id, now),
  ];
}
