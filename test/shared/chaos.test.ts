// worker/lib/chaos.ts: the dev-only D1 fault injector is off unless its variable is set, and then fails queries and
// batches before or after they run, handing D1's batch() its own statements.
import { describe, expect, it } from 'vitest';
import { chaosRate, withChaos } from '../../worker/lib/chaos.ts';

function fakeSession() {
  const ran: string[] = [];
  const statement = (sql: string): D1PreparedStatement =>
    ({
      sql,
      bind: (..._values: unknown[]) => statement(sql),
      run: async () => (ran.push(sql), { success: true }),
      all: async () => (ran.push(sql), { results: [] }),
      first: async () => (ran.push(sql), null),
      raw: async () => (ran.push(sql), []),
    }) as unknown as D1PreparedStatement;
  const session = {
    prepare: (sql: string) => statement(sql),
    batch: async (statements: D1PreparedStatement[]) => {
      for (const s of statements) ran.push(`batch:${(s as unknown as { sql: string }).sql}`);
      return [];
    },
    getBookmark: () => 'bookmark',
  };
  return { session, ran };
}

describe('withChaos', () => {
  it('returns the session untouched when the variable is unset, empty or not a rate', () => {
    for (const value of [undefined, '', '0', '-1', '2', 'abc']) {
      const { session } = fakeSession();
      expect(withChaos(session, value)).toBe(session);
    }
    expect(chaosRate('0.05')).toBe(0.05);
  });

  it('fails before the query runs, or after it ran, at the rate given', async () => {
    const { session, ran } = fakeSession();
    const rolls = [0.01, 0.04, 0.5];
    const chaotic = withChaos(session, '0.05', () => rolls.shift() ?? 0.5);
    await expect(chaotic.prepare('A').bind(1).run()).rejects.toThrow(/injected D1 failure.*before/);
    await expect(chaotic.prepare('B').first()).rejects.toThrow(/injected D1 failure.*after/);
    await expect(chaotic.prepare('C').all()).resolves.toEqual({ results: [] });
    expect(ran).toEqual(['B', 'C']);
    expect((chaotic as typeof session).getBookmark()).toBe('bookmark');
  });

  it('passes D1 its own statements in a batch', async () => {
    const { session, ran } = fakeSession();
    const chaotic = withChaos(session, '0.05', () => 0.9);
    await chaotic.batch([chaotic.prepare('X').bind(1), chaotic.prepare('Y')]);
    expect(ran).toEqual(['batch:X', 'batch:Y']);
  });
});
