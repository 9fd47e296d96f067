import type { Db } from '../env.ts';
import { nowIso } from '../lib/time.ts';

/** A stored answer; status 0 marks a key reserved by a request still running. */
export interface StoredResponse {
  requestHash: string;
  status: number;
  body: string;
  createdAt: string;
}

export const IN_PROGRESS = 0;

export async function findIdempotentResponse(db: Db, userId: string, key: string): Promise<StoredResponse | null> {
  return db
    .prepare(
      'SELECT request_hash AS requestHash, status, response_body AS body, created_at AS createdAt FROM idempotency_keys WHERE user_id = ? AND key = ?',
    )
    .bind(userId, key)
    .first<StoredResponse>();
}

/**
 * Claims the key before the handler runs, so two simultaneous requests with one key cannot both write. A
 * reservation older than `staleBefore` was left by a request that died and is taken over. True when claimed.
 */
export async function reserveIdempotencyKey(db: Db, r: { userId: string; key: string; requestHash: string; staleBefore: string }): Promise<boolean> {
  const [, insert] = await db.batch([
    db
      .prepare('DELETE FROM idempotency_keys WHERE user_id = ? AND key = ? AND status = ? AND created_at < ?')
      .bind(r.userId, r.key, IN_PROGRESS, r.staleBefore),
    db
      .prepare(
        `INSERT INTO idempotency_keys (user_id, key, request_hash, status, response_body, created_at) VALUES (?, ?, ?, ?, '', ?)
         ON CONFLICT DO NOTHING`,
      )
      .bind(r.userId, r.key, r.requestHash, IN_PROGRESS, nowIso()),
  ]);
  return (insert?.meta.changes ?? 0) > 0;
}

export async function completeIdempotencyKey(db: Db, r: { userId: string; key: string; status: number; body: string }): Promise<void> {
  await db
    .prepare('UPDATE idempotency_keys SET status = ?, response_body = ? WHERE user_id = ? AND key = ? AND status = ?')
    .bind(r.status, r.body, r.userId, r.key, IN_PROGRESS)
    .run();
}

/** A request that did not succeed stores nothing: the same key may be tried again. */
export async function releaseIdempotencyKey(db: Db, userId: string, key: string): Promise<void> {
  await db.prepare('DELETE FROM idempotency_keys WHERE user_id = ? AND key = ? AND status = ?').bind(userId, key, IN_PROGRESS).run();
}
