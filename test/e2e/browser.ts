import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
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
