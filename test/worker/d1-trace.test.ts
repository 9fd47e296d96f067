/**
 * The dev-only query trace (worker/lib/d1-trace.ts): one line per query with its kind, route and the rows D1 read,
 * and the same answers as without it (`first()` runs as `all()` under the trace, since only `all()` carries `meta`).
 */
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { D1_TRACE_MARK, withD1Trace } from '../../worker/lib/d1-trace.ts';

afterEach(() => vi.restoreAllMocks());

describe('D1 query trace', () => {
  it('logs kind, route and rows read, and answers as D1 does', async () => {
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: unknown) => void lines.push(String(line)));
    const plain = env.DB;
    const traced = withD1Trace(plain, '1', '/api/v1/test');
    const sql = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name";
    expect(await traced.prepare(sql).first()).toEqual(await plain.prepare(sql).first());
    expect(await traced.prepare(sql).first('name')).toEqual(await plain.prepare(sql).first('name'));
    expect((await traced.prepare(sql).all()).results).toEqual((await plain.prepare(sql).all()).results);
    await traced.batch([traced.prepare(sql), traced.prepare('SELECT 1 AS one')]);
    const traceLines = lines.filter((l) => l.startsWith(D1_TRACE_MARK));
    expect(traceLines.map((l) => l.split(' ')[1])).toEqual(['first', 'first', 'all', 'batch']);
    for (const line of traceLines) expect(line).toMatch(/ for \/api\/v1\/test rows_read=\d+$/);
    expect(Number(/rows_read=(\d+)/.exec(traceLines[2] ?? '')?.[1])).toBeGreaterThan(0);
    // Off unless asked for: the session itself comes back.
    expect(withD1Trace(plain, undefined, '/x')).toBe(plain);
  });
});
