import type { Goal, GoalRevision, GoalStatus, Milestone } from '../../shared/schemas/index.ts';
import { GoalSnapshot } from '../../shared/schemas/index.ts';
import type { Db } from '../env.ts';
import { nowIso } from '../lib/time.ts';
import { type OrderTerm, isNull, sortLikeSql } from './sql-order.ts';
import { safeJson } from './users.ts';

interface GoalRow {
  id: string;
  pair_id: string;
  owner_id: string;
  title: string;
  specific: string;
  measure: string;
  target: string;
  relevance: string;
  due_on: string | null;
  status: GoalStatus;
  progress: number;
  programme_title: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

interface MilestoneRow {
  id: string;
  goal_id: string;
  title: string;
  due_on: string | null;
  done_at: string | null;
  version: number;
  created_at: string;
}

const GOAL_COLUMNS = 'id, pair_id, owner_id, title, specific, measure, target, relevance, due_on, status, progress, programme_title, version, created_at, updated_at';
const MILESTONE_COLUMNS = 'id, goal_id, title, due_on, done_at, version, created_at';

const toMilestone = (r: MilestoneRow): Milestone => ({ id: r.id, goalId: r.goal_id, title: r.title, dueOn: r.due_on, doneAt: r.done_at, version: r.version });

const toGoal = (r: GoalRow, milestones: Milestone[]): Goal => ({
  id: r.id,
  pairId: r.pair_id,
  ownerId: r.owner_id,
  title: r.title,
  specific: r.specific,
  measure: r.measure,
  target: r.target,
  relevance: r.relevance,
  dueOn: r.due_on,
  status: r.status,
  progress: r.progress,
  programmeTitle: r.programme_title,
  version: r.version,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  milestones,
});

/**
 * The pair's goals and their milestones: two indexed statements, for a batch of the caller's (the call context's) or
 * alone. Unsorted: `goalsFrom` puts them in order (a SQL sort would read every row twice, see sql-order.ts).
 */
export const listGoalsOfPairStatements = (db: Db, pairId: string) =>
  [
    db.prepare(`SELECT ${GOAL_COLUMNS} FROM goals WHERE pair_id = ?`).bind(pairId),
    db.prepare(`SELECT ${MILESTONE_COLUMNS} FROM milestones WHERE pair_id = ?`).bind(pairId),
  ] as const;

const GOAL_STATUS_ORDER: Record<GoalStatus, number> = { active: 0, paused: 1, completed: 2, dropped: 3 };

/** ORDER BY CASE status WHEN 'active' THEN 0 WHEN 'paused' THEN 1 WHEN 'completed' THEN 2 ELSE 3 END, due_on IS NULL, due_on, created_at, id */
const GOAL_ORDER: readonly OrderTerm<GoalRow>[] = [
  { by: (g) => GOAL_STATUS_ORDER[g.status] ?? 3 },
  { by: (g) => isNull(g.due_on) },
  { by: (g) => g.due_on },
  { by: (g) => g.created_at },
  { by: (g) => g.id },
];

/** ORDER BY due_on IS NULL, due_on, created_at, id */
const MILESTONE_ORDER: readonly OrderTerm<MilestoneRow>[] = [
  { by: (m) => isNull(m.due_on) },
  { by: (m) => m.due_on },
  { by: (m) => m.created_at },
  { by: (m) => m.id },
];

export function goalsFrom(goals: readonly unknown[], milestones: readonly unknown[]): Goal[] {
  const byGoal = Map.groupBy(sortLikeSql(milestones as MilestoneRow[], MILESTONE_ORDER), (m) => m.goal_id);
  return sortLikeSql(goals as GoalRow[], GOAL_ORDER).map((g) => toGoal(g, (byGoal.get(g.id) ?? []).map(toMilestone)));
}

export async function listGoalsOfPair(db: Db, pairId: string): Promise<Goal[]> {
  const [goals, milestones] = await db.batch([...listGoalsOfPairStatements(db, pairId)]);
  return goalsFrom(goals?.results ?? [], milestones?.results ?? []);
}

export async function getGoal(db: Db, id: string): Promise<Goal | null> {
  const [goal, milestones] = await db.batch([
    db.prepare(`SELECT ${GOAL_COLUMNS} FROM goals WHERE id = ?`).bind(id),
    db.prepare(`SELECT ${MILESTONE_COLUMNS} FROM milestones WHERE goal_id = ? ORDER BY due_on IS NULL, due_on, created_at`).bind(id),
  ]);
  const row = (goal?.results ?? [])[0] as GoalRow | undefined;
  return row ? toGoal(row, ((milestones?.results ?? []) as MilestoneRow[]).map(toMilestone)) : null;
}

export interface GoalState {
  title: string;
  specific: string;
  measure: string;
  target: string;
  relevance: string;
  dueOn: string | null;
  status: GoalStatus;
  progress: number;
}

/**
 * Records the goal's state at `version` as a revision, read from the goal row itself: when the write before it in
 * the batch changed nothing (stale version, replayed create), there is no row at that version and nothing is added.
 */
function revisionFromGoal(db: Db, r: { id: string; goalId: string; version: number; authorId: string; note: string }) {
  return db
    .prepare(
      `INSERT INTO goal_revisions (id, goal_id, pair_id, author_id, version, progress, status, snapshot, note, created_at)
       SELECT ?1, id, pair_id, ?3, version, progress, status,
              json_object('title', title, 'specific', specific, 'measure', measure, 'target', target, 'relevance', relevance, 'dueOn', due_on),
              ?4, updated_at
         FROM goals WHERE id = ?2 AND version = ?5
       ON CONFLICT DO NOTHING`,
    )
    .bind(r.id, r.goalId, r.authorId, r.note, r.version);
}

/** Creates a goal and its first revision in one batch; a retried create changes nothing. */
export async function insertGoal(
  db: Db,
  g: { id: string; pairId: string; orgId: string; ownerId: string; authorId: string; revisionId: string; state: GoalState },
): Promise<void> {
  const now = nowIso();
  const s = g.state;
  await db.batch([
    db
      .prepare(
        `INSERT INTO goals (id, pair_id, org_id, owner_id, title, specific, measure, target, relevance, due_on, status, progress, version, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?) ON CONFLICT (id) DO NOTHING`,
      )
      .bind(g.id, g.pairId, g.orgId, g.ownerId, s.title, s.specific, s.measure, s.target, s.relevance, s.dueOn, s.status, s.progress, now, now),
    revisionFromGoal(db, { id: g.revisionId, goalId: g.id, version: 1, authorId: g.authorId, note: 'Created' }),
  ]);
}

/**
 * Applies a change when `version` still matches, and records the new state in the history, in one batch. `revise`
 * false (true when left out): nothing the history keeps changed (only the programme title), so no revision is added; the version moves.
 * `programmeTitle` undefined: left as it is.
 */
export async function updateGoal(
  db: Db,
  g: { id: string; version: number; authorId: string; revisionId: string; state: GoalState; note: string; revise?: boolean; programmeTitle?: string | null },
): Promise<boolean> {
  const s = g.state;
  const [update] = await db.batch([
    db
      .prepare(
        `UPDATE goals SET title = ?3, specific = ?4, measure = ?5, target = ?6, relevance = ?7, due_on = ?8, status = ?9, progress = ?10,
                programme_title = CASE WHEN ?12 = 1 THEN ?13 ELSE programme_title END,
                version = version + 1, updated_at = ?11
          WHERE id = ?1 AND version = ?2`,
      )
      .bind(
        g.id, g.version, s.title, s.specific, s.measure, s.target, s.relevance, s.dueOn, s.status, s.progress, nowIso(),
        g.programmeTitle === undefined ? 0 : 1, g.programmeTitle ?? null,
      ),
    ...(g.revise !== false ? [revisionFromGoal(db, { id: g.revisionId, goalId: g.id, version: g.version + 1, authorId: g.authorId, note: g.note })] : []),
  ]);
  return (update?.meta.changes ?? 0) > 0;
}

interface RevisionRow {
  id: string;
  goal_id: string;
  author_id: string;
  version: number;
  progress: number;
  status: GoalStatus;
  snapshot: string;
  note: string;
  created_at: string;
}

const toRevision = (r: RevisionRow): GoalRevision => ({
  id: r.id,
  goalId: r.goal_id,
  authorId: r.author_id,
  version: r.version,
  progress: r.progress,
  status: r.status,
  snapshot: GoalSnapshot.catch({ title: '', specific: '', measure: '', target: '', relevance: '', dueOn: null }).parse(safeJson(r.snapshot)),
  note: r.note,
  createdAt: r.created_at,
});

export async function listGoalHistory(db: Db, goalId: string): Promise<GoalRevision[]> {
  const { results } = await db
    .prepare('SELECT id, goal_id, author_id, version, progress, status, snapshot, note, created_at FROM goal_revisions WHERE goal_id = ? ORDER BY version')
    .bind(goalId)
    .all<RevisionRow>();
  return results.map(toRevision);
}

/** History of every goal of a pair (admin pair page), one indexed query. */
export async function listPairGoalHistory(db: Db, pairId: string): Promise<GoalRevision[]> {
  const { results } = await db
    .prepare('SELECT id, goal_id, author_id, version, progress, status, snapshot, note, created_at FROM goal_revisions WHERE pair_id = ? ORDER BY created_at, version')
    .bind(pairId)
    .all<RevisionRow>();
  return results.map(toRevision);
}

// ---- milestones ---------------------------------------------------------------------------------

export async function getMilestone(db: Db, id: string): Promise<(Milestone & { pairId: string }) | null> {
  const row = await db.prepare(`SELECT ${MILESTONE_COLUMNS}, pair_id FROM milestones WHERE id = ?`).bind(id).first<MilestoneRow & { pair_id: string }>();
  return row ? { ...toMilestone(row), pairId: row.pair_id } : null;
}

export async function insertMilestone(db: Db, m: { id: string; goalId: string; pairId: string; title: string; dueOn: string | null }): Promise<void> {
  const now = nowIso();
  await db
    .prepare('INSERT INTO milestones (id, goal_id, pair_id, title, due_on, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING')
    .bind(m.id, m.goalId, m.pairId, m.title, m.dueOn, now, now)
    .run();
}

export async function updateMilestone(
  db: Db,
  m: { id: string; version: number; title?: string; dueOn?: string | null; done?: boolean },
): Promise<boolean> {
  const now = nowIso();
  const res = await db
    .prepare(
      `UPDATE milestones SET
         title = COALESCE(?3, title),
         due_on = CASE WHEN ?4 = 1 THEN ?5 ELSE due_on END,
         done_at = CASE WHEN ?6 IS NULL THEN done_at WHEN ?6 = 1 THEN COALESCE(done_at, ?7) ELSE NULL END,
         version = version + 1, updated_at = ?7
       WHERE id = ?1 AND version = ?2`,
    )
    .bind(m.id, m.version, m.title ?? null, m.dueOn !== undefined ? 1 : 0, m.dueOn ?? null, m.done === undefined ? null : m.done ? 1 : 0, now)
    .run();
  return res.meta.changes > 0;
}
