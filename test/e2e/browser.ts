import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, type Page, chromium } from 'playwright-core';
import { ROOT } from '../../worker/dev/local.ts';
import { CHROMIUM } from './chromium.ts';

export { CHROMIUM } from './chromium.ts';
export const EXTENSION_DIR = join(ROOT, 'extension/.output/chrome-mv3');
export const SCREENSHOT_DIR = join(ROOT, 'test/artifacts/screenshots');

export interface LaunchOptions {
  /** Load the built extension unpacked. */
  extension?: boolean;
  /** Map hosts (e.g. the video platforms' real names) to a local server. */
  hostResolverRules?: string;
  colorScheme?: 'light' | 'dark';
}

export interface LaunchedBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Debian's Chromium, headless, with a fresh profile and nothing that reaches the network on its own
 * (this machine has no internet; background networking only produces refused connections).
 */
export async function launchBrowser(opts: LaunchOptions = {}): Promise<LaunchedBrowser> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'alongside-e2e-'));
  const args = [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
  ];
  if (opts.hostResolverRules) args.push(`--host-resolver-rules=${opts.hostResolverRules}`, '--ignore-certificate-errors');
  if (opts.extension) args.push(`--disable-extensions-except=${EXTENSION_DIR}`, `--load-extension=${EXTENSION_DIR}`);
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args,
    viewport: { width: 1280, height: 800 },
    colorScheme: opts.colorScheme ?? 'light',
    acceptDownloads: true,
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

export function screenshotPath(name: string): string {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return join(SCREENSHOT_DIR, `${name}.png`);
}

/** The extension's id, from its service worker's URL. */
export async function extensionId(context: BrowserContext): Promise<string> {
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 15_000 }));
  const id = new URL(worker.url()).host;
  return id;
}

/**
 * Clicks the extension's toolbar button on `page`'s tab, as a user would: Chromium's CDP Extensions.triggerAction
 * runs the action (firing action.onClicked and granting activeTab for that tab). It takes the tab target, not the
 * page target, and getTargets leaves tab targets out unless filtered for (https://pub.dev/documentation/puppeteer/latest/protocol_extensions/ExtensionsApi/triggerAction.html).
 */
export async function clickToolbarButton(context: BrowserContext, page: Page): Promise<void> {
  const browser = context.browser();
  if (!browser) throw new Error('No browser to open a CDP session on');
  const session = await browser.newBrowserCDPSession();
  try {
    const { targetInfos } = (await session.send('Target.getTargets', { filter: [{ type: 'tab' }] } as never)) as { targetInfos: { type: string; url: string; targetId: string }[] };
    const tab = targetInfos.find((t) => t.type === 'tab' && t.url === page.url());
    if (!tab) throw new Error(`No tab target for ${page.url()}`);
    await session.send('Extensions.triggerAction' as never, { id: await extensionId(context), targetId: tab.targetId } as never);
  } finally {
    await session.detach();
  }
}
