// The store listing's screenshots (issue 12, item 3), taken from the built extension and the admin view against a
// real worker and committed under test/screenshots/store/ (with UPDATE_SCREENSHOTS=1), from where `npm run zip` copies them into store/.
// 1280×800 is the size the Chrome Web Store asks for (https://developer.chrome.com/docs/webstore/images,
// screenshots "1280x800 or 640x400"); every screenshot here is exactly the browser's 1280×800 viewport (test/e2e/browser.ts).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../worker/dev/local.ts';
import { type LaunchedBrowser, extensionId, launchBrowser } from './browser.ts';
import { MEETING_URLS, callPage, joinCall } from './call-pages.ts';
import { overlayOf, signIn } from './extension-pages.ts';
import { type FixtureServer, startFixtureServer } from './fixture-server.ts';
import { type Stack, startStack } from './stack.ts';

/**
 * The committed set (test/screenshots/store/, which `npm run zip` copies) is rewritten only with
 * UPDATE_SCREENSHOTS=1: the shots show clock times, so every ordinary run would otherwise change tracked files. An
 * ordinary run still takes them all, into test/artifacts/store/.
 */
export const STORE_SCREENSHOT_DIR = join(ROOT, process.env.UPDATE_SCREENSHOTS === '1' ? 'test/screenshots/store' : 'test/artifacts/store');
const SIZE = { width: 1280, height: 800 };

let stack: Stack;
let fixtures: FixtureServer;
let mentor: LaunchedBrowser;

async function shoot(page: Page, name: string): Promise<void> {
  mkdirSync(STORE_SCREENSHOT_DIR, { recursive: true });
  await page.setViewportSize(SIZE);
  const png = await page.screenshot({ path: join(STORE_SCREENSHOT_DIR, `${name}.png`) });
  // PNG IHDR: width and height are the big-endian words at bytes 16 and 20.
  expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([SIZE.width, SIZE.height]);
}

async function addEntry(overlay: Frame, body: string): Promise<void> {
  await overlay.locator('#tab-notes').click();
  const box = overlay.locator('.composer textarea');
  await box.fill(body);
  await box.press('Enter');
  // Synced, so the shot shows no "saved locally".
  await overlay.locator('li.entry', { hasText: body }).getByText('✓ synced').waitFor();
}

beforeAll(async () => {
  stack = await startStack('kit', 8793);
  fixtures = await startFixtureServer(join(ROOT, '.wrangler', 'e2e-certs'), (host, path) => callPage(host, path));
  mentor = await launchBrowser({ extension: true, hostResolverRules: fixtures.hostResolverRules });
  await signIn(mentor, stack.worker.url, stack.codes.mentor);
});

afterAll(async () => {
  await mentor?.close();
  await fixtures?.close();
  await stack?.stop();
});

describe('store screenshots, 1280×800', () => {
  // First, before any call: afterwards the side panel would lead with the feedback prompt for the call the overlay logs.
  it('the side panel: goals, open actions and the next check-in between calls', async () => {
    const page = await mentor.context.newPage();
    await page.goto(`chrome-extension://${await extensionId(mentor.context)}/sidepanel.html`);
    await page.getByText('Give a talk at the team all-hands').first().waitFor({ timeout: 20_000 });
    await page.getByText('Loading check-ins').waitFor({ state: 'detached', timeout: 20_000 });
    await page.getByText('Connecting live updates').waitFor({ state: 'detached', timeout: 20_000 });
    await shoot(page, '2-side-panel');
    await page.close();
  });

  it('the overlay on a Google Meet call, with the pair’s notes', async () => {
    const page = await mentor.context.newPage();
    await page.goto(MEETING_URLS.meet);
    await joinCall(page);
    const overlay = await overlayOf(page);
    await addEntry(overlay, 'Outline for the all-hands talk: problem, demo, what we learned');
    await addEntry(overlay, 'Theo rehearses with the team on Thursday; Maya plays the audience');
    // The fixture page is a bare stand-in for Meet: give it a call's dark backdrop, so the overlay reads as it does on a call.
    await page.addStyleTag({ content: 'body { background: #202124; color: #e8eaed; }' });
    await shoot(page, '1-overlay-meet');
    await page.close();
  });

  it('the options page: server, sign-in and reminders', async () => {
    const page = await mentor.context.newPage();
    await page.goto(`chrome-extension://${await extensionId(mentor.context)}/options.html`);
    await page.getByText('Signed in as').first().waitFor();
    await shoot(page, '3-options');
    await page.close();
  });

  it('the admin view’s engagement dashboard', async () => {
    const page = await mentor.context.newPage();
    await page.goto(`${stack.worker.url}/invite/${stack.codes.admin}`);
    await page.getByRole('link', { name: 'Sign in to the admin view' }).click();
    await page.getByRole('heading', { name: 'Programme engagement' }).waitFor();
    await page.locator('canvas').nth(2).waitFor();
    await page.locator('.toast').first().waitFor({ state: 'detached', timeout: 10_000 });
    await shoot(page, '4-admin-dashboard');
    await page.close();
  });
});
