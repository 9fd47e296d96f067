/** @jsxImportSource preact */
// The first-run welcome page (issue 12, item 4) against a mocked background and browser: each step's done and not-done
// states, said in words; the host permission asked from the click; the pin step's instructions; the test call.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ask } from '../../extension/lib/app-client.ts';
import type { AuthStatus } from '../../extension/lib/app-messages.ts';
import { hasHostAccess, requestHostAccess, toolbarPinned } from '../../extension/ui/browser-actions.ts';
import { invitationServer } from '../../extension/ui/welcome/SignInStep.tsx';
import { WelcomeApp } from '../../extension/ui/welcome/WelcomeApp.tsx';
import { $, answer, type Background, button, byLabel, calls, click, render, signedIn, signedOut, submit, text, type, unmountAll, waitFor } from './ui-support.ts';

vi.mock('../../extension/lib/app-client.ts', () => ({ ask: vi.fn() }));
vi.mock('../../extension/ui/browser-actions.ts', () => ({
  openOptionsPage: vi.fn(),
  requestHostAccess: vi.fn(async () => true),
  hasHostAccess: vi.fn(async () => true),
  toolbarPinned: vi.fn(async () => false),
}));

const REMOTE = 'https://alongside.example.org';
const remoteSignedIn: AuthStatus = { ...signedIn, serverUrl: REMOTE };

function background(overrides: Background = {}): Background {
  return {
    'auth.status': signedOut,
    'welcome.status': { testCallSeenAt: null },
    'auth.signIn': ({ invitation }) => ({ ...signedIn, serverUrl: invitationServer(invitation, signedOut.serverUrl) ?? signedOut.serverUrl }),
    ...overrides,
  };
}

const stateOf = (root: HTMLElement, step: string) => $(root, `[data-testid="${step}-state"]`).textContent;
const stepEl = (root: HTMLElement, step: string) => $(root, `[data-step="${step}"]`);

beforeEach(() => {
  vi.mocked(ask).mockReset();
  vi.mocked(requestHostAccess).mockReset().mockResolvedValue(true);
  vi.mocked(hasHostAccess).mockReset().mockResolvedValue(true);
  vi.mocked(toolbarPinned).mockReset().mockResolvedValue(false);
});
afterEach(unmountAll);

describe('the welcome page', () => {
  it('starts with every step not done, said in words and with an icon', async () => {
    answer(ask, background());
    const root = await render(<WelcomeApp pollMs={20} />);
    for (const step of ['sign-in', 'server', 'pin', 'test-call']) {
      expect(stateOf(root, step)).toBe('Not done yet');
      expect(stepEl(root, step).querySelector('svg.step-icon.todo[aria-hidden="true"]')).not.toBeNull();
    }
    expect(text(stepEl(root, 'server'))).toContain('Paste your invitation link first');
    expect(button(root, 'Open the test call').disabled).toBe(true);
    expect(text(stepEl(root, 'test-call'))).toContain('Sign in first');
  });

  it('signs in at once with a link to a server it may already reach: steps 1 and 2 done', async () => {
    answer(ask, background());
    const root = await render(<WelcomeApp pollMs={20} />);
    await type(byLabel<HTMLInputElement>(root, 'Invitation link or code'), 'http://127.0.0.1:8787/invite/abc123');
    await submit(root.querySelector('form') as HTMLFormElement);
    expect(calls(ask, 'auth.signIn')).toEqual([{ invitation: 'http://127.0.0.1:8787/invite/abc123' }]);
    expect(requestHostAccess).not.toHaveBeenCalled();
    expect(stateOf(root, 'sign-in')).toBe('Done');
    expect(stateOf(root, 'server')).toBe('Done');
    expect(stepEl(root, 'sign-in').querySelector('svg.step-icon.done')).not.toBeNull();
    expect(text(stepEl(root, 'sign-in'))).toContain(`Signed in as ${signedIn.user?.name}`);
    expect(button(root, 'Open the test call').disabled).toBe(false);
  });

  it('asks for another server from the click in step 2, then signs in', async () => {
    vi.mocked(hasHostAccess).mockImplementation(async (url) => !url.startsWith(REMOTE));
    answer(ask, background({ 'auth.signIn': remoteSignedIn }));
    const root = await render(<WelcomeApp pollMs={20} />);
    await type(byLabel<HTMLInputElement>(root, 'Invitation link or code'), `${REMOTE}/invite/abc123`);
    await submit(root.querySelector('form') as HTMLFormElement);
    // Not signed in yet: the link waits for the permission.
    expect(calls(ask, 'auth.signIn')).toEqual([]);
    expect(stateOf(root, 'sign-in')).toBe('Not done yet');
    expect(text(stepEl(root, 'sign-in'))).toContain('allow Alongside to reach alongside.example.org in step 2');
    vi.mocked(hasHostAccess).mockResolvedValue(true);
    await click(button(root, 'Allow alongside.example.org and sign in'));
    expect(requestHostAccess).toHaveBeenCalledWith(REMOTE);
    expect(calls(ask, 'auth.signIn')).toEqual([{ invitation: `${REMOTE}/invite/abc123` }]);
    expect(stateOf(root, 'sign-in')).toBe('Done');
    expect(stateOf(root, 'server')).toBe('Done');
    expect(text(stepEl(root, 'server'))).toContain('Alongside may reach alongside.example.org');
  });

  it('says clearly what a refused permission means, and keeps the step open to try again', async () => {
    vi.mocked(hasHostAccess).mockResolvedValue(false);
    vi.mocked(requestHostAccess).mockResolvedValue(false);
    answer(ask, background());
    const root = await render(<WelcomeApp pollMs={20} />);
    await type(byLabel<HTMLInputElement>(root, 'Invitation link or code'), `${REMOTE}/invite/abc123`);
    await submit(root.querySelector('form') as HTMLFormElement);
    await click(button(root, 'Allow alongside.example.org and sign in'));
    expect(calls(ask, 'auth.signIn')).toEqual([]);
    expect($(stepEl(root, 'server'), '[role="alert"]').textContent).toContain('was not allowed to reach alongside.example.org');
    expect(stateOf(root, 'server')).toBe('Not done yet');
    expect(button(root, 'Allow alongside.example.org and sign in').disabled).toBe(false);
  });

  it('shows a sign-in failure and a broken link as errors', async () => {
    answer(ask, background({ 'auth.signIn': () => Promise.reject(new Error('That invitation has expired')) }));
    const root = await render(<WelcomeApp pollMs={20} />);
    const input = byLabel<HTMLInputElement>(root, 'Invitation link or code');
    await type(input, 'http://exa mple.org/invite/x');
    await submit(root.querySelector('form') as HTMLFormElement);
    expect($(stepEl(root, 'sign-in'), '[role="alert"]').textContent).toContain('That link looks broken');
    await type(input, 'http://127.0.0.1:8787/invite/abc123');
    await submit(root.querySelector('form') as HTMLFormElement);
    expect($(stepEl(root, 'sign-in'), '[role="alert"]').textContent).toContain('Could not sign in: That invitation has expired');
    expect(stateOf(root, 'sign-in')).toBe('Not done yet');
  });

  it('asks again for a signed-in server the permission was taken away from', async () => {
    vi.mocked(hasHostAccess).mockResolvedValue(false);
    answer(ask, background({ 'auth.status': remoteSignedIn }));
    const root = await render(<WelcomeApp pollMs={20} />);
    expect(stateOf(root, 'sign-in')).toBe('Done');
    expect(stateOf(root, 'server')).toBe('Not done yet');
    await click(button(root, 'Allow alongside.example.org'));
    expect(requestHostAccess).toHaveBeenCalledWith(REMOTE);
    expect(stateOf(root, 'server')).toBe('Done');
  });
});

describe('the pin step', () => {
  it('shows Chrome’s instructions until the toolbar says it is pinned, then ticks itself', async () => {
    answer(ask, background());
    const root = await render(<WelcomeApp pollMs={20} />);
    expect(stateOf(root, 'pin')).toBe('Not done yet');
    expect(text($(root, '[data-testid="pin-howto-chrome"]'))).toContain('Click the pin next to Alongside');
    vi.mocked(toolbarPinned).mockResolvedValue(true);
    await waitFor(() => expect(stateOf(root, 'pin')).toBe('Done'));
    expect(root.querySelector('[data-testid="pin-howto-chrome"]')).toBeNull();
  });

  it('says how to pin in Firefox, and takes the user’s word where the browser cannot tell', async () => {
    vi.mocked(toolbarPinned).mockResolvedValue(null);
    answer(ask, background());
    const root = await render(<WelcomeApp firefox pollMs={20} />);
    expect(text($(root, '[data-testid="pin-howto-firefox"]'))).toContain('Pin to Toolbar');
    expect(stateOf(root, 'pin')).toBe('Not done yet');
    await click(button(root, 'I have pinned it'));
    expect(stateOf(root, 'pin')).toBe('Done');
  });
});

describe('the test call step', () => {
  it('opens the test call, then is done once the background saw the overlay there', async () => {
    let seen: string | null = null;
    answer(ask, background({ 'auth.status': signedIn, 'welcome.status': () => ({ testCallSeenAt: seen }), 'welcome.tryCall': { attached: true, message: 'The test call is open in a new tab, with Alongside on it.' } }));
    const root = await render(<WelcomeApp pollMs={20} />);
    await click(button(root, 'Open the test call'));
    expect(calls(ask, 'welcome.tryCall')).toHaveLength(1);
    expect(text(stepEl(root, 'test-call'))).toContain('The test call is open in a new tab');
    expect(stateOf(root, 'test-call')).toBe('Not done yet');
    seen = new Date().toISOString();
    await waitFor(() => expect(stateOf(root, 'test-call')).toBe('Done'));
    expect(button(root, 'Open the test call again').disabled).toBe(false);
  });

  it('is done already when the overlay was seen before', async () => {
    answer(ask, background({ 'auth.status': signedIn, 'welcome.status': { testCallSeenAt: new Date().toISOString() } }));
    const root = await render(<WelcomeApp pollMs={20} />);
    expect(stateOf(root, 'test-call')).toBe('Done');
  });

  it('says why when the companion could not be shown on the test call', async () => {
    answer(ask, background({ 'auth.status': signedIn, 'welcome.tryCall': { attached: false, message: 'The test call opened, but Alongside could not show on it: no access.' } }));
    const root = await render(<WelcomeApp pollMs={20} />);
    await click(button(root, 'Open the test call'));
    expect($(stepEl(root, 'test-call'), '[role="alert"]').textContent).toContain('could not show on it');
    expect(stateOf(root, 'test-call')).toBe('Not done yet');
  });
});
