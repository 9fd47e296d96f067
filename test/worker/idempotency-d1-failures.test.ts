/**
 * The idempotency layer's own D1 writes (reserve the key, record the outcome, release it) fail like any D1 call. Found
 * by the chaos suite (issue 8): a failure in that bookkeeping left the key reserved, so the outbox's retry of the
 * same op met 409 "still being processed" for a minute, or answered 500 for a write that had committed. Each case
 * fails exactly one bookkeeping call, before or after D1 ran it (worker/lib/chaos.ts, `withFaults`). The layer is
 * exercised through POST /agenda; POST /entries writes its key in the same batch as the entry (worker/routes/entries.ts),
 * and has cases of its own below.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../worker/app.ts';
import type { Env } from '../../worker/env.ts';
import { type FaultPlan, type FaultTiming, withFaults } from '../../worker/lib/chaos.ts';
import { type Programme, countRows, expectJson, seedProgramme, uuid } from './helpers.ts';

const app = createApp();

/** Fails the first D1 call whose SQL matches `pattern`, at `timing`; every other call runs normally. */
function failOnce(pattern: RegExp, timing: FaultTiming): { plan: FaultPlan; fired: () => boolean } {
  let fired = false;
  return {
    plan: (_where, sql) => {
      if (fired || !pattern.test(sql)) return null;
      fired = true;
      return timing;
    },
    fired: () => fired,
  };
}

/** The worker with a D1 whose sessions fail as `plan` says (the request path always opens a session). */
function envWithFaults(plan: FaultPlan): Env {
  const db = new Proxy(env.DB, {
    get(target, prop) {
      if (prop === 'withSession') return (constraint?: string) => withFaults(target.withSession(constraint), plan);
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { ...(env as Env), DB: db };
}

function send(method: 'POST' | 'PATCH', path: string, p: Programme, key: string, body: Record<string, unknown>, runEnv: Env): Promise<Response> {
  return Promise.resolve(
    app.request(
      path,
      {
        method,
        headers: { authorization: `Bearer ${p.mentor.token}`, 'content-type': 'application/json', 'idempotency-key': key, 'cf-connecting-ip': `test-${uuid()}` },
        body: JSON.stringify(body),
      },
      runEnv,
    ),
  );
}

const postEntry = (p: Programme, key: string, entryId: string, runEnv: Env) =>
  send('POST', '/api/v1/entries', p, key, { id: entryId, pairId: p.pairId, kind: 'note', visibility: 'shared', body: `chaos ${entryId}` }, runEnv);

const postItem = (p: Programme, key: string, itemId: string, runEnv: Env) =>
  send('POST', '/api/v1/agenda', p, key, { id: itemId, pairId: p.pairId, body: `chaos ${itemId}` }, runEnv);

const RESERVE = /INSERT INTO idempotency_keys/;
const COMPLETE = /UPDATE idempotency_keys SET status/;
const RELEASE = /DELETE FROM idempotency_keys WHERE user_id = \? AND key = \? AND status/;
const INSERT_ITEM = /INSERT INTO agenda_items/;
const INSERT_ENTRY = /INSERT INTO entries/;

describe('idempotency bookkeeping under D1 failures (chaos, issue 8)', () => {
  const cases: { name: string; pattern: RegExp; timing: FaultTiming }[] = [
    { name: 'the reservation commits but its answer is lost', pattern: RESERVE, timing: 'after' },
    { name: 'the reservation does not reach D1', pattern: RESERVE, timing: 'before' },
    { name: 'recording the outcome does not reach D1', pattern: COMPLETE, timing: 'before' },
    { name: 'recording the outcome commits but its answer is lost', pattern: COMPLETE, timing: 'after' },
  ];
  for (const { name, pattern, timing } of cases) {
    it(`${name}: the write answers its success, and the outbox's retry of the same op answers it again`, async () => {
      const p = await seedProgramme();
      const key = `op-${uuid()}`;
      const itemId = uuid();
      const fault = failOnce(pattern, timing);
      const first = await postItem(p, key, itemId, envWithFaults(fault.plan));
      expect(fault.fired()).toBe(true);
      expect((await expectJson<{ item: { id: string } }>(first, 201)).item.id).toBe(itemId);
      // The retry (a lost answer on the way back looks the same to the client) is never a 409 or a 500.
      const retry = await postItem(p, key, itemId, env as Env);
      expect((await expectJson<{ item: { id: string } }>(retry, 201)).item.id).toBe(itemId);
      expect(await countRows('agenda_items', 'id = ?', itemId)).toBe(1);
    });
  }

  it('the write fails and so does releasing its key: the retry of the same op runs, not 409 "still being processed"', async () => {
    const p = await seedProgramme();
    const key = `op-${uuid()}`;
    const itemId = uuid();
    const insert = failOnce(INSERT_ITEM, 'before');
    const release = failOnce(RELEASE, 'before');
    const first = await postItem(p, key, itemId, envWithFaults((where, sql) => insert.plan(where, sql) ?? release.plan(where, sql)));
    expect(first.status).toBe(500);
    expect(insert.fired() && release.fired()).toBe(true);
    const retry = await postItem(p, key, itemId, env as Env);
    expect((await expectJson<{ item: { id: string } }>(retry, 201)).item.id).toBe(itemId);
    expect(await countRows('agenda_items', 'id = ?', itemId)).toBe(1);
  });

  it('the insert commits but its answer is lost: the retry answers the entry as it is now, never a 500', async () => {
    const p = await seedProgramme();
    const key = `op-${uuid()}`;
    const itemId = uuid();
    const insert = failOnce(INSERT_ITEM, 'after');
    const first = await postItem(p, key, itemId, envWithFaults(insert.plan));
    expect(first.status).toBe(500);
    expect(await countRows('agenda_items', 'id = ?', itemId)).toBe(1);
    const retry = await postItem(p, key, itemId, env as Env);
    expect(retry.status).toBeLessThan(300);
    expect((await retry.json<{ item: { id: string; body: string } }>()).item).toMatchObject({ id: itemId, body: `chaos ${itemId}` });
    expect(await countRows('agenda_items', 'id = ?', itemId)).toBe(1);
  });
});

describe('POST /entries: the entry and its key in one batch under D1 failures', () => {
  for (const timing of ['before', 'after'] as const) {
    it(`the batch fails ${timing === 'before' ? 'before reaching D1' : 'after committing (its answer is lost)'}: the write answers its success once, and the retry answers it again`, async () => {
      const p = await seedProgramme();
      const key = `op-${uuid()}`;
      const entryId = uuid();
      const fault = failOnce(INSERT_ENTRY, timing);
      const first = await postEntry(p, key, entryId, envWithFaults(fault.plan));
      expect(fault.fired()).toBe(true);
      expect((await expectJson<{ entry: { id: string } }>(first, 201)).entry.id).toBe(entryId);
      const retry = await postEntry(p, key, entryId, env as Env);
      expect((await expectJson<{ entry: { id: string } }>(retry, 201)).entry.id).toBe(entryId);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(await countRows('entries', 'id = ?', entryId)).toBe(1);
      expect(await countRows('idempotency_keys', 'key = ?', key)).toBe(1);
    });
  }

  it('every attempt fails: the write answers an error and keeps nothing, so the retry writes it', async () => {
    const p = await seedProgramme();
    const key = `op-${uuid()}`;
    const entryId = uuid();
    const first = await postEntry(p, key, entryId, envWithFaults((_where, sql) => (INSERT_ENTRY.test(sql) ? 'before' : null)));
    expect(first.status).toBe(500);
    expect(await countRows('entries', 'id = ?', entryId)).toBe(0);
    expect(await countRows('idempotency_keys', 'key = ?', key)).toBe(0);
    const retry = await postEntry(p, key, entryId, env as Env);
    expect((await expectJson<{ entry: { id: string } }>(retry, 201)).entry.id).toBe(entryId);
    expect(retry.headers.get('idempotent-replayed')).toBeNull();
    expect(await countRows('entries', 'id = ?', entryId)).toBe(1);
  });

  it('an edit whose batch commits but whose answer is lost: answered as done once, and the retry answers it again', async () => {
    const p = await seedProgramme();
    const entryId = uuid();
    await expectJson(await postEntry(p, `op-${uuid()}`, entryId, env as Env), 201);
    const key = `op-${uuid()}`;
    const patch = (runEnv: Env) => send('PATCH', `/api/v1/entries/${entryId}`, p, key, { version: 1, body: 'edited' }, runEnv);
    const fault = failOnce(/UPDATE entries SET body/, 'after');
    const first = await patch(envWithFaults(fault.plan));
    expect(fault.fired()).toBe(true);
    expect((await expectJson<{ entry: { version: number; body: string } }>(first, 200)).entry).toMatchObject({ version: 2, body: 'edited' });
    const retry = await patch(env as Env);
    expect((await expectJson<{ entry: { version: number } }>(retry, 200)).entry.version).toBe(2);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
  });
});
