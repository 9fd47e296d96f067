/**
 * Chaos (issue 8): two clients — Chromium with the built extension, signed in as the mentor and the mentee of the
 * demo pair, both on the pair's Meet call — write 1,000 entries through the extension's outbox while
 *  - D1 calls fail at random, injected in the worker (worker/lib/chaos.ts, `wrangler dev --var CHAOS_D1_FAILURE_RATE`),
 *    half before the query runs and half after it ran (a committed write whose answer is lost);
 *  - the network drops: the extension reaches the worker through a TCP proxy (tcp-proxy.ts), and cutting it destroys
 *    every open connection and refuses new ones — what a dropped network looks like to the extension's service
 *    worker. (Playwright's context.setOffline emulates offline for pages, and its docs do not say it covers a
 *    Manifest V3 extension's service worker, which is the one doing the fetches, so it is not relied on;
 *    https://playwright.dev/docs/api/class-browsercontext#browser-context-set-offline);
 *  - the worker is killed and restarted (stack.stopWorker/restartWorker: the whole `wrangler dev` process group).
 * Then everything heals and the worker restarts without injected failures. Expected: every entry stored exactly
 * once (SQL counts per body in D1), and every entry shows "synced" in both overlays.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPairs } from '../../worker/dev/demo-data.ts';
import { ROOT } from '../../worker/dev/local.ts';
import { type LaunchedBrowser, launchBrowser } from './browser.ts';
import { MEETING_URLS, callPage, joinCall } from './call-pages.ts';
import { askBackground, d1, eventually, overlayOf, signIn } from './extension-pages.ts';
import { type FixtureServer, startFixtureServer } from './fixture-server.ts';
import { type Stack, startStack } from './stack.ts';
import { type TcpProxy, startTcpProxy } from './tcp-proxy.ts';

const PAIR_ID = demoPairs[0]?.id ?? '';

/**
 * How many times each chaos text is stored in D1. The stored bodies are ciphertext (issue 10), so the rows are
 * counted by id in D1 and each id's text is read as the mentor's device opens it; a row her device cannot open counts
 * under "(unreadable)", so it can never pass for a stored entry.
 */
async function storedBodies(since: number): Promise<{ body: string; n: number }[]> {
  // Entries written since the run began (the demo pair's older ones include Theo's private notes, which Maya cannot see).
  const from = new Date(since).toISOString();
  const rows = d1<{ id: string }>(stack.persistTo, `SELECT id FROM entries WHERE pair_id = '${PAIR_ID}' AND deleted_at IS NULL AND created_at >= '${from}'`);
  const { entries } = await askBackground<{ entries: { id: string; body: string }[] }>(mentor, 'entries.sync', { pairId: PAIR_ID });
  const text = new Map(entries.map((e) => [e.id, e.body]));
  const counts = new Map<string, number>();
  for (const { id } of rows) {
    const body = text.get(id) ?? '(unreadable)';
    if (body.startsWith('chaos-') || body === '(unreadable)') counts.set(body, (counts.get(body) ?? 0) + 1);
  }
  return [...counts].map(([body, n]) => ({ body, n }));
}
/** What worker/lib/chaos.ts logs per injected failure (CHAOS_LOG_MARK; not imported: it needs the Workers types). */
const CHAOS_LOG_MARK = 'chaos: injected D1 failure';
/** 500 each (1,000 in all); CHAOS_ENTRIES_PER_CLIENT overrides it for a quicker look. */
const PER_CLIENT = Number(process.env.CHAOS_ENTRIES_PER_CLIENT ?? 500);
/** The chance that each D1 query or batch fails while the chaos runs. */
const D1_FAILURE_RATE = '0.03';

let stack: Stack;
let proxy: TcpProxy;
let fixtures: FixtureServer;
let mentor: LaunchedBrowser;
let mentee: LaunchedBrowser;
let injected = 0;
const events: string[] = [];

const t0 = Date.now();
const progress = (what: string) => console.log(`chaos +${((Date.now() - t0) / 1000).toFixed(1)} s: ${what}`);

const injectedIn = (output: string) => output.split(CHAOS_LOG_MARK).length - 1;

/** Every worker process's output is kept in test/artifacts/chaos-worker-N.log, to diagnose a failed run. */
const LOG_DIR = join(ROOT, 'test', 'artifacts');
let workerRuns = 0;
function keepWorkerLog(): void {
  mkdirSync(LOG_DIR, { recursive: true });
  writeFileSync(join(LOG_DIR, `chaos-worker-${++workerRuns}.log`), stack.worker.output());
}

/** Kills the worker (counting the failures it injected so far) and starts it again with `vars`. */
async function killAndRestart(vars?: Record<string, string>, downMs = 0): Promise<void> {
  injected += injectedIn(stack.worker.output());
  await stack.stopWorker();
  keepWorkerLog();
  events.push('worker killed');
  progress('worker killed');
  if (downMs) await new Promise((r) => setTimeout(r, downMs));
  await stack.restartWorker({ vars: vars ?? {} });
  events.push(vars ? 'worker restarted with D1 failures' : 'worker restarted without D1 failures');
}

/**
 * Writes `count` entries from an overlay through the extension's background (the same `entries.add` message the
 * composer sends): each is queued in the outbox first, then sent with its id and an Idempotency-Key.
 */
function write(overlay: Frame, prefix: string, count: number): Promise<void> {
  return overlay.evaluate(
    async ({ prefix, count, pairId }) => {
      const runtime = (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<{ ok: boolean; error?: unknown }> } } }).chrome.runtime;
      for (let i = 0; i < count; i++) {
        const body = `${prefix} ${String(i).padStart(4, '0')}`;
        const answer = await runtime.sendMessage({ channel: 'alongside/app', type: 'entries.add', payload: { pairId, kind: 'note', visibility: 'shared', body } });
        if (!answer?.ok) throw new Error(`entries.add refused ${body}: ${JSON.stringify(answer)}`);
        await new Promise((r) => setTimeout(r, 40));
      }
    },
    { prefix, count, pairId: PAIR_ID },
  );
}

/** How the overlay's notes list shows the chaos entries: per sync state, and which bodies. */
function syncStates(overlay: Frame): Promise<{ states: Record<string, number>; bodies: string[] }> {
  return overlay.evaluate(() => {
    const states: Record<string, number> = {};
    const bodies: string[] = [];
    for (const li of Array.from(document.querySelectorAll('li.entry'))) {
      const match = /chaos-(mentor|mentee) \d{4}/.exec(li.textContent ?? '');
      if (!match) continue;
      bodies.push(match[0]);
      const state = li.getAttribute('data-sync') ?? 'none';
      states[state] = (states[state] ?? 0) + 1;
    }
    return { states, bodies };
  });
}

/** The outbox of a browser's extension, summed up: ops waiting, refused, and the errors they last met. */
async function outboxOf(browser: LaunchedBrowser): Promise<string> {
  const worker = browser.context.serviceWorkers()[0];
  if (!worker) return 'no service worker';
  return worker
    .evaluate(async () => {
      const { outbox: ops } = await (globalThis as unknown as { chrome: { storage: { local: { get(k: string): Promise<Record<string, unknown>> } } } }).chrome.storage.local.get('outbox');
      if (!Array.isArray(ops)) return 'no outbox';
      const list = ops as { failed: boolean; attempts: number; lastError: string | null; nextAttemptAt: number }[];
      const errors = [...new Set(list.map((o) => o.lastError).filter(Boolean))].slice(0, 3);
      const backingOff = list.filter((o) => o.nextAttemptAt > Date.now()).length;
      return `${list.length} ops, ${list.filter((o) => o.failed).length} refused, ${backingOff} backing off; errors ${JSON.stringify(errors)}`;
    })
    .catch((error: Error) => `unreadable: ${error.message}`);
}

beforeAll(async () => {
  stack = await startStack('chaos', 8797);
  proxy = await startTcpProxy(stack.port);
  fixtures = await startFixtureServer(join(ROOT, '.wrangler', 'e2e-certs'), (host, path) => callPage(host, path));
  [mentor, mentee] = await Promise.all([
    launchBrowser({ extension: true, hostResolverRules: fixtures.hostResolverRules }),
    launchBrowser({ extension: true, hostResolverRules: fixtures.hostResolverRules }),
  ]);
  // Both sign in through the proxy, so cutting it is their network dropping.
  await signIn(mentor, proxy.url, stack.codes.mentor);
  await signIn(mentee, proxy.url, stack.codes.mentee);
});

afterAll(async () => {
  if (stack) keepWorkerLog();
  await Promise.all([mentor?.close(), mentee?.close()]);
  await fixtures?.close();
  await proxy?.close();
  await stack?.stop();
});

// Nothing is lost, refused or duplicated, and both overlays end with all 1,000 entries synced. The outbox sends up to
// 6 independent ops at once and writes the outbox and the pair cache in batches; on this project's shared 2-CPU
// machine the whole suite took 4–5 minutes (writing 58–85 s, healed → all synced 100–145 s), bound by the machine:
// the worker and both browsers share the CPUs. The wait for "all synced" allows 300 s so that a slow machine is not
// a failure; a real loss or duplicate still is.
describe('chaos: two clients write 1,000 entries while the worker, the network and D1 fail', () => {
  let pages: Page[];
  let overlays: Frame[];

  it('loses nothing, duplicates nothing, and both UIs end synced', { timeout: 600_000 }, async () => {
    pages = await Promise.all([mentor.context.newPage(), mentee.context.newPage()]);
    await Promise.all(pages.map((page) => page.goto(MEETING_URLS.meet)));
    await Promise.all(pages.map((page) => joinCall(page)));
    overlays = await Promise.all(pages.map((page) => overlayOf(page)));

    // From here on, D1 fails at random.
    await killAndRestart({ CHAOS_D1_FAILURE_RATE: D1_FAILURE_RATE });
    const started = Date.now();
    const writing = Promise.all([write(overlays[0] as Frame, 'chaos-mentor', PER_CLIENT), write(overlays[1] as Frame, 'chaos-mentee', PER_CLIENT)]);
    const at = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, started + ms - Date.now())));
    let networkDrops = 0;
    let restarts = 1;
    await at(5_000);
    proxy.cut();
    networkDrops++;
    events.push('network cut');
    await at(10_000);
    proxy.heal();
    events.push('network back');
    await at(15_000);
    await killAndRestart({ CHAOS_D1_FAILURE_RATE: D1_FAILURE_RATE }, 2_000);
    restarts++;
    await at(27_000);
    proxy.cut();
    networkDrops++;
    events.push('network cut');
    await killAndRestart({ CHAOS_D1_FAILURE_RATE: D1_FAILURE_RATE });
    restarts++;
    proxy.heal();
    events.push('network back');
    await writing;
    const wroteIn = Date.now() - started;
    // Heal: the worker restarts without injected failures, and the outboxes drain.
    await killAndRestart(undefined);
    restarts++;

    const expected = new Set([...Array.from({ length: PER_CLIENT }, (_, i) => `chaos-mentor ${String(i).padStart(4, '0')}`), ...Array.from({ length: PER_CLIENT }, (_, i) => `chaos-mentee ${String(i).padStart(4, '0')}`)]);
    progress(`written in ${wroteIn} ms; healed`);
    // Polls and the alarm flush the rest; every entry in both overlays ends synced.
    const finalStates = await eventually(
      async () => {
        const views = await Promise.all(overlays.map((o) => syncStates(o)));
        progress(`overlays ${JSON.stringify(views.map((v) => v.states))}; mentor outbox ${await outboxOf(mentor)}; mentee outbox ${await outboxOf(mentee)}`);
        return views;
      },
      (views) => views.every((v) => v.bodies.length === expected.size && (v.states.synced ?? 0) === expected.size),
      300_000,
      // Looking is not free: both browsers and the worker share the machine with this test.
      2_000,
    ).catch(async (error: Error) => {
      // Print the figures as they are before failing.
      const rows: { body: string; n: number }[] = await storedBodies(started).catch(() => []);
      console.log(
        `Chaos (not settled): ${expected.size} written; ${rows.length} stored, lost ${expected.size - rows.length}, duplicated ${rows.filter((r) => r.n > 1).length}; ` +
          `${injected + injectedIn(stack.worker.output())} injected D1 failures; ${restarts} restarts; ${networkDrops} network drops`,
      );
      throw error;
    });
    const stored = await storedBodies(started);
    const lost = [...expected].filter((body) => !stored.some((r) => r.body === body));
    const duplicated = stored.filter((r) => r.n > 1);
    injected += injectedIn(stack.worker.output());
    console.log(
      [
        `Chaos: ${expected.size} entries written by 2 clients in ${(wroteIn / 1000).toFixed(0)} s through the extension's outbox`,
        `  D1 failure rate ${D1_FAILURE_RATE} per query/batch: ${injected} injected D1 failures; ${restarts} worker kills and restarts; ${networkDrops} network drops`,
        `  stored ${stored.length} distinct bodies, ${stored.reduce((s, r) => s + r.n, 0)} rows; lost ${lost.length}; duplicated ${duplicated.length}`,
        `  overlays: mentor ${JSON.stringify(finalStates[0]?.states)}, mentee ${JSON.stringify(finalStates[1]?.states)}`,
        `  events: ${events.join(' → ')}`,
      ].join('\n'),
    );
    expect(lost).toEqual([]);
    expect(duplicated).toEqual([]);
    expect(stored.length).toBe(expected.size);
    expect(injected).toBeGreaterThan(0);
  });
});
