/**
 * Check-in scheduling across two time zones (issue 9): slot proposals inside both people's working hours, and
 * warnings when a daylight-saving change moves a check-in for one of them.
 *
 * Only `Intl` (through `utcOffsetMinutes`) tells us zone facts; everything else is arithmetic on "wall-clock
 * milliseconds" (a local date-time written as if it were UTC), so the UTC Date getters read local fields without a
 * formatter per candidate. Offsets are read per instant, so a slot on a DST day uses that day's real offset.
 *
 * Rendered labels (`Tue 3 Mar, 09:00`) are English and 24-hour on purpose: the worker and tests need one stable
 * text. A UI that wants the reader's locale formats the structured fields (`date`, `time`, `weekday`) or `startsAt`
 * with its own `Intl.DateTimeFormat` and `timeZone`.
 */
import { utcOffsetMinutes } from './timezones.ts';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;
const LONG_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'] as const;

/** One person's zone and working hours (minutes after local midnight, end after start, at most 1440). */
export interface SchedulingPerson {
  timeZone: string;
  startMinute: number;
  endMinute: number;
  /** Used in messages ("Theo's working hours …"); optional. */
  name?: string;
}

/** A moment as one person sees it on their own clock. */
export interface LocalTime {
  timeZone: string;
  /** Local calendar date, `YYYY-MM-DD`. */
  date: string;
  /** Local time, `HH:MM` (24-hour). */
  time: string;
  /** `Mon` … `Sun`. */
  weekday: (typeof WEEKDAYS)[number];
  /** Minutes after local midnight. */
  minuteOfDay: number;
  /** `Tue 3 Mar, 09:00`. */
  label: string;
}

export interface ProposedSlot {
  /** UTC instant, ISO 8601 with `Z`: what is stored and sent to the API. */
  startsAt: string;
  endsAt: string;
  /** The same slot on each person's clock. */
  local: { a: LocalTime; b: LocalTime };
  /** Minutes of the slot outside each person's working hours: 0 and 0 when the pair overlaps. */
  outsideMinutes: { a: number; b: number };
}

export type SlotProposal =
  | { overlap: true; slots: ProposedSlot[] }
  /** No slot inside both people's hours near the due date: the least-bad slots and a sentence saying so. */
  | { overlap: false; message: string; slots: ProposedSlot[] };

export interface ProposeSlotsInput {
  /** Usually the person asking (the slots' grid follows both people's clocks, see below). */
  a: SchedulingPerson;
  b: SchedulingPerson;
  /** When the cadence says the next check-in is due. */
  due: Date | string;
  durationMinutes: number;
  now: Date | string;
  /** How many slots to return (default 5). */
  count?: number;
  /** Slots start on this grid of either person's local clock (default 30: 09:00, 09:30 …). */
  stepMinutes?: number;
  /** How far either side of the due date to look (default 14 days). */
  horizonDays?: number;
  /** At most this many slots on one local day of `a`, so the choice spans days (default 3). */
  maxPerDay?: number;
  /**
   * Local weekdays (0 = Sunday) on which neither person is offered a slot. Default Saturday and Sunday in EITHER
   * person's local day: a guess that nobody wants a mentoring call on their weekend, not something users told us.
   * Pass [] to allow every day, or e.g. [5, 6] where the weekend is Friday–Saturday.
   */
  weekendDays?: readonly number[];
}

const toMs = (d: Date | string): number => (typeof d === 'string' ? Date.parse(d) : d.getTime());
const mod = (n: number, m: number) => ((n % m) + m) % m;
const pad2 = (n: number) => String(n).padStart(2, '0');
const gcd = (x: number, y: number): number => (y === 0 ? x : gcd(y, x % y));

/**
 * A zone's offsets over a span of time, read from Intl once per half day and at the exact minute of each change,
 * instead of once per candidate slot (a few thousand candidates would otherwise be a few thousand Intl calls).
 * Assumes no zone changes its offset twice within 12 hours (true of every IANA zone's rules).
 */
class ZoneClock {
  /** Sorted; each offset holds from `from` until the next entry's `from`. */
  private readonly segments: { from: number; offset: number }[] = [];
  /** The span read up front; outside it, Intl is asked directly. */
  private readonly lo: number;
  private readonly hi: number;

  readonly timeZone: string;

  constructor(timeZone: string, fromMs: number, toMs_: number) {
    this.timeZone = timeZone;
    const sample = DAY_MS / 2;
    let t = Math.floor(fromMs / MINUTE_MS) * MINUTE_MS - DAY_MS;
    let offset = utcOffsetMinutes(timeZone, new Date(t));
    this.segments.push({ from: -Infinity, offset });
    const end = toMs_ + DAY_MS;
    while (t < end) {
      const next = t + sample;
      const nextOffset = utcOffsetMinutes(timeZone, new Date(next));
      if (nextOffset !== offset) {
        // Binary search for the first minute on the new offset.
        let lo = t;
        let hi = next;
        while (hi - lo > MINUTE_MS) {
          const mid = lo + Math.floor((hi - lo) / 2 / MINUTE_MS) * MINUTE_MS;
          if (utcOffsetMinutes(timeZone, new Date(mid)) === offset) lo = mid;
          else hi = mid;
        }
        this.segments.push({ from: hi, offset: nextOffset });
        offset = nextOffset;
      }
      t = next;
    }
    this.lo = fromMs - DAY_MS;
    this.hi = end;
  }

  /** Offset from UTC in minutes at a UTC instant. */
  offsetAt(ms: number): number {
    if (ms < this.lo || ms > this.hi) return utcOffsetMinutes(this.timeZone, new Date(ms));
    let offset = this.segments[0]!.offset;
    for (const s of this.segments) {
      if (s.from > ms) break;
      offset = s.offset;
    }
    return offset;
  }

  /** The local date-time at a UTC instant, as wall-clock milliseconds. */
  wall(ms: number): number {
    return ms + this.offsetAt(ms) * MINUTE_MS;
  }

  /**
   * The UTC instant of a local date-time. RFC 5545 §3.3.5 (the rule calendars apply to TZID times): a local time that
   * occurs twice means the first occurrence; one skipped by a spring-forward gap is read with the offset before the
   * gap (so 02:30 on a 02:00→03:00 night is 03:30 new time).
   */
  toUtc(wallMs: number): number {
    const candidates = new Set([this.offsetAt(wallMs - DAY_MS), this.offsetAt(wallMs), this.offsetAt(wallMs + DAY_MS)]);
    const valid = [...candidates].map((o) => wallMs - o * MINUTE_MS).filter((utc) => this.wall(utc) === wallMs);
    if (valid.length > 0) return Math.min(...valid);
    return wallMs - this.offsetAt(wallMs - DAY_MS) * MINUTE_MS;
  }

  local(ms: number): LocalTime {
    return localFromWall(this.timeZone, this.wall(ms));
  }
}

function localFromWall(timeZone: string, wallMs: number): LocalTime {
  const d = new Date(wallMs);
  const minuteOfDay = mod(Math.floor(wallMs / MINUTE_MS), 1440);
  const time = `${pad2(Math.floor(minuteOfDay / 60))}:${pad2(minuteOfDay % 60)}`;
  const weekday = WEEKDAYS[d.getUTCDay()]!;
  return {
    timeZone,
    date: d.toISOString().slice(0, 10),
    time,
    weekday,
    minuteOfDay,
    label: `${weekday} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]!}, ${time}`,
  };
}

/** A UTC instant on one person's clock (`{ date, time, weekday, label, … }`), e.g. for showing a stored check-in. */
export function localTime(at: Date | string, timeZone: string): LocalTime {
  const ms = toMs(at);
  return localFromWall(timeZone, ms + utcOffsetMinutes(timeZone, new Date(ms)) * MINUTE_MS);
}

/** Minutes of the local interval [start, end) (minutes after local midnight, may pass 1440) inside working hours. */
function insideMinutes(p: SchedulingPerson, start: number, end: number): number {
  let inside = 0;
  for (const shift of [-1440, 0, 1440]) {
    inside += Math.max(0, Math.min(end, p.endMinute + shift) - Math.max(start, p.startMinute + shift));
  }
  return inside;
}

/**
 * How far outside working hours the local interval [start, end) reaches, in minutes: 0 inside; 195 for 19:30–20:15
 * against 09:00–17:00. Breaks ties between equally-outside slots so "just after work" beats "the middle of the night".
 */
function reachOutside(p: SchedulingPerson, start: number, end: number): number {
  let best = Infinity;
  for (const shift of [-1440, 0, 1440]) {
    best = Math.min(best, Math.max(0, p.startMinute + shift - start) + Math.max(0, end - (p.endMinute + shift)));
  }
  return best;
}

/**
 * Up to `count` check-in slots for a pair, never before `now`, nearest the due date first.
 *
 * - Candidates start on either person's local grid of `stepMinutes` (so with Asia/Kathmandu, +05:45, both "09:00
 *   in Kathmandu" and "09:00 in London" are candidates). Every IANA zone's offset today is a multiple of 15 minutes,
 *   so a UTC grid of gcd(step, 15) minutes holds all of them.
 * - A slot is inside someone's working hours when it starts at or after their start and ends at or before their
 *   end on their own clock that day, with that day's offset (DST days included).
 * - Weekends: see `weekendDays` (default: skip Saturday and Sunday in either person's local day; a labelled guess).
 * - When no weekday slot in ±`horizonDays` of the due date fits both, the answer is `overlap: false` with a message
 *   and the least-bad slots: fewest minutes outside either person's hours (a + b), then the day nearest the due
 *   date (on a's calendar), then the least reach outside them (see `reachOutside`), then nearest the due instant.
 *   Day before reach so a pair is not sent two weeks past the due date for a slightly less late evening.
 */
export function proposeSlots(input: ProposeSlotsInput): SlotProposal {
  const { a, b, durationMinutes } = input;
  const count = input.count ?? 5;
  const step = input.stepMinutes ?? 30;
  const horizon = (input.horizonDays ?? 14) * DAY_MS;
  const maxPerDay = input.maxPerDay ?? 3;
  const weekend = new Set(input.weekendDays ?? [0, 6]);
  const now = toMs(input.now);
  const due = toMs(input.due);
  if (!Number.isFinite(now) || !Number.isFinite(due)) throw new RangeError('proposeSlots: due and now must be valid dates');
  if (!(durationMinutes > 0) || !(step > 0) || !(count > 0)) return { overlap: true, slots: [] };

  const grid = gcd(step, 15) * MINUTE_MS;
  const from = Math.ceil(Math.max(now, due - horizon) / grid) * grid;
  const to = Math.max(due, now) + horizon;
  const clockA = new ZoneClock(a.timeZone, from, to);
  const clockB = new ZoneClock(b.timeZone, from, to);
  const duration = durationMinutes * MINUTE_MS;

  interface Candidate {
    t: number;
    outA: number;
    outB: number;
    reach: number;
    dayA: number;
  }
  const candidates: Candidate[] = [];
  for (let t = from; t <= to; t += grid) {
    const wa = clockA.wall(t);
    const wb = clockB.wall(t);
    const minuteA = mod(Math.floor(wa / MINUTE_MS), 1440);
    const minuteB = mod(Math.floor(wb / MINUTE_MS), 1440);
    if (minuteA % step !== 0 && minuteB % step !== 0) continue;
    if (weekend.has(new Date(wa).getUTCDay()) || weekend.has(new Date(wb).getUTCDay())) continue;
    // Local end on each clock: across a DST change the local length differs from the real one.
    const endA = minuteA + (clockA.wall(t + duration) - wa) / MINUTE_MS;
    const endB = minuteB + (clockB.wall(t + duration) - wb) / MINUTE_MS;
    candidates.push({
      t,
      outA: Math.max(0, durationMinutes - insideMinutes(a, minuteA, endA)),
      outB: Math.max(0, durationMinutes - insideMinutes(b, minuteB, endB)),
      reach: reachOutside(a, minuteA, endA) + reachOutside(b, minuteB, endB),
      dayA: Math.floor(wa / DAY_MS),
    });
  }

  const dueDayA = Math.floor(clockA.wall(due) / DAY_MS);
  const dayDistance = (c: Candidate) => Math.abs(c.dayA - dueDayA);
  const nearest = (x: Candidate, y: Candidate) => Math.abs(x.t - due) - Math.abs(y.t - due) || x.t - y.t;
  const inside = candidates.filter((c) => c.outA === 0 && c.outB === 0);
  const overlap = inside.length > 0;
  const ranked = overlap ? inside.sort(nearest) : candidates.sort((x, y) => x.outA + x.outB - (y.outA + y.outB) || dayDistance(x) - dayDistance(y) || x.reach - y.reach || nearest(x, y));

  const perDay = new Map<number, number>();
  const picked: Candidate[] = [];
  for (const c of ranked) {
    if (picked.length >= count) break;
    const n = perDay.get(c.dayA) ?? 0;
    if (n >= maxPerDay) continue;
    perDay.set(c.dayA, n + 1);
    picked.push(c);
  }

  const slots = picked.map(
    (c): ProposedSlot => ({
      startsAt: new Date(c.t).toISOString(),
      endsAt: new Date(c.t + duration).toISOString(),
      local: { a: clockA.local(c.t), b: clockB.local(c.t) },
      outsideMinutes: { a: c.outA, b: c.outB },
    }),
  );
  if (overlap) return { overlap: true, slots };
  return { overlap: false, message: noOverlapMessage(a, b, durationMinutes, input.weekendDays === undefined || input.weekendDays.length > 0), slots };
}

const hhmm = (minute: number) => `${pad2(Math.floor(minute / 60))}:${pad2(minute % 60)}`;
const zoneCity = (zone: string) => (zone.split('/').pop() ?? zone).replaceAll('_', ' ');

function noOverlapMessage(a: SchedulingPerson, b: SchedulingPerson, durationMinutes: number, weekdaysOnly: boolean): string {
  const hoursA = `${hhmm(a.startMinute)}–${hhmm(a.endMinute)} in ${zoneCity(a.timeZone)}`;
  const hoursB = `${hhmm(b.startMinute)}–${hhmm(b.endMinute)} in ${zoneCity(b.timeZone)}`;
  const who = a.name && b.name ? `${a.name}'s working hours (${hoursA}) and ${b.name}'s (${hoursB})` : `Your working hours (${hoursA}) and your partner's (${hoursB})`;
  const when = weekdaysOnly ? ` on a weekday for ${durationMinutes} minutes` : ` for ${durationMinutes} minutes`;
  return `${who} do not overlap${when}. These times fall the least outside them; agree one that works for both of you.`;
}

/** One person's check-in moves on their clock because of a daylight-saving change. */
export interface DstWarning {
  name: string;
  timeZone: string;
  /** The first check-in (UTC) at the new local time. */
  startsAt: string;
  /** Its date on the person's clock, `YYYY-MM-DD`. */
  from: string;
  before: LocalTime;
  after: LocalTime;
  /** "From 31 March this is 10:00 for Theo, not 09:00". */
  message: string;
}

export interface DstWarningsOptions {
  now: Date | string;
  /** Look at recurrences up to this instant (default: only the scheduled check-in itself). */
  until?: Date | string;
  /** Days between check-ins (the cadence: 7, 14, 30). Without it, only the scheduled check-in is looked at. */
  intervalDays?: number;
}

/**
 * Daylight-saving warnings for a scheduled check-in.
 *
 * The rule: the pair's check-ins are a series kept at the same local time in the ORGANISER's zone (the zone stored
 * with the check-in, as a calendar recurrence with a TZID would be: RFC 5545 §3.3.10 computes each instance's "local
 * start time" in DTSTART's zone and resolves gaps and repeats as §3.3.5 does). Each person's habit is the local time they had last time. So we compare, for each person:
 *
 * 1. the same organiser wall-clock time on today's date (what the pair is used to now) with the scheduled check-in;
 * 2. each following occurrence at `intervalDays` up to `until` with the one before it.
 *
 * Every change yields one warning, dated at the first occurrence on the new time. A person in the organiser's zone
 * never gets one; a partner gets one when only one of the two zones changes (US vs EU weeks in March, and the
 * northern vs southern hemispheres in March/April and September/October). Returned in time order.
 */
export function dstWarnings(
  checkIn: { startsAt: Date | string; organiserZone: string },
  people: readonly { name: string; timeZone: string }[],
  options: DstWarningsOptions,
): DstWarning[] {
  const start = toMs(checkIn.startsAt);
  const now = toMs(options.now);
  const until = options.until === undefined ? start : toMs(options.until);
  if (!Number.isFinite(start) || !Number.isFinite(now) || !Number.isFinite(until)) throw new RangeError('dstWarnings: dates must be valid');
  const span = { from: Math.min(now, start), to: Math.max(until, start) };
  const organiser = new ZoneClock(checkIn.organiserZone, span.from, span.to);

  const startWall = organiser.wall(start);
  const timeOfDay = mod(startWall, DAY_MS);
  const todayWall = Math.floor(organiser.wall(now) / DAY_MS) * DAY_MS + timeOfDay;

  const occurrences: number[] = [];
  if (todayWall < startWall) occurrences.push(organiser.toUtc(todayWall));
  const firstReal = occurrences.length;
  occurrences.push(start);
  const interval = options.intervalDays;
  if (interval !== undefined && interval > 0) {
    for (let k = 1; ; k++) {
      const t = organiser.toUtc(startWall + k * interval * DAY_MS);
      if (t > until) break;
      occurrences.push(t);
    }
  }

  const warnings: DstWarning[] = [];
  for (const person of people) {
    const clock = new ZoneClock(person.timeZone, span.from, span.to);
    for (let i = Math.max(1, firstReal); i < occurrences.length; i++) {
      const before = clock.local(occurrences[i - 1]!);
      const after = clock.local(occurrences[i]!);
      const dayBefore = mod(Math.floor(organiser.wall(occurrences[i - 1]!) / DAY_MS) - Math.floor(clock.wall(occurrences[i - 1]!) / DAY_MS), 7);
      const dayAfter = mod(Math.floor(organiser.wall(occurrences[i]!) / DAY_MS) - Math.floor(clock.wall(occurrences[i]!) / DAY_MS), 7);
      if (before.minuteOfDay === after.minuteOfDay && dayBefore === dayAfter) continue;
      // When the shift also moves it to another day of the person's week, say the weekday too.
      const dayMoved = dayBefore !== dayAfter;
      const now_ = dayMoved ? `${after.weekday} ${after.time}` : after.time;
      const was = dayMoved ? `${before.weekday} ${before.time}` : before.time;
      const d = new Date(`${after.date}T00:00:00Z`);
      warnings.push({
        name: person.name,
        timeZone: person.timeZone,
        startsAt: new Date(occurrences[i]!).toISOString(),
        from: after.date,
        before,
        after,
        message: `From ${d.getUTCDate()} ${LONG_MONTHS[d.getUTCMonth()]!} this is ${now_} for ${person.name}, not ${was}`,
      });
    }
  }
  return warnings.sort((x, y) => Date.parse(x.startsAt) - Date.parse(y.startsAt) || x.name.localeCompare(y.name));
}
