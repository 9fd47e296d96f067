import { describe, expect, it } from 'vitest';
import { BOOKMARK_HEADER, EntriesPage } from '../../shared/schemas/index.ts';
import { type Programme, call, countRows, expectError, expectJson, seedMeetingRow, seedProgramme, uuid } from './helpers.ts';

/** The shape of a D1 Sessions bookmark (hex groups separated by dashes). */
const BOOKMARK = /^[0-9a-f]+(-[0-9a-f]+)+$/;

describe('unknown routes', () => {
  it.each([
    ['GET', '/api/v1/nope'],
    ['GET', '/api/v1'],
    ['GET', '/api/v2/entries'],
    ['GET', '/nope'],
    ['PUT', '/api/v1/entries'],
    ['POST', `/api/v1/entries/${crypto.randomUUID()}/extra`],
    ['DELETE', '/api/v1/meetings'],
  ])('answer %s %s with the 404 envelope', async (method, path) => {
    const p = await seedProgramme();
    const envelope = await expectError(await call(method, path, { token: p.mentor.token }), 404, 'not_found');
    expect(envelope.error.message).toContain(path.split('?')[0]);
  });
});

/** Every write route of the pair data, with a path valid for programme `p`. */
const WRITES: [string, string, (p: Programme) => Promise<string>][] = [
  ['POST', '/entries', async () => '/api/v1/entries'],
  ['PATCH', '/entries/:id', async () => `/api/v1/entries/${uuid()}`],
  ['POST', '/agenda', async () => '/api/v1/agenda'],
  ['PATCH', '/agenda/:id', async () => `/api/v1/agenda/${uuid()}`],
  ['POST', '/meetings/start', async () => '/api/v1/meetings/start'],
  ['POST', '/meetings/:id/end', async (p) => `/api/v1/meetings/${await seedMeetingRow(p)}/end`],
  ['POST', '/meetings', async () => '/api/v1/meetings'],
  ['POST', '/feedback', async () => '/api/v1/feedback'],
];

describe('malformed JSON', () => {
  it.each(WRITES)('%s %s answers 400 with the envelope, writing nothing', async (method, _, path) => {
    const p = await seedProgramme();
    const target = await path(p);
    const before = await countRows('meetings', 'pair_id = ?', p.pairId);
    const withAndWithoutKey: Record<string, string>[] = [{ 'content-type': 'application/json' }, { 'content-type': 'application/json', 'idempotency-key': `broken-${uuid()}` }];
    for (const headers of withAndWithoutKey) {
      const res = await call(method, target, { token: p.mentor.token, rawBody: '{"id": "', headers });
      const envelope = await expectError(res, 400, 'invalid_input');
      expect(envelope.error.message).not.toMatch(/SyntaxError|at JSON\.parse/);
    }
    expect(await countRows('entries', 'pair_id = ?', p.pairId)).toBe(0);
    expect(await countRows('agenda_items', 'pair_id = ?', p.pairId)).toBe(0);
    expect(await countRows('meetings', 'pair_id = ?', p.pairId)).toBe(before);
    expect(await countRows('feedback', 'pair_id = ?', p.pairId)).toBe(0);
    expect(await countRows('idempotency_keys', 'user_id = ?', p.mentor.id)).toBe(0);
  });

  it('answers JSON sent as another content type with 400', async () => {
    const p = await seedProgramme();
    const body = JSON.stringify({ id: uuid(), pairId: p.pairId, kind: 'note', body: 'hi' });
    await expectError(await call('POST', '/api/v1/entries', { token: p.mentor.token, rawBody: body, headers: { 'content-type': 'text/plain' } }), 400, 'invalid_input');
    expect(await countRows('entries', 'pair_id = ?', p.pairId)).toBe(0);
  });
});

describe('request body limit', () => {
  it.each(WRITES)('%s %s answers a body over 64 KB with 413, writing nothing', async (method, _, path) => {
    const p = await seedProgramme();
    const huge = JSON.stringify({ id: uuid(), pairId: p.pairId, kind: 'note', body: 'x'.repeat(65 * 1024) });
    const res = await call(method, await path(p), { token: p.mentor.token, rawBody: huge, headers: { 'content-type': 'application/json' } });
    await expectError(res, 413, 'payload_too_large');
    expect(await countRows('entries', 'pair_id = ?', p.pairId)).toBe(0);
  });

  it('also applies when the body is streamed without a content-length', async () => {
    const p = await seedProgramme();
    const chunk = new TextEncoder().encode('x'.repeat(16 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 5) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const request = new Request('http://alongside.test/api/v1/entries', {
      method: 'POST',
      headers: { authorization: `Bearer ${p.mentor.token}`, 'content-type': 'application/json' },
      body: stream,
    });
    const { exports } = await import('cloudflare:workers');
    await expectError(await exports.default.fetch(request), 413, 'payload_too_large');
  });

  it('accepts a body just under the limit (and then validates it)', async () => {
    const p = await seedProgramme();
    const body = JSON.stringify({ id: uuid(), pairId: p.pairId, kind: 'note', body: 'x'.repeat(60 * 1024) });
    await expectError(await call('POST', '/api/v1/entries', { token: p.mentor.token, rawBody: body, headers: { 'content-type': 'application/json' } }), 400, 'invalid_input');
  });
});

describe('CORS', () => {
  it('answers the preflight of an extension with the allowed methods and headers, without a token', async () => {
    const res = await call('OPTIONS', '/api/v1/entries/0190d5d4-3d4c-7b7a-9c6e-3c2f1b0a9d8e', {
      headers: {
        origin: 'chrome-extension://abcdefghijklmnopabcdefghijklmnop',
        'access-control-request-method': 'PATCH',
        'access-control-request-headers': 'authorization, content-type, idempotency-key, x-d1-bookmark',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const methods = res.headers.get('access-control-allow-methods') ?? '';
    for (const m of ['GET', 'POST', 'PATCH', 'DELETE']) expect(methods).toContain(m);
    const allowed = (res.headers.get('access-control-allow-headers') ?? '').toLowerCase();
    for (const h of ['authorization', 'content-type', 'idempotency-key', BOOKMARK_HEADER]) expect(allowed).toContain(h);
    expect(res.headers.get('access-control-max-age')).toBe('86400');
  });

  it('lets the caller read the bookmark header, on success and on errors', async () => {
    const p = await seedProgramme();
    const headers = { origin: 'moz-extension://0b5e1c9a-0000-4000-8000-000000000000' };
    for (const res of [
      await call('GET', `/api/v1/entries?pairId=${p.pairId}`, { token: p.mentor.token, headers }),
      await call('GET', `/api/v1/entries?pairId=${p.pairId}`, { headers }),
    ]) {
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect((res.headers.get('access-control-expose-headers') ?? '').toLowerCase()).toContain(BOOKMARK_HEADER);
    }
  });

  it('adds the CORS headers to an idempotent replay', async () => {
    const p = await seedProgramme();
    const body = { id: uuid(), pairId: p.pairId, kind: 'note', body: 'hello' };
    const headers = { origin: 'chrome-extension://abc', 'idempotency-key': `k-${body.id}` };
    await expectJson(await call('POST', '/api/v1/entries', { token: p.mentor.token, body, headers }), 201);
    const replay = await call('POST', '/api/v1/entries', { token: p.mentor.token, body, headers });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.headers.get('access-control-allow-origin')).toBe('*');
    expect(replay.headers.get(BOOKMARK_HEADER)).toMatch(BOOKMARK);
  });
});

describe('D1 Sessions bookmark', () => {
  it('is returned on reads and writes, and a bookmark sent back reads the write', async () => {
    const p = await seedProgramme();
    const listed = await call('GET', `/api/v1/entries?pairId=${p.pairId}`, { token: p.mentor.token });
    expect(listed.headers.get(BOOKMARK_HEADER)).toMatch(BOOKMARK);
    const id = uuid();
    const created = await call('POST', '/api/v1/entries', {
      token: p.mentor.token,
      body: { id, pairId: p.pairId, kind: 'note', body: 'read my write' },
      headers: { [BOOKMARK_HEADER]: listed.headers.get(BOOKMARK_HEADER)! },
    });
    await expectJson(created, 201);
    const afterWrite = created.headers.get(BOOKMARK_HEADER);
    expect(afterWrite).toMatch(BOOKMARK);
    expect(afterWrite! >= listed.headers.get(BOOKMARK_HEADER)!).toBe(true);

    const read = await call('GET', `/api/v1/entries?pairId=${p.pairId}`, { token: p.mentee.token, headers: { [BOOKMARK_HEADER]: afterWrite! } });
    const page = EntriesPage.parse(await expectJson(read, 200));
    expect(page.entries.map((e) => e.id)).toEqual([id]);
    expect(read.headers.get(BOOKMARK_HEADER)! >= afterWrite!).toBe(true);
  });

  it('is returned with error answers too', async () => {
    const p = await seedProgramme();
    const res = await call('GET', `/api/v1/entries/${uuid()}`, { token: p.mentor.token });
    await expectError(res, 404, 'not_found');
    expect(res.headers.get(BOOKMARK_HEADER)).toMatch(BOOKMARK);
  });

  it.each([
    ['a word', 'garbage'],
    ['a session constraint name', 'first-primary'],
    ['punctuation', "'; DROP TABLE entries; --"],
    ['a very long string', 'a'.repeat(5000)],
    ['an empty string', ''],
    ['non-ASCII text', 'bookmark-ü'],
  ])('ignores %s sent as a bookmark (no 500) and answers with a real one', async (_, sent) => {
    const p = await seedProgramme();
    const headers = { [BOOKMARK_HEADER]: sent };
    const read = await call('GET', `/api/v1/entries?pairId=${p.pairId}`, { token: p.mentor.token, headers });
    await expectJson(read, 200);
    expect(read.headers.get(BOOKMARK_HEADER)).toMatch(BOOKMARK);
    const write = await call('POST', '/api/v1/agenda', { token: p.mentor.token, headers, body: { id: uuid(), pairId: p.pairId, body: 'topic' } });
    await expectJson(write, 201);
    expect(write.headers.get(BOOKMARK_HEADER)).toMatch(BOOKMARK);
  });
});

describe('Idempotency-Key', () => {
  it('treats the same key on the same path with another query as another request (409)', async () => {
    const p = await seedProgramme();
    const id = uuid();
    await expectJson(await call('POST', '/api/v1/entries', { token: p.mentor.token, body: { id, pairId: p.pairId, kind: 'note', body: 'x' } }), 201);
    await expectJson(await call('PATCH', `/api/v1/entries/${id}`, { token: p.mentor.token, body: { version: 1, body: 'y' } }), 200);
    const headers = { 'idempotency-key': `delete-${id}` };
    await expectError(await call('DELETE', `/api/v1/entries/${id}?version=1`, { token: p.mentor.token, headers }), 409, 'version_conflict');
    await expectJson(await call('DELETE', `/api/v1/entries/${id}?version=2`, { token: p.mentor.token, headers }), 200);
    // A stored answer for ?version=2 must not be replayed for ?version=7.
    await expectError(await call('DELETE', `/api/v1/entries/${id}?version=7`, { token: p.mentor.token, headers }), 409, 'conflict');
  });

  it('does not store failed answers: a retry after a fix runs the request', async () => {
    const p = await seedProgramme();
    const headers = { 'idempotency-key': 'retry-after-400' };
    const body = { id: uuid(), pairId: p.pairId, kind: 'note', body: '' };
    await expectError(await call('POST', '/api/v1/entries', { token: p.mentor.token, body, headers }), 400, 'invalid_input');
    await expectJson(await call('POST', '/api/v1/entries', { token: p.mentor.token, body: { ...body, body: 'fixed' }, headers }), 201);
    expect(await countRows('entries', 'pair_id = ?', p.pairId)).toBe(1);
  });
});
