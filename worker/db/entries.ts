import type { Entry, EntryKind, Visibility } from '../../shared/schemas/index.ts';
import type { Db } from '../env.ts';
import { nowIso } from '../lib/time.ts';

interface EntryRow {
  id: string;
  pair_id: string;
  meeting_id: string | null;
  goal_id: string | null;
  author_id: string;
  kind: EntryKind;
  visibility: Visibility;
  body: string;
  action_owner_id: string | null;
  action_due_on: string | null;
  action_done_at: string | null;
  version: number;
  change_seq: number;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

const ENTRY_COLUMNS =
  'id, pair_id, meeting_id, goal_id, author_id, kind, visibility, body, action_owner_id, action_due_on, action_done_at, version, change_seq, created_at, updated_at, deleted_at';

/** A deleted entry travels as a tombstone without its body, so clients remove it. */
export const toEntry = (r: EntryRow): Entry => ({
  id: r.id,
  pairId: r.pair_id,
  meetingId: r.meeting_id,
  goalId: r.goal_id,
  authorId: r.author_id,
  kind: r.kind,
  visibility: r.visibility,
  body: r.deleted_at ? '' : r.body,
  actionOwnerId: r.action_owner_id,
  actionDueOn: r.action_due_on,
  actionDoneAt: r.action_done_at,
  version: r.version,
  seq: r.change_seq,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  deleted: r.deleted_at !== null,
});

// The next number of the pair's change counter; evaluated inside the writing statement, so it is atomic.
const NEXT_SEQ = '(SELECT COALESCE(MAX(change_seq), 0) + 1 FROM entries WHERE pair_id = ?)';

export async function getEntry(db: Db, id: string): Promise<Entry | null> {
  const row = await db.prepare(`SELECT ${ENTRY_COLUMNS} FROM entries WHERE id = ?`).bind(id).first<EntryRow>();
  return row ? toEntry(row) : null;
}

export interface NewEntryRow {
  id: string;
  pairId: string;
  orgId: string;
  meetingId: string | null;
  goalId: string | null;
  authorId: string;
  kind: EntryKind;
  visibility: Visibility;
  body: string;
  actionOwnerId: string | null;
  actionDueOn: string | null;
  createdAt: string;
}

/** Inserts an entry with its client-generated id; a retried insert changes nothing. */
export async function insertEntry(db: Db, e: NewEntryRow): Promise<void> {
  await db
    .prepare(
      `INSERT INTO entries (id, pair_id, org_id, meeting_id, goal_id, author_id, kind, visibility, body, action_owner_id, action_due_on,
                            version, change_seq, created_at, updated_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 1, ${NEXT_SEQ.replace('?', '?2')}, ?12, ?13)
       ON CONFLICT (id) DO NOTHING`,
    )
    .bind(e.id, e.pairId, e.orgId, e.meetingId, e.goalId, e.authorId, e.kind, e.visibility, e.body, e.actionOwnerId, e.actionDueOn, e.createdAt, nowIso())
    .run();
}

export interface EntryChange {
  body: string;
  visibility: Visibility;
  goalId: string | null;
  actionOwnerId: string | null;
  actionDueOn: string | null;
  actionDoneAt: string | null;
}

/** Applies a change when `version` still matches; every change takes the next number of the pair's counter. */
export async function updateEntry(db: Db, id: string, pairId: string, version: number, c: EntryChange): Promise<boolean> {
  const res = await db
    .prepare(
      `UPDATE entries SET body = ?4, visibility = ?5, goal_id = ?6, action_owner_id = ?7, action_due_on = ?8, action_done_at = ?9,
              version = version + 1, change_seq = ${NEXT_SEQ.replace('?', '?3')}, updated_at = ?10
        WHERE id = ?1 AND version = ?2 AND deleted_at IS NULL`,
    )
    .bind(id, version, pairId, c.body, c.visibility, c.goalId, c.actionOwnerId, c.actionDueOn, c.actionDoneAt, nowIso())
    .run();
  return res.meta.changes > 0;
}

export async function softDeleteEntry(db: Db, id: string, pairId: string, version: number): Promise<boolean> {
  const now = nowIso();
  const res = await db
    .prepare(
      `UPDATE entries SET deleted_at = ?4, body = '', version = version + 1, change_seq = ${NEXT_SEQ.replace('?', '?3')}, updated_at = ?4
        WHERE id = ?1 AND version = ?2 AND deleted_at IS NULL`,
    )
    .bind(id, version, pairId, now)
    .run();
  return res.meta.changes > 0;
}

/**
 * Entries of a pair changed after `since`, as the viewer may see them: shared ones and the viewer's own private
 * ones. The returned cursor passes over entries the viewer may not see, so they are not scanned again.
 */
export async function listEntriesSince(
  db: Db,
  pairId: string,
  viewerId: string,
  since: number,
  limit: number,
): Promise<{ entries: Entry[]; cursor: number; hasMore: boolean }> {
  const [page, top] = await db.batch([
    db
      .prepare(
        `SELECT ${ENTRY_COLUMNS} FROM entries
          WHERE pair_id = ?1 AND change_seq > ?2 AND (visibility = 'shared' OR author_id = ?3)
          ORDER BY change_seq LIMIT ?4`,
      )
      .bind(pairId, since, viewerId, limit + 1),
    db.prepare('SELECT COALESCE(MAX(change_seq), 0) AS top FROM entries WHERE pair_id = ?').bind(pairId),
  ]);
  const rows = (page?.results ?? []) as EntryRow[];
  const hasMore = rows.length > limit;
  const entries = rows.slice(0, limit).map(toEntry);
  const topSeq = ((top?.results ?? [])[0] as { top: number } | undefined)?.top ?? since;
  const cursor = hasMore ? (entries.at(-1)?.seq ?? since) : Math.max(since, topSeq);
  return { entries, cursor, hasMore };
}

/** Open (not done, not deleted) actions of a pair that the viewer may see. */
export async function listOpenActions(db: Db, pairId: string, viewerId: string): Promise<Entry[]> {
  const { results } = await db
    .prepare(
      `SELECT ${ENTRY_COLUMNS} FROM entries
        WHERE pair_id = ?1 AND kind = 'action' AND action_done_at IS NULL AND deleted_at IS NULL
          AND (visibility = 'shared' OR author_id = ?2)
        ORDER BY action_due_on IS NULL, action_due_on, created_at`,
    )
    .bind(pairId, viewerId)
    .all<EntryRow>();
  return results.map(toEntry);
}

/** Entry counts per kind for the admin view: numbers only, never bodies. */
export async function countEntriesByKind(db: Db, orgId: string, pairId: string): Promise<Record<EntryKind, number>> {
  const { results } = await db
    .prepare('SELECT kind, COUNT(*) AS n FROM entries WHERE org_id = ? AND pair_id = ? AND deleted_at IS NULL GROUP BY kind')
    .bind(orgId, pairId)
    .all<{ kind: EntryKind; n: number }>();
  const counts: Record<EntryKind, number> = { note: 0, action: 0, decision: 0, question: 0 };
  for (const r of results) counts[r.kind] = r.n;
  return counts;
}
