/**
 * Showing the companion on a tab by hand: the toolbar button (Chrome) or Alt+Shift+A grant activeTab for that tab,
 * so the call script can be injected into a page no adapter knows, a changed platform page or a self-hosted one,
 * without any broad host permission. Where the companion already runs, it is simply shown.
 */
import { browser } from 'wxt/browser';
import { CallCommand, DiagnosticsReport } from '../call-messages.ts';
import { t } from '../i18n.ts';
import { CALL_SCRIPT } from './jitsi.ts';
import { pairsItem, signedInItem, attachedTabsItem } from './storage.ts';

export interface AttachResult {
  attached: boolean;
  message: string;
}

/** Whether a companion answers in the tab; it shows its overlay when it does. */
async function showExisting(tabId: number): Promise<boolean> {
  return browser.tabs.sendMessage(tabId, CallCommand.parse({ type: 'overlay.show' }), { frameId: 0 }).then(
    (answer: unknown) => answer !== undefined,
    () => false, // no receiver: no companion in that tab
  );
}

export async function attachToTab(tabId: number): Promise<AttachResult> {
  if (await showExisting(tabId)) return { attached: true, message: t('attach_shown') };
  let origin: string;
  try {
    const tab = await browser.tabs.get(tabId);
    const url = new URL(tab.url ?? '');
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return { attached: false, message: t('attach_notAWebPage') };
    origin = url.origin;
  } catch {
    // No URL: the extension was not invoked on this tab, so it may not read it.
    return { attached: false, message: t('attach_noAccess') };
  }
  await attachedTabsItem.set({ ...(await attachedTabsItem.get()), [tabId]: origin });
  try {
    await browser.scripting.executeScript({ target: { tabId }, files: [`/${CALL_SCRIPT}` as const] });
    return { attached: true, message: t('attach_shown') };
  } catch (error) {
    await forgetTab(tabId);
    console.warn('Alongside: could not show the companion on this tab', error instanceof Error ? error.message : error);
    return { attached: false, message: t('attach_notPermitted') };
  }
}

export async function forgetTab(tabId: number): Promise<void> {
  const attached = await attachedTabsItem.get();
  if (!(tabId in attached)) return;
  delete attached[tabId];
  await attachedTabsItem.set(attached);
}

/** Whether the user attached the companion to this tab on this origin. */
export async function isAttached(tabId: number, origin: string): Promise<boolean> {
  return (await attachedTabsItem.get())[tabId] === origin;
}

/**
 * What the adapter sees on a call tab now. Names the extension knows (the user's and their partners') are sent
 * along so the content script leaves them out of the page signature.
 */
export async function checkTab(tabId: number): Promise<DiagnosticsReport> {
  const [signedIn, pairs] = await Promise.all([signedInItem.get(), pairsItem.get()]);
  const redact = [...(signedIn ? [signedIn.user.name, signedIn.user.email] : []), ...pairs.flatMap((p) => [p.partner.name])];
  const answer: unknown = await browser.tabs.sendMessage(tabId, CallCommand.parse({ type: 'diagnostics.collect', redact }), { frameId: 0 }).catch(() => undefined);
  const report = DiagnosticsReport.safeParse(answer);
  if (!report.success) throw new Error(t('attach_tabChanged'));
  return report.data;
}
