import { Hono } from 'hono';
import { z } from 'zod';
import type { User } from '../../shared/schemas/index.ts';
import { EraseUserRequest, OrgSettingsPatch } from '../../shared/schemas/index.ts';
import { Id, NewInvitation, NewPair, NewUser, PairPatch, PairsQuery, UserPatch, UsersQuery } from '../../shared/schemas/index.ts';
import { DATA_RIGHTS_ACTIONS, auditIfChangedStatement, auditStatement } from '../db/audit.ts';
import { insertInvitationStatement } from '../db/auth.ts';
import { listScheduledVersusHeld } from '../db/checkins.ts';
import { countEntriesByKind } from '../db/entries.ts';
import { listPairFeedback } from '../db/feedback.ts';
import { listAdminGoalsOfPair } from '../db/admin-goals.ts';
import { listMeetingsOfPair } from '../db/meetings.ts';
import { erasePerson } from '../db/erasure.ts';
import { getOrgSettings, setRetentionStatement } from '../db/settings.ts';
import { activeSessionSummary } from '../db/sessions.ts';
import { getOrgPair, insertPairStatement, listOrgPairs, updatePairStatement } from '../db/pairs.ts';
import { findUserByEmail, getUser, insertUserStatement, listUsers, revokeUserStatements, updateUserStatement } from '../db/users.ts';
import type { AuthUser, Db } from '../env.ts';
import type { AppEnv } from '../env.ts';
import { randomSecret, sha256Hex } from '../lib/crypto.ts';
import { ApiError, notFound, versionConflict } from '../lib/errors.ts';
import { newId } from '../lib/ids.ts';
import { addDaysIso, nowIso, todayIso } from '../lib/time.ts';
import { validate } from '../lib/validate.ts';
import { tellPair } from '../live/notify.ts';

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
  // ---- data rights (issue 8): erasing a person, and the retention setting -------------------------
  /** Erases a person for good (worker/db/erasure.ts); the body names their email, so a slip cannot erase the wrong row. */
  .delete('/users/:id', validate('param', IdParam), validate('json', EraseUserRequest), async (c) => {
    const db = c.var.db;
    const auth = c.var.auth;
    const user = await orgUser(db, auth, c.req.valid('param').id);
    if (user.id === auth.id) throw new ApiError(409, 'conflict', 'You cannot erase yourself; ask another admin of the programme');
    if (c.req.valid('json').confirmEmail.toLowerCase() !== user.email.toLowerCase()) {
      const message = 'Type the person’s email to confirm the erasure';
      throw new ApiError(400, 'invalid_input', message, { issues: [{ path: ['confirmEmail'], message }] });
    }
    const outcome = await erasePerson(db, user, { adminId: auth.id });
    return c.json({ erased: true as const, ...outcome }, 200);
  })
  .get('/settings', async (c) => c.json({ settings: await getOrgSettings(c.var.db, c.var.auth.orgId) }, 200))
  .patch('/settings', validate('json', OrgSettingsPatch), async (c) => {
    const db = c.var.db;
    const auth = c.var.auth;
    const { retentionDays } = c.req.valid('json');
    await db.batch([
      setRetentionStatement(db, auth.orgId, retentionDays, auth.id),
      auditStatement(db, {
        orgId: auth.orgId,
        actorId: auth.id,
        action: DATA_RIGHTS_ACTIONS.settingsUpdate,
        targetType: 'organisation',
        targetId: auth.orgId,
        detail: { retentionDays },
      }),
    ]);
    return c.json({ settings: await getOrgSettings(db, auth.orgId) }, 200);
  })
  // ---- invitations ------------------------------------------------------------------------------
  /** Whether an invitation for this person now is a re-invitation (they have an active session): the view asks for a reason. */
  .get('/users/:id/invitation-status', validate('param', IdParam), async (c) => {
    const user = await orgUser(c.var.db, c.var.auth, c.req.valid('param').id);
    const summary = await activeSessionSummary(c.var.db, user.id);
    return c.json({ reinvitation: summary.activeSessions > 0, ...summary }, 200);
  })
  .post('/invitations', validate('json', NewInvitation), async (c) => {
    const db = c.var.db;
    const auth = c.var.auth;
    const input = c.req.valid('json');
    const user = await orgUser(db, auth, input.userId);
    if (user.status !== 'active') throw new ApiError(409, 'conflict', 'This person’s access was revoked; they cannot be invited');
    // Issue 8, defect 1: a second way into an account someone is using is issued only with a reason, which is
    // audited, and the person is shown the sign-in it leads to (GET /me/sessions).
    const { activeSessions } = await activeSessionSummary(db, user.id);
    const reinvitation = activeSessions > 0;
    if (reinvitation && !input.reason) {
      const message = 'This person is already signed in: give a reason for inviting them again (e.g. a lost device)';
      throw new ApiError(400, 'invalid_input', message, { issues: [{ path: ['reason'], message }] });
    }
    const code = randomSecret();
    const id = newId();
    const expiresAt = addDaysIso(nowIso(), Number(c.env.INVITATION_TTL_DAYS) || 14);
    await db.batch([
      insertInvitationStatement(db, { id, orgId: auth.orgId, userId: user.id, codeHash: await sha256Hex(code), createdBy: auth.id, expiresAt }),
      auditStatement(db, {
        orgId: auth.orgId,
        actorId: auth.id,
        action: reinvitation ? 'invitation.reinvite' : 'invitation.create',
        targetType: 'user',
        targetId: user.id,
        detail: { invitationId: id, reinvitation, activeSessions, ...(input.reason ? { reason: input.reason } : {}) },
      }),
    ]);
    const link = `${new URL(c.req.url).origin}/invite/${code}`;
    return c.json({ invitation: { id, userId: user.id, code, link, expiresAt, reinvitation } }, 201);
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
    // Goals: figures and the programme title only (worker/db/admin-goals.ts), never the pair's own goal text.
    const [meetings, goals, feedback, entryCounts, scheduledCheckIns] = await Promise.all([
      listMeetingsOfPair(db, pair.id),
      listAdminGoalsOfPair(db, pair.id),
      listPairFeedback(db, pair.id),
      countEntriesByKind(db, auth.orgId, pair.id),
      listScheduledVersusHeld(db, pair.id, nowIso()),
    ]);
    return c.json({ pair, meetings, goals, feedback, entryCounts, scheduledCheckIns }, 200);
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
    tellPair(c, pair.id, { topic: 'pair' });
    return c.json({ pair: current }, 200);
  });
