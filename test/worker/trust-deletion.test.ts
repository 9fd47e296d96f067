/**
 * Issue 8, defect 3: deleting erases the text at once; a tombstone without text stays for sync.
 * Checked in D1 itself, not only in the answers.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { EntriesPage, Entry } from '../../shared/schemas/index.ts';
import { type Programme, call, expectError, expectJson, seedProgramme, uuid } from './helpers.ts';

const ENTRIES = '/api/v1/entries';
const AGENDA = '/api/v1/agenda';
const DB = env.DB;

async function listEntries(p: Programme, token: string, since?: string) {
  const query = since ? `&since=${since}` : '';
  return EntriesPage.parse(await expectJson(await call('GET', `${ENTRIES}?pairId=${p.pairId}${query}`, { token }), 200));
}

describe('deleting erases the text (issue 8, defect 3)', () => {
  it.each(['shared', 'private'] as const)('a deleted %s entry keeps no body in D1, and the stream carries its tombstone', async (visibility) => {
    const p = await seedProgramme();
    const text = `secret words ${uuid()}`;
    const created = await expectJson<{ entry: Entry }>(
      await call('POST', ENTRIES, { token: p.mentor.token, body: { id: uuid(), pairId: p.pairId, kind: 'note', visibility, body: text } }),
      201,
    );
    const { cursor } = await listEntries(p, p.mentor.token);
    await expectJson(await call('DELETE', `${ENTRIES}/${created.entry.id}?version=1`, { token: p.mentor.token }), 200);

    const row = await DB.prepare('SELECT body, deleted_at FROM entries WHERE id = ?').bind(created.entry.id).first<{ body: string; deleted_at: string | null }>();
    expect(row).toMatchObject({ body: '' });
    expect(row?.deleted_at).not.toBeNull();
    const { results } = await DB.prepare('SELECT * FROM entries WHERE pair_id = ?').bind(p.pairId).all();
    expect(JSON.stringify(results)).not.toContain(text);

    const changes = await listEntries(p, p.mentor.token, cursor);
    expect(changes.entries).toEqual([expect.objectContaining({ id: created.entry.id, deleted: true, body: '' })]);
    if (visibility === 'shared') {
      // The partner's stream gets the tombstone too.
      const partner = await listEntries(p, p.mentee.token);
      expect(partner.entries).toEqual([expect.objectContaining({ id: created.entry.id, deleted: true, body: '' })]);
    }
  });

  it('a deleted agenda item keeps no body in D1, and a retried create does not bring it back', async () => {
    const p = await seedProgramme();
    const text = `agenda secret ${uuid()}`;
    const item = { id: uuid(), pairId: p.pairId, body: text };
    await expectJson(await call('POST', AGENDA, { token: p.mentee.token, body: item }), 201);
    await expectJson(await call('DELETE', `${AGENDA}/${item.id}?version=1`, { token: p.mentor.token }), 200);

    const row = await DB.prepare('SELECT body, deleted_at FROM agenda_items WHERE id = ?').bind(item.id).first<{ body: string; deleted_at: string | null }>();
    expect(row).toMatchObject({ body: '' });
    expect(row?.deleted_at).not.toBeNull();

    await expectError(await call('POST', AGENDA, { token: p.mentee.token, body: item }), 404, 'not_found');
    const stillGone = await DB.prepare('SELECT body, deleted_at FROM agenda_items WHERE id = ?').bind(item.id).first<{ body: string; deleted_at: string | null }>();
    expect(stillGone).toEqual(row);
  });
});
