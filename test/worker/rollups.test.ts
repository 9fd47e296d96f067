/**
 * The rollups (worker/migrations/0011_rollups.sql) never drift from the raw rows (issue 11): random sequences of writes
 * through the real API on a fresh programme (meetings started, ended and logged by hand, feedback, entries created
 * at past times, edited and deleted, goals and their progress, an erased person's private notes, a retention purge),
 * then every rollup row of the organisation is compared with a GROUP BY over meetings, feedback, entries, goals and
 * goal revisions.
 */
import { env } from 'cloudflare:workers';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type Programme, call, createGoalViaApi, db, expectJson, seedProgramme, uuid } from './helpers.ts';
import { progressBucket } from '../../shared/domain/engagement.ts';

const DAY_MS = 86_400_000;
const KINDS = ['note', 'action', 'decision', 'question'] as const;

type Who = 'mentor' | 'mentee';
type Command =
  | { type: 'manualMeeting'; who: Who; daysAgo: number; hour: number; minutes: number }
  | { type: 'startMeeting'; who: Who; code: number; end: boolean }
  | { type: 'feedback'; who: Who; meeting: number; rating: number }
  | { type: 'entry'; who: Who; kind: (typeof KINDS)[number]; visibility: 'shared' | 'private'; daysAgo: number; minute: number }
  | { type: 'editEntry'; entry: number; visibility: 'shared' | 'private' }
  | { type: 'deleteEntry'; entry: number }
  | { type: 'goal'; progress: number; dueInDays: number | null }
  | { type: 'goalProgress'; goal: number; progress: number; status: 'active' | 'completed' | 'paused' | 'dropped' };

const who = fc.constantFrom<Who>('mentor', 'mentee');
const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ type: fc.constant('manualMeeting' as const), who, daysAgo: fc.integer({ min: 0, max: 120 }), hour: fc.integer({ min: 0, max: 23 }), minutes: fc.integer({ min: 5, max: 90 }) }),
  fc.record({ type: fc.constant('startMeeting' as const), who, code: fc.integer({ min: 0, max: 2 }), end: fc.boolean() }),
  fc.record({ type: fc.constant('feedback' as const), who, meeting: fc.nat(), rating: fc.integer({ min: 1, max: 5 }) }),
  fc.record({
    type: fc.constant('entry' as const),
    who,
    kind: fc.constantFrom(...KINDS),
    visibility: fc.constantFrom('shared' as const, 'private' as const),
    daysAgo: fc.integer({ min: 0, max: 60 }),
    minute: fc.integer({ min: 0, max: 1439 }),
  }),
  fc.record({ type: fc.constant('editEntry' as const), entry: fc.nat(), visibility: fc.constantFrom('shared' as const, 'private' as const) }),
  fc.record({ type: fc.constant('deleteEntry' as const), entry: fc.nat() }),
  fc.record({ type: fc.constant('goal' as const), progress: fc.integer({ min: 0, max: 100 }), dueInDays: fc.option(fc.integer({ min: -60, max: 60 })) }),
  fc.record({
    type: fc.constant('goalProgress' as const),
    goal: fc.nat(),
    progress: fc.integer({ min: 0, max: 100 }),
    status: fc.constantFrom('active' as const, 'completed' as const, 'paused' as const, 'dropped' as const),
  }),
);

const Ok = z.object({ meeting: z.object({ id: z.string() }) });
const EntryBody = z.object({ entry: z.object({ id: z.string(), version: z.number(), authorId: z.string() }) });
const GoalBody = z.object({ goal: z.object({ id: z.string(), version: z.number() }) });

interface State {
  meetings: string[];
  entries: { id: string; version: number; who: Who }[];
  goals: { id: string; version: number }[];
}

const ago = (days: number, minute: number) => new Date(Date.now() - days * DAY_MS - minute * 60_000).toISOString();

async function run(p: Programme, s: State, c: Command): Promise<void> {
  const token = (w: Who) => p[w].token;
  switch (c.type) {
    case 'manualMeeting': {
      const startedAt = new Date(Date.now() - c.daysAgo * DAY_MS - (c.hour + 2) * 3_600_000).toISOString();
      const endedAt = new Date(Date.parse(startedAt) + c.minutes * 60_000).toISOString();
      const id = uuid();
      await expectJson(await call('POST', '/api/v1/meetings', { token: token(c.who), body: { id, pairId: p.pairId, startedAt, endedAt } }), 201);
      s.meetings.push(id);
      return;
    }
    case 'startMeeting': {
      // The same code twice joins the running meeting (no new row); a new code starts another.
      const res = await call('POST', '/api/v1/meetings/start', {
        token: token(c.who),
        body: { id: uuid(), pairId: p.pairId, platform: 'meet', meetingCode: `abc-defg-hi${c.code}` },
      });
      const { meeting } = Ok.parse(await expectJson(res, 200));
      if (!s.meetings.includes(meeting.id)) s.meetings.push(meeting.id);
      if (c.end) await expectJson(await call('POST', `/api/v1/meetings/${meeting.id}/end`, { token: token(c.who), body: { reason: 'left' } }), 200);
      return;
    }
    case 'feedback': {
      if (!s.meetings.length) return;
      const meetingId = s.meetings[c.meeting % s.meetings.length] as string;
      const res = await call('POST', '/api/v1/feedback', { token: token(c.who), body: { id: uuid(), meetingId, rating: c.rating, comment: 'ok' } });
      // 201, or 409 when this person already rated this meeting (nothing written)
      expect([201, 409], await res.clone().text()).toContain(res.status);
      return;
    }
    case 'entry': {
      const id = uuid();
      const res = await call('POST', '/api/v1/entries', {
        token: token(c.who),
        body: { id, pairId: p.pairId, kind: c.kind, visibility: c.visibility, body: `Entry ${id.slice(0, 6)}`, createdAt: ago(c.daysAgo, c.minute) },
      });
      const { entry } = EntryBody.parse(await expectJson(res, 201));
      s.entries.push({ id: entry.id, version: entry.version, who: c.who });
      return;
    }
    case 'editEntry': {
      const e = s.entries[c.entry % Math.max(1, s.entries.length)];
      if (!e) return;
      const res = await call('PATCH', `/api/v1/entries/${e.id}`, { token: token(e.who), body: { version: e.version, visibility: c.visibility } });
      if (res.status === 200) e.version = EntryBody.parse(await res.json()).entry.version;
      else expect([404, 409], await res.clone().text()).toContain(res.status); // deleted already, or shared made private
      return;
    }
    case 'deleteEntry': {
      const e = s.entries[c.entry % Math.max(1, s.entries.length)];
      if (!e) return;
      const res = await call('DELETE', `/api/v1/entries/${e.id}?version=${e.version}`, { token: token(e.who) });
      expect([200, 404], await res.clone().text()).toContain(res.status);
      if (res.status === 200) e.version = EntryBody.parse(await res.json()).entry.version;
      return;
    }
    case 'goal': {
      const dueOn = c.dueInDays === null ? null : new Date(Date.now() + c.dueInDays * 86_400_000).toISOString().slice(0, 10);
      const goal = await createGoalViaApi(p, { progress: c.progress, dueOn });
      s.goals.push({ id: goal.id, version: goal.version });
      return;
    }
    case 'goalProgress': {
      const g = s.goals[c.goal % Math.max(1, s.goals.length)];
      if (!g) return;
      const res = await call('PATCH', `/api/v1/goals/${g.id}`, { token: p.mentor.token, body: { version: g.version, progress: c.progress, status: c.status } });
      expect([200, 409], await res.clone().text()).toContain(res.status);
      if (res.status === 200) g.version = GoalBody.parse(await res.json()).goal.version;
      return;
    }
  }
}

// ---- the raw-row computation, written independently of the migration's backfill ----------------------------

const MONDAY = (col: string) => `date(${col}, '-' || ((CAST(strftime('%w', ${col}) AS INTEGER) + 6) % 7) || ' days')`;

async function all<T>(sql: string, ...params: unknown[]): Promise<T[]> {
  return (await db().prepare(sql).bind(...params).all<T>()).results;
}

async function expectRollupsMatchRawRows(orgId: string): Promise<void> {
  // per organisation and day
  const orgDayRaw = await all(
    `SELECT day, SUM(m) AS meetings, SUM(rc) AS ratings_count, SUM(rs) AS ratings_sum FROM (
       SELECT substr(started_at, 1, 10) AS day, 1 AS m, 0 AS rc, 0 AS rs FROM meetings WHERE org_id = ?1
       UNION ALL SELECT substr(created_at, 1, 10), 0, 1, rating FROM feedback WHERE org_id = ?1)
     GROUP BY day ORDER BY day`,
    orgId,
  );
  const orgDay = await all(
    `SELECT day, meetings, ratings_count, ratings_sum FROM org_day_rollups
      WHERE org_id = ?1 AND (meetings OR ratings_count OR ratings_sum) ORDER BY day`,
    orgId,
  );
  expect(orgDay).toEqual(orgDayRaw);

  // per pair and week
  const weekRaw = await all(
    `SELECT pair_id, week_start, meetings, ratings_count, ratings_sum, entries_note, entries_action, entries_decision, entries_question FROM (
       SELECT pair_id, week_start, SUM(m) AS meetings, SUM(rc) AS ratings_count, SUM(rs) AS ratings_sum,
              SUM(k = 'note') AS entries_note, SUM(k = 'action') AS entries_action, SUM(k = 'decision') AS entries_decision,
              SUM(k = 'question') AS entries_question
         FROM (SELECT pair_id, ${MONDAY('started_at')} AS week_start, 1 AS m, 0 AS rc, 0 AS rs, '' AS k FROM meetings WHERE org_id = ?1
               UNION ALL SELECT pair_id, ${MONDAY('created_at')}, 0, 1, rating, '' FROM feedback WHERE org_id = ?1
               UNION ALL SELECT pair_id, ${MONDAY('created_at')}, 0, 0, 0, kind FROM entries WHERE org_id = ?1 AND deleted_at IS NULL)
        GROUP BY pair_id, week_start)
     ORDER BY pair_id, week_start`,
    orgId,
  );
  const week = await all(
    `SELECT pair_id, week_start, meetings, ratings_count, ratings_sum, entries_note, entries_action, entries_decision, entries_question
       FROM pair_week_rollups
      WHERE org_id = ?1 AND (meetings OR ratings_count OR entries_note OR entries_action OR entries_decision OR entries_question)
      ORDER BY pair_id, week_start`,
    orgId,
  );
  expect(week).toEqual(weekRaw);

  // per pair, all time (entries are counted by week only: 0015_lean_hot_writes.sql)
  const pairRaw = await all(
    `SELECT p.id AS pair_id,
            (SELECT COUNT(*) FROM meetings m WHERE m.pair_id = p.id) AS meetings,
            (SELECT MAX(started_at) FROM meetings m WHERE m.pair_id = p.id) AS last_meeting_at,
            (SELECT COUNT(*) FROM feedback f WHERE f.pair_id = p.id) AS ratings_count,
            (SELECT COALESCE(SUM(rating), 0) FROM feedback f WHERE f.pair_id = p.id) AS ratings_sum,
            (SELECT MAX(created_at) FROM feedback f WHERE f.pair_id = p.id) AS latest_rating_at,
            -- the last 8 ratings, oldest first; unknown when two share an instant (their order is not defined)
            CASE WHEN (SELECT COUNT(*) = COUNT(DISTINCT created_at) FROM feedback f WHERE f.pair_id = p.id) THEN
              (SELECT group_concat(rating, '') FROM (SELECT rating, created_at FROM (
                 SELECT rating, created_at FROM feedback f WHERE f.pair_id = p.id ORDER BY created_at DESC LIMIT 8) ORDER BY created_at)) END AS recent_ratings,
            (SELECT COUNT(*) FROM goals g WHERE g.pair_id = p.id AND g.status = 'active') AS active_goals,
            (SELECT MAX(at) FROM (SELECT created_at AS at FROM goals g WHERE g.pair_id = p.id
                                  UNION ALL SELECT created_at FROM goal_revisions r WHERE r.pair_id = p.id)) AS last_goal_change_at
       FROM pairs p WHERE p.org_id = ?1 ORDER BY p.id`,
    orgId,
  );
  const pair = await all(
    `SELECT p.id AS pair_id, COALESCE(r.meetings, 0) AS meetings, r.last_meeting_at, COALESCE(r.ratings_count, 0) AS ratings_count,
            COALESCE(r.ratings_sum, 0) AS ratings_sum,
            r.latest_rating_at, r.recent_ratings, COALESCE(r.active_goals, 0) AS active_goals, r.last_goal_change_at, t.times AS meeting_times,
            r.goals_total, r.goals_completed, r.goal_buckets, r.active_due_dates
       FROM pairs p LEFT JOIN pair_rollups r ON r.pair_id = p.id LEFT JOIN pair_meeting_times t ON t.pair_id = p.id WHERE p.org_id = ?1 ORDER BY p.id`,
    orgId,
  );
  // every meeting's start, oldest first, as milliseconds in 11 hex digits (0014_meeting_times_hex.sql), put together
  // here from the raw rows
  const starts = new Map<string, string[]>();
  for (const m of await all<{ pair_id: string; started_at: string }>('SELECT pair_id, started_at FROM meetings WHERE org_id = ?1', orgId)) {
    starts.set(m.pair_id, [...(starts.get(m.pair_id) ?? []), m.started_at]);
  }
  const meetingTimes = (pairId: string) =>
    starts
      .get(pairId)
      ?.sort()
      .map((at) => Date.parse(at).toString(16).padStart(11, '0'))
      .join('') ?? null;
  // the goal summary (0013_pair_goal_summary.sql), from the raw goals: nothing when the pair has no goal that is not dropped
  const goals = await all<{ pair_id: string; status: string; progress: number; due_on: string | null }>(
    'SELECT pair_id, status, progress, due_on FROM goals WHERE org_id = ?1',
    orgId,
  );
  const goalSummary = (pairId: string) => {
    const live = goals.filter((g) => g.pair_id === pairId && g.status !== 'dropped');
    if (!live.length) return { goals_total: null, goals_completed: null, goal_buckets: null, active_due_dates: null };
    const buckets = [0, 0, 0, 0, 0, 0];
    for (const g of live) buckets[progressBucket(g.progress)] = (buckets[progressBucket(g.progress)] ?? 0) + 1;
    const due = live.filter((g) => g.status === 'active' && g.due_on !== null).map((g) => g.due_on as string).sort();
    return {
      goals_total: live.length,
      goals_completed: live.filter((g) => g.status === 'completed').length,
      goal_buckets: JSON.stringify(buckets),
      active_due_dates: due.length ? due.join(',') : null,
    };
  };
  expect(pair).toEqual((pairRaw as { pair_id: string }[]).map((r) => ({ ...r, meeting_times: meetingTimes(r.pair_id), ...goalSummary(r.pair_id) })));
}

/**
 * The dashboard reads pair_rollups where it can and the raw rows where the rollup cannot say: make the rollup say
 * nothing (ratings of unknown order, a latest meeting and goal change after asOf) and the answer must not change.
 */
async function expectDashboardSameWithoutRollups(p: Programme): Promise<void> {
  const dashboard = async () => expectJson<Record<string, unknown>>(await call('GET', '/api/v1/admin/dashboard', { token: p.admin.token }), 200);
  const rolled = await dashboard();
  const kept = await db()
    .prepare('SELECT recent_ratings, latest_rating_at, last_meeting_at, last_goal_change_at FROM pair_rollups WHERE pair_id = ?')
    .bind(p.pairId)
    .first<Record<string, string | null>>();
  await db()
    .prepare(
      `UPDATE pair_rollups SET recent_ratings = NULL, latest_rating_at = COALESCE(latest_rating_at, '9999'),
              last_meeting_at = '9999', last_goal_change_at = '9999' WHERE pair_id = ?`,
    )
    .bind(p.pairId)
    .run();
  expect(await dashboard()).toEqual(rolled);
  if (kept) {
    await db()
      .prepare('UPDATE pair_rollups SET recent_ratings = ?2, latest_rating_at = ?3, last_meeting_at = ?4, last_goal_change_at = ?5 WHERE pair_id = ?1')
      .bind(p.pairId, kept.recent_ratings, kept.latest_rating_at, kept.last_meeting_at, kept.last_goal_change_at)
      .run();
  }
}

describe('rollups', () => {
  it('equal the raw-row computation after any sequence of writes', { timeout: 60_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 30 }), fc.constantFrom('none', 'erase-private', 'purge'), async (commands, ending) => {
        const p = await seedProgramme();
        const s: State = { meetings: [], entries: [], goals: [] };
        for (const c of commands) await run(p, s, c);
        await expectRollupsMatchRawRows(p.orgId);
        await expectDashboardSameWithoutRollups(p);
        // The deletions outside the routes: erasure removes a person's private notes outright, the retention purge
        // every entry of an ended pair (worker/db/erasure.ts, worker/db/retention.ts); both are plain DELETEs.
        if (ending === 'erase-private') {
          await db().prepare(`DELETE FROM entries WHERE author_id = ? AND visibility = 'private'`).bind(p.mentee.id).run();
          await expectRollupsMatchRawRows(p.orgId);
        } else if (ending === 'purge') {
          await db().prepare('DELETE FROM entries WHERE pair_id = ?').bind(p.pairId).run();
          await expectRollupsMatchRawRows(p.orgId);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('give the at-risk check the same falling ratings as the raw rows', async () => {
    const p = await seedProgramme({ startedOn: '2026-01-05' });
    const s: State = { meetings: [], entries: [], goals: [] };
    const ratings = [5, 4, 5, 5, 4, 5, 2, 3, 1, 2];
    for (const [i, rating] of ratings.entries()) {
      await run(p, s, { type: 'manualMeeting', who: 'mentor', daysAgo: 40 - i * 3, hour: 1, minutes: 30 });
      await run(p, s, { type: 'feedback', who: 'mentee', meeting: i, rating });
    }
    const before = await expectJson<{ atRiskPairs: { pairId: string; reasons: string[]; detail: string[] }[] }>(
      await call('GET', '/api/v1/admin/dashboard', { token: p.admin.token }),
      200,
    );
    // the last 4 ratings (2, 3, 1, 2: 2.0) against the 4 before them (5, 5, 4, 5: 4.75), read from the rollup
    expect(before.atRiskPairs.find((a) => a.pairId === p.pairId)?.detail).toContain('Ratings fell from 4.8 to 2.0 (last 4 against the 4 before)');
    await expectRollupsMatchRawRows(p.orgId);
    await expectDashboardSameWithoutRollups(p);
  });

  it('are backfilled by the migration from rows written before it', async () => {
    const p = await seedProgramme();
    const s: State = { meetings: [], entries: [], goals: [] };
    for (const c of [
      { type: 'manualMeeting', who: 'mentor', daysAgo: 9, hour: 3, minutes: 30 },
      { type: 'feedback', who: 'mentee', meeting: 0, rating: 4 },
      { type: 'entry', who: 'mentee', kind: 'action', visibility: 'shared', daysAgo: 2, minute: 5 },
    ] satisfies Command[]) {
      await run(p, s, c);
    }
    // Run the migration's backfill section again over the whole database: it rebuilds exactly what the triggers kept.
    const migrations = env.TEST_MIGRATIONS.filter((m) =>
      ['0011_rollups.sql', '0012_pair_meeting_times.sql', '0013_pair_goal_summary.sql', '0014_meeting_times_hex.sql'].includes(m.name),
    );
    expect(migrations).toHaveLength(4);
    const backfill = migrations
      .flatMap((m) => m.queries)
      .map((q) => q.replace(/^(\s*--[^\n]*\n)*\s*/, ''))
      .filter((q) => /^(DELETE FROM|INSERT INTO|UPDATE) ((org_day|pair_week|pair)_rollups|pair_meeting_times)/.test(q));
    expect(backfill).toHaveLength(14);
    // the goal summary is filled by 0013's backfill alone: empty it first, so the check below shows the backfill does it
    await db().prepare('UPDATE pair_rollups SET goals_total = NULL, goals_completed = NULL, goal_buckets = NULL, active_due_dates = NULL').run();
    await db().batch(backfill.map((sql) => db().prepare(sql)));
    await expectRollupsMatchRawRows(p.orgId);
  });
});
