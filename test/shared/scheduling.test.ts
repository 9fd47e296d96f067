import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dstWarnings, localTime, proposeSlots, type ProposedSlot, type SchedulingPerson } from '../../shared/domain/scheduling.ts';

// Every expectation below is a concrete instant worked out by hand from the zones' 2025 rules:
// US DST 9 Mar–2 Nov, EU 30 Mar–26 Oct, Australia (Sydney, Adelaide) until 6 Apr and from 5 Oct.
const nineToFive = { startMinute: 540, endMinute: 1020 };
const person = (timeZone: string, name?: string): SchedulingPerson => ({ timeZone, ...nineToFive, ...(name ? { name } : {}) });
const starts = (slots: ProposedSlot[]) => slots.map((s) => s.startsAt);
const labels = (slots: ProposedSlot[]) => slots.map((s) => `${s.local.a.label} | ${s.local.b.label}`);

describe('proposeSlots: zones with 30- and 45-minute offsets', () => {
  it('Kolkata (+05:30) and Kathmandu (+05:45): nearest the due date first, both clocks shown', () => {
    const r = proposeSlots({
      a: person('Asia/Kolkata'),
      b: person('Asia/Kathmandu'),
      due: '2025-03-04T06:00:00Z',
      now: '2025-03-01T00:00:00Z',
      durationMinutes: 45,
    });
    expect(r.overlap).toBe(true);
    expect(starts(r.slots)).toEqual([
      '2025-03-04T06:00:00.000Z',
      '2025-03-04T05:45:00.000Z', // equally near: the earlier first
      '2025-03-04T06:15:00.000Z',
      // At most 3 a day: then the nearest on another day (Monday 16:00 in Kolkata ends 16:45; Kathmandu 17:00).
      '2025-03-03T10:30:00.000Z',
      '2025-03-03T10:15:00.000Z',
    ]);
    expect(labels(r.slots).slice(0, 2)).toEqual(['Tue 4 Mar, 11:30 | Tue 4 Mar, 11:45', 'Tue 4 Mar, 11:15 | Tue 4 Mar, 11:30']);
    expect(r.slots[0]!.endsAt).toBe('2025-03-04T06:45:00.000Z');
    expect(r.slots[0]!.local.b).toMatchObject({ timeZone: 'Asia/Kathmandu', date: '2025-03-04', time: '11:45', weekday: 'Tue', minuteOfDay: 705 });
  });

  it('Adelaide (+10:30, then +09:30 after 6 April) and Kolkata: each day uses its own offset', () => {
    const adelaide = person('Australia/Adelaide');
    const kolkata = person('Asia/Kolkata');
    const base = { a: adelaide, b: kolkata, now: '2025-03-01T00:00:00Z', durationMinutes: 60, count: 1 };
    // Adelaide's day ends 17:00 = 06:30 UTC on summer time, 07:30 UTC after: the latest one-hour slot moves with it.
    expect(labels(proposeSlots({ ...base, due: '2025-04-01T07:00:00Z' }).slots)).toEqual(['Tue 1 Apr, 16:00 | Tue 1 Apr, 11:00']);
    expect(labels(proposeSlots({ ...base, due: '2025-04-08T07:00:00Z' }).slots)).toEqual(['Tue 8 Apr, 16:00 | Tue 8 Apr, 12:00']);
    // Kolkata's 09:00 is 14:00 in Adelaide before the change, 13:00 after.
    expect(labels(proposeSlots({ ...base, due: '2025-04-01T03:30:00Z' }).slots)).toEqual(['Tue 1 Apr, 14:00 | Tue 1 Apr, 09:00']);
    expect(labels(proposeSlots({ ...base, due: '2025-04-08T03:30:00Z' }).slots)).toEqual(['Tue 8 Apr, 13:00 | Tue 8 Apr, 09:00']);
  });
});

describe('proposeSlots: US and EU daylight saving in March', () => {
  const newYork = person('America/New_York');
  const london = person('Europe/London');
  const base = { a: newYork, b: london, now: '2025-03-01T00:00:00Z', durationMinutes: 60, count: 1 };

  it('before 9 March New York is 5 hours behind: the shared day starts at 14:00 UTC', () => {
    expect(labels(proposeSlots({ ...base, due: '2025-03-07T13:00:00Z' }).slots)).toEqual(['Fri 7 Mar, 09:00 | Fri 7 Mar, 14:00']);
  });

  it('in the gap weeks (9–29 March) it is 4 hours: 09:00 in New York is 13:00 in London', () => {
    const r = proposeSlots({ ...base, due: '2025-03-10T13:00:00Z' });
    expect(starts(r.slots)).toEqual(['2025-03-10T13:00:00.000Z']);
    expect(labels(r.slots)).toEqual(['Mon 10 Mar, 09:00 | Mon 10 Mar, 13:00']);
  });

  it('after 30 March it is 5 hours again', () => {
    expect(labels(proposeSlots({ ...base, due: '2025-03-31T12:00:00Z' }).slots)).toEqual(['Mon 31 Mar, 09:00 | Mon 31 Mar, 14:00']);
  });
});

describe('proposeSlots: no overlap', () => {
  it('Honolulu and Kolkata 9–17 share no hour: a clear message and the least-bad slots', () => {
    const r = proposeSlots({
      a: person('Pacific/Honolulu', 'Theo'),
      b: person('Asia/Kolkata', 'Maya'),
      due: '2025-03-04T20:00:00Z',
      now: '2025-03-01T00:00:00Z',
      durationMinutes: 45,
    });
    expect(r.overlap).toBe(false);
    if (r.overlap) return;
    expect(r.message).toBe(
      "Theo's working hours (09:00–17:00 in Honolulu) and Maya's (09:00–17:00 in Kolkata) do not overlap on a weekday for 45 minutes. " +
        'These times fall the least outside them; agree one that works for both of you.',
    );
    // Least bad: one person entirely inside, the other just after (or before) their day; none in the small hours.
    expect(labels(r.slots).slice(0, 2)).toEqual(['Tue 4 Mar, 17:30 | Wed 5 Mar, 09:00', 'Tue 4 Mar, 16:00 | Wed 5 Mar, 07:30']);
    expect(r.slots[0]!.outsideMinutes).toEqual({ a: 45, b: 0 });
    expect(r.slots[1]!.outsideMinutes).toEqual({ a: 0, b: 45 });
    for (const s of r.slots) expect(s.outsideMinutes.a + s.outsideMinutes.b).toBe(45);
  });

  it('speaks to the reader when no names are given', () => {
    const r = proposeSlots({ a: person('Europe/London'), b: person('Australia/Adelaide'), due: '2025-03-04T08:00:00Z', now: '2025-03-01T00:00:00Z', durationMinutes: 45 });
    expect(r.overlap).toBe(false);
    if (!r.overlap) expect(r.message).toMatch(/^Your working hours \(09:00–17:00 in London\) and your partner's \(09:00–17:00 in Adelaide\) do not overlap/);
  });

  it('Honolulu and Tokyo 9–17 do overlap (19:00–03:00 and 00:00–08:00 UTC): Tuesday 14:00 is Wednesday 09:00', () => {
    const r = proposeSlots({ a: person('Pacific/Honolulu'), b: person('Asia/Tokyo'), due: '2025-03-05T00:00:00Z', now: '2025-03-01T00:00:00Z', durationMinutes: 45 });
    expect(r.overlap).toBe(true);
    expect(labels(r.slots)[0]).toBe('Tue 4 Mar, 14:00 | Wed 5 Mar, 09:00');
  });
});

describe('proposeSlots: the southern hemisphere (Sydney and London)', () => {
  const base = { a: person('Europe/London'), b: person('Australia/Sydney'), durationMinutes: 30, count: 1 };

  it('in March (GMT and AEDT, 11 hours) 09:00 in London is 20:00 in Sydney', () => {
    const r = proposeSlots({ ...base, due: '2025-03-25T08:00:00Z', now: '2025-03-20T00:00:00Z' });
    expect(r.overlap).toBe(false);
    expect(labels(r.slots)).toEqual(['Tue 25 Mar, 09:00 | Tue 25 Mar, 20:00']);
  });

  it('after both changes (BST and AEST, 9 hours) it is 18:00', () => {
    const r = proposeSlots({ ...base, due: '2025-04-08T08:00:00Z', now: '2025-04-01T00:00:00Z' });
    expect(labels(r.slots)).toEqual(['Tue 8 Apr, 09:00 | Tue 8 Apr, 18:00']);
  });
});

describe('proposeSlots: never in the past, weekends, order', () => {
  it('an overdue pair gets the first slots after now, none before', () => {
    const r = proposeSlots({ a: person('Europe/London'), b: person('Europe/Berlin'), due: '2025-03-01T00:00:00Z', now: '2025-03-04T10:07:00Z', durationMinutes: 45 });
    expect(starts(r.slots)).toEqual([
      '2025-03-04T10:30:00.000Z',
      '2025-03-04T11:00:00.000Z',
      '2025-03-04T11:30:00.000Z',
      '2025-03-05T09:00:00.000Z',
      '2025-03-05T09:30:00.000Z',
    ]);
  });

  it('skips a Saturday in either local day by default, and allows it when asked', () => {
    const input = { a: person('Pacific/Honolulu'), b: person('Asia/Tokyo'), due: '2025-03-08T00:00:00Z', now: '2025-03-01T00:00:00Z', durationMinutes: 45 };
    // Friday 14:00 in Honolulu is Saturday 09:00 in Tokyo.
    expect(labels(proposeSlots(input).slots)).not.toContain('Fri 7 Mar, 14:00 | Sat 8 Mar, 09:00');
    expect(labels(proposeSlots({ ...input, weekendDays: [] }).slots)[0]).toBe('Fri 7 Mar, 14:00 | Sat 8 Mar, 09:00');
  });

  const zones = ['Europe/London', 'America/New_York', 'Asia/Kolkata', 'Asia/Kathmandu', 'Australia/Adelaide', 'Australia/Sydney', 'Pacific/Honolulu', 'Asia/Tokyo'];
  it('is never before now, inside both days when it says so, and ordered by distance to the due date (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.constantFrom(...zones),
        fc.integer({ min: Date.parse('2025-01-01T00:00:00Z'), max: Date.parse('2025-12-01T00:00:00Z') }),
        fc.integer({ min: -5 * 86_400_000, max: 20 * 86_400_000 }),
        fc.constantFrom(30, 45, 60),
        (za, zb, now, dueIn, duration) => {
          const due = now + dueIn;
          const r = proposeSlots({ a: person(za), b: person(zb), due: new Date(due), now: new Date(now), durationMinutes: duration });
          const times = r.slots.map((s) => Date.parse(s.startsAt));
          if (times.some((t) => t < now)) return false;
          for (const s of r.slots) {
            for (const local of [s.local.a, s.local.b]) if (local.weekday === 'Sat' || local.weekday === 'Sun') return false;
          }
          if (!r.overlap) return true;
          const distances = times.map((t) => Math.abs(t - due));
          return (
            r.slots.every((s) => s.outsideMinutes.a === 0 && s.outsideMinutes.b === 0 && s.local.a.minuteOfDay >= 540 && s.local.b.minuteOfDay >= 540) &&
            distances.every((d, i) => i === 0 || d >= distances[i - 1]!)
          );
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('dstWarnings', () => {
  const maya = { name: 'Maya', timeZone: 'America/New_York' };
  const theo = { name: 'Theo', timeZone: 'Europe/London' };

  it('a weekly check-in organised in New York moves for London in the US–EU gap weeks, and back', () => {
    const w = dstWarnings({ startsAt: '2025-03-04T14:00:00Z', organiserZone: 'America/New_York' }, [maya, theo], {
      now: '2025-03-01T00:00:00Z',
      until: '2025-04-30T00:00:00Z',
      intervalDays: 7,
    });
    expect(w.map((x) => x.message)).toEqual(['From 11 March this is 13:00 for Theo, not 14:00', 'From 1 April this is 14:00 for Theo, not 13:00']);
    expect(w[0]).toMatchObject({ name: 'Theo', startsAt: '2025-03-11T13:00:00.000Z', from: '2025-03-11' });
    expect(w[0]!.before.label).toBe('Tue 4 Mar, 14:00');
  });

  it('London and Sydney change in opposite directions: three moves between March and October', () => {
    const w = dstWarnings({ startsAt: '2025-03-27T09:00:00Z', organiserZone: 'Europe/London' }, [{ name: 'Theo', timeZone: 'Australia/Sydney' }], {
      now: '2025-03-20T00:00:00Z',
      until: '2025-10-30T00:00:00Z',
      intervalDays: 7,
    });
    expect(w.map((x) => x.message)).toEqual([
      'From 3 April this is 19:00 for Theo, not 20:00', // London on BST
      'From 10 April this is 18:00 for Theo, not 19:00', // Sydney off AEDT (6 April)
      'From 9 October this is 19:00 for Theo, not 18:00', // Sydney on AEDT again (5 October)
    ]);
  });

  it('compares the scheduled check-in with the same time today: a change before it is a warning too', () => {
    const w = dstWarnings({ startsAt: '2025-04-03T08:00:00Z', organiserZone: 'Europe/London' }, [{ name: 'Theo', timeZone: 'Australia/Sydney' }, { name: 'Maya', timeZone: 'Europe/London' }], {
      now: '2025-03-20T10:00:00Z',
    });
    expect(w.map((x) => x.message)).toEqual(['From 3 April this is 19:00 for Theo, not 20:00']);
  });

  it('says nothing when both zones change together, or neither does', () => {
    const check = { startsAt: '2025-03-04T09:00:00Z', organiserZone: 'Europe/London' };
    const opts = { now: '2025-03-01T00:00:00Z', until: '2025-12-31T00:00:00Z', intervalDays: 14 };
    expect(dstWarnings(check, [{ name: 'Ana', timeZone: 'Europe/Berlin' }], opts)).toEqual([]);
    expect(dstWarnings({ startsAt: '2025-03-04T03:30:00Z', organiserZone: 'Asia/Kolkata' }, [{ name: 'Ravi', timeZone: 'Asia/Kathmandu' }], opts)).toEqual([]);
  });

  it('a zone without DST sees the organiser’s changes (Kathmandu, +05:45)', () => {
    const w = dstWarnings({ startsAt: '2025-03-25T10:00:00Z', organiserZone: 'Europe/London' }, [{ name: 'Ravi', timeZone: 'Asia/Kathmandu' }], {
      now: '2025-03-20T00:00:00Z',
      until: '2025-04-10T00:00:00Z',
      intervalDays: 7,
    });
    expect(w.map((x) => x.message)).toEqual(['From 1 April this is 14:45 for Ravi, not 15:45']);
  });

  it('a recurrence at a time skipped by the change is read with the offset before the gap (RFC 5545 §3.3.5)', () => {
    // Sunday 02:30 in New York; on 9 March 02:30 does not exist and becomes 03:30 EDT (07:30 UTC).
    const w = dstWarnings({ startsAt: '2025-03-02T07:30:00Z', organiserZone: 'America/New_York' }, [maya, theo], {
      now: '2025-03-01T00:00:00Z',
      until: '2025-03-20T00:00:00Z',
      intervalDays: 7,
    });
    expect(w.map((x) => `${x.startsAt} ${x.message}`)).toEqual([
      '2025-03-09T07:30:00.000Z From 9 March this is 03:30 for Maya, not 02:30',
      '2025-03-16T06:30:00.000Z From 16 March this is 02:30 for Maya, not 03:30',
      '2025-03-16T06:30:00.000Z From 16 March this is 06:30 for Theo, not 07:30',
    ]);
  });

  it('names the weekday when the move changes the day', () => {
    // Lagos is +01:00 all year.
    const w = dstWarnings({ startsAt: '2025-03-25T23:30:00Z', organiserZone: 'Europe/London' }, [{ name: 'Ade', timeZone: 'Africa/Lagos' }], {
      now: '2025-03-20T00:00:00Z',
      until: '2025-04-02T00:00:00Z',
      intervalDays: 7,
    });
    // 25 Mar 23:30 GMT = Wed 00:30 in Lagos; 1 Apr 23:30 BST = 22:30 UTC = Tue 23:30 in Lagos.
    expect(w.map((x) => x.message)).toEqual(['From 1 April this is Tue 23:30 for Ade, not Wed 00:30']);
  });
});

describe('localTime', () => {
  it('renders an instant on a clock, on a transition day', () => {
    expect(localTime('2025-03-30T01:30:00Z', 'Europe/Berlin')).toEqual({
      timeZone: 'Europe/Berlin',
      date: '2025-03-30',
      time: '03:30',
      weekday: 'Sun',
      minuteOfDay: 210,
      label: 'Sun 30 Mar, 03:30',
    });
  });
});
