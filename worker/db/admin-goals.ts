/**
 * A pair's goals as the admin pair page shows them (issue 10): figures and the title the mentee showed the programme.
 * The SQL selects no other text column (title, SMART fields, milestone titles, revision snapshots and notes), so no
 * later change to the answer's shape can leak what the pair keeps to itself, plain or sealed.
 */
import type { AdminGoal, GoalStatus } from '../../shared/schemas/index.ts';
import type { Db } from '../env.ts';

interface AdminGoalRow {
  id: string;
  pair_id: string;
  owner_id: string;
  programme_title: string | null;
  due_on: string | null;
  status: GoalStatus;
  progress: number;
  version: number;
  created_at: string;
  updated_at: string;
}
interface AdminMilestoneRow {
  id: string;
  goal_id: string;
  due_on: string | null;
  done_at: string | null;
}
interface AdminRevisionRow {
  id: string;
  goal_id: string;
  author_id: string;
  version: number;
  progress: number;
  status: GoalStatus;
  created_at: string;
}

/** Three indexed queries in one batch (goals_pair, milestones_pair, goal_revisions_pair), joined in memory. */
export async function listAdminGoalsOfPair(db: Db, pairId: string): Promise<AdminGoal[]> {
  const [goals, milestones, revisions] = await db.batch([
    db
      .prepare(
        `SELECT id, pair_id, owner_id, programme_title, due_on, status, progress, version, created_at, updated_at FROM goals WHERE pair_id = ?
          ORDER BY CASE status WHEN 'active' THEN 0 WHEN 'paused' THEN 1 WHEN 'completed' THEN 2 ELSE 3 END, due_on IS NULL, due_on, created_at`,
      )
      .bind(pairId),
    db.prepare('SELECT id, goal_id, due_on, done_at FROM milestones WHERE pair_id = ? ORDER BY due_on IS NULL, due_on, created_at').bind(pairId),
    db.prepare('SELECT id, goal_id, author_id, version, progress, status, created_at FROM goal_revisions WHERE pair_id = ? ORDER BY created_at, version').bind(pairId),
  ]);
  const milestonesByGoal = Map.groupBy((milestones?.results ?? []) as AdminMilestoneRow[], (m) => m.goal_id);
  const historyByGoal = Map.groupBy((revisions?.results ?? []) as AdminRevisionRow[], (r) => r.goal_id);
  return ((goals?.results ?? []) as AdminGoalRow[]).map((g) => ({
    id: g.id,
    pairId: g.pair_id,
    ownerId: g.owner_id,
    programmeTitle: g.programme_title,
    dueOn: g.due_on,
    status: g.status,
    progress: g.progress,
    version: g.version,
    createdAt: g.created_at,
    updatedAt: g.updated_at,
    milestones: (milestonesByGoal.get(g.id) ?? []).map((m) => ({ id: m.id, dueOn: m.due_on, doneAt: m.done_at })),
    history: (historyByGoal.get(g.id) ?? []).map((r) => ({ id: r.id, authorId: r.author_id, version: r.version, progress: r.progress, status: r.status, createdAt: r.created_at })),
  }));
}
