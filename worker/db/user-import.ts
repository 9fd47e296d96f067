import type { z } from 'zod';
import type { NewUser, User } from '../../shared/schemas/index.ts';
import type { Db } from '../env.ts';
import { nowIso } from '../lib/time.ts';
import { USER_COLUMNS, USER_INSERT_COLUMNS, newUserValues, toUser, type UserRow } from './users.ts';

/** D1 allows 100 bound parameters per statement. */
const MAX_PARAMS = 100;
/** Parameters per inserted user (the organisation and the time are shared: ?1 and ?2). */
const PARAMS_PER_USER = 11;
export const USERS_PER_INSERT = Math.floor((MAX_PARAMS - 2) / PARAMS_PER_USER);

/** Which of these emails (any case) already belong to someone in the organisation; one parameter for the list. */
export async function findTakenEmails(db: Db, orgId: string, emails: string[]): Promise<Set<string>> {
  if (!emails.length) return new Set();
  const { results } = await db
    .prepare(`SELECT lower(email) AS email FROM users WHERE org_id = ?1 AND lower(email) IN (SELECT lower(value) FROM json_each(?2))`)
    .bind(orgId, JSON.stringify(emails))
    .all<{ email: string }>();
  return new Set(results.map((r) => r.email));
}

export type ImportedUser = { id: string; input: z.output<typeof NewUser> };

/**
 * Multi-row inserts of at most USERS_PER_INSERT people each, so no statement exceeds 100 parameters. An email taken
 * meanwhile (a concurrent add) is skipped, not failed: `readUsersStatement` then shows who was really created.
 */
export function insertUsersStatements(db: Db, orgId: string, users: ImportedUser[]): D1PreparedStatement[] {
  const now = nowIso();
  const statements: D1PreparedStatement[] = [];
  for (let i = 0; i < users.length; i += USERS_PER_INSERT) {
    const chunk = users.slice(i, i + USERS_PER_INSERT);
    const params: unknown[] = [orgId, now];
    const rows = chunk.map(({ id, input }) => {
      const n = params.length;
      params.push(id, ...newUserValues(input));
      const p = (k: number) => `?${n + k}`;
      return `(${p(1)}, ?1, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)}, ${p(7)}, ${p(8)}, ${p(9)}, ${p(10)}, ${p(11)}, 'active', ?2, ?2)`;
    });
    statements.push(
      db
        .prepare(
          `INSERT INTO users (${USER_INSERT_COLUMNS})
           VALUES ${rows.join(', ')}
           ON CONFLICT (org_id, email) DO NOTHING`,
        )
        .bind(...params),
    );
  }
  return statements;
}

/** Reads the given users back (one parameter for the list), in the order of `ids`. */
export function readUsersStatement(db: Db, orgId: string, ids: string[]): D1PreparedStatement {
  return db
    .prepare(
      `SELECT ${USER_COLUMNS} FROM users
        WHERE org_id = ?1 AND id IN (SELECT value FROM json_each(?2))`,
    )
    .bind(orgId, JSON.stringify(ids));
}

export function usersFromResult(result: D1Result | undefined, ids: string[]): User[] {
  const byId = new Map(((result?.results ?? []) as UserRow[]).map((r) => [r.id, toUser(r)]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}
