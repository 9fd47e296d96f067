import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CallContext, Feedback, Meeting } from '../../shared/schemas/index.ts';
import type { NewFeedback } from '../../shared/schemas/index.ts';
import {
  PAIR_STRANGERS,
  type Programme,
  call,
  countRows,
  expectError,
  expectJson,
  minutesFromNow,
  seedMeetingRow,
  seedProgramme,
  seedSiblingPair,
  setPairStatusRow,
  strangerToken,
  uuid,
} from './helpers.ts';

const FEEDBACK = '/api/v1/feedback';
const FeedbackBody = z.object({ feedback: Feedback });
const FeedbackList = z.object({ feedback: z.array(Feedback), pending: z.array(Meeting) });

const newFeedback = (meetingId: string, over: Partial<NewFeedback> = {}): NewFeedback => ({ id: uuid(), meetingId, rating: 4, comment: 'Useful session', ...over });

async function give(token: string, body: NewFeedback): Promise<Feedback> {
  return FeedbackBody.parse(await expectJson(await call('POST', FEEDBACK, { token, body }), 201)).feedback;
}

async function listFeedback(p: Programme, token: string) {
  return FeedbackList.parse(await expectJson(await call('GET', `${FEEDBACK}?pairId=${p.pairId}`, { token }), 200));
}

const feedbackOfPair = (p: Programme) => countRows('feedback', 'pair_id = ?', p.pairId);

describe('POST /feedback', () => {
  it('records a rating and comment once per partner and meeting', async () => {
    const p = await seedProgramme();
    const meetingId = await seedMeetingRow(p);
    const input = newFeedback(meetingId, { rating: 5, comment: '  Great focus  ' });
    const mine = await give(p.mentee.token, input);
    expect(mine).toMatchObject({ id: input.id, meetingId, pairId: p.pairId, authorId: p.mentee.id, rating: 5, comment: 'Great focus' });
    const theirs = await give(p.mentor.token, newFeedback(meetingId, { rating: 3, comment: undefined }));
    expect(theirs).toMatchObject({ authorId: p.mentor.id, rating: 3, comment: '' });
    expect(await feedbackOfPair(p)).toBe(2);
  });

  it('answers a second feedback with a new id with 409, and a retry with the same id with the first (200)', async () => {
    const p = await seedProgramme();
    const meetingId = await seedMeetingRow(p);
    const first = await give(p.mentee.token, newFeedback(meetingId, { rating: 2 }));
    await expectError(await call('POST', FEEDBACK, { token: p.mentee.token, body: newFeedback(meetingId, { rating: 5 }) }), 409, 'conflict');
    const retry = await call('POST', FEEDBACK, { token: p.mentee.token, body: newFeedback(meetingId, { id: first.id, rating: 2 }) });
    expect(FeedbackBody.parse(await expectJson(retry, 200)).feedback).toEqual(first);
    expect(await feedbackOfPair(p)).toBe(1);
    expect(await countRows('feedback', 'id = ? AND rating = 2', first.id)).toBe(1);
  });

  it('replays a retry with the same Idempotency-Key without a second row', async () => {
    const p = await seedProgramme();
    const body = newFeedback(await seedMeetingRow(p));
    const headers = { 'idempotency-key': `feedback:${body.id}` };
    const first = await expectJson(await call('POST', FEEDBACK, { token: p.mentor.token, body, headers }), 201);
    const again = await call('POST', FEEDBACK, { token: p.mentor.token, body, headers });
    expect(await expectJson(again, 201)).toEqual(first);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await feedbackOfPair(p)).toBe(1);
  });

  it("refuses an id already used for someone else's feedback with 409", async () => {
    const p = await seedProgramme();
    const meetingId = await seedMeetingRow(p);
    const theirs = await give(p.mentor.token, newFeedback(meetingId));
    await expectError(await call('POST', FEEDBACK, { token: p.mentee.token, body: newFeedback(meetingId, { id: theirs.id }) }), 409, 'conflict');
    const sibling = await seedSiblingPair(p);
    const otherMeeting = await seedMeetingRow({ ...p, pairId: sibling.pairId, mentor: sibling.mentor });
    await expectError(await call('POST', FEEDBACK, { token: sibling.mentee.token, body: newFeedback(otherMeeting, { id: theirs.id }) }), 409, 'conflict');
    expect(await countRows('feedback', 'org_id = ?', p.orgId)).toBe(1);
  });

  const invalid: [string, Record<string, unknown>][] = [
    ['a rating of 0', { rating: 0 }],
    ['a rating of 6', { rating: 6 }],
    ['a fractional rating', { rating: 4.5 }],
    ['a rating sent as text', { rating: '5' }],
    ['no rating', { rating: undefined }],
    ['a comment over 2,000 characters', { comment: 'x'.repeat(2001) }],
    ['a meetingId that is not a UUID', { meetingId: 'last-call' }],
    ['an id that is not a UUID', { id: 'fb-1' }],
  ];
  it.each(invalid)('refuses %s with 400 and issues, writing nothing', async (_, over) => {
    const p = await seedProgramme();
    const body = { ...newFeedback(await seedMeetingRow(p)), ...over };
    const envelope = await expectError(await call('POST', FEEDBACK, { token: p.mentor.token, body }), 400, 'invalid_input');
    expect(envelope.error.issues?.length).toBeGreaterThan(0);
    expect(await feedbackOfPair(p)).toBe(0);
  });

  it('answers 404 for a meeting that does not exist', async () => {
    const p = await seedProgramme();
    await expectError(await call('POST', FEEDBACK, { token: p.mentor.token, body: newFeedback(uuid()) }), 404, 'not_found');
  });

  it.each(PAIR_STRANGERS)('answers $who with $status, writing nothing', async ({ who, status, code }) => {
    const p = await seedProgramme();
    const meetingId = await seedMeetingRow(p);
    await expectError(await call('POST', FEEDBACK, { token: await strangerToken(p, who), body: newFeedback(meetingId) }), status, code);
    expect(await feedbackOfPair(p)).toBe(0);
  });

  it('refuses feedback in an ended pair with 409', async () => {
    const p = await seedProgramme();
    const meetingId = await seedMeetingRow(p);
    await setPairStatusRow(p.pairId, 'ended');
    await expectError(await call('POST', FEEDBACK, { token: p.mentor.token, body: newFeedback(meetingId) }), 409, 'conflict');
    expect(await feedbackOfPair(p)).toBe(0);
  });
});

describe('GET /feedback', () => {
  it('lists my own feedback and the ended meetings of the last two weeks still waiting for mine', async () => {
    const p = await seedProgramme();
    const rated = await seedMeetingRow(p, { startedAt: minutesFromNow(-3 * 24 * 60) });
    const unrated = await seedMeetingRow(p, { startedAt: minutesFromNow(-24 * 60) });
    await seedMeetingRow(p, { startedAt: minutesFromNow(-20 * 24 * 60) });
    const running = await expectJson<{ meeting: Meeting }>(
      await call('POST', '/api/v1/meetings/start', { token: p.mentor.token, body: { id: uuid(), pairId: p.pairId, platform: 'zoom', meetingCode: '123456789' } }),
      200,
    );
    const mine = await give(p.mentee.token, newFeedback(rated, { comment: 'mentee says' }));
    await give(p.mentor.token, newFeedback(unrated, { comment: 'mentor says' }));

    const menteeView = await listFeedback(p, p.mentee.token);
    expect(menteeView.feedback).toEqual([mine]);
    expect(menteeView.pending.map((m) => m.id)).toEqual([unrated]);
    expect(JSON.stringify(menteeView)).not.toContain('mentor says');
    expect(JSON.stringify(menteeView)).not.toContain(running.meeting.id);

    const mentorView = await listFeedback(p, p.mentor.token);
    expect(mentorView.feedback.map((f) => f.comment)).toEqual(['mentor says']);
    expect(mentorView.pending.map((m) => m.id)).toEqual([rated]);

    // The call overlay asks for the same pending feedback.
    const context = CallContext.parse(await expectJson(await call('GET', `/api/v1/pairs/${p.pairId}/context`, { token: p.mentee.token }), 200));
    expect(context.pendingFeedback.map((m) => m.id)).toEqual([unrated]);
  });

  it('answers 400 without a valid pairId', async () => {
    const p = await seedProgramme();
    await expectError(await call('GET', FEEDBACK, { token: p.mentor.token }), 400, 'invalid_input');
    await expectError(await call('GET', `${FEEDBACK}?pairId=1`, { token: p.mentor.token }), 400, 'invalid_input');
  });

  it.each(PAIR_STRANGERS)('answers $who with $status and no feedback', async ({ who, status, code }) => {
    const p = await seedProgramme();
    await give(p.mentee.token, newFeedback(await seedMeetingRow(p), { comment: 'confidential remark' }));
    const envelope = await expectError(await call('GET', `${FEEDBACK}?pairId=${p.pairId}`, { token: await strangerToken(p, who) }), status, code);
    expect(JSON.stringify(envelope)).not.toContain('confidential');
  });
});
