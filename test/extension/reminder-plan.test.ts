// The reminder and badge decisions (issue 9) as pure functions: which alarms, which notifications, which badge.
import { describe, expect, it } from 'vitest';
import {
  LATE_GRACE_MINUTES,
  type PairSchedule,
  REMINDER_ALARM_PREFIX,
  REMINDER_LEAD_MINUTES,
  isOverdue,
  planReminders,
} from '../../extension/lib/background/reminder-plan.ts';

const MIN = 60_000;
const pairId = '0190a000-0000-7000-8000-000000000004';
const checkInId = '0190a000-0000-7000-8000-00000000000b';
const start = Date.parse('2026-03-10T09:00:00.000Z');

function schedule(overrides: Partial<PairSchedule> = {}): PairSchedule {
  return {
    pairId,
    active: true,
    partner: { name: 'Theo Marsh', timeZone: 'America/New_York' },
    scheduled: { id: checkInId, startsAt: new Date(start).toISOString(), durationMinutes: 45 },
    due: '2026-03-12T00:00:00.000Z',
    ...overrides,
  };
}
const on = { notificationsOn: true, myTimeZone: 'Europe/Lisbon', shown: [] as string[] };

describe('isOverdue', () => {
  it('is overdue past the due date with nothing scheduled, and not before it', () => {
    const s = schedule({ scheduled: null, due: '2026-03-01T00:00:00.000Z' });
    expect(isOverdue(s, Date.parse('2026-03-02T00:00:00.000Z'))).toBe(true);
    expect(isOverdue(s, Date.parse('2026-02-28T00:00:00.000Z'))).toBe(false);
  });

  it('is not overdue while an agreed check-in is still to come or under way; is again once it has passed', () => {
    const s = schedule({ due: '2026-03-01T00:00:00.000Z' });
    expect(isOverdue(s, start - 60 * MIN)).toBe(false);
    expect(isOverdue(s, start + 30 * MIN)).toBe(false);
    // The check-in ended and the server still says it is due (no meeting was held).
    expect(isOverdue(s, start + 46 * MIN)).toBe(true);
  });

  it('never for a paused pair or one with no due date', () => {
    expect(isOverdue(schedule({ active: false, scheduled: null, due: '2026-03-01T00:00:00.000Z' }), start)).toBe(false);
    expect(isOverdue(schedule({ scheduled: null, due: null }), start)).toBe(false);
  });
});

describe('planReminders', () => {
  it(`sets an alarm ${REMINDER_LEAD_MINUTES} minutes before a scheduled check-in, one at its end and one at the due date`, () => {
    const plan = planReminders([schedule()], { ...on, now: start - 3 * 60 * MIN });
    expect(plan.alarms).toEqual([
      { name: `${REMINDER_ALARM_PREFIX}soon:${checkInId}`, when: start - REMINDER_LEAD_MINUTES * MIN },
      { name: `${REMINDER_ALARM_PREFIX}end:${checkInId}`, when: start + 45 * MIN },
      { name: `${REMINDER_ALARM_PREFIX}due:${pairId}`, when: Date.parse('2026-03-12T00:00:00.000Z') },
    ]);
    expect(plan.notify).toEqual([]);
    expect(plan.badge).toEqual({ text: '', title: 'Alongside' });
  });

  it('notifies when the reminder time has come, in both local times, once', () => {
    const now = start - REMINDER_LEAD_MINUTES * MIN;
    const plan = planReminders([schedule()], { ...on, now });
    expect(plan.notify).toEqual([
      {
        key: `starts-soon:${checkInId}:2026-03-10T09:00:00.000Z`,
        kind: 'starts-soon',
        pairId,
        title: 'Check-in with Theo in 10 minutes',
        // Lisbon is on UTC in winter; New York is on EDT from 8 March 2026 (UTC−4).
        message: '09:00 your time (Europe/Lisbon) · 05:00 for Theo (America/New_York)',
      },
    ]);
    expect(plan.shown).toEqual([`starts-soon:${checkInId}:2026-03-10T09:00:00.000Z`]);
    expect(plan.alarms.map((a) => a.name)).not.toContain(`${REMINDER_ALARM_PREFIX}soon:${checkInId}`);
    // The next run (the end alarm, the 15-minute refresh) does not show it again.
    expect(planReminders([schedule()], { ...on, now: now + 2 * MIN, shown: plan.shown }).notify).toEqual([]);
  });

  it(`still reminds up to ${LATE_GRACE_MINUTES} minutes after the start (the computer slept), not later`, () => {
    const late = planReminders([schedule()], { ...on, now: start + 3 * MIN });
    expect(late.notify[0]?.title).toBe('Your check-in with Theo started 3 minutes ago');
    expect(planReminders([schedule()], { ...on, now: start + (LATE_GRACE_MINUTES + 1) * MIN }).notify).toEqual([]);
  });

  it('reminds again for a rescheduled check-in (a new occasion), and forgets keys of past occasions', () => {
    const first = planReminders([schedule()], { ...on, now: start - 5 * MIN });
    const moved = schedule({ scheduled: { id: checkInId, startsAt: new Date(start + 60 * MIN).toISOString(), durationMinutes: 45 } });
    const second = planReminders([moved], { ...on, now: start + 55 * MIN, shown: first.shown });
    expect(second.notify.map((r) => r.key)).toEqual([`starts-soon:${checkInId}:2026-03-10T10:00:00.000Z`]);
    expect(second.shown).toEqual([`starts-soon:${checkInId}:2026-03-10T10:00:00.000Z`]);
  });

  it('shows the overdue badge and one overdue notification per due date', () => {
    const overdue = schedule({ scheduled: null, due: '2026-03-01T00:00:00.000Z' });
    const plan = planReminders([overdue], { ...on, now: start });
    expect(plan.badge).toEqual({ text: '1', title: 'Alongside — check-in overdue with Theo' });
    expect(plan.notify).toEqual([
      {
        key: `overdue:${pairId}:2026-03-01T00:00:00.000Z`,
        kind: 'overdue',
        pairId,
        title: 'Check-in with Theo is overdue',
        message: 'It was due on Sun 1 Mar. Open Alongside to propose a time that suits you both.',
      },
    ]);
    expect(planReminders([overdue], { ...on, now: start + 15 * MIN, shown: plan.shown }).notify).toEqual([]);
    // A meeting moved the due date on, then that one passed too: a new overdue occasion.
    const later = { ...overdue, due: '2026-03-08T00:00:00.000Z' };
    expect(planReminders([later], { ...on, now: start, shown: plan.shown }).notify).toHaveLength(1);
  });

  it('keeps the badge but shows no notifications and sets no reminder alarms when reminders are off', () => {
    const overdue = schedule({ pairId: '0190a000-0000-7000-8000-000000000005', scheduled: null, due: '2026-03-01T00:00:00.000Z' });
    const plan = planReminders([schedule(), overdue], { ...on, notificationsOn: false, now: start - 60 * MIN });
    expect(plan.badge.text).toBe('1');
    expect(plan.notify).toEqual([]);
    expect(plan.alarms.some((a) => a.name.includes(':soon:'))).toBe(false);
    // The end and due alarms still run: they update the badge.
    expect(plan.alarms.some((a) => a.name.includes(':end:'))).toBe(true);
  });

  it('names every overdue partner in the badge title and ignores paused pairs', () => {
    const a = schedule({ scheduled: null, due: '2026-03-01T00:00:00.000Z' });
    const b = schedule({ pairId: 'p2', partner: { name: 'Priya Raman', timeZone: 'Asia/Kolkata' }, scheduled: null, due: '2026-03-02T00:00:00.000Z' });
    const paused = schedule({ pairId: 'p3', active: false, partner: { name: 'Kofi', timeZone: 'UTC' }, scheduled: null, due: '2026-03-01T00:00:00.000Z' });
    const plan = planReminders([a, b, paused], { ...on, now: start });
    expect(plan.badge.title).toBe('Alongside — check-in overdue with Theo, Priya');
    expect(plan.notify.map((r) => r.pairId)).toEqual([pairId, 'p2']);
  });
});
