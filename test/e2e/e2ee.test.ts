/**
 * End-to-end encryption in real Chromium against a real `wrangler dev` (issue 10), as a new pair would try it:
 * Maya (mentor) and Theo (mentee) sign in on their own browsers and take notes on a Meet call. Then the local D1
 * files (database, WAL and all) are scanned byte for byte: none of the typed texts is there, and the demo pair's
 * older plain-text notes have been sealed by the migration, while both overlays show every note. Then Maya signs in
 * on a second browser: it shows her notes locked until she approves it from her first browser with the code it
 * shows, and reads them all (her private note too) afterwards. Last, Theo sets up his recovery key (shown once), and a
 * browser of his with no other device to approve it reads his notes, private ones too, once he types that key.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPairs } from '../../worker/dev/demo-data.ts';
import { ROOT, executeSql } from '../../worker/dev/local.ts';
import { demoInvitations } from '../../worker/dev/seed.ts';
import { type LaunchedBrowser, launchBrowser } from './browser.ts';
import { MEETING_URLS, callPage, joinCall } from './call-pages.ts';
import { type E2eeStatusView as Status, askBackground, d1, eventually, overlayOf, signIn } from './extension-pages.ts';
import { type FixtureServer, startFixtureServer } from './fixture-server.ts';
import { type Stack, startStack } from './stack.ts';

const PAIR_ID = demoPairs[0]?.id ?? '';
const RUN = Date.now().toString(36);
const TYPED = {
  mentorShared: `Maya shared: negotiate the Lisbon offer ${RUN}`,
  mentorPrivate: `Maya private: Theo seems anxious about the panel ${RUN}`,
  menteeShared: `Theo shared: rehearse the five-minute pitch ${RUN}`,
};

let stack: Stack;
let fixtures: FixtureServer;
let mentor: LaunchedBrowser;
let mentee: LaunchedBrowser;
let mentorSecond: LaunchedBrowser;
let menteeRestored: LaunchedBrowser;

/** Every byte of every file of the local D1 (SQLite database, WAL, shared memory), as one buffer per file. */
function d1Files(dir: string): { path: string; bytes: Buffer }[] {
  const out: { path: string; bytes: Buffer }[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...d1Files(path));
    else out.push({ path, bytes: readFileSync(path) });
  }
  return out;
}

async function type(overlay: Frame, text: string, options: { private?: boolean } = {}): Promise<void> {
  if (options.private) await overlay.getByLabel('Private (only you)').check();
  const box = overlay.locator('.composer textarea');
  await box.fill(text);
  await box.press('Enter');
  if (options.private) await overlay.getByRole('checkbox', { name: /Private/ }).uncheck();
}

const entryTexts = (overlay: Frame) => overlay.locator('li.entry').allInnerTexts();

beforeAll(async () => {
  stack = await startStack('e2ee', 8800);
  fixtures = await startFixtureServer(join(ROOT, '.wrangler', 'e2e-certs'), (host, path) => callPage(host, path));
  const launch = () => launchBrowser({ extension: true, hostResolverRules: fixtures.hostResolverRules });
  [mentor, mentee, mentorSecond, menteeRestored] = await Promise.all([launch(), launch(), launch(), launch()]);
  await signIn(mentor, stack.worker.url, stack.codes.mentor);
  await signIn(mentee, stack.worker.url, stack.codes.mentee);
});

afterAll(async () => {
  await Promise.all([mentor?.close(), mentee?.close(), mentorSecond?.close(), menteeRestored?.close()]);
  await fixtures?.close();
  await stack?.stop();
});

describe('notes only the pair can read', () => {
  let pages: Page[];
  let overlays: Frame[];

  it('seals what both partners type on a call, and the older notes, while both read everything', async () => {
    pages = [await mentor.context.newPage(), await mentee.context.newPage()];
    await Promise.all(pages.map((page) => page.goto(MEETING_URLS.meet)));
    await Promise.all(pages.map((page) => joinCall(page)));
    overlays = await Promise.all(pages.map((page) => overlayOf(page)));
    const [maya, theo] = overlays as [Frame, Frame];

    await type(maya, TYPED.mentorShared);
    await type(maya, TYPED.mentorPrivate, { private: true });
    await type(theo, TYPED.menteeShared);

    // Both see the shared notes; only Maya sees her private one.
    await eventually(() => entryTexts(maya), (t) => [TYPED.mentorShared, TYPED.mentorPrivate, TYPED.menteeShared].every((x) => t.some((s) => s.includes(x))), 60_000);
    const theoSees = await eventually(() => entryTexts(theo), (t) => [TYPED.mentorShared, TYPED.menteeShared].every((x) => t.some((s) => s.includes(x))), 60_000);
    expect(theoSees.some((s) => s.includes(TYPED.mentorPrivate))).toBe(false);

    // The demo pair's older notes are sealed by each member's device (their own), with progress shown on the way.
    for (const browser of [mentor, mentee]) {
      await eventually(
        () => askBackground<Status>(browser, 'e2ee.status', {}),
        (s) => s.pairs.find((p) => p.pairId === PAIR_ID)?.state === 'encrypted',
        90_000,
        1_000,
      );
    }
    const plainLeft = d1<{ n: number }>(
      stack.persistTo,
      `SELECT (SELECT count(*) FROM entries WHERE pair_id = '${PAIR_ID}' AND deleted_at IS NULL AND body NOT LIKE 'a1.%')
            + (SELECT count(*) FROM agenda_items WHERE pair_id = '${PAIR_ID}' AND deleted_at IS NULL AND body NOT LIKE 'a1.%')
            + (SELECT count(*) FROM goals WHERE pair_id = '${PAIR_ID}' AND title NOT LIKE 'a1.%') AS n`,
    );
    expect(plainLeft[0]?.n).toBe(0);

    // What is on disk: none of the typed texts, in the database, its WAL or anywhere else in the local D1.
    const files = d1Files(join(stack.persistTo, 'v3', 'd1'));
    expect(files.length).toBeGreaterThan(0);
    for (const text of Object.values(TYPED)) {
      const found = files.filter((f) => f.bytes.includes(Buffer.from(text, 'utf8')) || f.bytes.includes(Buffer.from(text.slice(0, 24), 'utf8')));
      expect(found.map((f) => f.path), text).toEqual([]);
    }
    // …and the notes are there, as ciphertext.
    const stored = d1<{ body: string }>(stack.persistTo, `SELECT body FROM entries WHERE pair_id = '${PAIR_ID}' ORDER BY created_at DESC LIMIT 3`);
    expect(stored.map((r) => r.body.slice(0, 3))).toEqual(['a1.', 'a1.', 'a1.']);
  });

  it("reads Maya's notes on her second browser only once she approves it from her first", async () => {
    const second = demoInvitations();
    await executeSql(second.sql, stack.persistTo);
    await signIn(mentorSecond, stack.worker.url, second.codes.mentor);
    const waiting = await eventually(() => askBackground<Status>(mentorSecond, 'e2ee.status', {}), (s) => s.state === 'pending' && s.approvalCode !== null, 30_000, 1_000);

    const page = await mentorSecond.context.newPage();
    await page.goto(MEETING_URLS.meet);
    await joinCall(page);
    const overlay = await overlayOf(page);
    // Before approval: the notes are there but locked, with the reason, and no ciphertext on screen.
    const locked = await eventually(() => entryTexts(overlay), (t) => t.some((s) => s.includes('approve it from your other device')), 30_000);
    expect(locked.join('\n')).not.toMatch(/a1\.[A-Za-z0-9_-]{16}\./);
    expect(locked.some((s) => s.includes(TYPED.mentorShared))).toBe(false);

    // On the first browser: the request is listed; a wrong code is refused, the right one approves.
    const first = await eventually(() => askBackground<Status>(mentor, 'e2ee.status', {}), (s) => s.approvals.length > 0, 30_000, 1_000);
    const approvalId = first.approvals[0]?.id ?? '';
    await expect(askBackground(mentor, 'e2ee.approve', { approvalId, code: '00000 00000 00000 00000' })).rejects.toThrow(/does not match/);
    await askBackground(mentor, 'e2ee.approve', { approvalId, code: waiting.approvalCode });

    await eventually(() => askBackground<Status>(mentorSecond, 'e2ee.status', {}), (s) => s.state === 'ready', 30_000, 1_000);
    await eventually(
      () => entryTexts(overlay),
      (t) => [TYPED.mentorShared, TYPED.mentorPrivate, TYPED.menteeShared].every((x) => t.some((s) => s.includes(x))),
      60_000,
      1_000,
    );
  });

  it('restores Theo’s keys on a new browser with his recovery key', async () => {
    const [, theo] = overlays as [Frame, Frame];
    const theoPrivate = `Theo private: ask about the stretch role ${RUN}`;
    await type(theo, theoPrivate, { private: true });
    await eventually(() => entryTexts(theo), (t) => t.some((s) => s.includes(theoPrivate) && s.includes('synced')), 30_000);
    const { recoveryKey } = await askBackground<{ recoveryKey: string | null }>(mentee, 'e2ee.setUp', {});
    expect(recoveryKey).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4})+$|^[0-9A-Z]{4}( [0-9A-Z]{4})+$/);
    // Shown once: asking again gives no key.
    expect((await askBackground<{ recoveryKey: string | null }>(mentee, 'e2ee.setUp', {})).recoveryKey).toBeNull();

    const again = demoInvitations();
    await executeSql(again.sql, stack.persistTo);
    await signIn(menteeRestored, stack.worker.url, again.codes.mentee);
    await eventually(() => askBackground<Status>(menteeRestored, 'e2ee.status', {}), (s) => s.state === 'pending', 30_000, 1_000);
    await expect(askBackground(menteeRestored, 'e2ee.restore', { recoveryKey: (recoveryKey ?? '').replace(/[0-9A-Z]$/, (c) => (c === 'A' ? 'B' : 'A')) })).rejects.toThrow();
    const restored = await askBackground<Status>(menteeRestored, 'e2ee.restore', { recoveryKey });
    expect(restored.state).toBe('ready');

    const page = await menteeRestored.context.newPage();
    await page.goto(MEETING_URLS.meet);
    await joinCall(page);
    const overlay = await overlayOf(page);
    await eventually(() => entryTexts(overlay), (t) => [theoPrivate, TYPED.mentorShared, TYPED.menteeShared].every((x) => t.some((s) => s.includes(x))), 60_000, 1_000);
  });
});
