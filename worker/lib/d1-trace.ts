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

export function withD1Trace<S extends Pick<D1Database, 'prepare' | 'batch'>>(session: S, value: string | undefined, route: string): S {
  if (value !== '1') return session;
  return wrapD1Session(session, (kind, _sql, query) => {
    console.log(`${D1_TRACE_MARK} ${kind} for ${route}`);
    return query();
  });
}
