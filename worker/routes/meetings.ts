import { Hono } from 'hono';
import { z } from 'zod';
import { EndMeeting, Id, ManualMeeting, PairQuery, StartMeeting } from '../../shared/schemas/index.ts';
import { endMeeting, getMeeting, insertManualMeeting, listMeetingsOfPair, startMeeting } from '../db/meetings.ts';
import type { AppEnv } from '../env.ts';
import { requirePairMember, requireWritable } from '../lib/access.ts';
import { ApiError, notFound } from '../lib/errors.ts';
import { idempotency, requireAuth, requireMember } from '../lib/middleware.ts';
import { validate } from '../lib/validate.ts';
import { tellPair } from '../live/notify.ts';

const IdParam = z.object({ id: Id });
/** Clocks drift; an end time a little in the future is accepted and clamped to now. */
const CLOCK_SKEW_MS = 5 * 60_000;

const idInUse = () => new ApiError(409, 'conflict', 'This id is already in use');

export const meetingRoutes = new Hono<AppEnv>()
  .use(requireAuth, requireMember, idempotency)
  .get('/', validate('query', PairQuery), async (c) => {
    const { pair } = await requirePairMember(c.var.db, c.var.auth, c.req.valid('query').pairId);
    return c.json({ meetings: await listMeetingsOfPair(c.var.db, pair.id) }, 200);
  })
  /**
   * Joining a call: both partners (and any rejoin) get the same meeting for the same code. A call the extension could
   * not recognise may be attached by hand: platform `other`, source `manual`, its page's host and path as the code.
   */
  .post('/start', validate('json', StartMeeting), async (c) => {
    const db = c.var.db;
    const input = c.req.valid('json');
    const membership = await requirePairMember(db, c.var.auth, input.pairId);
    const existing = await getMeeting(db, input.id);
    if (existing) {
      // A retried start of the same call answers with that meeting, even once it has ended; any other use is a clash.
      const sameCall = existing.pairId === input.pairId && existing.platform === input.platform && existing.meetingCode === input.meetingCode;
      if (!sameCall) throw idInUse();
      return c.json({ meeting: existing }, 200);
    }
    requireWritable(membership);
    const meeting = await startMeeting(db, { ...input, orgId: membership.pair.orgId, userId: c.var.auth.id });
    // No current meeting after the batch: the id was taken between the check above and the insert.
    if (!meeting) throw idInUse();
    tellPair(c, input.pairId, { topic: 'meetings' });
    return c.json({ meeting }, 200);
  })
  .post('/:id/end', validate('param', IdParam), validate('json', EndMeeting), async (c) => {
    const db = c.var.db;
    const found = await getMeeting(db, c.req.valid('param').id);
    if (!found) throw notFound('Meeting');
    requireWritable(await requirePairMember(db, c.var.auth, found.pairId));
    const { endedAt: sent, reason } = c.req.valid('json');
    // Stored times are compared as strings in SQL, so they must all have one form (toISOString's, with milliseconds).
    const sentMs = sent === undefined ? undefined : Date.parse(sent);
    if (sentMs !== undefined && sentMs > Date.now() + CLOCK_SKEW_MS) {
      throw new ApiError(400, 'invalid_input', 'endedAt is in the future', { issues: [{ path: ['endedAt'], message: 'In the future' }] });
    }
    await endMeeting(db, found.id, new Date(Math.min(sentMs ?? Infinity, Date.now())).toISOString(), reason ?? null);
    tellPair(c, found.pairId, { topic: 'meetings' });
    return c.json({ meeting: await getMeeting(db, found.id) }, 200);
  })
  /** A meeting held elsewhere (phone, in person), logged by hand. */
  .post('/', validate('json', ManualMeeting), async (c) => {
    const db = c.var.db;
    const input = c.req.valid('json');
    const membership = await requirePairMember(db, c.var.auth, input.pairId);
    const existing = await getMeeting(db, input.id);
    if (existing) {
      if (existing.pairId !== input.pairId) throw idInUse();
      return c.json({ meeting: existing }, 200);
    }
    requireWritable(membership);
    const startedMs = Date.parse(input.startedAt);
    const endedMs = Date.parse(input.endedAt);
    if (endedMs > Date.now() + CLOCK_SKEW_MS) {
      throw new ApiError(400, 'invalid_input', 'A logged meeting cannot end in the future', { issues: [{ path: ['endedAt'], message: 'In the future' }] });
    }
    // The schema compares the strings; "10:00:00Z" and "10:00:00.000Z" are the same instant.
    if (endedMs <= startedMs) {
      throw new ApiError(400, 'invalid_input', 'A meeting must end after it starts', { issues: [{ path: ['endedAt'], message: 'Not after startedAt' }] });
    }
    await insertManualMeeting(db, {
      ...input,
      startedAt: new Date(startedMs).toISOString(),
      endedAt: new Date(endedMs).toISOString(),
      orgId: membership.pair.orgId,
      userId: c.var.auth.id,
    });
    tellPair(c, input.pairId, { topic: 'meetings' });
    return c.json({ meeting: await getMeeting(db, input.id) }, 201);
  });
