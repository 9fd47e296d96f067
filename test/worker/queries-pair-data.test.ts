import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { AgendaItem, Entry, Feedback, Meeting, parseEntryCursor } from '../../shared/schemas/index.ts';
import { deleteAgendaItem, getAgendaItem, insertAgendaItem, listAgenda, updateAgendaItem } from '../../worker/db/agenda.ts';
import {
  type NewEntryRow,
  countEntriesByKind,
  createEntry,
  entryWriteCondition,
  getEntry,
  listEntriesSince,
  listOpenActions,
  softDeleteEntry,
  updateEntry,
} from '../../worker/db/entries.ts';
import { findFeedback, insertFeedback, listOwnFeedback, listPairFeedback } from '../../worker/db/feedback.ts';
import { IN_PROGRESS, claimKeyStatements, completeIdempotencyKey, findIdempotentOutcome, releaseIdempotencyKey, reserveIdempotencyKey } from '../../worker/db/idempotency.ts';
import {
  MAX_OPEN_MEETING_MS,
  REJOIN_GRACE_MS,
  endMeeting,
  getMeeting,
  insertManualMeeting,
  listMeetingsOfPair,
  listPendingFeedback,
  startMeeting,
} from '../../worker/db/meetings.ts';
import { type Programme, minutesFromNow, seedProgramme, seedSiblingPair, uuid } from './helpers.ts';

const DB = env.DB;
const START = { shared: 0, private: 0 };
/** The staleBefore of a reservation taken now: older reservations count as left by a request that died. */
const stale = () => new Date(Date.now() - 60_000).toISOString();

function entryRow(p: Programme, over: Partial<NewEntryRow> = {}): NewEntryRow {
  return {
    id: uuid(),
    pairId: p.pairId,
    orgId: p.orgId,
    meetingId: null,
    goalId: null,
    authorId: p.mentor.id,
    kind: 'note',
    visibility: 'shared',
    body: 'a note',
    actionOwnerId: null,
    actionDueOn: null,
    createdAt: new Date().toISOString(),
    ...over,
  };
}

async function addEntry(p: Programme, over: Partial<NewEntryRow> = {}): Promise<Entry> {
  const row = entryRow(p, over);
  await createEntry(DB, row);
  return Entry.parse(await getEntry(DB, row.id));
}

const unchanged = (e: Entry) => ({ body: e.body, visibility: e.visibility, goalId: e.goalId, actionOwnerId: e.actionOwnerId, actionDueOn: e.actionDueOn, actionDoneAt: e.actionDoneAt });

describe('entries queries', () => {
  it('give every insert, edit and delete of a shared entry the next number of the pair’s shared stream', async () => {
    const p = await seedProgramme();
    const sibling = await seedSiblingPair(p);
    const a = await addEntry(p);
    const b = await addEntry(p);
    const other = await addEntry({ ...p, pairId: sibling.pairId }, { authorId: sibling.mentor.id });
    expect([a.seq, b.seq, other.seq]).toEqual([1, 2, 1]);

    expect(await updateEntry(DB, a.id, p.pairId, 1, { ...unchanged(a), body: 'edited' })).toMatchObject({ body: 'edited', version: 2, seq: 3 });
    expect(await getEntry(DB, a.id)).toMatchObject({ body: 'edited', version: 2, seq: 3 });
    expect(await softDeleteEntry(DB, b.id, p.pairId, 1)).toMatchObject({ body: '', deleted: true, version: 2 });
    expect(await getEntry(DB, b.id)).toMatchObject({ body: '', deleted: true, version: 2, seq: 4 });
    expect(await getEntry(DB, other.id)).toMatchObject({ seq: 1 });
    expect((await addEntry(p)).seq).toBe(5);
  });

  it('create an entry and answer with it in one call, and answer null for a taken id despite the rollup triggers', async () => {
    const p = await seedProgramme();
    const row = entryRow(p, { body: 'first' });
    const first = await createEntry(DB, row);
    expect(first).toMatchObject({ id: row.id, body: 'first', seq: 1, version: 1 });
    expect(await getEntry(DB, row.id)).toEqual(first);
    // The pair's rollups changed too (a trigger's rows): the replay still writes nothing and answers nothing.
    expect(await createEntry(DB, { ...row, body: 'replayed' })).toBeNull();
    expect(await getEntry(DB, row.id)).toEqual(first);
    expect((await createEntry(DB, entryRow(p)))?.seq).toBe(2);
  });

  it('write an entry and its Idempotency-Key together or not at all', async () => {
    const p = await seedProgramme();
    const claim = (key: string, resourceId: string, staleBefore = stale()) =>
      claimKeyStatements(DB, { userId: p.mentor.id, key, requestHash: 'h', staleBefore, status: 201, resourceType: 'entry', resourceId }, entryWriteCondition.idFree(resourceId));
    const row = entryRow(p);
    expect(await createEntry(DB, row, claim('key-together', row.id))).toMatchObject({ id: row.id, seq: 1 });
    expect(await findIdempotentOutcome(DB, p.mentor.id, 'key-together')).toMatchObject({ requestHash: 'h', status: 201, resourceType: 'entry', resourceId: row.id });

    // The key is held: a second entry with it is not written.
    const second = entryRow(p);
    expect(await createEntry(DB, second, claim('key-together', second.id))).toBeNull();
    expect(await getEntry(DB, second.id)).toBeNull();
    expect(await findIdempotentOutcome(DB, p.mentor.id, 'key-together')).toMatchObject({ resourceId: row.id });

    // The id is taken: neither the key nor the entry is written.
    expect(await createEntry(DB, { ...row, body: 'again' }, claim('key-fresh', row.id))).toBeNull();
    expect(await findIdempotentOutcome(DB, p.mentor.id, 'key-fresh')).toBeNull();
    expect(await getEntry(DB, row.id)).toMatchObject({ body: 'a note' });

    // A reservation left by a request that died is taken over; one still running is not.
    expect(await reserveIdempotencyKey(DB, { userId: p.mentor.id, key: 'key-running', requestHash: 'h', reservation: 'r-1', staleBefore: stale() })).toBe(true);
    const third = entryRow(p);
    expect(await createEntry(DB, third, claim('key-running', third.id))).toBeNull();
    expect(await createEntry(DB, third, claim('key-running', third.id, new Date(Date.now() + 60_000).toISOString()))).toMatchObject({ id: third.id });
    expect(await findIdempotentOutcome(DB, p.mentor.id, 'key-running')).toMatchObject({ status: 201, resourceId: third.id });
  });

  it('edit an entry and record its Idempotency-Key together, or neither when the version moved on or the key is held', async () => {
    const p = await seedProgramme();
    const e = await addEntry(p);
    const claim = (key: string, version: number) =>
      claimKeyStatements(DB, { userId: p.mentor.id, key, requestHash: 'h', staleBefore: stale(), status: 200, resourceType: 'entry', resourceId: e.id }, entryWriteCondition.atVersion(e.id, version));
    expect(await updateEntry(DB, e.id, p.pairId, 1, { ...unchanged(e), body: 'edited' }, claim('key-edit', 1))).toMatchObject({ body: 'edited', version: 2 });
    expect(await findIdempotentOutcome(DB, p.mentor.id, 'key-edit')).toMatchObject({ status: 200, resourceType: 'entry', resourceId: e.id });
    // The key is held: the same edit again writes nothing, even at the current version.
    expect(await updateEntry(DB, e.id, p.pairId, 2, { ...unchanged(e), body: 'again' }, claim('key-edit', 2))).toBeNull();
    // A stale version: neither the key nor the edit.
    expect(await updateEntry(DB, e.id, p.pairId, 1, { ...unchanged(e), body: 'stale' }, claim('key-stale', 1))).toBeNull();
    expect(await findIdempotentOutcome(DB, p.mentor.id, 'key-stale')).toBeNull();
    expect(await getEntry(DB, e.id)).toMatchObject({ body: 'edited', version: 2 });
  });

  it('change nothing on a stale version, a deleted entry or a replayed insert', async () => {
    const p = await seedProgramme();
    const row = entryRow(p, { body: 'original' });
    await createEntry(DB, row);
    await createEntry(DB, { ...row, body: 'replayed' });
    const e = Entry.parse(await getEntry(DB, row.id));
    expect(e).toMatchObject({ body: 'original', seq: 1, version: 1 });

    expect(await updateEntry(DB, e.id, p.pairId, 7, { ...unchanged(e), body: 'stale' })).toBeNull();
    expect(await softDeleteEntry(DB, e.id, p.pairId, 7)).toBeNull();
    expect(await getEntry(DB, e.id)).toEqual(e);

    expect(await softDeleteEntry(DB, e.id, p.pairId, 1)).toMatchObject({ deleted: true });
    const tombstone = await getEntry(DB, e.id);
    expect(await updateEntry(DB, e.id, p.pairId, 2, { ...unchanged(e), body: 'after delete' })).toBeNull();
    expect(await softDeleteEntry(DB, e.id, p.pairId, 2)).toBeNull();
    expect(await getEntry(DB, e.id)).toEqual(tombstone);
  });

  it('erase the body of a deleted entry in the row itself, not only in the answer', async () => {
    const p = await seedProgramme();
    const e = await addEntry(p, { body: 'sensitive' });
    await softDeleteEntry(DB, e.id, p.pairId, 1);
    const row = await DB.prepare('SELECT body, deleted_at FROM entries WHERE id = ?').bind(e.id).first<{ body: string; deleted_at: string | null }>();
    expect(row?.body).toBe('');
    expect(row?.deleted_at).not.toBeNull();
  });

  it('listEntriesSince pages in change order and ends with the top of the counter', async () => {
    const p = await seedProgramme();
    const made: Entry[] = [];
    for (let i = 0; i < 5; i++) made.push(await addEntry(p, { body: `n${i}` }));
    const page1 = await listEntriesSince(DB, p.pairId, p.mentee.id, START, 2);
    expect(page1.entries.map((e) => e.body)).toEqual(['n0', 'n1']);
    expect(page1).toMatchObject({ cursor: '2:0', hasMore: true });
    const page2 = await listEntriesSince(DB, p.pairId, p.mentee.id, parseEntryCursor(page1.cursor), 3);
    expect(page2.entries.map((e) => e.body)).toEqual(['n2', 'n3', 'n4']);
    expect(page2).toMatchObject({ cursor: '5:0', hasMore: false });
    // An edit moves the entry to the end of the order.
    await updateEntry(DB, made[0]!.id, p.pairId, 1, { ...unchanged(made[0]!), body: 'n0 edited' });
    const page3 = await listEntriesSince(DB, p.pairId, p.mentee.id, parseEntryCursor(page2.cursor), 10);
    expect(page3.entries.map((e) => [e.body, e.seq])).toEqual([['n0 edited', 6]]);
    expect(page3.cursor).toBe('6:0');
  });

  it("listEntriesSince never returns the partner's private entries, and its cursor does not count them", async () => {
    const p = await seedProgramme();
    const shared = await addEntry(p);
    const mine = await addEntry(p, { authorId: p.mentee.id, visibility: 'private' });
    await addEntry(p, { visibility: 'private', body: 'mentor only' });
    await addEntry(p, { visibility: 'private', body: 'mentor only' });

    const menteeView = await listEntriesSince(DB, p.pairId, p.mentee.id, START, 10);
    expect(menteeView.entries.map((e) => e.id)).toEqual([shared.id, mine.id]);
    // Shared stream at 1, the mentee's own private stream at 1: the mentor's two private notes count nowhere.
    expect(menteeView).toMatchObject({ cursor: '1:1', hasMore: false });
    expect(await listEntriesSince(DB, p.pairId, p.mentee.id, { shared: 1, private: 1 }, 10)).toEqual({ entries: [], cursor: '1:1', hasMore: false });
    // With a page boundary, the cursor is the last returned entry (the rest is fetched next time).
    expect(await listEntriesSince(DB, p.pairId, p.mentee.id, START, 1)).toMatchObject({ cursor: '1:0', hasMore: true });

    const mentorView = await listEntriesSince(DB, p.pairId, p.mentor.id, START, 10);
    expect(mentorView.entries.map((e) => [e.visibility, e.seq])).toEqual([
      ['shared', 1],
      ['private', 1],
      ['private', 2],
    ]);
    expect(mentorView.cursor).toBe('1:2');
  });

  it('listEntriesSince delivers a private entry shared later, although the cursor had skipped it', async () => {
    const p = await seedProgramme();
    const draft = await addEntry(p, { authorId: p.mentee.id, visibility: 'private', body: 'draft' });
    const before = await listEntriesSince(DB, p.pairId, p.mentor.id, START, 10);
    expect(before).toEqual({ entries: [], cursor: '0:0', hasMore: false });
    await updateEntry(DB, draft.id, p.pairId, 1, { ...unchanged(draft), visibility: 'shared' });
    const after = await listEntriesSince(DB, p.pairId, p.mentor.id, parseEntryCursor(before.cursor), 10);
    expect(after.entries.map((e) => [e.id, e.visibility, e.seq])).toEqual([[draft.id, 'shared', 1]]);
    // The author's private stream never hands out a number twice, although the draft left it.
    const next = await addEntry(p, { authorId: p.mentee.id, visibility: 'private' });
    expect(next.seq).toBe(2);
  });

  it('listEntriesSince returns nothing for an empty pair, keeping the cursor', async () => {
    const p = await seedProgramme();
    expect(await listEntriesSince(DB, p.pairId, p.mentor.id, START, 10)).toEqual({ entries: [], cursor: '0:0', hasMore: false });
  });

  it('listOpenActions keeps open, undeleted actions the viewer may see, soonest due first', async () => {
    const p = await seedProgramme();
    const later = await addEntry(p, { kind: 'action', actionDueOn: '2031-05-01' });
    const sooner = await addEntry(p, { kind: 'action', actionDueOn: '2031-01-01' });
    const undated = await addEntry(p, { kind: 'action' });
    const done = await addEntry(p, { kind: 'action' });
    await updateEntry(DB, done.id, p.pairId, 1, { ...unchanged(done), actionDoneAt: new Date().toISOString() });
    const deleted = await addEntry(p, { kind: 'action' });
    await softDeleteEntry(DB, deleted.id, p.pairId, 1);
    const privateToMentor = await addEntry(p, { kind: 'action', visibility: 'private' });
    await addEntry(p, { kind: 'note' });

    expect((await listOpenActions(DB, p.pairId, p.mentee.id)).map((e) => e.id)).toEqual([sooner.id, later.id, undated.id]);
    expect((await listOpenActions(DB, p.pairId, p.mentor.id)).map((e) => e.id)).toEqual([sooner.id, later.id, undated.id, privateToMentor.id]);
  });

  it('countEntriesByKind counts live entries per kind of one pair', async () => {
    const p = await seedProgramme();
    await addEntry(p, { kind: 'action' });
    await addEntry(p, { kind: 'note' });
    await addEntry(p, { kind: 'note', visibility: 'private' });
    const gone = await addEntry(p, { kind: 'question' });
    await softDeleteEntry(DB, gone.id, p.pairId, 1);
    expect(await countEntriesByKind(DB, p.orgId, p.pairId)).toEqual({ note: 2, action: 1, decision: 0, question: 0 });
  });
});

describe('meetings queries', () => {
  const startArgs = (p: Programme, over: Partial<Parameters<typeof startMeeting>[1]> = {}) => ({
    id: uuid(),
    pairId: p.pairId,
    orgId: p.orgId,
    platform: 'meet' as const,
    meetingCode: 'abc-defg-hij',
    userId: p.mentor.id,
    ...over,
  });
  const setTimes = (id: string, startedAt: string, endedAt: string | null) =>
    DB.prepare('UPDATE meetings SET started_at = ?, ended_at = ? WHERE id = ?').bind(startedAt, endedAt, id).run();
  const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
  const count = async (p: Programme) => (await listMeetingsOfPair(DB, p.pairId)).length;

  it('startMeeting returns the same meeting for the same code within the bound', async () => {
    const p = await seedProgramme();
    const first = Meeting.parse(await startMeeting(DB, startArgs(p)));
    const second = await startMeeting(DB, startArgs(p, { userId: p.mentee.id }));
    expect(second).toEqual(first);
    await setTimes(first.id, ago(MAX_OPEN_MEETING_MS - 60_000), null);
    expect((await startMeeting(DB, startArgs(p)))?.id).toBe(first.id);
    expect(await count(p)).toBe(1);
  });

  it('startMeeting reopens a meeting ended within the rejoin grace', async () => {
    const p = await seedProgramme();
    const first = await startMeeting(DB, startArgs(p));
    await setTimes(first!.id, ago(3_600_000), ago(REJOIN_GRACE_MS - 60_000));
    const rejoined = await startMeeting(DB, startArgs(p));
    expect(rejoined).toMatchObject({ id: first!.id, endedAt: null, durationMinutes: null });
    expect(await count(p)).toBe(1);
  });

  it('startMeeting creates a new meeting after the grace, after the bound, or for another code', async () => {
    const p = await seedProgramme();
    const ended = await startMeeting(DB, startArgs(p));
    await setTimes(ended!.id, ago(3_600_000), ago(REJOIN_GRACE_MS + 60_000));
    const afterGrace = await startMeeting(DB, startArgs(p));
    expect(afterGrace!.id).not.toBe(ended!.id);
    expect((await getMeeting(DB, ended!.id))?.endedAt).not.toBeNull();

    await setTimes(afterGrace!.id, ago(MAX_OPEN_MEETING_MS + 60_000), null);
    const afterWindow = await startMeeting(DB, startArgs(p));
    expect([ended!.id, afterGrace!.id]).not.toContain(afterWindow!.id);

    const otherCode = await startMeeting(DB, startArgs(p, { meetingCode: 'zzz-zzzz-zzz' }));
    expect(otherCode!.id).not.toBe(afterWindow!.id);
    expect(await count(p)).toBe(4);
  });

  it('startMeeting returns null when the id is taken by a meeting that is not the current one', async () => {
    const p = await seedProgramme();
    const sibling = await seedSiblingPair(p);
    const theirs = await startMeeting(DB, startArgs({ ...p, pairId: sibling.pairId }, { userId: sibling.mentor.id }));
    expect(await startMeeting(DB, startArgs(p, { id: theirs!.id }))).toBeNull();
    expect(await count(p)).toBe(0);
  });

  it('endMeeting keeps the later end and never goes before the start', async () => {
    const p = await seedProgramme();
    const m = await startMeeting(DB, startArgs(p));
    await setTimes(m!.id, '2026-01-05T10:00:00.000Z', null);
    await endMeeting(DB, m!.id, '2026-01-05T10:40:00.000Z');
    expect(await getMeeting(DB, m!.id)).toMatchObject({ endedAt: '2026-01-05T10:40:00.000Z', durationMinutes: 40 });
    await endMeeting(DB, m!.id, '2026-01-05T10:30:00.000Z');
    expect(await getMeeting(DB, m!.id)).toMatchObject({ endedAt: '2026-01-05T10:40:00.000Z' });
    await endMeeting(DB, m!.id, '2026-01-05T10:52:30.000Z');
    expect(await getMeeting(DB, m!.id)).toMatchObject({ endedAt: '2026-01-05T10:52:30.000Z', durationMinutes: 53 });

    const early = await startMeeting(DB, startArgs(p, { meetingCode: 'early' }));
    await setTimes(early!.id, '2026-01-05T10:00:00.000Z', null);
    await endMeeting(DB, early!.id, '2026-01-05T09:00:00.000Z');
    expect(await getMeeting(DB, early!.id)).toMatchObject({ endedAt: '2026-01-05T10:00:00.000Z', durationMinutes: 0 });
  });

  it('insertManualMeeting logs a meeting once; listMeetingsOfPair is newest first', async () => {
    const p = await seedProgramme();
    const args = { id: uuid(), pairId: p.pairId, orgId: p.orgId, startedAt: '2026-01-05T10:00:00.000Z', endedAt: '2026-01-05T11:15:00.000Z', userId: p.mentee.id };
    await insertManualMeeting(DB, args);
    await insertManualMeeting(DB, { ...args, endedAt: '2026-01-05T12:00:00.000Z' });
    const logged = Meeting.parse(await getMeeting(DB, args.id));
    expect(logged).toMatchObject({ platform: 'other', meetingCode: null, source: 'manual', durationMinutes: 75 });
    const live = await startMeeting(DB, startArgs(p));
    expect((await listMeetingsOfPair(DB, p.pairId)).map((m) => m.id)).toEqual([live!.id, args.id]);
    expect(await listMeetingsOfPair(DB, p.pairId, 1)).toHaveLength(1);
  });

  it('listPendingFeedback lists ended meetings of the last two weeks without my feedback, newest first, at most 5', async () => {
    const p = await seedProgramme();
    const manual = async (daysAgo: number) => {
      const id = uuid();
      const startedAt = minutesFromNow(-daysAgo * 24 * 60);
      await insertManualMeeting(DB, { id, pairId: p.pairId, orgId: p.orgId, startedAt, endedAt: minutesFromNow(-daysAgo * 24 * 60 + 30), userId: p.mentor.id });
      return id;
    };
    const ids = [];
    for (const d of [1, 2, 3, 4, 5, 6]) ids.push(await manual(d));
    await manual(15);
    await startMeeting(DB, startArgs(p));
    await insertFeedback(DB, { id: uuid(), meetingId: ids[0]!, pairId: p.pairId, orgId: p.orgId, authorId: p.mentee.id, rating: 4, comment: '' });

    expect((await listPendingFeedback(DB, p.pairId, p.mentee.id)).map((m) => m.id)).toEqual(ids.slice(1, 6));
    expect((await listPendingFeedback(DB, p.pairId, p.mentor.id)).map((m) => m.id)).toEqual(ids.slice(0, 5));
  });
});

describe('feedback queries', () => {
  it('keep one feedback per person per meeting; a second insert changes nothing', async () => {
    const p = await seedProgramme();
    const meetingId = uuid();
    await insertManualMeeting(DB, { id: meetingId, pairId: p.pairId, orgId: p.orgId, startedAt: minutesFromNow(-120), endedAt: minutesFromNow(-60), userId: p.mentor.id });
    const base = { meetingId, pairId: p.pairId, orgId: p.orgId };
    const firstId = uuid();
    await insertFeedback(DB, { ...base, id: firstId, authorId: p.mentee.id, rating: 5, comment: 'first' });
    await insertFeedback(DB, { ...base, id: uuid(), authorId: p.mentee.id, rating: 1, comment: 'second' });
    await insertFeedback(DB, { ...base, id: firstId, authorId: p.mentor.id, rating: 1, comment: 'id clash' });
    await insertFeedback(DB, { ...base, id: uuid(), authorId: p.mentor.id, rating: 3, comment: 'mentor' });

    expect(Feedback.parse(await findFeedback(DB, meetingId, p.mentee.id))).toMatchObject({ id: firstId, rating: 5, comment: 'first' });
    expect((await listOwnFeedback(DB, p.pairId, p.mentee.id)).map((f) => f.comment)).toEqual(['first']);
    expect((await listOwnFeedback(DB, p.pairId, p.mentor.id)).map((f) => f.comment)).toEqual(['mentor']);
    expect((await listPairFeedback(DB, p.pairId)).map((f) => f.comment).sort()).toEqual(['first', 'mentor']);
    expect(await findFeedback(DB, meetingId, p.outsider.id)).toBeNull();
  });
});

describe('agenda queries', () => {
  it('insert at the end unless a position is given; update and delete only at the current version', async () => {
    const p = await seedProgramme();
    const a = uuid();
    const b = uuid();
    const c = uuid();
    await insertAgendaItem(DB, { id: a, pairId: p.pairId, authorId: p.mentor.id, body: 'a' });
    await insertAgendaItem(DB, { id: b, pairId: p.pairId, authorId: p.mentee.id, body: 'b' });
    await insertAgendaItem(DB, { id: c, pairId: p.pairId, authorId: p.mentee.id, body: 'c', position: 0 });
    await insertAgendaItem(DB, { id: a, pairId: p.pairId, authorId: p.mentor.id, body: 'replayed' });
    expect((await listAgenda(DB, p.pairId)).map((i) => [i.body, i.position])).toEqual([
      ['a', 0],
      ['c', 0],
      ['b', 1],
    ]);

    expect(await updateAgendaItem(DB, { id: a, version: 2, body: 'stale' })).toBe(false);
    expect(await updateAgendaItem(DB, { id: a, version: 1, done: true })).toBe(true);
    const done = AgendaItem.parse(await getAgendaItem(DB, a));
    expect(done).toMatchObject({ body: 'a', version: 2 });
    expect(done.doneAt).not.toBeNull();
    expect((await listAgenda(DB, p.pairId)).map((i) => i.body)).toEqual(['c', 'b', 'a']);
    expect(await updateAgendaItem(DB, { id: a, version: 2, done: false, position: 9 })).toBe(true);
    expect(await getAgendaItem(DB, a)).toMatchObject({ doneAt: null, position: 9, version: 3 });

    expect(await deleteAgendaItem(DB, b, 2)).toBe(false);
    expect(await deleteAgendaItem(DB, b, 1)).toBe(true);
    expect(await deleteAgendaItem(DB, b, 2)).toBe(false);
    expect(await updateAgendaItem(DB, { id: b, version: 2, body: 'after delete' })).toBe(false);
    expect(await getAgendaItem(DB, b)).toMatchObject({ deleted: true, body: '' });
    expect((await listAgenda(DB, p.pairId)).map((i) => i.body)).toEqual(['c', 'a']);
  });

  it('listAgenda keeps done items for two days', async () => {
    const p = await seedProgramme();
    const recent = uuid();
    const old = uuid();
    for (const id of [recent, old]) await insertAgendaItem(DB, { id, pairId: p.pairId, authorId: p.mentor.id, body: id });
    const setDone = (id: string, at: string) => DB.prepare('UPDATE agenda_items SET done_at = ? WHERE id = ?').bind(at, id).run();
    await setDone(recent, minutesFromNow(-47 * 60));
    await setDone(old, minutesFromNow(-49 * 60));
    expect((await listAgenda(DB, p.pairId)).map((i) => i.id)).toEqual([recent]);
  });
});

describe('idempotency queries', () => {

  it('reserve a key once per user; the completed outcome (status and resource, no answer) is kept', async () => {
    const p = await seedProgramme();
    const key = 'key-00000001';
    expect(await findIdempotentOutcome(DB, p.mentor.id, key)).toBeNull();
    expect(await reserveIdempotencyKey(DB, { userId: p.mentor.id, key, requestHash: 'h1', reservation: 'r-1', staleBefore: stale() })).toBe(true);
    // A second request with the same key while the first runs does not get the key.
    expect(await reserveIdempotencyKey(DB, { userId: p.mentor.id, key, requestHash: 'h1', reservation: 'r-1', staleBefore: stale() })).toBe(false);
    expect(await findIdempotentOutcome(DB, p.mentor.id, key)).toMatchObject({ requestHash: 'h1', status: IN_PROGRESS });
    // Only the reservation's own request records its outcome.
    await completeIdempotencyKey(DB, { userId: p.mentor.id, key, reservation: 'r-other', status: 201, resourceType: 'entry', resourceId: 'e-9' });
    expect(await findIdempotentOutcome(DB, p.mentor.id, key)).toMatchObject({ status: IN_PROGRESS, resourceId: 'r-1' });
    await completeIdempotencyKey(DB, { userId: p.mentor.id, key, reservation: 'r-1', status: 201, resourceType: 'entry', resourceId: 'e-1' });
    expect(await findIdempotentOutcome(DB, p.mentor.id, key)).toMatchObject({ requestHash: 'h1', status: 201, resourceType: 'entry', resourceId: 'e-1' });
    // Completed answers are never taken over, however old.
    expect(await reserveIdempotencyKey(DB, { userId: p.mentor.id, key, requestHash: 'h2', reservation: 'r-2', staleBefore: new Date(Date.now() + 60_000).toISOString() })).toBe(false);
    // Keys belong to their user.
    expect(await findIdempotentOutcome(DB, p.mentee.id, key)).toBeNull();
    expect(await reserveIdempotencyKey(DB, { userId: p.mentee.id, key, requestHash: 'h3', reservation: 'r-3', staleBefore: stale() })).toBe(true);
  });

  it('release a failed request’s reservation, and take over one left by a request that died', async () => {
    const p = await seedProgramme();
    expect(await reserveIdempotencyKey(DB, { userId: p.mentor.id, key: 'key-released', requestHash: 'h', reservation: 'r-1', staleBefore: stale() })).toBe(true);
    // Another request's release leaves this reservation alone.
    await releaseIdempotencyKey(DB, { userId: p.mentor.id, key: 'key-released', reservation: 'r-other' });
    expect(await findIdempotentOutcome(DB, p.mentor.id, 'key-released')).toMatchObject({ status: IN_PROGRESS });
    await releaseIdempotencyKey(DB, { userId: p.mentor.id, key: 'key-released', reservation: 'r-1' });
    expect(await findIdempotentOutcome(DB, p.mentor.id, 'key-released')).toBeNull();
    expect(await reserveIdempotencyKey(DB, { userId: p.mentor.id, key: 'key-dead', requestHash: 'h', reservation: 'r-1', staleBefore: stale() })).toBe(true);
    const later = new Date(Date.now() + 1_000).toISOString();
    expect(await reserveIdempotencyKey(DB, { userId: p.mentor.id, key: 'key-dead', requestHash: 'h', reservation: 'r-2', staleBefore: later })).toBe(true);
  });
});
