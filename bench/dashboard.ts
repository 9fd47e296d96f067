/**
 * The admin dashboard section of `npm run bench`: GET /api/v1/admin/dashboard requested one at a time, median and
 * p95 after a warm-up, for the default range (12 weeks) and for a whole year, and the pairs.csv export once. Run
 * against the scale programme (worker/dev/scale-seed.ts), whose 10,000 pairs have a year of meetings, ratings and
 * goals; until issue 11's rollups land the aggregates read those raw rows.
 */
import { median, percentile } from './stats.ts';

export interface DashboardFigures {
  label: string;
  runs: number;
  median: number;
  p95: number;
  min: number;
  max: number;
  /** What the answer said, to show it is the programme we think it is. */
  summary: string;
}

export interface DashboardResult {
  cases: DashboardFigures[];
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

export async function benchDashboard(workerUrl: string, adminToken: string, o: { today: string; warmUp: number; runs: number }): Promise<DashboardResult> {
  const yearAgo = new Date(Date.parse(o.today) - 364 * DAY_MS).toISOString().slice(0, 10);
  const cases = [
    { label: 'last 12 weeks (default)', url: `${workerUrl}/api/v1/admin/dashboard` },
    { label: 'last 52 weeks', url: `${workerUrl}/api/v1/admin/dashboard?from=${yearAgo}&to=${o.today}` },
  ];
  const figures: DashboardFigures[] = [];
  for (const c of cases) {
    for (let i = 0; i < o.warmUp; i++) await time(c.url, adminToken);
    const times: number[] = [];
    let body = '';
    for (let i = 0; i < o.runs; i++) {
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
      summary: `${d.activePairs} active pairs, ${d.meetingsHeld} meetings, adherence ${d.cadenceAdherence.overall}, ${d.atRiskTotal} at risk`,
    });
  }
  const csv = await time(`${workerUrl}/api/v1/admin/export/pairs.csv`, adminToken);
  return { cases: figures, exportPairs: csv.body.split('\n').length - 2, exportMs: csv.ms };
}
