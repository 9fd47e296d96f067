// Driving the built extension's own pages in e2e tests: sign-in through the options page, the overlay on a call page,
// and reading the local D1 behind a running `wrangler dev`.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { ROOT, offlineEnv } from '../../worker/dev/local.ts';
import { type LaunchedBrowser, extensionId } from './browser.ts';

export async function signIn(browser: LaunchedBrowser, workerUrl: string, code: string): Promise<void> {
  const page = await browser.context.newPage();
  await page.goto(`chrome-extension://${await extensionId(browser.context)}/options.html`);
  await page.getByLabel('Invitation link or code').fill(`${workerUrl}/invite/${code}`);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('Signed in as').first().waitFor({ timeout: 15_000 });
  await page.close();
}

/** The overlay iframe (extension origin) on a call page, as soon as it is there. It sits in a closed shadow root; frames are still reachable. */
export async function overlayFrame(page: Page, timeoutMs = 20_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const frame = page.frames().find((f) => f.url().includes('/overlay.html'));
    if (frame) return frame;
    await page.waitForTimeout(200);
  }
  throw new Error(`No overlay on ${page.url()}`);
}

/** The overlay once it shows the pair's notes (signed in, pair known, context loaded). */
export async function overlayOf(page: Page): Promise<Frame> {
  const frame = await overlayFrame(page);
  await frame.locator('.composer textarea').waitFor({ timeout: 20_000 });
  return frame;
}

/** Rows of a query on the local D1 of a running stack (wrangler d1 execute on the same SQLite files). */
export function d1<T>(persistTo: string, query: string): T[] {
  const out = execFileSync(join(ROOT, 'node_modules/.bin/wrangler'), ['d1', 'execute', 'DB', '--local', '--persist-to', persistTo, '--json', '--command', query], {
    cwd: ROOT,
    env: offlineEnv(),
    encoding: 'utf8',
  });
  const parsed = JSON.parse(out) as { results: T[] }[];
  return parsed[0]?.results ?? [];
}

/** Polls `read` until `done` holds for what it returns, or fails with the last value. */
export async function eventually<T>(read: () => T | Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000, intervalMs = 500): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await read();
  while (!done(last)) {
    if (Date.now() > deadline) throw new Error(`Still not there after ${timeoutMs} ms: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, intervalMs));
    last = await read();
  }
  return last;
}

/** Asks the background as one of the extension's pages does (from the options page), e.g. for what the UI shows. */
export async function askBackground<T>(browser: LaunchedBrowser, type: string, payload: unknown): Promise<T> {
  const page = await browser.context.newPage();
  try {
    await page.goto(`chrome-extension://${await extensionId(browser.context)}/options.html`);
    const answer = await page.evaluate(
      ({ type, payload }) =>
        (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }).chrome.runtime.sendMessage({ channel: 'alongside/app', type, payload }),
      { type, payload },
    );
    const typed = answer as { ok: boolean; data?: T; error?: { message: string } };
    if (!typed.ok) throw new Error(`${type}: ${typed.error?.message}`);
    return typed.data as T;
  } finally {
    await page.close();
  }
}

/** The parts of the e2ee.status answer (extension/lib/e2ee-messages.ts) the e2e tests read. */
export interface E2eeStatusView {
  state: 'none' | 'pending' | 'ready';
  approvalCode: string | null;
  approvals: { id: string }[];
  pairs: { pairId: string; state: string; migration: { done: number; total: number } | null; error: string | null }[];
}

/**
 * Approves a person's second browser from their first (issue 10), as they would with the code the new one shows:
 * without it, the second browser cannot read the pair's end-to-end encrypted notes.
 */
export async function approveSecondDevice(first: LaunchedBrowser, second: LaunchedBrowser): Promise<void> {
  const waiting = await eventually(() => askBackground<E2eeStatusView>(second, 'e2ee.status', {}), (s) => s.state === 'pending' && s.approvalCode !== null, 30_000, 1_000);
  const asked = await eventually(() => askBackground<E2eeStatusView>(first, 'e2ee.status', {}), (s) => s.approvals.length > 0, 30_000, 1_000);
  await askBackground(first, 'e2ee.approve', { approvalId: asked.approvals[0]?.id, code: waiting.approvalCode });
  await eventually(() => askBackground<E2eeStatusView>(second, 'e2ee.status', {}), (s) => s.state === 'ready', 30_000, 1_000);
}
