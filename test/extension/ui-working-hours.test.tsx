/** @jsxImportSource preact */
// Options (issue 9): my time zone and working hours (validation, saving with an indicator) and the reminders switch,
// which asks for the notifications permission in the click; plus the time helpers they stand on.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ask } from '../../extension/lib/app-client.ts';
import { BackgroundError } from '../../extension/lib/app-messages.ts';
import { requestNotifications } from '../../extension/ui/browser-actions.ts';
import { hhmmToMinute, insideWorkingHours, minuteToHhmm, zonedToUtc } from '../../extension/ui/checkin-time.ts';
import { RemindersSection } from '../../extension/ui/options/RemindersSection.tsx';
import { WorkingHoursSection, readWorkingHours } from '../../extension/ui/options/WorkingHoursSection.tsx';
import { answer, button, byLabel, calls, click, render, submit, text, type, unmountAll } from './ui-support.ts';

vi.mock('../../extension/lib/app-client.ts', () => ({ ask: vi.fn() }));
vi.mock('../../extension/ui/browser-actions.ts', () => ({ requestNotifications: vi.fn(async () => true) }));

beforeEach(() => {
  vi.mocked(ask).mockReset();
  vi.mocked(requestNotifications).mockReset().mockResolvedValue(true);
});
afterEach(unmountAll);

describe('readWorkingHours', () => {
  it('turns the form into minutes after midnight in a known zone', () => {
    expect(readWorkingHours({ timeZone: 'Asia/Kathmandu', start: '09:00', end: '17:30' })).toEqual({
      timeZone: 'Asia/Kathmandu',
      workingHours: { startMinute: 540, endMinute: 1050 },
      note: null,
    });
  });
  it('reads an end of 00:00 as midnight, the end of the day', () => {
    expect(readWorkingHours({ timeZone: 'UTC', start: '16:00', end: '00:00' })).toMatchObject({ workingHours: { startMinute: 960, endMinute: 1440 } });
  });
  it('explains what is wrong', () => {
    expect(readWorkingHours({ timeZone: 'Mars/Olympus', start: '09:00', end: '17:00' })).toEqual({ error: 'Choose your time zone from the list.' });
    expect(readWorkingHours({ timeZone: 'UTC', start: '', end: '17:00' })).toEqual({ error: 'Enter when your working day starts, e.g. 09:00.' });
    expect(readWorkingHours({ timeZone: 'UTC', start: '09:00', end: '25:00' })).toEqual({ error: 'Enter when your working day ends, e.g. 17:00.' });
    expect(readWorkingHours({ timeZone: 'UTC', start: '17:00', end: '09:00' })).toEqual({ error: 'Your working day must end after it starts.' });
    expect(readWorkingHours({ timeZone: 'UTC', start: '09:00', end: '09:00' })).toEqual({ error: 'Your working day must end after it starts.' });
  });
  it('allows a day shorter than a check-in, with a note', () => {
    expect(readWorkingHours({ timeZone: 'UTC', start: '09:00', end: '09:30' })).toMatchObject({ note: expect.stringContaining('no suggested time will fit') });
  });
});

describe('time helpers', () => {
  it('converts HH:MM both ways', () => {
    expect(minuteToHhmm(545)).toBe('09:05');
    expect(minuteToHhmm(1440)).toBe('24:00');
    expect(hhmmToMinute('09:05')).toBe(545);
    expect(hhmmToMinute('24:00')).toBeNull();
    expect(hhmmToMinute('9:05')).toBeNull();
  });
  it('reads a local time as UTC across daylight-saving changes', () => {
    expect(zonedToUtc('2026-03-28', '09:00', 'Europe/Lisbon')).toBe('2026-03-28T09:00:00.000Z');
    expect(zonedToUtc('2026-03-30', '09:00', 'Europe/Lisbon')).toBe('2026-03-30T08:00:00.000Z');
    // 01:30 does not exist in Lisbon on 29 March 2026 (01:00 → 02:00): read an hour later, as calendars do.
    expect(zonedToUtc('2026-03-29', '01:30', 'Europe/Lisbon')).toBe('2026-03-29T01:30:00.000Z');
    // 01:30 happens twice on 25 October 2026 (02:00 → 01:00): the first one.
    expect(zonedToUtc('2026-10-25', '01:30', 'Europe/Lisbon')).toBe('2026-10-25T00:30:00.000Z');
    expect(zonedToUtc('2026-03-20', '09:00', 'Asia/Kathmandu')).toBe('2026-03-20T03:15:00.000Z');
    expect(zonedToUtc('2026-13-01', '09:00', 'UTC')).toBeNull();
  });
  it('tells whether a check-in lies inside someone’s working hours on their clock', () => {
    const priya = { timeZone: 'Asia/Kolkata', workingHours: { startMinute: 540, endMinute: 1020 } };
    expect(insideWorkingHours('2026-03-20T03:30:00.000Z', 45, priya)).toBe(true); // 09:00–09:45
    expect(insideWorkingHours('2026-03-20T10:45:00.000Z', 45, priya)).toBe(true); // 16:15–17:00
    expect(insideWorkingHours('2026-03-20T11:00:00.000Z', 45, priya)).toBe(false); // 16:30–17:15
    expect(insideWorkingHours('2026-03-20T03:00:00.000Z', 45, priya)).toBe(false); // 08:30
    const lateOwl = { timeZone: 'UTC', workingHours: { startMinute: 1320, endMinute: 1440 } };
    expect(insideWorkingHours('2026-03-20T23:15:00.000Z', 45, lateOwl)).toBe(true); // until midnight
    expect(insideWorkingHours('2026-03-20T23:30:00.000Z', 45, lateOwl)).toBe(false); // past midnight
  });
});

describe('working hours in the options', () => {
  function background(stored = { timeZone: 'Europe/Lisbon', workingHours: { startMinute: 540, endMinute: 1020 } }) {
    let current = stored;
    return {
      'me.workingHours.get': () => ({ ...current, fromCache: false }),
      'me.workingHours.set': (next: typeof stored) => {
        current = next;
        return current;
      },
    };
  }

  it('shows the stored zone and hours and saves a change with a saved indicator', async () => {
    answer(ask, background());
    const root = await render(<WorkingHoursSection />);
    expect(byLabel<HTMLSelectElement>(root, 'Time zone').value).toBe('Europe/Lisbon');
    expect(byLabel<HTMLInputElement>(root, 'Working day starts').value).toBe('09:00');
    expect(byLabel<HTMLInputElement>(root, 'Working day ends').value).toBe('17:00');
    expect(button(root, 'Save working hours').disabled).toBe(true);

    await type(byLabel<HTMLInputElement>(root, 'Working day starts'), '08:30');
    await type(byLabel<HTMLSelectElement>(root, 'Time zone'), 'America/Sao_Paulo');
    await click(button(root, 'Save working hours'));
    expect(calls(ask, 'me.workingHours.set')).toEqual([{ timeZone: 'America/Sao_Paulo', workingHours: { startMinute: 510, endMinute: 1020 } }]);
    expect(text(root)).toContain('Saved.');
    expect(button(root, 'Save working hours').disabled).toBe(true);
  });

  it('refuses hours that end before they start, without saving', async () => {
    answer(ask, background());
    const root = await render(<WorkingHoursSection />);
    await type(byLabel<HTMLInputElement>(root, 'Working day ends'), '08:00');
    expect(byLabel<HTMLInputElement>(root, 'Working day ends').getAttribute('aria-invalid')).toBe('true');
    expect(text(root)).toContain('Your working day must end after it starts.');
    await submit(root.querySelector('form')!);
    expect(calls(ask, 'me.workingHours.set')).toHaveLength(0);
  });

  it('says why saving failed', async () => {
    answer(ask, {
      ...background(),
      'me.workingHours.set': () => {
        throw new BackgroundError('network', 'Cannot reach the Alongside server');
      },
    });
    const root = await render(<WorkingHoursSection />);
    await type(byLabel<HTMLInputElement>(root, 'Working day ends'), '18:00');
    await click(button(root, 'Save working hours'));
    expect(text(root)).toContain('Not saved: Cannot reach the Alongside server');
  });

  it('offers this computer’s zone when the profile has another', async () => {
    const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const other = browserZone === 'Pacific/Auckland' ? 'Europe/Lisbon' : 'Pacific/Auckland';
    answer(ask, background({ timeZone: other, workingHours: { startMinute: 540, endMinute: 1020 } }));
    const root = await render(<WorkingHoursSection />);
    await click(button(root, `Use ${browserZone.replace(/_/g, ' ')}`));
    expect(byLabel<HTMLSelectElement>(root, 'Time zone').value).toBe(browserZone);
  });
});

describe('reminders switch', () => {
  function background(permitted: boolean) {
    let enabled = false;
    return {
      'reminders.get': () => ({ enabled, leadMinutes: 10, permitted }),
      'reminders.set': (p: { enabled: boolean }) => {
        enabled = p.enabled;
        return { enabled, leadMinutes: 10, permitted: true };
      },
    };
  }

  it('asks for the notifications permission in the click, then turns reminders on; off needs no permission', async () => {
    answer(ask, background(false));
    const root = await render(<RemindersSection />);
    const toggle = byLabel<HTMLInputElement>(root, 'Remind me about check-ins');
    expect(toggle.getAttribute('role')).toBe('switch');
    expect(toggle.checked).toBe(false);
    expect(text(root)).toContain('10 minutes before a scheduled check-in');

    await click(toggle);
    expect(requestNotifications).toHaveBeenCalledTimes(1);
    expect(calls(ask, 'reminders.set')).toEqual([{ enabled: true }]);
    expect(byLabel<HTMLInputElement>(root, 'Remind me about check-ins').checked).toBe(true);
    expect(text(root)).toContain('Reminders on.');

    await click(byLabel<HTMLInputElement>(root, 'Remind me about check-ins'));
    expect(requestNotifications).toHaveBeenCalledTimes(1);
    expect(calls(ask, 'reminders.set')).toEqual([{ enabled: true }, { enabled: false }]);
    expect(text(root)).toContain('Reminders off.');
  });

  it('stays off and says so when notifications are not allowed', async () => {
    vi.mocked(requestNotifications).mockResolvedValue(false);
    answer(ask, background(false));
    const root = await render(<RemindersSection />);
    await click(byLabel<HTMLInputElement>(root, 'Remind me about check-ins'));
    expect(calls(ask, 'reminders.set')).toHaveLength(0);
    expect(byLabel<HTMLInputElement>(root, 'Remind me about check-ins').checked).toBe(false);
    expect(text(root)).toContain('Notifications were not allowed, so reminders stay off.');
  });

  it('points out a permission taken back in the browser', async () => {
    answer(ask, { 'reminders.get': { enabled: true, leadMinutes: 10, permitted: false } });
    const root = await render(<RemindersSection />);
    expect(text(root)).toContain('Notifications are blocked for Alongside');
  });
});
