import { env } from 'cloudflare:workers';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { Dashboard, MatchesResponse, UserImportResult } from '../../shared/schemas/index.ts';
import { USERS_PER_INSERT } from '../../worker/db/user-import.ts';
import { RANGE, seedEngagementOrg } from './dashboard-seed.ts';
import { call, countRows, expectError, expectJson, seedEntryRow, seedProgramme, seedUser, uuid } from './helpers.ts';

const q = (params: Record<string, string>) => `?${new URLSearchParams(params)}`;

/** Every new route, with a request that is valid for an admin of the programme (menteeId filled in per test). */
const routes = (menteeId: string) => [
  { method: 'GET', path: `/api/v1/admin/dashboard${q(RANGE)}` },
  { method: 'GET', path: `/api/v1/admin/matches${q({ menteeId })}` },
  { method: 'GET', path: `/api/v1/admin/export/engagement.csv${q(RANGE)}` },
  { method: 'GET', path: '/api/v1/admin/export/pairs.csv' },
  {
    method: 'POST',
    path: '/api/v1/admin/users/import',
    rawBody: 'name,email,role,timeZone\nNew Person,new@example.org,mentee,Europe/Lisbon\n',
    headers: { 'content-type': 'text/csv' },
  },
] as const;

const csvImport = (token: string, csv: string, contentType = 'text/csv') =>
  call('POST', '/api/v1/admin/users/import', { token, rawBody: csv, headers: { 'content-type': contentType } });

describe('admin insights: who may call', () => {
  it('refuses the signed-out (401) and members (403) on every route, and changes nothing', async () => {
    const p = await seedProgramme();
    for (const r of routes(p.mentee.id)) {
      const opts = { rawBody: 'rawBody' in r ? r.rawBody : undefined, headers: 'headers' in r ? r.headers : undefined };
      await expectError(await call(r.method, r.path, opts), 401, 'unauthenticated');
      await expectError(await call(r.method, r.path, { ...opts, token: 'not-a-real-token-but-long-enough' }), 401, 'unauthenticated');
      await expectError(await call(r.method, r.path, { ...opts, token: p.mentor.token }), 403, 'forbidden');
      await expectError(await call(r.method, r.path, { ...opts, token: p.mentee.token }), 403, 'forbidden');
    }
    expect(await countRows('users', 'org_id = ?', p.orgId)).toBe(4);
  });

  it('answers invalid input with the 400 envelope', async () => {
    const p = await seedProgramme();
    const bad = [
      `/api/v1/admin/dashboard${q({ from: '2025-03-01', to: '2025-02-01' })}`, // from after to
      `/api/v1/admin/dashboard${q({ from: '2022-01-01', to: '2025-01-01' })}`, // over two years
      `/api/v1/admin/dashboard${q({ from: '2025-02-30' })}`, // not a date
      `/api/v1/admin/dashboard${q({ to: 'yesterday' })}`,
      `/api/v1/admin/export/engagement.csv${q({ from: '2025-03-01', to: '2025-02-01' })}`,
      `/api/v1/admin/matches`,
      `/api/v1/admin/matches${q({ menteeId: 'nope' })}`,
    ];
    for (const path of bad) {
      const env = await expectError(await call('GET', path, { token: p.admin.token }), 400, 'invalid_input');
      expect(env.error.issues?.length, path).toBeGreaterThan(0);
    }
    await expectError(await csvImport(p.admin.token, 'name,email,role,timeZone\nA,a@example.org,mentee,UTC\n', 'application/json'), 400, 'invalid_input');
    await expectError(await csvImport(p.admin.token, 'name,email\nA,a@example.org\n'), 400, 'invalid_input'); // missing columns
    await expectError(await csvImport(p.admin.token, 'name,email,role,timeZone,salary\nA,a@example.org,mentee,UTC,1\n'), 400, 'invalid_input');
    await expectError(await csvImport(p.admin.token, 'name,email,role,timeZone\n'), 400, 'invalid_input'); // no rows
    const big = `name,email,role,timeZone\n${'x'.repeat(65 * 1024)}`;
    await expectError(await csvImport(p.admin.token, big), 413, 'payload_too_large');
    expect(await countRows('users', 'org_id = ?', p.orgId)).toBe(4);
  });

  it('accepts a two-year range and defaults to the last 12 weeks', async () => {
    const p = await seedProgramme();
    const d = Dashboard.parse(await expectJson(await call('GET', `/api/v1/admin/dashboard${q({ from: '2023-01-02', to: '2025-01-01' })}`, { token: p.admin.token }), 200));
    expect(d.range).toEqual({ from: '2023-01-02', to: '2025-01-01' });
    const today = new Date().toISOString().slice(0, 10);
    const def = Dashboard.parse(await expectJson(await call('GET', '/api/v1/admin/dashboard', { token: p.admin.token }), 200));
    expect(def.range.to).toBe(today);
    expect((Date.parse(def.range.to) - Date.parse(def.range.from)) / 86_400_000).toBe(83);
    expect(def.activePairs).toBe(1);
  });
});

describe('admin insights: the dashboard route', () => {
  it('returns the organisation’s figures only, never another organisation’s or any note or comment', async () => {
    const org = await seedEngagementOrg();
    const other = await seedEngagementOrg('Other ');
    const res = await call('GET', `/api/v1/admin/dashboard${q(RANGE)}`, { token: org.admin.token });
    const text = await res.clone().text();
    const d = Dashboard.parse(await expectJson(res, 200));
    expect(d.activePairs).toBe(4);
    expect(d.meetingsHeld).toBe(17);
    expect(d.atRiskPairs.map((x) => x.pairId).sort()).toEqual([org.pairs.p2, org.pairs.p3, org.pairs.p6].sort());
    expect(text).not.toContain('Other ');
    expect(text).not.toContain('secret comment');
    for (const id of Object.values(other.pairs)) expect(text).not.toContain(id);
    for (const id of Object.values(other.users)) expect(text).not.toContain(id);
  });
});

describe('admin insights: matches', () => {
  async function matchingProgramme() {
    const p = await seedProgramme();
    const db = env.DB;
    const setUser = (id: string, fields: { tz: string; start: number; end: number; skills?: string[]; interests?: string[]; goals?: string[]; capacity?: number; name?: string }) =>
      db
        .prepare('UPDATE users SET time_zone = ?, work_start_minute = ?, work_end_minute = ?, skills = ?, interests = ?, goals = ?, capacity = ?, name = COALESCE(?, name) WHERE id = ?')
        .bind(fields.tz, fields.start, fields.end, JSON.stringify(fields.skills ?? []), JSON.stringify(fields.interests ?? []), JSON.stringify(fields.goals ?? []), fields.capacity ?? 3, fields.name ?? null, id)
        .run();
    // The unpaired mentee: Lisbon 9–17, wants public speaking and TypeScript, likes climbing.
    const mentee = p.outsider;
    await setUser(mentee.id, { tz: 'Europe/Lisbon', start: 540, end: 1020, goals: ['Public Speaking', 'TypeScript'], interests: ['climbing'] });
    const close = await seedUser(p.orgId, 'mentor', { name: 'Close Match' });
    await setUser(close.id, { tz: 'Europe/Berlin', start: 540, end: 1020, skills: ['public speaking', 'typescript'], interests: ['Climbing'], capacity: 2, name: 'Close Match' });
    const far = await seedUser(p.orgId, 'mentor', { name: 'Far Away' });
    await setUser(far.id, { tz: 'Pacific/Auckland', start: 540, end: 1020, skills: ['typescript'], name: 'Far Away' });
    const full = await seedUser(p.orgId, 'mentor', { name: 'Fully Booked' });
    await setUser(full.id, { tz: 'Europe/Lisbon', start: 540, end: 1020, skills: ['public speaking', 'typescript'], capacity: 1, name: 'Fully Booked' });
    // Fully Booked already mentors one pair; p.mentor (New York) already mentors p.mentee.
    const t = new Date().toISOString();
    await db
      .prepare(`INSERT INTO pairs (id, org_id, mentor_id, mentee_id, status, cadence, started_on, created_at, updated_at) VALUES (?, ?, ?, ?, 'active', 'weekly', ?, ?, ?)`)
      .bind(uuid(), p.orgId, full.id, p.mentee.id, t.slice(0, 10), t, t)
      .run();
    await setUser(p.mentor.id, { tz: 'America/New_York', start: 540, end: 1020, name: 'NY Mentor' });
    return { p, mentee, close, far, full };
  }

  it('ranks the organisation’s mentors by fit, with reasons, full mentors last', async () => {
    const { p, mentee, close, far, full } = await matchingProgramme();
    const other = await seedProgramme(); // another organisation's mentor must never be suggested
    const res = await call('GET', `/api/v1/admin/matches${q({ menteeId: mentee.id })}`, { token: p.admin.token });
    const m = MatchesResponse.parse(await expectJson(res, 200));
    expect(m.mentee.id).toBe(mentee.id);
    // Close Match 95 (both goals, an interest, 7 h overlap, room); NY Mentor 41 (3 h overlap in winter, 4 h in
    // summer, no topics); Far Away 35 (one goal, no overlap); Fully Booked 0 (at capacity).
    expect(m.suggestions.map((s) => s.mentor.id)).toEqual([close.id, p.mentor.id, far.id, full.id]);
    expect(m.suggestions.map((s) => s.mentor.id)).not.toContain(other.mentor.id);
    const [first] = m.suggestions;
    expect(first?.mentor.id).toBe(close.id);
    expect(first?.sharedTopics).toEqual(['Public Speaking', 'TypeScript', 'climbing']);
    expect(first?.overlapMinutes).toBe(420); // Lisbon and Berlin are an hour apart all year
    expect(first?.load).toEqual({ activePairs: 0, capacity: 2 });
    expect(first?.reasons[0]).toBe('Can help with 2 of 2 goals: Public Speaking, TypeScript');
    const last = m.suggestions.at(-1);
    expect(last?.mentor.id).toBe(full.id);
    expect(last).toMatchObject({ score: 0, available: false, load: { activePairs: 1, capacity: 1 } });
    expect(last?.reasons[0]).toMatch(/^At capacity/);
    const auckland = m.suggestions.find((s) => s.mentor.id === far.id);
    expect(auckland?.overlapMinutes).toBe(0);
  });

  it('leaves out a mentor already paired with the mentee', async () => {
    const { p } = await matchingProgramme();
    const m = MatchesResponse.parse(await expectJson(await call('GET', `/api/v1/admin/matches${q({ menteeId: p.mentee.id })}`, { token: p.admin.token }), 200));
    expect(m.suggestions.map((s) => s.mentor.id)).not.toContain(p.mentor.id);
  });

  it('is 404 for anyone who is not an active mentee of the organisation', async () => {
    const { p } = await matchingProgramme();
    const other = await seedProgramme();
    const revoked = await seedUser(p.orgId, 'mentee');
    await env.DB.prepare(`UPDATE users SET status = 'revoked' WHERE id = ?`).bind(revoked.id).run();
    for (const menteeId of [other.mentee.id, p.mentor.id, p.admin.id, revoked.id, uuid()]) {
      await expectError(await call('GET', `/api/v1/admin/matches${q({ menteeId })}`, { token: p.admin.token }), 404, 'not_found');
    }
  });
});

describe('admin insights: CSV exports', () => {
  it('exports engagement per pair as a CSV attachment, own organisation only, no notes or comments', async () => {
    const org = await seedEngagementOrg();
    await seedEngagementOrg('Other ');
    const p = { ...org, pairId: org.pairs.p1 as string, mentee: { id: org.users.e1 as string } };
    await seedEntryRow(p as never, { body: 'TOP SECRET NOTE BODY', authorId: org.users.e1 });
    const res = await call('GET', `/api/v1/admin/export/engagement.csv${q(RANGE)}`, { token: org.admin.token });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="alongside-engagement-2025-01-06-to-2025-03-02.csv"');
    const text = await res.text();
    expect(text).not.toContain('TOP SECRET');
    expect(text).not.toContain('secret comment');
    expect(text).not.toContain('Other ');
    const parsed = Papa.parse<Record<string, string>>(text.trim(), { header: true });
    expect(parsed.data).toHaveLength(6);
    const p2 = parsed.data.find((r) => r.pair_id === org.pairs.p2);
    expect(p2).toMatchObject({ mentor_name: 'Bob', cadence: 'biweekly', meetings: '3', expected_periods: '4', met_periods: '3', adherence: '0.7500', average_rating: '4.17' });
  });

  it('exports the pairs with their people and escapes spreadsheet formulas', async () => {
    const p = await seedProgramme();
    await env.DB.prepare('UPDATE users SET name = ? WHERE id = ?').bind('=HYPERLINK("http://evil.example")', p.mentor.id).run();
    await seedEntryRow(p, { body: 'TOP SECRET NOTE BODY' });
    const other = await seedProgramme();
    const res = await call('GET', '/api/v1/admin/export/pairs.csv', { token: p.admin.token });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="alongside-pairs-\d{4}-\d{2}-\d{2}\.csv"$/);
    const text = await res.text();
    expect(text).not.toContain('TOP SECRET');
    expect(text).not.toContain(other.pairId);
    const rows = Papa.parse<Record<string, string>>(text.trim(), { header: true }).data;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ pair_id: p.pairId, status: 'active', mentee_email: `${p.mentee.id}@example.org`, meetings: '0' });
    expect(rows[0]?.mentor_name).toBe(`'=HYPERLINK("http://evil.example")`);
  });
});

describe('admin insights: CSV import of people', () => {
  it('creates the valid rows and reports every bad one, creating nothing for them', async () => {
    const p = await seedProgramme();
    const existing = `${p.mentee.id}@example.org`;
    const csv = [
      'name,email,role,timeZone,skills,interests,goals',
      'Ana Lima,ana@example.org,mentee,America/Sao_Paulo,,design; climbing,public speaking;roadmaps', // 2 ok
      'Ben Ode,ben@example.org,Mentor,Africa/Lagos,typescript;hiring,,', // 3 ok (role any case)
      'Ana Again,ANA@example.org,mentee,Europe/Lisbon,,,', // 4 duplicate of row 2
      `Taken,${existing.toUpperCase()},mentee,Europe/Lisbon,,,`, // 5 already in the programme
      'Zed,zed@example.org,mentee,Mars/Olympus_Mons,,,', // 6 unknown time zone
      'Rae,rae@example.org,boss,Europe/Lisbon,,,', // 7 bad role
      ',nobody@example.org,mentee,UTC,,,', // 8 no name
      'Bad Mail,not-an-email,mentee,UTC,,,', // 9 bad email
      '"Quote, Comma",quote@example.org,mentee,UTC,,,', // 10 ok (quoted comma)
    ].join('\n');
    const before = await countRows('users', 'org_id = ?', p.orgId);
    const res = UserImportResult.parse(await expectJson(await csvImport(p.admin.token, csv), 200));
    expect(res.created.map((u) => [u.name, u.email, u.role, u.timeZone])).toEqual([
      ['Ana Lima', 'ana@example.org', 'mentee', 'America/Sao_Paulo'],
      ['Ben Ode', 'ben@example.org', 'mentor', 'Africa/Lagos'],
      ['Quote, Comma', 'quote@example.org', 'mentee', 'UTC'],
    ]);
    expect(res.created[0]).toMatchObject({ interests: ['design', 'climbing'], goals: ['public speaking', 'roadmaps'], orgId: p.orgId });
    expect(res.created[1]).toMatchObject({ skills: ['typescript', 'hiring'], capacity: 3 });
    expect(res.errors).toEqual([
      { row: 4, field: 'email', message: 'Same email as row 2' },
      { row: 5, field: 'email', message: 'Someone in this programme already has this email' },
      { row: 6, field: 'timeZone', message: 'Unknown time zone "Mars/Olympus_Mons": use an IANA name such as Europe/Lisbon' },
      { row: 7, field: 'role', message: 'Unknown role "boss": use mentor, mentee or admin' },
      { row: 8, field: 'name', message: 'Name is missing' },
      { row: 9, field: 'email', message: '"not-an-email" is not an email address' },
    ]);
    expect(await countRows('users', 'org_id = ?', p.orgId)).toBe(before + 3);
    expect(await countRows('users', 'org_id = ? AND email IN (?, ?, ?)', p.orgId, 'zed@example.org', 'rae@example.org', 'not-an-email')).toBe(0);
    expect(await countRows('audit_log', "org_id = ? AND action = 'user.import'", p.orgId)).toBe(1);
  });

  it('imports more people than fit in one statement (chunked under 100 parameters) in one go', async () => {
    const p = await seedProgramme();
    const n = USERS_PER_INSERT * 3 + 2;
    expect(USERS_PER_INSERT * 11 + 2).toBeLessThanOrEqual(100);
    const rows = Array.from({ length: n }, (_, i) => `Person ${i},person${i}@example.org,${i % 2 ? 'mentor' : 'mentee'},Asia/Tokyo,,,`);
    const res = UserImportResult.parse(await expectJson(await csvImport(p.admin.token, `name,email,role,timeZone,skills,interests,goals\n${rows.join('\n')}\n`), 200));
    expect(res.errors).toEqual([]);
    expect(res.created).toHaveLength(n);
    expect(res.created.map((u) => u.name)).toEqual(rows.map((_, i) => `Person ${i}`));
    // Importing the same file again creates nobody: every row is already taken.
    const again = UserImportResult.parse(await expectJson(await csvImport(p.admin.token, `name,email,role,timeZone\n${rows.map((r) => r.split(',').slice(0, 4).join(',')).join('\n')}`), 200));
    expect(again.created).toEqual([]);
    expect(again.errors).toHaveLength(n);
    expect(await countRows('users', 'org_id = ?', p.orgId)).toBe(4 + n);
  });

  it('an email of another organisation is free to use here', async () => {
    const p = await seedProgramme();
    const other = await seedProgramme();
    const res = UserImportResult.parse(
      await expectJson(await csvImport(p.admin.token, `name,email,role,timeZone\nTwin,${other.mentee.id}@example.org,mentee,UTC\n`), 200),
    );
    expect(res.created).toHaveLength(1);
    expect(res.created[0]?.orgId).toBe(p.orgId);
    expect(await countRows('users', 'org_id = ?', other.orgId)).toBe(4);
  });

  it('replays an import sent again with the same Idempotency-Key instead of importing twice', async () => {
    const p = await seedProgramme();
    const csv = 'name,email,role,timeZone\nOnce Only,once@example.org,mentee,UTC\n';
    const headers = { 'content-type': 'text/csv', 'idempotency-key': `import-${uuid()}` };
    const first = await call('POST', '/api/v1/admin/users/import', { token: p.admin.token, rawBody: csv, headers });
    const second = await call('POST', '/api/v1/admin/users/import', { token: p.admin.token, rawBody: csv, headers });
    expect(UserImportResult.parse(await expectJson(first, 200)).created).toHaveLength(1);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(UserImportResult.parse(await expectJson(second, 200)).created).toHaveLength(1);
    expect(await countRows('users', 'org_id = ? AND email = ?', p.orgId, 'once@example.org')).toBe(1);
  });
});
