/**
 * Retention (issue 8): an organisation may have the notes of ended mentorships purged N days after the end
 * (`organisations.retention_days`, default NULL = never). Run by the cron (worker/scheduled.ts).
 *
 * What a purge removes, per pair: every entry (notes, actions, decisions, questions: deleted outright, the pair is
 * read-only so no client syncs it again), every agenda item, the notes of goal revisions and the comments of
 * feedback. What stays, for the programme's figures and the members' record: the pair, its meetings, its goals and
 * milestones (the plan, not notes) and the ratings. The pair is marked `notes_purged_at` and never scanned again.
 */
import type { Db } from '../env.ts';
import { DATA_RIGHTS_ACTIONS, auditStatement } from './audit.ts';

/** Pairs purged per run at most; the cron runs every 15 minutes, so a backlog clears over a few runs. */
const MAX_PAIRS_PER_RUN = 50;

interface DuePair {
  id: string;
  org_id: string;
  actor_id: string | null;
}

/** Purges the notes of every pair due under its organisation's setting as of `now`; returns how many pairs. */
export async function purgeExpiredNotes(db: Db, now: number = Date.now()): Promise<number> {
  const nowIsoText = new Date(now).toISOString();
  const { results } = await db
    .prepare(
      `SELECT p.id, p.org_id,
              COALESCE(o.retention_set_by, (SELECT u.id FROM users u WHERE u.org_id = o.id AND u.role = 'admin' ORDER BY u.created_at LIMIT 1)) AS actor_id
         FROM pairs p JOIN organisations o ON o.id = p.org_id
        WHERE p.status = 'ended' AND p.notes_purged_at IS NULL AND o.retention_days IS NOT NULL
          AND p.ended_on < date(?1, '-' || o.retention_days || ' days')
        ORDER BY p.ended_on LIMIT ?2`,
    )
    .bind(nowIsoText, MAX_PAIRS_PER_RUN)
    .all<DuePair>();
  let purged = 0;
  for (const [orgId, pairs] of Map.groupBy(results, (r) => r.org_id)) {
    const actorId = pairs[0]?.actor_id ?? 'system';
    const statements = pairs.flatMap((p) => [
      db.prepare('DELETE FROM entries WHERE pair_id = ?').bind(p.id),
      db.prepare('DELETE FROM agenda_items WHERE pair_id = ?').bind(p.id),
      db.prepare(`UPDATE goal_revisions SET note = '' WHERE pair_id = ? AND note <> ''`).bind(p.id),
      db.prepare(`UPDATE feedback SET comment = '' WHERE pair_id = ? AND comment <> ''`).bind(p.id),
      db.prepare('UPDATE pairs SET notes_purged_at = ?2 WHERE id = ?1 AND notes_purged_at IS NULL').bind(p.id, nowIsoText),
    ]);
    // Ended pairs take no writes, so counts read now are what the batch deletes.
    const ids = pairs.map((p) => p.id);
    const counted = await db
      .prepare(
        `SELECT (SELECT COUNT(*) FROM entries WHERE pair_id IN (SELECT value FROM json_each(?1))) AS entries,
                (SELECT COUNT(*) FROM agenda_items WHERE pair_id IN (SELECT value FROM json_each(?1))) AS agenda`,
      )
      .bind(JSON.stringify(ids))
      .first<{ entries: number; agenda: number }>();
    await db.batch([
      ...statements,
      auditStatement(db, {
        orgId,
        actorId,
        action: DATA_RIGHTS_ACTIONS.retentionPurge,
        targetType: 'organisation',
        targetId: orgId,
        detail: { pairIds: ids, entriesDeleted: counted?.entries ?? 0, agendaItemsDeleted: counted?.agenda ?? 0 },
      }),
    ]);
    purged += pairs.length;
  }
  return purged;
}
