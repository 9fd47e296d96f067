/**
 * Issue 8, defects 4 and 5: meeting links are https on the platform's own hosts only (old bad values removed by
 * migration 0005), free text with a lone UTF-16 surrogate is refused with a 400 naming the field instead of being
 * stored as U+FFFD, and emails are checked.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { call, countRows, db, expectError, expectJson, seedProgramme, uuid } from './helpers.ts';

/** JSON text with a lone high surrogate escaped: JSON.stringify would never produce it, a client can. */
const LONE = '\\ud800';

/** Sends `json` (raw JSON text) and expects a 400 whose issues name `path`. */
async function expectRefused(method: string, path: string, token: string, json: string, field: (string | number)[]) {
  const res = await call(method, path, { token, rawBody: json, headers: { 'content-type': 'application/json' } });
  const envelope = await expectError(res, 400, 'invalid_input');
  expect(envelope.error.issues?.map((i) => i.path)).toContainEqual(field);
  expect(envelope.error.message).toContain(field.join('.'));
}

describe('lone UTF-16 surrogates are refused, never stored altered', () => {
  it('an entry body with a lone surrogate is a 400 naming `body`, and nothing is stored', async () => {
    const p = await seedProgramme();
    const before = await countRows('entries', 'pair_id = ?', p.pairId);
    const json = `{"id":"${uuid()}","pairId":"${p.pairId}","kind":"note","body":"before ${LONE} after"}`;
    await expectRefused('POST', '/api/v1/entries', p.mentor.token, json, ['body']);
    expect(await countRows('entries', 'pair_id = ?', p.pairId)).toBe(before);
    expect(await countRows('entries', "body LIKE '%' || char(65533) || '%'")).toBe(0);
  });

  it('a well-formed astral character (a surrogate pair) is stored exactly as sent', async () => {
    const p = await seedProgramme();
    const id = uuid();
    const json = `{"id":"${id}","pairId":"${p.pairId}","kind":"note","body":"ok \\ud83d\\ude00"}`;
    await expectJson(await call('POST', '/api/v1/entries', { token: p.mentor.token, rawBody: json, headers: { 'content-type': 'application/json' } }), 201);
    const row = await db().prepare('SELECT body FROM entries WHERE id = ?').bind(id).first<{ body: string }>();
    expect(row?.body).toBe('ok 😀');
  });

  it.each([
    ['an agenda item', 'POST', '/api/v1/agenda', (p: { pairId: string }) => `{"id":"${uuid()}","pairId":"${p.pairId}","body":"x${LONE}"}`, ['body']],
    ['a goal title', 'POST', '/api/v1/goals', (p: { pairId: string }) => `{"id":"${uuid()}","pairId":"${p.pairId}","title":"x${LONE}"}`, ['title']],
    ['a goal measure', 'POST', '/api/v1/goals', (p: { pairId: string }) => `{"id":"${uuid()}","pairId":"${p.pairId}","title":"ok","measure":"${LONE}"}`, ['measure']],
  ] as const)('%s with a lone surrogate is a 400 naming the field', async (_label, method, path, json, field) => {
    const p = await seedProgramme();
    await expectRefused(method, path, p.mentor.token, json(p), [...field]);
  });

  it.each([
    ['name', `"name":"Ana ${LONE}"`, ['name']],
    ['a skill tag', `"name":"Ana","skills":["ok","\\udc00"]`, ['skills', 1]],
  ] as const)('an admin adding a person with a lone surrogate in %s gets a 400 naming it', async (_label, fields, path) => {
    const p = await seedProgramme();
    const before = await countRows('users', 'org_id = ?', p.orgId);
    const json = `{"role":"mentee","email":"ana-${uuid()}@example.org","timeZone":"Europe/Lisbon",${fields}}`;
    await expectRefused('POST', '/api/v1/admin/users', p.admin.token, json, [...path]);
    expect(await countRows('users', 'org_id = ?', p.orgId)).toBe(before);
  });
});

describe('emails', () => {
  it.each(['not-an-email', 'a@b', 'a@-x.com', 'a@x-.com', 'a..b@x.com', ' a@x.com', `a@${'x'.repeat(64)}.com`, 'a@x.com\n'])(
    'an admin adding a person with email %j gets a 400 naming `email`',
    async (email) => {
      const p = await seedProgramme();
      const res = await call('POST', '/api/v1/admin/users', { token: p.admin.token, body: { role: 'mentee', name: 'Ana', email, timeZone: 'Europe/Lisbon' } });
      const envelope = await expectError(res, 400, 'invalid_input');
      expect(envelope.error.issues?.map((i) => i.path)).toContainEqual(['email']);
    },
  );

  it('a well-formed email is accepted', async () => {
    const p = await seedProgramme();
    const res = await call('POST', '/api/v1/admin/users', {
      token: p.admin.token,
      body: { role: 'mentee', name: 'Ana', email: `ana.o'neil+${uuid().slice(0, 8)}@mail.example-org.com`, timeZone: 'Europe/Lisbon' },
    });
    await expectJson(res, 201);
  });
});

describe('meeting links', () => {
  async function newPair(p: Awaited<ReturnType<typeof seedProgramme>>, meetingLinks: unknown) {
    return call('POST', '/api/v1/admin/pairs', { token: p.admin.token, body: { mentorId: p.mentor.id, menteeId: p.outsider.id, cadence: 'weekly', meetingLinks } });
  }

  it.each([
    ['meet', 'javascript:alert(document.domain)'],
    ['meet', ' javascript:alert(1)'],
    ['meet', 'java\tscript:alert(1)'],
    ['zoom', 'data:text/html,<script>alert(1)</script>'],
    ['meet', 'http://meet.google.com/abc-defg-hij'],
    ['meet', 'https://meet.google.com.evil.example/abc'],
    ['meet', 'https://evil.example/meet.google.com'],
    ['meet', 'https://meet.google.com@evil.example/'],
    ['zoom', 'https://evilzoom.us/j/1'],
    ['zoom', 'https://zoom.us.evil.example/j/1'],
    ['teams', 'https://teams.microsoft.com.evil.example/l/meetup-join/x'],
    ['whereby', 'https://notwhereby.com/room'],
    ['jitsi', 'javascript:alert(1)'],
    ['jitsi', 'http://jitsi.example.org/room'],
  ])('refuses %s link %j with a 400 naming it, and creates no pair', async (platform, url) => {
    const p = await seedProgramme();
    const before = await countRows('pairs', 'org_id = ?', p.orgId);
    const envelope = await expectError(await newPair(p, { [platform]: url }), 400, 'invalid_input');
    expect(envelope.error.issues?.map((i) => i.path)).toContainEqual(['meetingLinks', platform]);
    expect(await countRows('pairs', 'org_id = ?', p.orgId)).toBe(before);
  });

  it('accepts https links on each platform’s hosts (and any https host for self-hosted Jitsi)', async () => {
    const p = await seedProgramme();
    const links = {
      meet: 'https://meet.google.com/abc-defg-hij',
      zoom: 'https://us02web.zoom.us/j/123456789?pwd=x',
      teams: 'https://teams.microsoft.com/l/meetup-join/19%3ameeting',
      whereby: 'https://acme.whereby.com/room',
      jitsi: 'https://jitsi.example.org/OurRoom',
    };
    const { pair } = await expectJson<{ pair: { id: string; meetingLinks: unknown; version: number } }>(await newPair(p, links), 201);
    expect(pair.meetingLinks).toEqual(links);
    for (const teams of ['https://teams.live.com/meet/1', 'https://teams.cloud.microsoft/meet/1']) {
      const current = (await db().prepare('SELECT version FROM pairs WHERE id = ?').bind(pair.id).first<{ version: number }>())?.version;
      await expectJson(await call('PATCH', `/api/v1/admin/pairs/${pair.id}`, { token: p.admin.token, body: { version: current, meetingLinks: { teams } } }), 200);
    }
  });

  it('a PATCH with a javascript: link is refused and leaves the stored links alone', async () => {
    const p = await seedProgramme();
    const stored = await db().prepare('SELECT meeting_links, version FROM pairs WHERE id = ?').bind(p.pairId).first<{ meeting_links: string; version: number }>();
    const res = await call('PATCH', `/api/v1/admin/pairs/${p.pairId}`, { token: p.admin.token, body: { version: stored?.version, meetingLinks: { meet: 'javascript:alert(1)' } } });
    await expectError(res, 400, 'invalid_input');
    const after = await db().prepare('SELECT meeting_links, version FROM pairs WHERE id = ?').bind(p.pairId).first();
    expect(after).toEqual(stored);
  });

  it('migration 0005 removes stored links that are not https on the platform’s hosts and keeps the rest', async () => {
    const p = await seedProgramme();
    const bad = {
      meet: 'javascript:alert(1)',
      zoom: 'data:text/html,<script>alert(1)</script>',
      teams: 'https://teams.microsoft.com.evil.example/x',
      whereby: 'https://whereby.com@evil.example/room',
      jitsi: 'https://jitsi.example.org/Room',
      other: 'https://meet.google.com/abc',
    };
    const good = { meet: 'https://MEET.google.com/abc-defg-hij', zoom: 'https://us02web.zoom.us/j/1' };
    const otherPair = uuid();
    const t = new Date().toISOString();
    await db().batch([
      db().prepare('UPDATE pairs SET meeting_links = ? WHERE id = ?').bind(JSON.stringify(bad), p.pairId),
      db()
        .prepare(
          `INSERT INTO pairs (id, org_id, mentor_id, mentee_id, status, cadence, meeting_links, started_on, created_at, updated_at) VALUES (?, ?, ?, ?, 'active', 'weekly', ?, ?, ?, ?)`,
        )
        .bind(otherPair, p.orgId, p.mentor.id, p.outsider.id, JSON.stringify(good), t.slice(0, 10), t, t),
    ]);
    const migration = env.TEST_MIGRATIONS.find((m) => m.name.startsWith('0005_'));
    expect(migration, 'migration 0005 exists').toBeDefined();
    await db().batch(migration!.queries.map((q) => db().prepare(q)));

    const links = async (id: string) => JSON.parse((await db().prepare('SELECT meeting_links FROM pairs WHERE id = ?').bind(id).first<{ meeting_links: string }>())!.meeting_links);
    expect(await links(p.pairId)).toEqual({ jitsi: 'https://jitsi.example.org/Room' });
    expect(await links(otherPair)).toEqual(good);
    // And the API reads what is left.
    const res = await call('GET', `/api/v1/admin/pairs/${p.pairId}`, { token: p.admin.token });
    expect((await expectJson<{ pair: { meetingLinks: unknown } }>(res, 200)).pair.meetingLinks).toEqual({ jitsi: 'https://jitsi.example.org/Room' });
  });
});
