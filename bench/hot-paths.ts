/**
 * Member hot paths under load (issue 11, item 3): autocannon with 8 connections against `wrangler dev` on the scale
 * programme. Each route is compared with a floor measured in the same run, GET /auth/me (the same middleware and a
 * trivial read), so the figures are ratios that a busy machine slows alike.
 *
 * The routes take turns: every round runs each route once, for a few seconds, and the rounds repeat. A burst of load
 * from something else on the machine then lands on every route rather than on one of them. Latencies are taken from
 * autocannon's per-response event (fractional milliseconds) rather than its histogram, which keeps whole ones.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { ratio } from './stats.ts';
import { percentile } from './stats.ts';

/** A signed-in member of a pair, with the entries cursor a device of theirs would hold. */
export interface Member {
  pairId: string;
  userId: string;
  token: string;
  /** "<shared>:<private>", a few entries behind the pair's newest. */
  cursor: string;
}

export interface HotPathPlan {
  /** Members whose pairs are only read (context, entries since a cursor, ticket, floor). */
  readers: Member[];
  /** Members of other pairs, who add entries (so the readers' pages stay the same size during the run). */
  writers: Member[];
}

export interface RouteSpec {
  key: string;
  label: string;
  method: 'GET' | 'POST';
  status: number;
  pool: keyof HotPathPlan;
  path(m: Member): string;
  body?(m: Member): string;
  headers?(m: Member): Record<string, string>;
  /** Rows of data in one answer (what "rows returned" counts for the rows-read target). */
  rowsIn(json: unknown): number;
}

/** A sealed entry body as the encrypted client sends it (shared/crypto/seal.ts's shape; the server never opens it). */
const sealedBody = () => `a1.${randomBytes(12).toString('base64url')}.${randomBytes(12).toString('base64url')}.${randomBytes(96 + 16).toString('base64url')}`;

type Json = Record<string, unknown>;
const count = (value: unknown) => (Array.isArray(value) ? value.length : value ? 1 : 0);

export const FLOOR = 'floor';

export const ROUTES: RouteSpec[] = [
  {
    key: FLOOR,
    label: 'GET /auth/me (floor)',
    method: 'GET',
    status: 200,
    pool: 'readers',
    path: () => '/api/v1/auth/me',
    rowsIn: (j) => count((j as Json).user) + count((j as Json).organisation),
  },
  {
    key: 'context',
    label: 'GET /pairs/:id/context',
    method: 'GET',
    status: 200,
    pool: 'readers',
    path: (m) => `/api/v1/pairs/${m.pairId}/context`,
    rowsIn: (j) => {
      const c = j as Json;
      return 3 + count(c.goals) + count(c.openActions) + count(c.agenda) + count(c.lastMeeting) + count(c.pendingFeedback);
    },
  },
  {
    key: 'entries',
    label: 'GET /entries?pairId&since',
    method: 'GET',
    status: 200,
    pool: 'readers',
    path: (m) => `/api/v1/entries?pairId=${m.pairId}&since=${m.cursor}`,
    rowsIn: (j) => count((j as Json).entries),
  },
  {
    key: 'add',
    label: 'POST /entries',
    method: 'POST',
    status: 201,
    pool: 'writers',
    path: () => '/api/v1/entries',
    // A new entry each time: its own id, and an Idempotency-Key as the outbox sends.
    headers: () => ({ 'content-type': 'application/json', 'idempotency-key': `bench-${randomUUID()}` }),
    body: (m) => JSON.stringify({ id: randomUUID(), pairId: m.pairId, kind: 'note', visibility: 'shared', body: sealedBody() }),
    rowsIn: () => 1,
  },
  {
    key: 'ticket',
    label: 'POST /pairs/:id/live/ticket',
    method: 'POST',
    status: 200,
    pool: 'readers',
    path: (m) => `/api/v1/pairs/${m.pairId}/live/ticket`,
    rowsIn: () => 1,
  },
];

function requestFor(route: RouteSpec, m: Member): { method: string; path: string; headers: Record<string, string>; body?: string } {
  const body = route.body?.(m);
  return {
    method: route.method,
    path: route.path(m),
    headers: { authorization: `Bearer ${m.token}`, ...(route.headers?.(m) ?? {}) },
    ...(body === undefined ? {} : { body }),
  };
}

/** One request of each route, checked for its status; returns the rows in each answer. */
export async function checkRoutes(url: string, plan: HotPathPlan): Promise<Record<string, number>> {
  const rows: Record<string, number> = {};
  for (const route of ROUTES) {
    const m = plan[route.pool][0];
    if (!m) throw new Error(`No ${route.pool} for ${route.label}`);
    const r = requestFor(route, m);
    const res = await fetch(`${url}${r.path}`, { method: r.method, headers: r.headers, ...(r.body ? { body: r.body } : {}) });
    const text = await res.text();
    if (res.status !== route.status) throw new Error(`${route.label} answered ${res.status}, expected ${route.status}: ${text.slice(0, 300)}`);
    rows[route.key] = route.rowsIn(JSON.parse(text));
  }
  return rows;
}

interface Burst {
  samples: number[];
  ok: number;
  failed: number;
  seconds: number;
}

/** `seconds` of load on one route, `connections` at once, each request for the next member of its pool. */
async function burst(url: string, route: RouteSpec, pool: Member[], seconds: number, connections: number): Promise<Burst> {
  let next = 0;
  const samples: number[] = [];
  let failed = 0;
  const instance = autocannon({
    url,
    connections,
    duration: seconds,
    timeout: 30,
    requests: [
      {
        setupRequest: (request) => ({ ...request, ...requestFor(route, pool[next++ % pool.length] as Member) }),
      },
    ],
  });
  instance.on('response', (_client: unknown, status: number, _bytes: number, responseMs: number) => {
    if (status === route.status) samples.push(responseMs);
    else failed++;
  });
  const result = await instance;
  return { samples, ok: samples.length, failed: failed + result.errors + result.timeouts, seconds: result.duration };
}

export interface RouteFigures {
  key: string;
  label: string;
  requests: number;
  /** Answers with the expected status per second, over all rounds. */
  throughput: number;
  p50: number;
  p99: number;
  /** p50 / the floor's p50, pooled over all rounds. */
  p50Ratio: number;
  /** The same ratio round by round: how much the rounds agree. */
  roundRatios: number[];
  failed: number;
}

export interface HotPathOptions {
  connections: number;
  rounds: number;
  secondsPerBurst: number;
  log?: (line: string) => void;
}

export async function benchHotPaths(url: string, plan: HotPathPlan, o: HotPathOptions): Promise<RouteFigures[]> {
  const log = o.log ?? console.log;
  // Warm-up: one short burst each (workerd compiles the routes' code paths, SQLite fills its page cache).
  for (const route of ROUTES) await burst(url, route, plan[route.pool], 1, o.connections);
  const bursts = new Map<string, Burst[]>(ROUTES.map((r) => [r.key, []]));
  for (let round = 1; round <= o.rounds; round++) {
    for (const route of ROUTES) {
      const b = await burst(url, route, plan[route.pool], o.secondsPerBurst, o.connections);
      bursts.get(route.key)?.push(b);
      log(`  round ${round}/${o.rounds} ${route.label.padEnd(28)} ${String(b.ok).padStart(6)} answers, p50 ${percentile(b.samples, 50).toFixed(1)} ms${b.failed ? `, ${b.failed} FAILED` : ''}`);
    }
  }
  const floor = bursts.get(FLOOR) ?? [];
  const floorP50 = percentile(floor.flatMap((b) => b.samples), 50);
  return ROUTES.map((route) => {
    const mine = bursts.get(route.key) ?? [];
    const samples = mine.flatMap((b) => b.samples);
    const seconds = mine.reduce((s, b) => s + b.seconds, 0);
    return {
      key: route.key,
      label: route.label,
      requests: samples.length,
      throughput: samples.length / seconds,
      p50: percentile(samples, 50),
      p99: percentile(samples, 99),
      p50Ratio: percentile(samples, 50) / floorP50,
      roundRatios: mine.map((b, i) => percentile(b.samples, 50) / percentile(floor[i]?.samples ?? [], 50)),
      failed: mine.reduce((s, b) => s + b.failed, 0),
    };
  });
}

export const roundSpread = (f: RouteFigures) => `${ratio(Math.min(...f.roundRatios))}–${ratio(Math.max(...f.roundRatios))}`;

/** What the worker's dev-only D1 trace (worker/lib/d1-trace.ts) says about one request of each route. */
export interface QueryCount {
  key: string;
  /** D1 calls per request (a batch is one call). */
  calls: number;
  /** Sum of `rows_read=N` on the request's trace lines, when the trace reports it; null when it does not. */
  rowsRead: number | null;
}

const TRACE_MARK = 'd1-trace:';

/**
 * Sends `repeat` requests of each route, one at a time, to a worker started with `--var D1_TRACE:1`, and counts the
 * trace lines each one printed. `output()` is everything the worker printed so far.
 */
export async function countQueries(url: string, plan: HotPathPlan, output: () => string, repeat = 5): Promise<QueryCount[]> {
  const counts: QueryCount[] = [];
  const settle = () => new Promise((r) => setTimeout(r, 150));
  for (const route of ROUTES) {
    let calls = 0;
    let rowsRead: number | null = 0;
    for (let i = 0; i < repeat; i++) {
      const m = plan[route.pool][i % plan[route.pool].length] as Member;
      await settle();
      const from = output().length;
      const r = requestFor(route, m);
      const res = await fetch(`${url}${r.path}`, { method: r.method, headers: r.headers, ...(r.body ? { body: r.body } : {}) });
      await res.text();
      if (res.status !== route.status) throw new Error(`${route.label} answered ${res.status} in the query count`);
      await settle(); // the worker's log reaches us through wrangler's stdout a moment later
      const lines = output().slice(from).split('\n').filter((l) => l.includes(TRACE_MARK));
      calls += lines.length;
      for (const line of lines) {
        const read = /rows_read=(\d+)/.exec(line)?.[1];
        rowsRead = read === undefined || rowsRead === null ? null : rowsRead + Number(read);
      }
    }
    counts.push({ key: route.key, calls: calls / repeat, rowsRead: rowsRead === null ? null : rowsRead / repeat });
  }
  return counts;
}
