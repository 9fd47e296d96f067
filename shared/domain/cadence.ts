import type { Cadence } from '../schemas/common.ts';

/** Days between check-ins for each cadence. "Monthly" is 30 days so adherence is comparable across months. */
export const CADENCE_DAYS: Record<Cadence, number> = { weekly: 7, biweekly: 14, monthly: 30 };

const DAY_MS = 86_400_000;

/**
 * When the next check-in is due: one cadence after the last meeting started, or after the pair started when it has
 * not met yet. Returns an ISO timestamp (UTC).
 */
export function nextCheckInDue(cadence: Cadence, lastMeetingStartedAt: string | null, pairStartedOn: string): string {
  const from = lastMeetingStartedAt ? Date.parse(lastMeetingStartedAt) : Date.parse(`${pairStartedOn}T00:00:00.000Z`);
  return new Date(from + CADENCE_DAYS[cadence] * DAY_MS).toISOString();
}

/** A pair is overdue once it has gone 1.5× its cadence without meeting (the at-risk threshold). */
export function isOverdue(cadence: Cadence, lastMeetingStartedAt: string | null, pairStartedOn: string, now: number): boolean {
  const from = lastMeetingStartedAt ? Date.parse(lastMeetingStartedAt) : Date.parse(`${pairStartedOn}T00:00:00.000Z`);
  return now - from > 1.5 * CADENCE_DAYS[cadence] * DAY_MS;
}
