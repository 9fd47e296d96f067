/**
 * `npm run bench` (issue 11): seeds the scale programme into a local D1, measures it and writes BENCHMARKS.md.
 *
 *   npm run bench                 10,000 pairs, 1,000,000 entries; a few minutes to seed, a few to measure
 *   npm run bench -- --quick      1,000 pairs, 100,000 entries, shorter runs: under 3 minutes
 *   npm run bench -- --reuse      keep a database seeded by an earlier run with the same options
 *   npm run bench -- --seed 7     another programme of the same shape
 *
 * Sections: the admin dashboard (one request at a time), member hot paths under load (autocannon, 8 connections,
 * as ratios to GET /auth/me measured in the same run), the D1 calls each hot request makes (the worker's dev-only
 * query trace), and the extension's cost in real Chromium on a fixture call page. Ports 8810–8819 only.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startStack } from '../test/e2e/stack.ts';
import { ROOT, startWorker } from '../worker/dev/local.ts';
import { DEFAULT_SEED, defaultPersistTo, seedScaleProgramme, todayUtc } from '../worker/dev/scale-seed.ts';
import { createSessions, queryLocalD1 } from '../worker/dev/scale/local-d1.ts';
import { ADMIN_ID, ORG_ID } from '../worker/dev/scale/programme.ts';
import { benchDashboard, dashboardRowsRead } from './dashboard.ts';
import { benchExtension, buildExtension } from './extension-cost.ts';
import { type HotPathPlan, type Member, benchHotPaths, checkRoutes, countQueries } from './hot-paths.ts';
import { type Report, writeReport } from './report.ts';
import { rowsReadInWorkerd } from './rows-read.ts';
import { machine } from './stats.ts';

const HOT_PATH_PORT = 8810;
const TRACE_PORT = 8811;
const EXTENSION_PORT = 8812;
/** Pairs whose members read, and other pairs whose members write, under load. */
const POOL = 16;

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    reuse: { type: 'boolean', default: false },
    seed: { type: 'string' },
    'skip-extension': { type: 'boolean', default: false },
    out: { type: 'string' },
  },
});
const quick = args.quick ?? false;

const step = (text: string) => console.log(`\n▸ ${text}`);

/** Members of active pairs spread over the programme, signed in, with an entries cursor a few entries back. */
function plan(file: string, tokens: (ids: string[]) => Map<string, string>): HotPathPlan {
  const pairs = queryLocalD1<{ id: string; mentor_id: string; mentee_id: string }>(file, "SELECT id, mentor_id, mentee_id FROM pairs WHERE status = 'active' ORDER BY id");
  const step = Math.max(1, Math.floor(pairs.length / (2 * POOL)));
  const chosen = pairs.filter((_, i) => i % step === 0).slice(0, 2 * POOL);
  // Mentor and mentee alike: each chosen pair gives one member, alternating roles.
  const people = chosen.map((p, i) => ({ pairId: p.id, userId: i % 2 ? p.mentor_id : p.mentee_id }));
  const signedIn = tokens(people.map((p) => p.userId));
  const members: Member[] = people.map((p) => {
    const [seqs] = queryLocalD1<{ shared: number | null; own: number | null }>(
      file,
      `SELECT (SELECT MAX(shared_seq) FROM entries WHERE pair_id = ?1) AS shared,
              (SELECT MAX(private_seq) FROM entries WHERE pair_id = ?1 AND author_id = ?2) AS own`,
      p.pairId,
      p.userId,
    );
    // A device that last synced ten shared entries and two of its own private ones ago.
    const cursor = `${Math.max(0, (seqs?.shared ?? 0) - 10)}:${Math.max(0, (seqs?.own ?? 0) - 2)}`;
    return { ...p, token: signedIn.get(p.userId) ?? '', cursor };
  });
  return { readers: members.filter((_, i) => i % 2 === 0), writers: members.filter((_, i) => i % 2 === 1) };
}

async function main() {
  const started = Date.now();
  const today = todayUtc();
  const seed = Number(args.seed ?? DEFAULT_SEED);
  const report: Report = {
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    date: new Date().toISOString(),
    machine: machine(),
    quick,
    seed,
    today,
  };

  // The extension's build starts now, overlapping the seeding (one wrangler dev at a time: two clash on a socket).
  await measure(report, args['skip-extension'] ? undefined : buildExtension());
  report.seconds = (Date.now() - started) / 1000;
  const out = args.out ? resolve(args.out) : join(ROOT, 'BENCHMARKS.md');
  writeFileSync(out, writeReport(report));
  step(`Wrote ${relative(process.cwd(), out)} in ${report.seconds.toFixed(0)} s`);
}

async function measure(report: Report, extensionBuilt: Promise<void> | undefined): Promise<void> {
  const { today, seed } = report;
  const persistTo = defaultPersistTo(quick);
  const db = await seedScaleProgramme({ quick, seed, today, persistTo, reuse: args.reuse ?? false });
  report.seeding = { stats: db.stats, size: db.options.size, persistTo: relative(ROOT, persistTo) };

  // Sessions are written while no worker has the file open.
  const adminToken = createSessions(db.file, [ADMIN_ID], ORG_ID).get(ADMIN_ID) ?? '';
  const hotPlan = plan(db.file, (ids) => createSessions(db.file, ids, ORG_ID));

  // wrangler dev serves the admin view's build output as static assets; an empty folder is enough here.
  mkdirSync(join(ROOT, 'worker/admin/dist'), { recursive: true });

  step(`Starting wrangler dev on the scale database (port ${HOT_PATH_PORT})`);
  let worker = await startWorker({ port: HOT_PATH_PORT, persistTo, quiet: true });
  try {
    step('Admin dashboard, one request at a time');
    report.dashboard = await benchDashboard(worker.url, adminToken, { today, warmUp: quick ? 1 : 3, runs: quick ? 5 : 20 });
    for (const c of report.dashboard.cases) console.log(`  ${c.label.padEnd(24)} median ${c.median.toFixed(1)} ms (${c.ratio.toFixed(1)}× the floor's ${c.floorMedian.toFixed(1)} ms), p95 ${c.p95.toFixed(1)} ms (${c.summary})`);

    step('Member hot paths under load: autocannon, 8 connections, routes taking turns');
    report.rowsReturned = await checkRoutes(worker.url, hotPlan);
    const hot = { connections: 8, rounds: quick ? 2 : 3, secondsPerBurst: quick ? 2 : 6 };
    report.hotPaths = { options: hot, routes: await benchHotPaths(worker.url, hotPlan, hot) };
  } finally {
    await worker.stop();
  }

  // The rows-read test runs in its own workerd meanwhile: nothing here is timed while it runs.
  const rowsRead = rowsReadInWorkerd().catch((error: unknown) => ({ error: error instanceof Error ? error.message : String(error) }));
  step(`D1 calls per request, from the worker's query trace (--var D1_TRACE:1, port ${TRACE_PORT})`);
  worker = await startWorker({ port: TRACE_PORT, persistTo, quiet: true, vars: { D1_TRACE: '1' } });
  try {
    const w = worker;
    report.queries = await countQueries(w.url, hotPlan, () => w.output(), quick ? 3 : 5);
    for (const q of report.queries) console.log(`  ${q.key.padEnd(8)} ${q.calls} D1 calls, rows read ${q.rowsRead ?? 'not reported'}`);
    if (report.dashboard) {
      report.dashboard.rowsRead = await dashboardRowsRead(w.url, adminToken, today, () => w.output());
      for (const d of report.dashboard.rowsRead) console.log(`  dashboard, ${d.label}: ${d.calls} D1 call(s), ${d.rowsRead} rows read`);
    }
  } finally {
    await worker.stop();
  }

  step('Rows read per request, in workerd (test/worker/query-plans.test.ts)');
  report.rowsRead = await rowsRead;
  if ('error' in report.rowsRead) console.log(`  failed: ${report.rowsRead.error.slice(0, 500)}`);
  else for (const r of report.rowsRead) console.log(`  ${r.route.padEnd(28)} ${r.rowsRead} rows read, ${r.rowsReturned} returned`);

  if (extensionBuilt) {
    // The demo programme (its pair's Meet link is the fixture's, its notes not encrypted) in a database of its own,
    // made afresh each run as the end-to-end tests make theirs. It once went into the scale database, where a run
    // with --reuse met the demo pair as the run before had left it: encrypted by that run's browser, whose device
    // this run's new profile is not, so its 300 entries waited for a key and never synced.
    step(`Extension cost in Chromium on a fixture Meet call (wrangler dev on port ${EXTENSION_PORT}, the demo programme's mentor)`);
    const demo = await startStack('bench-extension', EXTENSION_PORT);
    try {
      report.extension = await benchExtension({ quick, log: (l) => console.log(l) }, extensionBuilt, { url: demo.worker.url, mentorCode: demo.codes.mentor });
    } finally {
      await demo.stop();
    }
  }
}


main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
