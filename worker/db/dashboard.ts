/**
 * The admin dashboard and the CSV exports. The organisation-wide counts (meetings held, meetings per week, the rating
 * trend) sum org_day_rollups, and the at-risk check and pairs.csv read pair_rollups (worker/migrations/0011_rollups.sql,
 * kept by triggers; test/worker/rollups.test.ts). The rest is aggregated in SQL over index ranges of one organisation
 * (goals_org_created) or per-pair index lookups (meetings_pair for adherence, and feedback_pair_rating, goals_pair,
 * goal_revisions_pair where a rollup cannot answer for a range in the past); test/worker/dashboard.test.ts checks the
 * query plans. Only
 * aggregated rows reach JS: a handful of counts, groups per cadence period and week, at most 50 at-risk pairs and
 * 10 mentors. All dashboard statements go to D1 in one batch (one round trip).
 *
 * Measured with `npm run bench` (10,000 pairs, a year of meetings): see bench/dashboard.ts and BENCHMARKS.md.
 */
import type { Cadence, Dashboard, DashboardQuery, PairStatus } from '../../shared/schemas/index.ts';
import { AT_RISK_LIST_LIMIT, CONSISTENT_MENTORS_LIMIT } from '../../shared/schemas/index.ts';
import {
  MIN_RATINGS,
  NO_MEETING_FACTOR,
  RATING_DROP,
  RATING_WINDOW,
  STALL_CADENCES,
  STALL_MIN_DAYS,
  adherenceSeries,
  addDays,
  classifyAtRisk,
  dayNumber,
  lastWeeks,
  progressDistribution,
  round,
  share,
  weeksOverlapping,
  type ExpectedGroup,
  type MetGroup,
} from '../../shared/domain/engagement.ts';
import type { Db } from '../env.ts';

const DAY_MS = 86_400_000;

/** Cadence in days, in SQL (mirrors CADENCE_DAYS). */
const CADENCE_DAYS_SQL = `CASE p.cadence WHEN 'weekly' THEN 7 WHEN 'biweekly' THEN 14 ELSE 30 END`;

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

/** Active pairs now, and meetings that started in the range (org_day_rollups: one row per day). ?2 from, ?3 to (dates). */
const countsSql = `
SELECT (SELECT COUNT(*) FROM pairs WHERE org_id = ?1 AND status = 'active') AS active_pairs,
       (SELECT COALESCE(SUM(meetings), 0) FROM org_day_rollups WHERE org_id = ?1 AND day >= ?2 AND day <= ?3) AS meetings_held`;

/** Goals created by the end of the range (not dropped), by status, past due on `asOf` and progress bucket. */
const goalsSql = `
SELECT status, COALESCE(due_on < ?3, 0) AS past_due, CASE WHEN progress >= 100 THEN 5 ELSE progress / 20 END AS bucket, COUNT(*) AS n
  FROM goals
 WHERE org_id = ?1 AND created_at < ?2 AND status IN ('active', 'completed', 'paused')
 GROUP BY 1, 2, 3`;

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
 * Everything measured per pair over the range, in one statement: each pair of the organisation reads its own
 * meetings in the range (meetings_pair: count, first-to-last span, and which of the cadence periods it was expected
 * in had a meeting; see shared/domain/engagement.ts). From that, one row of JSON columns:
 * adherence totals, the most consistent mentors, the groups the weekly adherence series is built from, and the
 * median over pairs of each pair's average days between check-ins.
 *   ?1 org, ?2 from (date), ?3 to (date), ?4 range days, ?5 fromTs, ?6 toTs, ?7 mentors listed
 */
const perPairSql = `
WITH pair_cadence AS (
  SELECT p.id, p.mentor_id, p.cadence, p.status, ${CADENCE_DAYS_SQL} AS c,
         CAST(julianday(p.started_on) - julianday(?2) AS INTEGER) AS s_off,
         CASE WHEN p.ended_on IS NULL THEN 1000000
              ELSE (CAST(julianday(p.ended_on) - julianday(?2) AS INTEGER) + 1) / (${CADENCE_DAYS_SQL}) END AS k_end_pair
    FROM pairs p
   WHERE p.org_id = ?1 AND p.started_on <= ?3
), pair_periods AS (
  -- expected periods k_start <= k < k_end: complete, and the pair running for all of it; paused pairs none
  SELECT id, mentor_id, cadence, c,
         CASE WHEN status = 'paused' THEN 0 WHEN s_off <= 0 THEN 0 ELSE (s_off + c - 1) / c END AS k_start,
         CASE WHEN status = 'paused' THEN 0 ELSE MIN(CAST(?4 AS INTEGER) / c, k_end_pair) END AS k_end
    FROM pair_cadence
), per_pair AS MATERIALIZED (
  SELECT id, mentor_id, cadence, k_start, k_end, MAX(k_end - k_start, 0) AS expected,
         (SELECT COUNT(*) FROM meetings WHERE pair_id = pair_periods.id AND started_at >= ?5 AND started_at < ?6) AS meetings,
         -- first to last meeting in the range: two index seeks
         julianday((SELECT MAX(started_at) FROM meetings WHERE pair_id = pair_periods.id AND started_at >= ?5 AND started_at < ?6))
           - julianday((SELECT MIN(started_at) FROM meetings WHERE pair_id = pair_periods.id AND started_at >= ?5 AND started_at < ?6)) AS span,
         -- the expected periods that had a meeting, e.g. "0,1,3": only meetings within the expected periods are read
         CASE WHEN k_end > k_start THEN
           (SELECT group_concat(DISTINCT CAST(julianday(substr(started_at, 1, 10)) - julianday(?2) AS INTEGER) / pair_periods.c)
              FROM meetings
             WHERE pair_id = pair_periods.id
               AND started_at >= strftime('%Y-%m-%dT%H:%M:%fZ', ?2, '+' || (k_start * c) || ' days')
               AND started_at < strftime('%Y-%m-%dT%H:%M:%fZ', ?2, '+' || (k_end * c) || ' days')) END AS met_periods
    FROM pair_periods
), measured AS MATERIALIZED (
  SELECT id, mentor_id, cadence, k_start, k_end, expected, meetings, span, met_periods,
         CASE WHEN COALESCE(met_periods, '') = '' THEN 0 ELSE length(met_periods) - length(replace(met_periods, ',', '')) + 1 END AS met
    FROM per_pair
), evaluated AS (
  SELECT * FROM measured WHERE expected > 0
), intervals AS MATERIALIZED (
  SELECT span / (meetings - 1) AS days FROM measured WHERE meetings > 1
)
SELECT
  (SELECT json_object('met', COALESCE(SUM(met), 0), 'expected', COALESCE(SUM(expected), 0), 'pairs', COUNT(*),
                      'full', COALESCE(SUM(met = expected), 0)) FROM evaluated) AS totals,
  (SELECT json_group_array(json_object('mentorId', mentor_id, 'name', name, 'pairs', pairs, 'met', met, 'expected', expected, 'meetings', meetings))
     FROM (SELECT e.mentor_id, u.name, COUNT(*) AS pairs, SUM(e.met) AS met, SUM(e.expected) AS expected, SUM(e.meetings) AS meetings
             FROM evaluated e JOIN users u ON u.id = e.mentor_id
            GROUP BY e.mentor_id
            ORDER BY CAST(SUM(e.met) AS REAL) / SUM(e.expected) DESC, SUM(e.meetings) DESC, u.name
            LIMIT CAST(?7 AS INTEGER))) AS mentors,
  (SELECT json_group_array(json_array(cadence, k_start, k_end, n))
     FROM (SELECT cadence, k_start, k_end, COUNT(*) AS n FROM evaluated GROUP BY cadence, k_start, k_end)) AS expected_groups,
  (SELECT json_group_array(json_array(cadence, k, n))
     FROM (SELECT e.cadence, j.value AS k, COUNT(*) AS n FROM evaluated e, json_each('[' || e.met_periods || ']') AS j
            WHERE e.met > 0 GROUP BY e.cadence, j.value)) AS met_groups,
  (SELECT AVG(days) FROM (SELECT days FROM intervals ORDER BY days
                           LIMIT 2 - (SELECT COUNT(*) FROM intervals) % 2 OFFSET ((SELECT COUNT(*) FROM intervals) - 1) / 2)) AS median_interval`;

/**
 * pair_rollups.recent_ratings holds a pair's last 8 ratings as digits, oldest first (worker/migrations/0011_rollups.sql):
 * the last RATING_WINDOW of them and the RATING_WINDOW before them are substrings of it.
 */
const RECENT_RATINGS_KEPT = 8;
if (2 * RATING_WINDOW > RECENT_RATINGS_KEPT) throw new Error('pair_rollups.recent_ratings keeps too few ratings for RATING_WINDOW');
const recentDigits = (rr: string) => `substr(${rr}, MAX(length(${rr}) - CAST(?4 AS INTEGER), 0) + 1)`;
const previousDigits = (rr: string) =>
  `substr(${rr}, MAX(length(${rr}) - 2 * CAST(?4 AS INTEGER), 0) + 1, MAX(length(${rr}) - CAST(?4 AS INTEGER), 0) - MAX(length(${rr}) - 2 * CAST(?4 AS INTEGER), 0))`;
/** The sum of a string of digits 1–5: each digit times how often it occurs. */
const digitSum = (digits: string) => `(${[1, 2, 3, 4, 5].map((d) => `${d} * (length(${digits}) - length(replace(${digits}, '${d}', '')))`).join(' + ')})`;
/** The average of the ratings in a digit string, as AVG gives it, or null below ?6 (MIN_RATINGS) ratings. */
const windowAverage = (digits: string) => `CASE WHEN length(${digits}) >= ?6 THEN ${digitSum(digits)} * 1.0 / length(${digits}) END`;

/**
 * At-risk pairs among the active ones, judged on `asOf`: per pair, its rollup (pair_rollups) gives its last meeting,
 * the averages of its last RATING_WINDOW ratings and of the RATING_WINDOW before them (null unless there are
 * MIN_RATINGS), its active goals and its last goal change; index lookups of raw rows (meetings_pair,
 * feedback_pair_rating, goal_revisions_pair, goals_pair_created) only where the rollup is later than asOf. The flags mirror classifyAtRisk in shared/domain/engagement.ts, which turns the returned
 * numbers into reasons. The most urgent first (most reasons, then longest without contact), with the total count.
 *   ?1 org, ?2 asOf (date), ?3 asOfTs, ?4 rating window, ?5 no-meeting factor, ?6 min ratings, ?7 rating drop,
 *   ?8 stall minimum days, ?9 stall cadences, ?10 limit
 */
const atRiskSql = `
WITH rolled AS MATERIALIZED (
  SELECT p.id, p.cadence, p.mentor_id, p.mentee_id, ${CADENCE_DAYS_SQL} AS c, p.started_on,
         r.last_meeting_at AS rolled_last_at, r.latest_rating_at, r.recent_ratings AS rr, COALESCE(r.active_goals, 0) AS active_goals,
         r.last_goal_change_at,
         -- the last ratings are known from the rollup when there are none, or when all came before asOf
         r.latest_rating_at IS NULL OR (r.recent_ratings IS NOT NULL AND r.latest_rating_at < ?3) AS ratings_rolled
    FROM pairs p LEFT JOIN pair_rollups r ON r.pair_id = p.id
   WHERE p.org_id = ?1 AND p.status = 'active' AND p.started_on <= ?2
), active_pair AS MATERIALIZED (
  -- Each figure from pair_rollups; the pair's raw rows are read only when the rollup cannot say (a range in the past,
  -- or ratings the rollup does not know the order of).
  SELECT id, cadence, mentor_id, mentee_id, c, started_on, active_goals, last_goal_change_at, rr, ratings_rolled,
         CASE WHEN rolled_last_at IS NULL OR rolled_last_at < ?3 THEN rolled_last_at
              ELSE (SELECT MAX(m.started_at) FROM meetings m WHERE m.pair_id = rolled.id AND m.started_at < ?3) END AS last_at,
         CASE WHEN ratings_rolled THEN ${windowAverage(recentDigits('rr'))}
              ELSE (SELECT CASE WHEN COUNT(*) >= ?6 THEN AVG(rating) END FROM (
                      SELECT f.rating FROM feedback f WHERE f.pair_id = rolled.id AND f.created_at < ?3
                       ORDER BY f.created_at DESC LIMIT CAST(?4 AS INTEGER))) END AS recent_avg,
         CASE WHEN ratings_rolled THEN ${windowAverage(previousDigits('rr'))}
              ELSE (SELECT CASE WHEN COUNT(*) >= ?6 THEN AVG(rating) END FROM (
                      SELECT f.rating FROM feedback f WHERE f.pair_id = rolled.id AND f.created_at < ?3
                       ORDER BY f.created_at DESC LIMIT CAST(?4 AS INTEGER) OFFSET CAST(?4 AS INTEGER))) END AS prev_avg
    FROM rolled
), with_goals AS MATERIALIZED (
  SELECT active_pair.*,
         julianday(?3) - julianday(COALESCE(last_at, started_on)) AS since_contact,
         -- days since a goal of the pair last changed; a goal's creation counts too (seeded goals have no revision)
         CASE WHEN active_goals > 0 THEN julianday(?3) - julianday(
           CASE WHEN last_goal_change_at < ?3 THEN last_goal_change_at ELSE MAX(
             COALESCE((SELECT MAX(r.created_at) FROM goal_revisions r WHERE r.pair_id = active_pair.id AND r.created_at < ?3), ''),
             COALESCE((SELECT MAX(g.created_at) FROM goals g WHERE g.pair_id = active_pair.id AND g.created_at < ?3), '')) END) END AS since_goal
    FROM active_pair
), flagged AS MATERIALIZED (
  SELECT with_goals.*,
         since_contact > ?5 * c AS no_meeting,
         COALESCE(prev_avg - recent_avg >= ?7, 0) AS falling,
         COALESCE(since_goal > MAX(?8, ?9 * c), 0) AS stalled
    FROM with_goals
), listed AS (
  SELECT flagged.*, COUNT(*) OVER () AS total
    FROM flagged
   WHERE no_meeting OR falling OR stalled
   ORDER BY no_meeting + falling + stalled DESC, since_contact DESC, id
   LIMIT CAST(?10 AS INTEGER)
)
-- names, and rating counts (from the rollup where it knows them), only for the listed pairs
SELECT l.id, l.cadence, mr.name AS mentor_name, me.name AS mentee_name, l.last_at, l.since_contact,
       l.recent_avg, l.prev_avg, l.active_goals, l.since_goal, l.total,
       CASE WHEN l.ratings_rolled THEN COALESCE(length(${recentDigits('l.rr')}), 0)
            ELSE (SELECT COUNT(*) FROM (SELECT 1 FROM feedback f WHERE f.pair_id = l.id AND f.created_at < ?3
                                         ORDER BY f.created_at DESC LIMIT CAST(?4 AS INTEGER))) END AS recent_n,
       CASE WHEN l.ratings_rolled THEN COALESCE(length(${previousDigits('l.rr')}), 0)
            ELSE (SELECT COUNT(*) FROM (SELECT 1 FROM feedback f WHERE f.pair_id = l.id AND f.created_at < ?3
                                         ORDER BY f.created_at DESC LIMIT CAST(?4 AS INTEGER) OFFSET CAST(?4 AS INTEGER))) END AS prev_n
  FROM listed l JOIN users mr ON mr.id = l.mentor_id JOIN users me ON me.id = l.mentee_id
 ORDER BY l.no_meeting + l.falling + l.stalled DESC, l.since_contact DESC, l.id`;

// ---- running them -------------------------------------------------------------------------------

interface PerPairRow {
  totals: string;
  mentors: string;
  expected_groups: string;
  met_groups: string;
  median_interval: number | null;
}
interface AtRiskRow {
  id: string;
  cadence: Cadence;
  mentor_name: string;
  mentee_name: string;
  last_at: string | null;
  since_contact: number;
  recent_avg: number | null;
  recent_n: number;
  prev_avg: number | null;
  prev_n: number;
  active_goals: number;
  since_goal: number | null;
  total: number;
}

const rowsOf = <T>(r: D1Result | undefined) => (r?.results ?? []) as T[];

/** [start, end) days of each week, clipped to [from, toExclusive). */
const weekWindows = (weeks: string[], from: string, toDay: string) =>
  JSON.stringify(
    weeks.map((monday) => {
      const end = addDays(monday, 7);
      return [monday < from ? from : monday, end < toDay ? end : toDay];
    }),
  );

/** The dashboard's queries with their parameters, named (tests EXPLAIN them). */
export function dashboardQueries(w: DashboardWindow) {
  return {
    counts: { sql: countsSql, params: [w.orgId, w.from, w.to] },
    goals: { sql: goalsSql, params: [w.orgId, w.toTs, w.asOf] },
    ratings: { sql: ratingsSql, params: [w.orgId, weekWindows(weeksOverlapping(w.from, w.to), w.from, addDays(w.to, 1))] },
    meetingsPerWeek: { sql: meetingsPerWeekSql, params: [w.orgId, weekWindows(lastWeeks(w.to, 12), '0000-00-00', addDays(w.to, 1))] },
    perPair: { sql: perPairSql, params: [w.orgId, w.from, w.to, w.rangeDays, w.fromTs, w.toTs, CONSISTENT_MENTORS_LIMIT] },
    atRisk: {
      sql: atRiskSql,
      params: [w.orgId, w.asOf, w.asOfTs, RATING_WINDOW, NO_MEETING_FACTOR, MIN_RATINGS, RATING_DROP, STALL_MIN_DAYS, STALL_CADENCES, AT_RISK_LIST_LIMIT],
    },
  } satisfies Record<string, { sql: string; params: unknown[] }>;
}

export async function getDashboard(db: Db, w: DashboardWindow): Promise<Dashboard> {
  const q = dashboardQueries(w);
  const statement = (x: { sql: string; params: unknown[] }) => db.prepare(x.sql).bind(...x.params);
  // One round trip: D1 runs the statements of a batch one after the other.
  const [counts, goals, ratings, perWeek, perPair, atRisk] = await db.batch(
    [q.counts, q.goals, q.ratings, q.meetingsPerWeek, q.perPair, q.atRisk].map(statement),
  );

  const c = rowsOf<{ active_pairs: number; meetings_held: number }>(counts)[0];

  // goals: a few rows (status × past due × bucket)
  const goalSummary = { onTrack: 0, completed: 0, overdue: 0, total: 0 };
  const buckets = new Map<number, number>();
  for (const g of rowsOf<{ status: string; past_due: number; bucket: number; n: number }>(goals)) {
    goalSummary.total += g.n;
    if (g.status === 'completed') goalSummary.completed += g.n;
    else if (g.status === 'active') goalSummary[g.past_due ? 'overdue' : 'onTrack'] += g.n;
    buckets.set(g.bucket, (buckets.get(g.bucket) ?? 0) + g.n);
  }

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

  const a = rowsOf<PerPairRow>(perPair)[0];
  const median = a?.median_interval ?? null;
  const totals = JSON.parse(a?.totals ?? '{}') as { met?: number; expected?: number; pairs?: number; full?: number };
  const mentors = JSON.parse(a?.mentors ?? '[]') as { mentorId: string; name: string; pairs: number; met: number; expected: number; meetings: number }[];
  const expectedGroups = (JSON.parse(a?.expected_groups ?? '[]') as [Cadence, number, number, number][]).map(
    ([cadence, kStart, kEnd, pairs]): ExpectedGroup => ({ cadence, kStart, kEnd, pairs }),
  );
  const metGroups = (JSON.parse(a?.met_groups ?? '[]') as [Cadence, number, number][]).map(([cadence, k, pairs]): MetGroup => ({ cadence, k, pairs }));

  const atRiskRows = rowsOf<AtRiskRow>(atRisk);
  const atRiskPairs = atRiskRows.flatMap((r) => {
    const { reasons, detail } = classifyAtRisk({
      cadence: r.cadence,
      daysSinceContact: r.since_contact,
      hasMet: r.last_at !== null,
      recentAverage: r.recent_avg,
      recentCount: r.recent_n,
      previousAverage: r.prev_avg,
      previousCount: r.prev_n,
      activeGoals: r.active_goals,
      daysSinceGoalUpdate: r.since_goal,
    });
    if (!reasons.length) return [];
    return [{ pairId: r.id, mentorName: r.mentor_name, menteeName: r.mentee_name, cadence: r.cadence, reasons, detail, lastMeetingAt: r.last_at }];
  });

  return {
    range: { from: w.from, to: w.to },
    asOf: w.asOf,
    activePairs: c?.active_pairs ?? 0,
    meetingsHeld: c?.meetings_held ?? 0,
    cadenceAdherence: {
      overall: share(totals.met ?? 0, totals.expected ?? 0),
      pairsEvaluated: totals.pairs ?? 0,
      pairsFullyAdherent: totals.full ?? 0,
      series: adherenceSeries(w.from, w.to, expectedGroups, metGroups),
    },
    medianDaysBetweenCheckIns: median === null ? null : round(median, 1),
    goals: goalSummary,
    averageRating: ratingCount ? round(ratingTotal / ratingCount, 2) : null,
    ratingTrend,
    atRiskPairs,
    atRiskTotal: atRiskRows[0]?.total ?? 0,
    consistentMentors: mentors.map((m) => ({
      mentorId: m.mentorId,
      name: m.name,
      pairs: m.pairs,
      adherence: round(m.met / m.expected, 4),
      meetings: m.meetings,
    })),
    meetingsPerWeek,
    goalProgressDistribution: progressDistribution(buckets),
  };
}

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

/**
 * Engagement of every pair of the organisation over the range, one row per pair: meetings, cadence periods
 * expected and met (as on the dashboard), ratings, goals. Per-pair index lookups; never note bodies.
 *   ?1 org, ?2 from, ?3 to, ?4 range days, ?5 fromTs, ?6 toTs
 */
const engagementExportSql = `
WITH pr AS MATERIALIZED (
  SELECT p.*, ${CADENCE_DAYS_SQL} AS c,
         CAST(julianday(p.started_on) - julianday(?2) AS INTEGER) AS s_off,
         CASE WHEN p.ended_on IS NULL THEN 1000000
              ELSE (CAST(julianday(p.ended_on) - julianday(?2) AS INTEGER) + 1) / (${CADENCE_DAYS_SQL}) END AS k_end_pair
    FROM pairs p WHERE p.org_id = ?1
), pk AS MATERIALIZED (
  SELECT pr.*,
         CASE WHEN status = 'paused' OR started_on > ?3 THEN 0
              ELSE CASE WHEN s_off <= 0 THEN 0 ELSE (s_off + c - 1) / c END END AS k_start,
         CASE WHEN status = 'paused' OR started_on > ?3 THEN 0
              ELSE MIN(CAST(?4 AS INTEGER) / c, k_end_pair) END AS k_end
    FROM pr
)
SELECT pk.id AS pair_id, pk.status, pk.cadence, pk.started_on, pk.ended_on, mr.name AS mentor_name, me.name AS mentee_name,
       (SELECT COUNT(*) FROM meetings m WHERE m.pair_id = pk.id AND m.started_at >= ?5 AND m.started_at < ?6) AS meetings,
       COALESCE((SELECT pr.last_meeting_at FROM pair_rollups pr WHERE pr.pair_id = pk.id AND pr.last_meeting_at < ?6),
                (SELECT MAX(m.started_at) FROM meetings m WHERE m.pair_id = pk.id AND m.started_at < ?6)) AS last_meeting_at,
       MAX(pk.k_end - pk.k_start, 0) AS expected_periods,
       (SELECT COUNT(DISTINCT CAST(julianday(substr(m.started_at, 1, 10)) - julianday(?2) AS INTEGER) / pk.c)
          FROM meetings m
         WHERE m.pair_id = pk.id AND m.started_at >= ?5 AND m.started_at < ?6
           AND CAST(julianday(substr(m.started_at, 1, 10)) - julianday(?2) AS INTEGER) / pk.c >= pk.k_start
           AND CAST(julianday(substr(m.started_at, 1, 10)) - julianday(?2) AS INTEGER) / pk.c < pk.k_end) AS met_periods,
       (SELECT COUNT(*) FROM feedback f WHERE f.pair_id = pk.id AND f.created_at >= ?5 AND f.created_at < ?6) AS ratings,
       (SELECT ROUND(AVG(f.rating), 2) FROM feedback f WHERE f.pair_id = pk.id AND f.created_at >= ?5 AND f.created_at < ?6) AS average_rating,
       (SELECT COUNT(*) FROM goals g WHERE g.pair_id = pk.id AND g.status = 'active') AS active_goals,
       (SELECT COUNT(*) FROM goals g WHERE g.pair_id = pk.id AND g.status = 'completed') AS completed_goals,
       (SELECT ROUND(AVG(g.progress), 1) FROM goals g WHERE g.pair_id = pk.id AND g.status IN ('active', 'completed', 'paused')) AS average_progress
  FROM pk JOIN users mr ON mr.id = pk.mentor_id JOIN users me ON me.id = pk.mentee_id
 ORDER BY mr.name, me.name, pk.id`;

export async function listEngagementExport(db: Db, w: DashboardWindow): Promise<EngagementExportRow[]> {
  const { results } = await db
    .prepare(engagementExportSql)
    .bind(w.orgId, w.from, w.to, w.rangeDays, w.fromTs, w.toTs)
    .all<EngagementExportRow>();
  return results;
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

