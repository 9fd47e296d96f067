/**
 * Dev-only query trace for the live-room e2e suite (test/e2e/live.test.ts), which counts the D1 queries made while
 * two partners sit idle with the socket up: it must be none. Each query logs one line with its kind and the route
 * that made it: never the SQL's values, so no note text or token reaches the log.
 *
 * Enabled only when the `D1_TRACE` variable is "1", which is never in wrangler.toml: the suite passes it to
 * `wrangler dev --var D1_TRACE:1` (worker/dev/local.ts). Without it the session is returned untouched.
 */
import { wrapD1Session } from './d1-wrap.ts';

/** Logged once per query, so a test can count them in the worker's output. */
export const D1_TRACE_MARK = 'd1-trace:';

/** D1's count of rows a query read (`meta.rows_read`; https://developers.cloudflare.com/d1/worker-api/return-object/). */
const rowsRead = (result: unknown): number => (result as { meta?: { rows_read?: number } } | null)?.meta?.rows_read ?? 0;

/**
 * Each line also says how many rows the query read, for the benchmarks (issue 11). `first()` answers the row alone,
 * without `meta`, so under the trace it runs as `all()` on the same statement and answers the first row (or the
 * named column of it) as `first()` does.
 */
export function withD1Trace<S extends Pick<D1Database, 'prepare' | 'batch'>>(session: S, value: string | undefined, route: string): S {
  if (value !== '1') return session;
  return wrapD1Session(session, async (kind, _sql, query, statement, args) => {
    if (kind === 'first' && statement) {
      const all = await statement.all<Record<string, unknown>>();
      console.log(`${D1_TRACE_MARK} first for ${route} rows_read=${rowsRead(all)}`);
      const row = all.results[0] ?? null;
      const column = typeof args?.[0] === 'string' ? args[0] : undefined;
      return (column === undefined ? row : (row?.[column] ?? null)) as never;
    }
    const result = await query();
    const read = kind === 'batch' && Array.isArray(result) ? result.reduce<number>((n, r) => n + rowsRead(r), 0) : rowsRead(result);
    console.log(`${D1_TRACE_MARK} ${kind} for ${route} rows_read=${read}`);
    return result;
  });
}
