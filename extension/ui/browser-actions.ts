// The few browser APIs the pages call directly (everything else goes through `ask` to the background).
import { browser } from 'wxt/browser';

export function openOptionsPage(): void {
  void browser.runtime.openOptionsPage();
}

/** Hosts the manifest already grants (the local server); everything else is asked for at runtime. */
const GRANTED_HOSTS = new Set(['127.0.0.1', 'localhost']);

/**
 * Asks for access to the host of `url` (a self-hosted server or Jitsi origin). Must be called straight from a click
 * handler, before any other await: browsers only show the permission prompt during a user gesture.
 * Match patterns carry no port (Firefox rejects one; Chrome's port-less pattern matches every port).
 */
export async function requestHostAccess(url: string): Promise<boolean> {
  const { protocol, hostname } = new URL(url);
  if (GRANTED_HOSTS.has(hostname)) return true;
  return browser.permissions.request({ origins: [`${protocol}//${hostname}/*`] });
}

/**
 * Asks for the optional `notifications` permission (check-in reminders, issue 9). Like every permissions.request it
 * must run in the click handler itself, before any other await: it is only allowed in a user action (MDN
 * permissions.request, "The request can only be made inside the handler for a user action").
 */
export async function requestNotifications(): Promise<boolean> {
  return browser.permissions.request({ permissions: ['notifications'] });
}

/** Whether the extension may reach the host of `url` now (the manifest's local hosts, or granted at runtime). */
export async function hasHostAccess(url: string): Promise<boolean> {
  const { protocol, hostname } = new URL(url);
  if (GRANTED_HOSTS.has(hostname)) return true;
  return browser.permissions.contains({ origins: [`${protocol}//${hostname}/*`] });
}

/**
 * Whether the user pinned Alongside to the toolbar: action.getUserSettings() → { isOnToolbar } (MDN
 * action.getUserSettings, "Whether the user has pinned the action's icon to the browser UI"; based on Chromium's
 * chrome.action). null where the browser does not say (no such function).
 */
export async function toolbarPinned(): Promise<boolean | null> {
  const action = browser.action as Partial<typeof browser.action> | undefined;
  if (typeof action?.getUserSettings !== 'function') return null;
  try {
    const settings = await action.getUserSettings();
    return settings.isOnToolbar === true;
  } catch {
    return null;
  }
}
