import { fakeBrowser } from 'wxt/testing/fake-browser';
import { describe, expect, it, vi } from 'vitest';
import { SIGN_IN_BADGE, type ToolbarBadge, refreshToolbar, registerToolbarBadge, toolbarAppearance } from '../../extension/lib/background/toolbar.ts';
import { signedInItem, tabCallsItem } from '../../extension/lib/background/storage.ts';

const overdue: ToolbarBadge = { text: '1', color: '#b26a00', title: 'Alongside: a check-in is overdue' };

describe('toolbar appearance', () => {
  it('is the plain mark when signed in and not in a call', () => {
    expect(toolbarAppearance({ signedIn: true, inCall: false, badges: [] })).toEqual({ icon: 'normal', badge: null, title: 'Alongside' });
  });

  it('shows the in-call mark while a call is on', () => {
    expect(toolbarAppearance({ signedIn: true, inCall: true, badges: [] })).toEqual({ icon: 'in-call', badge: null, title: 'Alongside: in a call' });
  });

  it('asks for sign-in with a badge, over any other badge and without the in-call dot', () => {
    expect(toolbarAppearance({ signedIn: false, inCall: true, badges: [overdue] })).toEqual({
      icon: 'normal',
      badge: { text: '!', color: SIGN_IN_BADGE.color },
      title: SIGN_IN_BADGE.title,
    });
  });

  it("shows other modules' badges when signed in, the first one registered first", () => {
    const other: ToolbarBadge = { text: '2', color: '#000', title: 'other' };
    expect(toolbarAppearance({ signedIn: true, inCall: true, badges: [null, overdue, other] })).toEqual({
      icon: 'in-call',
      badge: { text: '1', color: overdue.color },
      title: overdue.title,
    });
  });
});

describe('refreshToolbar', () => {
  it('applies the stored state to the button', async () => {
    // The fake browser has no action.setIcon (only titles and badges): record it here.
    const setIcon = vi.fn(async (_details: { path: Record<number, string> }) => undefined);
    Object.assign(fakeBrowser.action, { setIcon });

    await refreshToolbar();
    expect(await fakeBrowser.action.getBadgeText({})).toBe('!');
    expect(await fakeBrowser.action.getTitle({})).toBe(SIGN_IN_BADGE.title);

    const id = crypto.randomUUID();
    await signedInItem.set({
      user: {
        id,
        orgId: id,
        role: 'mentee',
        name: 'Theo',
        email: 'theo@example.org',
        timeZone: 'Europe/Berlin',
        workingHours: { startMinute: 480, endMinute: 1020 },
        skills: [],
        interests: [],
        goals: [],
        capacity: 1,
        status: 'active',
        createdAt: '2026-01-01T00:00:00.000Z',
      },
      organisation: { id, name: 'Demo' },
      serverUrl: 'http://127.0.0.1:8787',
    });
    await tabCallsItem.set({
      7: { platform: 'meet', code: 'abc-defg-hij', mode: 'auto', state: 'in-call', pairId: null, meetingId: null, joinedAt: null, leftAt: null },
    });
    await refreshToolbar();
    expect(await fakeBrowser.action.getBadgeText({})).toBe('');
    expect(await fakeBrowser.action.getTitle({})).toBe('Alongside: in a call');
    expect(setIcon).toHaveBeenLastCalledWith({ path: { 16: 'icons/alongside-in-call-16.png', 32: 'icons/alongside-in-call-32.png' } });

    registerToolbarBadge(async () => overdue);
    await tabCallsItem.set({});
    await refreshToolbar();
    expect(await fakeBrowser.action.getBadgeText({})).toBe('1');
    expect(setIcon).toHaveBeenLastCalledWith({ path: { 16: 'icons/alongside-16.png', 32: 'icons/alongside-32.png' } });
  });
});
