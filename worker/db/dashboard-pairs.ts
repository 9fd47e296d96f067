/**
 * The dashboard's per-pair figures, worked out in the worker from one row per pair (pairs joined with pair_rollups,
 * read once per load): cadence adherence and its weekly groups, the most consistent mentors, the median days between
 * check-ins, and the at-risk pairs. The engagement CSV (listEngagementExport in dashboard.ts) takes its meetings and
 * cadence periods from pairAdherence too, so the export and the dashboard count them the same way. A pair's meetings come from `pair_meeting_times`
 * (worker/migrations/0012_pair_meeting_times.sql, in the form of 0014_meeting_times_hex.sql), so no pair's meetings are read on a load; the at-risk figures come
 * from the rollup too, or from the raw rows where the rollup cannot say (a range in the past; see atRiskFields in
 * dashboard.ts).
 *
 * Time arithmetic is in whole milliseconds, as SQLite's julianday keeps it (an integer count of milliseconds:
 * https://www.sqlite.org/lang_datefunc.html), and days are UTC days, as everywhere in shared/domain/engagement.ts.
 */
import type { AtRiskReason, Cadence, PairStatus } from '../../shared/schemas/index.ts';
import { CADENCE_DAYS } from '../../shared/domain/cadence.ts';
import {
  MIN_RATINGS,
  RATING_WINDOW,
  classifyAtRisk,
  dayNumber,
  median,
  type ExpectedGroup,
  type MetGroup,
  type PairEngagement,
} from '../../shared/domain/engagement.ts';
import type { DashboardWindow } from './dashboard.ts';

const DAY_MS = 86_400_000;
/** Hex digits per meeting start in pair_meeting_times.times (printf('%011x') in 0014_meeting_times_hex.sql). */
const STAMP_DIGITS = 11;
/** The value of a lowercase hex digit's character code (parseInt without the substring). */
const hexDigit = (code: number) => (code <= 57 ? code - 48 : code - 87);

/** One pair as the dashboard's pairs statement returns it. */
export interface DashboardPairRow {
  id: string;
  status: PairStatus;
  cadence: Cadence;
  started_on: string;
  ended_on: string | null;
  mentor_id: string;
  mentee_id: string;
  /** The pair's goals that are not dropped, summed up (pair_rollups, 0013_pair_goal_summary.sql); null without any. */
  goals_total: number | null;
  goals_completed: number | null;
  /** Goals per progress bucket, a JSON array of 6 counts. */
  goal_buckets: string | null;
  /** Due dates of the active goals, sorted and comma-separated. */
  active_due_dates: string | null;
  /**
   * Every meeting's start, oldest first, each as milliseconds since 1970 in STAMP_DIGITS hex digits, not separated
   * (pair_meeting_times.times, worker/migrations/0014_meeting_times_hex.sql; joined in the worker); null when none.
   */
  meeting_times: string | null;
  /** 1 when the at-risk check judges the pair (active, started by asOf); the fields below are null otherwise. */
  judged: number;
  /** Start of the latest meeting before asOf. */
  last_at: string | null;
  /** The last ratings as digits, oldest first (pair_rollups.recent_ratings), when the rollup knows them as of asOf. */
  rolled_ratings: string | null;
  /** Otherwise the ratings before asOf from the raw rows, newest first, at most 2 × RATING_WINDOW: a JSON array. */
  raw_ratings: string | null;
  active_goals: number;
  /** When a goal of the pair last changed before asOf (null without active goals). */
  goal_change_at: string | null;
}

const days = (fromMs: number, toMs: number) => (toMs - fromMs) / DAY_MS;
const dayStartMs = (isoDate: string) => Date.parse(`${isoDate}T00:00:00.000Z`);

// ---- cadence adherence, consistent mentors, median interval -------------------------------------

/** dayNumber of each date seen, remembered: a load goes through tens of thousands of dates, of a few hundred days. */
export class DayNumbers {
  readonly #days = new Map<string, number>();
  of(isoDate: string): number {
    let day = this.#days.get(isoDate);
    if (day === undefined) this.#days.set(isoDate, (day = dayNumber(isoDate)));
    return day;
  }
}

/** What pairAdherence reads of a pair: the dashboard's pairs statement and the engagement export both select it. */
export type AdherenceInput = Pick<DashboardPairRow, 'id' | 'status' | 'cadence' | 'started_on' | 'ended_on' | 'mentor_id' | 'meeting_times'>;

export interface PairAdherence {
  id: string;
  mentorId: string;
  cadence: Cadence;
  kStart: number;
  kEnd: number;
  expected: number;
  /** The expected periods that had a meeting. */
  metPeriods: number[];
  meetings: number;
  /** Days from the first to the last meeting in the range; null without meetings. */
  span: number | null;
  /** Start of the latest meeting before the range's end (toTs), in the range or before it; null without one. */
  lastAt: string | null;
}

/**
 * A pair's cadence periods over the range (shared/domain/engagement.ts, completePeriods: period k covers days
 * from + k·c … from + (k+1)·c − 1; expected when complete within the range and the pair ran for all of it; paused
 * pairs none), and its meetings in the range. Integer division truncates, as SQLite's does.
 */
export function pairAdherence(p: AdherenceInput, w: DashboardWindow, dayNumbers = new DayNumbers()): PairAdherence {
  const c = CADENCE_DAYS[p.cadence];
  const from = dayNumbers.of(w.from);
  const startOffset = dayNumbers.of(p.started_on) - from;
  const kEndPair = p.ended_on === null ? 1_000_000 : Math.trunc((dayNumbers.of(p.ended_on) - from + 1) / c);
  const paused = p.status === 'paused';
  const kStart = paused || startOffset <= 0 ? 0 : Math.trunc((startOffset + c - 1) / c);
  const kEnd = paused ? 0 : Math.min(Math.trunc(w.rangeDays / c), kEndPair);
  const met: number[] = [];
  const fromMs = from * DAY_MS;
  const toMs = (dayNumbers.of(w.to) + 1) * DAY_MS;
  let meetings = 0;
  let firstMs = 0;
  let lastMs = 0;
  let lastBeforeEnd: number | null = null;
  // The list is oldest first: read it from the end and stop at the first meeting before the range, so a pair's older
  // meetings are never parsed.
  const times = p.meeting_times ?? '';
  for (let end = times.length; end >= STAMP_DIGITS; end -= STAMP_DIGITS) {
    let ms = 0;
    for (let i = end - STAMP_DIGITS; i < end; i++) ms = ms * 16 + hexDigit(times.charCodeAt(i));
    if (ms >= toMs) continue;
    // the first start read before the range's end is the latest one, whether in the range or before it
    lastBeforeEnd ??= ms;
    if (ms < fromMs) break;
    if (meetings++ === 0) lastMs = ms;
    firstMs = ms;
    const k = Math.floor((Math.floor(ms / DAY_MS) - from) / c);
    if (k >= kStart && k < kEnd && !met.includes(k)) met.push(k);
  }
  return {
    id: p.id,
    mentorId: p.mentor_id,
    cadence: p.cadence,
    kStart,
    kEnd,
    expected: Math.max(kEnd - kStart, 0),
    metPeriods: met,
    meetings,
    span: meetings ? days(firstMs, lastMs) : null,
    lastAt: lastBeforeEnd === null ? null : new Date(lastBeforeEnd).toISOString(),
  };
}

export interface MentorAdherence {
  mentorId: string;
  pairs: number;
  met: number;
  expected: number;
  meetings: number;
}

export interface AdherenceSummary {
  totals: { met: number; expected: number; pairs: number; full: number };
  expectedGroups: ExpectedGroup[];
  metGroups: MetGroup[];
  /** Mentors of evaluated pairs, best first by adherence then meetings; ties are ordered by name later. */
  mentors: MentorAdherence[];
  /** Median over pairs with two or more meetings in the range of their average days between meetings. */
  medianInterval: number | null;
}

/** The pairs the range covers (started by its last day), summed as the dashboard shows them. */
export function summariseAdherence(pairs: readonly DashboardPairRow[], w: DashboardWindow): AdherenceSummary {
  const totals = { met: 0, expected: 0, pairs: 0, full: 0 };
  const expectedGroups = new Map<string, ExpectedGroup>();
  // pairs that met in period k, per cadence: metByPeriod[cadence][k]
  const metByPeriod: Record<Cadence, number[]> = { weekly: [], biweekly: [], monthly: [] };
  const mentors = new Map<string, MentorAdherence>();
  const intervals: number[] = [];
  const dayNumbers = new DayNumbers();
  for (const row of pairs) {
    if (row.started_on > w.to) continue;
    const a = pairAdherence(row, w, dayNumbers);
    if (a.meetings > 1 && a.span !== null) intervals.push(a.span / (a.meetings - 1));
    if (a.expected <= 0) continue;
    const met = a.metPeriods.length;
    totals.met += met;
    totals.expected += a.expected;
    totals.pairs++;
    if (met === a.expected) totals.full++;
    const groupKey = `${a.cadence}:${a.kStart}:${a.kEnd}`;
    const group = expectedGroups.get(groupKey) ?? { cadence: a.cadence, kStart: a.kStart, kEnd: a.kEnd, pairs: 0 };
    group.pairs++;
    expectedGroups.set(groupKey, group);
    const counts = metByPeriod[a.cadence];
    for (const k of a.metPeriods) counts[k] = (counts[k] ?? 0) + 1;
    const mentor = mentors.get(a.mentorId) ?? { mentorId: a.mentorId, pairs: 0, met: 0, expected: 0, meetings: 0 };
    mentor.pairs++;
    mentor.met += met;
    mentor.expected += a.expected;
    mentor.meetings += a.meetings;
    mentors.set(a.mentorId, mentor);
  }
  return {
    totals,
    expectedGroups: [...expectedGroups.values()],
    metGroups: (Object.keys(metByPeriod) as Cadence[]).flatMap((cadence) =>
      metByPeriod[cadence].flatMap((pairs, k): MetGroup[] => (pairs ? [{ cadence, k, pairs }] : [])),
    ),
    mentors: [...mentors.values()].sort(byAdherence),
    medianInterval: median(intervals),
  };
}

/** Best adherence first, then most meetings. */
export function byAdherence(a: MentorAdherence, b: MentorAdherence): number {
  return b.met / b.expected - a.met / a.expected || b.meetings - a.meetings;
}

/**
 * The first `limit` mentors by adherence, meetings and then name: `ranked` is sorted without names, so only the
 * mentors tied with the last one listed need a name to settle the order.
 */
export function topMentors(ranked: readonly MentorAdherence[], limit: number): MentorAdherence[] {
  const edge = ranked[limit - 1];
  if (!edge) return [...ranked];
  let end = limit;
  while (end < ranked.length && byAdherence(ranked[end] as MentorAdherence, edge) === 0) end++;
  return ranked.slice(0, end);
}

// ---- goals ---------------------------------------------------------------------------------------

export interface GoalFigures {
  summary: { onTrack: number; completed: number; overdue: number; total: number };
  /** Goals per progress bucket (progressBucket's index). */
  buckets: Map<number, number>;
}

/**
 * Every goal that is not dropped, from the pairs' rollups: overdue when active and due before `asOf`, on track when
 * active otherwise (no due date included), as the goals statement in dashboard.ts counts them.
 */
export function summariseGoals(pairs: readonly DashboardPairRow[], asOf: string): GoalFigures {
  const summary = { onTrack: 0, completed: 0, overdue: 0, total: 0 };
  const perBucket = [0, 0, 0, 0, 0, 0];
  for (const p of pairs) {
    if (!p.goals_total) continue;
    summary.total += p.goals_total;
    summary.completed += p.goals_completed ?? 0;
    const overdue = countBefore(p.active_due_dates, asOf);
    summary.overdue += overdue;
    summary.onTrack += p.active_goals - overdue;
    if (p.goal_buckets) addCounts(perBucket, p.goal_buckets);
  }
  return { summary, buckets: new Map(perBucket.map((n, bucket) => [bucket, n])) };
}

/** How many of the sorted, comma-separated dates come before `day`. */
function countBefore(dates: string | null, day: string): number {
  let n = 0;
  for (let start = 0; dates && start < dates.length; n++) {
    const comma = dates.indexOf(',', start);
    if (dates.slice(start, comma < 0 ? dates.length : comma) >= day) break;
    start = comma < 0 ? dates.length : comma + 1;
  }
  return n;
}

/** Adds a JSON array of counts as SQLite's json_array writes it (`[3,0,12]`: no spaces) to `into`, read in place. */
function addCounts(into: number[], json: string): void {
  let i = 0;
  let n = 0;
  for (let at = 1; at < json.length; at++) {
    const code = json.charCodeAt(at);
    if (code >= 48 && code <= 57) n = n * 10 + code - 48;
    else {
      into[i] = (into[i] ?? 0) + n;
      i++;
      n = 0;
    }
  }
}

// ---- at-risk pairs ------------------------------------------------------------------------------

export interface JudgedPair {
  id: string;
  mentorId: string;
  menteeId: string;
  lastAt: string | null;
  reasons: AtRiskReason[];
  /** What the reasons were judged on (cadence, days since contact, …): atRiskDetail words them. */
  engagement: PairEngagement;
}

/** Each reason of a judged pair in words (classifyAtRisk's detail): worked out only for the pairs listed. */
export const atRiskDetail = (p: JudgedPair): string[] => classifyAtRisk(p.engagement).detail;

/**
 * The averages the at-risk check compares: of the last RATING_WINDOW ratings, and of the RATING_WINDOW before them
 * (null with fewer than MIN_RATINGS). Read in place from the rollup's digits (oldest first) or, where the rollup
 * cannot say, from the raw ratings (a JSON array, newest first).
 */
function ratingWindows(p: DashboardPairRow) {
  let recentSum = 0;
  let recentCount = 0;
  let previousSum = 0;
  let previousCount = 0;
  const take = (rating: number, newestFirst: number) => {
    if (newestFirst < RATING_WINDOW) {
      recentSum += rating;
      recentCount++;
    } else if (newestFirst < 2 * RATING_WINDOW) {
      previousSum += rating;
      previousCount++;
    }
  };
  if (p.rolled_ratings !== null) {
    const digits = p.rolled_ratings;
    for (let i = 0; i < digits.length; i++) take(digits.charCodeAt(digits.length - 1 - i) - 48, i);
  } else if (p.raw_ratings) {
    (JSON.parse(p.raw_ratings) as number[]).forEach(take);
  }
  const average = (sum: number, count: number) => (count >= MIN_RATINGS ? sum / count : null);
  return { recentAverage: average(recentSum, recentCount), recentCount, previousAverage: average(previousSum, previousCount), previousCount };
}

/** Each judged pair's reasons (classifyAtRisk), the most urgent first: most reasons, longest without contact, id. */
export function judgeAtRisk(pairs: readonly DashboardPairRow[], w: DashboardWindow): JudgedPair[] {
  const asOfMs = Date.parse(w.asOfTs);
  const flagged: JudgedPair[] = [];
  for (const p of pairs) {
    if (!p.judged) continue;
    const engagement: PairEngagement = {
      cadence: p.cadence,
      daysSinceContact: days(p.last_at === null ? dayStartMs(p.started_on) : Date.parse(p.last_at), asOfMs),
      hasMet: p.last_at !== null,
      ...ratingWindows(p),
      activeGoals: p.active_goals,
      daysSinceGoalUpdate: p.active_goals > 0 && p.goal_change_at !== null ? days(Date.parse(p.goal_change_at), asOfMs) : null,
    };
    const { reasons } = classifyAtRisk(engagement, false);
    if (reasons.length) flagged.push({ id: p.id, mentorId: p.mentor_id, menteeId: p.mentee_id, lastAt: p.last_at, reasons, engagement });
  }
  return flagged.sort((a, b) => b.reasons.length - a.reasons.length || b.engagement.daysSinceContact - a.engagement.daysSinceContact || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
