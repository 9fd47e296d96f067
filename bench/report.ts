/** BENCHMARKS.md: every figure of one `npm run bench` run, with the machine, the date and the command. */
import type { DashboardResult } from './dashboard.ts';
import { type ExtensionCost, extensionSection } from './extension-cost.ts';
import { type QueryCount, ROUTES, type RouteFigures, roundSpread } from './hot-paths.ts';
import type { SeedStats } from '../worker/dev/scale/local-d1.ts';
import type { ProgrammeSize } from '../worker/dev/scale/programme.ts';
import type { RowsRead } from './rows-read.ts';
import { type Machine, kb, mb, ms, ratio } from './stats.ts';


export interface Report {
  command: string;
  date: string;
  machine: Machine;
  quick: boolean;
  seed: number;
  today: string;
  seconds?: number;
  seeding?: { stats: SeedStats | null; size: ProgrammeSize; persistTo: string };
  dashboard?: DashboardResult;
  rowsReturned?: Record<string, number>;
  hotPaths?: { options: { connections: number; rounds: number; secondsPerBurst: number }; routes: RouteFigures[] };
  queries?: QueryCount[];
  rowsRead?: RowsRead[] | { error: string };
  extension?: ExtensionCost;
}

/** Targets of issue 11, shown next to the figures. */
const HOT_PATH_TARGET = 1.3;

const table = (head: string[], rows: (string | number)[][]) =>
  [`| ${head.join(' | ')} |`, `| ${head.map((h, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

export function writeReport(r: Report): string {
  const out: string[] = [];
  const n = (x: number) => x.toLocaleString('en');
  out.push('# Benchmarks', '');
  out.push(
    `Written by \`${r.command}\` on ${r.date.slice(0, 16).replace('T', ' ')} UTC${r.seconds ? ` (the run took ${Math.round(r.seconds)} s)` : ''}.` +
      (r.quick ? ' **Quick run**: a reduced programme and shorter measurements; the full figures come from `npm run bench`.' : ''),
    '',
    `Machine: ${r.machine.cores} cores (${r.machine.cpu}), ${r.machine.memory}, ${r.machine.platform}, Node ${r.machine.node}. ` +
      'It is shared with other work, so absolute times move from run to run; the hot paths are given as ratios to a floor ' +
      'route measured in the same run, which a busy machine slows alike.',
    '',
  );

  if (r.seeding) {
    const s = r.seeding;
    out.push('## The programme', '');
    out.push(
      `Seeded by \`worker/dev/scale-seed.ts\` (seed ${r.seed}, activity up to ${r.today}) into a local D1 at \`${s.persistTo}\`: ` +
        `${n(s.size.pairs)} pairs (${n(s.size.mentors)} mentors), a year of meetings on each pair's cadence, ratings, goals with revisions and milestones, ` +
        `agenda items and ${n(s.size.entries)} entries (notes, actions, decisions and questions; shared and private), every pair end-to-end encrypted ` +
        '(entry, goal and agenda text are sealed values of realistic length).',
      '',
    );
    if (s.stats) {
      out.push(
        table(
          ['table', 'rows'],
          Object.entries(s.stats.rows).map(([t, c]) => [t, n(c)]),
        ),
        '',
        `Written in ${s.stats.seconds.toFixed(0)} s; the database file is ${(s.stats.bytes / 1024 ** 2).toFixed(0)} MB.`,
        '',
      );
    } else out.push('Reused from an earlier run (`--reuse`): its rows include what earlier benchmark runs wrote.', '');
  }

  if (r.dashboard) {
    out.push('## Admin dashboard', '');
    out.push(
      '`GET /api/v1/admin/dashboard`, one request at a time after a warm-up, on `wrangler dev` (workerd and local SQLite). ' +
        'Each follows a request of the floor route (`GET /auth/me`, same token), whose median is given too.',
      '',
    );
    out.push(
      table(
        ['range', 'requests', 'median', 'p95', 'min', 'max', 'floor median', 'median ÷ floor', 'answer'],
        r.dashboard.cases.map((c) => [c.label, c.runs, ms(c.median), ms(c.p95), ms(c.min), ms(c.max), ms(c.floorMedian), `${c.ratio.toFixed(1)}×`, c.summary]),
      ),
      '',
      `The pairs.csv export (${n(r.dashboard.exportPairs)} pairs) took ${ms(r.dashboard.exportMs, 0)}. ` +
        'Targets (issue 11): default view median ≤ 100 ms, 52-week view ≤ 150 ms.',
      '',
    );
    if (r.dashboard.rowsRead) {
      out.push(
        'Rows read by one load, summed from D1\'s `meta.rows_read` on the query trace (target ≤ 50,000):',
        '',
        table(
          ['range', 'D1 calls', 'rows read', 'target met'],
          r.dashboard.rowsRead.map((d) => [d.label, d.calls, n(d.rowsRead), d.rowsRead <= 50_000 ? 'yes' : 'no']),
        ),
        '',
      );
    }
  }

  if (r.hotPaths) {
    const h = r.hotPaths;
    out.push('## Member hot paths under load', '');
    out.push(
      `autocannon, ${h.options.connections} connections, against \`wrangler dev\` on the programme above. The routes take turns: ` +
        `${h.options.rounds} rounds, each running every route for ${h.options.secondsPerBurst} s (after a 1 s warm-up each), so load from ` +
        'elsewhere on the machine falls on all of them. Members of 16 pairs read (context, entries since their cursor, live ' +
        'ticket, the floor); members of 16 other pairs add entries, each with a new id and Idempotency-Key. Latency percentiles are ' +
        "over every answer of the route, from autocannon's per-response times.",
      '',
    );
    out.push(
      table(
        ['route', 'answers', 'throughput', 'p50', 'p99', 'p50 ÷ floor p50', 'per round', 'target', 'failed'],
        h.routes.map((f) => [
          f.label,
          n(f.requests),
          `${f.throughput.toFixed(0)} req/s`,
          ms(f.p50),
          ms(f.p99),
          `**${ratio(f.p50Ratio)}**`,
          roundSpread(f),
          f.key === 'floor' ? '' : `≤ ${HOT_PATH_TARGET}× ${f.p50Ratio <= HOT_PATH_TARGET ? 'met' : '**not met**'}`,
          f.failed,
        ]),
      ),
      '',
    );
  }

  if (r.queries) {
    out.push('### D1 calls per request', '');
    out.push(
      "Counted by the worker's dev-only query trace (`worker/lib/d1-trace.ts`, `wrangler dev --var D1_TRACE:1`), one request at a time, " +
        'averaged over a few requests of each route. A batch is one call. In production every call is a round trip to the database, ' +
        'so this is the figure that moves latency most. "Rows returned" counts the records in one answer.',
      '',
    );
    const rowsRead = (q: QueryCount) => (q.rowsRead === null ? 'not reported by the trace yet' : n(q.rowsRead));
    out.push(
      table(
        ['route', 'D1 calls', 'rows read', 'rows returned'],
        (r.queries ?? []).map((q) => [ROUTES.find((x) => x.key === q.key)?.label ?? q.key, q.calls.toFixed(1), rowsRead(q), r.rowsReturned?.[q.key] ?? '']),
      ),
      '',
    );
  }

  if (r.rowsRead) {
    out.push('### Rows read per request', '');
    if ('error' in r.rowsRead) out.push('`test/worker/query-plans.test.ts` failed, so there are no figures:', '', '```', r.rowsRead.error.slice(0, 3000), '```', '');
    else {
      out.push(
        "D1's `meta.rows_read`, summed over every statement of one request, measured by `test/worker/query-plans.test.ts` in workerd: it " +
          'calls each hot route through the real app on whole pairs of the scale programme (about a hundred entries, a year of meetings), ' +
          'and the same test fails if any of these statements scans a table that grows. "Rows returned" counts the rows its statements give back: those of its SELECTs and the RETURNING rows of its writes. ' +
          "The query trace under `wrangler dev` gives the same figure per request in the table above.",
        '',
        table(
          ['request', 'statements', 'rows read', 'rows returned', 'read ÷ returned', 'target ≤ 2×'],
          r.rowsRead.map((x) => {
            const k = x.rowsReturned ? x.rowsRead / x.rowsReturned : Number.NaN;
            return [x.route, x.statements, x.rowsRead, x.rowsReturned, ratio(k), Number.isFinite(k) ? (k <= 2 ? 'met' : '**not met**') : ''];
          }),
        ),
        '',
      );
    }
  }

  if (r.extension) out.push(extensionSection(r.extension, { kb, mb, ms }), '');

  return `${out.join('\n').trimEnd()}\n`;
}
