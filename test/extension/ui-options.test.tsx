/** @jsxImportSource preact */
// The options page against a mocked background: server URL, sign-in with a link or code, sign-out, Jitsi origins.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ask } from '../../extension/lib/app-client.ts';
import { BackgroundError, type Settings } from '../../extension/lib/app-messages.ts';
import { requestHostAccess } from '../../extension/ui/browser-actions.ts';
import { OptionsApp, parseOrigin, parseServerUrl } from '../../extension/ui/options/OptionsApp.tsx';
import { $, answer, type Background, button, byLabel, calls, click, render, signedIn, signedOut, submit, text, type, unmountAll } from './ui-support.ts';

vi.mock('../../extension/lib/app-client.ts', () => ({ ask: vi.fn() }));
vi.mock('../../extension/ui/browser-actions.ts', () => ({ openOptionsPage: vi.fn(), requestHostAccess: vi.fn(async () => true) }));

function backgroundWith(initial: Partial<Settings> = {}, auth = signedOut): Background {
  let settings: Settings = { serverUrl: 'http://127.0.0.1:8787', jitsiOrigins: [], ...initial };
  return {
    'auth.status': auth,
    'settings.get': () => settings,
    'settings.set': (patch) => {
      settings = { ...settings, ...patch };
      return settings;
    },
    // Signed in, the page also shows the working hours and the reminders switch (ui-working-hours.test.tsx).
    'me.workingHours.get': { timeZone: 'Europe/Lisbon', workingHours: { startMinute: 540, endMinute: 1020 }, fromCache: false },
    'reminders.get': { enabled: false, leadMinutes: 10, permitted: false },
    // …and this device's encryption (ui-e2ee.test.tsx).
    'e2ee.status': { state: 'ready', approvalCode: null, hasRecoveryBackup: true, devices: [], approvals: [], pairs: [] },
  };
}

beforeEach(() => {
  vi.mocked(ask).mockReset();
  vi.mocked(requestHostAccess).mockReset().mockResolvedValue(true);
});
afterEach(unmountAll);

describe('parsing what the user types', () => {
  it('normalises server URLs and explains bad ones', () => {
    expect(parseServerUrl('http://127.0.0.1:8787/')).toEqual({ url: 'http://127.0.0.1:8787' });
    expect(parseServerUrl('alongside.example.org')).toEqual({ url: 'https://alongside.example.org' });
    expect(parseServerUrl('https://example.org/alongside/')).toEqual({ url: 'https://example.org/alongside' });
    expect(parseServerUrl('')).toHaveProperty('error');
    expect(parseServerUrl('ftp://example.org')).toHaveProperty('error');
    expect(parseServerUrl('http://exa mple.org')).toHaveProperty('error');
    expect(parseServerUrl('https://user:pw@example.org')).toHaveProperty('error');
  });

  it('reduces a Jitsi address to its origin', () => {
    expect(parseOrigin('https://jitsi.example.org/SomeRoom')).toEqual({ origin: 'https://jitsi.example.org' });
    expect(parseOrigin('jitsi.example.org')).toEqual({ origin: 'https://jitsi.example.org' });
    expect(parseOrigin('not a url at all')).toHaveProperty('error');
  });
});

describe('options page', () => {
  it('saves a valid server URL with an indicator, and refuses an invalid one', async () => {
    answer(ask, backgroundWith());
    const root = await render(<OptionsApp />);
    const input = byLabel<HTMLInputElement>(root, 'Alongside server address');
    expect(input.value).toBe('http://127.0.0.1:8787');
    expect(button(root, 'Save').disabled).toBe(true);

    await type(input, 'not a url');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    await submit(input.form!);
    expect(calls(ask, 'settings.set')).toHaveLength(0);
    expect(text(root)).toContain('not a web address');

    await type(input, 'https://alongside.example.org/');
    await click(button(root, 'Save'));
    expect(requestHostAccess).toHaveBeenCalledWith('https://alongside.example.org');
    expect(calls(ask, 'settings.set')).toEqual([{ serverUrl: 'https://alongside.example.org' }]);
    expect(text(root)).toContain('Saved.');
  });

  it('does not save a server it may not reach', async () => {
    vi.mocked(requestHostAccess).mockResolvedValue(false);
    answer(ask, backgroundWith());
    const root = await render(<OptionsApp />);
    await type(byLabel<HTMLInputElement>(root, 'Alongside server address'), 'https://alongside.example.org');
    await click(button(root, 'Save'));
    expect(calls(ask, 'settings.set')).toHaveLength(0);
    expect(text(root)).toContain('needs permission to reach alongside.example.org');
  });

  it('signs in with a pasted invitation link, which the background reads the server from', async () => {
    const link = 'https://alongside.example.org/invite/abcdefghijklmnopqrstu';
    answer(ask, { ...backgroundWith(), 'auth.signIn': signedIn });
    const root = await render(<OptionsApp />);
    await type(byLabel<HTMLInputElement>(root, 'Invitation link or code'), `  ${link} `);
    await click(button(root, 'Sign in'));
    expect(requestHostAccess).toHaveBeenCalledWith('https://alongside.example.org');
    expect(calls(ask, 'auth.signIn')).toEqual([{ invitation: link }]);
    expect(text(root)).toContain('Signed in as Ana Souza');
    expect(text(root)).toContain('Open Mentors');
    expect(button(root, 'Sign out')).toBeTruthy();
  });

  it('shows why sign-in failed', async () => {
    answer(ask, {
      ...backgroundWith(),
      'auth.signIn': () => Promise.reject(new BackgroundError('not_found', 'This invitation has expired')),
    });
    const root = await render(<OptionsApp />);
    await type(byLabel<HTMLInputElement>(root, 'Invitation link or code'), 'abcdefghijklmnopqrstu');
    await click(button(root, 'Sign in'));
    expect(calls(ask, 'auth.signIn')).toEqual([{ invitation: 'abcdefghijklmnopqrstu' }]);
    expect(text(root)).toContain('Could not sign in: This invitation has expired');
  });

  it('signs out', async () => {
    answer(ask, { ...backgroundWith({}, signedIn), 'auth.signOut': signedOut });
    const root = await render(<OptionsApp />);
    expect(text(root)).toContain('Signed in as Ana Souza (mentor, ana@example.org) in Open Mentors on http://127.0.0.1:8787');
    await click(button(root, 'Sign out'));
    expect(calls(ask, 'auth.signOut')).toEqual([{}]);
    expect(() => byLabel(root, 'Invitation link or code')).not.toThrow();
  });

  it('adds and removes self-hosted Jitsi origins', async () => {
    answer(ask, backgroundWith({ jitsiOrigins: ['https://old.example.org'] }));
    const root = await render(<OptionsApp />);
    const input = byLabel<HTMLInputElement>(root, 'Jitsi server address');
    await type(input, 'https://jitsi.example.org/Standup');
    await submit(input.form!);
    expect(requestHostAccess).toHaveBeenCalledWith('https://jitsi.example.org');
    expect(calls(ask, 'settings.set')).toEqual([{ jitsiOrigins: ['https://old.example.org', 'https://jitsi.example.org'] }]);
    expect(text(byLabel(root, 'Self-hosted Jitsi servers'))).toContain('https://jitsi.example.org');
    expect(input.value).toBe('');

    await click(button(root, 'Remove https://old.example.org'));
    expect(calls(ask, 'settings.set').at(-1)).toEqual({ jitsiOrigins: ['https://jitsi.example.org'] });
    expect(text($(root, '.origin-list'))).not.toContain('old.example.org');

    await type(input, 'https://jitsi.example.org');
    await submit(input.form!);
    expect(text(root)).toContain('already in the list');
  });
});
