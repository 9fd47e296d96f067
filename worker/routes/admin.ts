import { Hono } from 'hono';
import { z } from 'zod';
import type { User } from '../../shared/schemas/index.ts';
import { Id, NewInvitation, NewPair, NewUser, PairPatch, PairsQuery, UserPatch, UsersQuery } from '../../shared/schemas/index.ts';
import { auditIfChangedStatement, auditStatement } from '../db/audit.ts';
import { insertInvitationStatement } from '../db/auth.ts';
import { countEntriesByKind } from '../db/entries.ts';
import { listPairFeedback } from '../db/feedback.ts';
import { listGoalsOfPair, listPairGoalHistory } from '../db/goals.ts';
import { listMeetingsOfPair } from '../db/meetings.ts';
import { getOrgPair, insertPairStatement, listOrgPairs, updatePairStatement } from '../db/pairs.ts';
import { findUserByEmail, getUser, insertUserStatement, listUsers, revokeUserStatements, updateUserStatement } from '../db/users.ts';
import type { AuthUser, Db } from '../env.ts';
import type { AppEnv } from '../env.ts';
import { randomSecret, sha256Hex } from '../lib/crypto.ts';
import { ApiError, notFound, versionConflict } from '../lib/errors.ts';
import { newId } from '../lib/ids.ts';
import { addDaysIso, nowIso, todayIso } from '../lib/time.ts';
import { validate } from '../lib/validate.ts';

const IdParam = z.object({ id: Id });

/** A user of the admin's own organisation; anyone else is "not found" (other organisations are invisible). */
async function orgUser(db: Db, auth: AuthUser, id: string): Promise<User> {
  const user = await getUser(db, id);
  if (!user || user.orgId !== auth.orgId) throw notFound('User');
  return user;
}

const emailTaken = () =>
  new ApiError(409, 'conflict', 'Someone in this programme already has this email', { issues: [{ path: ['email'], message: 'Already in use' }] });

/** Mounted in app.ts under /admin, behind requireAuth + requireAdmin + idempotency. */
export const adminRoutes = new Hono<AppEnv>()
  // ---- people -----------------------------------------------------------------------------------
  .get('/users', validate('query', UsersQuery), async (c) => {
    return c.json({ users: await listUsers(c.var.db, c.var.auth.orgId, c.req.valid('query').role) }, 200);
  })
  .post('/users', validate('json', NewUser), async (c) => {
    const db = c.var.db;
    const auth = c.var.auth;
    const input = c.req.valid('json');
    if (await findUserByEmail(db, auth.orgId, input.email)) throw emailTaken();
    const id = newId();
    // The check above gives the usual answer; the guarded insert settles a race between two requests for one email.
    const [inserted] = await db.batch([
      insertUserStatement(db, auth.orgId, id, input),
      auditIfChangedStatement(db, { orgId: auth.orgId, actorId: auth.id, action: 'user.create', targetType: 'user', targetId: id, detail: { role: input.role } }),
    ]);
    if (!inserted?.meta.changes) throw emailTaken();
    return c.json({ user: await orgUser(db, auth, id) }, 201);
  })
  .patch('/users/:id', validate('param', IdParam), validate('json', UserPatch), async (c) => {
    const db = c.var.db;
    const auth = c.var.auth;
    const user = await orgUser(db, auth, c.req.valid('param').id);
    const patch = c.req.valid('json');
    if (patch.email && patch.email.toLowerCase() !== user.email) {
      if (await findUserByEmail(db, auth.orgId, patch.email)) throw emailTaken();
    }
    const [updated] = await db.batch([
      updateUserStatement(db, auth.orgId, user.id, patch),
      auditIfChangedStatement(db, { orgId: auth.orgId, actorId: auth.id, action: 'user.update', targetType: 'user', targetId: user.id, detail: { fields: Object.keys(patch) } }),
    ]);
    // Nothing changed although the person exists: another request took the email in the meantime.
    if (!updated?.meta.changes) throw emailTaken();
    return c.json({ user: await orgUser(db, auth, user.id) }, 200);
  })
  .post('/users/:id/revoke', validate('param', IdParam), async (c) => {
    const db = c.var.db;
    const auth = c.var.auth;
    const user = await orgUser(db, auth, c.req.valid('param').id);
    if (user.id === auth.id) throw new ApiError(409, 'conflict', 'You cannot revoke your own access');
    await db.batch([
      ...revokeUserStatements(db, auth.orgId, user.id),
      auditStatement(db, { orgId: auth.orgId, actorId: auth.id, action: 'user.revoke', targetType: 'user', targetId: user.id }),
    ]);
    return c.json({ user: await orgUser(db, auth, user.id) }, 200);
  })
  // ---- invitations ------------------------------------------------------------------------------
  .post('/invitations', validate('json', NewInvitation), async (c) => {
    const db = c.var.db;
    const auth = c.var.auth;
    const user = await orgUser(db, auth, c.req.valid('json').userId);
    if (user.status !== 'active') throw new ApiError(409, 'conflict', 'This person’s access was revoked; they cannot be invited');
    const code = randomSecret();
    const id = newId();
    const expiresAt = addDaysIso(nowIso(), Number(c.env.INVITATION_TTL_DAYS) || 14);
    await db.batch([
      insertInvitationStatement(db, { id, orgId: auth.orgId, userId: user.id, codeHash: await sha256Hex(code), createdBy: auth.id, expiresAt }),
      auditStatement(db, { orgId: auth.orgId, actorId: auth.id, action: 'invitation.create', targetType: 'user', targetId: user.id }),
    ]);
    const link = `${new URL(c.req.url).origin}/invite/${code}`;
    return c.json({ invitation: { id, userId: user.id, code, link, expiresAt } }, 201);
  })
  // ---- pairs ------------------------------------------------------------------------------------
  .get('/pairs', validate('query', PairsQuery), async (c) => {
    return c.json({ pairs: await listOrgPairs(c.var.db, c.var.auth.orgId, c.req.valid('query').status) }, 200);
  })
  .post('/pairs', validate('json', NewPair), async (c) => {
    const db = c.var.db;
    const auth = c.var.auth;
    const input = c.req.valid('json');
    const [mentor, mentee] = await Promise.all([getUser(db, input.mentorId), getUser(db, input.menteeId)]);
    const problems: { path: string[]; message: string }[] = [];
    if (!mentor || mentor.orgId !== auth.orgId || mentor.role !== 'mentor' || mentor.status !== 'active') {
      problems.push({ path: ['mentorId'], message: 'Not an active mentor of this programme' });
    }
    if (!mentee || mentee.orgId !== auth.orgId || mentee.role !== 'mentee' || mentee.status !== 'active') {
      problems.push({ path: ['menteeId'], message: 'Not an active mentee of this programme' });
    }
    if (problems.length) throw new ApiError(400, 'invalid_input', problems.map((p) => p.message).join('; '), { issues: problems });
    const id = newId();
    await db.batch([
      insertPairStatement(db, { id, orgId: auth.orgId, ...input, startedOn: input.startedOn ?? todayIso() }),
      auditStatement(db, { orgId: auth.orgId, actorId: auth.id, action: 'pair.create', targetType: 'pair', targetId: id }),
    ]);
    const pair = await getOrgPair(db, auth.orgId, id);
    if (!pair) throw notFound('Pair');
    return c.json({ pair }, 201);
  })
  .get('/pairs/:id', validate('param', IdParam), async (c) => {
    const db = c.var.db;
    const auth = c.var.auth;
    const pair = await getOrgPair(db, auth.orgId, c.req.valid('param').id);
    if (!pair) throw notFound('Pair');
    const [meetings, goals, history, feedback, entryCounts] = await Promise.all([
      listMeetingsOfPair(db, pair.id),
      listGoalsOfPair(db, pair.id),
      listPairGoalHistory(db, pair.id),
      listPairFeedback(db, pair.id),
      countEntriesByKind(db, auth.orgId, pair.id),
    ]);
    const historyByGoal = Map.groupBy(history, (r) => r.goalId);
    return c.json(
      { pair, meetings, goals: goals.map((g) => ({ ...g, history: historyByGoal.get(g.id) ?? [] })), feedback, entryCounts },
      200,
    );
  })
  .patch('/pairs/:id', validate('param', IdParam), validate('json', PairPatch), async (c) => {
    const db = c.var.db;
    const auth = c.var.auth;
    const patch = c.req.valid('json');
    const pair = await getOrgPair(db, auth.orgId, c.req.valid('param').id);
    if (!pair) throw notFound('Pair');
    if (pair.version !== patch.version) throw versionConflict(pair);
    if (pair.status === 'ended' && patch.status && patch.status !== 'ended') {
      throw new ApiError(409, 'conflict', 'An ended pair cannot be resumed; create a new pair instead');
    }
    const [update] = await db.batch([
      updatePairStatement(db, auth.orgId, pair.id, patch, todayIso()),
      auditStatement(
        db,
        { orgId: auth.orgId, actorId: auth.id, action: 'pair.update', targetType: 'pair', targetId: pair.id, detail: { status: patch.status, cadence: patch.cadence } },
        patch.version + 1,
      ),
    ]);
    const current = await getOrgPair(db, auth.orgId, pair.id);
    if (!update?.meta.changes || !current) throw versionConflict(current);
    return c.json({ pair: current }, 200);
  });
