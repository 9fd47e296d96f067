import type { User } from '../../shared/schemas/index.ts';
import type { Db } from '../env.ts';
import { USER_COLUMNS, toUser, type UserRow } from './users.ts';

/** An active mentee of the organisation, or null (another organisation's, a mentor, revoked: all "not found"). */
export async function getActiveMentee(db: Db, orgId: string, menteeId: string): Promise<User | null> {
  const row = await db
    .prepare(`SELECT ${USER_COLUMNS} FROM users WHERE id = ?1 AND org_id = ?2 AND role = 'mentee' AND status = 'active'`)
    .bind(menteeId, orgId)
    .first<UserRow>();
  return row ? toUser(row) : null;
}

export interface MentorCandidate {
  user: User;
  /** Pairs of the mentor that are not ended: a paused pair still holds its place. */
  activePairs: number;
}

/**
 * The organisation's active mentors who are not already paired with this mentee (a pair that is not ended), each
 * with their load (users_org_role, then pairs_mentor per mentor).
 */
export async function listMentorCandidates(db: Db, orgId: string, menteeId: string): Promise<MentorCandidate[]> {
  const { results } = await db
    .prepare(
      `SELECT ${USER_COLUMNS},
              (SELECT COUNT(*) FROM pairs p WHERE p.mentor_id = u.id AND p.status IN ('active', 'paused')) AS active_pairs
         FROM users u
        WHERE u.org_id = ?1 AND u.role = 'mentor' AND u.status = 'active'
          AND NOT EXISTS (SELECT 1 FROM pairs p WHERE p.mentee_id = ?2 AND p.mentor_id = u.id AND p.status != 'ended')`,
    )
    .bind(orgId, menteeId)
    .all<UserRow & { active_pairs: number }>();
  return results.map((r) => ({ user: toUser(r), activePairs: r.active_pairs }));
}
