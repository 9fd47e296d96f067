/** SQL of sealing a goal in place (issue 10, routes/goal-seal.ts): one batch, no revision, the version bumped once. */
import type { SealGoal } from '../../shared/schemas/index.ts';
import type { Db } from '../env.ts';
import { nowIso } from '../lib/time.ts';

/** Ids of the goal's milestones and history rows, to check a request names only those. */
export async function goalPartIds(db: Db, goalId: string): Promise<{ milestones: Set<string>; revisions: Set<string> }> {
  const [milestones, revisions] = await db.batch<{ id: string }>([
    db.prepare('SELECT id FROM milestones WHERE goal_id = ?').bind(goalId),
    db.prepare('SELECT id FROM goal_revisions WHERE goal_id = ?').bind(goalId),
  ]);
  return { milestones: new Set((milestones?.results ?? []).map((r) => r.id)), revisions: new Set((revisions?.results ?? []).map((r) => r.id)) };
}

/**
 * Replaces the goal's text with sealed text when its version is `version`. Returns false when it changed meanwhile
 * (nothing written). Milestones and history rows are written only together with the goal, in the same batch.
 */
export async function sealGoalText(db: Db, goalId: string, input: SealGoal & { version: number }): Promise<boolean> {
  const now = nowIso();
  const g = input.goal;
  const statements = [
    db
      .prepare(
        `UPDATE goals SET title = ?3, specific = ?4, measure = ?5, target = ?6, relevance = ?7, version = version + 1, updated_at = ?8
         WHERE id = ?1 AND version = ?2`,
      )
      .bind(goalId, input.version, g.title, g.specific, g.measure, g.target, g.relevance, now),
    // The rest only if the goal row just moved to version + 1 (it is the first statement of the same batch).
    ...input.milestones.map((m) =>
      db
        .prepare(`UPDATE milestones SET title = ?3, version = version + 1, updated_at = ?4 WHERE id = ?1 AND goal_id = ?2 AND EXISTS (SELECT 1 FROM goals WHERE id = ?2 AND version = ?5 AND updated_at = ?4)`)
        .bind(m.id, goalId, m.title, now, input.version + 1),
    ),
    ...input.revisions.map((r) =>
      db
        .prepare(
          `UPDATE goal_revisions
              SET note = ?3,
                  snapshot = json_set(snapshot, '$.title', ?4, '$.specific', ?5, '$.measure', ?6, '$.target', ?7, '$.relevance', ?8)
            WHERE id = ?1 AND goal_id = ?2 AND EXISTS (SELECT 1 FROM goals WHERE id = ?2 AND version = ?9 AND updated_at = ?10)`,
        )
        .bind(r.id, goalId, r.note, r.snapshot.title, r.snapshot.specific, r.snapshot.measure, r.snapshot.target, r.snapshot.relevance, input.version + 1, now),
    ),
  ];
  const [first] = await db.batch(statements);
  return (first?.meta.changes ?? 0) > 0;
}
