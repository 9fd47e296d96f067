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
