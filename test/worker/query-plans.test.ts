/**
 * Every query a member's hot request makes uses an index (issue 11, item 3): no SCAN of a table that grows with the
 * programme. The queries are not copied here: each hot route is called through the real app on a D1 that records
 * every statement it runs (SQL and bound values), and each recorded statement is then explained with
 * `EXPLAIN QUERY PLAN` (https://sqlite.org/eqp.html). A route that changes its SQL is checked as it is now.
 *
 * The data is a slice of the benchmark's scale programme (worker/dev/scale/programme.ts): whole pairs with a year of
 * meetings, goals and about a hundred entries each, so the rows each request reads (D1's `meta.rows_read`, summed over
 * the request's statements) are those of a realistic pair. They are printed, not asserted: the target (rows read ≤ 2×
 * rows returned) is the benchmark's to report.
 */
import { env } from 'cloudflare:workers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../worker/app.ts';
import type { Env } from '../../worker/env.ts';
import { randomSecret, sha256Hex } from '../../worker/lib/crypto.ts';
import { COLUMNS, ORG_ID, type ProgrammeOptions, type Table, type Value, generateProgramme } from '../../worker/dev/scale/programme.ts';

const app = createApp();

/** Starts the line of rows-read figures (bench/rows-read.ts reads it). */
const ROWS_READ_MARK = 'query-plans rows-read:';

/** Tables that grow with the programme: a SCAN of any of them reads rows in proportion to its size. */
const SMALL_TABLES = new Set(['organisations']);

// ---- the data: the first pairs of a scale programme --------------------------------------------------------------

const PAIRS = 6;
/** The scale programme's shape and per-pair volumes (100 entries a pair on average), cut to its first pairs. */
const programme: ProgrammeOptions = { size: { pairs: 100, mentors: 30, entries: 10_000 }, seed: 11, today: new Date().toISOString().slice(0, 10) };

async function seed(): Promise<void> {
  const rows: { table: Table; row: Value[] }[] = [];
  // Only the people of the pairs made (the programme lists all 130; foreign keys need only these).
  generateProgramme(programme, (table, row) => rows.push({ table, row }), { from: 1, to: PAIRS });
  const needed = new Set(rows.filter((r) => r.table === 'pairs').flatMap((r) => [r.row[2], r.row[3]]));
  const kept = rows.filter((r) => r.table !== 'users' || r.row[2] === 'admin' || needed.has(r.row[0]));
  const statements = kept.map(({ table, row }) =>
    env.DB.prepare(`INSERT INTO ${table} (${COLUMNS[table].join(', ')}) VALUES (${row.map(() => '?').join(', ')})`).bind(...row),
  );
  for (let i = 0; i < statements.length; i += 500) await env.DB.batch(statements.slice(i, i + 500));
}

async function signIn(userId: string): Promise<string> {
  const token = randomSecret();
  await env.DB.prepare('INSERT INTO tokens (token_hash, user_id, org_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)')
    .bind(await sha256Hex(token), userId, ORG_ID, new Date().toISOString(), new Date(Date.now() + 86_400_000).toISOString())
    .run();
  return token;
}

// ---- a D1 that records what it runs --------------------------------------------------------------------------------

interface Recorded {
  sql: string;
  params: unknown[];
  /** D1's meta.rows_read for this statement. */
  rowsRead: number;
  rowsReturned: number;
}

type Meta = { rows_read?: number };
type AllResult = { results?: unknown[]; meta?: Meta };

/**
 * A D1 session that runs every statement as D1 would and records it. `first()` runs as `all()` so that its
 * `meta.rows_read` is known (D1's first() returns the row only); the caller still gets the first row or column.
 */
function recordingSession(session: D1DatabaseSession, log: Recorded[]): D1DatabaseSession {
  const real = new WeakMap<object, { statement: D1PreparedStatement; sql: string; params: unknown[] }>();
  const note = (sql: string, params: unknown[], r: AllResult) =>
    log.push({ sql, params, rowsRead: r.meta?.rows_read ?? 0, rowsReturned: r.results?.length ?? 0 });
  const wrap = (statement: D1PreparedStatement, sql: string, params: unknown[]): D1PreparedStatement => {
    const wrapped = new Proxy(statement, {
      get(target, prop) {
        if (prop === 'bind') return (...values: unknown[]) => wrap(target.bind(...values), sql, values);
        if (prop === 'all' || prop === 'run') {
          return async () => {
            const r = (await target[prop]()) as AllResult;
            note(sql, params, r);
            return r;
          };
        }
        if (prop === 'first') {
          return async (column?: string) => {
            const r = (await target.all()) as AllResult;
            note(sql, params, r);
            const row = (r.results?.[0] ?? null) as Record<string, unknown> | null;
            return column === undefined ? row : (row?.[column] ?? null);
          };
        }
        if (prop === 'raw') throw new Error('raw() is not recorded: add it to recordingSession');
        const value = Reflect.get(target, prop, target) as unknown;
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    real.set(wrapped, { statement, sql, params });
    return wrapped;
  };
  return new Proxy(session, {
    get(target, prop) {
      if (prop === 'prepare') return (sql: string) => wrap(target.prepare(sql), sql, []);
      if (prop === 'batch') {
        return async (statements: D1PreparedStatement[]) => {
          const originals = statements.map((s) => real.get(s));
          const results = (await target.batch(statements.map((s, i) => originals[i]?.statement ?? s))) as AllResult[];
          results.forEach((r, i) => note(originals[i]?.sql ?? '?', originals[i]?.params ?? [], r));
          return results;
        };
      }
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** Calls the app with a D1 whose sessions record into `log` (the request path always opens a session). */
async function recorded(method: string, path: string, token: string, body?: unknown, headers: Record<string, string> = {}) {
  const log: Recorded[] = [];
  const db = new Proxy(env.DB, {
    get(target, prop) {
      if (prop === 'withSession') return (constraint?: string) => recordingSession(target.withSession(constraint), log);
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  const res = await app.request(
    path,
    {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        'cf-connecting-ip': `test-${crypto.randomUUID()}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    },
    { ...(env as Env), DB: db },
  );
  return { res, log };
}

// ---- plans ---------------------------------------------------------------------------------------------------------

interface PlanLine {
  detail: string;
}

async function plan(q: Recorded): Promise<string[]> {
  const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${q.sql}`)
    .bind(...q.params)
    .all<PlanLine>();
  return results.map((r) => r.detail);
}

/** Plan lines that read a whole table or a whole index of one: `SCAN entries`, `SCAN e USING INDEX …`. */
function fullScans(lines: string[], aliases: Map<string, string>): string[] {
  return lines.filter((line) => {
    const m = /^SCAN (\w+)/.exec(line);
    if (!m) return false;
    const name = m[1] as string;
    if (name.startsWith('CONSTANT ROW') || /^SCAN (CONSTANT|SUBQUERY|\(?subquery)/i.test(line)) return false;
    return !SMALL_TABLES.has(aliases.get(name) ?? name);
  });
}

/** `FROM entries e`, `JOIN users u`: alias → table, so a plan line naming an alias is judged by its table. */
function aliasesOf(sql: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const m of sql.matchAll(/\b(?:FROM|JOIN|INTO|UPDATE)\s+(\w+)(?:\s+(?:AS\s+)?(\w+))?/gi)) {
    const table = m[1] as string;
    map.set(table, table);
    const alias = m[2];
    if (alias && !/^(WHERE|ON|SET|JOIN|LEFT|INNER|CROSS|VALUES|SELECT|ORDER|GROUP|LIMIT|USING|AND|OR|\()$/i.test(alias)) map.set(alias, table);
  }
  return map;
}

// ---- the hot routes ------------------------------------------------------------------------------------------------

interface Pair {
  id: string;
  mentor: string;
  mentee: string;
}

let pair: Pair;
let mentorToken: string;
let menteeToken: string;
let cursor: string;
let ownEntry: { id: string; version: number };

beforeAll(async () => {
  await seed();
  const row = await env.DB.prepare("SELECT id, mentor_id AS mentor, mentee_id AS mentee FROM pairs WHERE status = 'active' ORDER BY id LIMIT 1").first<Pair>();
  if (!row) throw new Error('no active pair seeded');
  pair = row;
  [mentorToken, menteeToken] = await Promise.all([signIn(pair.mentor), signIn(pair.mentee)]);
  const seqs = await env.DB.prepare('SELECT MAX(shared_seq) AS s, (SELECT MAX(private_seq) FROM entries WHERE pair_id = ?1 AND author_id = ?2) AS p FROM entries WHERE pair_id = ?1')
    .bind(pair.id, pair.mentee)
    .first<{ s: number; p: number | null }>();
  cursor = `${Math.max(0, (seqs?.s ?? 0) - 10)}:${Math.max(0, (seqs?.p ?? 0) - 2)}`;
  const entry = await env.DB.prepare("SELECT id, version FROM entries WHERE pair_id = ? AND author_id = ? AND deleted_at IS NULL AND kind = 'note' ORDER BY change_seq DESC LIMIT 1")
    .bind(pair.id, pair.mentee)
    .first<{ id: string; version: number }>();
  if (!entry) throw new Error('no entry of the mentee');
  ownEntry = entry;
});

const sealed = () => `a1.${'k'.repeat(16)}.${'n'.repeat(16)}.${'c'.repeat(150)}`;

/** The requests of a member on a call, and the status each must answer with. */
const HOT: { name: string; status: number; send: () => ReturnType<typeof recorded> }[] = [
  { name: 'GET /auth/me', status: 200, send: () => recorded('GET', '/api/v1/auth/me', menteeToken) },
  { name: 'GET /pairs', status: 200, send: () => recorded('GET', '/api/v1/pairs', mentorToken) },
  { name: 'GET /pairs/:id/context', status: 200, send: () => recorded('GET', `/api/v1/pairs/${pair.id}/context`, menteeToken) },
  { name: 'GET /entries?pairId&since', status: 200, send: () => recorded('GET', `/api/v1/entries?pairId=${pair.id}&since=${cursor}`, menteeToken) },
  {
    name: 'POST /entries',
    status: 201,
    send: () =>
      recorded('POST', '/api/v1/entries', menteeToken, { id: crypto.randomUUID(), pairId: pair.id, kind: 'note', visibility: 'shared', body: sealed() }, { 'idempotency-key': `qp-${crypto.randomUUID()}` }),
  },
  {
    name: 'PATCH /entries/:id',
    status: 200,
    send: () =>
      recorded('PATCH', `/api/v1/entries/${ownEntry.id}`, menteeToken, { version: ownEntry.version, body: sealed() }, { 'idempotency-key': `qp-${crypto.randomUUID()}` }),
  },
  { name: 'POST /pairs/:id/live/ticket', status: 200, send: () => recorded('POST', `/api/v1/pairs/${pair.id}/live/ticket`, menteeToken) },
];

describe('the scan check', () => {
  it('sees a full scan, of a table or of a whole index, and passes a search', async () => {
    const scans = async (sql: string, ...params: unknown[]) => fullScans(await plan({ sql, params, rowsRead: 0, rowsReturned: 0 }), aliasesOf(sql));
    expect(await scans('SELECT id FROM entries WHERE body = ?', 'x')).toEqual(['SCAN entries']);
    expect((await scans('SELECT COUNT(*) FROM entries e WHERE e.kind = ?', 'note'))[0]).toMatch(/^SCAN e USING (COVERING )?INDEX/);
    expect(await scans('SELECT id FROM entries WHERE id = ?', 'x')).toEqual([]);
    expect(await scans('SELECT name FROM organisations')).toEqual([]);
  });
});

describe('hot member requests use indexes only (EXPLAIN QUERY PLAN)', () => {
  const figures: { route: string; statements: number; rowsRead: number; rowsReturned: number }[] = [];

  for (const route of HOT) {
    it(`${route.name}: no SCAN of a table that grows`, async () => {
      const { res, log } = await route.send();
      expect(res.status, await res.clone().text()).toBe(route.status);
      expect(log.length).toBeGreaterThan(0);
      const problems: string[] = [];
      for (const q of log) {
        const scans = fullScans(await plan(q), aliasesOf(q.sql));
        if (scans.length) problems.push(`${scans.join('; ')}\n    in: ${q.sql.replace(/\s+/g, ' ').slice(0, 300)}`);
      }
      expect(problems, problems.join('\n')).toEqual([]);
      figures.push({
        route: route.name,
        statements: log.length,
        rowsRead: log.reduce((n, q) => n + q.rowsRead, 0),
        // The rows D1 gives back: a SELECT's, and a write's RETURNING rows (a write without one gives none).
        rowsReturned: log.reduce((n, q) => n + q.rowsReturned, 0),
      });
    });
  }

  // Rows read per request on a pair of the scale programme: one line that `npm run bench` picks up. Figures, not a verdict.
  afterAll(() => console.log(`${ROWS_READ_MARK} ${JSON.stringify(figures)}`));
});
