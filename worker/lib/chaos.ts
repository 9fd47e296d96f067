/**
 * Dev-only fault injection for the chaos e2e suite (test/e2e/chaos.test.ts): wraps the request's D1 session so that
 * each query or batch fails with probability `rate`. Half of the failures happen before the query runs (D1 was not
 * reached), half after it ran (the write is committed but the worker sees an error, as when the answer is lost).
 *
 * Enabled only when the `CHAOS_D1_FAILURE_RATE` variable is set, which is never in wrangler.toml: the suite passes
 * it to `wrangler dev --var CHAOS_D1_FAILURE_RATE:0.05` (worker/dev/local.ts). Without it the session is returned
 * as it is, untouched.
 */
import { wrapD1Session } from './d1-wrap.ts';

/** The rate from the variable: a number in (0, 1], or undefined (off) for anything else. */
export function chaosRate(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const rate = Number(value);
  return Number.isFinite(rate) && rate > 0 && rate <= 1 ? rate : undefined;
}

/** Logged once per injected failure, so a test can count them in the worker's output. */
export const CHAOS_LOG_MARK = 'chaos: injected D1 failure';

/** Where a call fails: before it reaches D1, or after D1 ran it (committed, but the worker sees an error). */
export type FaultTiming = 'before' | 'after';

/**
 * Decides, per D1 call, whether it fails: `where` is the method (`run`, `first`, `all`, `raw`, `batch`), `sql` the
 * statement's text (a batch's statements joined by newlines). Null: the call runs normally.
 */
export type FaultPlan = (where: string, sql: string) => FaultTiming | null;

export function withChaos<S extends Pick<D1Database, 'prepare' | 'batch'>>(session: S, value: string | undefined, random: () => number = Math.random): S {
  const rate = chaosRate(value);
  if (rate === undefined) return session;
  return withFaults(session, () => {
    const roll = random();
    return roll < rate / 2 ? 'before' : roll < rate ? 'after' : null;
  });
}

/** Wraps a D1 session (or database) so that the calls `plan` picks fail; used by withChaos and by worker tests. */
export function withFaults<S extends Pick<D1Database, 'prepare' | 'batch'>>(session: S, plan: FaultPlan): S {
  const fail = (where: string): never => {
    console.log(`${CHAOS_LOG_MARK} (${where})`);
    throw new Error(`D1_ERROR: ${CHAOS_LOG_MARK} (${where})`);
  };
  return wrapD1Session(session, async (where, sql, query) => {
    const timing = plan(where, sql);
    if (timing === 'before') fail(`${where}, before`);
    const result = await query();
    if (timing === 'after') fail(`${where}, after`);
    return result;
  });
}
