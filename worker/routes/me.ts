/**
 * The signed-in person's own account: their sessions (issue 8, defect 1). Every sign-in is listed with the
 * invitation that created it and who issued it, new ones are flagged until acknowledged, and any session can be
 * ended. Open to every role: an admin's account has sessions too.
 *
 * Mounted in app.ts at /me next to the data-rights routes (export, erasure) of worker/routes/me-data.ts. Each
 * route here carries requireAuth itself rather than a sub-app-wide `.use`, which would also run for /me routes
 * of the other file.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { Id } from '../../shared/schemas/index.ts';
import { auditStatement } from '../db/audit.ts';
import { acknowledgeSignIns, endMySession, listMySessions } from '../db/sessions.ts';
import type { AppEnv } from '../env.ts';
import { notFound } from '../lib/errors.ts';
import { requireAuth } from '../lib/middleware.ts';
import { validate } from '../lib/validate.ts';

const SessionParam = z.object({ id: Id });

export const meRoutes = new Hono<AppEnv>()
  .get('/sessions', requireAuth, async (c) => {
    const auth = c.var.auth;
    return c.json(await listMySessions(c.var.db, auth.id, auth.tokenHash), 200);
  })
  /** Marks every sign-in so far as seen, on every device of the person. */
  .post('/sessions/acknowledge', requireAuth, async (c) => {
    return c.json({ acknowledgedAt: await acknowledgeSignIns(c.var.db, c.var.auth.id) }, 200);
  })
  /** Ends one of the caller's sessions; ending the current one signs this device out. Others' sessions are 404. */
  .delete('/sessions/:id', requireAuth, validate('param', SessionParam), async (c) => {
    const db = c.var.db;
    const auth = c.var.auth;
    const sessionId = c.req.valid('param').id;
    const ended = await endMySession(db, auth.id, sessionId);
    if (!ended) throw notFound('Session');
    const endedCurrent = ended.tokenHash === auth.tokenHash;
    if (ended.changed) {
      await auditStatement(db, {
        orgId: auth.orgId,
        actorId: auth.id,
        action: 'session.end',
        targetType: 'user',
        targetId: auth.id,
        detail: { sessionId, current: endedCurrent },
      }).run();
    }
    return c.json({ ok: true as const, endedCurrent }, 200);
  });
