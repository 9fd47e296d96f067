/** Formatting in the admin's own locale and time zone. */

const dateFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
const shortDateFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
const percentFormat = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1, minimumFractionDigits: 1 });
const twoDecimals = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2, minimumFractionDigits: 1 });
const integer = new Intl.NumberFormat();

/** A calendar day "2026-03-02" is a date, not an instant: format it in UTC so it never shifts by a day. */
const utcDay = (isoDate: string) => new Date(`${isoDate}T00:00:00Z`);

const dayFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const shortDayFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', timeZone: 'UTC' });
export const formatDay = (isoDate: string) => dayFormat.format(utcDay(isoDate));
export const formatShortDay = (isoDate: string) => shortDayFormat.format(utcDay(isoDate));
export const formatDate = (iso: string) => dateFormat.format(new Date(iso));
export const formatShortDate = (iso: string) => shortDateFormat.format(new Date(iso));
export const formatDateTime = (iso: string) => dateTimeFormat.format(new Date(iso));
export const formatPercent = (share: number | null) => (share === null ? '—' : percentFormat.format(share));
export const formatDays = (days: number | null) => (days === null ? '—' : `${oneDecimal.format(days)} d`);
export const formatRating = (rating: number | null) => (rating === null ? '—' : twoDecimals.format(rating));
export const formatCount = (n: number) => integer.format(n);

/** "3 days ago", "today" — for the last meeting of a pair. */
export function formatAgo(iso: string | null, now = Date.now()): string {
  if (!iso) return 'never';
  const days = Math.floor((now - Date.parse(iso)) / 86_400_000);
  if (days <= 0) return 'today';
  if (days === 1) return 'yesterday';
  return `${days} days ago`;
}

/** Minutes since midnight as "09:00". */
export const formatMinute = (minute: number) => `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

/** Today as YYYY-MM-DD in the admin's own time zone (date inputs speak local days). */
export function todayLocal(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export function addDays(isoDate: string, days: number): string {
  return new Date(Date.parse(`${isoDate}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

export const cadenceLabel = { weekly: 'Weekly', biweekly: 'Every 2 weeks', monthly: 'Monthly' } as const;
export const roleLabel = { admin: 'Admin', mentor: 'Mentor', mentee: 'Mentee' } as const;
