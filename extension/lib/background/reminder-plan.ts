/**
 * What the reminders should do now (issue 9), as a pure function of the pairs' check-ins, the time and what was
 * already shown: which alarms to set, which notifications to show, and the toolbar badge. reminders.ts applies the
 * plan with browser.alarms, browser.notifications and browser.action; keeping the decisions here makes them testable
 * without a browser (only its messages, i18n.ts) and keeps the service worker free of long-lived timers.
 */
import { localTime } from '../../../shared/domain/scheduling.ts';
import type { CheckIn } from '../../../shared/schemas/index.ts';
import { t, tCount } from '../i18n.ts';

/** A reminder shows this many minutes before a scheduled check-in: enough to finish a task and open the call. */
export const REMINDER_LEAD_MINUTES = 10;
/** A "starts soon" reminder still shows this long after the start (the computer was asleep at the right time). */
export const LATE_GRACE_MINUTES = 5;
/**
 * With no page open the background has no live connection, so it re-reads the schedule this often to notice a
 * partner's proposal or acceptance for the reminders. Hourly, not every few minutes: the live room's promise is no
 * periodic D1 reads while nothing changes (issue 9), and a check-in is agreed days ahead. The side panel reads the
 * schedule at once on the room's hint, and every scheduling change made here re-plans straight away.
 */
export const REFRESH_PERIOD_MINUTES = 60;
/** Alarms of the plan carry this prefix; the periodic refresh alarm has its own name. */
export const REMINDER_ALARM_PREFIX = 'checkin-reminder:';
export const REFRESH_ALARM = 'checkins-refresh';

const MINUTE_MS = 60_000;

/** One pair as the reminders see it. */
export interface PairSchedule {
  pairId: string;
  active: boolean;
  partner: { name: string; timeZone: string };
  scheduled: Pick<CheckIn, 'id' | 'startsAt' | 'durationMinutes'> | null;
  /** When the cadence says the next check-in is due (UTC), or null. */
  due: string | null;
}

export interface Reminder {
  /** Stable per occasion: shown once. A rescheduled check-in or a new due date is a new occasion. */
  key: string;
  kind: 'starts-soon' | 'overdue';
  pairId: string;
  title: string;
  message: string;
}

export interface ReminderPlan {
  /** Alarms to exist after this run (by name, at `when` ms); other alarms with the prefix are cleared. */
  alarms: { name: string; when: number }[];
  /** Notifications to show now (empty when reminders are off). */
  notify: Reminder[];
  /** The toolbar badge, shown whether or not notifications are on. */
  badge: { text: string; title: string };
  /** The shown-reminder keys to keep: those still about a current occasion, plus the ones shown now. */
  shown: string[];
}

export interface PlanOptions {
  now: number;
  /** Reminders switched on and notifications allowed. */
  notificationsOn: boolean;
  /** The user's zone, for the times in the messages. */
  myTimeZone: string;
  /** Keys of reminders already shown. */
  shown: readonly string[];
  leadMinutes?: number;
}

const startsSoonKey = (c: NonNullable<PairSchedule['scheduled']>) => `starts-soon:${c.id}:${c.startsAt}`;
const overdueKey = (s: PairSchedule) => `overdue:${s.pairId}:${s.due}`;
const firstName = (name: string) => name.trim().split(/\s+/)[0] || name;

/**
 * Overdue: the pair is active, its due date has passed, and no agreed check-in is still to come or under way (one
 * that passed without a meeting leaves the pair overdue again: a held meeting moves the due date on the server).
 */
export function isOverdue(s: PairSchedule, now: number): boolean {
  if (!s.active || s.due === null || Date.parse(s.due) > now) return false;
  if (s.scheduled && Date.parse(s.scheduled.startsAt) + s.scheduled.durationMinutes * MINUTE_MS > now) return false;
  return true;
}

/** "Check-in with Theo in 10 minutes", "… now"; once started, "Your check-in with Theo started 3 minutes ago". */
function startsSoonTitle(who: string, startMs: number, now: number): string {
  const minutes = Math.round((startMs - now) / MINUTE_MS);
  if (startMs <= now) return minutes === 0 ? t('reminderPlan_startedNow', who) : tCount('reminderPlan_startedAgo', -minutes, who);
  return minutes === 0 ? t('reminderPlan_startsNow', who) : tCount('reminderPlan_startsIn', minutes, who);
}

function startsSoon(s: PairSchedule, c: NonNullable<PairSchedule['scheduled']>, now: number, myZone: string): Reminder {
  const who = firstName(s.partner.name);
  const mine = localTime(c.startsAt, myZone);
  const theirs = localTime(c.startsAt, s.partner.timeZone);
  return {
    key: startsSoonKey(c),
    kind: 'starts-soon',
    pairId: s.pairId,
    title: startsSoonTitle(who, Date.parse(c.startsAt), now),
    message: t('reminderPlan_startsSoonTimes', mine.time, myZone, theirs.time, who, s.partner.timeZone),
  };
}

function overdue(s: PairSchedule, myZone: string): Reminder {
  const who = firstName(s.partner.name);
  const due = localTime(s.due ?? '', myZone);
  return {
    key: overdueKey(s),
    kind: 'overdue',
    pairId: s.pairId,
    title: t('reminderPlan_overdueTitle', who),
    message: t('reminderPlan_overdueMessage', due.label.split(',')[0] ?? due.label),
  };
}

export function planReminders(schedules: readonly PairSchedule[], options: PlanOptions): ReminderPlan {
  const { now, notificationsOn, myTimeZone } = options;
  const lead = (options.leadMinutes ?? REMINDER_LEAD_MINUTES) * MINUTE_MS;
  const alarms: ReminderPlan['alarms'] = [];
  const notify: Reminder[] = [];
  const current = new Set<string>();
  const overdueWith: string[] = [];

  for (const s of schedules) {
    if (!s.active) continue;
    const c = s.scheduled;
    if (c) {
      const start = Date.parse(c.startsAt);
      const end = start + c.durationMinutes * MINUTE_MS;
      current.add(startsSoonKey(c));
      if (notificationsOn && start - lead > now) {
        alarms.push({ name: `${REMINDER_ALARM_PREFIX}soon:${c.id}`, when: start - lead });
      } else if (notificationsOn && now < start + LATE_GRACE_MINUTES * MINUTE_MS && !options.shown.includes(startsSoonKey(c))) {
        notify.push(startsSoon(s, c, now, myTimeZone));
      }
      // When it ends the pair may be overdue again (if no meeting was held): look again then.
      if (end > now) alarms.push({ name: `${REMINDER_ALARM_PREFIX}end:${c.id}`, when: end });
    }
    if (s.due !== null) {
      current.add(overdueKey(s));
      const dueMs = Date.parse(s.due);
      if (dueMs > now) alarms.push({ name: `${REMINDER_ALARM_PREFIX}due:${s.pairId}`, when: dueMs });
    }
    if (isOverdue(s, now)) {
      overdueWith.push(firstName(s.partner.name));
      if (notificationsOn && !options.shown.includes(overdueKey(s))) notify.push(overdue(s, myTimeZone));
    }
  }

  const shown = [...options.shown.filter((key) => current.has(key)), ...notify.map((r) => r.key)];
  const badge =
    overdueWith.length === 0
      ? { text: '', title: t('extName') }
      : // The number of overdue pairs, not "!", which the toolbar keeps for "sign in needed" (toolbar.ts).
        { text: String(overdueWith.length), title: t('reminderPlan_badgeOverdue', overdueWith.join(', ')) };
  return { alarms, notify, badge, shown: [...new Set(shown)] };
}
