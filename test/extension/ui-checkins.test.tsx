/** @jsxImportSource preact */
// The side panel's check-in scheduler (issue 9) against a mocked background: scheduled, incoming and own proposals,
// suggested slots, no overlap, daylight-saving warnings, another time, the calendar file, offline and errors.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CheckInsResponse, Person } from '../../shared/schemas/index.ts';
import { ask } from '../../extension/lib/app-client.ts';
import { BackgroundError } from '../../extension/lib/app-messages.ts';
import { bothClocks } from '../../extension/ui/checkin-time.ts';
import { CheckInScheduler } from '../../extension/ui/components/CheckInScheduler.tsx';
import { readCustomTime } from '../../extension/ui/components/CustomTimeForm.tsx';
import { $, answer, button, byLabel, calls, checkIn, checkIns, click, ids, mentee, mentor, render, submit, text, type, unmountAll } from './ui-support.ts';

vi.mock('../../extension/lib/app-client.ts', () => ({ ask: vi.fn() }));

/** Friday 20 March 2026, 12:00 UTC: Lisbon is on UTC until 29 March, Kolkata is UTC+05:30 all year. */
const NOW = Date.parse('2026-03-20T12:00:00.000Z');
const DUE = '2026-03-25T09:00:00.000Z';

function scheduler(me: Person = mentor, partner: Person = mentee) {
  return <CheckInScheduler pairId={ids.pair} me={me} partner={partner} cadence="weekly" now={NOW} refreshMs={null} />;
}
const got = (state: Partial<CheckInsResponse> = {}) => ({ checkIns: checkIns({ due: DUE, ...state }), fromCache: false, error: null });

beforeEach(() => {
  vi.mocked(ask).mockReset();
});
afterEach(() => {
  unmountAll();
  vi.restoreAllMocks();
});

describe('check-in scheduler', () => {
  it('shows the scheduled check-in on both clocks with zone names, the due date, and offers the calendar file', async () => {
    const scheduled = checkIn({ status: 'scheduled', startsAt: '2026-03-24T10:00:00.000Z' });
    const blobs: Blob[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      blobs.push(blob as Blob);
      return 'blob:test/1';
    });
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    const clicked: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(`${this.getAttribute('href')} ${this.download}`);
    });
    answer(ask, { 'checkins.get': got({ scheduled }), 'checkins.ics': { name: 'alongside-checkin.ics', text: 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n' } });
    const root = await render(scheduler());

    const times = text($(root, '.scheduled'));
    expect(times).toContain('YouTue 24 Mar, 10:00 · 45 min (Europe/Lisbon)');
    expect(times).toContain('PriyaTue 24 Mar, 15:30 (Asia/Kolkata)');
    expect(text(root)).toContain('Due in 5 days (Wed 25 Mar) by your weekly cadence (7 days).');
    // With a time agreed, the planner folds away.
    expect($(root, 'details.replan').hasAttribute('open')).toBe(false);

    await click(button(root, 'Download calendar file (.ics)'));
    expect(calls(ask, 'checkins.ics')).toEqual([{ pairId: ids.pair }]);
    expect(clicked).toEqual(['blob:test/1 alongside-checkin.ics']);
    expect(blobs[0]?.type).toBe('text/calendar');
    expect(await blobs[0]?.text()).toContain('BEGIN:VCALENDAR');
    expect(text(root)).toContain('Saved — open it to add the check-in to your calendar.');
  });

  it('calls off the scheduled check-in only after asking, and keeps it on "Keep it"', async () => {
    const scheduled = checkIn({ status: 'scheduled', startsAt: '2026-03-24T10:00:00.000Z' });
    answer(ask, { 'checkins.get': got({ scheduled }), 'checkins.cancel': checkIns({ due: DUE }) });
    const root = await render(scheduler());
    await click(button(root, 'Cancel check-in'));
    expect(text(root)).toContain('Cancel the check-in on Tue 24 Mar, 10:00? Priya will see it is off.');
    await click(button(root, 'Keep it'));
    expect(calls(ask, 'checkins.cancel')).toHaveLength(0);
    await click(button(root, 'Cancel check-in'));
    await click(button(root, 'Yes, cancel it'));
    expect(calls(ask, 'checkins.cancel')).toEqual([{ pairId: ids.pair, checkInId: scheduled.id }]);
    expect(text(root)).toContain('No check-in scheduled yet.');
    expect(text(root)).toContain('Check-in cancelled — Priya will see it.');
  });

  it('says when the calendar file cannot be had', async () => {
    answer(ask, {
      'checkins.get': got({ scheduled: checkIn({ status: 'scheduled', startsAt: '2026-03-24T10:00:00.000Z' }) }),
      'checkins.ics': () => {
        throw new BackgroundError('not_found', 'Scheduled check-in not found');
      },
    });
    const root = await render(scheduler());
    await click(button(root, 'Download calendar file (.ics)'));
    expect(text(root)).toContain('No calendar file: Scheduled check-in not found');
  });

  it('lets me accept or decline the partner’s proposal, and shows the result the server stored', async () => {
    const proposal = checkIn({ proposedBy: ids.mentee, startsAt: '2026-03-24T10:00:00.000Z', organiserZone: 'Asia/Kolkata' });
    answer(ask, {
      'checkins.get': got({ proposals: [proposal] }),
      'checkins.accept': checkIns({ due: DUE, scheduled: { ...proposal, status: 'scheduled', respondedBy: ids.mentor } }),
    });
    const root = await render(scheduler());
    const incoming = $(root, '.proposals.incoming');
    expect(text(incoming)).toContain('Priya proposed a time');
    expect(text(incoming)).toContain('Tue 24 Mar, 10:00');
    expect(button(incoming, 'Decline Tue 24 Mar, 10:00')).toBeTruthy();

    await click(button(incoming, 'Accept Tue 24 Mar, 10:00'));
    expect(calls(ask, 'checkins.accept')).toEqual([{ pairId: ids.pair, checkInId: proposal.id }]);
    expect(root.querySelector('.proposals.incoming')).toBeNull();
    expect(text($(root, '.scheduled'))).toContain('Tue 24 Mar, 15:30 (Asia/Kolkata)');
    expect(text(root)).toContain('Accepted — the check-in is scheduled.');
  });

  it('lists my own proposal as waiting for the partner, with Withdraw', async () => {
    const mine = checkIn({ startsAt: '2026-03-24T10:00:00.000Z' });
    answer(ask, { 'checkins.get': got({ proposals: [mine] }), 'checkins.cancel': checkIns({ due: DUE }) });
    const root = await render(scheduler());
    expect(text($(root, '.proposals.mine'))).toContain('Waiting for Priya to answer');
    expect(root.querySelector('.proposals.incoming')).toBeNull();
    // The proposed time is not offered again among the suggestions.
    expect(root.querySelectorAll('.slot button[aria-label="Propose Tue 24 Mar, 10:00"]')).toHaveLength(0);
    await click(button(root, 'Withdraw Tue 24 Mar, 10:00'));
    expect(calls(ask, 'checkins.cancel')).toEqual([{ pairId: ids.pair, checkInId: mine.id }]);
    expect(text(root)).toContain('Proposal withdrawn.');
    expect(root.querySelector('.proposals.mine')).toBeNull();
  });

  it('suggests times inside both people’s working hours near the due date and proposes one in my zone', async () => {
    answer(ask, { 'checkins.get': got(), 'checkins.propose': (p) => checkIns({ due: DUE, proposals: [checkIn({ id: p.id, startsAt: p.startsAt })] }) });
    const root = await render(scheduler());
    expect(text(root)).toContain('No check-in scheduled yet.');
    const slots = [...root.querySelectorAll<HTMLElement>('.slot')];
    expect(slots.length).toBeGreaterThan(0);
    // Both work 09:00–17:00: in March that overlaps 09:00–11:30 UTC. The slot at the due date is offered, all are
    // inside both people's hours, and they are listed in time order.
    const labels = slots.map((slot) => text(slot).replace(/Propose$/, ''));
    expect(labels).toContain('Wed 25 Mar, 09:00 your time · 14:30 for Priya');
    for (const label of labels) expect(label).toMatch(/, (09|10|11):\d\d your time · (14|15|16):\d\d for Priya$/);
    const starts = slots.map((slot) => button(slot, /^Propose /).getAttribute('aria-label') ?? '');
    expect(starts).toEqual([...starts].sort((a, b) => Date.parse(`${a.slice(12)} 2026`) - Date.parse(`${b.slice(12)} 2026`)));
    expect(root.querySelector('.slots [role="note"]')).toBeNull();

    await click(button(root, 'Propose Wed 25 Mar, 09:00'));
    const [sent] = calls(ask, 'checkins.propose') as { id: string }[];
    expect(sent).toEqual({ pairId: ids.pair, id: sent?.id, startsAt: DUE, durationMinutes: 45, organiserZone: 'Europe/Lisbon' });
    expect(sent?.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(text($(root, '.proposals.mine'))).toContain('Wed 25 Mar, 09:00');
    expect(text(root)).toContain('Proposed — Priya can accept it in Alongside.');
  });

  it('says clearly when the working hours do not overlap, and still offers the least-bad times', async () => {
    const evenings: Person = { ...mentor, workingHours: { startMinute: 18 * 60, endMinute: 22 * 60 } };
    answer(ask, { 'checkins.get': got() });
    const root = await render(scheduler(evenings));
    const note = $(root, '.slots [role="note"]');
    expect(text(note)).toContain('Your working hours (18:00–22:00 in Lisbon) and your partner\'s (09:00–17:00 in Kolkata) do not overlap');
    const first = $(root, '.slot');
    expect(text(first)).toMatch(/outside/);
    expect(button(first, /^Propose /).disabled).toBe(false);
  });

  it('warns when a daylight-saving change moves the check-in for one of us', async () => {
    // Organised in Lisbon at 11:00 local; from 29 March Lisbon is UTC+1, so for Priya it is 15:30, not 16:30 as today.
    const scheduled = checkIn({ status: 'scheduled', startsAt: '2026-03-30T10:00:00.000Z', organiserZone: 'Europe/Lisbon' });
    answer(ask, { 'checkins.get': got({ scheduled }) });
    const root = await render(scheduler());
    const warnings = [...root.querySelectorAll('.dst-warnings li')].map((li) => text(li as HTMLElement).trim());
    expect(warnings).toEqual(['⚠ From 30 March this is 15:30 for Priya, not 16:30.']);
  });

  it('shows no daylight-saving warning when neither clock moves', async () => {
    answer(ask, { 'checkins.get': got({ scheduled: checkIn({ status: 'scheduled', startsAt: '2026-03-24T10:00:00.000Z' }) }) });
    const root = await render(scheduler());
    expect(root.querySelector('.dst-warnings')).toBeNull();
  });

  it('shows a load error with Try again', async () => {
    let fail = true;
    answer(ask, {
      'checkins.get': () => {
        if (fail) throw new BackgroundError('network', 'Cannot reach the Alongside server');
        return got();
      },
    });
    const root = await render(scheduler());
    expect(text(root)).toContain('Check-ins could not be loaded: Cannot reach the Alongside server');
    fail = false;
    await click(button(root, 'Try again'));
    expect(text(root)).toContain('No check-in scheduled yet.');
  });

  it('shows why a change was refused and re-reads what is stored', async () => {
    const proposal = checkIn({ proposedBy: ids.mentee, startsAt: '2026-03-24T10:00:00.000Z' });
    answer(ask, {
      'checkins.get': got({ proposals: [proposal] }),
      'checkins.accept': () => {
        throw new BackgroundError('conflict', 'Priya withdrew this proposal');
      },
    });
    const root = await render(scheduler());
    await click(button(root, 'Accept Tue 24 Mar, 10:00'));
    expect($(root, '[role="alert"]').textContent).toBe('Not saved: Priya withdrew this proposal');
    expect(calls(ask, 'checkins.get')).toHaveLength(2);
    expect(button(root, 'Accept Tue 24 Mar, 10:00').disabled).toBe(false);
  });

  it('offline: shows the last copy and does not offer to propose', async () => {
    answer(ask, { 'checkins.get': { ...got(), fromCache: true, error: 'Cannot reach the Alongside server' } });
    const root = await render(scheduler());
    expect(text(root)).toContain('Offline — showing the check-ins last seen.');
    expect(button($(root, '.slot'), /^Propose /).disabled).toBe(true);
    expect(button(root, 'Propose this time').disabled).toBe(true);
  });

  it('proposes another time typed on my clock, showing it on the partner’s and noting hours outside theirs', async () => {
    answer(ask, { 'checkins.get': got(), 'checkins.propose': (p) => checkIns({ due: DUE, proposals: [checkIn({ id: p.id, startsAt: p.startsAt })] }) });
    const root = await render(scheduler());
    const form = $(root, 'form.custom-time') as HTMLFormElement;
    await type(byLabel<HTMLInputElement>(form, 'Date'), '2026-03-19');
    await type(byLabel<HTMLInputElement>(form, 'Time (Europe/Lisbon)'), '10:00');
    expect(text(form)).toContain('That time has passed');
    await submit(form);
    expect(calls(ask, 'checkins.propose')).toHaveLength(0);

    await type(byLabel<HTMLInputElement>(form, 'Date'), '2026-03-26');
    await type(byLabel<HTMLInputElement>(form, 'Time (Europe/Lisbon)'), '16:00');
    expect(text(form)).toContain('That is 21:30 for Priya (Asia/Kolkata).');
    expect(text(form)).toContain('Outside Priya’s working hours (09:00–17:00 Asia/Kolkata).');
    await type(byLabel<HTMLSelectElement>(form, 'Length'), '30');
    await submit(form);
    expect(calls(ask, 'checkins.propose')).toEqual([expect.objectContaining({ startsAt: '2026-03-26T16:00:00.000Z', durationMinutes: 30, organiserZone: 'Europe/Lisbon' })]);
    expect(byLabel<HTMLInputElement>(form, 'Date').value).toBe('');
  });
});

describe('readCustomTime', () => {
  const base = { durationMinutes: 45, me: mentor, partner: mentee, now: NOW };
  it('reads a date and time on my clock as UTC, with notes for hours outside either person’s', () => {
    expect(readCustomTime({ ...base, date: '2026-03-24', time: '10:00' })).toEqual({ startsAt: '2026-03-24T10:00:00.000Z', notes: [] });
    // After 29 March Lisbon is UTC+1.
    expect(readCustomTime({ ...base, date: '2026-03-31', time: '10:00' })).toEqual({ startsAt: '2026-03-31T09:00:00.000Z', notes: [] });
    const late = readCustomTime({ ...base, date: '2026-03-24', time: '16:45' });
    expect(late).toEqual({
      startsAt: '2026-03-24T16:45:00.000Z',
      notes: ['Outside your working hours (09:00–17:00).', 'Outside Priya’s working hours (09:00–17:00 Asia/Kolkata).'],
    });
  });
  it('refuses an empty, malformed or past time', () => {
    expect(readCustomTime({ ...base, date: '', time: '10:00' })).toEqual({ error: 'Choose a date and a time.' });
    expect(readCustomTime({ ...base, date: '2026-02-30x', time: '10:00' })).toEqual({ error: 'That is not a date and time.' });
    expect(readCustomTime({ ...base, date: '2026-03-20', time: '11:59' })).toHaveProperty('error', 'That time has passed — choose one in the future.');
  });
  it('matches what the side panel shows for the partner', () => {
    expect(bothClocks('2026-03-26T16:00:00.000Z', mentor, mentee, NOW)).toEqual({ mine: 'Thu 26 Mar, 16:00', theirs: '21:30' });
    expect(bothClocks('2026-03-26T20:00:00.000Z', mentor, mentee, NOW)).toEqual({ mine: 'Thu 26 Mar, 20:00', theirs: 'Fri 27 Mar 01:30' });
  });
});
