/**
 * `POST /goals/:id/seal` (issue 10): a member's device seals a goal's existing plain text in place once the pair is
 * end-to-end encrypted (shared/schemas/goal-seal.ts says what and where). Mounted at /goals after goalRoutes, whose
 * sub-app middleware (requireAuth, requireMember, idempotency) Hono applies to every /goals/* path; no `.use` here (it
 * would run idempotency twice), as routes/checkins.ts and routes/keys.ts.
 *
 * Who: whoever may edit the goal (the mentor, or the mentee who owns it). The pair must be encrypted already, and not
 * ended (its records are read-only then). The server cannot check that the sealed text is the text it replaces; it
 * checks that every value is sealed, so the route can only ever take plain text away.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { Id, SealGoal } from '../../shared/schemas/index.ts';
import { getGoal } from '../db/goals.ts';
import { goalPartIds, sealGoalText } from '../db/goal-seal.ts';
import { pairEncryptedSince } from '../db/keys.ts';
import type { AppEnv } from '../env.ts';
import { requirePairMember, requireWritable } from '../lib/access.ts';
import { ApiError, forbidden, notFound, versionConflict } from '../lib/errors.ts';
import { validate } from '../lib/validate.ts';
import { tellPair } from '../live/notify.ts';

const invalid = (path: (string | number)[], message: string) => new ApiError(400, 'invalid_input', `${path.join('.')}: ${message}`, { issues: [{ path, message }] });

export const goalSealRoutes = new Hono<AppEnv>().post('/:id/seal', validate('param', z.object({ id: Id })), validate('json', SealGoal), async (c) => {
  const db = c.var.db;
  const auth = c.var.auth;
  const goal = await getGoal(db, c.req.valid('param').id);
  if (!goal) throw notFound('Goal');
  const membership = await requirePairMember(db, auth, goal.pairId);
  if (membership.myRole !== 'mentor' && goal.ownerId !== auth.id) throw forbidden('Only the mentor or the goal owner can change this goal');
  requireWritable(membership);
  if ((await pairEncryptedSince(db, goal.pairId)) === null) {
    throw new ApiError(409, 'conflict', "This pair's notes are not end-to-end encrypted yet: publish its key first");
  }
  const input = c.req.valid('json');
  const parts = await goalPartIds(db, goal.id);
  input.milestones.forEach((m, i) => {
    if (!parts.milestones.has(m.id)) throw invalid(['milestones', i, 'id'], 'Not a milestone of this goal');
  });
  input.revisions.forEach((r, i) => {
    if (!parts.revisions.has(r.id)) throw invalid(['revisions', i, 'id'], 'Not a revision of this goal');
  });
  if (input.version !== goal.version || !(await sealGoalText(db, goal.id, input))) {
    throw versionConflict((await getGoal(db, goal.id)) ?? goal);
  }
  const sealed = await getGoal(db, goal.id);
  if (!sealed) throw notFound('Goal');
  tellPair(c, goal.pairId, { topic: 'goals' });
  return c.json({ goal: sealed }, 200);
});
