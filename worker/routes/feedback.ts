import { Hono } from 'hono';
import { NewFeedback, PairQuery } from '../../shared/schemas/index.ts';
import { findFeedback, insertFeedback, listOwnFeedback } from '../db/feedback.ts';
import { getMeeting, listPendingFeedback } from '../db/meetings.ts';
import type { AppEnv } from '../env.ts';
import { requirePairMember, requireWritable } from '../lib/access.ts';
import { ApiError, notFound } from '../lib/errors.ts';
import { idempotency, requireAuth, requireMember } from '../lib/middleware.ts';
import { validate } from '../lib/validate.ts';

export const feedbackRoutes = new Hono<AppEnv>()
  .use(requireAuth, requireMember, idempotency)
  /** My feedback on this pair's meetings, and the ended meetings still waiting for it. */
  .get('/', validate('query', PairQuery), async (c) => {
    const { pair } = await requirePairMember(c.var.db, c.var.auth, c.req.valid('query').pairId);
    const [feedback, pending] = await Promise.all([
      listOwnFeedback(c.var.db, pair.id, c.var.auth.id),
      listPendingFeedback(c.var.db, pair.id, c.var.auth.id),
    ]);
    return c.json({ feedback, pending }, 200);
  })
  .post('/', validate('json', NewFeedback), async (c) => {
    const db = c.var.db;
    const auth = c.var.auth;
    const input = c.req.valid('json');
    const meeting = await getMeeting(db, input.meetingId);
    if (!meeting) throw notFound('Meeting');
    const membership = await requirePairMember(db, auth, meeting.pairId);
    const { pair } = membership;
    const before = await findFeedback(db, meeting.id, auth.id);
    if (before) {
      if (before.id === input.id) return c.json({ feedback: before }, 200);
      throw new ApiError(409, 'conflict', 'You already gave feedback for this meeting');
    }
    requireWritable(membership);
    await insertFeedback(db, { ...input, meetingId: meeting.id, pairId: pair.id, orgId: pair.orgId, authorId: auth.id });
    const feedback = await findFeedback(db, meeting.id, auth.id);
    // Nothing stored under this id for this meeting: the id was taken, or a concurrent submission won.
    if (!feedback || feedback.id !== input.id) throw new ApiError(409, 'conflict', 'You already gave feedback for this meeting');
    return c.json({ feedback }, 201);
  });
