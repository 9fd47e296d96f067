import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AdminPair, AdminPairDetail, Invitation, User } from '../../shared/schemas/index.ts';
import { sha256Hex } from '../../worker/lib/crypto.ts';
import {
  call,
  countRows,
  createGoalViaApi,
  db,
  deadCredentials,
  expectError,
  expectJson,
  orgSnapshot,
  seedEntryRow,
  seedInvitation,
  seedMeetingRow,
  seedProgramme,
  seedToken,
  seedUser,
  uuid,
  type Programme,
} from './helpers.ts';

const UserBody = z.object({ user: User });
const UserList = z.object({ users: z.array(User) });
const PairBody = z.object({ pair: AdminPair });
const PairList = z.object({ pairs: z.array(AdminPair) });
const InvitationBody = z.object({ invitation: Invitation });

const newUser = (over: Record<string, unknown> = {}) => ({
  role: 'mentee',
  name: 'Ada Lovelace',
  email: `ada-${uuid().slice(0, 8)}@example.org`,
  timeZone: 'Europe/London',
  ...over,
});

/** A fresh mentee of `p`'s organisation, not in any pair, for creating pairs. */
const freeMentee = (p: Programme) => seedUser(p.orgId, 'mentee');

/** Every /admin route, with a valid request for it against programme `p`. */
const ROUTES: { name: string; method: string; path: (p: Programme) => string; body?: (p: Programme) => unknown; byId?: true }[] = [
  { name: 'GET /admin/users', method: 'GET', path: () => '/api/v1/admin/users' },
  { name: 'POST /admin/users', method: 'POST', path: () => '/api/v1/admin/users', body: () => newUser() },
  { name: 'PATCH /admin/users/:id', method: 'PATCH', path: (p) => `/api/v1/admin/users/${p.mentee.id}`, body: () => ({ name: 'Renamed' }), byId: true },
  { name: 'POST /admin/users/:id/revoke', method: 'POST', path: (p) => `/api/v1/admin/users/${p.mentee.id}/revoke`, byId: true },
  { name: 'POST /admin/invitations', method: 'POST', path: () => '/api/v1/admin/invitations', body: (p) => ({ userId: p.mentee.id }) },
  { name: 'GET /admin/pairs', method: 'GET', path: () => '/api/v1/admin/pairs' },
  { name: 'POST /admin/pairs', method: 'POST', path: () => '/api/v1/admin/pairs', body: (p) => ({ mentorId: p.mentor.id, menteeId: p.outsider.id, cadence: 'biweekly' }) },
  { name: 'GET /admin/pairs/:id', method: 'GET', path: (p) => `/api/v1/admin/pairs/${p.pairId}`, byId: true },
  { name: 'PATCH /admin/pairs/:id', method: 'PATCH', path: (p) => `/api/v1/admin/pairs/${p.pairId}`, body: () => ({ version: 1, cadence: 'monthly' }), byId: true },
];

describe('access to /admin routes', () => {
  it.each(ROUTES)('$name refuses every dead credential with 401 and changes nothing', async (route) => {
    const p = await seedProgramme();
    const credentials = await deadCredentials(p.admin);
    const before = await orgSnapshot(p.orgId);
    for (const { label, token } of credentials) {
      const res = await call(route.method, route.path(p), { token, body: route.body?.(p) });
      expect(res.status, label).toBe(401);
      await expectError(res, 401, 'unauthenticated');
    }
    expect(await orgSnapshot(p.orgId)).toEqual(before);
  });

  it.each(ROUTES)('$name is only for admins: mentor and mentee get 403, nothing changes', async (route) => {
    const p = await seedProgramme();
    const before = await orgSnapshot(p.orgId);
    for (const member of [p.mentor, p.mentee, p.outsider]) {
      const res = await call(route.method, route.path(p), { token: member.token, body: route.body?.(p) });
      expect(res.status, member.role).toBe(403);
      await expectError(res, 403, 'forbidden');
    }
    expect(await orgSnapshot(p.orgId)).toEqual(before);
  });

  it.each(ROUTES.filter((r) => r.byId))(
    '$name hides another organisation’s user or pair (404), leaking and changing nothing',
    async (route) => {
      const p = await seedProgramme();
      const other = await seedProgramme();
      const before = await orgSnapshot(p.orgId);
      const res = await call(route.method, route.path(p), { token: other.admin.token, body: route.body?.(p) });
      const text = await res.clone().text();
      await expectError(res, 404, 'not_found');
      expect(text).not.toContain(p.mentee.id.slice(0, 8) + '@');
      expect(text).not.toContain(p.mentor.id);
      expect(await orgSnapshot(p.orgId)).toEqual(before);
    },
  );

  it('lists only the admin’s own organisation', async () => {
    const p = await seedProgramme();
    const other = await seedProgramme();
    const users = UserList.parse(await expectJson(await call('GET', '/api/v1/admin/users', { token: other.admin.token }), 200));
    expect(users.users.every((u) => u.orgId === other.orgId)).toBe(true);
    const pairs = PairList.parse(await expectJson(await call('GET', '/api/v1/admin/pairs', { token: other.admin.token }), 200));
    expect(pairs.pairs.map((x) => x.id)).toEqual([other.pairId]);
    const all = JSON.stringify([users, pairs]);
    for (const id of [p.orgId, p.pairId, p.admin.id, p.mentor.id, p.mentee.id, p.outsider.id]) expect(all).not.toContain(id);
  });

  it('refuses to invite or pair people of another organisation, changing nothing', async () => {
    const p = await seedProgramme();
    const other = await seedProgramme();
    const before = await orgSnapshot(p.orgId);
    const theirsBefore = await orgSnapshot(other.orgId);
    await expectError(await call('POST', '/api/v1/admin/invitations', { token: other.admin.token, body: { userId: p.mentee.id } }), 404, 'not_found');
    const err = await expectError(
      await call('POST', '/api/v1/admin/pairs', { token: other.admin.token, body: { mentorId: p.mentor.id, menteeId: p.outsider.id, cadence: 'weekly' } }),
      400,
      'invalid_input',
    );
    expect(err.error.issues?.map((i) => i.path)).toEqual([['mentorId'], ['menteeId']]);
    expect(await orgSnapshot(p.orgId)).toEqual(before);
    expect(await orgSnapshot(other.orgId)).toEqual(theirsBefore);
  });

  it('does not let an admin read pair notes: /entries is for pair members only', async () => {
    const p = await seedProgramme();
    const entryId = await seedEntryRow(p, { body: 'Only for the pair' });
    for (const path of [`/api/v1/entries?pairId=${p.pairId}`, `/api/v1/entries/${entryId}`]) {
      const res = await call('GET', path, { token: p.admin.token });
      const text = await res.clone().text();
      await expectError(res, 403, 'forbidden');
      expect(text).not.toContain('Only for the pair');
    }
  });
});

describe('confidentiality: admins see engagement, never note text', () => {
  it('no admin response contains the body of any entry', async () => {
    const p = await seedProgramme();
    const secret = `Confidential-${uuid()}`;
    await seedEntryRow(p, { body: `${secret} shared note`, kind: 'note' });
    await seedEntryRow(p, { body: `${secret} private note`, visibility: 'private', authorId: p.mentor.id });
    await seedEntryRow(p, { body: `${secret} action`, kind: 'action' });
    await seedEntryRow(p, { body: `${secret} decision`, kind: 'decision' });
    await createGoalViaApi(p);
    await seedMeetingRow(p);

    const detailRes = await call('GET', `/api/v1/admin/pairs/${p.pairId}`, { token: p.admin.token });
    const detail = AdminPairDetail.parse(await expectJson(detailRes.clone(), 200));
    expect(detail.entryCounts).toEqual({ note: 2, action: 1, decision: 1, question: 0 });

    expect(await detailRes.text()).not.toContain(secret);
    const lists = [
      '/api/v1/admin/pairs',
      '/api/v1/admin/pairs?status=active',
      '/api/v1/admin/users',
      '/api/v1/admin/users?role=mentee',
      // The insights mounted next to these routes (worker/routes/admin-insights.ts) are admin lists too.
      '/api/v1/admin/dashboard',
      `/api/v1/admin/matches?menteeId=${p.outsider.id}`,
      '/api/v1/admin/export/engagement.csv',
      '/api/v1/admin/export/pairs.csv',
    ];
    for (const path of lists) {
      const res = await call('GET', path, { token: p.admin.token });
      const text = await res.text();
      expect(res.status, `${path}: ${text.slice(0, 200)}`).toBe(200);
      expect(text, path).not.toContain(secret);
    }
  });
});

describe('GET /api/v1/admin/users', () => {
  it('lists the organisation’s people by role, then name', async () => {
    const p = await seedProgramme();
    const { users } = UserList.parse(await expectJson(await call('GET', '/api/v1/admin/users', { token: p.admin.token }), 200));
    expect(users.map((u) => u.id).sort()).toEqual([p.admin.id, p.mentor.id, p.mentee.id, p.outsider.id].sort());
    const roles = users.map((u) => u.role);
    expect(roles).toEqual(['admin', 'mentee', 'mentee', 'mentor']);
    const mentees = users.filter((u) => u.role === 'mentee').map((u) => u.name);
    expect(mentees).toEqual([...mentees].sort());
  });

  it.each(['mentor', 'mentee', 'admin'] as const)('filters by role=%s', async (role) => {
    const p = await seedProgramme();
    const { users } = UserList.parse(await expectJson(await call('GET', `/api/v1/admin/users?role=${role}`, { token: p.admin.token }), 200));
    expect(users.length).toBeGreaterThan(0);
    expect(users.every((u) => u.role === role)).toBe(true);
  });

  it('answers 400 with issues for an unknown role', async () => {
    const p = await seedProgramme();
    const err = await expectError(await call('GET', '/api/v1/admin/users?role=owner', { token: p.admin.token }), 400, 'invalid_input');
    expect(err.error.issues?.[0]?.path).toEqual(['role']);
  });
});

describe('POST /api/v1/admin/users', () => {
  it('adds a person, with a lowercased email, defaults and an audit record', async () => {
    const p = await seedProgramme();
    const body = newUser({ role: 'mentor', email: 'Grace.Hopper@Example.ORG', skills: ['cobol', ' compilers '], workingHours: { startMinute: 480, endMinute: 960 } });
    const { user } = UserBody.parse(await expectJson(await call('POST', '/api/v1/admin/users', { token: p.admin.token, body }), 201));
    expect(user).toMatchObject({
      orgId: p.orgId,
      role: 'mentor',
      name: 'Ada Lovelace',
      email: 'grace.hopper@example.org',
      timeZone: 'Europe/London',
      workingHours: { startMinute: 480, endMinute: 960 },
      skills: ['cobol', 'compilers'],
      interests: [],
      capacity: 3,
      status: 'active',
    });
    expect(await countRows('audit_log', "org_id = ? AND action = 'user.create' AND target_id = ? AND actor_id = ?", p.orgId, user.id, p.admin.id)).toBe(1);
    // A mentee takes no pairs as a mentor: capacity defaults to 0.
    const mentee = UserBody.parse(await expectJson(await call('POST', '/api/v1/admin/users', { token: p.admin.token, body: newUser() }), 201));
    expect(mentee.user).toMatchObject({ role: 'mentee', capacity: 0, workingHours: { startMinute: 540, endMinute: 1020 } });
  });

  it('refuses an email already used in the organisation, whatever its case (409), writing nothing', async () => {
    const p = await seedProgramme();
    await expectJson(await call('POST', '/api/v1/admin/users', { token: p.admin.token, body: newUser({ email: 'dup@example.org' }) }), 201);
    const before = await orgSnapshot(p.orgId);
    const err = await expectError(
      await call('POST', '/api/v1/admin/users', { token: p.admin.token, body: newUser({ email: 'DUP@example.org', name: 'Other' }) }),
      409,
      'conflict',
    );
    expect(err.error.issues?.[0]?.path).toEqual(['email']);
    expect(await orgSnapshot(p.orgId)).toEqual(before);
  });

  it('gives one of several simultaneous requests for one email the person, and the others 409 (never 500)', async () => {
    const p = await seedProgramme();
    const body = newUser({ email: 'race@example.org' });
    const results = await Promise.all([1, 2, 3].map((n) => call('POST', '/api/v1/admin/users', { token: p.admin.token, body: { ...body, name: `Racer ${n}` } })));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    for (const res of results.filter((r) => r.status === 409)) await expectError(res, 409, 'conflict');
    expect(await countRows('users', 'org_id = ? AND email = ?', p.orgId, 'race@example.org')).toBe(1);
    expect(await countRows('audit_log', "org_id = ? AND action = 'user.create'", p.orgId)).toBe(1);
  });

  it('allows the same email in another organisation', async () => {
    const p = await seedProgramme();
    const other = await seedProgramme();
    await expectJson(await call('POST', '/api/v1/admin/users', { token: p.admin.token, body: newUser({ email: 'same@example.org' }) }), 201);
    await expectJson(await call('POST', '/api/v1/admin/users', { token: other.admin.token, body: newUser({ email: 'same@example.org' }) }), 201);
  });

  it.each([
    ['no role', { role: undefined }],
    ['an unknown role', { role: 'owner' }],
    ['an empty name', { name: '  ' }],
    ['a name over 200 characters', { name: 'x'.repeat(201) }],
    ['an invalid email', { email: 'not-an-email' }],
    ['an unknown time zone', { timeZone: 'Mars/Olympus_Mons' }],
    ['working hours that end before they start', { workingHours: { startMinute: 600, endMinute: 500 } }],
    ['working hours past midnight', { workingHours: { startMinute: 0, endMinute: 1441 } }],
    ['capacity over 50', { capacity: 51 }],
    ['an empty skill', { skills: [''] }],
    ['31 interests', { interests: Array.from({ length: 31 }, (_, i) => `i${i}`) }],
  ])('answers 400 with issues for %s, and writes nothing', async (_label, over) => {
    const p = await seedProgramme();
    const before = await orgSnapshot(p.orgId);
    const err = await expectError(await call('POST', '/api/v1/admin/users', { token: p.admin.token, body: newUser(over) }), 400, 'invalid_input');
    expect(err.error.issues?.length).toBeGreaterThan(0);
    expect(await countRows('users', 'org_id = ?', p.orgId)).toBe(4);
    expect(await orgSnapshot(p.orgId)).toEqual(before);
  });

  it('answers malformed JSON with the 400 envelope and a body over 64 KB with 413, writing nothing', async () => {
    const p = await seedProgramme();
    await expectError(
      await call('POST', '/api/v1/admin/users', { token: p.admin.token, rawBody: '{"role":"mentee",', headers: { 'content-type': 'application/json' } }),
      400,
      'invalid_input',
    );
    await expectError(await call('POST', '/api/v1/admin/users', { token: p.admin.token, body: newUser({ name: 'x'.repeat(66_000) }) }), 413, 'payload_too_large');
    expect(await countRows('users', 'org_id = ?', p.orgId)).toBe(4);
  });

  it('replays a request with the same Idempotency-Key and refuses the key for another body', async () => {
    const p = await seedProgramme();
    const headers = { 'idempotency-key': `user-create-${uuid()}` };
    const body = newUser();
    const first = await expectJson(await call('POST', '/api/v1/admin/users', { token: p.admin.token, body, headers }), 201);
    const replay = await call('POST', '/api/v1/admin/users', { token: p.admin.token, body, headers });
    expect(await expectJson(replay, 201)).toEqual(first);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(await countRows('users', 'org_id = ?', p.orgId)).toBe(5);
    expect(await countRows('audit_log', "org_id = ? AND action = 'user.create'", p.orgId)).toBe(1);

    await expectError(await call('POST', '/api/v1/admin/users', { token: p.admin.token, body: newUser(), headers }), 409, 'conflict');
    expect(await countRows('users', 'org_id = ?', p.orgId)).toBe(5);
  });
});

describe('PATCH /api/v1/admin/users/:id', () => {
  it('changes only the fields sent, and records it', async () => {
    const p = await seedProgramme();
    const created = UserBody.parse(
      await expectJson(
        await call('POST', '/api/v1/admin/users', { token: p.admin.token, body: newUser({ skills: ['python'], interests: ['chess'], goals: ['lead a team'], capacity: 0 }) }),
        201,
      ),
    ).user;
    const { user } = UserBody.parse(await expectJson(await call('PATCH', `/api/v1/admin/users/${created.id}`, { token: p.admin.token, body: { name: 'Ada King' } }), 200));
    expect(user).toEqual({ ...created, name: 'Ada King' });
    expect(await countRows('audit_log', "action = 'user.update' AND target_id = ?", created.id)).toBe(1);
  });

  it('changes time zone, working hours, tags and email', async () => {
    const p = await seedProgramme();
    const body = { timeZone: 'Pacific/Auckland', workingHours: { startMinute: 420, endMinute: 900 }, skills: ['go'], email: 'New@Example.org' };
    const { user } = UserBody.parse(await expectJson(await call('PATCH', `/api/v1/admin/users/${p.mentor.id}`, { token: p.admin.token, body }), 200));
    expect(user).toMatchObject({ timeZone: 'Pacific/Auckland', workingHours: { startMinute: 420, endMinute: 900 }, skills: ['go'], email: 'new@example.org' });
  });

  it('accepts the person’s own email in another case, and refuses someone else’s (409)', async () => {
    const p = await seedProgramme();
    const own = `${p.mentor.id}@example.org`.toUpperCase();
    await expectJson(await call('PATCH', `/api/v1/admin/users/${p.mentor.id}`, { token: p.admin.token, body: { email: own } }), 200);
    const before = await orgSnapshot(p.orgId);
    await expectError(
      await call('PATCH', `/api/v1/admin/users/${p.mentor.id}`, { token: p.admin.token, body: { email: `${p.mentee.id}@EXAMPLE.org` } }),
      409,
      'conflict',
    );
    expect(await orgSnapshot(p.orgId)).toEqual(before);
  });

  it('answers 409 (never 500) when two people are given the same email at the same time', async () => {
    const p = await seedProgramme();
    const results = await Promise.all(
      [p.mentee.id, p.outsider.id].map((id) => call('PATCH', `/api/v1/admin/users/${id}`, { token: p.admin.token, body: { email: 'wanted@example.org' } })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(await countRows('users', 'org_id = ? AND email = ?', p.orgId, 'wanted@example.org')).toBe(1);
    expect(await countRows('audit_log', "org_id = ? AND action = 'user.update'", p.orgId)).toBe(1);
  });

  it.each([
    ['nothing to change', {}],
    ['an empty name', { name: '' }],
    ['an invalid email', { email: 'nope' }],
    ['an unknown time zone', { timeZone: 'Nowhere/Land' }],
    ['a negative capacity', { capacity: -1 }],
    ['a role (roles cannot change)', { role: 'admin' }],
  ])('answers 400 with issues for %s, and changes nothing', async (_label, body) => {
    const p = await seedProgramme();
    const before = await orgSnapshot(p.orgId);
    const err = await expectError(await call('PATCH', `/api/v1/admin/users/${p.mentee.id}`, { token: p.admin.token, body }), 400, 'invalid_input');
    expect(err.error.issues?.length).toBeGreaterThan(0);
    expect(await orgSnapshot(p.orgId)).toEqual(before);
  });

  it('answers 400 for a bad id and 404 for an unknown person', async () => {
    const p = await seedProgramme();
    await expectError(await call('PATCH', '/api/v1/admin/users/u1', { token: p.admin.token, body: { name: 'x' } }), 400, 'invalid_input');
    await expectError(await call('PATCH', `/api/v1/admin/users/${uuid()}`, { token: p.admin.token, body: { name: 'x' } }), 404, 'not_found');
  });
});

describe('POST /api/v1/admin/users/:id/revoke', () => {
  it('revokes access: tokens and open invitations stop working at once', async () => {
    const p = await seedProgramme();
    const code = await seedInvitation(p.mentee);
    const secondToken = await seedToken(p.mentee);
    const { user } = UserBody.parse(await expectJson(await call('POST', `/api/v1/admin/users/${p.mentee.id}/revoke`, { token: p.admin.token }), 200));
    expect(user).toMatchObject({ id: p.mentee.id, status: 'revoked' });

    for (const token of [p.mentee.token, secondToken]) {
      await expectError(await call('GET', '/api/v1/pairs', { token }), 401, 'unauthenticated');
    }
    await expectError(await call('POST', '/api/v1/auth/redeem', { body: { code } }), 401, 'unauthenticated');
    expect(await countRows('tokens', 'user_id = ? AND revoked_at IS NULL', p.mentee.id)).toBe(0);
    expect(await countRows('invitations', 'user_id = ? AND revoked_at IS NULL', p.mentee.id)).toBe(0);
    expect(await countRows('audit_log', "action = 'user.revoke' AND target_id = ?", p.mentee.id)).toBe(1);
    // The partner keeps working.
    await expectJson(await call('GET', '/api/v1/pairs', { token: p.mentor.token }), 200);
  });

  it('refuses to revoke the admin’s own access (409), changing nothing', async () => {
    const p = await seedProgramme();
    const before = await orgSnapshot(p.orgId);
    await expectError(await call('POST', `/api/v1/admin/users/${p.admin.id}/revoke`, { token: p.admin.token }), 409, 'conflict');
    expect(await orgSnapshot(p.orgId)).toEqual(before);
    await expectJson(await call('GET', '/api/v1/auth/me', { token: p.admin.token }), 200);
  });

  it('answers 400 for a bad id and 404 for an unknown person', async () => {
    const p = await seedProgramme();
    await expectError(await call('POST', '/api/v1/admin/users/xyz/revoke', { token: p.admin.token }), 400, 'invalid_input');
    await expectError(await call('POST', `/api/v1/admin/users/${uuid()}/revoke`, { token: p.admin.token }), 404, 'not_found');
  });
});

describe('POST /api/v1/admin/invitations', () => {
  it('creates an invitation whose code is stored only as a hash, with a link on this origin', async () => {
    const p = await seedProgramme();
    // A first invitation: the mentor has no active session (a re-invitation needs a reason, test/worker/trust-sessions.test.ts).
    await db().prepare('UPDATE tokens SET revoked_at = ? WHERE user_id = ?').bind(new Date().toISOString(), p.mentor.id).run();
    const { invitation } = InvitationBody.parse(await expectJson(await call('POST', '/api/v1/admin/invitations', { token: p.admin.token, body: { userId: p.mentor.id } }), 201));
    expect(invitation.userId).toBe(p.mentor.id);
    expect(invitation.link).toBe(`http://alongside.test/invite/${invitation.code}`);
    const days = (Date.parse(invitation.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(13.9);
    expect(days).toBeLessThanOrEqual(14);
    const row = await db().prepare('SELECT code_hash, created_by FROM invitations WHERE id = ?').bind(invitation.id).first<{ code_hash: string; created_by: string }>();
    expect(row).toEqual({ code_hash: await sha256Hex(invitation.code), created_by: p.admin.id });
    expect(JSON.stringify(await orgSnapshot(p.orgId))).not.toContain(invitation.code);
    expect(await countRows('audit_log', "action = 'invitation.create' AND target_id = ?", p.mentor.id)).toBe(1);
  });

  it('refuses to invite a person whose access was revoked (409)', async () => {
    const p = await seedProgramme();
    await expectJson(await call('POST', `/api/v1/admin/users/${p.outsider.id}/revoke`, { token: p.admin.token }), 200);
    const before = await orgSnapshot(p.orgId);
    await expectError(await call('POST', '/api/v1/admin/invitations', { token: p.admin.token, body: { userId: p.outsider.id } }), 409, 'conflict');
    expect(await orgSnapshot(p.orgId)).toEqual(before);
  });

  it.each([
    ['no userId', {}],
    ['a userId that is not a uuid', { userId: 'bob' }],
  ])('answers 400 with issues for %s, and writes nothing', async (_label, body) => {
    const p = await seedProgramme();
    const err = await expectError(await call('POST', '/api/v1/admin/invitations', { token: p.admin.token, body }), 400, 'invalid_input');
    expect(err.error.issues?.[0]?.path).toEqual(['userId']);
    expect(await countRows('invitations', 'org_id = ?', p.orgId)).toBe(0);
  });

  it('answers 404 for an unknown person', async () => {
    const p = await seedProgramme();
    await expectError(await call('POST', '/api/v1/admin/invitations', { token: p.admin.token, body: { userId: uuid() } }), 404, 'not_found');
    expect(await countRows('invitations', 'org_id = ?', p.orgId)).toBe(0);
  });
});

describe('GET /api/v1/admin/pairs', () => {
  it('lists the pairs with names, meeting count and last meeting, filtered by status', async () => {
    const p = await seedProgramme();
    const startedAt = new Date(Date.now() - 86_400_000).toISOString();
    await seedMeetingRow(p, { startedAt: new Date(Date.now() - 3 * 86_400_000).toISOString() });
    await seedMeetingRow(p, { startedAt });
    const { pairs } = PairList.parse(await expectJson(await call('GET', '/api/v1/admin/pairs', { token: p.admin.token }), 200));
    expect(pairs).toHaveLength(1);
    expect(pairs[0]).toMatchObject({
      id: p.pairId,
      status: 'active',
      mentor: { id: p.mentor.id, timeZone: 'America/New_York' },
      mentee: { id: p.mentee.id, timeZone: 'Asia/Kolkata' },
      meetingCount: 2,
      lastMeetingAt: startedAt,
    });
    expect(await expectJson(await call('GET', '/api/v1/admin/pairs?status=paused', { token: p.admin.token }), 200)).toEqual({ pairs: [] });
  });

  it('answers 400 with issues for an unknown status', async () => {
    const p = await seedProgramme();
    const err = await expectError(await call('GET', '/api/v1/admin/pairs?status=over', { token: p.admin.token }), 400, 'invalid_input');
    expect(err.error.issues?.[0]?.path).toEqual(['status']);
  });
});

describe('POST /api/v1/admin/pairs', () => {
  it('pairs an active mentor with an active mentee, and records it', async () => {
    const p = await seedProgramme();
    const mentee = await freeMentee(p);
    const body = { mentorId: p.mentor.id, menteeId: mentee.id, cadence: 'biweekly', meetingLinks: { meet: 'https://meet.google.com/abc-defg-hij' }, startedOn: '2026-09-01' };
    const { pair } = PairBody.parse(await expectJson(await call('POST', '/api/v1/admin/pairs', { token: p.admin.token, body }), 201));
    expect(pair).toMatchObject({
      orgId: p.orgId,
      mentorId: p.mentor.id,
      menteeId: mentee.id,
      status: 'active',
      cadence: 'biweekly',
      meetingLinks: { meet: 'https://meet.google.com/abc-defg-hij' },
      startedOn: '2026-09-01',
      endedOn: null,
      version: 1,
      meetingCount: 0,
      lastMeetingAt: null,
    });
    expect(await countRows('audit_log', "action = 'pair.create' AND target_id = ?", pair.id)).toBe(1);
    // The new pair shows up for its members.
    const mine = await expectJson<{ pairs: { id: string }[] }>(await call('GET', '/api/v1/pairs', { token: mentee.token }), 200);
    expect(mine.pairs.map((x) => x.id)).toEqual([pair.id]);
  });

  it('starts a pair today when no start date is given', async () => {
    const p = await seedProgramme();
    const { pair } = PairBody.parse(
      await expectJson(await call('POST', '/api/v1/admin/pairs', { token: p.admin.token, body: { mentorId: p.mentor.id, menteeId: p.outsider.id, cadence: 'weekly' } }), 201),
    );
    expect(pair.startedOn).toBe(new Date().toISOString().slice(0, 10));
    expect(pair.meetingLinks).toEqual({});
  });

  it.each([
    ['the same person twice', (p: Programme) => ({ mentorId: p.mentor.id, menteeId: p.mentor.id, cadence: 'weekly' }), 'menteeId'],
    ['a mentee as mentor', (p: Programme) => ({ mentorId: p.outsider.id, menteeId: p.mentee.id, cadence: 'weekly' }), 'mentorId'],
    ['an admin as mentee', (p: Programme) => ({ mentorId: p.mentor.id, menteeId: p.admin.id, cadence: 'weekly' }), 'menteeId'],
    ['an unknown mentee', (p: Programme) => ({ mentorId: p.mentor.id, menteeId: uuid(), cadence: 'weekly' }), 'menteeId'],
    ['an unknown cadence', (p: Programme) => ({ mentorId: p.mentor.id, menteeId: p.outsider.id, cadence: 'daily' }), 'cadence'],
    ['an unknown meeting platform', (p: Programme) => ({ mentorId: p.mentor.id, menteeId: p.outsider.id, cadence: 'weekly', meetingLinks: { skype: 'https://skype.com/x' } }), 'meetingLinks'],
    ['a meeting link that is not a URL', (p: Programme) => ({ mentorId: p.mentor.id, menteeId: p.outsider.id, cadence: 'weekly', meetingLinks: { meet: 'abc' } }), 'meetingLinks'],
    ['an impossible start date', (p: Programme) => ({ mentorId: p.mentor.id, menteeId: p.outsider.id, cadence: 'weekly', startedOn: '2026-02-30' }), 'startedOn'],
    ['no mentor', (p: Programme) => ({ menteeId: p.outsider.id, cadence: 'weekly' }), 'mentorId'],
  ])('answers 400 with issues for %s, and writes nothing', async (_label, body, path) => {
    const p = await seedProgramme();
    const before = await orgSnapshot(p.orgId);
    const err = await expectError(await call('POST', '/api/v1/admin/pairs', { token: p.admin.token, body: body(p) }), 400, 'invalid_input');
    expect(err.error.issues?.map((i) => i.path[0])).toContain(path);
    expect(await countRows('pairs', 'org_id = ?', p.orgId)).toBe(1);
    expect(await orgSnapshot(p.orgId)).toEqual(before);
  });

  it('creates one pair when the same request with one Idempotency-Key arrives twice at once', async () => {
    const p = await seedProgramme();
    const headers = { 'idempotency-key': `pair-create-${uuid()}` };
    const body = { mentorId: p.mentor.id, menteeId: p.outsider.id, cadence: 'weekly' };
    const results = await Promise.all([1, 2].map(() => call('POST', '/api/v1/admin/pairs', { token: p.admin.token, body, headers })));
    // The second is either a replay of the first (201) or refused while the first is in flight (409); never a second pair.
    for (const res of results) expect([201, 409]).toContain(res.status);
    expect(await countRows('pairs', 'org_id = ? AND mentee_id = ?', p.orgId, p.outsider.id)).toBe(1);
  });

  it('refuses a mentor whose access was revoked (400)', async () => {
    const p = await seedProgramme();
    await expectJson(await call('POST', `/api/v1/admin/users/${p.mentor.id}/revoke`, { token: p.admin.token }), 200);
    const err = await expectError(
      await call('POST', '/api/v1/admin/pairs', { token: p.admin.token, body: { mentorId: p.mentor.id, menteeId: p.outsider.id, cadence: 'weekly' } }),
      400,
      'invalid_input',
    );
    expect(err.error.issues?.map((i) => i.path)).toEqual([['mentorId']]);
    expect(await countRows('pairs', 'org_id = ?', p.orgId)).toBe(1);
  });
});

describe('GET /api/v1/admin/pairs/:id', () => {
  it('shows meetings, goals with their history, feedback and entry counts', async () => {
    const p = await seedProgramme();
    const goal = await createGoalViaApi(p);
    await expectJson(await call('PATCH', `/api/v1/goals/${goal.id}`, { token: p.mentor.token, body: { version: 1, progress: 50 } }), 200);
    const meetingId = await seedMeetingRow(p, { minutes: 50 });
    await db()
      .prepare("INSERT INTO feedback (id, meeting_id, pair_id, org_id, author_id, rating, comment, created_at) VALUES (?, ?, ?, ?, ?, 4, 'Useful', ?)")
      .bind(uuid(), meetingId, p.pairId, p.orgId, p.mentee.id, new Date().toISOString())
      .run();
    await seedEntryRow(p, { body: 'a question', kind: 'question' });

    const detail = AdminPairDetail.parse(await expectJson(await call('GET', `/api/v1/admin/pairs/${p.pairId}`, { token: p.admin.token }), 200));
    expect(detail.pair).toMatchObject({ id: p.pairId, meetingCount: 1 });
    expect(detail.meetings.map((m) => [m.id, m.durationMinutes])).toEqual([[meetingId, 50]]);
    expect(detail.goals.map((g) => [g.id, g.progress, g.history.map((h) => h.progress)])).toEqual([[goal.id, 50, [0, 50]]]);
    expect(detail.feedback.map((f) => [f.rating, f.comment, f.authorId])).toEqual([[4, 'Useful', p.mentee.id]]);
    expect(detail.entryCounts).toEqual({ note: 0, action: 0, decision: 0, question: 1 });
  });

  it('answers 400 for a bad id and 404 for an unknown pair', async () => {
    const p = await seedProgramme();
    await expectError(await call('GET', '/api/v1/admin/pairs/p1', { token: p.admin.token }), 400, 'invalid_input');
    await expectError(await call('GET', `/api/v1/admin/pairs/${uuid()}`, { token: p.admin.token }), 404, 'not_found');
  });
});

describe('PATCH /api/v1/admin/pairs/:id', () => {
  const patchPair = (p: Programme, body: unknown) => call('PATCH', `/api/v1/admin/pairs/${p.pairId}`, { token: p.admin.token, body });

  it('changes cadence and links, pauses and ends a pair, recording each change', async () => {
    const p = await seedProgramme();
    const v2 = PairBody.parse(await expectJson(await patchPair(p, { version: 1, cadence: 'monthly', meetingLinks: { zoom: 'https://zoom.us/j/123' } }), 200));
    expect(v2.pair).toMatchObject({ version: 2, cadence: 'monthly', meetingLinks: { zoom: 'https://zoom.us/j/123' }, status: 'active' });
    const v3 = PairBody.parse(await expectJson(await patchPair(p, { version: 2, status: 'paused' }), 200));
    expect(v3.pair).toMatchObject({ version: 3, status: 'paused', cadence: 'monthly', endedOn: null });
    const v4 = PairBody.parse(await expectJson(await patchPair(p, { version: 3, status: 'ended' }), 200));
    expect(v4.pair).toMatchObject({ version: 4, status: 'ended', endedOn: new Date().toISOString().slice(0, 10) });
    expect(await countRows('audit_log', "action = 'pair.update' AND target_id = ?", p.pairId)).toBe(3);
  });

  it('answers a stale version with 409 and the current pair, changing nothing (no audit record either)', async () => {
    const p = await seedProgramme();
    await expectJson(await patchPair(p, { version: 1, status: 'paused' }), 200);
    const before = await orgSnapshot(p.orgId);
    const err = await expectError(await patchPair(p, { version: 1, cadence: 'monthly' }), 409, 'version_conflict');
    expect(AdminPair.parse(err.current)).toMatchObject({ id: p.pairId, version: 2, status: 'paused', cadence: 'weekly' });
    expect(await orgSnapshot(p.orgId)).toEqual(before);
  });

  it('refuses to resume an ended pair (409), changing nothing', async () => {
    const p = await seedProgramme();
    await expectJson(await patchPair(p, { version: 1, status: 'ended' }), 200);
    const before = await orgSnapshot(p.orgId);
    await expectError(await patchPair(p, { version: 2, status: 'active' }), 409, 'conflict');
    expect(await orgSnapshot(p.orgId)).toEqual(before);
  });

  it.each([
    ['nothing to change', { version: 1 }],
    ['no version', { status: 'paused' }],
    ['version 0', { version: 0, status: 'paused' }],
    ['an unknown status', { version: 1, status: 'archived' }],
    ['an unknown cadence', { version: 1, cadence: 'hourly' }],
    ['a link that is not a URL', { version: 1, meetingLinks: { jitsi: 'not a url' } }],
  ])('answers 400 with issues for %s, and changes nothing', async (_label, body) => {
    const p = await seedProgramme();
    const before = await orgSnapshot(p.orgId);
    const err = await expectError(await patchPair(p, body), 400, 'invalid_input');
    expect(err.error.issues?.length).toBeGreaterThan(0);
    expect(await orgSnapshot(p.orgId)).toEqual(before);
  });

  it('replays a PATCH with the same Idempotency-Key instead of answering 409', async () => {
    const p = await seedProgramme();
    const headers = { 'idempotency-key': `pair-patch-${uuid()}` };
    const send = () => call('PATCH', `/api/v1/admin/pairs/${p.pairId}`, { token: p.admin.token, body: { version: 1, cadence: 'biweekly' }, headers });
    const first = await expectJson(await send(), 200);
    const replay = await send();
    expect(await expectJson(replay, 200)).toEqual(first);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(await countRows('audit_log', "action = 'pair.update' AND target_id = ?", p.pairId)).toBe(1);
  });

  it('answers 400 for a bad id and 404 for an unknown pair', async () => {
    const p = await seedProgramme();
    await expectError(await call('PATCH', '/api/v1/admin/pairs/nope', { token: p.admin.token, body: { version: 1, cadence: 'weekly' } }), 400, 'invalid_input');
    await expectError(await call('PATCH', `/api/v1/admin/pairs/${uuid()}`, { token: p.admin.token, body: { version: 1, cadence: 'weekly' } }), 404, 'not_found');
  });
});
