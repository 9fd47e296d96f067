// The welcome page's test call in the background (issue 12, item 4): recognised by the configured server's
// /try-call path, noted as seen when the companion attaches there, and never logged as a meeting.
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { describe, expect, it, vi } from 'vitest';
import { APP_CHANNEL } from '../../extension/lib/app-messages.ts';
import { handleMessage } from '../../extension/lib/background/handlers.ts';
import { outbox } from '../../extension/lib/background/sync.ts';
import { attachedTabsItem, pairsItem, settingsItem, signedInItem, tabCallsItem } from '../../extension/lib/background/storage.ts';
import { isTryCallPage, tryCallUrl, welcomeItem } from '../../extension/lib/background/welcome.ts';
import { pairSummary, signedIn } from './ui-support.ts';

const SERVER = 'http://127.0.0.1:8787';
const TAB = 7;
const page = () => ({ id: fakeBrowser.runtime.id, url: fakeBrowser.runtime.getURL('/welcome.html') });
const overlay = () => ({ id: fakeBrowser.runtime.id, url: fakeBrowser.runtime.getURL('/overlay.html'), tab: { id: TAB } as never });
const callPage = (url: string) => ({ id: fakeBrowser.runtime.id, url, tab: { id: TAB } as never });

describe('the test call page', () => {
  it('is the configured server’s /try-call and nothing else', () => {
    expect(tryCallUrl('https://example.org/alongside/')).toBe('https://example.org/alongside/try-call');
    expect(isTryCallPage(`${SERVER}/try-call`, SERVER)).toBe(true);
    expect(isTryCallPage(`${SERVER}/try-call?x=1#y`, SERVER)).toBe(true);
    expect(isTryCallPage('https://example.org/alongside/try-call', 'https://example.org/alongside')).toBe(true);
    expect(isTryCallPage('http://127.0.0.1:9999/try-call', SERVER)).toBe(false);
    expect(isTryCallPage('https://evil.example/try-call', SERVER)).toBe(false);
    expect(isTryCallPage(`${SERVER}/try-call/more`, SERVER)).toBe(false);
    expect(isTryCallPage(undefined, SERVER)).toBe(false);
  });

  it('notes the overlay as seen when the companion attaches there, and never logs a meeting for it', async () => {
    const user = signedIn.user;
    if (!user || !signedIn.organisation) throw new Error('fixture');
    await settingsItem.set({ serverUrl: SERVER, jitsiOrigins: [] });
    await signedInItem.set({ user, organisation: signedIn.organisation, serverUrl: SERVER });
    await pairsItem.set([pairSummary()]);
    // The welcome page's button attached the companion to this tab (attach.ts records it).
    await attachedTabsItem.set({ [TAB]: SERVER });
    const enqueue = vi.spyOn(outbox, 'enqueue');
    vi.spyOn(outbox, 'flush').mockResolvedValue(undefined as never);
    vi.spyOn(globalThis, 'fetch').mockRejectedValue(new Error('offline'));

    expect(await handleMessage({ channel: APP_CHANNEL, type: 'welcome.status', payload: {} }, page())).toEqual({ ok: true, data: { testCallSeenAt: null } });
    expect(await handleMessage({ type: 'call.attach', platform: 'other', code: '127.0.0.1:8787/try-call' }, callPage(`${SERVER}/try-call`))).toEqual({ ok: true });
    expect((await welcomeItem.get()).testCallSeenAt).not.toBeNull();
    expect((await tabCallsItem.get())[TAB]).toMatchObject({ trial: true, mode: 'manual' });

    // "Start meeting log" in the overlay is refused, and an in-call state from the page is ignored.
    expect(await handleMessage({ channel: APP_CHANNEL, type: 'call.logStart', payload: {} }, overlay())).toMatchObject({ ok: false, error: { code: 'test_call' } });
    expect(await handleMessage({ type: 'call.state', platform: 'other', code: '127.0.0.1:8787/try-call', state: 'in-call' }, callPage(`${SERVER}/try-call`))).toEqual({ ok: true });
    expect(enqueue).not.toHaveBeenCalled();
    expect((await tabCallsItem.get())[TAB]?.meetingId).toBeNull();
    vi.restoreAllMocks();
  });
});
