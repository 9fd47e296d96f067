// Issue 8, data rights: export, erasure (checked by scanning every table) and retention.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createDeviceKeyPair, createRecoveryKey, createSymmetricKey, sealBackup } from '../../shared/crypto/index.ts';
import { MeExport, MeResponse } from '../../shared/schemas/index.ts';
import { ERASURE_COVERAGE } from '../../worker/db/erasure.ts';
import { purgeExpiredNotes } from '../../worker/db/retention.ts';
import {
  type Programme,
  call,
  countRows,
  createGoalViaApi,
  createMilestoneViaApi,
  expectError,
  expectJson,
  seedInvitation,
  seedMeetingRow,
  seedProgramme,
  seedSiblingPair,
  seedToken,
  setPairStatusRow,
  uuid,
} from './helpers.ts';

const NAME = 'Zephyrine Quillfeather';

/** Writes, through the API, everything a person leaves behind: notes of every kind, agenda, goals, feedback, keys. */
async function seedLife(p: Programme) {
  const db = env.DB;
  const name = `${NAME} ${uuid().slice(0, 6)}`;
  await db.prepare('UPDATE users SET name = ?, skills = ?, interests = ? WHERE id = ?')
    .bind(name, '["Quillwork"]', '["Zither"]', p.mentee.id)
    .run();
  const meetingId = await seedMeetingRow(p);
  const myMeeting = await seedMeetingRow(p, { startedAt: new Date(Date.now() - 30 * 3_600_000).toISOString() });
  await db.prepare('UPDATE meetings SET created_by = ? WHERE id = ?').bind(p.mentee.id, myMeeting).run();
  // Unique per call: the tests of this file share one database.
  const tag = uuid().slice(0, 8);
  const texts = {
    privateNote: `Secret worry about the reorg ${tag}-1`,
    sharedNote: `Shared plan for the talk ${tag}-2`,
    action: `Send the portfolio ${tag}-3`,
    agenda: `Ask about the conference ${tag}-4`,
    goalNote: `Moved after the review ${tag}-5`,
    feedback: `Great session, felt heard ${tag}-6`,
    goalTitle: `Become a staff engineer ${tag}-7`,
    milestone: `Write the design doc ${tag}-8`,
  };
  const post = async (path: string, token: string, body: unknown, headers?: Record<string, string>) =>
    expect((await call('POST', path, { token, body, headers })).status).toBeLessThan(300);
  await post('/api/v1/entries', p.mentee.token, { id: uuid(), pairId: p.pairId, kind: 'note', visibility: 'private', body: texts.privateNote });
  await post('/api/v1/entries', p.mentee.token, { id: uuid(), pairId: p.pairId, kind: 'note', body: texts.sharedNote, meetingId });
  await post('/api/v1/entries', p.mentee.token, { id: uuid(), pairId: p.pairId, kind: 'action', body: texts.action, actionOwnerId: p.mentee.id });
  await post('/api/v1/agenda', p.mentee.token, { id: uuid(), pairId: p.pairId, body: texts.agenda }, { 'idempotency-key': `key-${uuid()}` });
  const goal = await createGoalViaApi(p, { token: p.mentee.token, title: texts.goalTitle });
  await createMilestoneViaApi(p.mentee.token, goal.id, texts.milestone);
  expect((await call('PATCH', `/api/v1/goals/${goal.id}`, { token: p.mentee.token, body: { version: goal.version, progress: 40, note: texts.goalNote } })).status).toBe(200);
  await post('/api/v1/feedback', p.mentee.token, { id: uuid(), meetingId, rating: 4, comment: texts.feedback });
  // The partner's own writing, which stays, and an action of theirs owned by the person.
  const partnerNote = 'Mentor keeps this note mk1';
  await post('/api/v1/entries', p.mentor.token, { id: uuid(), pairId: p.pairId, kind: 'note', body: partnerNote });
  await post('/api/v1/entries', p.mentor.token, { id: uuid(), pairId: p.pairId, kind: 'action', body: 'Review the CV mk2', actionOwnerId: p.mentee.id });
  await post('/api/v1/entries', p.mentor.token, { id: uuid(), pairId: p.pairId, kind: 'note', visibility: 'private', body: 'Mentor private mk3' });
  // Admin actions about the person: audit rows that name them.
  expect((await call('PATCH', `/api/v1/admin/users/${p.mentee.id}`, { token: p.admin.token, body: { interests: ['Zither', 'Quills'] } })).status).toBe(200);
  await seedInvitation(p.mentee);
  const keys = await seedKeys(p);
  return { name, texts, partnerNote, meetingId, goalId: goal.id, keys };
}

/**
 * End-to-end encryption keys (issue 10), last, as publishing a pair key makes the pair's text ciphertext-only: both
 * members' devices, the pair key wrapped by the person's device to both, their personal key, their recovery-key
 * backup, and an approval request of a second device of theirs.
 */
async function seedKeys(p: Programme) {
  const [mine, partners, second] = await Promise.all([createDeviceKeyPair(), createDeviceKeyPair(), createDeviceKeyPair()]);
  const send = async (method: string, path: string, token: string, body: unknown) => expect((await call(method, path, { token, body })).status).toBeLessThan(300);
  await send('POST', '/api/v1/me/devices', p.mentee.token, { publicKeySpki: mine.publicKeySpki });
  await send('POST', '/api/v1/me/devices', p.mentor.token, { publicKeySpki: partners.publicKeySpki });
  const pairKey = await createSymmetricKey({ kind: 'pair', scope: p.pairId, sender: mine, recipients: [mine.publicKeySpki, partners.publicKeySpki] });
  await send('POST', `/api/v1/pairs/${p.pairId}/keys`, p.mentee.token, { records: pairKey.wrapped });
  const personal = await createSymmetricKey({ kind: 'personal', scope: p.mentee.id, sender: mine, recipients: [mine.publicKeySpki] });
  await send('POST', '/api/v1/me/keys', p.mentee.token, { records: personal.wrapped });
  const backup = await sealBackup({ recoveryKey: (await createRecoveryKey()).key, personId: p.mentee.id, device: mine, records: [...personal.wrapped, ...pairKey.wrapped.slice(0, 1)] });
  await send('PUT', '/api/v1/me/key-backup', p.mentee.token, { version: 0, backup });
  await send('POST', '/api/v1/me/devices/approvals', p.mentee.token, { publicKeySpki: second.publicKeySpki });
  return { needles: [mine.publicKeySpki, mine.deviceKeyId, second.publicKeySpki, second.deviceKeyId, backup.verifier], deviceKeyId: mine.deviceKeyId, partnerDeviceKeyId: partners.deviceKeyId };
}

const SKIP_TABLES = new Set(['d1_migrations', '_cf_KV', '_cf_METADATA']);

/** Every row of every table (read from sqlite_master now, so new tables are scanned too) that contains a needle. */
async function scanEverything(needles: string[]): Promise<{ table: string; column: string; needle: string; value: string }[]> {
  const { results: tables } = await env.DB.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).all<{ name: string }>();
  const hits: { table: string; column: string; needle: string; value: string }[] = [];
  for (const { name: table } of tables) {
    if (SKIP_TABLES.has(table)) continue;
    // Every column of every row, as text (TEXT columns and anything else), compared case-insensitively.
    const { results } = await env.DB.prepare(`SELECT * FROM "${table}"`).all<Record<string, unknown>>();
    for (const row of results) {
      for (const [column, value] of Object.entries(row)) {
        if (value === null) continue;
        const text = String(value).toLowerCase();
        for (const needle of needles) if (text.includes(needle.toLowerCase())) hits.push({ table, column, needle, value: String(value) });
      }
    }
  }
  return hits;
}

describe('GET /me/export', () => {
  it('gives a member everything they can see as JSON, and nothing of the partner’s private notes or of tokens', async () => {
    const p = await seedProgramme();
    const { name, texts, partnerNote, keys } = await seedLife(p);
    const res = await call('GET', '/api/v1/me/export', { token: p.mentee.token });
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="alongside-export-\d{4}-\d{2}-\d{2}\.json"$/);
    expect(res.headers.get('cache-control')).toContain('no-store');
    const data = MeExport.parse(await expectJson(res, 200));
    expect(data.user).toMatchObject({ id: p.mentee.id, name, interests: ['Zither', 'Quills'] });
    expect(data.settings).toEqual({ retentionDays: null });
    expect(data.sessions.filter((s) => s.current)).toHaveLength(1);
    const [pair] = data.pairs;
    expect(pair?.pair.id).toBe(p.pairId);
    expect(pair?.partner.id).toBe(p.mentor.id);
    const bodies = pair?.entries.map((e) => e.body) ?? [];
    expect(bodies).toEqual(expect.arrayContaining([texts.privateNote, texts.sharedNote, texts.action, partnerNote, 'Review the CV mk2']));
    expect(bodies).not.toContain('Mentor private mk3');
    expect(pair?.agenda.map((a) => a.body)).toEqual([texts.agenda]);
    expect(pair?.goals[0]?.title).toBe(texts.goalTitle);
    expect(pair?.goals[0]?.milestones[0]?.title).toBe(texts.milestone);
    expect(pair?.goals[0]?.history.map((h) => h.note)).toContain(texts.goalNote);
    expect(pair?.myFeedback.map((f) => f.comment)).toEqual([texts.feedback]);
    expect(pair?.meetings).toHaveLength(2);
    // Device public keys, not wrapped keys (shared/schemas/me-data.ts, MeExport.devices).
    expect(data.devices.map((d) => d.id).sort()).toEqual([keys.deviceKeyId, keys.needles[3]].sort());
    const raw = JSON.stringify(data);
    expect(raw).not.toContain('"wrapped"');
    expect(raw).not.toContain(p.mentee.token);
    expect(raw).not.toMatch(/token_?hash/i);
  });

  it('gives one pair’s notes as a Markdown file: goals, agenda, actions and notes by meeting', async () => {
    const p = await seedProgramme();
    const { texts, partnerNote } = await seedLife(p);
    const res = await call('GET', `/api/v1/me/export?format=markdown&pairId=${p.pairId}`, { token: p.mentee.token });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="alongside-notes-\d{4}-\d{2}-\d{2}-[0-9a-f]{8}\.md"$/);
    const md = await res.text();
    for (const heading of ['## Goals', '## Agenda', '## Actions', '## Notes by meeting', '### Meeting of']) expect(md).toContain(heading);
    for (const text of [texts.goalTitle, texts.milestone, texts.goalNote, texts.agenda, texts.action, texts.privateNote, texts.sharedNote, partnerNote]) {
      expect(md).toContain(text);
    }
    expect(md).not.toContain('Mentor private mk3');
    // The partner's private note stays theirs in the partner's own export too.
    const mentorMd = await (await call('GET', `/api/v1/me/export?format=markdown&pairId=${p.pairId}`, { token: p.mentor.token })).text();
    expect(mentorMd).toContain('Mentor private mk3');
    expect(mentorMd).not.toContain(texts.privateNote);
  });

  it('refuses another pair, a missing pair id and anonymous callers', async () => {
    const p = await seedProgramme();
    const sibling = await seedSiblingPair(p);
    await expectError(await call('GET', `/api/v1/me/export?format=markdown&pairId=${sibling.pairId}`, { token: p.mentee.token }), 404, 'not_found');
    await expectError(await call('GET', '/api/v1/me/export?format=markdown', { token: p.mentee.token }), 400, 'invalid_input');
    await expectError(await call('GET', '/api/v1/me/export?format=pdf', { token: p.mentee.token }), 400, 'invalid_input');
    await expectError(await call('GET', '/api/v1/me/export'), 401, 'unauthenticated');
  });
});

describe('erasure', () => {
  it('covers every column that references a person (a new table without a decision fails here)', async () => {
    const { results: tables } = await env.DB.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'`).all<{ name: string }>();
    const missing: string[] = [];
    for (const { name } of tables) {
      const { results: fks } = await env.DB.prepare('SELECT "table" AS target, "from" AS col FROM pragma_foreign_key_list(?)').bind(name).all<{ target: string; col: string }>();
      for (const fk of fks) if (fk.target === 'users' && !ERASURE_COVERAGE[name]?.[fk.col]) missing.push(`${name}.${fk.col}`);
    }
    expect(missing).toEqual([]);
  });

  it('DELETE /me with the typed confirmation erases the member from every table; figures keep anonymous counts', async () => {
    const p = await seedProgramme();
    const { name, texts, partnerNote, meetingId, keys } = await seedLife(p);
    // Not the tags: other tests' people have the same ones. The person's row is checked for them below.
    const needles = [p.mentee.id, name, `${p.mentee.id}@example.org`, ...Object.values(texts), ...keys.needles];
    expect((await scanEverything(needles)).length).toBeGreaterThan(10); // the scan finds what is there

    const res = await call('DELETE', '/api/v1/me', { token: p.mentee.token, body: { confirm: 'Delete my account' } });
    const outcome = await expectJson<{ erased: true; placeholderId: string; pairsEnded: number; entriesDeleted: number }>(res, 200);
    expect(outcome).toMatchObject({ erased: true, pairsEnded: 1, entriesDeleted: 3 });

    expect(await scanEverything(needles)).toEqual([]);
    // The partner's device stays; every key wrapped to or from the person's devices is gone.
    expect(await countRows('device_keys', 'device_key_id = ?', keys.partnerDeviceKeyId)).toBe(1);
    expect(await countRows('wrapped_keys', 'scope = ?', p.pairId)).toBe(0);
    const placeholder = await env.DB.prepare('SELECT name, email, skills, interests, goals, time_zone, status FROM users WHERE id = ?').bind(outcome.placeholderId).first();
    expect(placeholder).toEqual({ name: 'Erased person', email: `erased-${outcome.placeholderId}@erased.invalid`, skills: '[]', interests: '[]', goals: '[]', time_zone: 'UTC', status: 'revoked' });
    // Signed out everywhere: the token is gone.
    await expectError(await call('GET', '/api/v1/auth/me', { token: p.mentee.token }), 401, 'unauthenticated');
    // The partner keeps their own notes; the pair has ended; the meetings and the rating stay as anonymous counts.
    const pair = await env.DB.prepare('SELECT status, mentee_id, ended_on FROM pairs WHERE id = ?').bind(p.pairId).first<{ status: string; mentee_id: string; ended_on: string }>();
    expect(pair).toMatchObject({ status: 'ended', mentee_id: outcome.placeholderId });
    expect(await countRows('entries', 'pair_id = ? AND body = ?', p.pairId, partnerNote)).toBe(1);
    expect(await countRows('meetings', 'pair_id = ?', p.pairId)).toBe(2);
    expect(await countRows('feedback', 'meeting_id = ? AND rating = 4', meetingId)).toBe(1);
    // The partner's stream shows the person's shared entries as tombstones (so their copies go at the next sync).
    const page = await expectJson<{ entries: { body: string; deleted: boolean; authorId: string }[] }>(
      await call('GET', `/api/v1/entries?pairId=${p.pairId}`, { token: p.mentor.token }),
      200,
    );
    const tombstones = page.entries.filter((e) => e.authorId === outcome.placeholderId);
    expect(tombstones).toHaveLength(2);
    expect(tombstones.every((e) => e.deleted && e.body === '')).toBe(true);
    // The erasure is audited, naming nobody.
    const audit = await env.DB.prepare(`SELECT actor_id, target_id, detail FROM audit_log WHERE org_id = ? AND action = 'user.erase'`).bind(p.orgId).first<{ actor_id: string; target_id: string; detail: string }>();
    expect(audit).toMatchObject({ actor_id: 'erased', target_id: outcome.placeholderId });
    expect(JSON.parse(audit?.detail ?? '{}')).toMatchObject({ by: 'self', pairsEnded: 1, entriesDeleted: 3 });
  });

  it('refuses DELETE /me without the exact words, and changes nothing', async () => {
    const p = await seedProgramme();
    for (const body of [undefined, {}, { confirm: 'yes' }, { confirm: 'delete my acount' }]) {
      await expectError(await call('DELETE', '/api/v1/me', { token: p.mentee.token, body }), 400, 'invalid_input');
    }
    expect(await countRows('users', 'id = ?', p.mentee.id)).toBe(1);
    // Admins are erased by another admin.
    await expectError(await call('DELETE', '/api/v1/me', { token: p.admin.token, body: { confirm: 'delete my account' } }), 403, 'forbidden');
  });

  it('DELETE /admin/users/:id erases a mentor everywhere after the admin types their email', async () => {
    const p = await seedProgramme();
    const mentorName = 'Bartholomew Inkwhistle';
    await env.DB.prepare('UPDATE users SET name = ? WHERE id = ?').bind(mentorName, p.mentor.id).run();
    const privateText = 'Mentor private thought zz9';
    expect((await call('POST', '/api/v1/entries', { token: p.mentor.token, body: { id: uuid(), pairId: p.pairId, kind: 'note', visibility: 'private', body: privateText } })).status).toBe(201);
    await seedToken(p.mentor);
    const email = `${p.mentor.id}@example.org`;

    await expectError(await call('DELETE', `/api/v1/admin/users/${p.mentor.id}`, { token: p.admin.token, body: { confirmEmail: 'someone@else.org' } }), 400, 'invalid_input');
    await expectError(await call('DELETE', `/api/v1/admin/users/${p.mentor.id}`, { token: p.mentee.token, body: { confirmEmail: email } }), 403, 'forbidden');
    await expectError(await call('DELETE', `/api/v1/admin/users/${p.admin.id}`, { token: p.admin.token, body: { confirmEmail: `${p.admin.id}@example.org` } }), 409, 'conflict');
    const other = await seedProgramme();
    await expectError(await call('DELETE', `/api/v1/admin/users/${p.mentor.id}`, { token: other.admin.token, body: { confirmEmail: email } }), 404, 'not_found');
    expect(await countRows('users', 'id = ?', p.mentor.id)).toBe(1);

    const res = await call('DELETE', `/api/v1/admin/users/${p.mentor.id}`, { token: p.admin.token, body: { confirmEmail: email.toUpperCase() } });
    const outcome = await expectJson<{ placeholderId: string }>(res, 200);
    expect(await scanEverything([p.mentor.id, mentorName, email, privateText])).toEqual([]);
    const audit = await env.DB.prepare(`SELECT actor_id, detail FROM audit_log WHERE org_id = ? AND action = 'user.erase'`).bind(p.orgId).first<{ actor_id: string; detail: string }>();
    expect(audit?.actor_id).toBe(p.admin.id);
    expect(JSON.parse(audit?.detail ?? '{}')).toMatchObject({ by: 'admin' });
    // The admin view still lists the ended pair, with the anonymous placeholder as mentor.
    const pairs = await expectJson<{ pairs: { id: string; status: string; mentor: { id: string; name: string } }[] }>(
      await call('GET', '/api/v1/admin/pairs', { token: p.admin.token }),
      200,
    );
    expect(pairs.pairs.find((x) => x.id === p.pairId)).toMatchObject({ status: 'ended', mentor: { id: outcome.placeholderId, name: 'Erased person' } });
  });
});

describe('retention', () => {
  const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

  it('is off by default; an admin sets it, it is audited, and members see it', async () => {
    const p = await seedProgramme();
    expect(await expectJson(await call('GET', '/api/v1/admin/settings', { token: p.admin.token }), 200)).toEqual({ settings: { retentionDays: null } });
    expect(MeResponse.parse(await expectJson(await call('GET', '/api/v1/auth/me', { token: p.mentee.token }), 200)).settings).toEqual({ retentionDays: null });
    for (const body of [{ retentionDays: 0 }, { retentionDays: 1.5 }, { retentionDays: '30' }, {}, { retentionDays: 30, other: 1 }]) {
      await expectError(await call('PATCH', '/api/v1/admin/settings', { token: p.admin.token, body }), 400, 'invalid_input');
    }
    await expectError(await call('PATCH', '/api/v1/admin/settings', { token: p.mentor.token, body: { retentionDays: 30 } }), 403, 'forbidden');
    expect(await expectJson(await call('PATCH', '/api/v1/admin/settings', { token: p.admin.token, body: { retentionDays: 30 } }), 200)).toEqual({ settings: { retentionDays: 30 } });
    expect(MeResponse.parse(await expectJson(await call('GET', '/api/v1/auth/me', { token: p.mentee.token }), 200)).settings).toEqual({ retentionDays: 30 });
    expect(await countRows('audit_log', `org_id = ? AND action = 'settings.update'`, p.orgId)).toBe(1);
    // Another organisation is untouched.
    const other = await seedProgramme();
    expect(await expectJson(await call('GET', '/api/v1/admin/settings', { token: other.admin.token }), 200)).toEqual({ settings: { retentionDays: null } });
  });

  it('the cron purges the notes of pairs ended more than N days ago, audited, and keeps the figures', async () => {
    const p = await seedProgramme();
    const { texts } = await seedLife(p);
    const recent = await seedSiblingPair(p);
    expect((await call('POST', '/api/v1/entries', { token: recent.mentor.token, body: { id: uuid(), pairId: recent.pairId, kind: 'note', body: 'Recent note rr1' } })).status).toBe(201);
    await setPairStatusRow(p.pairId, 'ended');
    await setPairStatusRow(recent.pairId, 'ended');
    await env.DB.prepare('UPDATE pairs SET ended_on = ? WHERE id = ?').bind(daysAgo(31), p.pairId).run();
    await env.DB.prepare('UPDATE pairs SET ended_on = ? WHERE id = ?').bind(daysAgo(29), recent.pairId).run();

    // Off: nothing goes.
    await purgeExpiredNotes(env.DB);
    expect(await countRows('entries', 'pair_id = ?', p.pairId)).toBeGreaterThan(0);

    expect((await call('PATCH', '/api/v1/admin/settings', { token: p.admin.token, body: { retentionDays: 30 } })).status).toBe(200);
    expect(await purgeExpiredNotes(env.DB)).toBeGreaterThanOrEqual(1);
    expect(await countRows('entries', 'pair_id = ?', p.pairId)).toBe(0);
    expect(await countRows('agenda_items', 'pair_id = ?', p.pairId)).toBe(0);
    expect(await scanEverything([texts.privateNote, texts.sharedNote, texts.agenda, texts.goalNote, texts.feedback])).toEqual([]);
    // Kept: the pair ended 29 days ago, and the figures of the purged one.
    expect(await countRows('entries', 'pair_id = ?', recent.pairId)).toBe(1);
    expect(await countRows('meetings', 'pair_id = ?', p.pairId)).toBe(2);
    expect(await countRows('feedback', 'pair_id = ? AND rating = 4', p.pairId)).toBe(1);
    expect(await countRows('goals', 'pair_id = ?', p.pairId)).toBe(1);
    const audit = await env.DB.prepare(`SELECT actor_id, detail FROM audit_log WHERE org_id = ? AND action = 'retention.purge'`).bind(p.orgId).first<{ actor_id: string; detail: string }>();
    expect(audit?.actor_id).toBe(p.admin.id);
    expect(JSON.parse(audit?.detail ?? '{}')).toMatchObject({ pairIds: [p.pairId], entriesDeleted: 6, agendaItemsDeleted: 1 });
    // A second run finds nothing more to do for this pair.
    await purgeExpiredNotes(env.DB);
    expect(await countRows('audit_log', `org_id = ? AND action = 'retention.purge'`, p.orgId)).toBe(1);
  });
});
