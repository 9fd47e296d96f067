import { Hono } from 'hono';
import { z } from 'zod';
import { nextCheckInDue } from '../../shared/domain/cadence.ts';
import { Id } from '../../shared/schemas/index.ts';
import { listAgenda } from '../db/agenda.ts';
import { listOpenActions } from '../db/entries.ts';
import { listGoalsOfPair } from '../db/goals.ts';
import { listMeetingsOfPair, listPendingFeedback } from '../db/meetings.ts';
import { getPerson, listPairsOfMember } from '../db/pairs.ts';
import type { AppEnv } from '../env.ts';
import { requirePairMember } from '../lib/access.ts';
import { notFound } from '../lib/errors.ts';
import { idempotency, requireAuth, requireMember } from '../lib/middleware.ts';
import { validate } from '../lib/validate.ts';

export const pairRoutes = new Hono<AppEnv>()
  .use(requireAuth, requireMember, idempotency)
  .get('/', async (c) => c.json({ pairs: await listPairsOfMember(c.var.db, c.var.auth.id) }, 200))
  .get('/:id/context', validate('param', z.object({ id: Id })), async (c) => {
    const db = c.var.db;
    const auth = c.var.auth;
    const { pair, myRole, partnerId } = await requirePairMember(db, auth, c.req.valid('param').id);
    const [me, partner, goals, openActions, agenda, meetings, pendingFeedback] = await Promise.all([
      getPerson(db, auth.id),
      getPerson(db, partnerId),
      listGoalsOfPair(db, pair.id),
      listOpenActions(db, pair.id, auth.id),
      listAgenda(db, pair.id),
      listMeetingsOfPair(db, pair.id, 1),
      listPendingFeedback(db, pair.id, auth.id),
    ]);
    if (!me || !partner) throw notFound('Pair member');
    const lastMeeting = meetings[0] ?? null;
    return c.json(
      {
        pair,
        me,
        partner,
        myRole,
        goals,
        openActions,
        agenda,
        lastMeeting,
        nextCheckInDue: pair.status === 'active' ? nextCheckInDue(pair.cadence, lastMeeting?.startedAt ?? null, pair.startedOn) : null,
        pendingFeedback,
      },
      200,
    );
  });
