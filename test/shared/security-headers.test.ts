/**
 * The admin view's CSP lives in two places (issue 8): worker/admin/public/_headers, which Cloudflare applies to the
 * static assets, and ADMIN_CSP in worker/lib/security-headers.ts, where it is explained. They must be the same.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isAllowedMeetingLink } from '../../shared/domain/meeting-links.ts';
import { ADMIN_CSP } from '../../worker/lib/security-headers.ts';

describe('admin view headers', () => {
  it('_headers sends ADMIN_CSP, nosniff and DENY framing for every asset', () => {
    const text = readFileSync(new URL('../../worker/admin/public/_headers', import.meta.url), 'utf8');
    const rule = text.split('\n').filter((l) => !l.startsWith('#'));
    expect(rule[0]).toBe('/*');
    const headers = new Map(rule.slice(1).filter((l) => l.trim()).map((l) => [l.trim().split(':')[0]!.toLowerCase(), l.trim().slice(l.trim().indexOf(':') + 1).trim()]));
    expect(headers.get('content-security-policy')).toBe(ADMIN_CSP);
    expect(headers.get('x-content-type-options')).toBe('nosniff');
    expect(headers.get('x-frame-options')).toBe('DENY');
  });
});

describe('isAllowedMeetingLink (also used by the side panel before it renders a link)', () => {
  it.each([
    ['meet', 'https://meet.google.com/abc-defg-hij', true],
    ['meet', 'javascript:alert(1)', false],
    ['meet', 'https://meet.google.com.evil.example/x', false],
    ['zoom', 'https://zoom.us/j/1', true],
    ['zoom', 'https://us02web.zoom.us/j/1', true],
    ['zoom', 'https://evilzoom.us/j/1', false],
    ['jitsi', 'https://meet.example.org/room', true],
    ['jitsi', 'data:text/html,x', false],
    ['whereby', 'https://whereby.com/room', true],
    ['teams', 'https://teams.cloud.microsoft/meet/1', true],
    ['teams', 'http://teams.microsoft.com/x', false],
  ] as const)('%s %s → %s', (platform, url, ok) => {
    expect(isAllowedMeetingLink(platform, url)).toBe(ok);
  });
});
