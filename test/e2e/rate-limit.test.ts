/**
 * Issue 8, defect 7, against a real `wrangler dev` (its own stack and port, so the shared stack's counters stay
 * untouched): the Workers rate-limiting bindings of wrangler.toml are simulated locally, and wrong invitation codes
 * and failed sign-ins from one address end in 429 with the error envelope and Retry-After.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from './stack.ts';

// From wrangler.toml ([[ratelimits]]). Windows follow the clock, so a loop may straddle two: allow two windows' worth.
const REDEEM_LIMIT = 10;
const AUTH_FAILURE_LIMIT = 30;
const PERIOD_SECONDS = 60;

describe('rate limits in wrangler dev', () => {
  let stack: Stack;
  let base: string;

  beforeAll(async () => {
    stack = await startStack('rate-limit', 8795);
    base = `${stack.worker.url}/api/v1`;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  async function until429(send: () => Promise<Response>, max: number): Promise<{ statuses: number[]; limited?: Response }> {
    const statuses: number[] = [];
    for (let i = 0; i < max; i++) {
      const res = await send();
      statuses.push(res.status);
      if (res.status === 429) return { statuses, limited: res };
      await res.arrayBuffer();
    }
    return { statuses };
  }

  async function expectLimited(limited: Response | undefined) {
    expect(limited, 'a 429 came').toBeDefined();
    expect(limited!.headers.get('retry-after')).toBe(String(PERIOD_SECONDS));
    expect(await limited!.json()).toMatchObject({ error: { code: 'rate_limited' } });
  }

  it('failed sign-ins end in 429 while a valid token keeps working', async () => {
    const redeemed = await fetch(`${base}/auth/redeem`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: stack.codes.admin }) });
    expect(redeemed.status).toBe(201);
    const { token } = (await redeemed.json()) as { token: string };

    const garbage = () => fetch(`${base}/auth/me`, { headers: { authorization: `Bearer ${'x'.repeat(43)}` } });
    const { statuses, limited } = await until429(garbage, 2 * AUTH_FAILURE_LIMIT + 1);
    expect(statuses.slice(0, AUTH_FAILURE_LIMIT - 1).every((s) => s === 401)).toBe(true);
    await expectLimited(limited);

    const me = await fetch(`${base}/auth/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
  });

  it('wrong invitation codes end in 429 with the envelope and Retry-After', async () => {
    const wrong = () =>
      fetch(`${base}/auth/redeem`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: `wrong-${crypto.randomUUID()}` }) });
    const { statuses, limited } = await until429(wrong, 2 * REDEEM_LIMIT + 1);
    // One redemption was used by the test above (in the same window or not).
    expect(statuses.slice(0, REDEEM_LIMIT - 1).every((s) => s === 401)).toBe(true);
    await expectLimited(limited);
  });
});
