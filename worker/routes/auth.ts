import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import { RedeemRequest } from '../../shared/schemas/index.ts';
import { auditIfChangedStatement } from '../db/audit.ts';
import { findOpenInvitation, redeemStatements, revokeToken } from '../db/auth.ts';
import { deviceLabel } from '../db/sessions.ts';
import { getOrgSettings } from '../db/settings.ts';
import { getOrganisation, getUser } from '../db/users.ts';
import type { AppEnv } from '../env.ts';
import { randomSecret, sha256Hex } from '../lib/crypto.ts';
import { ApiError, notFound } from '../lib/errors.ts';
import { newId } from '../lib/ids.ts';
import { requireAuth } from '../lib/middleware.ts';
import { enforceRateLimit } from '../lib/rate-limit.ts';
import { addDaysIso, nowIso } from '../lib/time.ts';
import { validate } from '../lib/validate.ts';

/** Accepts the bare code or a whole invitation link (…/invite/<code>), as people paste either. */
export function codeFromInput(input: string): string {
  const match = /\/invite\/([\w-]+)\/?$/.exec(input.split(/[?#]/)[0] ?? '');
  return match?.[1] ?? input;
}

const redeemRateLimit = createMiddleware<AppEnv>(async (c, next) => {
  await enforceRateLimit(c, c.env.REDEEM_LIMITER, 'Too many invitation codes tried from your network; wait a minute and try again');
  await next();
});

export const authRoutes = new Hono<AppEnv>()
  // Every redemption counts, valid or not, before anything is read: guessing codes stops at the limit.
  .post('/redeem', redeemRateLimit, validate('json', RedeemRequest), async (c) => {
    const db = c.var.db;
    const codeHash = await sha256Hex(codeFromInput(c.req.valid('json').code));
    const now = nowIso();
    const invitation = await findOpenInvitation(db, codeHash, now);
    if (!invitation) {
      throw new ApiError(401, 'unauthenticated', 'This invitation is not valid: it may have expired, been used or been revoked');
    }
    const token = randomSecret();
    const expiresAt = addDaysIso(now, Number(c.env.TOKEN_TTL_DAYS) || 30);
    const sessionId = newId();
    const device = deviceLabel(c.req.header('user-agent'));
    // Every sign-in is audited with the invitation and who issued it (issue 8: a re-issued invitation is never a
    // silent way into someone's account); the row is written only when the token was.
    const [marked] = await db.batch([
      ...redeemStatements(db, {
        invitationId: invitation.id,
        userId: invitation.userId,
        orgId: invitation.orgId,
        tokenHash: await sha256Hex(token),
        expiresAt,
        sessionId,
        deviceLabel: device,
        now,
      }),
      auditIfChangedStatement(db, {
        orgId: invitation.orgId,
        actorId: invitation.userId,
        action: 'session.create',
        targetType: 'user',
        targetId: invitation.userId,
        detail: { sessionId, invitationId: invitation.id, issuedById: invitation.createdBy, device },
      }),
    ]);
    if (!marked?.meta.changes) throw new ApiError(401, 'unauthenticated', 'This invitation was just used');
    const [user, organisation] = await Promise.all([getUser(db, invitation.userId), getOrganisation(db, invitation.orgId)]);
    if (!user || !organisation) throw notFound('User');
    return c.json({ token, expiresAt, user, organisation }, 201);
  })
  .get('/me', requireAuth, async (c) => {
    const { id, orgId } = c.var.auth;
    const [user, organisation, settings] = await Promise.all([getUser(c.var.db, id), getOrganisation(c.var.db, orgId), getOrgSettings(c.var.db, orgId)]);
    if (!user || !organisation) throw notFound('User');
    // `settings`: the programme's retention of notes, which members are shown (issue 8, "Retention").
    return c.json({ user, organisation, settings }, 200);
  })
  .post('/signout', requireAuth, async (c) => {
    await revokeToken(c.var.db, c.var.auth.tokenHash);
    return c.json({ ok: true as const }, 200);
  });
