import { Hono } from 'hono';
import { z } from 'zod';
import type { Goal } from '../../shared/schemas/index.ts';
import { GoalPatch, Id, MilestonePatch, NewGoal, NewMilestone, PairQuery } from '../../shared/schemas/index.ts';
import { getGoal, getMilestone, insertGoal, insertMilestone, listGoalHistory, listGoalsOfPair, updateGoal, updateMilestone } from '../db/goals.ts';
import type { AuthUser, Db } from '../env.ts';
import type { AppEnv } from '../env.ts';
import { type Membership, requirePairMember, requireWritable } from '../lib/access.ts';
import { ApiError, forbidden, notFound, versionConflict } from '../lib/errors.ts';
import { newId } from '../lib/ids.ts';
import { requireCiphertextOnceEncrypted } from '../lib/e2ee.ts';
import { idempotency, requireAuth, requireMember } from '../lib/middleware.ts';
import { validate } from '../lib/validate.ts';
import { tellPair } from '../live/notify.ts';

const IdParam = z.object({ id: Id });

/** The mentor edits every goal of the pair; the mentee edits their own goals. */
function requireGoalEditor(m: Membership, goal: Pick<Goal, 'ownerId'>, userId: string): void {
  if (m.myRole !== 'mentor' && goal.ownerId !== userId) throw forbidden('Only the mentor or the goal owner can change this goal');
}

/**
 * Whether a goal's title is shown to the programme is the mentee's choice about their own goal (issue 10): not the
 * mentor's, though the mentor edits every goal of the pair.
 */
function requireProgrammeTitleSetter(m: Membership, goal: Pick<Goal, 'ownerId'>, userId: string): void {
  if (m.myRole !== 'mentee' || goal.ownerId !== userId) throw forbidden('Only the mentee whose goal this is can show its title to the programme');
}

async function loadGoal(db: Db, auth: AuthUser, id: string): Promise<{ goal: Goal; membership: Membership }> {
  const goal = await getGoal(db, id);
  if (!goal) throw notFound('Goal');
  const membership = await requirePairMember(db, auth, goal.pairId);
  return { goal, membership };
}

export const goalRoutes = new Hono<AppEnv>()
  .use(requireAuth, requireMember, idempotency)
  .get('/', validate('query', PairQuery), async (c) => {
    const { pair } = await requirePairMember(c.var.db, c.var.auth, c.req.valid('query').pairId);
    return c.json({ goals: await listGoalsOfPair(c.var.db, pair.id) }, 200);
  })
  .post('/', validate('json', NewGoal), async (c) => {
    const db = c.var.db;
    const auth = c.var.auth;
    const input = c.req.valid('json');
    const membership = await requirePairMember(db, auth, input.pairId);
    requireWritable(membership);
    const { pair } = membership;
    const ownerId = input.ownerId ?? pair.menteeId;
    if (ownerId !== pair.menteeId && ownerId !== pair.mentorId) {
      throw new ApiError(400, 'invalid_input', 'The goal owner must be a member of the pair', { issues: [{ path: ['ownerId'], message: 'Not a member of this pair' }] });
    }
    requireGoalEditor(membership, { ownerId }, auth.id);
    const existing = await getGoal(db, input.id);
    if (existing) {
      // A retried create: answer with what is stored, unless the id belongs to something else.
      if (existing.pairId !== pair.id) throw new ApiError(409, 'conflict', 'This id is already in use');
      return c.json({ goal: existing }, 200);
    }
    await requireCiphertextOnceEncrypted(db, pair.id, { title: input.title, specific: input.specific, measure: input.measure, target: input.target, relevance: input.relevance });
    await insertGoal(db, {
      id: input.id,
      pairId: pair.id,
      orgId: pair.orgId,
      ownerId,
      authorId: auth.id,
      revisionId: newId(),
      state: { ...input, status: 'active' },
    });
    const goal = await getGoal(db, input.id);
    if (!goal) throw notFound('Goal');
    // A concurrent create with the same id for another pair won the insert: never answer with that pair's goal.
    if (goal.pairId !== pair.id) throw new ApiError(409, 'conflict', 'This id is already in use');
    tellPair(c, pair.id, { topic: 'goals' });
    return c.json({ goal }, 201);
  })
  .get('/:id', validate('param', IdParam), async (c) => {
    const { goal } = await loadGoal(c.var.db, c.var.auth, c.req.valid('param').id);
    return c.json({ goal }, 200);
  })
  .patch('/:id', validate('param', IdParam), validate('json', GoalPatch), async (c) => {
    const db = c.var.db;
    const patch = c.req.valid('json');
    const { goal, membership } = await loadGoal(db, c.var.auth, c.req.valid('param').id);
    requireWritable(membership);
    requireGoalEditor(membership, goal, c.var.auth.id);
    const { version, note, programmeTitle, ...changes } = patch;
    if (programmeTitle !== undefined) requireProgrammeTitleSetter(membership, goal, c.var.auth.id);
    if (goal.version !== version) throw versionConflict(goal);
    await requireCiphertextOnceEncrypted(db, goal.pairId, { title: changes.title, specific: changes.specific, measure: changes.measure, target: changes.target, relevance: changes.relevance, note });
    const state = {
      title: changes.title ?? goal.title,
      specific: changes.specific ?? goal.specific,
      measure: changes.measure ?? goal.measure,
      target: changes.target ?? goal.target,
      relevance: changes.relevance ?? goal.relevance,
      dueOn: changes.dueOn === undefined ? goal.dueOn : changes.dueOn,
      status: changes.status ?? goal.status,
      progress: changes.progress ?? goal.progress,
    };
    // Reaching 100% completes an active goal; that is what "done" means on the goal card.
    if (changes.progress === 100 && changes.status === undefined && state.status === 'active') state.status = 'completed';
    // Only the programme title changed: the goal's history (its SMART fields, status and progress) has nothing new.
    const revise = Object.values(changes).some((v) => v !== undefined);
    const changed = await updateGoal(db, { id: goal.id, version, authorId: c.var.auth.id, revisionId: newId(), state, note: note ?? '', revise, programmeTitle });
    const current = await getGoal(db, goal.id);
    if (!current) throw notFound('Goal');
    if (!changed) throw versionConflict(current);
    tellPair(c, current.pairId, { topic: 'goals' });
    return c.json({ goal: current }, 200);
  })
  .get('/:id/history', validate('param', IdParam), async (c) => {
    const { goal } = await loadGoal(c.var.db, c.var.auth, c.req.valid('param').id);
    return c.json({ history: await listGoalHistory(c.var.db, goal.id) }, 200);
  })
  .post('/:id/milestones', validate('param', IdParam), validate('json', NewMilestone), async (c) => {
    const db = c.var.db;
    const input = c.req.valid('json');
    const { goal, membership } = await loadGoal(db, c.var.auth, c.req.valid('param').id);
    requireWritable(membership);
    requireGoalEditor(membership, goal, c.var.auth.id);
    const existing = await getMilestone(db, input.id);
    if (existing && existing.goalId !== goal.id) throw new ApiError(409, 'conflict', 'This id is already in use');
    if (!existing) await requireCiphertextOnceEncrypted(db, goal.pairId, { title: input.title });
    if (!existing) await insertMilestone(db, { id: input.id, goalId: goal.id, pairId: goal.pairId, title: input.title, dueOn: input.dueOn });
    const milestone = await getMilestone(db, input.id);
    if (!milestone) throw notFound('Milestone');
    // As for goals: a concurrent create with the same id on another goal won the insert.
    if (milestone.goalId !== goal.id) throw new ApiError(409, 'conflict', 'This id is already in use');
    const { pairId: _pairId, ...body } = milestone;
    if (!existing) tellPair(c, goal.pairId, { topic: 'goals' });
    return c.json({ milestone: body }, existing ? 200 : 201);
  })
  .patch('/milestones/:id', validate('param', IdParam), validate('json', MilestonePatch), async (c) => {
    const db = c.var.db;
    const patch = c.req.valid('json');
    const milestone = await getMilestone(db, c.req.valid('param').id);
    if (!milestone) throw notFound('Milestone');
    const { goal, membership } = await loadGoal(db, c.var.auth, milestone.goalId);
    requireWritable(membership);
    requireGoalEditor(membership, goal, c.var.auth.id);
    await requireCiphertextOnceEncrypted(db, goal.pairId, { title: patch.title });
    const changed = await updateMilestone(db, { id: milestone.id, ...patch });
    const current = await getMilestone(db, milestone.id);
    if (!current) throw notFound('Milestone');
    const { pairId: _pairId, ...body } = current;
    if (!changed) throw versionConflict(body);
    tellPair(c, goal.pairId, { topic: 'goals' });
    return c.json({ milestone: body }, 200);
  });
