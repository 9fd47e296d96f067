/**
 * The admin dashboard section of `npm run bench`: GET /api/v1/admin/dashboard requested one at a time, median and
 * p95 after a warm-up, for the default range (12 weeks) and for a whole year, and the pairs.csv export once. Run
 * against the scale programme (worker/dev/scale-seed.ts), whose 10,000 pairs have a year of meetings, ratings and
 * goals. The aggregates read rollups where they can (worker/migrations/0011_rollups.sql and after). Each dashboard
 * request follows a request of the floor route, `GET /auth/me` with the same admin token, so the report can give the
 * median as a ratio to a floor measured in the same moments: this machine is noisy, and its medians move by a third
 * from one run to the next.
 *
 * `dashboardRowsRead` asks each range once of a worker started with the D1 query trace, and sums D1's
 * `meta.rows_read` over the request's trace lines (worker/lib/d1-trace.ts): the rows one dashboard load reads.
 */
import { median, percentile } from './stats.ts';

export interface DashboardFigures {
  label: string;
  runs: number;
  median: number;
  p95: number;
  min: number;
  max: number;
  /** Median of the floor requests made between them (GET /auth/me), and the dashboard's median over it. */
  floorMedian: number;
  ratio: number;
  /** What the answer said, to show it is the programme we think it is. */
  summary: string;
}

export interface DashboardResult {
  cases: DashboardFigures[];
  /** Rows read per load of each case (same labels), from the query trace; absent until measured. */
  rowsRead?: { label: string; rowsRead: number; calls: number }[];
  exportPairs: number;
  exportMs: number;
}

async function time(url: string, token: string): Promise<{ ms: number; body: string }> {
  const start = performance.now();
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  const body = await res.text();
  const ms = performance.now() - start;
  if (!res.ok) throw new Error(`${url} answered ${res.status}: ${body.slice(0, 500)}`);
  return { ms, body };
}

const DAY_MS = 86_400_000;

const dashboardCases = (workerUrl: string, today: string) => {
  const yearAgo = new Date(Date.parse(today) - 364 * DAY_MS).toISOString().slice(0, 10);
  return [
    { label: 'last 12 weeks (default)', url: `${workerUrl}/api/v1/admin/dashboard` },
    { label: 'last 52 weeks', url: `${workerUrl}/api/v1/admin/dashboard?from=${yearAgo}&to=${today}` },
  ];
};

const TRACE_MARK = 'd1-trace:';

/** Rows read by one load of each range, on a worker started with `--var D1_TRACE:1`; `output()` is all it printed. */
export async function dashboardRowsRead(workerUrl: string, adminToken: string, today: string, output: () => string) {
  const settle = () => new Promise((r) => setTimeout(r, 300));
  const figures: { label: string; rowsRead: number; calls: number }[] = [];
  for (const c of dashboardCases(workerUrl, today)) {
    await settle();
    const from = output().length;
    await time(c.url, adminToken);
    await settle(); // the worker's log reaches us through wrangler's stdout a moment later
    const lines = output().slice(from).split('\n').filter((l) => l.includes(TRACE_MARK));
    const read = lines.map((l) => /rows_read=(\d+)/.exec(l)?.[1]);
    if (!lines.length || read.some((x) => x === undefined)) throw new Error(`the query trace did not report rows read for ${c.label}`);
    figures.push({ label: c.label, rowsRead: read.reduce((n, x) => n + Number(x), 0), calls: lines.length });
  }
  return figures;
}

export async function benchDashboard(workerUrl: string, adminToken: string, o: { today: string; warmUp: number; runs: number }): Promise<DashboardResult> {
  const cases = dashboardCases(workerUrl, o.today);
  const figures: DashboardFigures[] = [];
  for (const c of cases) {
    for (let i = 0; i < o.warmUp; i++) await time(c.url, adminToken);
    const times: number[] = [];
    const floor: number[] = [];
    let body = '';
    for (let i = 0; i < o.runs; i++) {
      floor.push((await time(`${workerUrl}/api/v1/auth/me`, adminToken)).ms);
      const r = await time(c.url, adminToken);
      times.push(r.ms);
      body = r.body;
    }
    const d = JSON.parse(body) as { activePairs: number; meetingsHeld: number; atRiskTotal: number; cadenceAdherence: { overall: number } };
    figures.push({
      label: c.label,
      runs: o.runs,
      median: median(times),
      p95: percentile(times, 95),
      min: Math.min(...times),
      max: Math.max(...times),
      floorMedian: median(floor),
      ratio: median(times) / median(floor),
      summary: `${d.activePairs} active pairs, ${d.meetingsHeld} meetings, adherence ${d.cadenceAdherence.overall}, ${d.atRiskTotal} at risk`,
    });
  }
  const csv = await time(`${workerUrl}/api/v1/admin/export/pairs.csv`, adminToken);
  return { cases: figures, exportPairs: csv.body.split('\n').length - 2, exportMs: csv.ms };
}
