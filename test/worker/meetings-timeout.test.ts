import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { Meeting } from '../../shared/schemas/index.ts';
import {
  CLOSE_STALE_MEETINGS_SQL,
  MAX_OPEN_MEETING_MS,
  closeStaleMeetings,
  closeStaleMeetingsParams,
  getMeeting,
  listPendingFeedback,
  startMeeting,
} from '../../worker/db/meetings.ts';
import worker from '../../worker/index.ts';
import { type Programme, minutesFromNow, seedProgramme, uuid } from './helpers.ts';

const BOUND_MINUTES = MAX_OPEN_MEETING_MS / 60_000;

/** A meeting row written straight to D1, started `startedMinutesAgo` ago, open unless an end is given. */
async function seedMeeting(
  p: Programme,
  startedMinutesAgo: number,
  end: { minutesAgo: number; reason: string | null } | null = null,
): Promise<{ id: string; startedAt: string }> {
  const id = uuid();
  const startedAt = minutesFromNow(-startedMinutesAgo);
  const endedAt = end ? minutesFromNow(-end.minutesAgo) : null;
  await env.DB.prepare(
    `INSERT INTO meetings (id, pair_id, org_id, platform, meeting_code, started_at, ended_at, source, end_reason, created_by, created_at, updated_at)
     VALUES (?, ?, ?, 'meet', ?, ?, ?, 'auto', ?, ?, ?, ?)`,
  )
    .bind(id, p.pairId, p.orgId, `code-${id.slice(0, 8)}`, startedAt, endedAt, end?.reason ?? null, p.mentor.id, startedAt, startedAt)
    .run();
  return { id, startedAt };
}

const meeting = async (id: string) => Meeting.parse(await getMeeting(env.DB, id));
const boundAfter = (startedAt: string) => new Date(Date.parse(startedAt) + MAX_OPEN_MEETING_MS).toISOString();

describe('closeStaleMeetings', () => {
  it('closes only meetings open past the bound, as timeouts ended at start + bound; recent and ended ones stay', async () => {
    const p = await seedProgramme();
    const stale = await seedMeeting(p, BOUND_MINUTES + 1);
    const dayOld = await seedMeeting(p, 26 * 60);
    const recent = await seedMeeting(p, BOUND_MINUTES - 1);
    const endedLongAgo = await seedMeeting(p, BOUND_MINUTES + 60, { minutesAgo: BOUND_MINUTES, reason: 'left' });
    const endedWithoutReason = await seedMeeting(p, 3 * 24 * 60, { minutesAgo: 3 * 24 * 60 - 45, reason: null });
    const before = {
      recent: await meeting(recent.id),
      endedLongAgo: await meeting(endedLongAgo.id),
      endedWithoutReason: await meeting(endedWithoutReason.id),
    };

    expect(await closeStaleMeetings(env.DB)).toBe(2);

    for (const m of [stale, dayOld]) {
      expect(await meeting(m.id)).toMatchObject({ endedAt: boundAfter(m.startedAt), endReason: 'timeout', durationMinutes: null });
    }
    expect(await meeting(recent.id)).toEqual(before.recent);
    expect(before.recent).toMatchObject({ endedAt: null, endReason: null });
    expect(await meeting(endedLongAgo.id)).toEqual(before.endedLongAgo);
    expect(await meeting(endedWithoutReason.id)).toEqual(before.endedWithoutReason);
    expect(before.endedWithoutReason).toMatchObject({ endReason: null, durationMinutes: 45 });

    // Running it again finds nothing more to do.
    expect(await closeStaleMeetings(env.DB)).toBe(0);
  });

  it('judges age at the time it is given', async () => {
    const p = await seedProgramme();
    const m = await seedMeeting(p, BOUND_MINUTES + 10);
    expect(await closeStaleMeetings(env.DB, Date.now() - 20 * 60_000)).toBe(0);
    expect(await meeting(m.id)).toMatchObject({ endedAt: null });
    expect(await closeStaleMeetings(env.DB, Date.now())).toBe(1);
    expect(await meeting(m.id)).toMatchObject({ endReason: 'timeout' });
  });

  it('reads the open meetings through the partial index, with few bound parameters', async () => {
    const params = closeStaleMeetingsParams(Date.now());
    expect(params.length).toBeLessThan(100);
    const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${CLOSE_STALE_MEETINGS_SQL}`).bind(...params).all<{ detail: string }>();
    const plan = results.map((r) => r.detail).join('\n');
    expect(plan).toContain('meetings_open_started');
    expect(plan).not.toMatch(/^SCAN meetings$/m);
  });

  it('leaves a timed-out meeting waiting for feedback: it took place, only its end went unreported', async () => {
    const p = await seedProgramme();
    const m = await seedMeeting(p, BOUND_MINUTES + 30);
    await closeStaleMeetings(env.DB);
    const pending = await listPendingFeedback(env.DB, p.pairId, p.mentee.id);
    expect(pending.map((x) => x.id)).toEqual([m.id]);
    expect(pending[0]).toMatchObject({ endReason: 'timeout', durationMinutes: null });
  });
});

describe('startMeeting and the bound', () => {
  const startArgs = (p: Programme, meetingCode: string) => ({ id: uuid(), pairId: p.pairId, orgId: p.orgId, platform: 'meet' as const, meetingCode, userId: p.mentee.id });
  const setTimes = (id: string, startedAt: string, endedAt: string | null) =>
    env.DB.prepare('UPDATE meetings SET started_at = ?, ended_at = ? WHERE id = ?').bind(startedAt, endedAt, id).run();

  it("closes the pair's meetings open past the bound as it starts, and never continues one", async () => {
    const p = await seedProgramme();
    const crashed = Meeting.parse(await startMeeting(env.DB, startArgs(p, 'aaa-bbbb-ccc')));
    const otherCall = Meeting.parse(await startMeeting(env.DB, startArgs(p, 'ddd-eeee-fff')));
    await setTimes(crashed.id, minutesFromNow(-(BOUND_MINUTES + 1)), null);
    await setTimes(otherCall.id, minutesFromNow(-(BOUND_MINUTES + 2)), null);
    const next = await startMeeting(env.DB, startArgs(p, 'aaa-bbbb-ccc'));
    expect(next?.id).not.toBe(crashed.id);
    expect(await meeting(crashed.id)).toMatchObject({ endReason: 'timeout', durationMinutes: null });
    // The sweep covers the pair, not just this call.
    expect(await meeting(otherCall.id)).toMatchObject({ endReason: 'timeout' });
  });

  it('starts afresh when a meeting begun more than the bound ago was left only moments ago', async () => {
    const p = await seedProgramme();
    const long = Meeting.parse(await startMeeting(env.DB, startArgs(p, 'aaa-bbbb-ccc')));
    await setTimes(long.id, minutesFromNow(-(BOUND_MINUTES + 10)), minutesFromNow(-2));
    const next = await startMeeting(env.DB, startArgs(p, 'aaa-bbbb-ccc'));
    expect(next).not.toBeNull();
    expect(next?.id).not.toBe(long.id);
    expect((await meeting(long.id)).endedAt).not.toBeNull();
  });
});

/** Runs the worker's scheduled export as the Cron Trigger in wrangler.toml would. */
async function runCron(scheduledTime: Date) {
  const ctx = createExecutionContext();
  await worker.scheduled?.(createScheduledController({ scheduledTime, cron: '*/15 * * * *' }), env, ctx);
  await waitOnExecutionContext(ctx);
}

describe('the scheduled handler (Cron Trigger)', () => {
  it('is exported next to fetch', () => {
    expect(typeof worker.fetch).toBe('function');
    expect(typeof worker.scheduled).toBe('function');
  });

  it('closes meetings open past the bound', async () => {
    const p = await seedProgramme();
    const stale = await seedMeeting(p, BOUND_MINUTES + 5);
    const recent = await seedMeeting(p, 30);
    await runCron(new Date());
    expect(await meeting(stale.id)).toMatchObject({ endedAt: boundAfter(stale.startedAt), endReason: 'timeout', durationMinutes: null });
    expect(await meeting(recent.id)).toMatchObject({ endedAt: null, endReason: null });
  });

  it('judges age at the scheduled time, not when it happens to run', async () => {
    const p = await seedProgramme();
    const m = await seedMeeting(p, BOUND_MINUTES + 10);
    await runCron(new Date(Date.now() - 20 * 60_000));
    expect(await meeting(m.id)).toMatchObject({ endedAt: null, endReason: null });
  });
});
