// The deployment's privacy policy at /privacy (worker/routes/privacy-page.ts), from the organisation's configuration.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../worker/app.ts';
import type { Env } from '../../worker/env.ts';
import { call, expectError } from './helpers.ts';

const CONTACT = {
  PRIVACY_CONTACT_ORGANISATION: 'Acme <Mentoring> & Co',
  PRIVACY_CONTACT_EMAIL: 'privacy@acme.example',
  PRIVACY_CONTACT_ADDRESS: 'https://acme.example/contact',
};

const withContact = (vars: Partial<Env>) =>
  createApp().fetch(new Request('http://alongside.test/privacy'), { ...(env as unknown as Env), ...vars }, {
    waitUntil: () => {},
    passThroughOnException: () => {},
    props: {},
  } as unknown as ExecutionContext);

describe('GET /privacy', () => {
  it('is 404 with the reason while the organisation has not set its contact (as in the committed wrangler.toml)', async () => {
    const envelope = await expectError(await withContact({ PRIVACY_CONTACT_ORGANISATION: '', PRIVACY_CONTACT_EMAIL: '', PRIVACY_CONTACT_ADDRESS: '' }), 404, 'not_found');
    expect(envelope.error.message).toMatch(/PRIVACY_CONTACT_/);
  });

  it('answers through the worker entry with the configured contact (vitest.config.ts)', async () => {
    const res = await call('GET', '/privacy');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Email: privacy@org.test');
  });

  it('serves the policy with the configured contact, escaped, under the page CSP and never cached', async () => {
    const res = await withContact(CONTACT);
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('Alongside privacy policy (Acme &lt;Mentoring&gt; &amp; Co)');
    expect(page).toContain('Email: privacy@acme.example');
    expect(page).toContain('Address: https://acme.example/contact');
    expect(page).toContain(`A sign-in ends ${env.TOKEN_TTL_DAYS} days after it was made`);
    expect(page).not.toMatch(/<script/i);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'none'");
    expect(res.headers.get('cache-control')).toBe('no-store');
  });
});
