/**
 * Working-hours overlap between two people in different IANA time zones.
 *
 * Plain `Intl` is enough here (no library): the only zone fact we need is each zone's UTC offset on one reference
 * day, and `Intl.DateTimeFormat` with `timeZoneName: 'longOffset'` gives it in Node and workerd alike.
 */

export const MINUTES_PER_DAY = 1440;
const DAY_MS = 86_400_000;

/** Working hours in a person's own time zone, as minutes after local midnight (end after start, at most 1440). */
export interface WorkingDay {
  timeZone: string;
  startMinute: number;
  endMinute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function offsetFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The zone's offset from UTC at an instant, in minutes (Lisbon in summer: +60, New York in winter: -300). */
export function utcOffsetMinutes(timeZone: string, at: Date): number {
  const name = offsetFormatter(timeZone).formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  // "GMT" for UTC itself, otherwise "GMT+05:30" / "GMT-03:00".
  const m = /^GMT(?:([+-])(\d{2}):(\d{2}))?$/.exec(name);
  if (!m) throw new Error(`Unexpected offset "${name}" for ${timeZone}`);
  if (!m[1]) return 0;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === '-' ? -minutes : minutes;
}

/**
 * The zone's offset at local noon of the reference day (`YYYY-MM-DD`): noon is never inside a DST transition, so
 * this is the offset that holds for the working day.
 */
export function offsetOnDay(timeZone: string, day: string): number {
  const noonUtc = Date.parse(`${day}T12:00:00.000Z`);
  const guess = utcOffsetMinutes(timeZone, new Date(noonUtc));
  // Local noon is noonUtc − offset; the offset there can differ from the guess only across a transition.
  return utcOffsetMinutes(timeZone, new Date(noonUtc - guess * 60_000));
}

/** A working day as an interval of minutes after UTC midnight: [start, start + length), start in [0, 1440). */
function utcInterval(w: WorkingDay, day: string): { start: number; length: number } {
  const offset = offsetOnDay(w.timeZone, day);
  const start = (((w.startMinute - offset) % MINUTES_PER_DAY) + MINUTES_PER_DAY) % MINUTES_PER_DAY;
  return { start, length: Math.max(0, Math.min(MINUTES_PER_DAY, w.endMinute - w.startMinute)) };
}

const intersection = (a0: number, a1: number, b0: number, b1: number) => Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));

/**
 * Minutes per day during which both people are within their working hours, with each zone's offset as it is on the
 * reference day (so summer and winter differ where DST applies). Working days repeat every 24 h, so this is the
 * overlap of two arcs on the 24-hour clock: symmetric, and between 0 and the shorter working day.
 */
export function workingHoursOverlap(a: WorkingDay, b: WorkingDay, referenceDay: string | Date = new Date()): number {
  const day = typeof referenceDay === 'string' ? referenceDay : referenceDay.toISOString().slice(0, 10);
  const x = utcInterval(a, day);
  const y = utcInterval(b, day);
  let total = 0;
  // x lies within [0, 2880); y shifted by a day either way covers every part of the clock that can meet it.
  for (const shift of [-MINUTES_PER_DAY, 0, MINUTES_PER_DAY]) {
    total += intersection(x.start, x.start + x.length, y.start + shift, y.start + shift + y.length);
  }
  return total;
}

/** "3 h 30 min", "45 min", "8 h". */
export function formatMinutes(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return `${m} min`;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

/** Today's date (UTC) as `YYYY-MM-DD`, the default reference day. */
export const todayUtc = (now = Date.now()) => new Date(Math.floor(now / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
