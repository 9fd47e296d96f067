import type { AgendaItem } from '../../shared/schemas/index.ts';
import type { Db } from '../env.ts';
import { nowIso } from '../lib/time.ts';
import { type OrderTerm, isNull, sortLikeSql } from './sql-order.ts';

interface AgendaRow {
  id: string;
  pair_id: string;
  author_id: string;
  body: string;
  position: number;
  done_at: string | null;
  version: number;
  created_at: string;
}

const AGENDA_COLUMNS = 'id, pair_id, author_id, body, position, done_at, version, created_at';
const toAgendaItem = (r: AgendaRow): AgendaItem => ({
  id: r.id,
  pairId: r.pair_id,
  authorId: r.author_id,
  body: r.body,
  position: r.position,
  doneAt: r.done_at,
  version: r.version,
  createdAt: r.created_at,
});

/** Done items stay visible for two days so a pair sees what they covered in the last meeting. */
const KEEP_DONE_MS = 2 * 86_400_000;

/** The pair's agenda as the call context shows it, unsorted (`agendaFrom` orders it); a statement, so the context reads everything in one batch. */
export const listAgendaStatement = (db: Db, pairId: string) =>
  db
    .prepare(
      `SELECT ${AGENDA_COLUMNS} FROM agenda_items
        WHERE pair_id = ?1 AND deleted_at IS NULL AND (done_at IS NULL OR done_at > ?2)`,
    )
    .bind(pairId, new Date(Date.now() - KEEP_DONE_MS).toISOString());

/** ORDER BY done_at IS NOT NULL, position, created_at, id: done in the worker (a SQL sort reads every row twice, see sql-order.ts). */
const AGENDA_ORDER: readonly OrderTerm<AgendaRow>[] = [
  { by: (a) => 1 - isNull(a.done_at) },
  { by: (a) => a.position },
  { by: (a) => a.created_at },
  { by: (a) => a.id },
];
export const agendaFrom = (rows: readonly unknown[]): AgendaItem[] => sortLikeSql(rows as AgendaRow[], AGENDA_ORDER).map(toAgendaItem);

export async function listAgenda(db: Db, pairId: string): Promise<AgendaItem[]> {
  return agendaFrom((await listAgendaStatement(db, pairId).all<AgendaRow>()).results);
}

export async function getAgendaItem(db: Db, id: string): Promise<(AgendaItem & { deleted: boolean }) | null> {
  const row = await db.prepare(`SELECT ${AGENDA_COLUMNS}, deleted_at FROM agenda_items WHERE id = ?`).bind(id).first<AgendaRow & { deleted_at: string | null }>();
  return row ? { ...toAgendaItem(row), deleted: row.deleted_at !== null } : null;
}

export async function insertAgendaItem(db: Db, a: { id: string; pairId: string; authorId: string; body: string; position?: number }): Promise<void> {
  const now = nowIso();
  await db
    .prepare(
      `INSERT INTO agenda_items (id, pair_id, author_id, body, position, created_at, updated_at)
       VALUES (?1, ?2, ?3, ?4, COALESCE(?5, (SELECT COALESCE(MAX(position), -1) + 1 FROM agenda_items WHERE pair_id = ?2)), ?6, ?6)
       ON CONFLICT (id) DO NOTHING`,
    )
    .bind(a.id, a.pairId, a.authorId, a.body, a.position ?? null, now)
    .run();
}

export async function updateAgendaItem(db: Db, a: { id: string; version: number; body?: string; position?: number; done?: boolean }): Promise<boolean> {
  const now = nowIso();
  const res = await db
    .prepare(
      `UPDATE agenda_items SET body = COALESCE(?3, body), position = COALESCE(?4, position),
              done_at = CASE WHEN ?5 IS NULL THEN done_at WHEN ?5 = 1 THEN COALESCE(done_at, ?6) ELSE NULL END,
              version = version + 1, updated_at = ?6
        WHERE id = ?1 AND version = ?2 AND deleted_at IS NULL`,
    )
    .bind(a.id, a.version, a.body ?? null, a.position ?? null, a.done === undefined ? null : a.done ? 1 : 0, now)
    .run();
  return res.meta.changes > 0;
}

/** Deletes an item: its text is erased at once; the row stays (no text) so a retried create cannot bring it back. */
export async function deleteAgendaItem(db: Db, id: string, version: number): Promise<boolean> {
  const now = nowIso();
  const res = await db
    .prepare(
      `UPDATE agenda_items SET deleted_at = ?3, body = '', version = version + 1, updated_at = ?3
        WHERE id = ?1 AND version = ?2 AND deleted_at IS NULL`,
    )
    .bind(id, version, now)
    .run();
  return res.meta.changes > 0;
}
