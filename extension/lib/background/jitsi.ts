/**
 * Self-hosted Jitsi servers cannot be in the manifest's static content-script matches: when the user adds one (and
 * grants the host permission from the options page), the call content script is registered for it at runtime.
 */
import { browser } from 'wxt/browser';
import { originMatchPattern } from '../../platforms/index.ts';
import { settingsItem } from './storage.ts';

const SCRIPT_ID = 'alongside-self-hosted-jitsi';
/** Where WXT writes the `call.content` entrypoint. */
export const CALL_SCRIPT = 'content-scripts/call.js';

export async function syncJitsiContentScripts(): Promise<string[]> {
  const { jitsiOrigins } = await settingsItem.get();
  const patterns = jitsiOrigins.flatMap((origin) => originMatchPattern(origin) ?? []);
  const granted: string[] = [];
  for (const pattern of patterns) {
    if (await browser.permissions.contains({ origins: [pattern] })) granted.push(pattern);
  }
  const existing = await browser.scripting.getRegisteredContentScripts({ ids: [SCRIPT_ID] });
  if (existing.length > 0) await browser.scripting.unregisterContentScripts({ ids: [SCRIPT_ID] });
  if (granted.length > 0) {
    await browser.scripting.registerContentScripts([{ id: SCRIPT_ID, matches: granted, js: [CALL_SCRIPT], runAt: 'document_idle', persistAcrossSessions: true }]);
  }
  return granted;
}
