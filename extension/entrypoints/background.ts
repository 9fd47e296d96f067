import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { CallCommand } from '../lib/call-messages.ts';
import { t } from '../lib/i18n.ts';
import { attachToTab, forgetTab } from '../lib/background/attach.ts';
import { onTabClosed } from '../lib/background/calls.ts';
import { syncJitsiContentScripts } from '../lib/background/jitsi.ts';
import { handleMessage } from '../lib/background/handlers.ts';
import { startReminders } from '../lib/background/reminders.ts';
import { outbox } from '../lib/background/sync.ts';
import { watchToolbar } from '../lib/background/toolbar.ts';

const FLUSH_ALARM = 'outbox-flush';

export default defineBackground(() => {
  browser.runtime.onMessage.addListener((message, sender, sendResponse) => {
    handleMessage(message, sender).then(sendResponse, (error: unknown) => {
      console.error('Alongside: message failed', error);
      sendResponse({ ok: false, error: { code: 'internal', message: t('background_somethingWentWrong') } });
    });
    return true; // answer asynchronously
  });

  // The outbox is retried on a timer and whenever the browser or the extension starts.
  void browser.alarms.create(FLUSH_ALARM, { periodInMinutes: 0.5 });
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === FLUSH_ALARM) void outbox.flush();
  });
  // Check-in reminders and the overdue badge (issue 9): their own alarms, see reminders.ts.
  startReminders();
  browser.runtime.onStartup.addListener(() => void outbox.flush());
  browser.runtime.onInstalled.addListener(({ reason }) => {
    void outbox.flush();
    // First run (issue 12): the welcome page walks through the set-up. Only on install, never on updates
    // (MDN runtime.onInstalled: `reason` is a runtime.OnInstalledReason, "install" for a first install).
    if (reason === 'install') void browser.tabs.create({ url: browser.runtime.getURL('/welcome.html') });
  });
  void outbox.flush();

  // The toolbar button shows sign-in needed and in-a-call (toolbar.ts).
  watchToolbar();

  void syncJitsiContentScripts().catch((error: unknown) => console.warn('Alongside: self-hosted Jitsi scripts', error));
  browser.permissions.onAdded.addListener(() => void syncJitsiContentScripts());
  browser.permissions.onRemoved.addListener(() => void syncJitsiContentScripts());

  browser.tabs.onRemoved.addListener((tabId) => {
    void onTabClosed(tabId);
    void forgetTab(tabId);
  });

  // Keyboard commands grant activeTab: on a tab without a companion (an unknown or changed call page) they attach it.
  browser.commands.onCommand.addListener(async (command) => {
    const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
    if (tab?.id === undefined) return;
    const message = CallCommand.parse({ type: command === 'focus-add-entry' ? 'overlay.focus-composer' : 'overlay.toggle' });
    const delivered = await browser.tabs.sendMessage(tab.id, message, { frameId: 0 }).then(
      () => true,
      () => false,
    );
    if (!delivered) await attachToTab(tab.id);
  });

  // Chrome: the toolbar button opens the side panel (goals between calls) and shows the companion on the tab. The
  // click is handled here rather than with openPanelOnActionClick, which would not grant activeTab
  // (kizuna-ai-lab/sokuji pull request #196). sidePanel.open must run before any await to keep the user gesture.
  // Firefox has a popup on the button instead; its "Show on this tab" button does the attaching.
  void browser.sidePanel?.setPanelBehavior({ openPanelOnActionClick: false }).catch(() => undefined);
  browser.action.onClicked.addListener((tab) => {
    if (tab.id === undefined) return;
    void browser.sidePanel?.open({ tabId: tab.id }).catch(() => undefined);
    void attachToTab(tab.id);
  });
});
