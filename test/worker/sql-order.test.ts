/**
 * The lists that the worker sorts itself (worker/db/sql-order.ts) come out in the order SQLite's ORDER BY gives on the
 * same rows: checked against SQLite itself, first value by value, then list by list on rows made to tie.
 */
import { env } from 'cloudflare:workers';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { listAgenda } from '../../worker/db/agenda.ts';
import { listOpenActions } from '../../worker/db/entries.ts';
import { listGoalsOfPair } from '../../worker/db/goals.ts';
import { listPairsOfMember } from '../../worker/db/pairs.ts';
import { type SqlValue, compareText, sortLikeSql } from '../../worker/db/sql-order.ts';
import { type Programme, seedProgramme, seedUser, uuid } from './helpers.ts';

const DB = () => env.DB;

/** The positions of `values` in SQLite's order (`ORDER BY value, key`: the key, the position, breaks ties). */
async function sqliteOrder(values: readonly SqlValue[]): Promise<number[]> {
  const { results } = await DB().prepare('SELECT key FROM json_each(?) ORDER BY value, key').bind(JSON.stringify(values)).all<{ key: number }>();
  return results.map((r) => r.key);
}

const workerOrder = (values: readonly SqlValue[]): number[] =>
  sortLikeSql(
    values.map((v, i) => ({ v, i })),
    [{ by: (r) => r.v }, { by: (r) => r.i }],
  ).map((r) => r.i);

describe('compareSql against SQLite', () => {
  it('orders NULL, then numbers, then text by UTF-8 bytes (surrogate pairs after U+E000–U+FFFF)', async () => {
    const values: SqlValue[] = ['b', 'B', '', null, 'a', 10, -1.5, 2, '10', '\uFFFD', '\u{1F600}', '\uE000', 'é', 'e\u0301', 'ab', 'a\u0000', null, 2.0, 'Z', '~'];
    expect(workerOrder(values)).toEqual(await sqliteOrder(values));
    expect(compareText('\u{1F600}', '\uFFFD')).toBeGreaterThan(0);
    expect('\u{1F600}' < '\uFFFD').toBe(true); // what a plain JS comparison would get wrong
  });

  it('agrees with SQLite on any mix of NULLs, numbers and text', async () => {
    const value: fc.Arbitrary<SqlValue> = fc.oneof(
      fc.constant(null),
      fc.integer({ min: -1000, max: 1000 }),
      fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }).filter((x) => !Object.is(x, -0)),
      fc.string({ unit: 'binary', maxLength: 6 }).filter((s) => s.isWellFormed()),
      fc.constantFrom('a', 'A', 'ab', '\uFFFF', '\u{10000}', 'é'),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(value, { maxLength: 30 }), async (values) => {
        expect(workerOrder(values)).toEqual(await sqliteOrder(values));
      }),
      { numRuns: 200 },
    );
  });
});

// ---- each list, on rows made to tie on every key but the id ----------------------------------------------------------

/** A deterministic pick from a pool (a fixed sequence, so a failure reproduces). */
const picker = (seed: number) => {
  let s = seed >>> 0;
  return <T,>(pool: readonly T[]): T => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return pool[(s >>> 16) % pool.length] as T; // the high bits: an LCG's low bits repeat with a short period
  };
};

const DATES = [null, null, '2027-01-01', '2027-01-01', '2027-01-02', '2026-12-31', '', 'Z', 'a', 'é', '\u{1F600}', '\uFFFD'] as const;
const CREATED = ['2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.001Z', '2025-06-30T12:00:00.000Z'] as const;
const ROWS = 24;

const ids = async (sql: string, ...params: unknown[]) => (await DB().prepare(sql).bind(...params).all<{ id: string }>()).results.map((r) => r.id);

describe('the sorted lists, against the ORDER BY they replace', () => {
  it('goals and their milestones', async () => {
    const p = await seedProgramme();
    const pick = picker(1);
    const goalIds: string[] = [];
    for (let i = 0; i < ROWS; i++) {
      const id = uuid();
      goalIds.push(id);
      const created = pick(CREATED);
      await DB()
        .prepare('INSERT INTO goals (id, pair_id, org_id, owner_id, title, due_on, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .bind(id, p.pairId, p.orgId, p.mentee.id, `goal ${i}`, pick(DATES), pick(['active', 'paused', 'completed', 'dropped']), created, created)
        .run();
    }
    for (let i = 0; i < ROWS * 2; i++) {
      const created = pick(CREATED);
      await DB()
        .prepare('INSERT INTO milestones (id, goal_id, pair_id, title, due_on, done_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, NULL, ?, ?)')
        .bind(uuid(), pick(goalIds.slice(0, 4)), p.pairId, `step ${i}`, pick(DATES), created, created)
        .run();
    }
    const goals = await listGoalsOfPair(DB(), p.pairId);
    expect(goals.map((g) => g.id)).toEqual(
      await ids(
        `SELECT id FROM goals WHERE pair_id = ?
          ORDER BY CASE status WHEN 'active' THEN 0 WHEN 'paused' THEN 1 WHEN 'completed' THEN 2 ELSE 3 END, due_on IS NULL, due_on, created_at, id`,
        p.pairId,
      ),
    );
    for (const g of goals.filter((x) => x.milestones.length > 0)) {
      expect(g.milestones.map((m) => m.id)).toEqual(await ids('SELECT id FROM milestones WHERE goal_id = ? ORDER BY due_on IS NULL, due_on, created_at, id', g.id));
    }
    expect(goals.flatMap((g) => g.milestones)).toHaveLength(ROWS * 2);
  });

  it('open actions', async () => {
    const p = await seedProgramme();
    const pick = picker(2);
    for (let i = 0; i < ROWS; i++) {
      const created = pick(CREATED);
      await DB()
        .prepare(
          `INSERT INTO entries (id, pair_id, org_id, author_id, kind, visibility, body, action_due_on, change_seq, shared_seq, created_at, updated_at)
           VALUES (?, ?, ?, ?, 'action', 'shared', 'x', ?, ?, ?, ?, ?)`,
        )
        .bind(uuid(), p.pairId, p.orgId, p.mentor.id, pick(DATES), i + 1, i + 1, created, created)
        .run();
    }
    expect((await listOpenActions(DB(), p.pairId, p.mentee.id)).map((e) => e.id)).toEqual(
      await ids("SELECT id FROM entries WHERE pair_id = ? AND kind = 'action' ORDER BY action_due_on IS NULL, action_due_on, created_at, id", p.pairId),
    );
  });

  it('agenda', async () => {
    const p = await seedProgramme();
    const pick = picker(3);
    const recent = [null, null, new Date(Date.now() - 3_600_000).toISOString(), new Date(Date.now() - 7_200_000).toISOString()];
    for (let i = 0; i < ROWS; i++) {
      const created = pick(CREATED);
      await DB()
        .prepare('INSERT INTO agenda_items (id, pair_id, author_id, body, position, done_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .bind(uuid(), p.pairId, p.mentor.id, `item ${i}`, pick([0, 0, 1, -1, 2, 10]), pick(recent), created, created)
        .run();
    }
    expect((await listAgenda(DB(), p.pairId)).map((a) => a.id)).toEqual(
      await ids('SELECT id FROM agenda_items WHERE pair_id = ? ORDER BY done_at IS NOT NULL, position, created_at, id', p.pairId),
    );
  });

  it("a member's pairs, as mentor and as mentee", async () => {
    const p: Programme = await seedProgramme();
    const pick = picker(4);
    const t = new Date().toISOString();
    const addPair = async (mentorId: string, menteeId: string) =>
      DB()
        .prepare(`INSERT INTO pairs (id, org_id, mentor_id, mentee_id, status, cadence, started_on, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'weekly', ?, ?, ?)`)
        .bind(uuid(), p.orgId, mentorId, menteeId, pick(['active', 'paused', 'ended']), pick(['2026-01-01', '2026-01-01', '2025-05-05', '2026-03-01']), t, t)
        .run();
    for (let i = 0; i < 10; i++) await addPair(p.mentor.id, (await seedUser(p.orgId, 'mentee')).id);
    for (let i = 0; i < 3; i++) await addPair((await seedUser(p.orgId, 'mentor')).id, p.mentor.id);
    const pairs = await listPairsOfMember(DB(), p.mentor.id);
    expect(pairs.map((x) => x.id)).toEqual(
      await ids(
        `SELECT id FROM pairs WHERE mentor_id = ?1 OR mentee_id = ?1
          ORDER BY CASE status WHEN 'active' THEN 0 WHEN 'paused' THEN 1 ELSE 2 END, started_on DESC, id`,
        p.mentor.id,
      ),
    );
    expect(pairs.filter((x) => x.myRole === 'mentee')).toHaveLength(3);
    expect(pairs.every((x) => x.partner.id === (x.myRole === 'mentor' ? x.menteeId : x.mentorId))).toBe(true);
  });
});
