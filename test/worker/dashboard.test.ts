import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { Dashboard } from '../../shared/schemas/index.ts';
import { dashboardQueries, dashboardWindow, engagementExportQuery, getDashboard, listEngagementExport } from '../../worker/db/dashboard.ts';
import { RANGE, seedEngagementOrg } from './dashboard-seed.ts';
import { uuid } from './helpers.ts';

/**
 * The dashboard against a seeded organisation whose figures are worked out by hand (see dashboard-seed.ts).
 * Range 2025-01-06 … 2025-03-02 (56 days), judged as of 2025-03-03T00:00Z. A second organisation with the same
 * data (names prefixed "Other ") is seeded next to it and must never show up.
 */
describe('dashboard aggregates', () => {
  it('computes every figure of the hand-computed programme exactly', async () => {
    const org = await seedEngagementOrg();
    await seedEngagementOrg('Other ');
    const d = Dashboard.parse(await getDashboard(env.DB, dashboardWindow(org.orgId, RANGE)));

    expect(d.range).toEqual(RANGE);
    expect(d.asOf).toBe('2025-03-02');
    // p1, p2, p3, p6 (p4 paused, p5 ended)
    expect(d.activePairs).toBe(4);
    // p1 8 + p2 3 + p4 1 + p5 1 + p6 4 (p1's meetings of 2024-12-31 and 2025-03-03 are outside)
    expect(d.meetingsHeld).toBe(17);

    // Expected/met cadence periods: p1 weekly 8/8; p2 biweekly 3/4 (period 2 missed); p3 weekly from 2025-02-10,
    // periods 5–7: 0/3; p5 weekly ended 2025-01-19, periods 0–1: 1/2; p6 weekly 4/8; p4 paused: not expected.
    expect(d.cadenceAdherence.overall).toBe(0.64); // 16 / 25
    expect(d.cadenceAdherence.pairsEvaluated).toBe(5);
    expect(d.cadenceAdherence.pairsFullyAdherent).toBe(1);
    expect(d.cadenceAdherence.series.map((s) => [s.periodStart, s.periodEnd, s.expected, s.met])).toEqual([
      ['2025-01-06', '2025-01-12', 4, 4], // weekly k0: p1 p5 p6 met; biweekly k0: p2 met
      ['2025-01-13', '2025-01-19', 4, 3], // weekly k1: p1 p6 met, p5 not; p2 k0 met
      ['2025-01-20', '2025-01-26', 3, 2], // weekly k2: p1 met, p6 not; p2 k1 met
      ['2025-01-27', '2025-02-02', 3, 3], // weekly k3: p1 p6; p2 k1
      ['2025-02-03', '2025-02-09', 3, 1], // weekly k4: p1; p2 k2 missed
      ['2025-02-10', '2025-02-16', 4, 1], // weekly k5: p1 (p3 p6 not); p2 k2 missed
      ['2025-02-17', '2025-02-23', 4, 2], // weekly k6: p1; p2 k3 met
      ['2025-02-24', '2025-03-02', 4, 3], // weekly k7: p1 p6; p2 k3 met
    ]);
    expect(d.cadenceAdherence.series.map((s) => s.share)).toEqual([1, 0.75, 0.6667, 1, 0.3333, 0.25, 0.5, 0.75]);

    // Average days between check-ins per pair with 2+ meetings in the range: p1 49 / 7 = 7 (01-06 → 02-24),
    // p2 49 / 2 = 24.5 (01-08 → 02-26), p6 49 / 3 = 16.33 (01-06 → 02-24); p4, p5 met once → median 16.3
    expect(d.medianDaysBetweenCheckIns).toBe(16.3);

    // g1 on track, g7 on track (due on asOf), g3 overdue, g2 completed, g4 paused (total only); g5 dropped and
    // g6 (created after the range) left out
    expect(d.goals).toEqual({ onTrack: 2, completed: 1, overdue: 1, total: 5 });
    expect(d.goalProgressDistribution.map((b) => [b.label, b.count])).toEqual([
      ['0–19', 1],
      ['20–39', 0],
      ['40–59', 1],
      ['60–79', 0],
      ['80–99', 2],
      ['100', 1],
    ]);

    // Ratings in the range: week of 01-06: 4, 5, 5; week of 01-20: 5, 4; week of 02-24: 2, 3, 3 → 31 / 8
    expect(d.averageRating).toBe(3.88);
    expect(d.ratingTrend).toEqual([
      { weekStart: '2025-01-06', average: 4.67, count: 3 },
      { weekStart: '2025-01-13', average: null, count: 0 },
      { weekStart: '2025-01-20', average: 4.5, count: 2 },
      { weekStart: '2025-01-27', average: null, count: 0 },
      { weekStart: '2025-02-03', average: null, count: 0 },
      { weekStart: '2025-02-10', average: null, count: 0 },
      { weekStart: '2025-02-17', average: null, count: 0 },
      { weekStart: '2025-02-24', average: 2.67, count: 3 },
    ]);

    // At risk on 2025-03-03T00:00Z: p3 never met in 21 days (> 10.5); p6's only goal change was 2024-12-10 10:00
    // (82.6 days > 28); p2's last 4 ratings 3, 3, 4, 5 (3.75) against 5, 5 before. Most days without contact first.
    expect(d.atRiskTotal).toBe(3);
    expect(d.atRiskPairs).toEqual([
      {
        pairId: org.pairs.p3,
        mentorName: 'Alice',
        menteeName: 'Mentee e3',
        cadence: 'weekly',
        reasons: ['no_meeting'],
        detail: ['No meeting since the pair started 21 days ago (cadence weekly)'],
        lastMeetingAt: null,
      },
      {
        pairId: org.pairs.p6,
        mentorName: 'Cara',
        menteeName: 'Mentee e6',
        cadence: 'weekly',
        reasons: ['goals_stalled'],
        detail: ['1 active goal, no goal changed for 82 days'],
        lastMeetingAt: '2025-02-24T09:00:00.000Z',
      },
      {
        pairId: org.pairs.p2,
        mentorName: 'Bob',
        menteeName: 'Mentee e2',
        cadence: 'biweekly',
        reasons: ['falling_ratings'],
        detail: ['Ratings fell from 5.0 to 3.8 (last 4 against the 2 before)'],
        lastMeetingAt: '2025-02-26T10:00:00.000Z',
      },
    ]);

    // Alice: p1 8/8 + p3 0/3 = 8/11, 8 meetings; Bob: p2 3/4 + p5 1/2 = 4/6, 4 meetings; Cara: p6 4/8, 4 meetings
    expect(d.consistentMentors).toEqual([
      { mentorId: org.users.alice, name: 'Alice', pairs: 2, adherence: 0.7273, meetings: 8 },
      { mentorId: org.users.bob, name: 'Bob', pairs: 2, adherence: 0.6667, meetings: 4 },
      { mentorId: org.users.cara, name: 'Cara', pairs: 1, adherence: 0.5, meetings: 4 },
    ]);

    // The 12 weeks up to the week of 2025-03-02 (Monday 2025-02-24), counting p4's and p5's meetings too
    expect(d.meetingsPerWeek).toEqual(
      [
        ['2024-12-09', 0], ['2024-12-16', 0], ['2024-12-23', 0], ['2024-12-30', 1], ['2025-01-06', 5], ['2025-01-13', 2],
        ['2025-01-20', 2], ['2025-01-27', 2], ['2025-02-03', 1], ['2025-02-10', 1], ['2025-02-17', 1], ['2025-02-24', 3],
      ].map(([weekStart, count]) => ({ weekStart, count })),
    );
  });

  it('judges "now" by the end of a past range, and by the clock for a range reaching into the future', async () => {
    const org = await seedEngagementOrg();
    // Until 2025-01-26 only p1..p6 meetings up to then count; p3 (started 2025-02-10) is not yet a pair.
    const d = await getDashboard(env.DB, dashboardWindow(org.orgId, { from: '2025-01-06', to: '2025-01-26' }));
    expect(d.asOf).toBe('2025-01-26');
    expect(d.meetingsHeld).toBe(5 + 2 + 2); // weeks of 01-06, 01-13, 01-20
    expect(d.atRiskPairs.map((p) => p.pairId)).not.toContain(org.pairs.p3);
    // 21 days: weekly k0..k2 (p1 3/3, p5 1/2, p6 2/3), biweekly k0 (p2 1/1) → 7 / 9
    expect(d.cadenceAdherence.overall).toBe(0.7778);

    const future = dashboardWindow(org.orgId, { from: '2025-01-06', to: '2999-01-01' }, Date.parse('2025-03-03T00:00:00.000Z'));
    expect(future.asOf).toBe('2025-03-02');
    expect(future.asOfTs).toBe('2025-03-03T00:00:00.000Z');
  });

  it('counts goals from the pairs\' rollups for a range reaching today exactly as from the goals themselves', async () => {
    const org = await seedEngagementOrg();
    await seedEngagementOrg('Other ');
    const today = new Date().toISOString().slice(0, 10);
    const w = dashboardWindow(org.orgId, { from: '2024-12-01', to: today });
    expect(w.asOfTs < w.toTs).toBe(true); // so getDashboard takes the goal summary from pair_rollups
    const d = Dashboard.parse(await getDashboard(env.DB, w));
    // the other way: the goals statement, which counts the goals of the organisation one by one
    const q = dashboardQueries(w).goals;
    const raw = await env.DB.prepare(q.sql).bind(...q.params).first<{ total: number; completed: number; overdue: number; on_track: number; buckets: string }>();
    expect(d.goals).toEqual({ onTrack: raw?.on_track, completed: raw?.completed, overdue: raw?.overdue, total: raw?.total });
    expect(d.goalProgressDistribution.map((b) => b.count)).toEqual(JSON.parse(raw?.buckets ?? '[]'));
    // g1, g3, g7 active (g3 and g7 due before today: overdue now), g2 completed, g4 paused; g5 dropped, g6 counted now
    expect(d.goals.total).toBe(6);
    expect(d.goals.overdue).toBeGreaterThan(0);
  });

  it('answers an empty organisation with zeros and nulls, not errors', async () => {
    const org = await seedEngagementOrg();
    const empty = crypto.randomUUID();
    const d = Dashboard.parse(await getDashboard(env.DB, dashboardWindow(empty, RANGE)));
    expect(org.orgId).not.toBe(empty);
    expect(d.activePairs).toBe(0);
    expect(d.meetingsHeld).toBe(0);
    expect(d.cadenceAdherence).toMatchObject({ overall: null, pairsEvaluated: 0, pairsFullyAdherent: 0 });
    expect(d.cadenceAdherence.series.every((s) => s.expected === 0 && s.share === null)).toBe(true);
    expect(d.medianDaysBetweenCheckIns).toBeNull();
    expect(d.averageRating).toBeNull();
    expect(d.goals).toEqual({ onTrack: 0, completed: 0, overdue: 0, total: 0 });
    expect(d.atRiskPairs).toEqual([]);
    expect(d.atRiskTotal).toBe(0);
    expect(d.consistentMentors).toEqual([]);
    expect(d.meetingsPerWeek).toHaveLength(12);
  });

  it('exports per-pair engagement with the same periods as the dashboard', async () => {
    const org = await seedEngagementOrg();
    await seedEngagementOrg('Other ');
    const rows = await listEngagementExport(env.DB, dashboardWindow(org.orgId, RANGE));
    const byPair = new Map(rows.map((r) => [r.pair_id, r]));
    expect(rows).toHaveLength(6);
    expect(byPair.get(org.pairs.p1 as string)).toMatchObject({ meetings: 8, expected_periods: 8, met_periods: 8, ratings: 2, average_rating: 3, active_goals: 1, completed_goals: 1 });
    expect(byPair.get(org.pairs.p2 as string)).toMatchObject({ meetings: 3, expected_periods: 4, met_periods: 3, ratings: 6, average_rating: 4.17 });
    expect(byPair.get(org.pairs.p3 as string)).toMatchObject({ meetings: 0, expected_periods: 3, met_periods: 0, last_meeting_at: null });
    expect(byPair.get(org.pairs.p4 as string)).toMatchObject({ status: 'paused', meetings: 1, expected_periods: 0, met_periods: 0 });
    expect(byPair.get(org.pairs.p5 as string)).toMatchObject({ status: 'ended', expected_periods: 2, met_periods: 1 });
    expect(byPair.get(org.pairs.p6 as string)).toMatchObject({ expected_periods: 8, met_periods: 4 });
    expect(rows.every((r) => !r.mentor_name.startsWith('Other'))).toBe(true);
  });

  it("exports the meeting figures a reading of each pair's raw meetings gives, over ranges of every shape", async () => {
    const org = await seedEngagementOrg();
    await seedEngagementOrg('Other ');
    // Meetings on the edges: the first instant of RANGE (in it) and the first instant after it (not), and two at the
    // same instant (counted twice, one period).
    const at = (p: string, startedAt: string) =>
      env.DB.prepare(
        `INSERT INTO meetings (id, pair_id, org_id, platform, meeting_code, started_at, ended_at, source, created_by, created_at, updated_at)
         VALUES (?, ?, ?, 'other', NULL, ?, ?, 'manual', ?, ?, ?)`,
      ).bind(uuid(), org.pairs[p], org.orgId, startedAt, startedAt, org.users.bob, startedAt, startedAt);
    await env.DB.batch([
      at('p2', '2025-01-06T00:00:00.000Z'),
      at('p2', '2025-03-03T00:00:00.000Z'),
      at('p6', '2025-02-12T08:00:00.000Z'),
      at('p6', '2025-02-12T08:00:00.000Z'),
      at('p3', '2025-03-20T12:00:00.000Z'),
    ]);
    // The cadence periods and the meetings in SQL, from the raw rows (meetings_pair): no rollup, no dashboard-pairs.ts.
    const raw = `
      WITH pk AS (
        SELECT p.id, p.mentor_id, p.mentee_id, c,
               CASE WHEN p.status = 'paused' OR p.started_on > ?3 THEN 0 WHEN s_off <= 0 THEN 0 ELSE (s_off + c - 1) / c END AS k_start,
               CASE WHEN p.status = 'paused' OR p.started_on > ?3 THEN 0
                    ELSE MIN(CAST(?4 AS INTEGER) / c, CASE WHEN p.ended_on IS NULL THEN 1000000
                                                           ELSE (CAST(julianday(p.ended_on) - julianday(?2) AS INTEGER) + 1) / c END) END AS k_end
          FROM (SELECT p.*, CASE p.cadence WHEN 'weekly' THEN 7 WHEN 'biweekly' THEN 14 ELSE 30 END AS c,
                       CAST(julianday(p.started_on) - julianday(?2) AS INTEGER) AS s_off
                  FROM pairs p WHERE p.org_id = ?1) p
      )
      SELECT pk.id AS pair_id,
             (SELECT COUNT(*) FROM meetings m WHERE m.pair_id = pk.id AND m.started_at >= ?5 AND m.started_at < ?6) AS meetings,
             (SELECT MAX(m.started_at) FROM meetings m WHERE m.pair_id = pk.id AND m.started_at < ?6) AS last_meeting_at,
             MAX(k_end - k_start, 0) AS expected_periods,
             (SELECT COUNT(DISTINCT k) FROM (SELECT CAST(julianday(substr(m.started_at, 1, 10)) - julianday(?2) AS INTEGER) / pk.c AS k
                                               FROM meetings m WHERE m.pair_id = pk.id AND m.started_at >= ?5 AND m.started_at < ?6)
               WHERE k >= pk.k_start AND k < pk.k_end) AS met_periods
        FROM pk JOIN users mr ON mr.id = pk.mentor_id JOIN users me ON me.id = pk.mentee_id
       ORDER BY mr.name, me.name, pk.id`;
    const ranges = [
      RANGE,
      { from: '2025-01-06', to: '2025-01-26' }, // in the past: p3 not started, later meetings after the range
      { from: '2025-01-20', to: '2025-02-16' }, // p5 ended before it; p4's last meeting before it
      { from: '2025-02-11', to: '2025-03-12' }, // starts mid-week: partial periods, p3 starting inside
      { from: '2024-11-01', to: '2025-04-30' }, // every meeting, monthly-length periods for all
      { from: '2025-03-03', to: '2025-03-03' }, // one day
      { from: '2026-01-01', to: '2026-03-31' }, // after every meeting
    ];
    let figures = 0;
    for (const range of ranges) {
      const w = dashboardWindow(org.orgId, range);
      const expected = (await env.DB.prepare(raw).bind(w.orgId, w.from, w.to, w.rangeDays, w.fromTs, w.toTs).all()).results;
      const rows = await listEngagementExport(env.DB, w);
      const got = rows.map(({ pair_id, meetings, last_meeting_at, expected_periods, met_periods }) => ({ pair_id, meetings, last_meeting_at, expected_periods, met_periods }));
      expect(got, `${range.from} … ${range.to}`).toEqual(expected);
      figures += rows.reduce((n, r) => n + r.meetings + r.met_periods, 0);
    }
    expect(figures).toBeGreaterThan(0);
  });
});

describe('dashboard query plans', () => {
  // Rows read are billed as rows scanned: every dashboard statement must reach meetings, feedback, goals, goal
  // revisions and pairs through an index (SEARCH …), never a full SCAN of the table or of an index.
  const BIG_TABLES = ['meetings', 'feedback', 'entries', 'goals', 'goal_revisions', 'pairs', 'users'];

  const queries = (w: ReturnType<typeof dashboardWindow>) => ({ ...dashboardQueries(w), engagementExport: engagementExportQuery(w) });

  it.each(Object.keys(queries(dashboardWindow('x', RANGE))))('%s uses indexes only', async (name) => {
    const org = await seedEngagementOrg();
    const q = queries(dashboardWindow(org.orgId, RANGE))[name as keyof ReturnType<typeof queries>];
    expect(q.params.length).toBeLessThan(100);
    const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).bind(...q.params).all<{ detail: string }>();
    const plan = results.map((r) => r.detail);
    // Aliases used in the SQL for those tables
    const scans = plan.filter((line) => /^SCAN (\w+)/.test(line) && [...BIG_TABLES, 'm', 'f', 'g', 'r', 'p', 'u', 'mr', 'me'].includes(/^SCAN (\w+)/.exec(line)?.[1] ?? ''));
    expect(scans, plan.join('\n')).toEqual([]);
    expect(plan.some((line) => line.startsWith('SEARCH')), plan.join('\n')).toBe(true);
  });
});
