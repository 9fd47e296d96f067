/**
 * Issue 8, defects 6 and 7 as the worker sends them: security headers on every API answer and on the invitation page
 * (the admin view's static assets get theirs from worker/admin/public/_headers: test/e2e/admin.test.ts and
 * test/shared/security-headers.test.ts), and rate limits per IP on redemption and on failed sign-ins.
 */
import { describe, expect, it } from 'vitest';
import { RATE_LIMIT_PERIOD_SECONDS } from '../../worker/lib/rate-limit.ts';
import { call, expectError, expectJson, seedProgramme, uuid } from './helpers.ts';

/** One directive of a CSP header, e.g. "frame-ancestors 'none'". */
const directives = (csp: string | null) => new Set((csp ?? '').split(';').map((d) => d.trim().replace(/\s+/g, ' ')));

function expectApiHeaders(res: Response) {
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('x-frame-options')).toBe('DENY');
  expect(res.headers.get('cache-control')).toBe('no-store');
  const csp = directives(res.headers.get('content-security-policy'));
  expect(csp).toContain("default-src 'none'");
  expect(csp).toContain("frame-ancestors 'none'");
}

describe('security headers', () => {
  it('API answers carry nosniff, DENY framing, a CSP that loads nothing, and no-store', async () => {
    const p = await seedProgramme();
    expectApiHeaders(await call('GET', '/api/v1/health'));
    expectApiHeaders(await call('GET', '/api/v1/auth/me', { token: p.mentor.token }));
    expectApiHeaders(await call('GET', `/api/v1/entries?pairId=${p.pairId}`, { token: p.mentor.token }));
  });

  it('error answers, 404s and CORS preflights carry them too', async () => {
    expectApiHeaders(await call('GET', '/api/v1/auth/me'));
    expectApiHeaders(await call('GET', '/api/v1/no-such-route'));
    expectApiHeaders(await call('POST', '/api/v1/entries', { rawBody: '{', headers: { 'content-type': 'application/json' } }));
    expectApiHeaders(
      await call('OPTIONS', '/api/v1/entries', { headers: { origin: 'chrome-extension://abc', 'access-control-request-method': 'POST' } }),
    );
  });

  it('the invitation page has a strict CSP: no script at all, its one style by nonce, never framed, never cached', async () => {
    const res = await call('GET', `/invite/${'c'.repeat(43)}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    const csp = directives(res.headers.get('content-security-policy'));
    for (const d of ["default-src 'none'", "script-src 'none'", "img-src data:", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'none'"]) {
      expect(csp).toContain(d);
    }
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/\son[a-z]+=/i);
    const nonce = /<style nonce="([^"]+)">/.exec(html)?.[1];
    expect(nonce).toMatch(/^[\w+/=]{16,}$/);
    expect(csp).toContain(`style-src 'nonce-${nonce}'`);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('no-store');
    // A fresh nonce per answer.
    const again = await (await call('GET', `/invite/${'c'.repeat(43)}`)).text();
    expect(/<style nonce="([^"]+)">/.exec(again)?.[1]).not.toBe(nonce);
  });
});

/** Calls until the first 429 (at most `max` calls); returns the statuses seen. */
async function until429(send: () => Promise<Response>, max: number): Promise<{ statuses: number[]; limited?: Response }> {
  const statuses: number[] = [];
  for (let i = 0; i < max; i++) {
    const res = await send();
    statuses.push(res.status);
    if (res.status === 429) return { statuses, limited: res };
    await res.body?.cancel();
  }
  return { statuses };
}

/** A made-up client address per test, so tests do not share a counter. */
const ip = () => `198.51.100.${Math.floor(Math.random() * 250) + 1}-${uuid().slice(0, 8)}`;

// Limits from wrangler.toml. Windows are aligned to the clock: a test that straddles a window boundary sees the count
// restart, so each loop allows two windows' worth before giving up (and the first `limit` calls are never limited).
const REDEEM_LIMIT = 10;
const AUTH_FAILURE_LIMIT = 30;

async function expectRateLimited(res: Response | undefined) {
  expect(res, 'a 429 came').toBeDefined();
  expect(res!.headers.get('retry-after')).toBe(String(RATE_LIMIT_PERIOD_SECONDS));
  await expectError(res!, 429, 'rate_limited');
}

describe('rate limits per client IP', () => {
  it(`wrong invitation codes: ${REDEEM_LIMIT} a minute get 401, then 429 with Retry-After`, async () => {
    const client = ip();
    const wrong = () => call('POST', '/api/v1/auth/redeem', { body: { code: `wrong-${uuid()}` }, headers: { 'cf-connecting-ip': client } });
    const { statuses, limited } = await until429(wrong, 2 * REDEEM_LIMIT + 1);
    expect(statuses.slice(0, REDEEM_LIMIT)).toEqual(Array(REDEEM_LIMIT).fill(401));
    await expectRateLimited(limited);
    // Another client is not affected.
    await expectError(await call('POST', '/api/v1/auth/redeem', { body: { code: `wrong-${uuid()}` }, headers: { 'cf-connecting-ip': ip() } }), 401);
  });

  it(`failed sign-ins: ${AUTH_FAILURE_LIMIT} a minute get 401, then 429; a valid token from the same address still works`, async () => {
    const p = await seedProgramme();
    const client = ip();
    const garbage = () => call('GET', '/api/v1/auth/me', { headers: { authorization: `Bearer ${'x'.repeat(43)}`, 'cf-connecting-ip': client } });
    const { statuses, limited } = await until429(garbage, 2 * AUTH_FAILURE_LIMIT + 1);
    expect(statuses.slice(0, AUTH_FAILURE_LIMIT)).toEqual(Array(AUTH_FAILURE_LIMIT).fill(401));
    await expectRateLimited(limited);
    // Only failures count: a signed-in member on the same network is not locked out.
    await expectJson(await call('GET', '/api/v1/auth/me', { token: p.mentor.token, headers: { 'cf-connecting-ip': client } }), 200);
  });

  it('requests with no Authorization at all are not counted as failed sign-ins', async () => {
    const client = ip();
    for (let i = 0; i < AUTH_FAILURE_LIMIT + 5; i++) {
      await expectError(await call('GET', '/api/v1/auth/me', { headers: { 'cf-connecting-ip': client } }), 401, 'unauthenticated');
    }
  });
});
