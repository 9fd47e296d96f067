import { Hono } from 'hono';
import { z } from 'zod';
import { EndMeeting, Id, ManualMeeting, PairQuery, StartMeeting } from '../../shared/schemas/index.ts';
import { endMeeting, getMeeting, insertManualMeeting, listMeetingsOfPair, startMeeting } from '../db/meetings.ts';
import type { AppEnv } from '../env.ts';
import { requirePairMember, requireWritable } from '../lib/access.ts';
import { ApiError, notFound } from '../lib/errors.ts';
import { idempotency, requireAuth, requireMember } from '../lib/middleware.ts';
import { nowIso } from '../lib/time.ts';
import { validate } from '../lib/validate.ts';

const IdParam = z.object({ id: Id });
/** Clocks drift; an end time a little in the future is accepted and clamped to now. */
const CLOCK_SKEW_MS = 5 * 60_000;

export const meetingRoutes = new Hono<AppEnv>()
  .use(requireAuth, requireMember, idempotency)
  .get('/', validate('query', PairQuery), async (c) => {
    const { pair } = await requirePairMember(c.var.db, c.var.auth, c.req.valid('query').pairId);
    return c.json({ meetings: await listMeetingsOfPair(c.var.db, pair.id) }, 200);
  })
  /** Joining a call: both partners (and any rejoin) get the same meeting for the same code. */
  .post('/start', validate('json', StartMeeting), async (c) => {
    const input = c.req.valid('json');
    const membership = await requirePairMember(c.var.db, c.var.auth, input.pairId);
    requireWritable(membership);
    const meeting = await startMeeting(c.var.db, { ...input, orgId: membership.pair.orgId, userId: c.var.auth.id });
    return c.json({ meeting }, 200);
  })
  .post('/:id/end', validate('param', IdParam), validate('json', EndMeeting), async (c) => {
    const db = c.var.db;
    const found = await getMeeting(db, c.req.valid('param').id);
    if (!found) throw notFound('Meeting');
    await requirePairMember(db, c.var.auth, found.pairId);
    const sent = c.req.valid('json').endedAt;
    if (sent && Date.parse(sent) > Date.now() + CLOCK_SKEW_MS) {
      throw new ApiError(400, 'invalid_input', 'endedAt is in the future', { issues: [{ path: ['endedAt'], message: 'In the future' }] });
    }
    const now = nowIso();
    await endMeeting(db, found.id, sent && sent < now ? sent : now);
    return c.json({ meeting: await getMeeting(db, found.id) }, 200);
  })
  /** A meeting held elsewhere (phone, in person), logged by hand. */
  .post('/', validate('json', ManualMeeting), async (c) => {
    const db = c.var.db;
    const input = c.req.valid('json');
    const membership = await requirePairMember(db, c.var.auth, input.pairId);
    const existing = await getMeeting(db, input.id);
    if (existing) {
      if (existing.pairId !== input.pairId) throw new ApiError(409, 'conflict', 'This id is already in use');
      return c.json({ meeting: existing }, 200);
    }
    requireWritable(membership);
    if (Date.parse(input.endedAt) > Date.now() + CLOCK_SKEW_MS) {
      throw new ApiError(400, 'invalid_input', 'A logged meeting cannot end in the future', { issues: [{ path: ['endedAt'], message: 'In the future' }] });
    }
    await insertManualMeeting(db, { ...input, orgId: membership.pair.orgId, userId: c.var.auth.id });
    return c.json({ meeting: await getMeeting(db, input.id) }, 201);
  });
