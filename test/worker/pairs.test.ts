import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AdminPair, CallContext, PairSummary } from '../../shared/schemas/index.ts';
import {
  call,
  createGoalViaApi,
  deadCredentials,
  expectError,
  expectJson,
  orgSnapshot,
  seedEntryRow,
  seedMeetingRow,
  seedProgramme,
  uuid,
  type Programme,
} from './helpers.ts';

const PairList = z.object({ pairs: z.array(PairSummary) });

/** A second pair of `p.mentor` (with `p.outsider` as mentee), made and set to `status` through the admin API. */
async function secondPairOfMentor(p: Programme, status: 'active' | 'paused' | 'ended', startedOn: string) {
  const created = await call('POST', '/api/v1/admin/pairs', {
    token: p.admin.token,
    body: { mentorId: p.mentor.id, menteeId: p.outsider.id, cadence: 'monthly', startedOn },
  });
  const { pair } = z.object({ pair: AdminPair }).parse(await expectJson(created, 201));
  if (status !== 'active') {
    await expectJson(await call('PATCH', `/api/v1/admin/pairs/${pair.id}`, { token: p.admin.token, body: { version: 1, status } }), 200);
  }
  return pair.id;
}

describe('GET /api/v1/pairs', () => {
  it('lists the pairs of the mentor and of the mentee, each with their partner', async () => {
    const p = await seedProgramme();
    const forMentor = PairList.parse(await expectJson(await call('GET', '/api/v1/pairs', { token: p.mentor.token }), 200));
    expect(forMentor.pairs).toHaveLength(1);
    expect(forMentor.pairs[0]).toMatchObject({ id: p.pairId, orgId: p.orgId, myRole: 'mentor', partner: { id: p.mentee.id, role: 'mentee', timeZone: 'Asia/Kolkata' } });

    const forMentee = PairList.parse(await expectJson(await call('GET', '/api/v1/pairs', { token: p.mentee.token }), 200));
    expect(forMentee.pairs.map((x) => [x.id, x.myRole, x.partner.id])).toEqual([[p.pairId, 'mentee', p.mentor.id]]);
  });

  it('shows a partner only as a person: no email, skills or status', async () => {
    const p = await seedProgramme();
    const res = await call('GET', '/api/v1/pairs', { token: p.mentee.token });
    const raw = (await expectJson<{ pairs: { partner: Record<string, unknown> }[] }>(res, 200)).pairs[0];
    expect(Object.keys(raw?.partner ?? {}).sort()).toEqual(['id', 'name', 'role', 'timeZone', 'workingHours']);
    expect(JSON.stringify(raw)).not.toContain('@example.org');
  });

  it('orders active pairs first, then paused, then ended', async () => {
    const p = await seedProgramme({ startedOn: '2026-01-05' });
    const ended = await secondPairOfMentor(p, 'ended', '2026-03-01');
    const { pairs } = PairList.parse(await expectJson(await call('GET', '/api/v1/pairs', { token: p.mentor.token }), 200));
    expect(pairs.map((x) => [x.id, x.status])).toEqual([
      [p.pairId, 'active'],
      [ended, 'ended'],
    ]);
    const paused = await secondPairOfMentor(p, 'paused', '2026-02-01');
    const again = PairList.parse(await expectJson(await call('GET', '/api/v1/pairs', { token: p.mentor.token }), 200));
    expect(again.pairs.map((x) => x.id)).toEqual([p.pairId, paused, ended]);
  });

  it('lists nothing for a mentee without a pair, and never the pairs of another organisation', async () => {
    const p = await seedProgramme();
    const other = await seedProgramme();
    expect(await expectJson(await call('GET', '/api/v1/pairs', { token: p.outsider.token }), 200)).toEqual({ pairs: [] });
    const theirs = PairList.parse(await expectJson(await call('GET', '/api/v1/pairs', { token: other.mentor.token }), 200));
    expect(theirs.pairs.map((x) => x.id)).toEqual([other.pairId]);
    expect(JSON.stringify(theirs)).not.toContain(p.pairId);
  });
});

describe('GET /api/v1/pairs/:id/context', () => {
  it('gives the mentor everything the call overlay needs', async () => {
    const p = await seedProgramme({ cadence: 'weekly' });
    const goal = await createGoalViaApi(p, { title: 'Ship a side project' });
    const meetingId = await seedMeetingRow(p, { minutes: 30 });

    const res = await call('GET', `/api/v1/pairs/${p.pairId}/context`, { token: p.mentor.token });
    const ctx = CallContext.parse(await expectJson(res, 200));
    expect(ctx.pair.id).toBe(p.pairId);
    expect(ctx.myRole).toBe('mentor');
    expect(ctx.me).toMatchObject({ id: p.mentor.id, role: 'mentor', timeZone: 'America/New_York' });
    expect(ctx.partner).toMatchObject({ id: p.mentee.id, role: 'mentee', timeZone: 'Asia/Kolkata' });
    expect(ctx.goals.map((g) => [g.id, g.title, g.ownerId])).toEqual([[goal.id, 'Ship a side project', p.mentee.id]]);
    expect(ctx.lastMeeting).toMatchObject({ id: meetingId, durationMinutes: 30 });
    expect(ctx.pendingFeedback.map((m) => m.id)).toEqual([meetingId]);
    // Weekly cadence: the next check-in is due a week after the last meeting started.
    expect(ctx.nextCheckInDue).toBe(new Date(Date.parse(ctx.lastMeeting?.startedAt ?? '') + 7 * 86_400_000).toISOString());
  });

  it('counts the first check-in from the start of a pair that has not met yet', async () => {
    const p = await seedProgramme({ cadence: 'biweekly', startedOn: '2026-11-02' });
    const ctx = CallContext.parse(await expectJson(await call('GET', `/api/v1/pairs/${p.pairId}/context`, { token: p.mentee.token }), 200));
    expect(ctx.lastMeeting).toBeNull();
    expect(ctx.nextCheckInDue).toBe('2026-11-16T00:00:00.000Z');
  });

  it('shows open actions that are shared or the viewer’s own, never the partner’s private ones', async () => {
    const p = await seedProgramme();
    const shared = await seedEntryRow(p, { body: 'Shared action', kind: 'action', authorId: p.mentor.id });
    const mentorsPrivate = await seedEntryRow(p, { body: 'Mentor private action', kind: 'action', visibility: 'private', authorId: p.mentor.id });
    const menteesPrivate = await seedEntryRow(p, { body: 'Mentee private action', kind: 'action', visibility: 'private', authorId: p.mentee.id });
    await seedEntryRow(p, { body: 'Just a note', kind: 'note', authorId: p.mentor.id });

    const forMentee = await call('GET', `/api/v1/pairs/${p.pairId}/context`, { token: p.mentee.token });
    const text = await forMentee.clone().text();
    const ctx = CallContext.parse(await expectJson(forMentee, 200));
    expect(ctx.openActions.map((e) => e.id).sort()).toEqual([shared, menteesPrivate].sort());
    expect(text).not.toContain('Mentor private action');

    const forMentor = CallContext.parse(await expectJson(await call('GET', `/api/v1/pairs/${p.pairId}/context`, { token: p.mentor.token }), 200));
    expect(forMentor.openActions.map((e) => e.id).sort()).toEqual([shared, mentorsPrivate].sort());
  });

  it('tells the mentee they are the mentee, and has no next check-in for a paused pair', async () => {
    const p = await seedProgramme();
    await expectJson(await call('PATCH', `/api/v1/admin/pairs/${p.pairId}`, { token: p.admin.token, body: { version: 1, status: 'paused' } }), 200);
    const ctx = CallContext.parse(await expectJson(await call('GET', `/api/v1/pairs/${p.pairId}/context`, { token: p.mentee.token }), 200));
    expect(ctx.myRole).toBe('mentee');
    expect(ctx.partner.id).toBe(p.mentor.id);
    expect(ctx.pair.status).toBe('paused');
    expect(ctx.nextCheckInDue).toBeNull();
    expect(ctx.lastMeeting).toBeNull();
    expect(ctx.goals).toEqual([]);
  });

  it.each(['not-a-uuid', '123', `${'0'.repeat(36)}`])('answers 400 with issues for the id %j', async (id) => {
    const p = await seedProgramme();
    const err = await expectError(await call('GET', `/api/v1/pairs/${id}/context`, { token: p.mentor.token }), 400, 'invalid_input');
    expect(err.error.issues?.[0]?.path).toEqual(['id']);
  });

  it('answers 404 for a pair that does not exist', async () => {
    const p = await seedProgramme();
    await expectError(await call('GET', `/api/v1/pairs/${uuid()}/context`, { token: p.mentor.token }), 404, 'not_found');
  });
});

describe('access to /pairs routes', () => {
  const routes = [
    { name: 'GET /pairs', path: () => '/api/v1/pairs' },
    { name: 'GET /pairs/:id/context', path: (p: Programme) => `/api/v1/pairs/${p.pairId}/context` },
  ];

  it.each(routes)('$name refuses every dead credential with 401', async ({ path }) => {
    const p = await seedProgramme();
    const credentials = await deadCredentials(p.mentor);
    for (const { label, token } of credentials) {
      const res = await call('GET', path(p), { token });
      expect(res.status, label).toBe(401);
      await expectError(res, 401, 'unauthenticated');
    }
  });

  it.each(routes)('$name is not for admins (403)', async ({ path }) => {
    const p = await seedProgramme();
    await expectError(await call('GET', path(p), { token: p.admin.token }), 403, 'forbidden');
  });

  it('refuses the context to a same-organisation non-member (403)', async () => {
    const p = await seedProgramme();
    await createGoalViaApi(p, { title: 'Private ambition' });
    const res = await call('GET', `/api/v1/pairs/${p.pairId}/context`, { token: p.outsider.token });
    await expectError(res.clone(), 403, 'forbidden');
    expect(await res.text()).not.toContain('Private ambition');
  });

  it('hides the pair of another organisation (404), leaking and changing nothing', async () => {
    const p = await seedProgramme();
    await createGoalViaApi(p, { title: 'Private ambition' });
    const other = await seedProgramme();
    const before = await orgSnapshot(p.orgId);
    for (const token of [other.mentor.token, other.mentee.token, other.outsider.token]) {
      const res = await call('GET', `/api/v1/pairs/${p.pairId}/context`, { token });
      const text = await res.clone().text();
      await expectError(res, 404, 'not_found');
      expect(text).not.toContain('Private ambition');
      expect(text).not.toContain(p.mentor.id);
    }
    expect(await orgSnapshot(p.orgId)).toEqual(before);
  });
});
