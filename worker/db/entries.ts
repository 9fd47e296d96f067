import type { Entry, EntryCursor, EntryKind, Visibility } from '../../shared/schemas/index.ts';
import { formatEntryCursor } from '../../shared/schemas/index.ts';
import type { Db } from '../env.ts';
import { nowIso } from '../lib/time.ts';
import { type OrderTerm, isNull, sortLikeSql } from './sql-order.ts';

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
  shared_seq: number | null;
  private_seq: number | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

const ENTRY_COLUMNS =
  'id, pair_id, meeting_id, goal_id, author_id, kind, visibility, body, action_owner_id, action_due_on, action_done_at, version, change_seq, shared_seq, private_seq, created_at, updated_at, deleted_at';

/**
 * A deleted entry travels as a tombstone without its body, so clients remove it. `seq` is the entry's number in the
 * stream it is in (shared, or its author's private stream); the internal `change_seq` is never sent.
 */
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
  seq: (r.visibility === 'shared' ? r.shared_seq : r.private_seq) ?? 0,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  deleted: r.deleted_at !== null,
});

// The next numbers of the pair's counters, evaluated inside the writing statement, so they are atomic:
// - NEXT_SEQ: every change of the pair (internal only: it counts private changes, so it is never sent to clients);
// - NEXT_SHARED: the pair's shared stream, which both members read;
// - NEXT_PRIVATE: one author's private stream, which only they read. A private entry shared later keeps its
//   private_seq, so this stream's highest number never goes down (a number is never handed out twice).
// Parameters: {P} is the pair id, {A} the author id (a parameter or the updated row's column).
const NEXT_SEQ = '(SELECT COALESCE(MAX(change_seq), 0) + 1 FROM entries WHERE pair_id = {P})';
const NEXT_SHARED = '(SELECT COALESCE(MAX(s.shared_seq), 0) + 1 FROM entries s WHERE s.pair_id = {P})';
const NEXT_PRIVATE = '(SELECT COALESCE(MAX(o.private_seq), 0) + 1 FROM entries o WHERE o.pair_id = {P} AND o.author_id = {A})';
const sql = (template: string, pair: string, author = '') => template.replace('{P}', pair).replace('{A}', author);

/** Reads one entry by id, as a statement to run in a batch; `entryOf` reads its result. */
export const entryStatement = (db: Db, id: string): D1PreparedStatement => db.prepare(`SELECT ${ENTRY_COLUMNS} FROM entries WHERE id = ?`).bind(id);

export const entryOf = (result: D1Result | undefined): Entry | null => {
  const row = result?.results[0] as EntryRow | undefined;
  return row ? toEntry(row) : null;
};

/** The entry a batch's last statement gave back (its RETURNING row), or null when it wrote nothing. */
const lastRowAsEntry = (results: D1Result[]): Entry | null => entryOf(results.at(-1));

/** An entry's write after `claim` (claimKeyStatements) runs only when the claim's key insert wrote a row. */
const afterClaim = (claim: readonly D1PreparedStatement[]) => (claim.length ? 'changes() = 1' : 'true');

export async function getEntry(db: Db, id: string): Promise<Entry | null> {
  return entryOf(await entryStatement(db, id).all());
}

/** The conditions an entry's write needs, for claimKeyStatements (worker/db/idempotency.ts): parameters from ?8. */
export const entryWriteCondition = {
  /** No entry has the id yet (a create). */
  idFree: (id: string) => ({ condition: 'NOT EXISTS (SELECT 1 FROM entries WHERE id = ?8)', params: [id] }),
  /** The entry is live and still at `version` (an edit). */
  atVersion: (id: string, version: number) => ({
    condition: 'EXISTS (SELECT 1 FROM entries WHERE id = ?8 AND version = ?9 AND deleted_at IS NULL)',
    params: [id, version],
  }),
};

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

/**
 * Inserts an entry with its client-generated id unless the id is taken, and answers with it (RETURNING: https://www.sqlite.org/lang_returning.html),
 * or with null when nothing was written. `claim` runs first in the same batch, which D1 runs as one transaction on one
 * connection: the statements that record the request's Idempotency-Key (claimKeyStatements in
 * worker/db/idempotency.ts), the last of which inserts the key. The entry is written only when that insert wrote a
 * row: SQLite's changes() is "the number of rows inserted by the most recently completed INSERT, DELETE, or UPDATE
 * statement" (https://www.sqlite.org/lang_corefunc.html#changes). So the key and the entry are written together or
 * not at all.
 */
export async function createEntry(db: Db, e: NewEntryRow, claim: D1PreparedStatement[] = []): Promise<Entry | null> {
  const insert = db
    .prepare(
      // INSERT … SELECT with an upsert clause needs a WHERE in its SELECT (https://www.sqlite.org/lang_upsert.html, "Parsing Ambiguity").
      `INSERT INTO entries (id, pair_id, org_id, meeting_id, goal_id, author_id, kind, visibility, body, action_owner_id, action_due_on,
                            version, change_seq, shared_seq, private_seq, created_at, updated_at)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 1, ${sql(NEXT_SEQ, '?2')},
              CASE WHEN ?8 = 'shared' THEN ${sql(NEXT_SHARED, '?2')} END,
              CASE WHEN ?8 = 'private' THEN ${sql(NEXT_PRIVATE, '?2', '?6')} END, ?12, ?13
        WHERE ${afterClaim(claim)}
       ON CONFLICT (id) DO NOTHING
       RETURNING ${ENTRY_COLUMNS}`,
    )
    .bind(e.id, e.pairId, e.orgId, e.meetingId, e.goalId, e.authorId, e.kind, e.visibility, e.body, e.actionOwnerId, e.actionDueOn, e.createdAt, nowIso());
  return lastRowAsEntry(await db.batch([...claim, insert]));
}

export interface EntryChange {
  body: string;
  visibility: Visibility;
  goalId: string | null;
  actionOwnerId: string | null;
  actionDueOn: string | null;
  actionDoneAt: string | null;
}

/**
 * Applies a change when `version` still matches, and answers with the entry as changed, or with null when nothing was
 * written (RETURNING). The change takes the next number of the stream the entry is in after it: a private edit moves
 * only the author's private stream, so the partner's stream does not change. `claim` runs first in the same batch, as
 * for createEntry: the statements that record the request's Idempotency-Key, the update running only when the key's
 * insert wrote a row.
 */
export async function updateEntry(db: Db, id: string, pairId: string, version: number, c: EntryChange, claim: D1PreparedStatement[] = []): Promise<Entry | null> {
  const update = db
    .prepare(
      `UPDATE entries SET body = ?4, visibility = ?5, goal_id = ?6, action_owner_id = ?7, action_due_on = ?8, action_done_at = ?9,
              version = version + 1, change_seq = ${sql(NEXT_SEQ, '?3')},
              shared_seq = CASE WHEN ?5 = 'shared' THEN ${sql(NEXT_SHARED, '?3')} END,
              private_seq = CASE WHEN ?5 = 'private' THEN ${sql(NEXT_PRIVATE, '?3', 'entries.author_id')} ELSE private_seq END,
              updated_at = ?10
        WHERE id = ?1 AND version = ?2 AND deleted_at IS NULL AND ${afterClaim(claim)}
       RETURNING ${ENTRY_COLUMNS}`,
    )
    .bind(id, version, pairId, c.body, c.visibility, c.goalId, c.actionOwnerId, c.actionDueOn, c.actionDoneAt, nowIso());
  return lastRowAsEntry(await db.batch([...claim, update]));
}

/**
 * Deletes an entry: its text is erased at once and a tombstone (ids, kind, times, no body) stays for sync, taking
 * the next number of the entry's stream so readers remove it. Answers with the tombstone, or null when nothing was
 * written; `claim` as for updateEntry.
 */
export async function softDeleteEntry(db: Db, id: string, pairId: string, version: number, claim: D1PreparedStatement[] = []): Promise<Entry | null> {
  const now = nowIso();
  const softDelete = db
    .prepare(
      `UPDATE entries SET deleted_at = ?4, body = '', version = version + 1, change_seq = ${sql(NEXT_SEQ, '?3')},
              shared_seq = CASE WHEN visibility = 'shared' THEN ${sql(NEXT_SHARED, '?3')} ELSE shared_seq END,
              private_seq = CASE WHEN visibility = 'private' THEN ${sql(NEXT_PRIVATE, '?3', 'entries.author_id')} ELSE private_seq END,
              updated_at = ?4
        WHERE id = ?1 AND version = ?2 AND deleted_at IS NULL AND ${afterClaim(claim)}
       RETURNING ${ENTRY_COLUMNS}`,
    )
    .bind(id, version, pairId, now);
  return lastRowAsEntry(await db.batch([...claim, softDelete]));
}

/**
 * Entries of a pair changed after `since`, as the viewer may see them: the pair's shared stream and the viewer's own
 * private stream, each read after its part of the cursor. Nothing the partner does privately is in either stream,
 * so it changes neither the entries, nor the cursor, nor its gaps. A page holds at most `limit` entries, merged from
 * the two streams in order of change; each stream's cursor moves to its last entry on the page.
 */
export async function listEntriesSince(
  db: Db,
  pairId: string,
  viewerId: string,
  since: EntryCursor,
  limit: number,
): Promise<{ entries: Entry[]; cursor: string; hasMore: boolean }> {
  const [sharedPage, privatePage] = await db.batch([
    db
      .prepare(
        `SELECT ${ENTRY_COLUMNS} FROM entries
          WHERE pair_id = ?1 AND shared_seq > ?2 AND visibility = 'shared'
          ORDER BY shared_seq LIMIT ?3`,
      )
      .bind(pairId, since.shared, limit + 1),
    db
      .prepare(
        `SELECT ${ENTRY_COLUMNS} FROM entries
          WHERE pair_id = ?1 AND author_id = ?2 AND private_seq > ?3 AND visibility = 'private'
          ORDER BY private_seq LIMIT ?4`,
      )
      .bind(pairId, viewerId, since.private, limit + 1),
  ]);
  const shared = (sharedPage?.results ?? []) as EntryRow[];
  const own = (privatePage?.results ?? []) as EntryRow[];
  // Merged in the order of the changes (the internal counter orders both streams alike and is not sent): merging
  // two ordered lists keeps each one's order, so what is taken from each stream is a prefix of it.
  const entries: Entry[] = [];
  const cursor = { ...since };
  let s = 0;
  let o = 0;
  while (entries.length < limit && (s < shared.length || o < own.length)) {
    const a = shared[s];
    const b = own[o];
    if (a && (!b || a.change_seq < b.change_seq)) {
      entries.push(toEntry(a));
      cursor.shared = a.shared_seq ?? cursor.shared;
      s++;
    } else if (b) {
      entries.push(toEntry(b));
      cursor.private = b.private_seq ?? cursor.private;
      o++;
    }
  }
  const hasMore = s < shared.length || o < own.length;
  return { entries, cursor: formatEntryCursor(cursor), hasMore };
}

/** Open (not done, not deleted) actions of a pair that the viewer may see, unsorted (`openActionsFrom` orders them). */
export const listOpenActionsStatement = (db: Db, pairId: string, viewerId: string) =>
  db
    .prepare(
      `SELECT ${ENTRY_COLUMNS} FROM entries
        WHERE pair_id = ?1 AND kind = 'action' AND action_done_at IS NULL AND deleted_at IS NULL
          AND (visibility = 'shared' OR author_id = ?2)`,
    )
    .bind(pairId, viewerId);
export const entriesFrom = (rows: readonly unknown[]): Entry[] => (rows as EntryRow[]).map(toEntry);

/** ORDER BY action_due_on IS NULL, action_due_on, created_at, id: done in the worker (a SQL sort reads every row twice, see sql-order.ts). */
const OPEN_ACTION_ORDER: readonly OrderTerm<EntryRow>[] = [
  { by: (e) => isNull(e.action_due_on) },
  { by: (e) => e.action_due_on },
  { by: (e) => e.created_at },
  { by: (e) => e.id },
];
export const openActionsFrom = (rows: readonly unknown[]): Entry[] => entriesFrom(sortLikeSql(rows as EntryRow[], OPEN_ACTION_ORDER));

export async function listOpenActions(db: Db, pairId: string, viewerId: string): Promise<Entry[]> {
  return openActionsFrom((await listOpenActionsStatement(db, pairId, viewerId).all<EntryRow>()).results);
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
