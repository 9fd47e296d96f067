/**
 * The idempotency layer's own D1 writes (reserve the key, record the outcome, release it) fail like any D1 call. Found
 * by the chaos suite (issue 8): a failure in that bookkeeping left the key reserved, so the outbox's retry of the
 * same op met 409 "still being processed" for a minute, or answered 500 for a write that had committed. Each case
 * fails exactly one bookkeeping call, before or after D1 ran it (worker/lib/chaos.ts, `withFaults`).
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

function postEntry(p: Programme, key: string, entryId: string, runEnv: Env): Promise<Response> {
  return Promise.resolve(
    app.request(
      '/api/v1/entries',
      {
        method: 'POST',
        headers: { authorization: `Bearer ${p.mentor.token}`, 'content-type': 'application/json', 'idempotency-key': key, 'cf-connecting-ip': `test-${uuid()}` },
        body: JSON.stringify({ id: entryId, pairId: p.pairId, kind: 'note', visibility: 'shared', body: `chaos ${entryId}` }),
      },
      runEnv,
    ),
  );
}

const RESERVE = /INSERT INTO idempotency_keys/;
const COMPLETE = /UPDATE idempotency_keys SET status/;
const RELEASE = /DELETE FROM idempotency_keys WHERE user_id = \? AND key = \? AND status/;
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
      const entryId = uuid();
      const fault = failOnce(pattern, timing);
      const first = await postEntry(p, key, entryId, envWithFaults(fault.plan));
      expect(fault.fired()).toBe(true);
      expect((await expectJson<{ entry: { id: string } }>(first, 201)).entry.id).toBe(entryId);
      // The retry (a lost answer on the way back looks the same to the client) is never a 409 or a 500.
      const retry = await postEntry(p, key, entryId, env as Env);
      expect((await expectJson<{ entry: { id: string } }>(retry, 201)).entry.id).toBe(entryId);
      expect(await countRows('entries', 'id = ?', entryId)).toBe(1);
    });
  }

  it('the write fails and so does releasing its key: the retry of the same op runs, not 409 "still being processed"', async () => {
    const p = await seedProgramme();
    const key = `op-${uuid()}`;
    const entryId = uuid();
    const insert = failOnce(INSERT_ENTRY, 'before');
    const release = failOnce(RELEASE, 'before');
    const first = await postEntry(p, key, entryId, envWithFaults((where, sql) => insert.plan(where, sql) ?? release.plan(where, sql)));
    expect(first.status).toBe(500);
    expect(insert.fired() && release.fired()).toBe(true);
    const retry = await postEntry(p, key, entryId, env as Env);
    expect((await expectJson<{ entry: { id: string } }>(retry, 201)).entry.id).toBe(entryId);
    expect(await countRows('entries', 'id = ?', entryId)).toBe(1);
  });

  it('the insert commits but its answer is lost: the retry answers the entry as it is now, never a 500', async () => {
    const p = await seedProgramme();
    const key = `op-${uuid()}`;
    const entryId = uuid();
    const insert = failOnce(INSERT_ENTRY, 'after');
    const first = await postEntry(p, key, entryId, envWithFaults(insert.plan));
    expect(first.status).toBe(500);
    expect(await countRows('entries', 'id = ?', entryId)).toBe(1);
    const retry = await postEntry(p, key, entryId, env as Env);
    expect(retry.status).toBeLessThan(300);
    expect((await retry.json<{ entry: { id: string; body: string } }>()).entry).toMatchObject({ id: entryId, body: `chaos ${entryId}` });
    expect(await countRows('entries', 'id = ?', entryId)).toBe(1);
  });
});
