/**
 * Admin insights (worker/routes/admin-insights.ts, mounted at /api/v1/admin). Response bodies:
 *   GET  /dashboard?from&to             → Dashboard
 *   GET  /matches?menteeId              → MatchesResponse
 *   GET  /export/engagement.csv?from&to → text/csv attachment, one row per pair
 *   GET  /export/pairs.csv              → text/csv attachment, one row per pair
 *   POST /users/import (text/csv body)  → UserImportResult
 */
import { z } from 'zod';
import { Cadence, Id, IsoDate, IsoDateTime } from './common.ts';
import { User } from './people.ts';

// ---- the engagement dashboard -------------------------------------------------------------------

/** Default range of the dashboard: the last 12 weeks (84 days, `to` included). */
export const DASHBOARD_DEFAULT_DAYS = 84;
/** Longest range the dashboard and the engagement export accept (two years, a leap day included). */
export const DASHBOARD_MAX_DAYS = 731;

const DAY_MS = 86_400_000;
const dayNumber = (iso: string) => Date.parse(`${iso}T00:00:00.000Z`) / DAY_MS;
const isoOfDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/**
 * `?from=YYYY-MM-DD&to=YYYY-MM-DD`, both days included (UTC). Without `to` the range ends today; without `from` it
 * starts 12 weeks before `to`. `from` must not be after `to`, and the range is at most two years.
 */
export const DashboardQuery = z
  .object({ from: IsoDate.optional(), to: IsoDate.optional() })
  .transform(({ from, to }) => {
    const end = to ?? new Date().toISOString().slice(0, 10);
    return { from: from ?? isoOfDay(dayNumber(end) - (DASHBOARD_DEFAULT_DAYS - 1)), to: end };
  })
  .superRefine((r, ctx) => {
    const days = dayNumber(r.to) - dayNumber(r.from) + 1;
    if (days < 1) ctx.addIssue({ code: 'custom', path: ['from'], message: '`from` must be on or before `to`' });
    else if (days > DASHBOARD_MAX_DAYS) {
      ctx.addIssue({ code: 'custom', path: ['from'], message: `The range can be at most ${DASHBOARD_MAX_DAYS} days` });
    }
  });
export type DashboardQuery = z.output<typeof DashboardQuery>;

/** Share 0..1, or null when there was nothing to measure (no pair was expected to meet, no rating was given). */
const Share = z.number().min(0).max(1).nullable();

/**
 * One period of the cadence-adherence series. The periods are consecutive 7-day steps from `from`; in each one,
 * `expected` pairs were running for the whole cadence period (7, 14 or 30 days, anchored at `from`, complete within
 * the range) that contains the step's first day, and `met` of them had at least one meeting in that cadence period.
 * Paused pairs are not expected to meet; ended pairs are, until they ended.
 */
export const AdherencePeriod = z.object({
  periodStart: IsoDate,
  periodEnd: IsoDate,
  expected: z.number().int().min(0),
  met: z.number().int().min(0),
  share: Share,
});
export type AdherencePeriod = z.infer<typeof AdherencePeriod>;

export const CadenceAdherence = z.object({
  /** Met cadence periods / expected cadence periods, over every pair and every complete cadence period of the range. */
  overall: Share,
  /** Pairs that had at least one complete cadence period in the range. */
  pairsEvaluated: z.number().int().min(0),
  /** Of those, the pairs that met in every one of their cadence periods. */
  pairsFullyAdherent: z.number().int().min(0),
  series: z.array(AdherencePeriod),
});
export type CadenceAdherence = z.infer<typeof CadenceAdherence>;

/**
 * Goals of the organisation created by the end of the range, by their current state, judged on `asOf`:
 * on track = active and not past due; overdue = active and past due; completed; total also counts paused goals
 * (dropped goals are left out everywhere).
 */
export const GoalSummary = z.object({
  onTrack: z.number().int().min(0),
  completed: z.number().int().min(0),
  overdue: z.number().int().min(0),
  total: z.number().int().min(0),
});
export type GoalSummary = z.infer<typeof GoalSummary>;

/** Monday-based UTC weeks; `weekStart` is the Monday. */
export const RatingWeek = z.object({ weekStart: IsoDate, average: z.number().min(1).max(5).nullable(), count: z.number().int().min(0) });
export type RatingWeek = z.infer<typeof RatingWeek>;
export const MeetingsWeek = z.object({ weekStart: IsoDate, count: z.number().int().min(0) });
export type MeetingsWeek = z.infer<typeof MeetingsWeek>;

export const AtRiskReason = z.enum(['no_meeting', 'falling_ratings', 'goals_stalled']);
export type AtRiskReason = z.infer<typeof AtRiskReason>;

/** An active pair that needs attention, with each reason in words (`detail`, one line per reason, same order). */
export const AtRiskPair = z.object({
  pairId: Id,
  mentorName: z.string(),
  menteeName: z.string(),
  cadence: Cadence,
  reasons: z.array(AtRiskReason).min(1),
  detail: z.array(z.string()),
  lastMeetingAt: IsoDateTime.nullable(),
});
export type AtRiskPair = z.infer<typeof AtRiskPair>;

/** Recognition: the mentors whose pairs kept their cadence best in the range. */
export const ConsistentMentor = z.object({
  mentorId: Id,
  name: z.string(),
  /** Pairs of this mentor evaluated for adherence in the range (at least one complete cadence period). */
  pairs: z.number().int().min(0),
  adherence: z.number().min(0).max(1),
  /** Meetings in the range of those pairs. */
  meetings: z.number().int().min(0),
});
export type ConsistentMentor = z.infer<typeof ConsistentMentor>;

export const PROGRESS_BUCKETS = ['0–19', '20–39', '40–59', '60–79', '80–99', '100'] as const;
export const ProgressBucket = z.object({
  label: z.enum(PROGRESS_BUCKETS),
  min: z.number().int(),
  max: z.number().int(),
  count: z.number().int().min(0),
});
export type ProgressBucket = z.infer<typeof ProgressBucket>;

export const Dashboard = z.object({
  range: z.object({ from: IsoDate, to: IsoDate }),
  /** The day "now" is judged on for at-risk and overdue: `to`, or today when `to` is in the future. */
  asOf: IsoDate,
  /** Pairs whose status is active now. */
  activePairs: z.number().int().min(0),
  /** Meetings that started in the range. */
  meetingsHeld: z.number().int().min(0),
  cadenceAdherence: CadenceAdherence,
  /**
   * Days between check-ins of a typical pair: for each pair with two or more meetings in the range, the average
   * days between its consecutive meetings (first to last, divided by the gaps); then the median over those pairs
   * (1 decimal). Each pair weighs the same, however often it meets.
   */
  medianDaysBetweenCheckIns: z.number().min(0).nullable(),
  goals: GoalSummary,
  /** Average feedback rating given in the range (2 decimals). */
  averageRating: z.number().min(1).max(5).nullable(),
  /** One entry per Monday-based week overlapping the range. */
  ratingTrend: z.array(RatingWeek),
  /** The most urgent at-risk pairs (most reasons first, then longest without a meeting), at most 50. */
  atRiskPairs: z.array(AtRiskPair),
  /** How many active pairs are at risk in total (may exceed the list). */
  atRiskTotal: z.number().int().min(0),
  /** At most 10. */
  consistentMentors: z.array(ConsistentMentor),
  /** The 12 Monday-based weeks up to and including the week of `to`, oldest first, zero-filled. */
  meetingsPerWeek: z.array(MeetingsWeek),
  /** Goals counted in `goals` (not dropped) by progress, always the six buckets in order. */
  goalProgressDistribution: z.array(ProgressBucket),
});
export type Dashboard = z.infer<typeof Dashboard>;

export const AT_RISK_LIST_LIMIT = 50;
export const CONSISTENT_MENTORS_LIMIT = 10;

// ---- matching -----------------------------------------------------------------------------------

export const MatchesQuery = z.object({ menteeId: Id });
export type MatchesQuery = z.infer<typeof MatchesQuery>;

export const MatchSuggestion = z.object({
  mentor: User.pick({ id: true, name: true, timeZone: true }),
  /** 0..100; full mentors come last with score 0. */
  score: z.number().int().min(0).max(100),
  /** Why, in words, most important first. */
  reasons: z.array(z.string()),
  /** Working-hours overlap per working day, in minutes. */
  overlapMinutes: z.number().int().min(0),
  /** Mentee goals/interests that match the mentor's skills/interests (as the mentee wrote them). */
  sharedTopics: z.array(z.string()),
  /** `activePairs` counts the mentor's pairs that are not ended (a paused pair keeps its place). */
  load: z.object({ activePairs: z.number().int().min(0), capacity: z.number().int().min(0) }),
  /** False when the mentor has no free capacity. */
  available: z.boolean(),
});
export type MatchSuggestion = z.infer<typeof MatchSuggestion>;

/** Active mentors of the organisation not already paired with the mentee, best fit first, full mentors last. */
export const MatchesResponse = z.object({
  mentee: User.pick({ id: true, name: true, timeZone: true }),
  suggestions: z.array(MatchSuggestion),
});
export type MatchesResponse = z.infer<typeof MatchesResponse>;

// ---- CSV import ---------------------------------------------------------------------------------

/** Largest CSV the import accepts. */
export const USER_IMPORT_MAX_BYTES = 64 * 1024;
/** Columns of the people CSV; skills, interests and goals are lists separated by semicolons. */
export const USER_IMPORT_COLUMNS = ['name', 'email', 'role', 'timeZone', 'skills', 'interests', 'goals'] as const;

export const UserImportError = z.object({
  /** Spreadsheet row number: the header is row 1, the first person row 2. */
  row: z.number().int().min(1),
  field: z.string().optional(),
  message: z.string(),
});
export type UserImportError = z.infer<typeof UserImportError>;

/** Valid rows are created together; a row with any error creates nothing and is listed in `errors`. */
export const UserImportResult = z.object({ created: z.array(User), errors: z.array(UserImportError) });
export type UserImportResult = z.infer<typeof UserImportResult>;
