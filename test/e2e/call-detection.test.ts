// Call detection in real Chromium with the built extension, on fixture pages rebuilt from what maintained meeting
// tools rely on, served under the platforms' real host names: a meeting is logged only on strong in-call evidence,
// closed by end screens, navigation and closed tabs; Zoom's client in the shell's frame; a Teams short link matched to
// the pair by its pasted link; and the companion attached by hand to a page no adapter knows.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPairs } from '../../worker/dev/demo-data.ts';
import { ROOT } from '../../worker/dev/local.ts';
import { type LaunchedBrowser, clickToolbarButton, extensionId, launchBrowser, screenshotPath } from './browser.ts';
import { MEETING_URLS, MORE_URLS, callFrame, callPage, showScreen } from './call-pages.ts';
import { d1, eventually, overlayFrame, overlayOf, signIn } from './extension-pages.ts';
import { type FixtureServer, startFixtureServer } from './fixture-server.ts';
import { type Stack, startStack } from './stack.ts';

// Maya mentors two pairs (Theo, active; Lucía, paused), so a call is matched to a pair by its link or she is asked.
const PAIR_ID = demoPairs[0]?.id ?? '';
const since = new Date().toISOString();

// Its own stack: the meetings logged here must not change the figures the admin view test checks.
let stack: Stack;
let fixtures: FixtureServer;
let maya: LaunchedBrowser;

interface MeetingRow {
  platform: string;
  code: string;
  source: string;
  endedAt: string | null;
  endReason: string | null;
}

/** The meetings logged for Theo and Maya's pair in this test run with this code. */
const meetings = (code: string) =>
  d1<MeetingRow>(
    stack.persistTo,
    `SELECT platform, meeting_code AS code, source, ended_at AS endedAt, end_reason AS endReason FROM meetings
      WHERE pair_id = '${PAIR_ID}' AND created_at >= '${since}' AND meeting_code = '${code.replaceAll("'", "''")}'`,
  );

async function openCall(url: string): Promise<Page> {
  const page = await maya.context.newPage();
  await page.goto(url);
  return page;
}

beforeAll(async () => {
  stack = await startStack('detection', 8792);
  fixtures = await startFixtureServer(join(ROOT, '.wrangler', 'e2e-certs'), (host, path) => callPage(host, path));
  // The pair's Teams link, as Maya pasted it from the invitation: the short link, not the page the call runs on.
  d1(stack.persistTo, `UPDATE pairs SET meeting_links = json_set(meeting_links, '$.teams', '${MORE_URLS.teamsShortInvite}') WHERE id = '${PAIR_ID}'`);
  maya = await launchBrowser({ extension: true, hostResolverRules: fixtures.hostResolverRules });
  await signIn(maya, stack.worker.url, stack.codes.mentor);
});

afterAll(async () => {
  await maya?.close();
  await fixtures?.close();
  await stack?.stop();
});

describe('Google Meet', () => {
  it('logs no meeting while waiting to be admitted, though the Leave button is on the page, when nobody lets the user in', async () => {
    const page = await openCall(MEETING_URLS.meet);
    const overlay = await overlayFrame(page);
    await overlay.getByText('Not joined yet').waitFor();
    await showScreen(page, 'waiting');
    await overlay.getByText('Waiting to be let in').waitFor({ timeout: 10_000 });
    await page.screenshot({ path: screenshotPath('meet-waiting') });
    await page.waitForTimeout(4_000);
    await page.close(); // gave up waiting
    await new Promise((r) => setTimeout(r, 4_000));
    expect(meetings('abc-defg-hij')).toEqual([]);
  });

  it('logs the meeting once admitted, and closes it when the host ends it for everyone', async () => {
    const page = await openCall(MEETING_URLS.meet);
    const overlay = await overlayOf(page);
    await showScreen(page, 'in-call');
    await overlay.getByText('In call').waitFor({ timeout: 10_000 });
    const started = await eventually(() => meetings('abc-defg-hij'), (rows) => rows.length === 1);
    expect(started[0]).toMatchObject({ platform: 'meet', source: 'auto', endedAt: null });
    await showScreen(page, 'ended');
    await overlay.getByText('Meeting ended').waitFor({ timeout: 10_000 });
    const ended = await eventually(() => meetings('abc-defg-hij'), (rows) => rows[0]?.endedAt != null);
    expect(ended).toHaveLength(1);
    expect(ended[0]?.endReason).toBe('ended');
    await page.close();
  });
});

describe('Microsoft Teams', () => {
  it('matches a short-link meeting to the pair by its pasted link, logs it, and closes it on the removed screen', async () => {
    const page = await openCall(MORE_URLS.teamsShortLink);
    const overlay = await overlayOf(page); // no "Which mentorship is this call for?": the link named this meeting
    await overlay.locator('#tab-goals').click();
    await overlay.locator('#panel-goals').getByText('Give a talk at the team all-hands').first().waitFor();
    await showScreen(page, 'in-call');
    const started = await eventually(() => meetings('9312345678901'), (rows) => rows.length === 1);
    expect(started[0]).toMatchObject({ platform: 'teams', endedAt: null });
    await showScreen(page, 'ended.removed');
    const ended = await eventually(() => meetings('9312345678901'), (rows) => rows[0]?.endedAt != null);
    expect(ended[0]?.endReason).toBe('ended');
    await page.screenshot({ path: screenshotPath('teams-removed') });
    await page.close();
  });
});

describe('Zoom in the browser', () => {
  it('finds the web client in the app.zoom.us shell’s frame, shows the overlay on the top page, and closes the meeting with the tab', async () => {
    const page = await openCall(MEETING_URLS.zoom);
    const client = await callFrame(page);
    expect(client.url()).toContain('/wc/83412345678/join?from=pwa'); // a real frame URL, not srcdoc
    await showScreen(page, 'in-call');
    const overlay = await overlayFrame(page);
    expect(overlay.parentFrame()).toBe(page.mainFrame());
    // Maya's pairs have no Zoom link: she is asked once which mentorship this is.
    await overlay.getByRole('button', { name: /Theo Mentee/ }).click();
    await overlay.locator('.composer textarea').waitFor();
    const started = await eventually(() => meetings('83412345678'), (rows) => rows.length === 1);
    expect(started[0]).toMatchObject({ platform: 'zoom', endedAt: null });
    await page.screenshot({ path: screenshotPath('overlay-zoom-pwa') });
    // Placed on the top page, clear of the client's footer controls inside the frame.
    const [box, footer] = await Promise.all([(await overlay.frameElement()).boundingBox(), client.locator('#wc-footer').boundingBox()]);
    expect(box && footer).toBeTruthy();
    if (box && footer) {
      const overlaps = box.x < footer.x + footer.width && footer.x < box.x + box.width && box.y < footer.y + footer.height && footer.y < box.y + box.height;
      expect(overlaps, JSON.stringify({ box, footer })).toBe(false);
    }

    // "Check this call page" in the options sees the frame, the state and the signals, and names no meeting.
    const options = await maya.context.newPage();
    await options.goto(`chrome-extension://${await extensionId(maya.context)}/options.html`);
    await options.getByRole('listitem').filter({ hasText: 'Zoom' }).getByRole('button', { name: 'Check this call page' }).click();
    await options.locator('[data-testid="diagnostics-state"], .diagnostics .error, [role="alert"]').first().waitFor();
    expect(await options.getByRole('alert').count(), (await options.getByRole('alert').allTextContents()).join()).toBe(0);
    await options.getByTestId('diagnostics-state').getByText('in the call').waitFor();
    await options.getByText('Show the page signature').click();
    const signature = (await options.locator('pre.signature').textContent()) ?? '';
    expect(signature).toContain('iframe#webclient.pwa-webclient__iframe');
    expect(signature).toContain('# frame');
    expect(signature).not.toContain('83412345678');
    await options.screenshot({ path: screenshotPath('options-check-call-page'), fullPage: true });
    await options.close();

    await page.close();
    const ended = await eventually(() => meetings('83412345678'), (rows) => rows[0]?.endedAt != null);
    expect(ended[0]?.endReason).toBe('page-closed');
  });
});

describe('a page no adapter knows', () => {
  it('gets the companion from the toolbar button, and the meeting is logged by hand', async () => {
    const page = await openCall(MORE_URLS.unknown);
    await page.waitForTimeout(1_500);
    expect(page.frames().some((f) => f.url().includes('/overlay.html'))).toBe(false);
    await clickToolbarButton(maya.context, page);
    const overlay = await overlayFrame(page);
    // The side panel the toolbar button opened takes the right of the headless window, where Playwright's emulated
    // viewport still has the overlay: its buttons are pressed from the keyboard (which they must support anyway).
    await overlay.getByRole('button', { name: /Theo Mentee/ }).press('Enter');
    await overlay.getByText('Alongside cannot tell when this call starts or ends here').waitFor();
    await overlay.getByRole('button', { name: 'Start meeting log' }).press('Enter');
    await overlay.getByText('Logging this meeting').waitFor();
    const code = 'video.example.org/rooms/mentoring-weekly';
    const started = await eventually(() => meetings(code), (rows) => rows.length === 1);
    expect(started[0]).toMatchObject({ platform: 'other', source: 'manual', endedAt: null });
    await page.screenshot({ path: screenshotPath('overlay-manual-attach') });
    await overlay.getByRole('button', { name: 'End meeting log' }).press('Enter');
    const ended = await eventually(() => meetings(code), (rows) => rows[0]?.endedAt != null);
    expect(ended[0]?.endReason).toBe('manual');
    await page.close();
  });
});
