import type { Db } from '../env.ts';
import { nowIso } from '../lib/time.ts';

export interface StoredResponse {
  requestHash: string;
  status: number;
  body: string;
}

export async function findIdempotentResponse(db: Db, userId: string, key: string): Promise<StoredResponse | null> {
  return db
    .prepare('SELECT request_hash AS requestHash, status, response_body AS body FROM idempotency_keys WHERE user_id = ? AND key = ?')
    .bind(userId, key)
    .first<StoredResponse>();
}

export async function saveIdempotentResponse(db: Db, r: StoredResponse & { userId: string; key: string }): Promise<void> {
  await db
    .prepare(
      'INSERT INTO idempotency_keys (user_id, key, request_hash, status, response_body, created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
    )
    .bind(r.userId, r.key, r.requestHash, r.status, r.body, nowIso())
    .run();
}
