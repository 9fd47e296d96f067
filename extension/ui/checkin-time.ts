/**
 * Time for check-in scheduling (issue 9): a local date and time typed in one zone as a UTC instant, one instant on
 * both partners' clocks, and working hours as "HH:MM". Pure functions over `Intl`, tested without a browser.
 */
import { utcOffsetMinutes } from '../../shared/domain/timezones.ts';
import type { Person } from '../../shared/schemas/index.ts';
import { bothClocksText, dayKey, firstName, formatDateTime, formatDay, formatTime } from './format.ts';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** "Europe/Lisbon" → "Europe/Lisbon", "America/New_York" → "America/New York". */
export function zoneName(timeZone: string): string {
  return timeZone.replace(/_/g, ' ');
}

/** Minutes after midnight as "HH:MM" (1440 is "24:00", the end of the day). */
export function minuteToHhmm(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}

/** "HH:MM" as minutes after midnight, or null. */
export function hhmmToMinute(text: string): number | null {
  const m = /^(\d{2}):(\d{2})$/.exec(text.trim());
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  return h < 24 && min < 60 ? h * 60 + min : null;
}

/**
 * The UTC instant of a local date ("YYYY-MM-DD") and time ("HH:MM") in a zone, as ISO. The offsets a day either side
 * and at the time itself are the only candidates (no zone changes twice in a day); as calendars read it (RFC 5545
 * §3.3.5), a time that occurs twice is the first, and one skipped by a spring-forward gap is read with the offset
 * before the gap (02:30 on a 02:00 → 03:00 night is 03:30 new time).
 */
export function zonedToUtc(date: string, time: string, timeZone: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || hhmmToMinute(time) === null) return null;
  const wall = Date.parse(`${date}T${time}:00.000Z`);
  if (!Number.isFinite(wall) || new Date(wall).toISOString().slice(0, 10) !== date) return null;
  const offsetAt = (ms: number) => utcOffsetMinutes(timeZone, new Date(ms)) * MINUTE_MS;
  const before = offsetAt(wall - DAY_MS);
  const candidates = [before, offsetAt(wall), offsetAt(wall + DAY_MS)].map((offset) => wall - offset);
  const valid = candidates.filter((utc) => utc + offsetAt(utc) === wall);
  return new Date(valid.length > 0 ? Math.min(...valid) : wall - before).toISOString();
}

/** Minutes after local midnight of an instant on a person's clock. */
export function localMinute(iso: string, timeZone: string): number {
  const [h, m] = formatTime(iso, timeZone).split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** Whether [start, start + duration) lies inside the person's working hours on their own clock. */
export function insideWorkingHours(iso: string, durationMinutes: number, person: Pick<Person, 'timeZone' | 'workingHours'>): boolean {
  const start = localMinute(iso, person.timeZone);
  const end = localMinute(new Date(Date.parse(iso) + durationMinutes * MINUTE_MS).toISOString(), person.timeZone);
  const { startMinute, endMinute } = person.workingHours;
  // An end at local midnight reads as 00:00: it is 24:00 of the same working day.
  const endOfDay = end === 0 && durationMinutes > 0 ? 1440 : end;
  return start >= startMinute && endOfDay <= endMinute && endOfDay > start;
}

/**
 * One instant for both partners, each on their own clock and named by zone:
 * `{ mine: "Tue 2 Dec, 10:00", theirs: "15:30" }`, with the partner's weekday when their day differs ("Wed 01:30").
 */
export function bothClocks(iso: string, me: Pick<Person, 'timeZone'>, partner: Pick<Person, 'timeZone'>, now = Date.now()): { mine: string; theirs: string } {
  const theirDay = dayKey(iso, partner.timeZone) === dayKey(iso, me.timeZone) ? '' : `${formatDay(iso, partner.timeZone, now)} `;
  return { mine: formatDateTime(iso, me.timeZone, now), theirs: `${theirDay}${formatTime(iso, partner.timeZone)}` };
}

/** "Tue 2 Dec, 10:00 your time · 15:30 for Priya" */
export function bothClocksSentence(iso: string, me: Pick<Person, 'timeZone'>, partner: Pick<Person, 'timeZone' | 'name'>, now = Date.now()): string {
  const { mine, theirs } = bothClocks(iso, me, partner, now);
  return bothClocksText(mine, theirs, firstName(partner.name));
}
