import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Goal, GoalRevision, Milestone } from '../../shared/schemas/index.ts';
import {
  call,
  countRows,
  createGoalViaApi,
  createMilestoneViaApi,
  deadCredentials,
  expectError,
  expectJson,
  orgSnapshot,
  seedProgramme,
  setPairStatusRow,
  uuid,
} from './helpers.ts';

const GoalBody = z.object({ goal: Goal });
const GoalList = z.object({ goals: z.array(Goal) });
const History = z.object({ history: z.array(GoalRevision) });
// The milestone of a response carries no pairId: strict() proves it is not leaked in.
const MilestoneBody = z.object({ milestone: Milestone.strict() });

const patchGoal = (token: string, id: string, body: unknown) => call('PATCH', `/api/v1/goals/${id}`, { token, body });
const history = async (token: string, id: string) =>
  History.parse(await expectJson(await call('GET', `/api/v1/goals/${id}/history`, { token }), 200)).history;

/** A programme with one goal (owned by the mentee) and one milestone on it. */
async function programmeWithGoal() {
  const p = await seedProgramme();
  const goal = await createGoalViaApi(p, { title: 'Give a conference talk' });
  const milestone = await createMilestoneViaApi(p.mentor.token, goal.id, 'Submit the abstract');
  return { p, goal, milestone };
}

type Fixture = Awaited<ReturnType<typeof programmeWithGoal>>;

/** Every /goals route, with a valid request for it. */
const ROUTES: { name: string; method: string; path: (f: Fixture) => string; body?: (f: Fixture) => unknown; writes: boolean }[] = [
  { name: 'GET /goals?pairId', method: 'GET', path: (f) => `/api/v1/goals?pairId=${f.p.pairId}`, writes: false },
  { name: 'POST /goals', method: 'POST', path: () => '/api/v1/goals', body: (f) => ({ id: uuid(), pairId: f.p.pairId, title: 'Learn Rust' }), writes: true },
  { name: 'GET /goals/:id', method: 'GET', path: (f) => `/api/v1/goals/${f.goal.id}`, writes: false },
  { name: 'PATCH /goals/:id', method: 'PATCH', path: (f) => `/api/v1/goals/${f.goal.id}`, body: () => ({ version: 1, progress: 10 }), writes: true },
  { name: 'GET /goals/:id/history', method: 'GET', path: (f) => `/api/v1/goals/${f.goal.id}/history`, writes: false },
  { name: 'POST /goals/:id/milestones', method: 'POST', path: (f) => `/api/v1/goals/${f.goal.id}/milestones`, body: () => ({ id: uuid(), title: 'Rehearse' }), writes: true },
  { name: 'PATCH /goals/milestones/:id', method: 'PATCH', path: (f) => `/api/v1/goals/milestones/${f.milestone.id}`, body: () => ({ version: 1, done: true }), writes: true },
];

describe('access to /goals routes', () => {
  it.each(ROUTES)('$name refuses every dead credential with 401 and changes nothing', async (route) => {
    const f = await programmeWithGoal();
    const credentials = await deadCredentials(f.p.mentor);
    const before = await orgSnapshot(f.p.orgId);
    for (const { label, token } of credentials) {
      const res = await call(route.method, route.path(f), { token, body: route.body?.(f) });
      expect(res.status, label).toBe(401);
      await expectError(res, 401, 'unauthenticated');
    }
    expect(await orgSnapshot(f.p.orgId)).toEqual(before);
  });

  it.each(ROUTES)('$name is not for admins (403) and changes nothing', async (route) => {
    const f = await programmeWithGoal();
    const before = await orgSnapshot(f.p.orgId);
    await expectError(await call(route.method, route.path(f), { token: f.p.admin.token, body: route.body?.(f) }), 403, 'forbidden');
    expect(await orgSnapshot(f.p.orgId)).toEqual(before);
  });

  it.each(ROUTES)('$name refuses a same-organisation non-member (403) and changes nothing', async (route) => {
    const f = await programmeWithGoal();
    const before = await orgSnapshot(f.p.orgId);
    const res = await call(route.method, route.path(f), { token: f.p.outsider.token, body: route.body?.(f) });
    const text = await res.clone().text();
    await expectError(res, 403, 'forbidden');
    expect(text).not.toContain('Give a conference talk');
    expect(await orgSnapshot(f.p.orgId)).toEqual(before);
  });

  it.each(ROUTES)('$name hides another organisation’s data (404), leaking and changing nothing', async (route) => {
    const f = await programmeWithGoal();
    const other = await seedProgramme();
    const before = await orgSnapshot(f.p.orgId);
    const theirsBefore = await orgSnapshot(other.orgId);
    for (const token of [other.mentor.token, other.mentee.token]) {
      const res = await call(route.method, route.path(f), { token, body: route.body?.(f) });
      const text = await res.clone().text();
      await expectError(res, 404, 'not_found');
      expect(text).not.toContain('Give a conference talk');
      expect(text).not.toContain('Submit the abstract');
    }
    expect(await orgSnapshot(f.p.orgId)).toEqual(before);
    expect(await orgSnapshot(other.orgId)).toEqual(theirsBefore);
  });

  it.each(ROUTES.filter((r) => r.writes))('$name refuses the mentee on a goal the mentor owns (403)', async (route) => {
    const p = await seedProgramme();
    const goal = await createGoalViaApi(p, { ownerId: p.mentor.id, title: 'Mentor’s own goal' });
    const milestone = await createMilestoneViaApi(p.mentor.token, goal.id);
    const f: Fixture = { p, goal, milestone };
    if (route.name === 'POST /goals') {
      // Creating: a mentee may not create a goal for the mentor.
      const body = { id: uuid(), pairId: p.pairId, title: 'For my mentor', ownerId: p.mentor.id };
      const before = await orgSnapshot(p.orgId);
      await expectError(await call('POST', '/api/v1/goals', { token: p.mentee.token, body }), 403, 'forbidden');
      expect(await orgSnapshot(p.orgId)).toEqual(before);
      return;
    }
    const before = await orgSnapshot(p.orgId);
    await expectError(await call(route.method, route.path(f), { token: p.mentee.token, body: route.body?.(f) }), 403, 'forbidden');
    expect(await orgSnapshot(p.orgId)).toEqual(before);
  });

  it.each(ROUTES.filter((r) => r.writes))('$name refuses writes to an ended pair (409) and changes nothing', async (route) => {
    const f = await programmeWithGoal();
    await setPairStatusRow(f.p.pairId, 'ended');
    const before = await orgSnapshot(f.p.orgId);
    await expectError(await call(route.method, route.path(f), { token: f.p.mentor.token, body: route.body?.(f) }), 409, 'conflict');
    expect(await orgSnapshot(f.p.orgId)).toEqual(before);
  });

  it.each(ROUTES.filter((r) => !r.writes))('$name still reads an ended pair', async (route) => {
    const f = await programmeWithGoal();
    await setPairStatusRow(f.p.pairId, 'ended');
    await expectJson(await call(route.method, route.path(f), { token: f.p.mentee.token }), 200);
  });
});

describe('GET /api/v1/goals?pairId', () => {
  it('lists the pair’s goals with their milestones, to both members', async () => {
    const { p, goal, milestone } = await programmeWithGoal();
    const second = await createGoalViaApi(p, { token: p.mentee.token, title: 'Read two books' });
    for (const token of [p.mentor.token, p.mentee.token]) {
      const { goals } = GoalList.parse(await expectJson(await call('GET', `/api/v1/goals?pairId=${p.pairId}`, { token }), 200));
      expect(goals.map((g) => g.id).sort()).toEqual([goal.id, second.id].sort());
      expect(goals.find((g) => g.id === goal.id)?.milestones.map((m) => m.id)).toEqual([milestone.id]);
    }
  });

  it.each([
    ['without pairId', ''],
    ['with a pairId that is not a uuid', '?pairId=abc'],
  ])('answers 400 with issues %s', async (_label, query) => {
    const p = await seedProgramme();
    const err = await expectError(await call('GET', `/api/v1/goals${query}`, { token: p.mentor.token }), 400, 'invalid_input');
    expect(err.error.issues?.[0]?.path).toEqual(['pairId']);
  });

  it('answers 404 for an unknown pair', async () => {
    const p = await seedProgramme();
    await expectError(await call('GET', `/api/v1/goals?pairId=${uuid()}`, { token: p.mentor.token }), 404, 'not_found');
  });
});

describe('POST /api/v1/goals', () => {
  it('creates a goal owned by the mentee by default, with its first revision', async () => {
    const p = await seedProgramme();
    const id = uuid();
    const body = { id, pairId: p.pairId, title: '  Lead a design review  ', measure: 'Reviews led', target: '3', dueOn: '2027-03-31' };
    const { goal } = GoalBody.parse(await expectJson(await call('POST', '/api/v1/goals', { token: p.mentor.token, body }), 201));
    expect(goal).toMatchObject({
      id,
      pairId: p.pairId,
      ownerId: p.mentee.id,
      title: 'Lead a design review',
      measure: 'Reviews led',
      target: '3',
      specific: '',
      dueOn: '2027-03-31',
      status: 'active',
      progress: 0,
      version: 1,
      milestones: [],
    });
    const revisions = await history(p.mentee.token, id);
    expect(revisions).toHaveLength(1);
    expect(revisions[0]).toMatchObject({ version: 1, progress: 0, status: 'active', authorId: p.mentor.id, note: 'Created' });
    expect(revisions[0]?.snapshot).toMatchObject({ title: 'Lead a design review', dueOn: '2027-03-31' });
  });

  it('lets the mentee create their own goal, and the mentor create one they own', async () => {
    const p = await seedProgramme();
    const mine = await createGoalViaApi(p, { token: p.mentee.token, ownerId: p.mentee.id, progress: 20 });
    expect(mine).toMatchObject({ ownerId: p.mentee.id, progress: 20 });
    const mentors = await createGoalViaApi(p, { token: p.mentor.token, ownerId: p.mentor.id });
    expect(mentors.ownerId).toBe(p.mentor.id);
  });

  it('refuses an owner who is not in the pair (400 with issues) and writes nothing', async () => {
    const p = await seedProgramme();
    const body = { id: uuid(), pairId: p.pairId, title: 'x', ownerId: p.outsider.id };
    const err = await expectError(await call('POST', '/api/v1/goals', { token: p.mentor.token, body }), 400, 'invalid_input');
    expect(err.error.issues).toEqual([{ path: ['ownerId'], message: expect.any(String) }]);
    expect(await countRows('goals', 'pair_id = ?', p.pairId)).toBe(0);
  });

  it.each([
    ['no title', { title: undefined }],
    ['an empty title', { title: '   ' }],
    ['a title over 200 characters', { title: 'x'.repeat(201) }],
    ['a specific text over 4000 characters', { specific: 'x'.repeat(4001) }],
    ['an id that is not a uuid', { id: 'goal-1' }],
    ['a pairId that is not a uuid', { pairId: 'pair-1' }],
    ['progress above 100', { progress: 101 }],
    ['negative progress', { progress: -1 }],
    ['fractional progress', { progress: 12.5 }],
    ['an impossible due date', { dueOn: '2027-02-30' }],
    ['a due date-time instead of a date', { dueOn: '2027-02-01T00:00:00Z' }],
  ])('answers 400 with issues for %s, and writes nothing', async (_label, override) => {
    const p = await seedProgramme();
    const body = { id: uuid(), pairId: p.pairId, title: 'Valid', ...override };
    const err = await expectError(await call('POST', '/api/v1/goals', { token: p.mentor.token, body }), 400, 'invalid_input');
    expect(err.error.issues?.length).toBeGreaterThan(0);
    expect(await countRows('goals', 'org_id = ?', p.orgId)).toBe(0);
    expect(await countRows('goal_revisions', 'pair_id = ?', p.pairId)).toBe(0);
  });

  it('answers malformed JSON with the 400 envelope and writes nothing', async () => {
    const p = await seedProgramme();
    const res = await call('POST', '/api/v1/goals', { token: p.mentor.token, rawBody: '{"title": ', headers: { 'content-type': 'application/json' } });
    await expectError(res, 400, 'invalid_input');
    expect(await countRows('goals', 'org_id = ?', p.orgId)).toBe(0);
  });

  it('answers a body over 64 KB with 413 and writes nothing', async () => {
    const p = await seedProgramme();
    const body = { id: uuid(), pairId: p.pairId, title: 'Big', specific: 'x'.repeat(70 * 1024) };
    await expectError(await call('POST', '/api/v1/goals', { token: p.mentor.token, body }), 413, 'payload_too_large');
    expect(await countRows('goals', 'org_id = ?', p.orgId)).toBe(0);
  });

  it('answers a retried create (same id) with the stored goal and writes one row', async () => {
    const p = await seedProgramme();
    const body = { id: uuid(), pairId: p.pairId, title: 'Once' };
    const first = GoalBody.parse(await expectJson(await call('POST', '/api/v1/goals', { token: p.mentor.token, body }), 201));
    const again = GoalBody.parse(await expectJson(await call('POST', '/api/v1/goals', { token: p.mentor.token, body }), 200));
    expect(again).toEqual(first);
    expect(await countRows('goals', 'id = ?', body.id)).toBe(1);
    expect(await countRows('goal_revisions', 'goal_id = ?', body.id)).toBe(1);
  });

  it('refuses an id already used by a goal of another pair (409)', async () => {
    const p = await seedProgramme();
    const other = await seedProgramme();
    const theirs = await createGoalViaApi(other, { title: 'Their secret goal' });
    const res = await call('POST', '/api/v1/goals', { token: p.mentor.token, body: { id: theirs.id, pairId: p.pairId, title: 'Mine' } });
    const text = await res.clone().text();
    await expectError(res, 409, 'conflict');
    expect(text).not.toContain('Their secret goal');
    expect(await countRows('goals', 'org_id = ?', p.orgId)).toBe(0);
  });

  it('never answers with another organisation’s goal when both create the same id at once', async () => {
    const a = await seedProgramme();
    const b = await seedProgramme();
    const id = uuid();
    const [ra, rb] = await Promise.all([
      call('POST', '/api/v1/goals', { token: a.mentor.token, body: { id, pairId: a.pairId, title: 'Secret of A' } }),
      call('POST', '/api/v1/goals', { token: b.mentor.token, body: { id, pairId: b.pairId, title: 'Secret of B' } }),
    ]);
    const [ta, tb] = await Promise.all([ra.text(), rb.text()]);
    expect([ra.status, rb.status].sort()).toEqual([201, 409]);
    expect(ta).not.toContain('Secret of B');
    expect(tb).not.toContain('Secret of A');
    expect(await countRows('goals', 'id = ?', id)).toBe(1);
  });

  it('replays a request with the same Idempotency-Key and refuses the key for another body', async () => {
    const p = await seedProgramme();
    const headers = { 'idempotency-key': `goal-create-${uuid()}` };
    const body = { id: uuid(), pairId: p.pairId, title: 'Idempotent' };
    const first = await call('POST', '/api/v1/goals', { token: p.mentor.token, body, headers });
    const firstBody = await expectJson(first, 201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();

    const replay = await call('POST', '/api/v1/goals', { token: p.mentor.token, body, headers });
    expect(await expectJson(replay, 201)).toEqual(firstBody);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(await countRows('goals', 'org_id = ?', p.orgId)).toBe(1);
    expect(await countRows('goal_revisions', 'pair_id = ?', p.pairId)).toBe(1);

    const different = await call('POST', '/api/v1/goals', { token: p.mentor.token, body: { ...body, id: uuid(), title: 'Other' }, headers });
    await expectError(different, 409, 'conflict');
    expect(await countRows('goals', 'org_id = ?', p.orgId)).toBe(1);
  });

  it('keeps Idempotency-Keys per user: the same key from the partner is a new request', async () => {
    const p = await seedProgramme();
    const headers = { 'idempotency-key': `shared-key-${uuid()}` };
    const mine = { id: uuid(), pairId: p.pairId, title: 'Mentor goal', ownerId: p.mentor.id };
    const theirs = { id: uuid(), pairId: p.pairId, title: 'Mentee goal' };
    await expectJson(await call('POST', '/api/v1/goals', { token: p.mentor.token, body: mine, headers }), 201);
    const res = await call('POST', '/api/v1/goals', { token: p.mentee.token, body: theirs, headers });
    expect(GoalBody.parse(await expectJson(res, 201)).goal.id).toBe(theirs.id);
    expect(res.headers.get('idempotent-replayed')).toBeNull();
    expect(await countRows('goals', 'org_id = ?', p.orgId)).toBe(2);
  });

  it('accepts a streamed body (no content-length) and refuses a streamed body over 64 KB with 413', async () => {
    const p = await seedProgramme();
    const stream = (text: string) =>
      new Request('http://alongside.test/api/v1/goals', {
        method: 'POST',
        headers: { authorization: `Bearer ${p.mentor.token}`, 'content-type': 'application/json' },
        body: new Blob([text]).stream(),
      });
    const small = { id: uuid(), pairId: p.pairId, title: 'Streamed' };
    const ok = await exports.default.fetch(stream(JSON.stringify(small)));
    expect(GoalBody.parse(await expectJson(ok, 201)).goal.title).toBe('Streamed');
    const big = await exports.default.fetch(stream(JSON.stringify({ ...small, id: uuid(), specific: 'x'.repeat(70_000) })));
    await expectError(big, 413, 'payload_too_large');
    expect(await countRows('goals', 'org_id = ?', p.orgId)).toBe(1);
  });

  it('rejects a malformed Idempotency-Key (400) and writes nothing', async () => {
    const p = await seedProgramme();
    const body = { id: uuid(), pairId: p.pairId, title: 'x' };
    await expectError(await call('POST', '/api/v1/goals', { token: p.mentor.token, body, headers: { 'idempotency-key': 'short' } }), 400, 'invalid_input');
    expect(await countRows('goals', 'org_id = ?', p.orgId)).toBe(0);
  });
});

describe('GET /api/v1/goals/:id', () => {
  it('returns the goal with its milestones to both members', async () => {
    const { p, goal, milestone } = await programmeWithGoal();
    for (const token of [p.mentor.token, p.mentee.token]) {
      const body = GoalBody.parse(await expectJson(await call('GET', `/api/v1/goals/${goal.id}`, { token }), 200));
      expect(body.goal).toMatchObject({ id: goal.id, title: 'Give a conference talk', version: 1 });
      expect(body.goal.milestones).toEqual([expect.objectContaining({ id: milestone.id, title: 'Submit the abstract', doneAt: null, version: 1 })]);
    }
  });

  it('answers 400 for an id that is not a uuid and 404 for an unknown goal', async () => {
    const p = await seedProgramme();
    const err = await expectError(await call('GET', '/api/v1/goals/nope', { token: p.mentor.token }), 400, 'invalid_input');
    expect(err.error.issues?.[0]?.path).toEqual(['id']);
    await expectError(await call('GET', `/api/v1/goals/${uuid()}`, { token: p.mentor.token }), 404, 'not_found');
  });
});

describe('PATCH /api/v1/goals/:id', () => {
  it('keeps one revision per change with its author: progress 0 → 40 → 100 completes the goal', async () => {
    const { p, goal } = await programmeWithGoal();
    const at40 = GoalBody.parse(await expectJson(await patchGoal(p.mentee.token, goal.id, { version: 1, progress: 40, note: 'Abstract drafted' }), 200));
    expect(at40.goal).toMatchObject({ progress: 40, status: 'active', version: 2 });
    const at100 = GoalBody.parse(await expectJson(await patchGoal(p.mentor.token, goal.id, { version: 2, progress: 100 }), 200));
    expect(at100.goal).toMatchObject({ progress: 100, status: 'completed', version: 3 });

    const revisions = await history(p.mentee.token, goal.id);
    expect(revisions.map((r) => [r.version, r.progress, r.status, r.authorId, r.note])).toEqual([
      [1, 0, 'active', p.mentor.id, 'Created'],
      [2, 40, 'active', p.mentee.id, 'Abstract drafted'],
      [3, 100, 'completed', p.mentor.id, ''],
    ]);
    // Each revision is stamped with the time of its change, in order.
    const times = revisions.map((r) => r.createdAt);
    expect([...times].sort()).toEqual(times);
  });

  it('keeps an explicit status when progress reaches 100', async () => {
    const { p, goal } = await programmeWithGoal();
    const { goal: updated } = GoalBody.parse(await expectJson(await patchGoal(p.mentor.token, goal.id, { version: 1, progress: 100, status: 'active' }), 200));
    expect(updated).toMatchObject({ progress: 100, status: 'active' });
  });

  it('changes the SMART fields, clears the due date and records the new snapshot', async () => {
    const { p, goal } = await programmeWithGoal();
    await expectJson(await patchGoal(p.mentor.token, goal.id, { version: 1, dueOn: '2027-01-15', measure: 'Talks given' }), 200);
    const { goal: updated } = GoalBody.parse(await expectJson(await patchGoal(p.mentor.token, goal.id, { version: 2, title: 'Give two talks', dueOn: null }), 200));
    expect(updated).toMatchObject({ title: 'Give two talks', measure: 'Talks given', dueOn: null, version: 3 });
    const revisions = await history(p.mentor.token, goal.id);
    expect(revisions.map((r) => r.snapshot.dueOn)).toEqual([null, '2027-01-15', null]);
    expect(revisions[2]?.snapshot).toMatchObject({ title: 'Give two talks', measure: 'Talks given' });
  });

  it('answers a stale version with 409 and the current goal, changing nothing', async () => {
    const { p, goal } = await programmeWithGoal();
    await expectJson(await patchGoal(p.mentor.token, goal.id, { version: 1, progress: 30 }), 200);
    const before = await orgSnapshot(p.orgId);
    const err = await expectError(await patchGoal(p.mentee.token, goal.id, { version: 1, progress: 50 }), 409, 'version_conflict');
    const current = Goal.parse(err.current);
    expect(current).toMatchObject({ id: goal.id, version: 2, progress: 30 });
    expect(await orgSnapshot(p.orgId)).toEqual(before);
  });

  it('lets the mentee edit their own goal but not the mentor’s', async () => {
    const p = await seedProgramme();
    const menteeGoal = await createGoalViaApi(p, { token: p.mentee.token });
    const mentorGoal = await createGoalViaApi(p, { ownerId: p.mentor.id });
    await expectJson(await patchGoal(p.mentee.token, menteeGoal.id, { version: 1, progress: 10 }), 200);
    await expectError(await patchGoal(p.mentee.token, mentorGoal.id, { version: 1, progress: 10 }), 403, 'forbidden');
    // The mentor edits every goal of the pair.
    await expectJson(await patchGoal(p.mentor.token, menteeGoal.id, { version: 2, progress: 20 }), 200);
    expect(await countRows('goal_revisions', 'goal_id = ?', mentorGoal.id)).toBe(1);
  });

  it.each([
    ['no version', { progress: 10 }],
    ['nothing to change', { version: 1 }],
    ['only a note', { version: 1, note: 'why' }],
    ['only unknown fields', { version: 1, colour: 'red' }],
    ['version 0', { version: 0, progress: 10 }],
    ['a string version', { version: '1', progress: 10 }],
    ['progress above 100', { version: 1, progress: 101 }],
    ['progress as a string', { version: 1, progress: '40' }],
    ['an unknown status', { version: 1, status: 'done' }],
    ['an empty title', { version: 1, title: '' }],
    ['an impossible due date', { version: 1, dueOn: '2027-13-01' }],
    ['a note over 500 characters', { version: 1, progress: 10, note: 'x'.repeat(501) }],
    ['a JSON array', [{ version: 1, progress: 10 }]],
    ['JSON null', null],
  ])('answers 400 with issues for %s, and changes nothing', async (_label, body) => {
    const { p, goal } = await programmeWithGoal();
    const before = await orgSnapshot(p.orgId);
    const err = await expectError(await patchGoal(p.mentor.token, goal.id, body), 400, 'invalid_input');
    expect(err.error.issues?.length).toBeGreaterThan(0);
    expect(await countRows('goal_revisions', 'goal_id = ?', goal.id)).toBe(1);
    expect(await orgSnapshot(p.orgId)).toEqual(before);
  });

  it('answers 404 for an unknown goal', async () => {
    const p = await seedProgramme();
    await expectError(await patchGoal(p.mentor.token, uuid(), { version: 1, progress: 1 }), 404, 'not_found');
  });

  it('replays a PATCH with the same Idempotency-Key without a second revision', async () => {
    const { p, goal } = await programmeWithGoal();
    const headers = { 'idempotency-key': `goal-patch-${uuid()}` };
    const first = await expectJson(await call('PATCH', `/api/v1/goals/${goal.id}`, { token: p.mentor.token, body: { version: 1, progress: 60 }, headers }), 200);
    const replay = await call('PATCH', `/api/v1/goals/${goal.id}`, { token: p.mentor.token, body: { version: 1, progress: 60 }, headers });
    expect(await expectJson(replay, 200)).toEqual(first);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(await countRows('goal_revisions', 'goal_id = ?', goal.id)).toBe(2);
  });
});

describe('GET /api/v1/goals/:id/history', () => {
  it('answers 400 for a bad id and 404 for an unknown goal', async () => {
    const p = await seedProgramme();
    await expectError(await call('GET', '/api/v1/goals/x/history', { token: p.mentee.token }), 400, 'invalid_input');
    await expectError(await call('GET', `/api/v1/goals/${uuid()}/history`, { token: p.mentee.token }), 404, 'not_found');
  });
});

describe('POST /api/v1/goals/:id/milestones', () => {
  it('adds a milestone to the goal; a retry with the same id answers 200 and adds nothing', async () => {
    const { p, goal } = await programmeWithGoal();
    const body = { id: uuid(), title: 'Book the venue', dueOn: '2027-02-01' };
    const created = MilestoneBody.parse(await expectJson(await call('POST', `/api/v1/goals/${goal.id}/milestones`, { token: p.mentee.token, body }), 201));
    expect(created.milestone).toEqual({ id: body.id, goalId: goal.id, title: 'Book the venue', dueOn: '2027-02-01', doneAt: null, version: 1 });

    const retried = MilestoneBody.parse(await expectJson(await call('POST', `/api/v1/goals/${goal.id}/milestones`, { token: p.mentee.token, body }), 200));
    expect(retried).toEqual(created);
    expect(await countRows('milestones', 'id = ?', body.id)).toBe(1);
    const { goal: withIt } = GoalBody.parse(await expectJson(await call('GET', `/api/v1/goals/${goal.id}`, { token: p.mentor.token }), 200));
    expect(withIt.milestones.map((m) => m.id)).toContain(body.id);
  });

  it('refuses a milestone id already used on another goal (409)', async () => {
    const { p, goal, milestone } = await programmeWithGoal();
    const other = await createGoalViaApi(p);
    const res = await call('POST', `/api/v1/goals/${other.id}/milestones`, { token: p.mentor.token, body: { id: milestone.id, title: 'Steal' } });
    await expectError(res, 409, 'conflict');
    expect(await countRows('milestones', 'goal_id = ?', goal.id)).toBe(1);
    expect(await countRows('milestones', 'goal_id = ?', other.id)).toBe(0);
  });

  it('never answers with another goal’s milestone when both create the same id at once', async () => {
    const a = await programmeWithGoal();
    const b = await programmeWithGoal();
    const id = uuid();
    const [ra, rb] = await Promise.all([
      call('POST', `/api/v1/goals/${a.goal.id}/milestones`, { token: a.p.mentor.token, body: { id, title: 'Step of A' } }),
      call('POST', `/api/v1/goals/${b.goal.id}/milestones`, { token: b.p.mentor.token, body: { id, title: 'Step of B' } }),
    ]);
    const [ta, tb] = await Promise.all([ra.text(), rb.text()]);
    expect([ra.status, rb.status].sort()).toEqual([201, 409]);
    expect(ta).not.toContain('Step of B');
    expect(tb).not.toContain('Step of A');
  });

  it.each([
    ['no title', () => ({ id: uuid() })],
    ['an empty title', () => ({ id: uuid(), title: ' ' })],
    ['no id', () => ({ title: 'x' })],
    ['an id that is not a uuid', () => ({ id: 'm1', title: 'x' })],
    ['an impossible due date', () => ({ id: uuid(), title: 'x', dueOn: 'tomorrow' })],
  ])('answers 400 with issues for %s, and writes nothing', async (_label, makeBody) => {
    const { p, goal } = await programmeWithGoal();
    const body = makeBody();
    const err = await expectError(await call('POST', `/api/v1/goals/${goal.id}/milestones`, { token: p.mentor.token, body }), 400, 'invalid_input');
    expect(err.error.issues?.length).toBeGreaterThan(0);
    expect(await countRows('milestones', 'pair_id = ?', p.pairId)).toBe(1);
  });

  it('answers 404 for an unknown goal', async () => {
    const p = await seedProgramme();
    await expectError(await call('POST', `/api/v1/goals/${uuid()}/milestones`, { token: p.mentor.token, body: { id: uuid(), title: 'x' } }), 404, 'not_found');
  });
});

describe('PATCH /api/v1/goals/milestones/:id', () => {
  const patchMilestone = (token: string, id: string, body: unknown) => call('PATCH', `/api/v1/goals/milestones/${id}`, { token, body });

  it('ticks a milestone done and back, renames it and clears its due date', async () => {
    const { p, milestone } = await programmeWithGoal();
    const done = MilestoneBody.parse(await expectJson(await patchMilestone(p.mentee.token, milestone.id, { version: 1, done: true, dueOn: '2027-05-01' }), 200));
    expect(done.milestone).toMatchObject({ version: 2, dueOn: '2027-05-01' });
    expect(done.milestone.doneAt).not.toBeNull();

    const renamed = MilestoneBody.parse(await expectJson(await patchMilestone(p.mentor.token, milestone.id, { version: 2, title: 'Abstract accepted' }), 200));
    // Fields not sent are kept.
    expect(renamed.milestone).toMatchObject({ version: 3, title: 'Abstract accepted', dueOn: '2027-05-01', doneAt: done.milestone.doneAt });

    const undone = MilestoneBody.parse(await expectJson(await patchMilestone(p.mentor.token, milestone.id, { version: 3, done: false, dueOn: null }), 200));
    expect(undone.milestone).toMatchObject({ version: 4, doneAt: null, dueOn: null });
  });

  it('answers a stale version with 409 and the current milestone, changing nothing', async () => {
    const { p, milestone } = await programmeWithGoal();
    await expectJson(await patchMilestone(p.mentor.token, milestone.id, { version: 1, title: 'Renamed' }), 200);
    const before = await orgSnapshot(p.orgId);
    const err = await expectError(await patchMilestone(p.mentee.token, milestone.id, { version: 1, done: true }), 409, 'version_conflict');
    expect(Milestone.strict().parse(err.current)).toMatchObject({ id: milestone.id, version: 2, title: 'Renamed', doneAt: null });
    expect(await orgSnapshot(p.orgId)).toEqual(before);
  });

  it.each([
    ['nothing to change', { version: 1 }],
    ['no version', { done: true }],
    ['done as a string', { version: 1, done: 'yes' }],
    ['an empty title', { version: 1, title: '' }],
  ])('answers 400 with issues for %s, and changes nothing', async (_label, body) => {
    const { p, milestone } = await programmeWithGoal();
    const before = await orgSnapshot(p.orgId);
    const err = await expectError(await patchMilestone(p.mentor.token, milestone.id, body), 400, 'invalid_input');
    expect(err.error.issues?.length).toBeGreaterThan(0);
    expect(await orgSnapshot(p.orgId)).toEqual(before);
  });

  it('answers 400 for a bad id and 404 for an unknown milestone', async () => {
    const p = await seedProgramme();
    await expectError(await patchMilestone(p.mentor.token, 'm-1', { version: 1, done: true }), 400, 'invalid_input');
    await expectError(await patchMilestone(p.mentor.token, uuid(), { version: 1, done: true }), 404, 'not_found');
  });
});
