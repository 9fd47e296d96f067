/** @jsxImportSource preact */
// Issue 8, defect 1: every new sign-in on the account is shown with who issued its invitation, in the side panel
// and the call overlay, and the person can end any session (the current one after a confirmation).
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MySession } from '../../shared/schemas/index.ts';
import { ask } from '../../extension/lib/app-client.ts';
import { OverlaySignIns } from '../../extension/ui/components/SignInNotice.tsx';
import { SidePanelApp } from '../../extension/ui/sidepanel/SidePanelApp.tsx';
import { answer, type Background, button, calls, click, context, onlineStatus, pairSummary, render, signedIn, text, unmountAll } from './ui-support.ts';

vi.mock('../../extension/lib/app-client.ts', () => ({ ask: vi.fn() }));
vi.mock('../../extension/ui/browser-actions.ts', () => ({ openOptionsPage: vi.fn(), requestHostAccess: vi.fn(async () => true) }));

const ADMIN = { id: '0190a000-0000-7000-8000-00000000000a', name: 'Ada Admin' };

function session(overrides: Partial<MySession> = {}): MySession {
  return {
    id: crypto.randomUUID(),
    createdAt: '2026-11-20T09:00:00.000Z',
    expiresAt: '2026-12-20T09:00:00.000Z',
    endedAt: null,
    active: true,
    current: false,
    isNew: false,
    deviceLabel: 'Firefox on Linux',
    invitation: { id: crypto.randomUUID(), createdAt: '2026-11-19T09:00:00.000Z', issuedBy: ADMIN },
    ...overrides,
  };
}

const own = session({ current: true, deviceLabel: 'Chrome on macOS', createdAt: '2026-11-01T09:00:00.000Z' });
const intruder = session({ isNew: true, deviceLabel: 'Chrome on Windows', createdAt: '2026-11-25T14:30:00.000Z' });

function background(sessions: MySession[], extra: Background = {}): Background {
  let list = sessions;
  return {
    'auth.status': signedIn,
    'pairs.list': { pairs: [pairSummary()] },
    'context.get': { context: context(), fromCache: false, error: null, locked: [], lockedReason: null },
    'entries.sync': { entries: [], status: onlineStatus },
    'e2ee.status': { state: 'ready', approvalCode: null, hasRecoveryBackup: true, devices: [], approvals: [], pairs: [] },
    'sessions.list': () => ({ sessions: list, acknowledgedAt: null }),
    'sessions.end': ({ id }: { id: string }) => {
      const ended = list.find((s) => s.id === id);
      list = list.map((s) => (s.id === id ? { ...s, active: false, endedAt: '2026-11-26T10:00:00.000Z' } : s));
      return { ok: true, signedOut: ended?.current ?? false };
    },
    'sessions.acknowledge': () => {
      list = list.map((s) => ({ ...s, isNew: false }));
      return { acknowledgedAt: '2026-11-26T10:00:00.000Z' };
    },
    ...extra,
  } as Background;
}

// Braces: a function returned from beforeEach would be run as its teardown.
beforeEach(() => {
  vi.mocked(ask).mockReset();
});
afterEach(() => unmountAll());

describe('side panel: sign-ins on the account', () => {
  it('shows a new sign-in with the admin who issued the invitation, and lets the person end it', async () => {
    answer(ask, background([own, intruder]));
    const root = await render(<SidePanelApp refreshMs={60_000} />);
    const banner = root.querySelector<HTMLElement>('.sign-in-notice');
    expect(banner?.getAttribute('role')).toBe('status');
    expect(text(banner as HTMLElement)).toMatch(/New sign-in on your account: .+, invitation from Ada Admin/);

    await click(button(root, 'Review'));
    const list = root.querySelector('[aria-label="Sign-ins on your account"]');
    expect(list).not.toBeNull();
    expect(text(list as HTMLElement)).toContain('Chrome on Windows');
    expect(text(list as HTMLElement)).toContain('This device');

    await click(button(root, /^End the sign-in of /));
    expect(calls(ask, 'sessions.end')).toEqual([{ id: intruder.id }]);
    // Still listed (ended) until the person says they have seen it.
    expect(text(root)).toMatch(/ended/);
    await click(button(root, 'I have seen these sign-ins'));
    expect(calls(ask, 'sessions.acknowledge')).toHaveLength(1);
    expect(root.querySelector('.sign-in-notice')).toBeNull();
  });

  it('asks before ending the current session, and shows the sign-in prompt once it is ended', async () => {
    answer(ask, background([own]));
    const root = await render(<SidePanelApp refreshMs={60_000} />);
    expect(root.querySelector('.sign-in-notice')).toBeNull();
    const summary = root.querySelector<HTMLElement>('details.sign-ins summary');
    expect(summary?.textContent).toBe('Sign-ins on your account');
    const details = root.querySelector<HTMLDetailsElement>('details.sign-ins');
    if (!details) throw new Error('no sign-ins section');
    // A native <details>: Enter or Space on its summary opens it, as a click does.
    await act(() => {
      details.open = true;
      details.dispatchEvent(new Event('toggle'));
    });
    expect(root.querySelector('[aria-label="Sign-ins on your account"]')).not.toBeNull();

    await click(button(root, "End this device's sign-in"));
    expect(calls(ask, 'sessions.end')).toHaveLength(0);
    await click(button(root, 'Cancel'));
    await click(button(root, "End this device's sign-in"));
    // After it is ended the panel re-checks auth, which now says signed out.
    answer(ask, { ...background([own]), 'auth.status': { ...signedIn, signedIn: false, user: null, organisation: null } });
    await click(button(root, 'End and sign out'));
    expect(calls(ask, 'sessions.end')).toEqual([{ id: own.id }]);
  });

  it('says so when the sign-ins cannot be loaded, without hiding the rest of the panel', async () => {
    answer(ask, background([], { 'sessions.list': () => Promise.reject(new Error('Cannot reach the Alongside server')) }));
    const root = await render(<SidePanelApp refreshMs={60_000} />);
    expect(root.querySelector('.sign-in-notice')).toBeNull();
    expect(root.querySelector('details.sign-ins')).not.toBeNull();
  });
});

describe('call overlay: sign-in banner', () => {
  it('shows the banner and, on Review, the list in place with End buttons', async () => {
    answer(ask, background([own, intruder, session({ isNew: true, invitation: null, createdAt: '2026-11-24T08:00:00.000Z' })]));
    const onSignedOut = vi.fn();
    const root = await render(<OverlaySignIns onSignedOut={onSignedOut} />);
    expect(text(root)).toMatch(/2 new sign-ins on your account; latest: .+, invitation from Ada Admin/);
    const review = button(root, 'Review');
    expect(review.getAttribute('aria-expanded')).toBe('false');
    await click(review);
    expect(review.getAttribute('aria-expanded')).toBe('true');
    expect(text(root)).toContain('how it was created was not recorded');
    expect(root.querySelectorAll('button').length).toBeGreaterThan(2);
    await click(button(root, /^End the sign-in of /));
    expect(calls(ask, 'sessions.end')).toHaveLength(1);
    expect(onSignedOut).not.toHaveBeenCalled();
  });

  it('shows nothing when there is no new sign-in', async () => {
    answer(ask, background([own, session()]));
    const root = await render(<OverlaySignIns onSignedOut={vi.fn()} />);
    expect(root.textContent).toBe('');
  });
});
