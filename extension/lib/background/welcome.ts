/**
 * The first-run welcome page's background side (issue 12, item 4): the test call. The worker serves a page that looks
 * like a call at <server>/try-call (worker/routes/try-call.ts). No adapter knows it, so the welcome page's button
 * opens it and attaches the companion with the same manual attach as the toolbar button (attach.ts): the extension
 * may script it because it holds host access to the user's own server (the manifest's for a local one, step 2 of
 * the welcome page otherwise). When the companion attaches there, the background notes that the overlay was seen.
 * A test call is not a mentoring meeting: calls.ts never logs a meeting for it, and handlers.ts ignores its states.
 */
import { browser } from 'wxt/browser';
import { IsoDateTime } from '../../../shared/schemas/index.ts';
import { z } from 'zod';
import type { AppRequestType } from '../app-messages.ts';
import { t } from '../i18n.ts';
import { attachToTab } from './attach.ts';
import type { Handlers } from './requests.ts';
import { settingsItem, validatedItem } from './storage.ts';

export const TRY_CALL_PATH = '/try-call';

/** Cleared with the rest on sign-out (storage.ts clearUserData): signing in again walks the test call again. */
export const welcomeItem = validatedItem('local:welcome', z.object({ testCallSeenAt: IsoDateTime.nullable() }), { testCallSeenAt: null });

/** The test call page of `serverUrl` (which may have a path: https://example.org/alongside). */
export function tryCallUrl(serverUrl: string): string {
  return `${serverUrl.replace(/\/+$/, '')}${TRY_CALL_PATH}`;
}

/** Whether `pageUrl` is the test call of the configured server (query and fragment ignored). */
export function isTryCallPage(pageUrl: string | undefined, serverUrl: string): boolean {
  if (!pageUrl) return false;
  try {
    const page = new URL(pageUrl);
    const expected = new URL(tryCallUrl(serverUrl));
    return page.origin === expected.origin && page.pathname.replace(/\/+$/, '') === expected.pathname;
  } catch {
    return false;
  }
}

export async function isTryCallSender(pageUrl: string | undefined): Promise<boolean> {
  return isTryCallPage(pageUrl, (await settingsItem.get()).serverUrl);
}

/** The companion attached on the test call: the overlay is on screen, so the welcome page's last step is done. */
export async function noteTestCallSeen(): Promise<void> {
  const current = await welcomeItem.get();
  if (current.testCallSeenAt === null) await welcomeItem.set({ testCallSeenAt: new Date().toISOString() });
}

/** Resolves when the tab has finished loading (tabs.onUpdated status "complete"), or after `timeoutMs`. */
function loaded(tabId: number, timeoutMs = 15_000): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      browser.tabs.onUpdated.removeListener(listener);
      resolve();
    };
    const listener = (id: number, change: { status?: string }) => {
      if (id === tabId && change.status === 'complete') done();
    };
    const timer = setTimeout(done, timeoutMs);
    browser.tabs.onUpdated.addListener(listener);
    // It may have loaded before the listener was added.
    void browser.tabs.get(tabId).then((tab) => {
      if (tab.status === 'complete') done();
    }, done);
  });
}

type WelcomeRequest = Extract<AppRequestType, `welcome.${string}`>;

export const welcomeHandlers: Handlers<WelcomeRequest> = {
  'welcome.status': async () => welcomeItem.get(),
  'welcome.tryCall': async () => {
    const { serverUrl } = await settingsItem.get();
    const tab = await browser.tabs.create({ url: tryCallUrl(serverUrl), active: true });
    if (tab.id === undefined) return { attached: false, message: t('welcomeBg_tabNotOpened') };
    await loaded(tab.id);
    const result = await attachToTab(tab.id);
    return result.attached
      ? { attached: true, message: t('welcomeBg_tryCallShown') }
      : { attached: false, message: t('welcomeBg_tryCallNotShown', result.message) };
  },
};
