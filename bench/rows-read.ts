/**
 * Rows read per hot request, from test/worker/query-plans.test.ts: it calls each hot route in workerd on a D1 that
 * records every statement with D1's `meta.rows_read`, on whole pairs of the scale programme, and prints one line of
 * figures. Running `wrangler dev` cannot give these yet: see "Rows read" in bench/README.md.
 */
import { ROOT, run } from '../worker/dev/local.ts';

export interface RowsRead {
  route: string;
  statements: number;
  rowsRead: number;
  rowsReturned: number;
}

const MARK = 'query-plans rows-read:';

export async function rowsReadInWorkerd(): Promise<RowsRead[]> {
  const out = await run('vitest', ['run', '--project', 'worker', 'test/worker/query-plans.test.ts'], { quiet: true });
  const line = out.split('\n').find((l) => l.includes(MARK));
  if (!line) throw new Error(`test/worker/query-plans.test.ts printed no "${MARK}" line (run from ${ROOT}):\n${out.slice(-2000)}`);
  return JSON.parse(line.slice(line.indexOf(MARK) + MARK.length)) as RowsRead[];
}
