/**
 * The signed-in person's own time zone and working hours (issue 9), which check-in slots are proposed inside. Admins
 * change anyone's through PATCH /admin/users/:id; this is the person's own way, from the extension's options.
 *
 * Mounted in app.ts at /me next to me.ts and me-data.ts: like them, the route carries requireAuth itself (a
 * sub-app-wide `.use` would also run for the other files' /me routes). Open to every role: an admin has a zone too.
 */
import { Hono } from 'hono';
import { MyWorkingHours } from '../../shared/schemas/index.ts';
import { getPerson } from '../db/pairs.ts';
import { updateUserStatement } from '../db/users.ts';
import type { AppEnv } from '../env.ts';
import { notFound } from '../lib/errors.ts';
import { requireAuth } from '../lib/middleware.ts';
import { validate } from '../lib/validate.ts';

export const meWorkingHoursRoutes = new Hono<AppEnv>().put('/working-hours', requireAuth, validate('json', MyWorkingHours), async (c) => {
  const db = c.var.db;
  const auth = c.var.auth;
  const input = c.req.valid('json');
  await updateUserStatement(db, auth.orgId, auth.id, input).run();
  const me = await getPerson(db, auth.id);
  if (!me) throw notFound('User');
  return c.json({ timeZone: me.timeZone, workingHours: me.workingHours }, 200);
});
