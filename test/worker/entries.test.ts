import { describe, expect, it } from 'vitest';
import { CallContext, EntriesPage, Entry, ErrorEnvelope } from '../../shared/schemas/index.ts';
import type { NewEntry } from '../../shared/schemas/index.ts';
import {
  PAIR_STRANGERS,
  type Programme,
  call,
  countRows,
  createGoalViaApi,
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

const ENTRIES = '/api/v1/entries';

const newEntry = (p: Programme, over: Partial<NewEntry> = {}): NewEntry => ({ id: uuid(), pairId: p.pairId, kind: 'note', body: 'Practise the demo', ...over });

async function createEntry(p: Programme, token: string, over: Partial<NewEntry> = {}): Promise<Entry> {
  const res = await call('POST', ENTRIES, { token, body: newEntry(p, over) });
  return Entry.parse((await expectJson<{ entry: unknown }>(res, 201)).entry);
}

async function listEntries(p: Programme, token: string, query = '') {
  return EntriesPage.parse(await expectJson(await call('GET', `${ENTRIES}?pairId=${p.pairId}${query}`, { token }), 200));
}

const entriesOfPair = (p: Programme) => countRows('entries', 'pair_id = ?', p.pairId);

describe('POST /entries', () => {
  it('creates a shared note by default, authored by the caller, with the first change number', async () => {
    const p = await seedProgramme();
    const input = newEntry(p, { body: '  Agree on the demo scope  ' });
    const res = await call('POST', ENTRIES, { token: p.mentee.token, body: input });
    const entry = Entry.parse((await expectJson<{ entry: unknown }>(res, 201)).entry);
    expect(entry).toMatchObject({
      id: input.id,
      pairId: p.pairId,
      authorId: p.mentee.id,
      kind: 'note',
      visibility: 'shared',
      body: 'Agree on the demo scope',
      meetingId: null,
      goalId: null,
      actionOwnerId: null,
      actionDoneAt: null,
      version: 1,
      seq: 1,
      deleted: false,
    });
    expect(await entriesOfPair(p)).toBe(1);
  });

  it('creates an action with owner and due date linked to a goal and a meeting of the pair', async () => {
    const p = await seedProgramme();
    const goal = await createGoalViaApi(p);
    const meetingId = await seedMeetingRow(p);
    const entry = await createEntry(p, p.mentor.token, {
      kind: 'action',
      goalId: goal.id,
      meetingId,
      actionOwnerId: p.mentee.id,
      actionDueOn: '2031-02-03',
      visibility: 'private',
    });
    expect(entry).toMatchObject({ kind: 'action', goalId: goal.id, meetingId, actionOwnerId: p.mentee.id, actionDueOn: '2031-02-03', visibility: 'private' });
  });

  it("keeps the author's past createdAt (outbox delivered late) but clamps a future one to now", async () => {
    const p = await seedProgramme();
    const past = minutesFromNow(-90);
    expect((await createEntry(p, p.mentor.token, { createdAt: past })).createdAt).toBe(past);
    // One stored form, so times compare as strings: without milliseconds it is stored with them.
    expect((await createEntry(p, p.mentor.token, { createdAt: '2025-03-04T05:06:07Z' })).createdAt).toBe('2025-03-04T05:06:07.000Z');
    const before = Date.now();
    const clamped = await createEntry(p, p.mentor.token, { createdAt: minutesFromNow(24 * 60) });
    expect(Date.parse(clamped.createdAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(clamped.createdAt)).toBeLessThanOrEqual(Date.now() + 1000);
  });

  const invalidBodies: [string, (p: Programme) => unknown][] = [
    ['no body at all', () => undefined],
    ['an empty object', () => ({})],
    ['an id that is not a UUID', (p) => newEntry(p, { id: 'entry-1' })],
    ['a pairId that is not a UUID', (p) => newEntry(p, { pairId: 'pair-1' })],
    ['an unknown kind', (p) => ({ ...newEntry(p), kind: 'memo' })],
    ['an unknown visibility', (p) => ({ ...newEntry(p), visibility: 'secret' })],
    ['a blank body', (p) => newEntry(p, { body: '   ' })],
    ['a body over 10,000 characters', (p) => newEntry(p, { body: 'x'.repeat(10_001) })],
    ['a body that is not a string', (p) => ({ ...newEntry(p), body: 42 })],
    ['an owner on a note', (p) => newEntry(p, { actionOwnerId: p.mentee.id })],
    ['a due date on a question', (p) => newEntry(p, { kind: 'question', actionDueOn: '2031-01-01' })],
    ['a due date that is not a date', (p) => newEntry(p, { kind: 'action', actionDueOn: '31/01/2031' })],
    ['a createdAt with an offset', (p) => newEntry(p, { createdAt: '2026-01-01T10:00:00+01:00' })],
  ];
  it.each(invalidBodies)('refuses %s with 400 and the issues, writing nothing', async (_, make) => {
    const p = await seedProgramme();
    const body = make(p);
    const res = await call('POST', ENTRIES, { token: p.mentor.token, ...(body === undefined ? {} : { body }) });
    const envelope = await expectError(res, 400, 'invalid_input');
    expect(envelope.error.issues?.length).toBeGreaterThan(0);
    expect(await entriesOfPair(p)).toBe(0);
  });

  it.each([
    ['a goal of another pair', 'goalId'],
    ['a meeting of another pair', 'meetingId'],
    ['an action owner outside the pair', 'actionOwnerId'],
  ] as const)('refuses a link to %s with 400 on that field', async (_, field) => {
    const p = await seedProgramme();
    const sibling = await seedSiblingPair(p);
    const siblingProgramme = { ...p, pairId: sibling.pairId, mentor: sibling.mentor, mentee: sibling.mentee };
    const link =
      field === 'goalId'
        ? { goalId: (await createGoalViaApi(siblingProgramme, { token: sibling.mentor.token })).id }
        : field === 'meetingId'
          ? { meetingId: await seedMeetingRow(siblingProgramme) }
          : { kind: 'action' as const, actionOwnerId: p.outsider.id };
    const envelope = await expectError(await call('POST', ENTRIES, { token: p.mentor.token, body: newEntry(p, link) }), 400, 'invalid_input');
    expect(envelope.error.issues?.[0]?.path).toEqual([field]);
    expect(await entriesOfPair(p)).toBe(0);
  });

  it('refuses links to a goal or meeting that does not exist', async () => {
    const p = await seedProgramme();
    await expectError(await call('POST', ENTRIES, { token: p.mentor.token, body: newEntry(p, { goalId: uuid() }) }), 400, 'invalid_input');
    await expectError(await call('POST', ENTRIES, { token: p.mentor.token, body: newEntry(p, { meetingId: uuid() }) }), 400, 'invalid_input');
    expect(await entriesOfPair(p)).toBe(0);
  });

  it.each(PAIR_STRANGERS)('answers $who with $status and writes nothing', async ({ who, status, code }) => {
    const p = await seedProgramme();
    const res = await call('POST', ENTRIES, { token: await strangerToken(p, who), body: newEntry(p) });
    await expectError(res, status, code);
    expect(await entriesOfPair(p)).toBe(0);
  });

  it('replays a retry with the same Idempotency-Key: the first answer, no second write', async () => {
    const p = await seedProgramme();
    const input = newEntry(p);
    const headers = { 'idempotency-key': `outbox:${input.id}` };
    const first = await call('POST', ENTRIES, { token: p.mentor.token, body: input, headers });
    const firstBody = await expectJson(first, 201);
    const again = await call('POST', ENTRIES, { token: p.mentor.token, body: input, headers });
    expect(await expectJson(again, 201)).toEqual(firstBody);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await entriesOfPair(p)).toBe(1);
    expect(await countRows('idempotency_keys', 'user_id = ?', p.mentor.id)).toBe(1);
  });

  it('refuses the same Idempotency-Key for a different body with 409', async () => {
    const p = await seedProgramme();
    const headers = { 'idempotency-key': 'key-reused-0001' };
    await expectJson(await call('POST', ENTRIES, { token: p.mentor.token, body: newEntry(p), headers }), 201);
    await expectError(await call('POST', ENTRIES, { token: p.mentor.token, body: newEntry(p), headers }), 409, 'conflict');
    expect(await entriesOfPair(p)).toBe(1);
  });

  it('scopes Idempotency-Keys per user: the partner may use the same key', async () => {
    const p = await seedProgramme();
    const headers = { 'idempotency-key': 'shared-key-0001' };
    await expectJson(await call('POST', ENTRIES, { token: p.mentor.token, body: newEntry(p), headers }), 201);
    await expectJson(await call('POST', ENTRIES, { token: p.mentee.token, body: newEntry(p), headers }), 201);
    expect(await entriesOfPair(p)).toBe(2);
  });

  it('refuses a malformed Idempotency-Key with 400', async () => {
    const p = await seedProgramme();
    await expectError(await call('POST', ENTRIES, { token: p.mentor.token, body: newEntry(p), headers: { 'idempotency-key': 'short' } }), 400, 'invalid_input');
    await expectError(await call('POST', ENTRIES, { token: p.mentor.token, body: newEntry(p), headers: { 'idempotency-key': 'has spaces in it' } }), 400, 'invalid_input');
    expect(await entriesOfPair(p)).toBe(0);
  });

  it('answers a retry with the same client id but no key with the stored entry (200), not a second row', async () => {
    const p = await seedProgramme();
    const input = newEntry(p, { body: 'first' });
    const created = await createEntry(p, p.mentor.token, input);
    const res = await call('POST', ENTRIES, { token: p.mentor.token, body: { ...input, body: 'retried with an edit' } });
    expect(Entry.parse((await expectJson<{ entry: unknown }>(res, 200)).entry)).toEqual(created);
    expect(await entriesOfPair(p)).toBe(1);
  });

  it('refuses an id that belongs to another pair or another author with 409', async () => {
    const p = await seedProgramme();
    const sibling = await seedSiblingPair(p);
    const theirs = newEntry({ ...p, pairId: sibling.pairId });
    await expectJson(await call('POST', ENTRIES, { token: sibling.mentor.token, body: theirs }), 201);
    // The same id in my pair: another pair's entry.
    await expectError(await call('POST', ENTRIES, { token: p.mentor.token, body: { ...theirs, pairId: p.pairId } }), 409, 'conflict');
    // The same id and pair as my partner's entry: not mine to replay.
    const partners = await createEntry(p, p.mentee.token, { visibility: 'private', body: 'my secret' });
    const res = await call('POST', ENTRIES, { token: p.mentor.token, body: newEntry(p, { id: partners.id }) });
    const envelope = await expectError(res, 409, 'conflict');
    expect(JSON.stringify(envelope)).not.toContain('my secret');
    expect(await entriesOfPair(p)).toBe(1);
  });

  it('refuses new entries in an ended pair with 409 but still answers a retry of an existing one', async () => {
    const p = await seedProgramme();
    const kept = await createEntry(p, p.mentor.token);
    await setPairStatusRow(p.pairId, 'ended');
    await expectError(await call('POST', ENTRIES, { token: p.mentor.token, body: newEntry(p) }), 409, 'conflict');
    expect(await entriesOfPair(p)).toBe(1);
    const retry = await call('POST', ENTRIES, { token: p.mentor.token, body: newEntry(p, { id: kept.id }) });
    expect((await expectJson<{ entry: Entry }>(retry, 200)).entry.id).toBe(kept.id);
  });

  it('accepts entries in a paused pair', async () => {
    const p = await seedProgramme();
    await setPairStatusRow(p.pairId, 'paused');
    await createEntry(p, p.mentor.token);
  });
});

describe('GET /entries', () => {
  it("lists shared entries and my private ones, never my partner's private ones", async () => {
    const p = await seedProgramme();
    const mineShared = await createEntry(p, p.mentor.token, { body: 'mentor shared' });
    const minePrivate = await createEntry(p, p.mentor.token, { body: 'mentor private', visibility: 'private' });
    const theirsShared = await createEntry(p, p.mentee.token, { body: 'mentee shared' });
    await createEntry(p, p.mentee.token, { body: 'mentee private', visibility: 'private' });

    const page = await listEntries(p, p.mentor.token);
    expect(page.entries.map((e) => e.id)).toEqual([mineShared.id, minePrivate.id, theirsShared.id]);
    expect(page).toMatchObject({ cursor: '2:1', hasMore: false });
    expect(JSON.stringify(page)).not.toContain('mentee private');

    const menteePage = await listEntries(p, p.mentee.token);
    expect(menteePage.entries.map((e) => e.body)).toEqual(['mentor shared', 'mentee shared', 'mentee private']);
  });

  it('pages by change number: limit, hasMore and a cursor that resumes where the page ended', async () => {
    const p = await seedProgramme();
    const made: Entry[] = [];
    for (let i = 0; i < 5; i++) made.push(await createEntry(p, p.mentor.token, { body: `note ${i}` }));
    const first = await listEntries(p, p.mentor.token, '&limit=2');
    expect(first.entries.map((e) => e.id)).toEqual([made[0]!.id, made[1]!.id]);
    expect(first).toMatchObject({ cursor: '2:0', hasMore: true });
    const second = await listEntries(p, p.mentor.token, `&since=${first.cursor}&limit=2`);
    expect(second.entries.map((e) => e.id)).toEqual([made[2]!.id, made[3]!.id]);
    const last = await listEntries(p, p.mentor.token, `&since=${second.cursor}&limit=2`);
    expect(last.entries.map((e) => e.id)).toEqual([made[4]!.id]);
    expect(last).toMatchObject({ cursor: '5:0', hasMore: false });
    const nothingNew = await listEntries(p, p.mentor.token, `&since=${last.cursor}`);
    expect(nothingNew).toEqual({ entries: [], cursor: '5:0', hasMore: false });
  });

  it("does not count my partner's private changes in my cursor (issue 8: they would reveal when they were written)", async () => {
    const p = await seedProgramme();
    await createEntry(p, p.mentor.token);
    await createEntry(p, p.mentee.token, { visibility: 'private' });
    await createEntry(p, p.mentee.token, { visibility: 'private' });
    const page = await listEntries(p, p.mentor.token);
    expect(page.entries).toHaveLength(1);
    expect(page.cursor).toBe('1:0');
  });

  it('returns edits and deletions after the cursor; a deletion is a tombstone with an empty body', async () => {
    const p = await seedProgramme();
    const a = await createEntry(p, p.mentor.token, { body: 'will be edited' });
    const b = await createEntry(p, p.mentor.token, { body: 'will be deleted' });
    const { cursor } = await listEntries(p, p.mentee.token);
    await expectJson(await call('PATCH', `${ENTRIES}/${a.id}`, { token: p.mentor.token, body: { version: 1, body: 'edited' } }), 200);
    await expectJson(await call('DELETE', `${ENTRIES}/${b.id}?version=1`, { token: p.mentor.token }), 200);
    const changes = await listEntries(p, p.mentee.token, `&since=${cursor}`);
    expect(changes.entries.map((e) => [e.id, e.body, e.deleted, e.seq])).toEqual([
      [a.id, 'edited', false, 3],
      [b.id, '', true, 4],
    ]);
  });

  it.each([
    ['without a pairId', ''],
    ['with a pairId that is not a UUID', '?pairId=abc'],
    ['with a negative since', '?pairId=PAIR&since=-1'],
    ['with a since that is not a number', '?pairId=PAIR&since=yesterday'],
    ['with limit 0', '?pairId=PAIR&limit=0'],
    ['with limit over 500', '?pairId=PAIR&limit=501'],
  ])('answers 400 %s', async (_, query) => {
    const p = await seedProgramme();
    const envelope = await expectError(await call('GET', `${ENTRIES}${query.replace('PAIR', p.pairId)}`, { token: p.mentor.token }), 400, 'invalid_input');
    expect(envelope.error.issues?.length).toBeGreaterThan(0);
  });

  it.each(PAIR_STRANGERS)('answers $who with $status and no entries', async ({ who, status, code }) => {
    const p = await seedProgramme();
    await createEntry(p, p.mentor.token, { body: 'confidential pair note' });
    const res = await call('GET', `${ENTRIES}?pairId=${p.pairId}`, { token: await strangerToken(p, who) });
    const envelope = await expectError(res, status, code);
    expect(JSON.stringify(envelope)).not.toContain('confidential');
  });

  it('answers 404 for a pair that does not exist', async () => {
    const p = await seedProgramme();
    await expectError(await call('GET', `${ENTRIES}?pairId=${uuid()}`, { token: p.mentor.token }), 404, 'not_found');
  });

  it('still lists the entries of an ended pair', async () => {
    const p = await seedProgramme();
    await createEntry(p, p.mentor.token);
    await setPairStatusRow(p.pairId, 'ended');
    expect((await listEntries(p, p.mentee.token)).entries).toHaveLength(1);
  });
});

describe('GET /entries/:id', () => {
  it('returns a shared entry to both partners', async () => {
    const p = await seedProgramme();
    const entry = await createEntry(p, p.mentor.token);
    for (const token of [p.mentor.token, p.mentee.token]) {
      expect(Entry.parse((await expectJson<{ entry: unknown }>(await call('GET', `${ENTRIES}/${entry.id}`, { token }), 200)).entry)).toEqual(entry);
    }
  });

  it('returns a private entry to its author and 404 to the partner', async () => {
    const p = await seedProgramme();
    const entry = await createEntry(p, p.mentee.token, { visibility: 'private', body: 'only mine' });
    await expectJson(await call('GET', `${ENTRIES}/${entry.id}`, { token: p.mentee.token }), 200);
    const envelope = await expectError(await call('GET', `${ENTRIES}/${entry.id}`, { token: p.mentor.token }), 404, 'not_found');
    expect(JSON.stringify(envelope)).not.toContain('only mine');
  });

  it('returns a deleted entry as a tombstone with an empty body', async () => {
    const p = await seedProgramme();
    const entry = await createEntry(p, p.mentor.token, { body: 'gone soon' });
    await expectJson(await call('DELETE', `${ENTRIES}/${entry.id}?version=1`, { token: p.mentor.token }), 200);
    const { entry: tombstone } = await expectJson<{ entry: Entry }>(await call('GET', `${ENTRIES}/${entry.id}`, { token: p.mentee.token }), 200);
    expect(tombstone).toMatchObject({ id: entry.id, body: '', deleted: true, version: 2 });
  });

  it('answers 400 for an id that is not a UUID and 404 for an unknown one', async () => {
    const p = await seedProgramme();
    await expectError(await call('GET', `${ENTRIES}/not-a-uuid`, { token: p.mentor.token }), 400, 'invalid_input');
    await expectError(await call('GET', `${ENTRIES}/${uuid()}`, { token: p.mentor.token }), 404, 'not_found');
  });

  it.each(PAIR_STRANGERS)('answers $who with $status', async ({ who, status, code }) => {
    const p = await seedProgramme();
    const entry = await createEntry(p, p.mentor.token, { body: 'confidential pair note' });
    const envelope = await expectError(await call('GET', `${ENTRIES}/${entry.id}`, { token: await strangerToken(p, who) }), status, code);
    expect(JSON.stringify(envelope)).not.toContain('confidential');
  });
});

describe('PATCH /entries/:id', () => {
  const patch = (id: string, token: string | undefined, body: unknown) => call('PATCH', `${ENTRIES}/${id}`, { token, body });

  it('lets the author edit: new version, next change number, new updatedAt', async () => {
    const p = await seedProgramme();
    const entry = await createEntry(p, p.mentor.token);
    await createEntry(p, p.mentee.token);
    const res = await patch(entry.id, p.mentor.token, { version: 1, body: 'Rewritten', kind: 'ignored' });
    const { entry: updated } = await expectJson<{ entry: unknown }>(res, 200);
    expect(Entry.parse(updated)).toMatchObject({ id: entry.id, body: 'Rewritten', version: 2, seq: 3, createdAt: entry.createdAt });
  });

  it('lets the author share a private entry, link a goal and unlink it', async () => {
    const p = await seedProgramme();
    const goal = await createGoalViaApi(p);
    const entry = await createEntry(p, p.mentee.token, { visibility: 'private' });
    const shared = (await expectJson<{ entry: Entry }>(await patch(entry.id, p.mentee.token, { version: 1, visibility: 'shared', goalId: goal.id }), 200)).entry;
    expect(shared).toMatchObject({ visibility: 'shared', goalId: goal.id, version: 2 });
    const unlinked = (await expectJson<{ entry: Entry }>(await patch(entry.id, p.mentee.token, { version: 2, goalId: null }), 200)).entry;
    expect(unlinked).toMatchObject({ visibility: 'shared', goalId: null, version: 3 });
    expect((await listEntries(p, p.mentor.token)).entries.map((e) => e.id)).toEqual([entry.id]);
  });

  it('refuses to make a shared entry private with 409, changing nothing', async () => {
    const p = await seedProgramme();
    const entry = await createEntry(p, p.mentor.token);
    const before = await orgSnapshot(p.orgId);
    await expectError(await patch(entry.id, p.mentor.token, { version: 1, visibility: 'private' }), 409, 'conflict');
    expect(await orgSnapshot(p.orgId)).toEqual(before);
  });

  it('lets the partner tick off and reopen a shared action, and nothing else', async () => {
    const p = await seedProgramme();
    const action = await createEntry(p, p.mentor.token, { kind: 'action', actionOwnerId: p.mentee.id, body: 'Send the CV' });
    const note = await createEntry(p, p.mentor.token);
    const done = (await expectJson<{ entry: Entry }>(await patch(action.id, p.mentee.token, { version: 1, actionDone: true }), 200)).entry;
    expect(done.actionDoneAt).not.toBeNull();
    expect(done).toMatchObject({ version: 2, body: 'Send the CV', authorId: p.mentor.id });
    // Ticking again keeps the first time it was done.
    const again = (await expectJson<{ entry: Entry }>(await patch(action.id, p.mentor.token, { version: 2, actionDone: true }), 200)).entry;
    expect(again.actionDoneAt).toBe(done.actionDoneAt);
    const reopened = (await expectJson<{ entry: Entry }>(await patch(action.id, p.mentee.token, { version: 3, actionDone: false }), 200)).entry;
    expect(reopened.actionDoneAt).toBeNull();

    const before = await orgSnapshot(p.orgId);
    await expectError(await patch(action.id, p.mentee.token, { version: 4, body: 'Send two CVs' }), 403, 'forbidden');
    await expectError(await patch(action.id, p.mentee.token, { version: 4, actionDone: true, actionDueOn: '2031-01-01' }), 403, 'forbidden');
    await expectError(await patch(note.id, p.mentee.token, { version: 1, actionDone: true }), 403, 'forbidden');
    await expectError(await patch(note.id, p.mentee.token, { version: 1, body: 'hijacked' }), 403, 'forbidden');
    expect(await orgSnapshot(p.orgId)).toEqual(before);
  });

  it("answers 404 to the partner for the author's private entry, and changes nothing", async () => {
    const p = await seedProgramme();
    const action = await createEntry(p, p.mentor.token, { kind: 'action', visibility: 'private' });
    const before = await orgSnapshot(p.orgId);
    await expectError(await patch(action.id, p.mentee.token, { version: 1, actionDone: true }), 404, 'not_found');
    expect(await orgSnapshot(p.orgId)).toEqual(before);
  });

  it('refuses ticking off or scheduling a note with 400', async () => {
    const p = await seedProgramme();
    const note = await createEntry(p, p.mentor.token);
    const before = await orgSnapshot(p.orgId);
    await expectError(await patch(note.id, p.mentor.token, { version: 1, actionDone: true }), 400, 'invalid_input');
    await expectError(await patch(note.id, p.mentor.token, { version: 1, actionDueOn: '2031-01-01' }), 400, 'invalid_input');
    await expectError(await patch(note.id, p.mentor.token, { version: 1, actionOwnerId: p.mentee.id }), 400, 'invalid_input');
    expect(await orgSnapshot(p.orgId)).toEqual(before);
  });

  it('answers a stale version with 409 and the current entry, changing nothing', async () => {
    const p = await seedProgramme();
    const entry = await createEntry(p, p.mentor.token);
    await expectJson(await patch(entry.id, p.mentor.token, { version: 1, body: 'second' }), 200);
    const before = await orgSnapshot(p.orgId);
    const envelope = await expectError(await patch(entry.id, p.mentor.token, { version: 1, body: 'lost update' }), 409, 'version_conflict');
    expect(Entry.parse(envelope.current)).toMatchObject({ id: entry.id, version: 2, body: 'second' });
    expect(await orgSnapshot(p.orgId)).toEqual(before);
  });

  const invalidPatches: [string, unknown][] = [
    ['nothing to change', { version: 1 }],
    ['no version', { body: 'x' }],
    ['version 0', { version: 0, body: 'x' }],
    ['a blank body', { version: 1, body: '  ' }],
    ['an unknown visibility', { version: 1, visibility: 'hidden' }],
    ['a goalId that is not a UUID', { version: 1, goalId: 'goal-1' }],
    ['actionDone that is not a boolean', { version: 1, actionDone: 'yes' }],
    ['a JSON array', [1, 2]],
  ];
  it.each(invalidPatches)('refuses %s with 400, changing nothing', async (_, body) => {
    const p = await seedProgramme();
    const entry = await createEntry(p, p.mentor.token, { kind: 'action' });
    const before = await orgSnapshot(p.orgId);
    const envelope = await expectError(await patch(entry.id, p.mentor.token, body), 400, 'invalid_input');
    expect(envelope.error.issues?.length).toBeGreaterThan(0);
    expect(await orgSnapshot(p.orgId)).toEqual(before);
  });

  it('refuses links outside the pair with 400, changing nothing', async () => {
    const p = await seedProgramme();
    const sibling = await seedSiblingPair(p);
    const goal = await createGoalViaApi({ ...p, pairId: sibling.pairId, mentor: sibling.mentor, mentee: sibling.mentee }, { token: sibling.mentor.token });
    const entry = await createEntry(p, p.mentor.token, { kind: 'action' });
    const before = await orgSnapshot(p.orgId);
    await expectError(await patch(entry.id, p.mentor.token, { version: 1, goalId: goal.id }), 400, 'invalid_input');
    await expectError(await patch(entry.id, p.mentor.token, { version: 1, actionOwnerId: p.outsider.id }), 400, 'invalid_input');
    expect(await orgSnapshot(p.orgId)).toEqual(before);
  });

  it('answers 404 for a deleted entry and for an unknown one', async () => {
    const p = await seedProgramme();
    const entry = await createEntry(p, p.mentor.token);
    await expectJson(await call('DELETE', `${ENTRIES}/${entry.id}?version=1`, { token: p.mentor.token }), 200);
    await expectError(await patch(entry.id, p.mentor.token, { version: 2, body: 'resurrected' }), 404, 'not_found');
    await expectError(await patch(uuid(), p.mentor.token, { version: 1, body: 'x' }), 404, 'not_found');
  });

  it.each(PAIR_STRANGERS)('answers $who with $status, changing nothing', async ({ who, status, code }) => {
    const p = await seedProgramme();
    const entry = await createEntry(p, p.mentor.token, { kind: 'action' });
    const token = await strangerToken(p, who);
    const before = await orgSnapshot(p.orgId);
    await expectError(await patch(entry.id, token, { version: 1, actionDone: true }), status, code);
    expect(await orgSnapshot(p.orgId)).toEqual(before);
  });

  it('refuses edits in an ended pair with 409', async () => {
    const p = await seedProgramme();
    const entry = await createEntry(p, p.mentor.token);
    await setPairStatusRow(p.pairId, 'ended');
    const before = await orgSnapshot(p.orgId);
    await expectError(await patch(entry.id, p.mentor.token, { version: 1, body: 'late edit' }), 409, 'conflict');
    expect(await orgSnapshot(p.orgId)).toEqual(before);
  });
});

describe('DELETE /entries/:id', () => {
  const remove = (id: string, token: string | undefined, query = '?version=1') => call('DELETE', `${ENTRIES}/${id}${query}`, { token });

  it('soft-deletes: a tombstone without body, the row kept, its text erased', async () => {
    const p = await seedProgramme();
    const entry = await createEntry(p, p.mentor.token, { body: 'erase me' });
    const { entry: tombstone } = await expectJson<{ entry: unknown }>(await remove(entry.id, p.mentor.token), 200);
    expect(Entry.parse(tombstone)).toMatchObject({ id: entry.id, body: '', deleted: true, version: 2, seq: 2 });
    expect(await entriesOfPair(p)).toBe(1);
    expect(await countRows('entries', "id = ? AND body = '' AND deleted_at IS NOT NULL", entry.id)).toBe(1);
  });

  it('answers a repeated delete with the same tombstone', async () => {
    const p = await seedProgramme();
    const entry = await createEntry(p, p.mentor.token);
    const first = await expectJson(await remove(entry.id, p.mentor.token), 200);
    expect(await expectJson(await remove(entry.id, p.mentor.token), 200)).toEqual(first);
  });

  it('answers a stale version with 409 and the current entry', async () => {
    const p = await seedProgramme();
    const entry = await createEntry(p, p.mentor.token);
    await expectJson(await call('PATCH', `${ENTRIES}/${entry.id}`, { token: p.mentor.token, body: { version: 1, body: 'newer' } }), 200);
    const envelope = await expectError(await remove(entry.id, p.mentor.token), 409, 'version_conflict');
    expect(Entry.parse(envelope.current)).toMatchObject({ version: 2, body: 'newer', deleted: false });
    expect(await countRows('entries', 'id = ? AND deleted_at IS NULL', entry.id)).toBe(1);
  });

  it.each([
    ['no version', ''],
    ['version 0', '?version=0'],
    ['a version that is not a number', '?version=latest'],
  ])('refuses %s with 400', async (_, query) => {
    const p = await seedProgramme();
    const entry = await createEntry(p, p.mentor.token);
    await expectError(await remove(entry.id, p.mentor.token, query), 400, 'invalid_input');
    expect(await countRows('entries', 'id = ? AND deleted_at IS NULL', entry.id)).toBe(1);
  });

  it("lets only the author delete: the partner gets 403 for a shared entry and 404 for a private one", async () => {
    const p = await seedProgramme();
    const shared = await createEntry(p, p.mentor.token, { kind: 'action' });
    const hidden = await createEntry(p, p.mentor.token, { visibility: 'private' });
    const before = await orgSnapshot(p.orgId);
    await expectError(await remove(shared.id, p.mentee.token), 403, 'forbidden');
    await expectError(await remove(hidden.id, p.mentee.token), 404, 'not_found');
    expect(await orgSnapshot(p.orgId)).toEqual(before);
  });

  it.each(PAIR_STRANGERS)('answers $who with $status, changing nothing', async ({ who, status, code }) => {
    const p = await seedProgramme();
    const entry = await createEntry(p, p.mentor.token);
    const token = await strangerToken(p, who);
    const before = await orgSnapshot(p.orgId);
    await expectError(await remove(entry.id, token), status, code);
    expect(await orgSnapshot(p.orgId)).toEqual(before);
  });

  it('refuses deletion in an ended pair with 409', async () => {
    const p = await seedProgramme();
    const entry = await createEntry(p, p.mentor.token);
    await setPairStatusRow(p.pairId, 'ended');
    await expectError(await remove(entry.id, p.mentor.token), 409, 'conflict');
    expect(await countRows('entries', 'id = ? AND deleted_at IS NULL', entry.id)).toBe(1);
  });
});

describe('open actions in GET /pairs/:id/context', () => {
  it("show my private actions to me but never to my partner; done and deleted actions drop out", async () => {
    const p = await seedProgramme();
    const shared = await createEntry(p, p.mentor.token, { kind: 'action', body: 'shared action' });
    const hidden = await createEntry(p, p.mentor.token, { kind: 'action', body: 'private action', visibility: 'private' });
    const done = await createEntry(p, p.mentee.token, { kind: 'action', body: 'done action' });
    const gone = await createEntry(p, p.mentee.token, { kind: 'action', body: 'deleted action' });
    await createEntry(p, p.mentee.token, { kind: 'note', body: 'a note' });
    await expectJson(await call('PATCH', `${ENTRIES}/${done.id}`, { token: p.mentee.token, body: { version: 1, actionDone: true } }), 200);
    await expectJson(await call('DELETE', `${ENTRIES}/${gone.id}?version=1`, { token: p.mentee.token }), 200);

    const context = async (token: string) =>
      CallContext.parse(await expectJson(await call('GET', `/api/v1/pairs/${p.pairId}/context`, { token }), 200));
    expect((await context(p.mentor.token)).openActions.map((e) => e.id).sort()).toEqual([shared.id, hidden.id].sort());
    const partnerView = await context(p.mentee.token);
    expect(partnerView.openActions.map((e) => e.id)).toEqual([shared.id]);
    expect(JSON.stringify(partnerView)).not.toContain('private action');
  });
});

it('every error of the entries API is the one envelope', async () => {
  const p = await seedProgramme();
  const res = await call('POST', ENTRIES, { token: p.mentor.token, body: { pairId: p.pairId } });
  expect(ErrorEnvelope.strict().safeParse(await res.json()).success).toBe(true);
});
