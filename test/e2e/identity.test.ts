import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Worker } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ICON_SIZES, iconPath } from '../../shared/brand/mark.ts';
import { ROOT } from '../../worker/dev/local.ts';
import { EXTENSION_DIR, type LaunchedBrowser, extensionId, launchBrowser } from './browser.ts';
import { eventually } from './extension-pages.ts';

/**
 * The icon set in real Chromium (issue 12): the built extension's toolbar button follows sign-in and call state
 * (read back through chrome.action), and screenshots of the icons and of the side panel's header, light and dark
 * (prefers-color-scheme emulated by Playwright's page.emulateMedia), committed for the README.
 */
const COMMITTED = join(ROOT, 'test/screenshots');

let browser: LaunchedBrowser;
let worker: Worker;
let id: string;

beforeAll(async () => {
  browser = await launchBrowser({ extension: true });
  id = await extensionId(browser.context);
  const found = browser.context.serviceWorkers()[0];
  if (!found) throw new Error('No extension service worker');
  worker = found;
  mkdirSync(COMMITTED, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
});

/** The slice of the chrome.* API these checks call inside the extension's service worker. */
interface ChromeInWorker {
  action: {
    getBadgeText(details: object): Promise<string>;
    getBadgeBackgroundColor(details: object): Promise<number[]>;
    getTitle(details: object): Promise<string>;
  };
  storage: Record<'local' | 'session', { set(values: Record<string, unknown>): Promise<void> }>;
}

/** The toolbar button's badge, its colour and tooltip, as the background set them. */
function toolbar() {
  return worker.evaluate(async () => {
    const action = (globalThis as unknown as { chrome: ChromeInWorker }).chrome.action;
    return { badge: await action.getBadgeText({}), color: await action.getBadgeBackgroundColor({}), title: await action.getTitle({}) };
  });
}

/** Writes what sign-in and call detection store (storage.ts keys), as the background's own code would. */
function store(area: 'local' | 'session', values: Record<string, unknown>) {
  return worker.evaluate(
    async ({ area, values }) => {
      const storage = (globalThis as unknown as { chrome: ChromeInWorker }).chrome.storage;
      await storage[area].set(values);
    },
    { area, values },
  );
}

const userId = '01890a5d-ac96-774b-bcce-b302099a8057';
const signedIn = {
  user: {
    id: userId,
    orgId: userId,
    role: 'mentee',
    name: 'Theo',
    email: 'theo@example.org',
    timeZone: 'Europe/Berlin',
    workingHours: { startMinute: 480, endMinute: 1020 },
    skills: [],
    interests: [],
    goals: [],
    capacity: 1,
    status: 'active',
    createdAt: '2026-01-01T00:00:00.000Z',
  },
  organisation: { id: userId, name: 'Demo' },
  serverUrl: 'http://127.0.0.1:8787',
};
const inCall = { 7: { platform: 'meet', code: 'abc-defg-hij', mode: 'auto', state: 'in-call', pairId: null, meetingId: null, joinedAt: null, leftAt: null } };

describe('icons and toolbar states', () => {
  let signInBadge = { badge: '', color: [0, 0, 0, 0] as number[] };

  it('the toolbar button asks for sign-in, then shows the call, from the stored state', async () => {
    const signedOut = await eventually(toolbar, (t) => t.badge === '!');
    expect(signedOut.title).toMatch(/sign in/i);
    signInBadge = { badge: signedOut.badge, color: signedOut.color };

    await store('local', { 'signed-in': signedIn });
    expect(await eventually(toolbar, (t) => t.badge === '')).toMatchObject({ title: 'Alongside' });
    await store('session', { 'tab-calls': inCall });
    expect(await eventually(toolbar, (t) => t.title === 'Alongside: in a call')).toMatchObject({ badge: '' });
    await store('session', { 'tab-calls': {} });
    await eventually(toolbar, (t) => t.title === 'Alongside');
  });

  it('screenshots the icon set, light and dark', async () => {
    const png = (path: string) => `data:image/png;base64,${readFileSync(join(EXTENSION_DIR, path)).toString('base64')}`;
    const row = (label: string, variant: 'normal' | 'in-call', badge?: string) =>
      `<tr><th>${label}</th>${ICON_SIZES.map(
        (size) =>
          `<td><span class="icon"><img src="${png(iconPath(variant, size))}" width="${size}" height="${size}" alt="">${badge && size <= 32 ? `<b>${badge}</b>` : ''}</span></td>`,
      ).join('')}</tr>`;
    const [r, g, b] = signInBadge.color;
    const html = `<!doctype html><meta name="color-scheme" content="light dark"><style>
      body { font: 14px system-ui, sans-serif; margin: 24px; background: Canvas; color: CanvasText; }
      td, th { padding: 10px 18px; text-align: center; } th { text-align: left; font-weight: 600; }
      .icon { position: relative; display: inline-block; }
      .icon b { position: absolute; right: -7px; bottom: -5px; min-width: 12px; padding: 0 2px; border-radius: 6px;
        font: bold 10px/12px system-ui; color: #fff; background: rgb(${r} ${g} ${b}); }
    </style><table><tr><td></td>${ICON_SIZES.map((s) => `<th>${s} px</th>`).join('')}</tr>
      ${row('Normal', 'normal')}${row('In a call', 'in-call')}${row(`Sign-in needed (badge “${signInBadge.badge}”)`, 'normal', signInBadge.badge)}</table>`;
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 760, height: 420 });
    await page.setContent(html);
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.screenshot({ path: join(COMMITTED, `icons-${scheme}.png`), fullPage: true });
    }
    await page.close();
  });

  it('screenshots the side panel and options headers with the mark, light and dark', async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 400, height: 140 });
    for (const entry of ['sidepanel', 'options'] as const) {
      await page.goto(`chrome-extension://${id}/${entry}.html`);
      const logo = page.locator('.page-head .logo');
      await logo.waitFor();
      expect(await logo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
      // The packaged PNG (extension/ui/components/Logo.tsx), loaded: no data: URL in the page.
      expect(await page.locator('link[rel="icon"]').getAttribute('href')).toBe('/icons/alongside-32.png');
      expect(await page.evaluate(async () => (await fetch('/icons/alongside-32.png')).ok)).toBe(true);
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        await page.screenshot({ path: join(COMMITTED, `${entry}-header-${scheme}.png`) });
      }
    }
    await page.close();
  });
});
