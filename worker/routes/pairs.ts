import { Hono } from 'hono';
import { z } from 'zod';
import { nextCheckInDue } from '../../shared/domain/cadence.ts';
import { Id } from '../../shared/schemas/index.ts';
import { agendaFrom, listAgendaStatement } from '../db/agenda.ts';
import { listOpenActionsStatement, openActionsFrom } from '../db/entries.ts';
import { goalsFrom, listGoalsOfPairStatements } from '../db/goals.ts';
import { listMeetingsOfPairStatement, listPendingFeedbackStatement, meetingsFrom } from '../db/meetings.ts';
import { getPeopleStatement, listPairsOfMember, peopleFrom } from '../db/pairs.ts';
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
    // One batch, one round trip to D1: the context is the call's first read, on every overlay and side panel open.
    const [people, goalRows, milestoneRows, actionRows, agendaRows, meetingRows, pendingRows] = await db.batch([
      getPeopleStatement(db, auth.id, partnerId),
      ...listGoalsOfPairStatements(db, pair.id),
      listOpenActionsStatement(db, pair.id, auth.id),
      listAgendaStatement(db, pair.id),
      listMeetingsOfPairStatement(db, pair.id, 1),
      listPendingFeedbackStatement(db, pair.id, auth.id),
    ]);
    const rows = (r: D1Result | undefined) => r?.results ?? [];
    const persons = peopleFrom(rows(people));
    const me = persons.get(auth.id);
    const partner = persons.get(partnerId);
    const goals = goalsFrom(rows(goalRows), rows(milestoneRows));
    const openActions = openActionsFrom(rows(actionRows));
    const agenda = agendaFrom(rows(agendaRows));
    const meetings = meetingsFrom(rows(meetingRows));
    const pendingFeedback = meetingsFrom(rows(pendingRows));
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
