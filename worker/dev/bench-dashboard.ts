/**
 * `npm run bench`: how fast the admin dashboard answers for a big programme on local D1.
 *
 * Seeds a separate local database (.wrangler/bench) with one organisation of 10,000 pairs and a year of activity
 * (weekly / biweekly / monthly pairs → ~290k meetings, ~430k ratings, 20k goals with 60k revisions), starts
 * `wrangler dev` on it and times GET /api/v1/admin/dashboard: median and p95 of 20 requests after a warm-up, for
 * the default range (12 weeks) and for a whole year.
 *
 * The rows are generated inside SQLite by a few INSERT … SELECT statements over recursive CTEs (a file of a few
 * kilobytes instead of hundreds of megabytes of VALUES). Pass --reuse to keep an already seeded database.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, applyMigrations, executeSql, startWorker } from './local.ts';

const PERSIST_TO = join(ROOT, '.wrangler', 'bench');
const PORT = 8797;
const PAIRS = 10_000;
const MENTORS = 3_000;
const WARM_UP = 3;
const RUNS = 20;

const ORG_ID = '0190b000-0000-7000-8000-000000000001';
const ADMIN_ID = '0190b000-0000-7000-8000-000000000002';
const DAY_MS = 86_400_000;

/** A deterministic pseudo-random number 0..m-1 from an integer SQL expression (an LCG step; no random()). */
const rnd = (expr: string, m: number) => `((((${expr}) * 1103515245 + 12345) % 2147483648) % ${m})`;

function seedSql(today: string, token: string): string {
  const yearAgo = `julianday('${today}') - 365`;
  const now = `${today}T00:00:00.000Z`;
  const tokenHash = createHash('sha256').update(token).digest('hex');
  const expires = new Date(Date.now() + 2 * DAY_MS).toISOString();
  return `
INSERT INTO organisations (id, name, created_at) VALUES ('${ORG_ID}', 'Benchmark Programme', '${now}');
INSERT INTO users (id, org_id, role, name, email, time_zone, created_at, updated_at)
VALUES ('${ADMIN_ID}', '${ORG_ID}', 'admin', 'Bench Admin', 'admin@bench.test', 'UTC', '${now}', '${now}');
INSERT INTO tokens (token_hash, user_id, org_id, created_at, expires_at) VALUES ('${tokenHash}', '${ADMIN_ID}', '${ORG_ID}', '${now}', '${expires}');

-- people: mentors 1..${MENTORS}, mentees 1..${PAIRS}
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${PAIRS})
INSERT INTO users (id, org_id, role, name, email, time_zone, skills, interests, goals, capacity, created_at, updated_at)
SELECT printf('a1%06x-0000-7000-8000-%012x', i, i), '${ORG_ID}', 'mentor', 'Mentor ' || i, 'mentor' || i || '@bench.test',
       CASE i % 4 WHEN 0 THEN 'Europe/Lisbon' WHEN 1 THEN 'America/New_York' WHEN 2 THEN 'Asia/Kolkata' ELSE 'Asia/Tokyo' END,
       '["typescript","public speaking"]', '["design"]', '[]', 4, '${now}', '${now}'
  FROM n WHERE i <= ${MENTORS}
UNION ALL
SELECT printf('a2%06x-0000-7000-8000-%012x', i, i), '${ORG_ID}', 'mentee', 'Mentee ' || i, 'mentee' || i || '@bench.test',
       CASE i % 3 WHEN 0 THEN 'Europe/Berlin' WHEN 1 THEN 'America/Sao_Paulo' ELSE 'Asia/Singapore' END,
       '[]', '["design"]', '["public speaking"]', 0, '${now}', '${now}'
  FROM n;

-- pairs: 40 % weekly, 35 % biweekly, 25 % monthly; 4 % paused, 3 % ended; started up to 13 months ago
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${PAIRS})
INSERT INTO pairs (id, org_id, mentor_id, mentee_id, status, cadence, started_on, ended_on, created_at, updated_at)
SELECT printf('b0%06x-0000-7000-8000-%012x', i, i), '${ORG_ID}',
       printf('a1%06x-0000-7000-8000-%012x', (i % ${MENTORS}) + 1, (i % ${MENTORS}) + 1),
       printf('a2%06x-0000-7000-8000-%012x', i, i),
       CASE WHEN ${rnd('i', 100)} < 4 THEN 'paused' WHEN ${rnd('i', 100)} < 7 THEN 'ended' ELSE 'active' END,
       CASE WHEN ${rnd('i + 7', 100)} < 40 THEN 'weekly' WHEN ${rnd('i + 7', 100)} < 75 THEN 'biweekly' ELSE 'monthly' END,
       date(${yearAgo} - 30 + ${rnd('i + 11', 60)}),
       CASE WHEN ${rnd('i', 100)} BETWEEN 4 AND 6 THEN date('${today}', '-' || ${rnd('i + 3', 90)} || ' days') END,
       '${now}', '${now}'
  FROM n;

-- meetings: one per cadence period over the last year, jittered; ~10 % skipped; 5 % of pairs went quiet 60 days ago
WITH RECURSIVE k(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM k WHERE k < 52),
p AS (SELECT rowid AS pn, id, CASE cadence WHEN 'weekly' THEN 7 WHEN 'biweekly' THEN 14 ELSE 30 END AS c,
             julianday(started_on) AS s, julianday(ended_on) AS e, ${rnd('rowid + 5', 100)} < 5 AS quiet, mentor_id FROM pairs WHERE org_id = '${ORG_ID}'),
d AS (SELECT p.*, k.k, max(s, ${yearAgo}) + ${rnd('p.pn', 7)} + k.k * p.c + ${rnd('p.pn * 53 + k.k', 3)} - 1 + (9 + ${rnd('p.pn + k.k', 9)}) / 24.0 AS jd
        FROM p JOIN k ON k.k * p.c < 366)
INSERT INTO meetings (id, pair_id, org_id, platform, meeting_code, started_at, ended_at, source, created_by, created_at, updated_at)
SELECT printf('c%07x-%04x-7000-8000-000000000000', pn, k), id, '${ORG_ID}', 'meet', 'abc-defg-hij',
       strftime('%Y-%m-%dT%H:%M:%fZ', jd), strftime('%Y-%m-%dT%H:%M:%fZ', jd + 45 / 1440.0), 'auto', mentor_id,
       strftime('%Y-%m-%dT%H:%M:%fZ', jd), strftime('%Y-%m-%dT%H:%M:%fZ', jd)
  FROM d
 WHERE jd < julianday('${today}') AND (e IS NULL OR jd < e) AND ${rnd('pn * 31 + k', 10)} != 0 AND NOT (quiet AND jd > julianday('${today}') - 60);

-- ratings: the mentor rates 70 %, the mentee 80 % of meetings; 3 % of pairs rate lower in the last two months
INSERT INTO feedback (id, meeting_id, pair_id, org_id, author_id, rating, comment, created_at)
SELECT 'f' || substr(m.id, 2), m.id, m.pair_id, m.org_id, p.mentor_id,
       CASE WHEN ${rnd('p.rowid + 99', 100)} < 3 AND m.started_at > date('${today}', '-60 days') THEN 2 ELSE 3 + ${rnd('m.rowid', 3)} END,
       'fine', strftime('%Y-%m-%dT%H:%M:%fZ', julianday(m.started_at) + 1 / 24.0)
  FROM meetings m JOIN pairs p ON p.id = m.pair_id
 WHERE m.org_id = '${ORG_ID}' AND ${rnd('m.rowid', 10)} < 7
UNION ALL
SELECT 'e' || substr(m.id, 2), m.id, m.pair_id, m.org_id, p.mentee_id,
       CASE WHEN ${rnd('p.rowid + 99', 100)} < 3 AND m.started_at > date('${today}', '-60 days') THEN 2 ELSE 3 + ${rnd('m.rowid + 1', 3)} END,
       'fine', strftime('%Y-%m-%dT%H:%M:%fZ', julianday(m.started_at) + 1.5 / 24.0)
  FROM meetings m JOIN pairs p ON p.id = m.pair_id
 WHERE m.org_id = '${ORG_ID}' AND ${rnd('m.rowid + 1', 10)} < 8;

-- goals: two per pair; 15 % completed, 5 % paused, 5 % dropped; due dates around today
WITH RECURSIVE g(g) AS (SELECT 0 UNION ALL SELECT g + 1 FROM g WHERE g < 1)
INSERT INTO goals (id, pair_id, org_id, owner_id, title, due_on, status, progress, version, created_at, updated_at)
SELECT printf('d%07x-%04x-7000-8000-000000000000', p.rowid, g.g), p.id, '${ORG_ID}', p.mentee_id, 'Goal ' || g.g,
       date('${today}', (${rnd('p.rowid * 3 + g.g', 360)} - 120) || ' days'),
       CASE WHEN ${rnd('p.rowid * 7 + g.g', 100)} < 15 THEN 'completed' WHEN ${rnd('p.rowid * 7 + g.g', 100)} < 20 THEN 'paused'
            WHEN ${rnd('p.rowid * 7 + g.g', 100)} < 25 THEN 'dropped' ELSE 'active' END,
       CASE WHEN ${rnd('p.rowid * 7 + g.g', 100)} < 15 THEN 100 ELSE ${rnd('p.rowid * 5 + g.g', 100)} END,
       3, strftime('%Y-%m-%dT%H:%M:%fZ', julianday(p.started_on) + 1), '${now}'
  FROM pairs p CROSS JOIN g WHERE p.org_id = '${ORG_ID}';

-- three revisions per goal, the last one up to 45 days ago (so some pairs' goals are stalled)
WITH RECURSIVE v(v) AS (SELECT 1 UNION ALL SELECT v + 1 FROM v WHERE v < 3)
INSERT INTO goal_revisions (id, goal_id, pair_id, author_id, version, progress, status, snapshot, note, created_at)
SELECT 'r' || substr(g.id, 2, 12) || printf('%x', v.v) || substr(g.id, 15), g.id, g.pair_id, g.owner_id, v.v, g.progress * v.v / 3, g.status, '{}', '',
       strftime('%Y-%m-%dT%H:%M:%fZ', julianday(g.created_at)
         + (julianday('${today}') - ${rnd('g.rowid', 45)} - julianday(g.created_at)) * v.v / 3.0)
  FROM goals g CROSS JOIN v WHERE g.org_id = '${ORG_ID}';
`;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};
/** Nearest-rank percentile. */
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.ceil((p / 100) * xs.length) - 1] as number;

async function time(url: string, token: string): Promise<{ ms: number; body: string }> {
  const start = performance.now();
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  const body = await res.text();
  const ms = performance.now() - start;
  if (!res.ok) throw new Error(`${url} answered ${res.status}: ${body.slice(0, 500)}`);
  return { ms, body };
}

async function main() {
  const reuse = process.argv.includes('--reuse') && existsSync(PERSIST_TO);
  const today = new Date().toISOString().slice(0, 10);
  // The token is only ever stored as a hash, so a reused database gets a fresh one.
  const token = randomBytes(32).toString('base64url');
  if (!reuse) {
    rmSync(PERSIST_TO, { recursive: true, force: true });
    console.log('▸ Applying migrations to .wrangler/bench');
    await applyMigrations(PERSIST_TO);
    console.log(`▸ Seeding ${PAIRS.toLocaleString('en')} pairs and a year of meetings, ratings and goals`);
    const t = performance.now();
    await executeSql(seedSql(today, token), PERSIST_TO);
    console.log(`  seeded in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  } else {
    await applyMigrations(PERSIST_TO);
    const tokenHash = createHash('sha256').update(token).digest('hex');
    await executeSql(
      `INSERT INTO tokens (token_hash, user_id, org_id, created_at, expires_at) VALUES ('${tokenHash}', '${ADMIN_ID}', '${ORG_ID}', '${new Date().toISOString()}', '${new Date(Date.now() + DAY_MS).toISOString()}');`,
      PERSIST_TO,
    );
  }
  // wrangler dev serves the admin view's build output as static assets; an empty folder is enough here.
  mkdirSync(join(ROOT, 'worker/admin/dist'), { recursive: true });

  console.log('▸ Starting wrangler dev on the benchmark database');
  const worker = await startWorker({ port: PORT, persistTo: PERSIST_TO, quiet: true });
  try {
    const yearAgo = new Date(Date.now() - 364 * DAY_MS).toISOString().slice(0, 10);
    const cases = [
      { label: 'last 12 weeks (default)', url: `${worker.url}/api/v1/admin/dashboard` },
      { label: 'last 52 weeks', url: `${worker.url}/api/v1/admin/dashboard?from=${yearAgo}&to=${today}` },
    ];
    const results: string[] = [];
    for (const c of cases) {
      for (let i = 0; i < WARM_UP; i++) await time(c.url, token);
      const times: number[] = [];
      let body = '';
      for (let i = 0; i < RUNS; i++) {
        const r = await time(c.url, token);
        times.push(r.ms);
        body = r.body;
      }
      const d = JSON.parse(body) as { activePairs: number; meetingsHeld: number; atRiskTotal: number; cadenceAdherence: { overall: number } };
      results.push(
        `  ${c.label.padEnd(24)} median ${median(times).toFixed(1)} ms   p95 ${percentile(times, 95).toFixed(1)} ms   ` +
          `(min ${Math.min(...times).toFixed(1)}, max ${Math.max(...times).toFixed(1)}; ${d.activePairs} active pairs, ` +
          `${d.meetingsHeld} meetings, adherence ${d.cadenceAdherence.overall}, ${d.atRiskTotal} at risk)`,
      );
    }
    const counts = await time(`${worker.url}/api/v1/admin/export/pairs.csv`, token);
    console.log(`\nGET /api/v1/admin/dashboard — ${RUNS} requests each after ${WARM_UP} warm-up, local D1 (workerd + SQLite):`);
    console.log(results.join('\n'));
    console.log(`  (pairs.csv export of ${counts.body.split('\n').length - 2} pairs took ${counts.ms.toFixed(0)} ms)`);
  } finally {
    await worker.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
