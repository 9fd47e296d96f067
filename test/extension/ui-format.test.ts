// Time formatting across zones, and the overlay's merge of the notes stream with the user's recent changes.
import { describe, expect, it } from 'vitest';
import { mergeEntries, openActions, type Override, pruneOverrides } from '../../extension/ui/entries.ts';
import {
  firstName,
  formatDay,
  formatDayHeading,
  formatDuration,
  formatForBoth,
  formatIsoDate,
  formatRelativeDay,
  formatTime,
  minutesBetween,
} from '../../extension/ui/format.ts';
import { asEntry, entry, ids } from './ui-support.ts';

const now = Date.parse('2025-11-24T12:00:00.000Z');

describe('format', () => {
  it('shows one instant in the user’s zone and the partner’s', () => {
    const priya = { name: 'Priya Raman', timeZone: 'Asia/Kolkata' };
    expect(formatForBoth('2025-11-27T09:00:00.000Z', 'Europe/London', priya, now)).toBe('Thu 27 Nov, 09:00 your time · 14:30 for Priya');
    // The partner's calendar day differs: their weekday is named.
    expect(formatForBoth('2025-11-27T22:00:00.000Z', 'America/New_York', priya, now)).toBe('Thu 27 Nov, 17:00 your time · Fri 03:30 for Priya');
    expect(formatForBoth('2025-11-27T09:00:00.000Z', 'Asia/Kolkata', priya, now)).toBe('Thu 27 Nov, 14:30 your time · same for Priya');
  });

  it('formats days, times, dates and durations', () => {
    expect(formatTime('2025-11-27T09:05:00.000Z', 'Europe/Lisbon')).toBe('09:05');
    expect(formatDay('2025-11-27T23:30:00.000Z', 'Asia/Tokyo', now)).toBe('Fri 28 Nov');
    expect(formatDay('2026-01-02T10:00:00.000Z', 'UTC', now)).toBe('Fri 2 Jan 2026');
    expect(formatIsoDate('2025-12-01', now)).toBe('Mon 1 Dec');
    expect(formatDayHeading('2025-11-24T08:00:00.000Z', 'UTC', now)).toBe('Today');
    expect(formatDayHeading('2025-11-23T08:00:00.000Z', 'UTC', now)).toBe('Yesterday');
    expect(formatRelativeDay('2025-11-27T09:00:00.000Z', 'UTC', now)).toBe('in 3 days');
    expect(formatRelativeDay('2025-11-22T09:00:00.000Z', 'UTC', now)).toBe('2 days ago');
    expect(formatDuration(45)).toBe('45 min');
    expect(formatDuration(65)).toBe('1 h 05 min');
    expect(formatDuration(120)).toBe('2 h');
    expect(minutesBetween('2025-11-27T09:00:00.000Z', '2025-11-27T09:44:40.000Z')).toBe(45);
    expect(firstName('  Priya Raman ')).toBe('Priya');
  });

  it('falls back to UTC for a zone Intl does not know', () => {
    expect(formatTime('2025-11-27T09:05:00.000Z', 'Mars/Olympus')).toBe('09:05');
  });
});

describe('the notes stream with recent changes', () => {
  it('keeps a change until a sync that started after it answers', () => {
    const a = entry({ body: 'a' });
    const added = entry({ body: 'just added', sync: 'local' });
    const edited = { ...a, body: 'a, edited', sync: 'local' as const };
    const overrides = new Map<string, Override>([
      [added.id, { entry: added, at: 3 }],
      [a.id, { entry: edited, at: 5 }],
    ]);
    // A sync that started before both changes does not know them yet.
    expect(mergeEntries([a], overrides).map((e) => e.body)).toEqual(['a, edited', 'just added']);
    expect([...pruneOverrides(overrides, 4).keys()]).toEqual([a.id]);
    expect(pruneOverrides(overrides, 6).size).toBe(0);
  });

  it('lists open actions from the context and the stream, the stream’s copy winning', () => {
    const old = asEntry(entry({ id: ids.other, kind: 'action', body: 'old' }));
    const doneInStream = entry({ ...old, actionDoneAt: '2025-11-27T10:00:00.000Z' });
    const fresh = entry({ kind: 'action', body: 'fresh' });
    const note = entry({ kind: 'note' });
    expect(openActions([old], [fresh, note], new Set()).map((a) => a.body)).toEqual(['old', 'fresh']);
    expect(openActions([old], [doneInStream, fresh], new Set()).map((a) => a.body)).toEqual(['fresh']);
    // Ticked off in this session: stays listed so the tick can be undone.
    expect(openActions([old], [doneInStream], new Set([ids.other])).map((a) => a.body)).toEqual(['old']);
    expect(openActions([old], [{ ...doneInStream, deleted: true }], new Set([ids.other]))).toEqual([]);
  });
});
