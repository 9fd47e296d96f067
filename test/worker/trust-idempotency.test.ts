/**
 * Issue 8, defect 2: the idempotency cache keeps no secrets and no note text, and a replay answers as the resource
 * is now. Keys expire after 24 h and the cron trigger purges them.
 */
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { Entry } from '../../shared/schemas/index.ts';
import worker from '../../worker/index.ts';
import { sha256Hex } from '../../worker/lib/crypto.ts';
import { type Programme, call, countRows, expectError, expectJson, seedProgramme, uuid } from './helpers.ts';

const ENTRIES = '/api/v1/entries';
const AGENDA = '/api/v1/agenda';
const DB = env.DB;

const key = () => `key-${uuid()}`;
const withKey = (k: string) => ({ 'idempotency-key': k });

/** Every stored column of every key of this user, as one string: what someone reading the table would see. */
async function storedKeys(userId: string): Promise<string> {
  const { results } = await DB.prepare('SELECT * FROM idempotency_keys WHERE user_id = ?').bind(userId).all();
  return JSON.stringify(results);
}

async function createPrivateNote(p: Programme, k: string, body: string) {
  const res = await call('POST', ENTRIES, {
    token: p.mentor.token,
    headers: withKey(k),
    body: { id: uuid(), pairId: p.pairId, kind: 'note', visibility: 'private', body },
  });
  return Entry.parse((await expectJson<{ entry: unknown }>(res, 201)).entry);
}

describe('idempotency keys keep no answers (issue 8, defect 2)', () => {
  it('the table has no column for answers', async () => {
    const { results } = await DB.prepare('PRAGMA table_info(idempotency_keys)').all<{ name: string }>();
    expect(results.map((c) => c.name).sort()).toEqual(['created_at', 'key', 'request_hash', 'resource_id', 'resource_type', 'status', 'user_id']);
  });

  it('an invitation minted with a key: its code is not stored, and a replay does not give it again', async () => {
    const p = await seedProgramme();
    const k = key();
    // The mentee is signed in already, so this is a re-invitation, which needs a reason (defect 1).
    const send = () => call('POST', '/api/v1/admin/invitations', { token: p.admin.token, headers: withKey(k), body: { userId: p.mentee.id, reason: 'Lost their laptop' } });
    const first = await expectJson<{ invitation: { id: string; code: string; link: string } }>(await send(), 201);
    const { code } = first.invitation;
    expect(code.length).toBeGreaterThan(10);
    expect(await storedKeys(p.admin.id)).not.toContain(code);

    const replay = await send();
    const envelope = await expectError(replay, 409, 'conflict');
    expect(envelope.error.message).toMatch(/shown only once/);
    expect(JSON.stringify(envelope)).not.toContain(code);
    // The replay wrote nothing: still the one invitation.
    expect(await countRows('invitations', 'user_id = ?', p.mentee.id)).toBe(1);
  });

  it('a private note created with a key: its text is not stored, and a replay after the DELETE returns the tombstone', async () => {
    const p = await seedProgramme();
    const k = key();
    const text = `very private ${uuid()}`;
    const entry = await createPrivateNote(p, k, text);
    expect(await storedKeys(p.mentor.id)).not.toContain(text);

    const delKey = key();
    const del = () => call('DELETE', `${ENTRIES}/${entry.id}?version=1`, { token: p.mentor.token, headers: withKey(delKey) });
    await expectJson(await del(), 200);
    expect(await storedKeys(p.mentor.id)).not.toContain(text);

    const replay = await call('POST', ENTRIES, {
      token: p.mentor.token,
      headers: withKey(k),
      body: { id: entry.id, pairId: p.pairId, kind: 'note', visibility: 'private', body: text },
    });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    const replayed = await expectJson<{ entry: Entry }>(replay, 201);
    expect(replayed.entry).toMatchObject({ id: entry.id, deleted: true, body: '' });
    expect(JSON.stringify(replayed)).not.toContain(text);

    const replayDelete = await del();
    expect(replayDelete.headers.get('idempotent-replayed')).toBe('true');
    expect((await expectJson<{ entry: Entry }>(replayDelete, 200)).entry).toMatchObject({ id: entry.id, deleted: true, body: '' });
  });

  it('a replay answers with the resource as it is now (after an edit)', async () => {
    const p = await seedProgramme();
    const k = key();
    const entry = await createPrivateNote(p, k, 'first words');
    await expectJson(await call('PATCH', `${ENTRIES}/${entry.id}`, { token: p.mentor.token, body: { version: 1, body: 'second words' } }), 200);
    const replay = await call('POST', ENTRIES, {
      token: p.mentor.token,
      headers: withKey(k),
      body: { id: entry.id, pairId: p.pairId, kind: 'note', visibility: 'private', body: 'first words' },
    });
    expect((await expectJson<{ entry: Entry }>(replay, 201)).entry).toMatchObject({ body: 'second words', version: 2 });
  });

  it('an agenda item deleted since: the replay of its create is a 404 and brings nothing back', async () => {
    const p = await seedProgramme();
    const k = key();
    const body = { id: uuid(), pairId: p.pairId, body: 'ask about the salary review' };
    await expectJson(await call('POST', AGENDA, { token: p.mentee.token, headers: withKey(k), body }), 201);
    expect(await storedKeys(p.mentee.id)).not.toContain('salary');
    await expectJson(await call('DELETE', `${AGENDA}/${body.id}?version=1`, { token: p.mentee.token }), 200);
    const envelope = await expectError(await call('POST', AGENDA, { token: p.mentee.token, headers: withKey(k), body }), 404, 'not_found');
    expect(JSON.stringify(envelope)).not.toContain('salary');
  });

  it('stores only the status and the resource of an admin write, and replays the person as they are now', async () => {
    const p = await seedProgramme();
    const userKey = key();
    const newUser = { name: 'Dana Secret', email: `dana-${uuid()}@example.org`, role: 'mentee', timeZone: 'Europe/Lisbon' };
    const created = await expectJson<{ user: { id: string } }>(
      await call('POST', '/api/v1/admin/users', { token: p.admin.token, headers: withKey(userKey), body: newUser }),
      201,
    );
    const stored = await DB.prepare('SELECT status, resource_type AS type, resource_id AS id FROM idempotency_keys WHERE key = ?').bind(userKey).first();
    expect(stored).toEqual({ status: 201, type: 'admin.user', id: created.user.id });
    expect(await storedKeys(p.admin.id)).not.toContain('Dana Secret');
    // The replay re-reads the person (with a name changed since).
    await expectJson(await call('PATCH', `/api/v1/admin/users/${created.user.id}`, { token: p.admin.token, body: { name: 'Dana Renamed' } }), 200);
    const replay = await call('POST', '/api/v1/admin/users', { token: p.admin.token, headers: withKey(userKey), body: newUser });
    expect((await expectJson<{ user: { name: string } }>(replay, 201)).user.name).toBe('Dana Renamed');
  });
});

describe('a key still reserved by an earlier attempt', () => {
  it('answers 409 in_progress (retry later), not a refusal the outbox would give up on', async () => {
    const p = await seedProgramme();
    const k = key();
    const body = { id: uuid(), pairId: p.pairId, kind: 'note', body: 'written while the first attempt hangs' };
    // The first attempt reserved the key and died before finishing (e.g. a D1 failure on the way out).
    const requestHash = await sha256Hex(`POST ${ENTRIES}\n${JSON.stringify(body)}`); // as the middleware hashes it
    await DB.prepare(`INSERT INTO idempotency_keys (user_id, key, request_hash, status, created_at) VALUES (?, ?, ?, 0, ?)`)
      .bind(p.mentor.id, k, requestHash, new Date().toISOString())
      .run();
    await expectError(await call('POST', ENTRIES, { token: p.mentor.token, headers: withKey(k), body }), 409, 'in_progress');
    expect(await countRows('entries', 'body = ?', body.body)).toBe(0);
  });
});

describe('idempotency keys expire after 24 h', () => {
  const age = (k: string, hours: number) =>
    DB.prepare('UPDATE idempotency_keys SET created_at = ? WHERE key = ?').bind(new Date(Date.now() - hours * 3_600_000).toISOString(), k).run();

  it('an expired key counts as unused: it may be used for another request', async () => {
    const p = await seedProgramme();
    const k = key();
    await createPrivateNote(p, k, 'one');
    // Within 24 h the key is bound to its request…
    await expectError(
      await call('POST', ENTRIES, { token: p.mentor.token, headers: withKey(k), body: { id: uuid(), pairId: p.pairId, kind: 'note', body: 'two' } }),
      409,
      'conflict',
    );
    // …after 24 h it is free again.
    await age(k, 25);
    await createPrivateNote(p, k, 'three');
  });

  it('the cron trigger purges expired keys and keeps fresh ones', async () => {
    const p = await seedProgramme();
    const old = key();
    const fresh = key();
    await createPrivateNote(p, old, 'old');
    await createPrivateNote(p, fresh, 'fresh');
    await age(old, 24.5);
    const ctx = createExecutionContext();
    // The test env lacks bindings the handler does not use (e.g. rate limiters), hence the cast.
    await worker.scheduled?.(createScheduledController({ scheduledTime: new Date(), cron: '*/15 * * * *' }), env as never, ctx);
    await waitOnExecutionContext(ctx);
    expect(await countRows('idempotency_keys', 'key = ?', old)).toBe(0);
    expect(await countRows('idempotency_keys', 'key = ?', fresh)).toBe(1);
  });
});
