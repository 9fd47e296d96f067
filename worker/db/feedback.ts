import type { Feedback } from '../../shared/schemas/index.ts';
import type { Db } from '../env.ts';
import { nowIso } from '../lib/time.ts';

interface FeedbackRow {
  id: string;
  meeting_id: string;
  pair_id: string;
  author_id: string;
  rating: number;
  comment: string;
  created_at: string;
}

const FEEDBACK_COLUMNS = 'id, meeting_id, pair_id, author_id, rating, comment, created_at';
const toFeedback = (r: FeedbackRow): Feedback => ({
  id: r.id,
  meetingId: r.meeting_id,
  pairId: r.pair_id,
  authorId: r.author_id,
  rating: r.rating,
  comment: r.comment,
  createdAt: r.created_at,
});

/** Once per person per meeting: the unique (meeting, author) key makes a second one change nothing. */
export async function insertFeedback(
  db: Db,
  f: { id: string; meetingId: string; pairId: string; orgId: string; authorId: string; rating: number; comment: string },
): Promise<void> {
  await db
    .prepare(
      `INSERT INTO feedback (id, meeting_id, pair_id, org_id, author_id, rating, comment, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    )
    .bind(f.id, f.meetingId, f.pairId, f.orgId, f.authorId, f.rating, f.comment, nowIso())
    .run();
}

export async function findFeedback(db: Db, meetingId: string, authorId: string): Promise<Feedback | null> {
  const row = await db
    .prepare(`SELECT ${FEEDBACK_COLUMNS} FROM feedback WHERE meeting_id = ? AND author_id = ?`)
    .bind(meetingId, authorId)
    .first<FeedbackRow>();
  return row ? toFeedback(row) : null;
}

/** A member's own feedback on a pair's meetings. */
export async function listOwnFeedback(db: Db, pairId: string, authorId: string): Promise<Feedback[]> {
  const { results } = await db
    .prepare(`SELECT ${FEEDBACK_COLUMNS} FROM feedback WHERE pair_id = ? AND author_id = ? ORDER BY created_at DESC`)
    .bind(pairId, authorId)
    .all<FeedbackRow>();
  return results.map(toFeedback);
}

export async function listPairFeedback(db: Db, pairId: string): Promise<Feedback[]> {
  const { results } = await db
    .prepare(`SELECT ${FEEDBACK_COLUMNS} FROM feedback WHERE pair_id = ? ORDER BY created_at DESC`)
    .bind(pairId)
    .all<FeedbackRow>();
  return results.map(toFeedback);
}
