import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMinutes, offsetOnDay, utcOffsetMinutes, workingHoursOverlap, type WorkingDay } from '../../shared/domain/timezones.ts';

const ZONES = [
  'UTC',
  'Europe/Lisbon',
  'Europe/Berlin',
  'America/New_York',
  'America/Sao_Paulo',
  'Asia/Kolkata', // +05:30
  'Asia/Kathmandu', // +05:45
  'Asia/Tokyo',
  'Australia/Adelaide', // +09:30 / +10:30, southern-hemisphere DST
  'Pacific/Auckland',
  'Pacific/Kiritimati', // +14
  'Pacific/Pago_Pago', // −11
  'America/St_Johns', // −03:30 / −02:30
];

const workingDay = fc
  .record({ timeZone: fc.constantFrom(...ZONES), startMinute: fc.integer({ min: 0, max: 1439 }), length: fc.integer({ min: 1, max: 1440 }) })
  .map(({ timeZone, startMinute, length }): WorkingDay => ({ timeZone, startMinute, endMinute: Math.min(1440, startMinute + length) }));
const day = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2040-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
const length = (w: WorkingDay) => w.endMinute - w.startMinute;

describe('working-hours overlap (properties)', () => {
  it('is symmetric', () => {
    fc.assert(fc.property(workingDay, workingDay, day, (a, b, d) => workingHoursOverlap(a, b, d) === workingHoursOverlap(b, a, d)));
  });

  it('lies between 0 and the shorter working day', () => {
    fc.assert(
      fc.property(workingDay, workingDay, day, (a, b, d) => {
        const o = workingHoursOverlap(a, b, d);
        return Number.isInteger(o) && o >= 0 && o <= Math.min(length(a), length(b));
      }),
    );
  });

  it('is the whole working day with oneself, or with anyone in the same zone and hours', () => {
    fc.assert(fc.property(workingDay, day, (a, d) => workingHoursOverlap(a, { ...a }, d) === length(a)));
  });

  it('is the whole of the other day when one person works around the clock', () => {
    fc.assert(
      fc.property(workingDay, fc.constantFrom(...ZONES), day, (a, zone, d) =>
        workingHoursOverlap(a, { timeZone: zone, startMinute: 0, endMinute: 1440 }, d) === length(a),
      ),
    );
  });

  it('does not depend on which zone spelling of the same offset is used', () => {
    // Both on UTC+00:00 in winter: Lisbon and London, and UTC itself.
    fc.assert(
      fc.property(workingDay, fc.integer({ min: 0, max: 1439 }), fc.integer({ min: 1, max: 600 }), (a, s, len) => {
        const hours = { startMinute: s, endMinute: Math.min(1440, s + len) };
        const d = '2025-01-15';
        const lisbon = workingHoursOverlap(a, { timeZone: 'Europe/Lisbon', ...hours }, d);
        return lisbon === workingHoursOverlap(a, { timeZone: 'Europe/London', ...hours }, d) && lisbon === workingHoursOverlap(a, { timeZone: 'UTC', ...hours }, d);
      }),
    );
  });

  it('does not change with the date between zones without DST', () => {
    // UTC and Asia/Tokyo (+9 all year): summer and winter give the same overlap.
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1439 }), fc.integer({ min: 1, max: 1440 }), fc.integer({ min: 0, max: 1439 }), fc.integer({ min: 1, max: 1440 }), (s1, l1, s2, l2) => {
        const a = { timeZone: 'UTC', startMinute: s1, endMinute: Math.min(1440, s1 + l1) };
        const b = { timeZone: 'Asia/Tokyo', startMinute: s2, endMinute: Math.min(1440, s2 + l2) };
        const o = workingHoursOverlap(a, b, '2025-06-01');
        return o === workingHoursOverlap(b, a, '2025-01-01');
      }),
    );
  });
});

describe('working-hours overlap (examples)', () => {
  const lisbon = { timeZone: 'Europe/Lisbon', startMinute: 540, endMinute: 1020 };
  const newYork = { timeZone: 'America/New_York', startMinute: 540, endMinute: 1020 };

  it('follows DST: New York and Lisbon are 5 hours apart in winter and in summer, 4 in between', () => {
    expect(workingHoursOverlap(lisbon, newYork, '2025-01-15')).toBe(180); // 14:00–17:00 Lisbon
    expect(workingHoursOverlap(lisbon, newYork, '2025-07-15')).toBe(180);
    // 2025-03-09 … 03-29: the US is already on summer time, Europe not yet
    expect(workingHoursOverlap(lisbon, newYork, '2025-03-20')).toBe(240);
    // 2025-10-26 … 11-01: Europe is back on winter time, the US not yet
    expect(workingHoursOverlap(lisbon, newYork, '2025-10-28')).toBe(240);
  });

  it('handles half-hour zones and working days across midnight UTC', () => {
    const kolkata = { timeZone: 'Asia/Kolkata', startMinute: 600, endMinute: 1140 }; // 10–19 IST = 04:30–13:30 UTC
    expect(workingHoursOverlap(lisbon, kolkata, '2025-01-15')).toBe(270); // 09:00–13:30 UTC
    const tokyo = { timeZone: 'Asia/Tokyo', startMinute: 540, endMinute: 1080 }; // 00:00–09:00 UTC
    const sanFrancisco = { timeZone: 'America/Los_Angeles', startMinute: 960, endMinute: 1440 }; // 16–24 PST = 00:00–08:00 UTC
    expect(workingHoursOverlap(tokyo, sanFrancisco, '2025-01-15')).toBe(480);
    expect(workingHoursOverlap(tokyo, newYork, '2025-01-15')).toBe(0);
  });

  it('reads offsets from Intl, including on a transition day', () => {
    expect(utcOffsetMinutes('Asia/Kathmandu', new Date('2025-01-01T00:00:00Z'))).toBe(345);
    expect(utcOffsetMinutes('America/St_Johns', new Date('2025-01-01T00:00:00Z'))).toBe(-210);
    expect(utcOffsetMinutes('UTC', new Date())).toBe(0);
    // Europe switches on 2025-03-30 at 01:00 UTC: the working day of that date is on summer time.
    expect(offsetOnDay('Europe/Berlin', '2025-03-30')).toBe(120);
    expect(offsetOnDay('Europe/Berlin', '2025-03-29')).toBe(60);
  });

  it('formats minutes for reasons', () => {
    expect(formatMinutes(45)).toBe('45 min');
    expect(formatMinutes(180)).toBe('3 h');
    expect(formatMinutes(210)).toBe('3 h 30 min');
  });
});
