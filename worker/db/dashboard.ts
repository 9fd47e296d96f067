/**
 * The admin dashboard and the CSV exports. The organisation-wide counts (meetings held, meetings per week, the rating
 * trend) sum org_day_rollups. Everything judged per pair (cadence adherence, consistent mentors, the median interval,
 * the at-risk pairs) is worked out in the worker from one row per pair, pairs joined with pair_rollups
 * and with pair_meeting_times (worker/migrations/0011_rollups.sql, 0012_pair_meeting_times.sql, 0014_meeting_times_hex.sql; kept by triggers,
 * test/worker/rollups.test.ts):
 * worker/db/dashboard-pairs.ts; the engagement CSV takes its meetings and cadence periods from the same code. Raw rows
 * are read only where a rollup cannot say (a range in the past), for the goal summary (goals_org_created), and for the
 * engagement CSV's ratings in the range and goal figures (per-pair index lookups). test/worker/dashboard.test.ts
 * checks the query plans. The statements go to D1 in one batch, then one more call reads the names of the people
 * listed.
 *
 * Measured with `npm run bench` (10,000 pairs, a year of meetings): see bench/dashboard.ts and BENCHMARKS.md.
 */
import type { Cadence, Dashboard, DashboardQuery, PairStatus } from '../../shared/schemas/index.ts';
import { AT_RISK_LIST_LIMIT, CONSISTENT_MENTORS_LIMIT } from '../../shared/schemas/index.ts';
import {
  RATING_WINDOW,
  adherenceSeries,
  addDays,
  dayNumber,
  lastWeeks,
  progressDistribution,
  round,
  share,
  weeksOverlapping,
} from '../../shared/domain/engagement.ts';
import type { Db } from '../env.ts';
import {
  type AdherenceInput,
  atRiskDetail,
  type DashboardPairRow,
  DayNumbers,
  type GoalFigures,
  byAdherence,
  judgeAtRisk,
  pairAdherence,
  summariseAdherence,
  summariseGoals,
  topMentors,
} from './dashboard-pairs.ts';

const DAY_MS = 86_400_000;

/** The instants and numbers every dashboard statement is bound with. */
export interface DashboardWindow {
  orgId: string;
  from: string;
  to: string;
  /** First instant of the range (ISO, UTC midnight of `from`). */
  fromTs: string;
  /** First instant after the range (UTC midnight after `to`). */
  toTs: string;
  rangeDays: number;
  /** Day and instant "now" is judged on: the end of the range, or now when the range reaches today. */
  asOf: string;
  asOfTs: string;
}

export function dashboardWindow(orgId: string, q: DashboardQuery, now = Date.now()): DashboardWindow {
  const toTsMs = (dayNumber(q.to) + 1) * DAY_MS;
  const asOfMs = Math.min(toTsMs, now);
  return {
    orgId,
    from: q.from,
    to: q.to,
    fromTs: `${q.from}T00:00:00.000Z`,
    toTs: new Date(toTsMs).toISOString(),
    rangeDays: dayNumber(q.to) - dayNumber(q.from) + 1,
    asOf: new Date(asOfMs - 1).toISOString().slice(0, 10),
    asOfTs: new Date(asOfMs).toISOString(),
  };
}

// ---- the statements -----------------------------------------------------------------------------

/** Meetings that started in the range (org_day_rollups: one row per day). ?2 from, ?3 to (dates). */
const countsSql = `
SELECT COALESCE(SUM(meetings), 0) AS meetings_held FROM org_day_rollups WHERE org_id = ?1 AND day >= ?2 AND day <= ?3`;

/** A goal's progress bucket in SQL (mirrors progressBucket in shared/domain/engagement.ts). */
const BUCKET_SQL = 'CASE WHEN progress >= 100 THEN 5 ELSE progress / 20 END';

/**
 * Goals created by the end of the range (not dropped): counted by status, past due on `asOf`, and by progress
 * bucket, in one pass over goals_org_created (a covering index) with no GROUP BY: a GROUP BY sorts through a
 * temporary b-tree, whose rows D1 counts as read too (twice the goals).
 */
const goalsSql = `
SELECT COUNT(*) AS total,
       COALESCE(SUM(status = 'completed'), 0) AS completed,
       COALESCE(SUM(status = 'active' AND COALESCE(due_on < ?3, 0)), 0) AS overdue,
       COALESCE(SUM(status = 'active' AND NOT COALESCE(due_on < ?3, 0)), 0) AS on_track,
       json_array(${[0, 1, 2, 3, 4, 5].map((b) => `COALESCE(SUM(${BUCKET_SQL} = ${b}), 0)`).join(', ')}) AS buckets
  FROM goals
 WHERE org_id = ?1 AND created_at < ?2 AND status IN ('active', 'completed', 'paused')`;

/**
 * Ratings given in each week: ?2 is a JSON array of [start, end) days, one per week, summed from org_day_rollups
 * (at most 7 rows a week, whatever the number of ratings).
 */
const ratingsSql = `
SELECT w.key AS week,
       (SELECT json_array(COALESCE(SUM(d.ratings_count), 0), SUM(d.ratings_sum)) FROM org_day_rollups d
         WHERE d.org_id = ?1 AND d.day >= w.value ->> '$[0]' AND d.day < w.value ->> '$[1]') AS counts
  FROM json_each(?2) AS w`;

/** Meetings started in each week: ?2 is a JSON array of [start, end) days (org_day_rollups). */
const meetingsPerWeekSql = `
SELECT w.key AS week,
       (SELECT COALESCE(SUM(d.meetings), 0) FROM org_day_rollups d
         WHERE d.org_id = ?1 AND d.day >= w.value ->> '$[0]' AND d.day < w.value ->> '$[1]') AS n
  FROM json_each(?2) AS w`;

/**
 * pair_rollups.recent_ratings holds a pair's last 8 ratings as digits, oldest first (worker/migrations/0011_rollups.sql):
 * enough for the last RATING_WINDOW and the RATING_WINDOW before them.
 */
const RECENT_RATINGS_KEPT = 8;
if (2 * RATING_WINDOW > RECENT_RATINGS_KEPT) throw new Error('pair_rollups.recent_ratings keeps too few ratings for RATING_WINDOW');

/**
 * Every pair of the organisation, once (pairs_org_status, then pair_rollups by its key): what worker/db/dashboard-pairs.ts
 * needs. For the pairs the at-risk check judges (active, started by asOf), each figure comes from the rollup, and from
 * the pair's raw rows (meetings_pair, feedback_pair_rating, goal_revisions_pair, goals_pair_created) only where the
 * rollup is later than asOf or does not know the order of the ratings.
 *   ?1 org, ?2 asOf (date), ?3 asOfTs, ?4 ratings kept (2 × RATING_WINDOW)
 */
const pairsSql = `
WITH rolled AS (
  SELECT p.id, p.status, p.cadence, p.started_on, p.ended_on, p.mentor_id, p.mentee_id,
         p.status = 'active' AND p.started_on <= ?2 AS judged,
         r.last_meeting_at, r.latest_rating_at, r.recent_ratings, COALESCE(r.active_goals, 0) AS active_goals, r.last_goal_change_at,
         r.goals_total, r.goals_completed, r.goal_buckets, r.active_due_dates,
         -- the last ratings are known from the rollup when there are none, or when all came before asOf
         r.latest_rating_at IS NULL OR (r.recent_ratings IS NOT NULL AND r.latest_rating_at < ?3) AS ratings_rolled
    FROM pairs p LEFT JOIN pair_rollups r ON r.pair_id = p.id
   WHERE p.org_id = ?1
)
SELECT id, status, cadence, started_on, ended_on, mentor_id, mentee_id, judged, active_goals,
       goals_total, goals_completed, goal_buckets, active_due_dates,
       CASE WHEN NOT judged THEN NULL
            WHEN last_meeting_at IS NULL OR last_meeting_at < ?3 THEN last_meeting_at
            ELSE (SELECT MAX(m.started_at) FROM meetings m WHERE m.pair_id = rolled.id AND m.started_at < ?3) END AS last_at,
       CASE WHEN judged AND ratings_rolled THEN COALESCE(recent_ratings, '') END AS rolled_ratings,
       CASE WHEN judged AND NOT ratings_rolled THEN
         (SELECT json_group_array(rating) FROM (SELECT f.rating FROM feedback f WHERE f.pair_id = rolled.id AND f.created_at < ?3
                                                 ORDER BY f.created_at DESC LIMIT CAST(?4 AS INTEGER))) END AS raw_ratings,
       -- a goal's creation counts as a change too (seeded goals have no revision)
       CASE WHEN judged AND active_goals > 0 THEN
         CASE WHEN last_goal_change_at < ?3 THEN last_goal_change_at ELSE NULLIF(MAX(
           COALESCE((SELECT MAX(r.created_at) FROM goal_revisions r WHERE r.pair_id = rolled.id AND r.created_at < ?3), ''),
           COALESCE((SELECT MAX(g.created_at) FROM goals g WHERE g.pair_id = rolled.id AND g.created_at < ?3), '')), '') END END AS goal_change_at
  FROM rolled`;

/** Every pair's meeting starts (pair_meeting_times, by organisation): a statement of its own, read in index order. */
const meetingTimesSql = `SELECT pair_id, times FROM pair_meeting_times WHERE org_id = ?1`;

/** Names of the people the dashboard lists: ?1 a JSON array of user ids. */
const namesSql = `SELECT u.id, u.name FROM users u WHERE u.id IN (SELECT value FROM json_each(?1))`;

// ---- running them -------------------------------------------------------------------------------

const rowsOf = <T>(r: D1Result | undefined) => (r?.results ?? []) as T[];

/** [start, end) days of each week, clipped to [from, toExclusive). */
const weekWindows = (weeks: string[], from: string, toDay: string) =>
  JSON.stringify(
    weeks.map((monday) => {
      const end = addDays(monday, 7);
      return [monday < from ? from : monday, end < toDay ? end : toDay];
    }),
  );

/** The dashboard's queries with their parameters, named (tests EXPLAIN them); `names` is bound with the ids listed. */
export function dashboardQueries(w: DashboardWindow) {
  return {
    counts: { sql: countsSql, params: [w.orgId, w.from, w.to] },
    goals: { sql: goalsSql, params: [w.orgId, w.toTs, w.asOf] },
    ratings: { sql: ratingsSql, params: [w.orgId, weekWindows(weeksOverlapping(w.from, w.to), w.from, addDays(w.to, 1))] },
    meetingsPerWeek: { sql: meetingsPerWeekSql, params: [w.orgId, weekWindows(lastWeeks(w.to, 12), '0000-00-00', addDays(w.to, 1))] },
    pairs: { sql: pairsSql, params: [w.orgId, w.asOf, w.asOfTs, 2 * RATING_WINDOW] },
    meetingTimes: { sql: meetingTimesSql, params: [w.orgId] },
    names: { sql: namesSql, params: ['[]'] },
  } satisfies Record<string, { sql: string; params: unknown[] }>;
}

export async function getDashboard(db: Db, w: DashboardWindow): Promise<Dashboard> {
  const q = dashboardQueries(w);
  const statement = (x: { sql: string; params: unknown[] }) => db.prepare(x.sql).bind(...x.params);
  // One round trip: D1 runs the statements of a batch one after the other.
  // A range that reaches today counts every goal there is: the pairs' rollups say it (summariseGoals). A range in the
  // past counts only the goals created by its end, from the goals themselves.
  const goalsFromRollups = w.asOfTs < w.toTs;
  const [counts, ratings, perWeek, pairRows, timeRows, goalRows] = await db.batch(
    [q.counts, q.ratings, q.meetingsPerWeek, q.pairs, q.meetingTimes, ...(goalsFromRollups ? [] : [q.goals])].map(statement),
  );
  const times = new Map(rowsOf<{ pair_id: string; times: string | null }>(timeRows).map((r) => [r.pair_id, r.times]));
  const pairs = rowsOf<DashboardPairRow>(pairRows);
  for (const p of pairs) p.meeting_times = times.get(p.id) ?? null;

  const adherence = summariseAdherence(pairs, w);
  const judged = judgeAtRisk(pairs, w);
  const atRisk = judged.slice(0, AT_RISK_LIST_LIMIT);
  const mentorCandidates = topMentors(adherence.mentors, CONSISTENT_MENTORS_LIMIT);

  // The second round trip: the names of the people listed (at most 2 × AT_RISK_LIST_LIMIT and the mentors ranked).
  const ids = [...new Set([...atRisk.flatMap((p) => [p.mentorId, p.menteeId]), ...mentorCandidates.map((m) => m.mentorId)])];
  const names = new Map(
    ids.length ? rowsOf<{ id: string; name: string }>(await statement({ sql: q.names.sql, params: [JSON.stringify(ids)] }).all()).map((u) => [u.id, u.name]) : [],
  );
  const nameOf = (id: string) => names.get(id) ?? '';
  // Ties of adherence and meetings are ordered by name, as SQLite's ORDER BY name (byte order) would.
  const mentors = mentorCandidates
    .sort((a, b) => byAdherence(a, b) || compareBytes(nameOf(a.mentorId), nameOf(b.mentorId)))
    .slice(0, CONSISTENT_MENTORS_LIMIT);

  const meetingsHeld = rowsOf<{ meetings_held: number }>(counts)[0]?.meetings_held ?? 0;

  const { summary: goalSummary, buckets } = goalsFromRollups ? summariseGoals(pairs, w.asOf) : goalsFromCounts(rowsOf<GoalCounts>(goalRows)[0]);

  // ratings per week, and their overall average
  let ratingCount = 0;
  let ratingTotal = 0;
  const ratingRows = rowsOf<{ week: number; counts: string }>(ratings).map((r) => JSON.parse(r.counts) as [number, number | null]);
  const ratingTrend = weeksOverlapping(w.from, w.to).map((weekStart, i) => {
    const [n, total] = ratingRows[i] ?? [0, null];
    ratingCount += n;
    ratingTotal += total ?? 0;
    return { weekStart, average: n ? round((total ?? 0) / n, 2) : null, count: n };
  });

  const perWeekRows = rowsOf<{ week: number; n: number }>(perWeek);
  const meetingsPerWeek = lastWeeks(w.to, 12).map((weekStart, i) => ({ weekStart, count: perWeekRows[i]?.n ?? 0 }));

  const { totals, medianInterval } = adherence;
  return {
    range: { from: w.from, to: w.to },
    asOf: w.asOf,
    activePairs: pairs.filter((p) => p.status === 'active').length,
    meetingsHeld,
    cadenceAdherence: {
      overall: share(totals.met, totals.expected),
      pairsEvaluated: totals.pairs,
      pairsFullyAdherent: totals.full,
      series: adherenceSeries(w.from, w.to, adherence.expectedGroups, adherence.metGroups),
    },
    medianDaysBetweenCheckIns: medianInterval === null ? null : round(medianInterval, 1),
    goals: goalSummary,
    averageRating: ratingCount ? round(ratingTotal / ratingCount, 2) : null,
    ratingTrend,
    atRiskPairs: atRisk.map((p) => ({
      pairId: p.id,
      mentorName: nameOf(p.mentorId),
      menteeName: nameOf(p.menteeId),
      cadence: p.engagement.cadence,
      reasons: p.reasons,
      detail: atRiskDetail(p),
      lastMeetingAt: p.lastAt,
    })),
    atRiskTotal: judged.length,
    consistentMentors: mentors.map((m) => ({
      mentorId: m.mentorId,
      name: nameOf(m.mentorId),
      pairs: m.pairs,
      adherence: round(m.met / m.expected, 4),
      meetings: m.meetings,
    })),
    meetingsPerWeek,
    goalProgressDistribution: progressDistribution(buckets),
  };
}

/** The goals statement's one row of counts. */
interface GoalCounts {
  total: number;
  completed: number;
  overdue: number;
  on_track: number;
  buckets: string;
}

function goalsFromCounts(g: GoalCounts | undefined): GoalFigures {
  return {
    summary: { onTrack: g?.on_track ?? 0, completed: g?.completed ?? 0, overdue: g?.overdue ?? 0, total: g?.total ?? 0 },
    buckets: new Map((JSON.parse(g?.buckets ?? '[]') as number[]).map((n, bucket) => [bucket, n])),
  };
}

/** SQLite's BINARY collation: memcmp of the UTF-8 bytes (https://www.sqlite.org/datatype3.html#collation). */
function compareBytes(a: string, b: string): number {
  const x = utf8.encode(a);
  const y = utf8.encode(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return (x[i] as number) - (y[i] as number);
  return x.length - y.length;
}
const utf8 = new TextEncoder();

// ---- CSV exports --------------------------------------------------------------------------------

export interface EngagementExportRow {
  pair_id: string;
  status: PairStatus;
  cadence: Cadence;
  started_on: string;
  ended_on: string | null;
  mentor_name: string;
  mentee_name: string;
  meetings: number;
  last_meeting_at: string | null;
  expected_periods: number;
  met_periods: number;
  ratings: number;
  average_rating: number | null;
  active_goals: number;
  completed_goals: number;
  average_progress: number | null;
}

/** One pair as the engagement export's statement returns it: the pair, its people's names, and its meeting starts. */
interface EngagementPairRow extends AdherenceInput {
  mentor_name: string;
  mentee_name: string;
  ratings: number;
  average_rating: number | null;
  active_goals: number;
  completed_goals: number;
  average_progress: number | null;
}

/**
 * Engagement of every pair of the organisation over the range, one row per pair, in the order of the CSV: pairs by
 * organisation (pairs_org_status), their people by key, and pair_rollups by its key. Never note bodies.
 *   - meetings, last_meeting_at, expected_periods, met_periods: worked out in the worker from
 *     pair_meeting_times (0012_pair_meeting_times.sql) by pairAdherence (dashboard-pairs.ts), the dashboard's
 *     own code, so no pair's meetings are read (a pair without a pair_rollups row has none).
 *   - ratings, average_rating: the ratings given in the range, a per-pair lookup of feedback_pair_rating (the rollups
 *     hold a pair's ratings of all time, and per week, not per range).
 *   - active_goals from pair_rollups.active_goals (goals with status 'active', kept by triggers and checked against the
 *     raw rows in test/worker/rollups.test.ts); completed_goals and average_progress, which no rollup holds, per-pair
 *     lookups of goals_pair.
 *   ?1 org, ?2 fromTs, ?3 toTs
 */
const engagementExportSql = `
SELECT p.id, p.status, p.cadence, p.started_on, p.ended_on, p.mentor_id, mr.name AS mentor_name, me.name AS mentee_name,
       t.times AS meeting_times,
       (SELECT COUNT(*) FROM feedback f WHERE f.pair_id = p.id AND f.created_at >= ?2 AND f.created_at < ?3) AS ratings,
       (SELECT ROUND(AVG(f.rating), 2) FROM feedback f WHERE f.pair_id = p.id AND f.created_at >= ?2 AND f.created_at < ?3) AS average_rating,
       COALESCE(r.active_goals, 0) AS active_goals,
       (SELECT COUNT(*) FROM goals g WHERE g.pair_id = p.id AND g.status = 'completed') AS completed_goals,
       (SELECT ROUND(AVG(g.progress), 1) FROM goals g WHERE g.pair_id = p.id AND g.status IN ('active', 'completed', 'paused')) AS average_progress
  FROM pairs p JOIN users mr ON mr.id = p.mentor_id JOIN users me ON me.id = p.mentee_id
       LEFT JOIN pair_rollups r ON r.pair_id = p.id LEFT JOIN pair_meeting_times t ON t.pair_id = p.id
 WHERE p.org_id = ?1
 ORDER BY mr.name, me.name, p.id`;

/** The engagement export's statement with its parameters (test/worker/dashboard.test.ts EXPLAINs it). */
export function engagementExportQuery(w: DashboardWindow) {
  return { sql: engagementExportSql, params: [w.orgId, w.fromTs, w.toTs] };
}

export async function listEngagementExport(db: Db, w: DashboardWindow): Promise<EngagementExportRow[]> {
  const q = engagementExportQuery(w);
  const { results } = await db
    .prepare(q.sql)
    .bind(...q.params)
    .all<EngagementPairRow>();
  const dayNumbers = new DayNumbers();
  return results.map((r): EngagementExportRow => {
    // every pair is listed, whatever its start: one started after the range has no expected (and so no met) periods
    const a = pairAdherence(r, w, dayNumbers);
    return {
      pair_id: r.id,
      status: r.status,
      cadence: r.cadence,
      started_on: r.started_on,
      ended_on: r.ended_on,
      mentor_name: r.mentor_name,
      mentee_name: r.mentee_name,
      meetings: a.meetings,
      last_meeting_at: a.lastAt,
      expected_periods: a.expected,
      met_periods: a.metPeriods.length,
      ratings: r.ratings,
      average_rating: r.average_rating,
      active_goals: r.active_goals,
      completed_goals: r.completed_goals,
      average_progress: r.average_progress,
    };
  });
}

export interface PairExportRow {
  pair_id: string;
  status: PairStatus;
  cadence: Cadence;
  started_on: string;
  ended_on: string | null;
  mentor_name: string;
  mentor_email: string;
  mentor_time_zone: string;
  mentee_name: string;
  mentee_email: string;
  mentee_time_zone: string;
  meetings: number;
  last_meeting_at: string | null;
  goals: number;
}

/** Every pair of the organisation with its people and totals (pairs_org_status, then pair_rollups and goals_pair lookups). */
export async function listPairsExport(db: Db, orgId: string): Promise<PairExportRow[]> {
  const { results } = await db
    .prepare(
      `SELECT p.id AS pair_id, p.status, p.cadence, p.started_on, p.ended_on,
              mr.name AS mentor_name, mr.email AS mentor_email, mr.time_zone AS mentor_time_zone,
              me.name AS mentee_name, me.email AS mentee_email, me.time_zone AS mentee_time_zone,
              COALESCE(r.meetings, 0) AS meetings, r.last_meeting_at,
              (SELECT COUNT(*) FROM goals g WHERE g.pair_id = p.id AND g.status != 'dropped') AS goals
         FROM pairs p JOIN users mr ON mr.id = p.mentor_id JOIN users me ON me.id = p.mentee_id
              LEFT JOIN pair_rollups r ON r.pair_id = p.id
        WHERE p.org_id = ?1
        ORDER BY CASE p.status WHEN 'active' THEN 0 WHEN 'paused' THEN 1 ELSE 2 END, mr.name, me.name, p.id`,
    )
    .bind(orgId)
    .all<PairExportRow>();
  return results;
}

