// The welcome page's test call (issue 12, item 4): public, a page that looks like a call, under the strict page policy.
import { describe, expect, it } from 'vitest';
import { call } from './helpers.ts';

const directives = (csp: string | null) => new Set((csp ?? '').split(';').map((d) => d.trim().replace(/\s+/g, ' ')));

describe('GET /try-call', () => {
  it('answers 200 without sign-in, with a page that says it only looks like a call', async () => {
    const res = await call('GET', '/try-call');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('<title>Alongside test call</title>');
    expect(html).toContain('no meeting is logged');
  });

  it('has the strict page CSP: no script at all, its one style by nonce, never framed, never cached', async () => {
    const res = await call('GET', '/try-call');
    const html = await res.text();
    const csp = directives(res.headers.get('content-security-policy'));
    for (const d of ["default-src 'none'", "script-src 'none'", 'img-src data:', "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'none'"]) {
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
  });

  it('answers only GET (a POST is not a page)', async () => {
    expect((await call('POST', '/try-call')).status).toBe(404);
  });
});
