import type { Db } from '../env.ts';
import { nowIso } from '../lib/time.ts';

/**
 * What is kept of a write sent with an Idempotency-Key: never its answer (that held invitation codes and note text),
 * only the status and which resource it created or changed, re-read on a replay. Status 0 marks a key reserved by a
 * request still running; while it is, `resource_id` holds that request's reservation id, so the request can tell its
 * own reservation from another's (after a D1 call whose answer was lost) and never completes or releases another's.
 */
export interface StoredOutcome {
  requestHash: string;
  status: number;
  resourceType: string;
  resourceId: string;
  createdAt: string;
}

export const IN_PROGRESS = 0;

/** Keys are kept this long, then treated as unknown and purged by the cron trigger (worker/scheduled.ts). */
export const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;

const expiredBefore = (nowMs: number) => new Date(nowMs - IDEMPOTENCY_TTL_MS).toISOString();

/** Reads the stored outcome of a key, unless it has expired (an expired key is as good as absent). */
export function storedOutcomeStatement(db: Db, userId: string, key: string): D1PreparedStatement {
  return db
    .prepare(
      `SELECT request_hash AS requestHash, status, resource_type AS resourceType, resource_id AS resourceId, created_at AS createdAt
         FROM idempotency_keys WHERE user_id = ? AND key = ? AND created_at >= ?`,
    )
    .bind(userId, key, expiredBefore(Date.now()));
}

export const storedOutcomeOf = (result: D1Result | undefined): StoredOutcome | null => (result?.results[0] ?? null) as StoredOutcome | null;

export async function findIdempotentOutcome(db: Db, userId: string, key: string): Promise<StoredOutcome | null> {
  return storedOutcomeStatement(db, userId, key).first<StoredOutcome>();
}

/** Makes way for a new claim of the key: a reservation older than `staleBefore` (its request died) or an expired key goes. */
function clearStaleKeyStatement(db: Db, r: { userId: string; key: string; staleBefore: string }): D1PreparedStatement {
  return db
    .prepare('DELETE FROM idempotency_keys WHERE user_id = ?1 AND key = ?2 AND ((status = ?3 AND created_at < ?4) OR created_at < ?5)')
    .bind(r.userId, r.key, IN_PROGRESS, r.staleBefore, expiredBefore(Date.now()));
}

/**
 * Claims the key before the handler runs, so two simultaneous requests with one key cannot both write. A
 * reservation older than `staleBefore` was left by a request that died and is taken over; an expired key is
 * replaced. True when claimed.
 */
export async function reserveIdempotencyKey(
  db: Db,
  r: { userId: string; key: string; requestHash: string; reservation: string; staleBefore: string },
): Promise<boolean> {
  const [, insert] = await db.batch([
    clearStaleKeyStatement(db, r),
    db
      .prepare(
        `INSERT INTO idempotency_keys (user_id, key, request_hash, status, resource_type, resource_id, created_at) VALUES (?, ?, ?, ?, '', ?, ?)
         ON CONFLICT DO NOTHING`,
      )
      .bind(r.userId, r.key, r.requestHash, IN_PROGRESS, r.reservation, nowIso()),
  ]);
  return (insert?.meta.changes ?? 0) > 0;
}

/**
 * For a write that records its key in the same D1 batch as the write itself: the key is inserted at once as done with
 * `status`, naming the resource, when it is free (or held only by a stale reservation or an expired key) and
 * `onlyIf.condition` holds, the condition the write itself needs (the id is free, the version still matches). Else
 * nothing is written, and the changes() the write that follows reads is 0, so it writes nothing either. The batch is
 * one transaction: the key and the write happen together or not at all, with no reservation to complete.
 * `onlyIf.condition` is SQL whose parameters are ?8, ?9, … (`onlyIf.params`, in order): ?1–?7 are the key's.
 */
export function claimKeyStatements(
  db: Db,
  r: { userId: string; key: string; requestHash: string; staleBefore: string; status: number; resourceType: string; resourceId: string },
  onlyIf: { condition: string; params: unknown[] },
): D1PreparedStatement[] {
  return [
    clearStaleKeyStatement(db, r),
    db
      .prepare(
        // INSERT … SELECT with an upsert clause needs a WHERE in its SELECT (https://www.sqlite.org/lang_upsert.html, "Parsing Ambiguity").
        `INSERT INTO idempotency_keys (user_id, key, request_hash, status, resource_type, resource_id, created_at)
         SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7 WHERE ${onlyIf.condition}
         ON CONFLICT DO NOTHING`,
      )
      .bind(r.userId, r.key, r.requestHash, r.status, r.resourceType, r.resourceId, nowIso(), ...onlyIf.params),
  ];
}

/** Records the outcome on the request's own reservation; running it twice changes nothing the second time. */
export async function completeIdempotencyKey(
  db: Db,
  r: { userId: string; key: string; reservation: string; status: number; resourceType: string; resourceId: string },
): Promise<void> {
  await db
    .prepare('UPDATE idempotency_keys SET status = ?, resource_type = ?, resource_id = ? WHERE user_id = ? AND key = ? AND status = ? AND resource_id = ?')
    .bind(r.status, r.resourceType, r.resourceId, r.userId, r.key, IN_PROGRESS, r.reservation)
    .run();
}

/** A request that did not succeed stores nothing: the same key may be tried again. Only its own reservation goes. */
export async function releaseIdempotencyKey(db: Db, r: { userId: string; key: string; reservation: string }): Promise<void> {
  await db
    .prepare('DELETE FROM idempotency_keys WHERE user_id = ? AND key = ? AND status = ? AND resource_id = ?')
    .bind(r.userId, r.key, IN_PROGRESS, r.reservation)
    .run();
}

/** Deletes keys older than the TTL (the cron trigger); returns how many. */
export async function purgeExpiredIdempotencyKeys(db: Db, nowMs: number): Promise<number> {
  const res = await db.prepare('DELETE FROM idempotency_keys WHERE created_at < ?').bind(expiredBefore(nowMs)).run();
  return res.meta.changes;
}
