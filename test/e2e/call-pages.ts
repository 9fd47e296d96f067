import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { Platform } from '../../shared/schemas/index.ts';
import { ROOT } from '../../worker/dev/local.ts';

/** A meeting URL on each platform's real host (served locally by the fixture server). */
export const MEETING_URLS: Record<Platform, string> = {
  meet: 'https://meet.google.com/abc-defg-hij',
  zoom: 'https://us05web.zoom.us/wc/83412345678/join',
  teams: 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_NzQ4ZDk1YWQtYWxvbmdzaWRl%40thread.v2/0',
  jitsi: 'https://meet.jit.si/AlongsideDemoRoom',
  whereby: 'https://whereby.com/alongside-demo',
};

const fixture = (platform: Platform, state: 'lobby' | 'call' | 'ended') =>
  readFileSync(join(ROOT, 'test/fixtures/platforms', `${platform}-${state}.html`), 'utf8');

/**
 * The platform's lobby page, plus a hook the test calls to move to the call screen and then the end screen without a
 * reload — as the real single-page clients do. The fixtures' bodies are swapped in place.
 */
export function callPage(host: string, path: string): string | undefined {
  const platform = (Object.keys(MEETING_URLS) as Platform[]).find((p) => {
    const url = new URL(MEETING_URLS[p]);
    return url.host === host && url.pathname === path.split('?')[0];
  });
  if (!platform) return undefined;
  const screens = { call: fixture(platform, 'call'), ended: fixture(platform, 'ended') };
  const hook = `<script>
    window.alongsideFixture = (() => {
      const screens = ${JSON.stringify(screens).replaceAll('</', '<\\/')};
      const show = (name) => {
        const next = new DOMParser().parseFromString(screens[name], 'text/html');
        document.title = next.title;
        document.body.replaceWith(document.importNode(next.body, true));
      };
      return { join: () => show('call'), leave: () => show('ended') };
    })();
  </script>`;
  return fixture(platform, 'lobby').replace('</head>', `${hook}</head>`);
}

export const joinCall = (page: Page) => page.evaluate(() => (window as unknown as { alongsideFixture: { join(): void } }).alongsideFixture.join());
export const leaveCall = (page: Page) => page.evaluate(() => (window as unknown as { alongsideFixture: { leave(): void } }).alongsideFixture.leave());
