import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Meeting } from '../../shared/schemas/index.ts';
import { MAX_OPEN_MEETING_MS, closeStaleMeetings } from '../../worker/db/meetings.ts';
import {
  PAIR_STRANGERS,
  type Programme,
  call,
  countRows,
  expectError,
  expectJson,
  minutesFromNow,
  orgSnapshot,
  seedMeetingRow,
  seedProgramme,
  seedSiblingPair,
  setPairStatusRow,
  strangerToken,
  uuid,
} from './helpers.ts';

const MEETINGS = '/api/v1/meetings';
const MeetingBody = z.object({ meeting: Meeting });

const startBody = (p: Programme, over: Record<string, unknown> = {}) => ({ id: uuid(), pairId: p.pairId, platform: 'meet', meetingCode: 'abc-defg-hij', ...over });

async function start(p: Programme, token: string, over: Record<string, unknown> = {}): Promise<Meeting> {
  return MeetingBody.parse(await expectJson(await call('POST', `${MEETINGS}/start`, { token, body: startBody(p, over) }), 200)).meeting;
}

async function end(id: string, token: string, endedAt?: string, reason?: string): Promise<Meeting> {
  const body = { ...(endedAt === undefined ? {} : { endedAt }), ...(reason === undefined ? {} : { reason }) };
  const res = await call('POST', `${MEETINGS}/${id}/end`, { token, body });
  return MeetingBody.parse(await expectJson(res, 200)).meeting;
}

const manualBody = (p: Programme, over: Record<string, unknown> = {}) => ({
  id: uuid(),
  pairId: p.pairId,
  startedAt: minutesFromNow(-24 * 60),
  endedAt: minutesFromNow(-24 * 60 + 50),
  ...over,
});

const meetingsOfPair = (p: Programme) => countRows('meetings', 'pair_id = ?', p.pairId);

/** Moves a meeting into the past, as if it had been started and ended earlier. */
async function backdate(id: string, startedMinutesAgo: number, endedMinutesAgo: number | null) {
  await env.DB.prepare('UPDATE meetings SET started_at = ?, ended_at = ? WHERE id = ?')
    .bind(minutesFromNow(-startedMinutesAgo), endedMinutesAgo === null ? null : minutesFromNow(-endedMinutesAgo), id)
    .run();
}

describe('POST /meetings/start', () => {
  it('gives both partners the same running meeting for the same call', async () => {
    const p = await seedProgramme();
    const mine = await start(p, p.mentor.token);
    const theirs = await start(p, p.mentee.token);
    expect(theirs.id).toBe(mine.id);
    expect(mine).toMatchObject({ pairId: p.pairId, platform: 'meet', meetingCode: 'abc-defg-hij', source: 'auto', endedAt: null, endReason: null, durationMinutes: null });
    expect(await meetingsOfPair(p)).toBe(1);
  });

  it('starts separate meetings for another code, another platform or another pair', async () => {
    const p = await seedProgramme();
    const sibling = await seedSiblingPair(p);
    const first = await start(p, p.mentor.token);
    const otherCode = await start(p, p.mentor.token, { meetingCode: 'xyz-abcd-efg' });
    const otherPlatform = await start(p, p.mentor.token, { platform: 'jitsi' });
    const otherPair = await start({ ...p, pairId: sibling.pairId }, sibling.mentor.token);
    expect(new Set([first.id, otherCode.id, otherPlatform.id, otherPair.id]).size).toBe(4);
    expect(await meetingsOfPair(p)).toBe(3);
  });

  it('reopens a meeting left within the rejoin grace, and starts a new one after it', async () => {
    const p = await seedProgramme();
    const first = await start(p, p.mentor.token);
    await end(first.id, p.mentor.token);
    const rejoined = await start(p, p.mentee.token);
    expect(rejoined).toMatchObject({ id: first.id, endedAt: null });

    await backdate(first.id, 80, 20);
    const next = await start(p, p.mentee.token);
    expect(next.id).not.toBe(first.id);
    expect(await meetingsOfPair(p)).toBe(2);
  });

  it('starts a new meeting when the same code was last used more than 12 hours ago', async () => {
    const p = await seedProgramme();
    const old = await start(p, p.mentor.token);
    await backdate(old.id, 13 * 60, null);
    expect((await start(p, p.mentor.token)).id).not.toBe(old.id);
  });

  it('closes a meeting left open past the bound and starts a new one when the call is joined again', async () => {
    const p = await seedProgramme();
    const crashed = await start(p, p.mentor.token);
    await backdate(crashed.id, MAX_OPEN_MEETING_MS / 60_000 + 5, null);
    const next = await start(p, p.mentee.token);
    expect(next.id).not.toBe(crashed.id);
    expect(next).toMatchObject({ endedAt: null, endReason: null });
    const { meetings } = z.object({ meetings: z.array(Meeting) }).parse(await expectJson(await call('GET', `${MEETINGS}?pairId=${p.pairId}`, { token: p.mentor.token }), 200));
    const old = meetings.find((m) => m.id === crashed.id);
    expect(old).toMatchObject({ endReason: 'timeout', durationMinutes: null });
    expect(Date.parse(old!.endedAt!) - Date.parse(old!.startedAt)).toBe(MAX_OPEN_MEETING_MS);
  });

  it('starts a call attached by hand (platform other, source manual); the partner joins the same meeting', async () => {
    const p = await seedProgramme();
    const code = 'calls.example.org/rooms/mentoring';
    const mine = await start(p, p.mentee.token, { platform: 'other', meetingCode: code, source: 'manual' });
    expect(mine).toMatchObject({ platform: 'other', meetingCode: code, source: 'manual', endedAt: null, endReason: null });
    const theirs = await start(p, p.mentor.token, { platform: 'other', meetingCode: code, source: 'manual' });
    expect(theirs.id).toBe(mine.id);
    expect(await meetingsOfPair(p)).toBe(1);
  });

  it("accepts an automatic start with platform 'other'; source defaults to auto", async () => {
    const p = await seedProgramme();
    const meeting = await start(p, p.mentor.token, { platform: 'other', meetingCode: 'video.example.net/r/42' });
    expect(meeting).toMatchObject({ platform: 'other', meetingCode: 'video.example.net/r/42', source: 'auto' });
    expect(await start(p, p.mentor.token, { platform: 'other', meetingCode: 'video.example.net/r/43', source: 'auto' })).toMatchObject({ source: 'auto' });
  });

  it('answers a retried start (same id) with that meeting, even after it ended', async () => {
    const p = await seedProgramme();
    const body = startBody(p);
    const first = MeetingBody.parse(await expectJson(await call('POST', `${MEETINGS}/start`, { token: p.mentor.token, body }), 200)).meeting;
    await backdate(first.id, 90, 30);
    const retry = MeetingBody.parse(await expectJson(await call('POST', `${MEETINGS}/start`, { token: p.mentor.token, body }), 200)).meeting;
    expect(retry).toMatchObject({ id: first.id });
    expect(retry.endedAt).not.toBeNull();
    expect(await meetingsOfPair(p)).toBe(1);
  });

  it("refuses an id that belongs to another pair's meeting or another kind of meeting with 409", async () => {
    const p = await seedProgramme();
    const sibling = await seedSiblingPair(p);
    const theirs = await start({ ...p, pairId: sibling.pairId }, sibling.mentor.token);
    await expectError(await call('POST', `${MEETINGS}/start`, { token: p.mentor.token, body: startBody(p, { id: theirs.id }) }), 409, 'conflict');
    const logged = await seedMeetingRow(p);
    await expectError(await call('POST', `${MEETINGS}/start`, { token: p.mentor.token, body: startBody(p, { id: logged, meetingCode: 'other-code' }) }), 409, 'conflict');
    expect(await meetingsOfPair(p)).toBe(1);
  });

  const invalid: [string, Record<string, unknown>][] = [
    ['an unknown platform', { platform: 'skype' }],
    ['an unknown source', { source: 'robot' }],
    ['a source that is not a string', { source: 1 }],
    ['a blank meeting code', { meetingCode: '   ' }],
    ['a meeting code over 200 characters', { meetingCode: 'c'.repeat(201) }],
    ['an id that is not a UUID', { id: 'meeting-1' }],
    ['a pairId that is not a UUID', { pairId: 'pair' }],
    ['no meeting code', { meetingCode: undefined }],
  ];
  it.each(invalid)('refuses %s with 400, writing nothing', async (_, over) => {
    const p = await seedProgramme();
    const envelope = await expectError(await call('POST', `${MEETINGS}/start`, { token: p.mentor.token, body: startBody(p, over) }), 400, 'invalid_input');
    expect(envelope.error.issues?.length).toBeGreaterThan(0);
    expect(await meetingsOfPair(p)).toBe(0);
  });

  it.each(PAIR_STRANGERS)('answers $who with $status, writing nothing', async ({ who, status, code }) => {
    const p = await seedProgramme();
    await expectError(await call('POST', `${MEETINGS}/start`, { token: await strangerToken(p, who), body: startBody(p) }), status, code);
    expect(await meetingsOfPair(p)).toBe(0);
  });

  it('refuses to start a meeting in an ended pair with 409', async () => {
    const p = await seedProgramme();
    await setPairStatusRow(p.pairId, 'ended');
    await expectError(await call('POST', `${MEETINGS}/start`, { token: p.mentor.token, body: startBody(p) }), 409, 'conflict');
    expect(await meetingsOfPair(p)).toBe(0);
  });
});

describe('POST /meetings/:id/end', () => {
  it('logs the end and the duration; when both partners leave, the later time wins', async () => {
    const p = await seedProgramme();
    const meeting = await start(p, p.mentor.token);
    await backdate(meeting.id, 60, null);
    const afterMentee = await end(meeting.id, p.mentee.token, minutesFromNow(-5));
    expect(afterMentee.durationMinutes).toBe(55);
    const afterMentor = await end(meeting.id, p.mentor.token, minutesFromNow(-15));
    expect(afterMentor.endedAt).toBe(afterMentee.endedAt);
    expect(afterMentor.durationMinutes).toBe(55);
    const later = await end(meeting.id, p.mentor.token);
    expect(later.durationMinutes).toBe(60);
  });

  it("stores the end's reason; when both partners leave, the later end's reason wins", async () => {
    const p = await seedProgramme();
    const meeting = await start(p, p.mentor.token);
    await backdate(meeting.id, 60, null);
    expect(await end(meeting.id, p.mentee.token, minutesFromNow(-5), 'left')).toMatchObject({ endReason: 'left', durationMinutes: 55 });
    expect(await end(meeting.id, p.mentor.token, minutesFromNow(-15), 'ended')).toMatchObject({ endReason: 'left', durationMinutes: 55 });
    expect(await end(meeting.id, p.mentor.token, undefined, 'page-closed')).toMatchObject({ endReason: 'page-closed', durationMinutes: 60 });
    expect(await end(meeting.id, p.mentee.token, undefined, 'manual')).toMatchObject({ endReason: 'manual' });
    // An end without a reason (a client from before reasons) says nothing about why: the reason is unknown.
    expect(await end(meeting.id, p.mentee.token)).toMatchObject({ endReason: null });
  });

  it('lets a reported end replace a timeout close, even an end earlier than the bound', async () => {
    const p = await seedProgramme();
    const meeting = await start(p, p.mentor.token);
    await backdate(meeting.id, 5 * 60, null);
    await closeStaleMeetings(env.DB);
    const late = await end(meeting.id, p.mentee.token, minutesFromNow(-5 * 60 + 40), 'left');
    expect(late).toMatchObject({ endReason: 'left', durationMinutes: 40 });
  });

  it('never moves the end before the start', async () => {
    const p = await seedProgramme();
    const meeting = await start(p, p.mentor.token);
    const ended = await end(meeting.id, p.mentor.token, '2001-01-01T00:00:00.000Z');
    expect(ended.endedAt).toBe(meeting.startedAt);
    expect(ended.durationMinutes).toBe(0);
  });

  it('compares times, not strings: an end without milliseconds just before the start is the start', async () => {
    const p = await seedProgramme();
    const meeting = await start(p, p.mentor.token);
    await env.DB.prepare('UPDATE meetings SET started_at = ? WHERE id = ?').bind('2026-01-05T10:00:00.900Z', meeting.id).run();
    const ended = await end(meeting.id, p.mentor.token, '2026-01-05T10:00:00Z');
    expect(Date.parse(ended.endedAt!)).toBeGreaterThanOrEqual(Date.parse(ended.startedAt));
    const later = await end(meeting.id, p.mentee.token, '2026-01-05T10:30:00Z');
    expect(later.endedAt).toBe('2026-01-05T10:30:00.000Z');
    expect(later.durationMinutes).toBe(30);
  });

  it('clamps an end a little in the future to now, and refuses one far in the future', async () => {
    const p = await seedProgramme();
    const meeting = await start(p, p.mentor.token);
    const ended = await end(meeting.id, p.mentor.token, minutesFromNow(2));
    expect(Date.parse(ended.endedAt!)).toBeLessThanOrEqual(Date.now());
    const before = await orgSnapshot(p.orgId);
    const envelope = await expectError(
      await call('POST', `${MEETINGS}/${meeting.id}/end`, { token: p.mentor.token, body: { endedAt: minutesFromNow(60) } }),
      400,
      'invalid_input',
    );
    expect(envelope.error.issues?.[0]?.path).toEqual(['endedAt']);
    expect(await orgSnapshot(p.orgId)).toEqual(before);
  });

  it.each([
    ['an endedAt that is not a time', { endedAt: 'now' }],
    ['an endedAt with an offset', { endedAt: '2026-01-01T10:00:00+02:00' }],
    ['an endedAt that is a number', { endedAt: 1_700_000_000_000 }],
    ["the reason 'timeout' (only the server sets it)", { reason: 'timeout' }],
    ['an unknown reason', { reason: 'crashed' }],
    ['a reason that is not a string', { reason: 3 }],
    ['a valid time with an unknown reason', { endedAt: new Date().toISOString(), reason: 'LEFT' }],
  ])('refuses %s with 400, changing nothing', async (_, body) => {
    const p = await seedProgramme();
    const meeting = await start(p, p.mentor.token);
    const before = await orgSnapshot(p.orgId);
    const envelope = await expectError(await call('POST', `${MEETINGS}/${meeting.id}/end`, { token: p.mentor.token, body }), 400, 'invalid_input');
    expect(envelope.error.issues?.length).toBeGreaterThan(0);
    expect(await orgSnapshot(p.orgId)).toEqual(before);
  });

  it('answers 400 for an id that is not a UUID and 404 for an unknown meeting', async () => {
    const p = await seedProgramme();
    await expectError(await call('POST', `${MEETINGS}/xyz/end`, { token: p.mentor.token, body: {} }), 400, 'invalid_input');
    await expectError(await call('POST', `${MEETINGS}/${uuid()}/end`, { token: p.mentor.token, body: {} }), 404, 'not_found');
  });

  it.each(PAIR_STRANGERS)('answers $who with $status, changing nothing', async ({ who, status, code }) => {
    const p = await seedProgramme();
    const meeting = await start(p, p.mentor.token);
    const token = await strangerToken(p, who);
    const before = await orgSnapshot(p.orgId);
    await expectError(await call('POST', `${MEETINGS}/${meeting.id}/end`, { token, body: {} }), status, code);
    expect(await orgSnapshot(p.orgId)).toEqual(before);
  });

  it('refuses to end a meeting of an ended pair with 409', async () => {
    const p = await seedProgramme();
    const meeting = await start(p, p.mentor.token);
    await setPairStatusRow(p.pairId, 'ended');
    const before = await orgSnapshot(p.orgId);
    await expectError(await call('POST', `${MEETINGS}/${meeting.id}/end`, { token: p.mentor.token, body: {} }), 409, 'conflict');
    expect(await orgSnapshot(p.orgId)).toEqual(before);
  });
});

describe('POST /meetings (logged by hand)', () => {
  it('logs a meeting held elsewhere with its duration', async () => {
    const p = await seedProgramme();
    const body = manualBody(p, { startedAt: '2026-01-05T10:00:00Z', endedAt: '2026-01-05T10:45:00.000Z' });
    const { meeting } = MeetingBody.parse(await expectJson(await call('POST', MEETINGS, { token: p.mentee.token, body }), 201));
    expect(meeting).toEqual({
      id: body.id,
      pairId: p.pairId,
      platform: 'other',
      meetingCode: null,
      startedAt: '2026-01-05T10:00:00.000Z',
      endedAt: '2026-01-05T10:45:00.000Z',
      source: 'manual',
      endReason: 'manual',
      durationMinutes: 45,
    });
    expect(await meetingsOfPair(p)).toBe(1);
  });

  it('answers a retry with the same id with the stored meeting (200), not a second row', async () => {
    const p = await seedProgramme();
    const body = manualBody(p);
    const first = await expectJson(await call('POST', MEETINGS, { token: p.mentor.token, body }), 201);
    expect(await expectJson(await call('POST', MEETINGS, { token: p.mentee.token, body }), 200)).toEqual(first);
    expect(await meetingsOfPair(p)).toBe(1);
  });

  it("refuses an id of another pair's meeting with 409", async () => {
    const p = await seedProgramme();
    const sibling = await seedSiblingPair(p);
    const theirs = await start({ ...p, pairId: sibling.pairId }, sibling.mentor.token);
    await expectError(await call('POST', MEETINGS, { token: p.mentor.token, body: manualBody(p, { id: theirs.id }) }), 409, 'conflict');
    expect(await meetingsOfPair(p)).toBe(0);
  });

  const invalid: [string, Record<string, unknown>][] = [
    ['an end before the start', { startedAt: '2026-01-05T10:00:00.000Z', endedAt: '2026-01-05T09:00:00.000Z' }],
    ['an end equal to the start', { startedAt: '2026-01-05T10:00:00.000Z', endedAt: '2026-01-05T10:00:00.000Z' }],
    ['an end equal to the start, written differently', { startedAt: '2026-01-05T10:00:00.000Z', endedAt: '2026-01-05T10:00:00Z' }],
    ['an end in the future', { startedAt: minutesFromNow(-30), endedAt: minutesFromNow(60) }],
    ['a start that is not a time', { startedAt: 'yesterday' }],
    ['no end', { endedAt: undefined }],
    ['an id that is not a UUID', { id: '42' }],
  ];
  it.each(invalid)('refuses %s with 400, writing nothing', async (_, over) => {
    const p = await seedProgramme();
    const envelope = await expectError(await call('POST', MEETINGS, { token: p.mentor.token, body: manualBody(p, over) }), 400, 'invalid_input');
    expect(envelope.error.issues?.length).toBeGreaterThan(0);
    expect(await meetingsOfPair(p)).toBe(0);
  });

  it.each(PAIR_STRANGERS)('answers $who with $status, writing nothing', async ({ who, status, code }) => {
    const p = await seedProgramme();
    await expectError(await call('POST', MEETINGS, { token: await strangerToken(p, who), body: manualBody(p) }), status, code);
    expect(await meetingsOfPair(p)).toBe(0);
  });

  it('refuses to log a meeting in an ended pair with 409', async () => {
    const p = await seedProgramme();
    await setPairStatusRow(p.pairId, 'ended');
    await expectError(await call('POST', MEETINGS, { token: p.mentor.token, body: manualBody(p) }), 409, 'conflict');
    expect(await meetingsOfPair(p)).toBe(0);
  });
});

describe('GET /meetings', () => {
  it("lists the pair's meetings, newest first, to both partners", async () => {
    const p = await seedProgramme();
    const older = await seedMeetingRow(p, { startedAt: minutesFromNow(-3 * 24 * 60) });
    const running = await start(p, p.mentor.token);
    const logged = MeetingBody.parse(await expectJson(await call('POST', MEETINGS, { token: p.mentor.token, body: manualBody(p) }), 201)).meeting;
    for (const token of [p.mentor.token, p.mentee.token]) {
      const { meetings } = z.object({ meetings: z.array(Meeting) }).parse(await expectJson(await call('GET', `${MEETINGS}?pairId=${p.pairId}`, { token }), 200));
      expect(meetings.map((m) => m.id)).toEqual([running.id, logged.id, older]);
    }
  });

  it('answers 400 without a valid pairId', async () => {
    const p = await seedProgramme();
    await expectError(await call('GET', MEETINGS, { token: p.mentor.token }), 400, 'invalid_input');
    await expectError(await call('GET', `${MEETINGS}?pairId=nope`, { token: p.mentor.token }), 400, 'invalid_input');
  });

  it.each(PAIR_STRANGERS)('answers $who with $status and no meetings', async ({ who, status, code }) => {
    const p = await seedProgramme();
    const meeting = await start(p, p.mentor.token);
    const envelope = await expectError(await call('GET', `${MEETINGS}?pairId=${p.pairId}`, { token: await strangerToken(p, who) }), status, code);
    expect(JSON.stringify(envelope)).not.toContain(meeting.id);
  });
});
