/**
 * Engagement metrics of a programme: the definitions the dashboard uses, as pure functions over numbers already
 * aggregated (the worker computes the aggregates in SQL; these functions shape and judge them).
 */
import type { Cadence } from '../schemas/common.ts';
import type { AdherencePeriod, AtRiskReason, ProgressBucket } from '../schemas/dashboard.ts';
import { PROGRESS_BUCKETS } from '../schemas/dashboard.ts';
import { CADENCE_DAYS } from './cadence.ts';

const DAY_MS = 86_400_000;

// ---- dates ------------------------------------------------------------------------------------

/** Whole days since 1970-01-01 of a `YYYY-MM-DD` date. */
export const dayNumber = (isoDate: string) => Math.round(Date.parse(`${isoDate}T00:00:00.000Z`) / DAY_MS);
export const dateOfDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
export const addDays = (isoDate: string, days: number) => dateOfDay(dayNumber(isoDate) + days);

/** The Monday on or before a date (weeks are Monday-based, UTC). */
export function mondayOf(isoDate: string): string {
  const day = dayNumber(isoDate);
  // 1970-01-01 was a Thursday: (day + 3) % 7 is 0 on Mondays.
  return dateOfDay(day - (((day + 3) % 7) + 7) % 7);
}

/** Mondays of every week that overlaps [from, to], oldest first. */
export function weeksOverlapping(from: string, to: string): string[] {
  const weeks: string[] = [];
  for (let d = dayNumber(mondayOf(from)); d <= dayNumber(to); d += 7) weeks.push(dateOfDay(d));
  return weeks;
}

/** The `count` Monday-based weeks up to and including the week of `to`, oldest first. */
export function lastWeeks(to: string, count: number): string[] {
  const last = dayNumber(mondayOf(to));
  return Array.from({ length: count }, (_, i) => dateOfDay(last - 7 * (count - 1 - i)));
}

// ---- statistics -------------------------------------------------------------------------------

/** Median of a list of numbers (mean of the middle two for an even count); null for an empty list. */
export function median(values: readonly number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export const round = (value: number, decimals: number) => {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
};

/** A share 0..1 rounded to 4 decimals, or null when nothing was expected. */
export const share = (part: number, whole: number): number | null => (whole > 0 ? round(part / whole, 4) : null);

// ---- cadence adherence ------------------------------------------------------------------------

/**
 * Adherence is measured in cadence periods anchored at the start of the range: period k of a cadence of c days
 * covers days [from + k·c, from + (k+1)·c − 1]. Only periods that end within the range count, and a pair is
 * expected to meet in a period only when it was running for all of it (started on or before its first day, not
 * ended before its last day). This is the number of complete periods of a cadence in a range of `rangeDays`.
 */
export const completePeriods = (rangeDays: number, cadence: Cadence) => Math.floor(rangeDays / CADENCE_DAYS[cadence]);

/** Pairs of one cadence that are expected in periods kStart..kEnd−1 (aggregated in SQL). */
export interface ExpectedGroup {
  cadence: Cadence;
  kStart: number;
  kEnd: number;
  pairs: number;
}
/** Pairs of one cadence that met in period k (aggregated in SQL). */
export interface MetGroup {
  cadence: Cadence;
  k: number;
  pairs: number;
}

/**
 * The weekly adherence series: for each 7-day step from `from`, the pairs expected in the cadence period that
 * contains the step's first day, and how many of them met in that period.
 */
export function adherenceSeries(from: string, to: string, expected: ExpectedGroup[], met: MetGroup[]): AdherencePeriod[] {
  const rangeDays = dayNumber(to) - dayNumber(from) + 1;
  const metBy = new Map(met.map((m) => [`${m.cadence}:${m.k}`, m.pairs]));
  const series: AdherencePeriod[] = [];
  for (let offset = 0; offset < rangeDays; offset += 7) {
    let exp = 0;
    let hit = 0;
    for (const cadence of Object.keys(CADENCE_DAYS) as Cadence[]) {
      const k = Math.floor(offset / CADENCE_DAYS[cadence]);
      if (k >= completePeriods(rangeDays, cadence)) continue;
      for (const g of expected) if (g.cadence === cadence && g.kStart <= k && k < g.kEnd) exp += g.pairs;
      hit += metBy.get(`${cadence}:${k}`) ?? 0;
    }
    series.push({
      periodStart: addDays(from, offset),
      periodEnd: addDays(from, Math.min(offset + 6, rangeDays - 1)),
      expected: exp,
      met: hit,
      share: share(hit, exp),
    });
  }
  return series;
}

// ---- at-risk pairs ----------------------------------------------------------------------------

/** No meeting for more than this many cadences (1.5 × 7 days for a weekly pair). */
export const NO_MEETING_FACTOR = 1.5;
/** Ratings compared: the pair's last RATING_WINDOW against the RATING_WINDOW before them. */
export const RATING_WINDOW = 4;
/** Each window needs at least this many ratings to say anything. */
export const MIN_RATINGS = 2;
/** Falling: the recent average is at least this many points below the earlier one. */
export const RATING_DROP = 1;
/** Goals are stalled when no goal of the pair changed for STALL_CADENCES cadences, and at least STALL_MIN_DAYS. */
export const STALL_CADENCES = 2;
export const STALL_MIN_DAYS = 28;
export const stallDays = (cadence: Cadence) => Math.max(STALL_MIN_DAYS, STALL_CADENCES * CADENCE_DAYS[cadence]);

/** One active pair's aggregates, as of the dashboard's `asOf`. */
export interface PairEngagement {
  cadence: Cadence;
  /** Days since the last meeting started, or since the pair started when it never met. */
  daysSinceContact: number;
  hasMet: boolean;
  recentAverage: number | null;
  recentCount: number;
  previousAverage: number | null;
  previousCount: number;
  activeGoals: number;
  /** Days since any goal of the pair was last created or changed; null without active goals. */
  daysSinceGoalUpdate: number | null;
}

const fmt1 = (n: number) => (Math.round(n * 10) / 10).toFixed(1);
const days = (n: number) => `${Math.floor(n)} day${Math.floor(n) === 1 ? '' : 's'}`;

export function isFallingRatings(e: Pick<PairEngagement, 'recentAverage' | 'recentCount' | 'previousAverage' | 'previousCount'>): boolean {
  return (
    e.recentAverage !== null &&
    e.previousAverage !== null &&
    e.recentCount >= MIN_RATINGS &&
    e.previousCount >= MIN_RATINGS &&
    e.previousAverage - e.recentAverage >= RATING_DROP
  );
}

/** Why a pair is at risk, each reason with a line of detail for the admin; no reasons means not at risk. */
/**
 * Why a pair is at risk, and each reason in words. `withDetail: false` leaves the words out (`detail` is empty): the
 * dashboard judges every active pair but words only the ones it lists.
 */
export function classifyAtRisk(e: PairEngagement, withDetail = true): { reasons: AtRiskReason[]; detail: string[] } {
  const reasons: AtRiskReason[] = [];
  const detail: string[] = [];
  const cadenceDays = CADENCE_DAYS[e.cadence];
  if (e.daysSinceContact > NO_MEETING_FACTOR * cadenceDays) {
    reasons.push('no_meeting');
    if (withDetail) {
      detail.push(
        e.hasMet
          ? `No meeting for ${days(e.daysSinceContact)} (cadence ${e.cadence}, every ${cadenceDays} days)`
          : `No meeting since the pair started ${days(e.daysSinceContact)} ago (cadence ${e.cadence})`,
      );
    }
  }
  if (isFallingRatings(e)) {
    reasons.push('falling_ratings');
    if (withDetail) {
      detail.push(`Ratings fell from ${fmt1(e.previousAverage as number)} to ${fmt1(e.recentAverage as number)} (last ${e.recentCount} against the ${e.previousCount} before)`);
    }
  }
  if (e.activeGoals > 0 && e.daysSinceGoalUpdate !== null && e.daysSinceGoalUpdate > stallDays(e.cadence)) {
    reasons.push('goals_stalled');
    if (withDetail) detail.push(`${e.activeGoals} active goal${e.activeGoals === 1 ? '' : 's'}, no goal changed for ${days(e.daysSinceGoalUpdate)}`);
  }
  return { reasons, detail };
}

// ---- goals ------------------------------------------------------------------------------------

/** Index of a progress value's bucket in PROGRESS_BUCKETS: 0–19 … 80–99, and 100 on its own. */
export const progressBucket = (progress: number) => (progress >= 100 ? 5 : Math.max(0, Math.floor(progress / 20)));

/** The six buckets in order, zero-filled, from counts per bucket index. */
export function progressDistribution(counts: ReadonlyMap<number, number>): ProgressBucket[] {
  return PROGRESS_BUCKETS.map((label, i) => ({ label, min: i * 20, max: i === 5 ? 100 : i * 20 + 19, count: counts.get(i) ?? 0 }));
}
