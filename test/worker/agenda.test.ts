import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AgendaItem } from '../../shared/schemas/index.ts';
import {
  PAIR_STRANGERS,
  type Programme,
  call,
  countRows,
  expectError,
  expectJson,
  orgSnapshot,
  seedProgramme,
  seedSiblingPair,
  setPairStatusRow,
  strangerToken,
  uuid,
} from './helpers.ts';

const AGENDA = '/api/v1/agenda';
const AgendaList = z.object({ agenda: z.array(AgendaItem) });

async function addItem(p: Programme, token: string, over: { id?: string; body?: string; position?: number } = {}): Promise<AgendaItem> {
  const res = await call('POST', AGENDA, { token, body: { id: uuid(), pairId: p.pairId, body: 'Talk about the promotion case', ...over } });
  return AgendaItem.parse((await expectJson<{ item: unknown }>(res, 201)).item);
}

async function listAgenda(p: Programme, token: string): Promise<AgendaItem[]> {
  return AgendaList.parse(await expectJson(await call('GET', `${AGENDA}?pairId=${p.pairId}`, { token }), 200)).agenda;
}

const itemsOfPair = (p: Programme) => countRows('agenda_items', 'pair_id = ?', p.pairId);

describe('GET /agenda', () => {
  it('lists open items by position for both partners, done ones after them', async () => {
    const p = await seedProgramme();
    const a = await addItem(p, p.mentor.token, { body: 'a' });
    const b = await addItem(p, p.mentee.token, { body: 'b' });
    const first = await addItem(p, p.mentee.token, { body: 'first', position: 0 });
    await expectJson(await call('PATCH', `${AGENDA}/${a.id}`, { token: p.mentee.token, body: { version: 1, done: true } }), 200);
    for (const token of [p.mentor.token, p.mentee.token]) {
      expect((await listAgenda(p, token)).map((i) => i.body)).toEqual(['first', 'b', 'a']);
    }
    expect([a.position, b.position, first.position]).toEqual([0, 1, 0]);
  });

  it('drops deleted items and items done more than two days ago', async () => {
    const p = await seedProgramme();
    const old = await addItem(p, p.mentor.token, { body: 'covered last month' });
    const gone = await addItem(p, p.mentor.token, { body: 'deleted' });
    const recent = await addItem(p, p.mentor.token, { body: 'covered yesterday' });
    await env.DB.prepare('UPDATE agenda_items SET done_at = ? WHERE id = ?').bind(new Date(Date.now() - 30 * 86_400_000).toISOString(), old.id).run();
    await env.DB.prepare('UPDATE agenda_items SET done_at = ? WHERE id = ?').bind(new Date(Date.now() - 86_400_000).toISOString(), recent.id).run();
    await expectJson(await call('DELETE', `${AGENDA}/${gone.id}?version=1`, { token: p.mentor.token }), 200);
    expect((await listAgenda(p, p.mentee.token)).map((i) => i.id)).toEqual([recent.id]);
  });

  it.each([
    ['without a pairId', ''],
    ['with a pairId that is not a UUID', '?pairId=123'],
  ])('answers 400 %s', async (_, query) => {
    const p = await seedProgramme();
    const envelope = await expectError(await call('GET', `${AGENDA}${query}`, { token: p.mentor.token }), 400, 'invalid_input');
    expect(envelope.error.issues?.[0]?.path).toEqual(['pairId']);
  });

  it.each(PAIR_STRANGERS)('answers $who with $status and no items', async ({ who, status, code }) => {
    const p = await seedProgramme();
    await addItem(p, p.mentor.token, { body: 'confidential topic' });
    const envelope = await expectError(await call('GET', `${AGENDA}?pairId=${p.pairId}`, { token: await strangerToken(p, who) }), status, code);
    expect(JSON.stringify(envelope)).not.toContain('confidential');
  });

  it('still lists the agenda of an ended pair', async () => {
    const p = await seedProgramme();
    await addItem(p, p.mentor.token);
    await setPairStatusRow(p.pairId, 'ended');
    expect(await listAgenda(p, p.mentee.token)).toHaveLength(1);
  });
});

describe('POST /agenda', () => {
  it('adds an item at the end by default, authored by the caller', async () => {
    const p = await seedProgramme();
    await addItem(p, p.mentor.token);
    const id = uuid();
    const item = await addItem(p, p.mentee.token, { id, body: '  Review the portfolio  ' });
    expect(item).toMatchObject({ id, pairId: p.pairId, authorId: p.mentee.id, body: 'Review the portfolio', position: 1, doneAt: null, version: 1 });
    expect(await itemsOfPair(p)).toBe(2);
  });

  it('answers a retry with the same id with the stored item (200), not a second row', async () => {
    const p = await seedProgramme();
    const item = await addItem(p, p.mentor.token);
    const res = await call('POST', AGENDA, { token: p.mentor.token, body: { id: item.id, pairId: p.pairId, body: 'retry' } });
    expect(AgendaItem.parse((await expectJson<{ item: unknown }>(res, 200)).item)).toEqual(item);
    expect(await itemsOfPair(p)).toBe(1);
  });

  it('replays a retry with the same Idempotency-Key and refuses the key for another body', async () => {
    const p = await seedProgramme();
    const body = { id: uuid(), pairId: p.pairId, body: 'Salary talk' };
    const headers = { 'idempotency-key': `agenda:${body.id}` };
    const first = await expectJson(await call('POST', AGENDA, { token: p.mentor.token, body, headers }), 201);
    const again = await call('POST', AGENDA, { token: p.mentor.token, body, headers });
    expect(await expectJson(again, 201)).toEqual(first);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    await expectError(await call('POST', AGENDA, { token: p.mentor.token, body: { ...body, id: uuid() }, headers }), 409, 'conflict');
    expect(await itemsOfPair(p)).toBe(1);
  });

  it("refuses an id that belongs to another pair's item with 409", async () => {
    const p = await seedProgramme();
    const sibling = await seedSiblingPair(p);
    const id = uuid();
    await expectJson(await call('POST', AGENDA, { token: sibling.mentor.token, body: { id, pairId: sibling.pairId, body: 'theirs' } }), 201);
    const envelope = await expectError(await call('POST', AGENDA, { token: p.mentor.token, body: { id, pairId: p.pairId, body: 'mine' } }), 409, 'conflict');
    expect(JSON.stringify(envelope)).not.toContain('theirs');
    expect(await itemsOfPair(p)).toBe(0);
  });

  const invalid: [string, (p: Programme) => unknown][] = [
    ['an empty object', () => ({})],
    ['an id that is not a UUID', (p) => ({ id: 'x', pairId: p.pairId, body: 'b' })],
    ['no pairId', () => ({ id: uuid(), body: 'b' })],
    ['a blank body', (p) => ({ id: uuid(), pairId: p.pairId, body: ' ' })],
    ['a body over 1,000 characters', (p) => ({ id: uuid(), pairId: p.pairId, body: 'x'.repeat(1001) })],
    ['a negative position', (p) => ({ id: uuid(), pairId: p.pairId, body: 'b', position: -1 })],
    ['a fractional position', (p) => ({ id: uuid(), pairId: p.pairId, body: 'b', position: 1.5 })],
    ['a position over 10,000', (p) => ({ id: uuid(), pairId: p.pairId, body: 'b', position: 10_001 })],
  ];
  it.each(invalid)('refuses %s with 400 and issues, writing nothing', async (_, make) => {
    const p = await seedProgramme();
    const envelope = await expectError(await call('POST', AGENDA, { token: p.mentor.token, body: make(p) }), 400, 'invalid_input');
    expect(envelope.error.issues?.length).toBeGreaterThan(0);
    expect(await itemsOfPair(p)).toBe(0);
  });

  it.each(PAIR_STRANGERS)('answers $who with $status and writes nothing', async ({ who, status, code }) => {
    const p = await seedProgramme();
    const res = await call('POST', AGENDA, { token: await strangerToken(p, who), body: { id: uuid(), pairId: p.pairId, body: 'intruder' } });
    await expectError(res, status, code);
    expect(await itemsOfPair(p)).toBe(0);
  });

  it('refuses new items in an ended pair with 409', async () => {
    const p = await seedProgramme();
    await setPairStatusRow(p.pairId, 'ended');
    await expectError(await call('POST', AGENDA, { token: p.mentor.token, body: { id: uuid(), pairId: p.pairId, body: 'late' } }), 409, 'conflict');
    expect(await itemsOfPair(p)).toBe(0);
  });
});

describe('PATCH /agenda/:id', () => {
  const patch = (id: string, token: string | undefined, body: unknown) => call('PATCH', `${AGENDA}/${id}`, { token, body });

  it('lets either partner edit, move, tick off and reopen an item', async () => {
    const p = await seedProgramme();
    const item = await addItem(p, p.mentor.token);
    const edited = AgendaItem.parse((await expectJson<{ item: unknown }>(await patch(item.id, p.mentee.token, { version: 1, body: 'Reworded', position: 7 }), 200)).item);
    expect(edited).toMatchObject({ body: 'Reworded', position: 7, version: 2, authorId: p.mentor.id, doneAt: null });
    const done = (await expectJson<{ item: AgendaItem }>(await patch(item.id, p.mentor.token, { version: 2, done: true }), 200)).item;
    expect(done.doneAt).not.toBeNull();
    expect(done).toMatchObject({ body: 'Reworded', position: 7, version: 3 });
    const reopened = (await expectJson<{ item: AgendaItem }>(await patch(item.id, p.mentee.token, { version: 3, done: false }), 200)).item;
    expect(reopened).toMatchObject({ doneAt: null, version: 4 });
  });

  it('answers a stale version with 409 and the current item, changing nothing', async () => {
    const p = await seedProgramme();
    const item = await addItem(p, p.mentor.token);
    await expectJson(await patch(item.id, p.mentee.token, { version: 1, body: 'newer' }), 200);
    const before = await orgSnapshot(p.orgId);
    const envelope = await expectError(await patch(item.id, p.mentor.token, { version: 1, done: true }), 409, 'version_conflict');
    expect(AgendaItem.parse(envelope.current)).toMatchObject({ id: item.id, version: 2, body: 'newer' });
    expect(await orgSnapshot(p.orgId)).toEqual(before);
  });

  it.each([
    ['nothing to change', { version: 1 }],
    ['no version', { body: 'x' }],
    ['a blank body', { version: 1, body: '' }],
    ['a negative position', { version: 1, position: -3 }],
    ['done that is not a boolean', { version: 1, done: 1 }],
  ])('refuses %s with 400, changing nothing', async (_, body) => {
    const p = await seedProgramme();
    const item = await addItem(p, p.mentor.token);
    const before = await orgSnapshot(p.orgId);
    const envelope = await expectError(await patch(item.id, p.mentor.token, body), 400, 'invalid_input');
    expect(envelope.error.issues?.length).toBeGreaterThan(0);
    expect(await orgSnapshot(p.orgId)).toEqual(before);
  });

  it('answers 400 for an id that is not a UUID, 404 for an unknown or deleted item', async () => {
    const p = await seedProgramme();
    const item = await addItem(p, p.mentor.token);
    await expectJson(await call('DELETE', `${AGENDA}/${item.id}?version=1`, { token: p.mentor.token }), 200);
    await expectError(await patch('nope', p.mentor.token, { version: 1, done: true }), 400, 'invalid_input');
    await expectError(await patch(uuid(), p.mentor.token, { version: 1, done: true }), 404, 'not_found');
    await expectError(await patch(item.id, p.mentor.token, { version: 2, done: true }), 404, 'not_found');
  });

  it.each(PAIR_STRANGERS)('answers $who with $status, changing nothing', async ({ who, status, code }) => {
    const p = await seedProgramme();
    const item = await addItem(p, p.mentor.token);
    const token = await strangerToken(p, who);
    const before = await orgSnapshot(p.orgId);
    await expectError(await patch(item.id, token, { version: 1, body: 'hijacked' }), status, code);
    expect(await orgSnapshot(p.orgId)).toEqual(before);
  });

  it('refuses edits in an ended pair with 409', async () => {
    const p = await seedProgramme();
    const item = await addItem(p, p.mentor.token);
    await setPairStatusRow(p.pairId, 'ended');
    const before = await orgSnapshot(p.orgId);
    await expectError(await patch(item.id, p.mentor.token, { version: 1, done: true }), 409, 'conflict');
    expect(await orgSnapshot(p.orgId)).toEqual(before);
  });
});

describe('DELETE /agenda/:id', () => {
  const remove = (id: string, token: string | undefined, query = '?version=1') => call('DELETE', `${AGENDA}/${id}${query}`, { token });

  it("lets either partner remove an item, including the other's", async () => {
    const p = await seedProgramme();
    const item = await addItem(p, p.mentor.token);
    expect(await expectJson(await remove(item.id, p.mentee.token), 200)).toEqual({ ok: true });
    expect(await listAgenda(p, p.mentor.token)).toEqual([]);
    expect(await countRows('agenda_items', 'id = ? AND deleted_at IS NOT NULL', item.id)).toBe(1);
    // Gone means gone: a second delete finds nothing.
    await expectError(await remove(item.id, p.mentor.token, '?version=2'), 404, 'not_found');
  });

  it('answers a stale version with 409 and the current item', async () => {
    const p = await seedProgramme();
    const item = await addItem(p, p.mentor.token);
    await expectJson(await call('PATCH', `${AGENDA}/${item.id}`, { token: p.mentee.token, body: { version: 1, body: 'newer' } }), 200);
    const envelope = await expectError(await remove(item.id, p.mentor.token), 409, 'version_conflict');
    expect(AgendaItem.parse(envelope.current)).toMatchObject({ version: 2, body: 'newer' });
    expect(await countRows('agenda_items', 'id = ? AND deleted_at IS NULL', item.id)).toBe(1);
  });

  it.each([
    ['no version', ''],
    ['a version that is not a number', '?version=abc'],
  ])('refuses %s with 400', async (_, query) => {
    const p = await seedProgramme();
    const item = await addItem(p, p.mentor.token);
    await expectError(await remove(item.id, p.mentor.token, query), 400, 'invalid_input');
    expect(await countRows('agenda_items', 'id = ? AND deleted_at IS NULL', item.id)).toBe(1);
  });

  it.each(PAIR_STRANGERS)('answers $who with $status, changing nothing', async ({ who, status, code }) => {
    const p = await seedProgramme();
    const item = await addItem(p, p.mentor.token);
    const token = await strangerToken(p, who);
    const before = await orgSnapshot(p.orgId);
    await expectError(await remove(item.id, token), status, code);
    expect(await orgSnapshot(p.orgId)).toEqual(before);
  });

  it('refuses removal in an ended pair with 409', async () => {
    const p = await seedProgramme();
    const item = await addItem(p, p.mentor.token);
    await setPairStatusRow(p.pairId, 'ended');
    await expectError(await remove(item.id, p.mentee.token), 409, 'conflict');
    expect(await countRows('agenda_items', 'id = ? AND deleted_at IS NULL', item.id)).toBe(1);
  });
});
