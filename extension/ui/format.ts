/**
 * Dates, times and durations for the extension pages. Pairs live in different countries, so every time is formatted
 * with an explicit IANA zone: the user's (this browser's) and, where it helps, the partner's.
 */
import type { MeetingPlatform } from '../../shared/schemas/index.ts';
import { type MessageKey, t } from '../lib/i18n.ts';

/**
 * Dates follow the language of the messages, not the browser's: each translation names its Intl locale in
 * `format_locale`. English says en-GB, which gives day-before-month dates ("Thu 27 Nov") and 24-hour times, which
 * read the same in every country a pair may be in.
 */
const FALLBACK_LOCALE = 'en-GB';
const DAY_MS = 86_400_000;

let messagesLocale: string | undefined;

/** The Intl locale of the messages shown (a mistyped tag falls back to en-GB rather than breaking the page). */
function locale(): string {
  if (messagesLocale === undefined) {
    try {
      messagesLocale = Intl.getCanonicalLocales(t('format_locale'))[0] ?? FALLBACK_LOCALE;
    } catch {
      messagesLocale = FALLBACK_LOCALE;
    }
  }
  return messagesLocale;
}

/** The zone this browser runs in: "your time". */
export function userTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const tag = locale();
  const key = `${tag}|${timeZone}|${JSON.stringify(options)}`;
  let cached = formatters.get(key);
  if (!cached) {
    cached = new Intl.DateTimeFormat(tag, { ...options, timeZone: safeZone(timeZone) });
    formatters.set(key, cached);
  }
  return cached;
}

/** A zone Intl knows; a stale or mistyped profile zone must not break the page. */
function safeZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat(FALLBACK_LOCALE, { timeZone });
    return timeZone;
  } catch {
    return 'UTC';
  }
}

const DAY: Intl.DateTimeFormatOptions = { weekday: 'short', day: 'numeric', month: 'short' };
const DAY_WITH_YEAR: Intl.DateTimeFormatOptions = { ...DAY, year: 'numeric' };
const TIME: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };

function parts(iso: string, timeZone: string, options: Intl.DateTimeFormatOptions): string {
  // en-GB puts a comma after the weekday ("Thu, 27 Nov"); the design reads "Thu 27 Nov".
  return formatter(timeZone, options).format(new Date(iso)).replace(',', '');
}

const DAY_KEY: Intl.DateTimeFormatOptions = { year: 'numeric', month: '2-digit', day: '2-digit' };
/**
 * Day keys worked out, by zone and instant: formatToParts was the overlay's largest cost while a long call's notes
 * came in (a CPU profile with 300 entries on screen), as the notes stream asks for each entry's day on every render.
 */
const dayKeys = new Map<string, string>();
const DAY_KEYS_KEPT = 5000;

/** The calendar day of an instant in a zone, as YYYY-MM-DD (for grouping and comparisons). */
export function dayKey(iso: string, timeZone: string): string {
  const cacheKey = `${timeZone}|${iso}`;
  const known = dayKeys.get(cacheKey);
  if (known !== undefined) return known;
  const p = formatter(timeZone, DAY_KEY).formatToParts(new Date(iso));
  const get = (type: string) => p.find((x) => x.type === type)?.value ?? '';
  const day = `${get('year')}-${get('month')}-${get('day')}`;
  if (dayKeys.size >= DAY_KEYS_KEPT) dayKeys.clear();
  dayKeys.set(cacheKey, day);
  return day;
}

/**
 * "Now" to the second, as ISO, for the day it falls on. A zone's offset is a whole number of seconds, historic local
 * mean times such as +10:36:30 included (https://kotlinlang.org/api/kotlinx-datetime/kotlinx-datetime/kotlinx.datetime/-utc-offset/-formats/-i-s-o.html),
 * so a day starts on a whole second and the day is the same; a second's renders then ask dayKey for one instant, not
 * one each.
 */
const nowToTheSecond = (now: number) => new Date(now - (now % 1000)).toISOString();

/** "Thu 27 Nov" (with the year when it is not this year). */
export function formatDay(iso: string, timeZone: string, now = Date.now()): string {
  const sameYear = dayKey(iso, timeZone).slice(0, 4) === dayKey(nowToTheSecond(now), timeZone).slice(0, 4);
  return parts(iso, timeZone, sameYear ? DAY : DAY_WITH_YEAR);
}

/** "09:00" */
export function formatTime(iso: string, timeZone: string): string {
  return formatter(timeZone, TIME).format(new Date(iso));
}

/** "Thu 27 Nov, 09:00" */
export function formatDateTime(iso: string, timeZone: string, now = Date.now()): string {
  return t('format_dayAndTime', formatDay(iso, timeZone, now), formatTime(iso, timeZone));
}

/** A calendar date (YYYY-MM-DD, no zone): "Thu 27 Nov". Formatted in UTC so it never shifts by a day. */
export function formatIsoDate(date: string, now = Date.now()): string {
  return formatDay(`${date}T12:00:00.000Z`, 'UTC', now);
}

/** "Today", "Yesterday" or "Thu 27 Nov", for day separators in the notes stream. */
export function formatDayHeading(iso: string, timeZone: string, now = Date.now()): string {
  const day = dayKey(iso, timeZone);
  if (day === dayKey(nowToTheSecond(now), timeZone)) return t('format_today');
  if (day === dayKey(nowToTheSecond(now - DAY_MS), timeZone)) return t('format_yesterday');
  return formatDay(iso, timeZone, now);
}

/** The first word of a name: "Priya" for "Priya Raman". */
export function firstName(name: string): string {
  return name.trim().split(/\s+/)[0] || name;
}

/**
 * One instant for both partners: "Thu 27 Nov, 09:00 your time · 14:30 for Priya". The partner's weekday is added when
 * their calendar day differs from the user's ("… · Fri 08:00 for Priya").
 */
export function formatForBoth(iso: string, myZone: string, partner: { name: string; timeZone: string }, now = Date.now()): string {
  const mine = formatDateTime(iso, myZone, now);
  const who = firstName(partner.name);
  const partnerTime = formatTime(iso, partner.timeZone);
  if (formatTime(iso, myZone) === partnerTime && dayKey(iso, myZone) === dayKey(iso, partner.timeZone)) {
    return t('format_bothClocksSame', mine, who);
  }
  const partnerDay =
    dayKey(iso, myZone) === dayKey(iso, partner.timeZone) ? '' : `${formatter(partner.timeZone, { weekday: 'short' }).format(new Date(iso))} `;
  return bothClocksText(mine, `${partnerDay}${partnerTime}`, who);
}

/** "Thu 27 Nov, 09:00 your time · 14:30 for Priya", from the two clocks' readings and the partner's first name. */
export function bothClocksText(mine: string, theirs: string, partnerFirstName: string): string {
  return t('format_bothClocks', mine, theirs, partnerFirstName);
}

/** Whole minutes between two instants (never negative). */
export function minutesBetween(startIso: string, endIso: string): number {
  return Math.max(0, Math.round((Date.parse(endIso) - Date.parse(startIso)) / 60_000));
}

/** "45 min", "1 h 05 min", "2 h". */
export function formatDuration(minutes: number): string {
  const m = Math.max(0, Math.round(minutes));
  if (m < 60) return t('format_durationMinutes', m);
  const h = Math.floor(m / 60);
  const rest = m % 60;
  return rest === 0 ? t('format_durationHours', h) : t('format_durationHoursMinutes', h, String(rest).padStart(2, '0'));
}

/** "in 3 days", "tomorrow", "today", "2 days ago": how far a due instant is, in calendar days of the user's zone. */
export function formatRelativeDay(iso: string, timeZone: string, now = Date.now()): string {
  const days = Math.round((Date.parse(`${dayKey(iso, timeZone)}T00:00:00Z`) - Date.parse(`${dayKey(new Date(now).toISOString(), timeZone)}T00:00:00Z`)) / DAY_MS);
  return new Intl.RelativeTimeFormat(locale(), { numeric: 'auto' }).format(days, 'day');
}

/** Today's date in a zone as YYYY-MM-DD (the value of an <input type="date">). */
export function todayIn(timeZone: string, now = Date.now()): string {
  return dayKey(new Date(now).toISOString(), timeZone);
}

const PLATFORM_KEYS: Record<MeetingPlatform, MessageKey> = {
  meet: 'format_platformMeet',
  zoom: 'format_platformZoom',
  teams: 'format_platformTeams',
  jitsi: 'format_platformJitsi',
  whereby: 'format_platformWhereby',
  other: 'format_platformOther',
};

/** "Google Meet", "Zoom", …, or "another app" (brand names are messages too, so a translation may write them its way). */
export function platformName(platform: MeetingPlatform): string {
  return t(PLATFORM_KEYS[platform]);
}

