/**
 * Reminders (issue 9): before a scheduled check-in and when one is overdue, as browser notifications when the user
 * turned them on; the toolbar badge shows an overdue check-in either way. reminder-plan.ts decides; this module reads
 * the inputs and applies the plan. Only browser.alarms wake the service worker (no long-lived timers): one periodic
 * alarm re-reads the schedule, and one alarm per upcoming moment (reminder time, end of a check-in, due date).
 */
import { browser } from 'wxt/browser';
import { t } from '../i18n.ts';
import { refreshPairs } from './calls.ts';
import { cachedCheckIns, fetchCheckIns } from './checkin-store.ts';
import {
  type PairSchedule,
  REFRESH_ALARM,
  REFRESH_PERIOD_MINUTES,
  REMINDER_ALARM_PREFIX,
  REMINDER_LEAD_MINUTES,
  type ReminderPlan,
  planReminders,
} from './reminder-plan.ts';
import { type Handlers, UserError } from './requests.ts';
import { pairsItem, remindersItem, shownRemindersItem, signedInItem } from './storage.ts';
import { type ToolbarBadge, refreshToolbar, registerToolbarBadge } from './toolbar.ts';

/**
 * Chrome's notifications.create needs an iconUrl (data URLs allowed: developer.chrome.com/docs/extensions/reference/api/notifications,
 * NotificationOptions.iconUrl); the extension ships no image files, so a 48 px clock is inlined.
 */
const ICON_URL = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAADAAAAAwCAYAAABXAvmHAAAA8ElEQVR42u2aURaDMAgEvVGP5pF7lHoB25TsAAnCe/5FsxNXJeBxdBSK1/n+/HNsKXo5GFV4GggtPBTk18TWCIUghYeDWIWPLGI9L0T8rN/dIRTh5Nhw8R7jZetYLTNjs9F4ZPVpf1vmChOvPugSxLeLeb1hRuebAKjVJwFMENTqU98KCYCanLrGEIC0jzfALQRpH490owFUgNnUugEeC0BtM1MBiKMBMiHM+dAuACHJXKh9VrTR9KZmlbuA78giIZbZF6eIp8oqtHi5NkSlx1tV51LFlyjubl9eL9HgKNFiKtPkK9FmLdPoLvOrQYcYF9j/3ZENDNJaAAAAAElFTkSuQmCC';
/** Badge colour: the pages' error red (Chrome draws badge text white: MDN action.setBadgeBackgroundColor). */
/** Amber: needs attention, but unlike the red sign-in badge nothing is failing. */
const BADGE_COLOUR = '#b06000';

/**
 * The overdue badge of the last plan. toolbar.ts owns the button and shows it unless sign-in is needed, which
 * wins (without a sign-in nothing here is current anyway).
 */
let overdueBadge: ToolbarBadge | null = null;
registerToolbarBadge(async () => overdueBadge);

/** Whether the optional notifications permission is granted now (the user can revoke it at any time). */
export async function notificationsPermitted(): Promise<boolean> {
  try {
    return await browser.permissions.contains({ permissions: ['notifications'] });
  } catch {
    return false;
  }
}

async function signedInZone(): Promise<string | null> {
  return (await signedInItem.get())?.user.timeZone ?? null;
}

/** Each open pair's check-ins: from the server when `fetch` and reachable, else as last read. */
async function pairSchedules(fetch: boolean): Promise<PairSchedule[]> {
  if (fetch) await refreshPairs().catch(() => undefined); // offline: the cached list will do
  const pairs = (await pairsItem.get()).filter((p) => p.status !== 'ended');
  const schedules: PairSchedule[] = [];
  for (const pair of pairs) {
    // Unreachable or refused: what was last read still drives the badge and reminders.
    let checkIns = fetch ? await fetchCheckIns(pair.id).catch(() => null) : null;
    checkIns ??= await cachedCheckIns(pair.id);
    if (!checkIns) continue;
    schedules.push({ pairId: pair.id, active: pair.status === 'active', partner: pair.partner, scheduled: checkIns.scheduled, due: checkIns.due });
  }
  return schedules;
}

async function applyPlan(plan: ReminderPlan): Promise<void> {
  const wanted = new Map(plan.alarms.map((a) => [a.name, a.when]));
  for (const alarm of await browser.alarms.getAll()) {
    if (alarm.name.startsWith(REMINDER_ALARM_PREFIX) && wanted.get(alarm.name) !== alarm.scheduledTime) await browser.alarms.clear(alarm.name);
  }
  const existing = new Set((await browser.alarms.getAll()).map((a) => a.name));
  for (const [name, when] of wanted) if (!existing.has(name)) await browser.alarms.create(name, { when });
  for (const reminder of plan.notify) {
    // notifications.create: type, title, message and (Chrome) iconUrl are required (MDN NotificationOptions).
    // The namespace exists only while the optional permission is granted; it may have been revoked just now.
    await browser.notifications
      ?.create(reminder.key, { type: 'basic', iconUrl: ICON_URL, title: reminder.title, message: reminder.message })
      .catch((error: unknown) => console.warn('Alongside: notification not shown', error));
  }
  await shownRemindersItem.set(plan.shown);
  overdueBadge = plan.badge.text ? { text: plan.badge.text, color: BADGE_COLOUR, title: plan.badge.title } : null;
  await refreshToolbar();
}

async function clearAll(): Promise<void> {
  for (const alarm of await browser.alarms.getAll()) if (alarm.name.startsWith(REMINDER_ALARM_PREFIX)) await browser.alarms.clear(alarm.name);
  overdueBadge = null;
  await refreshToolbar();
}

let running: Promise<void> = Promise.resolve();

/**
 * Works out and applies the reminders: signed out, everything is cleared. Runs one at a time (alarms and page
 * requests may overlap); `fetch` re-reads the schedule from the server first.
 */
export function refreshReminders({ fetch, now = Date.now }: { fetch: boolean; now?: () => number }): Promise<void> {
  const run = async () => {
    const myTimeZone = await signedInZone();
    if (myTimeZone === null) return clearAll();
    const schedules = await pairSchedules(fetch);
    const prefs = await remindersItem.get();
    const notificationsOn = prefs.enabled && (await notificationsPermitted());
    await applyPlan(planReminders(schedules, { now: now(), notificationsOn, myTimeZone, shown: await shownRemindersItem.get() }));
  };
  const result = running.then(run, run);
  running = result.catch((error: unknown) => console.warn('Alongside: reminders', error));
  return result;
}

/** Re-plans from what is stored now (after a scheduling change, sign-in or sign-out); never throws. */
export function scheduleReminders(): void {
  void refreshReminders({ fetch: false }).catch(() => undefined);
}

/**
 * Called once when the background starts: the periodic refresh alarm and the listeners. Alarms may not survive a
 * browser restart, so the refresh alarm is made sure of at every start (developer.chrome.com/docs/extensions/reference/api/alarms,
 * "Persistence"); the per-moment alarms are re-planned by the first refresh.
 */
export function startReminders(): void {
  void browser.alarms.get(REFRESH_ALARM).then((alarm) => {
    if (!alarm) void browser.alarms.create(REFRESH_ALARM, { delayInMinutes: REFRESH_PERIOD_MINUTES, periodInMinutes: REFRESH_PERIOD_MINUTES });
  });
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === REFRESH_ALARM || alarm.name.startsWith(REMINDER_ALARM_PREFIX)) void refreshReminders({ fetch: true }).catch(() => undefined);
  });
  scheduleReminders();
}

export const reminderHandlers: Handlers<'reminders.get' | 'reminders.set'> = {
  'reminders.get': async () => ({ enabled: (await remindersItem.get()).enabled, leadMinutes: REMINDER_LEAD_MINUTES, permitted: await notificationsPermitted() }),
  'reminders.set': async ({ enabled }) => {
    const permitted = await notificationsPermitted();
    if (enabled && !permitted) throw new UserError('permission_needed', t('remindersBg_allowNotifications'));
    await remindersItem.set({ enabled });
    await refreshReminders({ fetch: false });
    return { enabled, leadMinutes: REMINDER_LEAD_MINUTES, permitted };
  },
};
