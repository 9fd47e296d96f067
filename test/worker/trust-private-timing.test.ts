/**
 * Issue 8, defect 8: the partner's entry stream reveals nothing of the other member's private notes: not the
 * entries, not the cursor, not gaps in the numbers, not when they were written, edited or deleted.
 */
import { describe, expect, it } from 'vitest';
import { EntriesPage, Entry } from '../../shared/schemas/index.ts';
import { type Programme, type SeededUser, call, expectJson, seedProgramme, uuid } from './helpers.ts';

const ENTRIES = '/api/v1/entries';

async function list(p: Programme, who: SeededUser, since?: string, limit?: number) {
  const query = `${since ? `&since=${since}` : ''}${limit ? `&limit=${limit}` : ''}`;
  const res = await call('GET', `${ENTRIES}?pairId=${p.pairId}${query}`, { token: who.token });
  return { raw: await res.clone().text(), page: EntriesPage.parse(await expectJson(res, 200)) };
}

async function write(p: Programme, who: SeededUser, visibility: 'shared' | 'private', body: string): Promise<Entry> {
  const res = await call('POST', ENTRIES, { token: who.token, body: { id: uuid(), pairId: p.pairId, kind: 'note', visibility, body } });
  return Entry.parse((await expectJson<{ entry: unknown }>(res, 201)).entry);
}

/** Everything the partner can ask about the stream: from the start, page by page, and since each cursor. */
async function partnerView(p: Programme, partner: SeededUser, cursors: string[]) {
  return {
    all: (await list(p, partner)).raw,
    paged: (await list(p, partner, undefined, 1)).raw,
    since: await Promise.all(cursors.map(async (c) => (await list(p, partner, c)).raw)),
  };
}

describe("the partner's stream does not reveal private notes (issue 8, defect 8)", () => {
  it('is identical, body and cursor, before and after the other member writes, edits and deletes private entries', async () => {
    const p = await seedProgramme();
    await write(p, p.mentee, 'shared', 'shared one');
    await write(p, p.mentor, 'shared', 'shared two');
    await write(p, p.mentee, 'private', "the mentee's own private note");
    const cursors = ['0:0', (await list(p, p.mentee)).page.cursor, '1:0'];
    const before = await partnerView(p, p.mentee, cursors);

    // The mentor's private activity: two notes, an edit, a deletion.
    const a = await write(p, p.mentor, 'private', 'private a');
    const b = await write(p, p.mentor, 'private', 'private b');
    await expectJson(await call('PATCH', `${ENTRIES}/${a.id}`, { token: p.mentor.token, body: { version: 1, body: 'private a, edited' } }), 200);
    await expectJson(await call('DELETE', `${ENTRIES}/${b.id}?version=1`, { token: p.mentor.token }), 200);

    expect(await partnerView(p, p.mentee, cursors)).toEqual(before);

    // No gap either: the next shared entry takes the very next shared number.
    const shared = (await list(p, p.mentee)).page.entries.filter((e) => e.visibility === 'shared');
    const next = await write(p, p.mentor, 'shared', 'shared three');
    expect(next.seq).toBe(Math.max(...shared.map((e) => e.seq)) + 1);
    const after = await list(p, p.mentee, (await list(p, p.mentee)).page.cursor.replace(/^\d+/, String(next.seq - 1)));
    expect(after.page.entries.map((e) => e.id)).toEqual([next.id]);
  });

  it('the author still syncs their own private entries, edits and deletions', async () => {
    const p = await seedProgramme();
    await write(p, p.mentee, 'shared', 'shared one');
    const start = (await list(p, p.mentor)).page.cursor;
    const a = await write(p, p.mentor, 'private', 'private a');
    const b = await write(p, p.mentor, 'private', 'private b');
    const mid = (await list(p, p.mentor, start)).page;
    expect(mid.entries.map((e) => [e.id, e.body])).toEqual([
      [a.id, 'private a'],
      [b.id, 'private b'],
    ]);
    await expectJson(await call('PATCH', `${ENTRIES}/${a.id}`, { token: p.mentor.token, body: { version: 1, body: 'private a, edited' } }), 200);
    await expectJson(await call('DELETE', `${ENTRIES}/${b.id}?version=1`, { token: p.mentor.token }), 200);
    const changes = (await list(p, p.mentor, mid.cursor)).page;
    expect(changes.entries.map((e) => [e.id, e.body, e.deleted])).toEqual([
      [a.id, 'private a, edited', false],
      [b.id, '', true],
    ]);
    // Paging through both streams at one entry a page reaches everything exactly once.
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 10; i++) {
      const page = (await list(p, p.mentor, cursor, 1)).page;
      seen.push(...page.entries.map((e) => e.id));
      cursor = page.cursor;
      if (!page.hasMore) break;
    }
    expect(seen).toHaveLength(3);
    expect(new Set(seen).size).toBe(3);
  });

  it('a private entry shared later reaches the partner, after the shared entries they already have', async () => {
    const p = await seedProgramme();
    const draft = await write(p, p.mentor, 'private', 'draft');
    const before = (await list(p, p.mentee)).page;
    expect(before).toEqual({ entries: [], cursor: '0:0', hasMore: false });
    await expectJson(await call('PATCH', `${ENTRIES}/${draft.id}`, { token: p.mentor.token, body: { version: 1, visibility: 'shared' } }), 200);
    const after = (await list(p, p.mentee, before.cursor)).page;
    expect(after.entries.map((e) => [e.id, e.visibility, e.seq])).toEqual([[draft.id, 'shared', 1]]);
  });

  it('accepts a plain-number cursor of older clients by starting again', async () => {
    const p = await seedProgramme();
    const e = await write(p, p.mentor, 'shared', 'hello');
    const page = (await list(p, p.mentee, '57')).page;
    expect(page.entries.map((x) => x.id)).toEqual([e.id]);
    expect(page.cursor).toBe('1:0');
  });
});
