import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import type { Platform } from '../../shared/schemas/index.ts';
import { ROOT } from '../../worker/dev/local.ts';

const fixtureDir = join(ROOT, 'test/fixtures/platforms');

/** A meeting URL on each platform's real host (served locally by the fixture server). */
export const MEETING_URLS: Record<Platform, string> = {
  meet: 'https://meet.google.com/abc-defg-hij',
  // "Join from your browser": the app.zoom.us shell, with the web client in a same-origin iframe#webclient.
  zoom: 'https://app.zoom.us/wc/83412345678/join?fromPWA=1',
  teams: 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_NzQ4ZDk1YWQtYWxvbmdzaWRl%40thread.v2/0',
  jitsi: 'https://meet.jit.si/AlongsideDemoRoom',
  whereby: 'https://whereby.com/alongside-demo',
};

/** More call pages: Teams short links run in the v2 app with the meeting in the fragment. */
export const MORE_URLS = {
  teamsShortLink: 'https://teams.microsoft.com/v2/?meetingjoin=true#/meet/9312345678901?p=AbCdEfGh&anon=true',
  /** The invitation a person pastes for that short-link meeting. */
  teamsShortInvite: 'https://teams.microsoft.com/meet/9312345678901?p=AbCdEfGh',
  /** A video call on a host no adapter knows. */
  unknown: 'https://video.example.org/rooms/mentoring-weekly',
} as const;

/** Hosts the fixture server answers for (and its certificate names). */
export const FIXTURE_HOSTS = ['meet.google.com', 'app.zoom.us', 'us05web.zoom.us', 'teams.microsoft.com', 'teams.live.com', 'meet.jit.si', 'whereby.com', 'video.example.org'];

const PLATFORM_OF_HOST: Record<string, Platform> = {
  'meet.google.com': 'meet',
  'app.zoom.us': 'zoom',
  'us05web.zoom.us': 'zoom',
  'teams.microsoft.com': 'teams',
  'teams.live.com': 'teams',
  'meet.jit.si': 'jitsi',
  'whereby.com': 'whereby',
};

/** Every fixture screen of a platform, by name ('pre-join', 'in-call', 'ended.removed', …). */
function screensOf(platform: Platform): Record<string, string> {
  const dir = join(fixtureDir, platform);
  return Object.fromEntries(
    readdirSync(dir)
      .filter((f) => f.endsWith('.html') && f !== 'shell.html')
      .map((f) => [f.slice(0, -'.html'.length), readFileSync(join(dir, f), 'utf8')]),
  );
}

/**
 * A platform's pre-join page, plus a hook the test calls to move to another screen without a reload, as the real
 * single-page clients do: the fixture's body is swapped in place.
 */
function withScreens(platform: Platform, first = 'pre-join'): string {
  const screens = screensOf(platform);
  const hook = `<script>
    window.alongsideFixture = (() => {
      const screens = ${JSON.stringify(screens).replaceAll('</', '<\\/')};
      const show = (name) => {
        if (!(name in screens)) throw new Error('no fixture screen ' + name);
        const next = new DOMParser().parseFromString(screens[name], 'text/html');
        document.title = next.title;
        document.body.replaceWith(document.importNode(next.body, true));
      };
      return { show };
    })();
  </script>`;
  const html = screens[first];
  if (!html) throw new Error(`No ${platform}/${first}.html fixture`);
  return html.replace('</head>', `${hook}</head>`);
}

const UNKNOWN_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Weekly mentoring — Example Video</title></head>
<body><main><h1>Example Video</h1><div class="stage"><video autoplay muted playsinline></video></div>
<div class="controls"><button>Mute</button><button>Hang up</button></div></main></body></html>`;

const JITSI_WELCOME = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Jitsi Meet</title></head>
<body><div id="react"><div class="welcome"><h1>Secure and high quality meetings</h1><button>Start meeting</button></div></div></body></html>`;

/** The HTML for a request to a platform host, or undefined for a 404. */
export function callPage(host: string, path: string): string | undefined {
  if (host === 'video.example.org') return UNKNOWN_PAGE;
  const platform = PLATFORM_OF_HOST[host];
  if (!platform) return undefined;
  const url = new URL(path, `https://${host}`);
  if (platform === 'zoom') {
    // The shell at the top; the web client (with the screen hook) in the frame it loads with ?from=pwa.
    if (host === 'app.zoom.us' && url.searchParams.get('from') !== 'pwa') return readFileSync(join(fixtureDir, 'zoom/shell.html'), 'utf8');
    return withScreens('zoom');
  }
  if (platform === 'jitsi' && url.pathname === '/') return JITSI_WELCOME;
  return withScreens(platform);
}

/** The document that holds the call UI: Zoom's client frame, else the page itself. */
export async function callFrame(page: Page): Promise<Page | Frame> {
  if (!page.url().startsWith('https://app.zoom.us/')) return page;
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const frame = page.frames().find((f) => f.url().includes('from=pwa'));
    if (frame) {
      await frame.waitForFunction(() => 'alongsideFixture' in window);
      return frame;
    }
    await page.waitForTimeout(100);
  }
  throw new Error('No Zoom web client frame');
}

/** Moves the call page to another fixture screen ('waiting', 'in-call', 'left', 'ended.removed', …). */
export async function showScreen(page: Page, name: string): Promise<void> {
  const target = await callFrame(page);
  await target.evaluate((screen) => (window as unknown as { alongsideFixture: { show(name: string): void } }).alongsideFixture.show(screen), name);
}

export const joinCall = (page: Page) => showScreen(page, 'in-call');
export const leaveCall = (page: Page) => showScreen(page, 'left');
