import { describe, expect, it } from 'vitest';
import { call, expectError, expectJson, seedProgramme, uuid } from './helpers.ts';

describe('smoke', () => {
  it('lists my pairs and creates an entry', async () => {
    const p = await seedProgramme();
    const pairs = await expectJson<{ pairs: { id: string }[] }>(await call('GET', '/api/v1/pairs', { token: p.mentor.token }), 200);
    expect(pairs.pairs.map((x) => x.id)).toEqual([p.pairId]);
    const id = uuid();
    const res = await call('POST', '/api/v1/entries', { token: p.mentor.token, body: { id, pairId: p.pairId, kind: 'note', body: 'hello' }, headers: { 'idempotency-key': `k-${id}` } });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-d1-bookmark')).toBeTruthy();
    const again = await call('POST', '/api/v1/entries', { token: p.mentor.token, body: { id, pairId: p.pairId, kind: 'note', body: 'hello' }, headers: { 'idempotency-key': `k-${id}` } });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    await expectError(await call('GET', '/api/v1/nope'), 404, 'not_found');
  });
});
