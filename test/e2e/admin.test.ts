/**
 * The admin view in real Chromium against a real `wrangler dev` with the demo programme (test/e2e/global-setup.ts):
 * sign in through the invitation page, read the dashboard, match the unmatched mentee (Noor Haddad) and create the
 * pair, export CSV, sign out, and see a member's sign-in land on the 403 page. Screenshots go to
 * test/artifacts/screenshots/admin-*.png (the README shows the dashboard).
 */
import { readFileSync } from 'node:fs';
import type { Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { type LaunchedBrowser, launchBrowser, screenshotPath } from './browser.ts';

const { workerUrl, codes } = inject('e2e');

/** The last 12 weeks in UTC, as the demo data is seeded relative to now (UTC). */
function lastTwelveWeeks(): { from: string; to: string } {
  const day = 86_400_000;
  const today = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
  const iso = (t: number) => new Date(t).toISOString().slice(0, 10);
  return { from: iso(today - 83 * day), to: iso(today) };
}

/** The figure in a dashboard tile, by its label. */
async function tile(page: Page, label: string): Promise<string> {
  const value = page.locator('.tile', { has: page.locator('dt', { hasText: new RegExp(`^${label}$`) }) }).locator('dd');
  return (await value.evaluate((dd) => dd.firstChild?.textContent ?? '')).trim();
}

/** A full-page screenshot once the confirmations ("Downloaded …") have faded, so they do not cover the page. */
async function screenshot(page: Page, name: string, fullPage = true): Promise<void> {
  await page.locator('.toast').first().waitFor({ state: 'detached', timeout: 10_000 });
  await page.screenshot({ path: screenshotPath(name), fullPage });
}

async function downloaded(download: Download): Promise<string> {
  const path = await download.path();
  return readFileSync(path, 'utf8');
}

describe('admin view', () => {
  let browser: LaunchedBrowser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  afterAll(async () => {
    await browser?.close();
  });

  test('signed-out visitors see the sign-in page', async () => {
    await page.goto(`${workerUrl}/admin/`);
    await expect.poll(() => page.getByRole('heading', { name: 'Alongside admin' }).isVisible()).toBe(true);
    await expect.poll(() => page.getByLabel('Invitation link or code').isVisible()).toBe(true);
  });

  test('an admin invitation link signs in through the invitation page', async () => {
    await page.goto(`${workerUrl}/invite/${codes.admin}`);
    await page.getByRole('link', { name: 'Sign in to the admin view' }).click();
    await page.getByRole('heading', { name: 'Programme engagement' }).waitFor();
    // The code is redeemed and removed from the address bar.
    expect(new URL(page.url()).hash).toBe('');
    expect(await page.evaluate(() => sessionStorage.getItem('alongside.admin.token'))).toMatch(/^[\w-]{20,}$/);
    await expect.poll(() => page.getByText('Demo Mentoring Programme').isVisible()).toBe(true);

    // Opening the (now used) link again keeps the session and says why nothing happened.
    await page.goto(`${workerUrl}/admin/#invite=${codes.admin}`);
    await page.getByText('That invitation link was already used or has expired; you are still signed in.').waitFor();
    await page.getByRole('heading', { name: 'Programme engagement' }).waitFor();
    expect(new URL(page.url()).hash).toBe('');
  });

  test('the admin view is served with a strict CSP (worker/admin/public/_headers) and nothing on it breaks the policy', async () => {
    const violations: string[] = [];
    const onConsole = (m: { type(): string; text(): string }) => {
      if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) violations.push(m.text());
    };
    page.on('console', onConsole);
    const { from, to } = lastTwelveWeeks();
    const response = await page.goto(`${workerUrl}/admin/?from=${from}&to=${to}`);
    const headers = response?.headers() ?? {};
    const csp = new Set((headers['content-security-policy'] ?? '').split(';').map((d) => d.trim()));
    for (const d of ["script-src 'self'", "style-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"]) expect(csp).toContain(d);
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['x-frame-options']).toBe('DENY');
    await page.locator('canvas').nth(2).waitFor();
    await page.getByRole('link', { name: 'People' }).first().click();
    await page.locator('main h1').first().waitFor();
    page.off('console', onConsole);
    expect(violations).toEqual([]);
  });

  test('the dashboard shows the demo programme’s figures', async () => {
    const { from, to } = lastTwelveWeeks();
    await page.goto(`${workerUrl}/admin/?from=${from}&to=${to}`);
    await page.locator('.tile').first().waitFor();
    await page.locator('canvas').nth(2).waitFor();

    // Hand-computed from worker/dev/demo-data.ts: pairs 401–403 are active, 404 paused; in the last 84 days the pairs
    // met 11 + 5 + 1 + 2 times; days between check-ins per pair (two or more meetings in range): 71/10, 56/4, 14/1,
    // median 14.0; goals: two on track, one completed (100%), one past its due date.
    expect(await tile(page, 'Active pairs')).toBe('3');
    expect(await tile(page, 'Meetings held')).toBe('19');
    expect(await tile(page, 'Goals on track')).toBe('2');
    expect(await tile(page, 'Goals completed')).toBe('1');
    expect(await tile(page, 'Goals overdue')).toBe('1');
    expect(await tile(page, 'Median days between check-ins')).toBe('14.0 d');
    expect(await tile(page, 'Average rating')).toMatch(/^4\.\d+ \/ 5$/);

    // Kenji & Priya (biweekly, 22 days since the last meeting, falling ratings) and Lena & Sam (monthly, 58 days) are at risk.
    const atRisk = page.locator('section', { has: page.getByRole('heading', { name: 'At-risk pairs' }) });
    await expect.poll(() => atRisk.getByRole('link', { name: 'Kenji Sato & Priya Nair' }).isVisible()).toBe(true);
    await expect.poll(() => atRisk.getByRole('link', { name: 'Lena Fischer & Sam Okafor' }).isVisible()).toBe(true);
    expect(await atRisk.textContent()).toContain('Falling ratings');
    expect(await atRisk.textContent()).not.toContain('Maya Mentor');

    const mentors = page.locator('section', { has: page.getByRole('heading', { name: 'Most consistent mentors' }) });
    expect(await mentors.locator('li').first().textContent()).toContain('Maya Mentor');

    // Three charts are drawn (Chart.js canvases with a text alternative).
    expect(await page.locator('canvas[role="img"]').count()).toBe(3);

    await screenshot(page, 'admin-dashboard-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.waitForTimeout(400); // charts redraw in the dark palette
    await screenshot(page, 'admin-dashboard-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    // Phones: 375 px wide, nothing cut off sideways.
    await page.setViewportSize({ width: 375, height: 800 });
    await page.waitForTimeout(600); // the charts animate to their new size
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await screenshot(page, 'admin-dashboard-mobile');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  test('exports the engagement figures as CSV', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Engagement CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^alongside-engagement-.*\.csv$/);
    const csv = await downloaded(download);
    const [header, ...rows] = csv.trim().split(/\r?\n/);
    expect(header).toMatch(/^pair_id,mentor_name,mentee_name,status,cadence/);
    expect(rows).toHaveLength(4);
    expect(csv).toContain('Maya Mentor');
    expect(csv).toContain('Theo Mentee');
  });

  test('the pairs list filters and sorts', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Pairs' }).click();
    await page.getByRole('heading', { name: 'Pairs', exact: true }).waitFor();
    const rows = page.locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(4);
    await page.getByLabel('Status').selectOption('paused');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('Lucía Gómez');
    await page.getByLabel('Status').selectOption('all');
    await page.getByLabel('Search by name').fill('kenji');
    await expect.poll(() => rows.count()).toBe(1);
    await page.getByLabel('Search by name').fill('');
    await page.getByRole('button', { name: /^Meetings/ }).click();
    await expect.poll(() => page.locator('th[aria-sort="ascending"]').textContent()).toContain('Meetings');
    expect(await rows.first().textContent()).toContain('Lucía Gómez'); // 2 meetings, the fewest
    await screenshot(page, 'admin-pairs');
  });

  test('a pair page shows engagement but never entry text', async () => {
    await page.getByLabel('Search by name').fill('Theo');
    await page.locator('tbody tr').first().getByRole('link').click();
    await page.getByRole('heading', { name: 'Maya Mentor & Theo Mentee' }).waitFor();
    await page.getByRole('heading', { name: 'Meeting timeline' }).waitFor();
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).toContain('Give a talk at the team all-hands');
    // Bodies of the demo entries (worker/dev/demo-data.ts) are confidential to the pair.
    expect(text).not.toContain('strong opening');
    expect(text).not.toContain('Nervous about Q&A');
    expect(text).not.toContain('Book a dry-run slot');
    await screenshot(page, 'admin-pair');
  });

  test('pause and resume a pair, with a clear message when someone else changed it first', async () => {
    // Another admin changes the pair's cadence while this page is open (its version moves on).
    const pairId = new URL(page.url()).pathname.split('/').at(-1) ?? '';
    const status = await page.evaluate(async (id) => {
      const headers = { authorization: `Bearer ${sessionStorage.getItem('alongside.admin.token')}`, 'content-type': 'application/json' };
      const { pair } = (await (await fetch(`/api/v1/admin/pairs/${id}`, { headers })).json()) as { pair: { version: number } };
      const res = await fetch(`/api/v1/admin/pairs/${id}`, { method: 'PATCH', headers, body: JSON.stringify({ version: pair.version, cadence: 'biweekly' }) });
      return res.status;
    }, pairId);
    expect(status).toBe(200);

    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Pause this pair?' });
    await dialog.getByRole('button', { name: 'Pause pair' }).click();
    await page.getByText('Not saved: this pair changed meanwhile.').waitFor();
    // The page reloaded the pair: it shows the other admin's change, and is still active.
    await expect.poll(() => page.locator('main .page-head').textContent()).toContain('Every 2 weeks');
    expect(await page.locator('main .page-head .badge').textContent()).toBe('active');

    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await page.getByRole('dialog', { name: 'Pause this pair?' }).getByRole('button', { name: 'Pause pair' }).click();
    await expect.poll(() => page.locator('main .page-head .badge').textContent()).toBe('paused');
    await page.getByRole('button', { name: 'Resume', exact: true }).click();
    await page.getByRole('dialog', { name: 'Resume this pair?' }).getByRole('button', { name: 'Resume pair' }).click();
    await expect.poll(() => page.locator('main .page-head .badge').textContent()).toBe('active');
  });

  test('matching ranks mentors for Noor Haddad and creates the pair', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Matching' }).click();
    const waiting = page.locator('section', { has: page.getByRole('heading', { name: /^Waiting for a mentor/ }) });
    await waiting.getByRole('link', { name: 'Find mentors for Noor Haddad' }).click();
    await page.getByRole('heading', { name: 'Mentors for Noor Haddad' }).waitFor();
    const suggestions = page.getByRole('list', { name: 'Suggested mentors' }).locator(':scope > li');
    await expect.poll(() => suggestions.count()).toBe(3);
    const first = suggestions.first();
    const mentorName = ((await first.locator('h2').textContent()) ?? '').replace(/^\d+\.\s*/, '').trim();
    expect(['Maya Mentor', 'Kenji Sato', 'Lena Fischer']).toContain(mentorName);
    expect(await first.locator('ul[aria-label="Why"] li').count()).toBeGreaterThan(0);
    await screenshot(page, 'admin-matching');

    await first.getByRole('button', { name: `Create pair with ${mentorName}`, exact: true }).click();
    await first.getByLabel('How often they meet').selectOption('weekly');
    await first.getByRole('button', { name: `Pair with ${mentorName}`, exact: true }).click();
    await page.getByRole('heading', { name: `${mentorName} & Noor Haddad` }).waitFor();
    expect(page.url()).toMatch(/\/admin\/pairs\/[0-9a-f-]{36}$/);
    expect(await page.locator('main').textContent()).toContain('Weekly');

    // The pairs export now lists the new pair.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Pairs' }).click();
    await expect.poll(() => page.locator('tbody tr').count()).toBe(5);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Pairs CSV' }).click()]);
    const csv = await downloaded(download);
    expect(csv.split(/\r?\n/)[0]).toMatch(/^pair_id,status,cadence/);
    const noorRow = csv.split(/\r?\n/).find((line) => line.includes('Noor Haddad'));
    expect(noorRow).toContain(mentorName);
    expect(noorRow).toMatch(/,weekly,/);
  });

  test('people: one at a time with errors per field, and by CSV with errors per row', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'People' }).click();
    await page.getByRole('button', { name: 'Add a person' }).click();
    await page.getByLabel('Name').fill('Rosa Diaz');
    await page.getByLabel('Email').fill('not-an-email');
    await page.getByRole('button', { name: 'Add person' }).click();
    // The API's `issues` are shown next to the field, and focus moves there.
    await page.locator('#person-email-error').waitFor();
    expect(await page.getByLabel('Email').getAttribute('aria-invalid')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('person-email');
    await page.getByLabel('Email').fill('rosa@example.org');
    await page.getByRole('button', { name: 'Add person' }).click();
    // A new person gets their invitation link straight away.
    await page.getByRole('heading', { name: 'Invitation for Rosa Diaz' }).waitFor();
    await expect.poll(() => page.getByRole('cell', { name: /^Rosa Diaz/ }).count()).toBe(1);
    await page.getByRole('button', { name: 'Done' }).click();

    await page.getByRole('button', { name: 'Import CSV' }).click();
    const csv = [
      'name,email,role,timeZone,skills,interests,goals',
      'Omar Farouk,omar@example.org,mentee,Africa/Cairo,python,chess,system design;leadership',
      'Broken Row,broken@example.org,mentee,Mars/Olympus,,,',
    ].join('\n');
    await page.getByLabel('CSV file').setInputFiles({ name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Import people' }).click();
    const outcome = page.locator('form [aria-live="polite"] .message').first();
    await outcome.waitFor();
    expect(await outcome.textContent()).toContain('1 person added.');
    const problems = page.locator('table', { has: page.locator('caption', { hasText: 'Rows that were not imported' }) }).locator('tbody tr');
    expect(await problems.count()).toBe(1);
    expect(await problems.first().locator('td').first().textContent()).toBe('3');
    await expect.poll(() => page.getByRole('cell', { name: /^Omar Farouk/ }).count()).toBe(1);
    await screenshot(page, 'admin-people');
  });

  test('every page fits a 375 px wide screen', async () => {
    await page.setViewportSize({ width: 375, height: 800 });
    for (const path of ['/', '/pairs', '/pairs/0190a000-0000-7000-8000-000000000401', '/people', '/matching']) {
      await page.goto(`${workerUrl}/admin${path}`);
      await page.locator('main h1').waitFor();
      await page.locator('.loading').first().waitFor({ state: 'detached' });
      expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(375);
    }
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  test('an invitation link is created for a member, and a member signing in gets the 403 page', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'People' }).click();
    await page.getByRole('button', { name: 'Invite link for Theo Mentee' }).click();
    await page.getByRole('heading', { name: 'Invitation for Theo Mentee' }).waitFor();
    const link = await page.getByLabel('Sign-in link (works once)').inputValue();
    expect(link).toMatch(new RegExp(`^${workerUrl}/invite/[\\w-]{20,}$`));

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You are signed out.').waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('alongside.admin.token'))).toBeNull();

    await page.getByLabel('Invitation link or code').fill(link);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'This view is for programme admins' }).waitFor();
    expect(await page.locator('main').textContent()).toContain('Theo Mentee');
    await screenshot(page, 'admin-forbidden', false);
    // Reloading keeps the member out of the admin pages.
    await page.goto(`${workerUrl}/admin/pairs`);
    await page.getByRole('heading', { name: 'This view is for programme admins' }).waitFor();
  });

  test('no script errors on any page', () => {
    expect(pageErrors).toEqual([]);
  });

  test('an admin erases a person they added by typing that person’s email; the People list no longer shows them', async () => {
    // The demo admin's link was used above and this tab is now a member's: a fresh admin invitation goes straight
    // into the stack's D1 (as worker/dev/seed.ts does), so no demo person's data changes.
    const { createHash, randomBytes, randomUUID } = await import('node:crypto');
    const { d1 } = await import('./extension-pages.ts');
    const { DEMO_ORG_ID, demoLogins } = await import('../../worker/dev/demo-data.ts');
    const code = randomBytes(32).toString('base64url');
    const hash = createHash('sha256').update(code).digest('hex');
    const now = Date.now();
    d1(
      inject('e2e').persistTo,
      `INSERT INTO invitations (id, org_id, user_id, code_hash, created_by, created_at, expires_at) VALUES ('${randomUUID()}', '${DEMO_ORG_ID}', '${demoLogins.admin}', '${hash}', NULL, '${new Date(now).toISOString()}', '${new Date(now + 3_600_000).toISOString()}')`,
    );
    await page.goto(`${workerUrl}/invite/${code}`);
    await page.getByRole('link', { name: 'Sign in to the admin view' }).click();
    await page.getByRole('heading', { name: 'Programme engagement' }).waitFor();

    // Someone created for this test only (never a demo person: other e2e files count the demo programme).
    const email = 'erin.erasable@example.org';
    const created = await page.evaluate(async (body) => {
      const headers = { authorization: `Bearer ${sessionStorage.getItem('alongside.admin.token')}`, 'content-type': 'application/json' };
      const res = await fetch('/api/v1/admin/users', { method: 'POST', headers, body: JSON.stringify(body) });
      return res.status;
    }, { role: 'mentee', name: 'Erin Erasable', email, timeZone: 'Europe/London' });
    expect(created).toBe(201);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'People' }).click();
    await page.getByLabel('Search').fill('Erin');
    const erinRows = page.getByRole('cell', { name: /^Erin Erasable/ });
    await expect.poll(() => erinRows.count()).toBe(1);
    // No Erase button on your own row (the API refuses that with 409).
    await page.getByLabel('Search').fill('');
    await expect.poll(() => page.getByRole('button', { name: 'Erase Erin Erasable' }).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Erase Ada Admin' }).count()).toBe(0);
    await page.getByLabel('Search').fill('Erin');

    // The dialog: focus in the email field, says what erasure does, Escape closes it and focus returns.
    const opener = page.getByRole('button', { name: 'Erase Erin Erasable' });
    await opener.click();
    const dialog = page.getByRole('dialog', { name: 'Erase Erin Erasable?' });
    await dialog.waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('erase-email');
    const explanation = (await dialog.textContent()) ?? '';
    for (const words of ['hard-deletes their private notes', 'anonymous counts', 'pairs end', 'up to 30 days']) expect(explanation).toContain(words);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await opener.evaluate((el) => el === document.activeElement)).toBe(true);

    // A wrong email: the API answers 400, the message sits at the field, nothing is erased.
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await dialog.getByLabel(`Type ${email} to confirm`).fill('someone.else@example.org');
    await dialog.getByRole('button', { name: 'Erase for good' }).click();
    await dialog.locator('#erase-email-error').waitFor();
    expect(await dialog.locator('#erase-email-error').textContent()).toContain('Type the person’s email to confirm the erasure');
    expect(await dialog.getByLabel(`Type ${email} to confirm`).getAttribute('aria-invalid')).toBe('true');
    expect(await erinRows.count()).toBe(1);

    // The right email (typed, any case) erases them.
    await dialog.getByLabel(`Type ${email} to confirm`).fill(email.toUpperCase());
    await dialog.getByRole('button', { name: 'Erase for good' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByText('Erin Erasable was erased').waitFor();
    await expect.poll(() => erinRows.count()).toBe(0);
    await page.reload();
    await page.getByText('No one matches this search').waitFor();
    await page.getByLabel('Search').fill('');
    await expect.poll(() => page.locator('tbody tr').count()).toBeGreaterThan(0);
    expect(await page.locator('main').textContent()).not.toContain(email);

    // The audit log's action filter offers the erasure, and lists it.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
    const actions = await page.getByLabel('Action', { exact: true }).locator('option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
    for (const action of ['user.erase', 'retention.purge', 'settings.update', 'session.create', 'session.end', 'invitation.create', 'invitation.reinvite']) {
      expect(actions).toContain(action);
    }
    await page.getByLabel('Action', { exact: true }).selectOption('user.erase');
    await expect.poll(() => page.locator('tbody tr', { hasText: 'Person erased' }).count()).toBeGreaterThan(0);
    expect(await page.locator('tbody tr').first().textContent()).toContain('by an admin');
  });

  test('programme settings: retention of 30 days is saved and still there after a reload, then switched off again', async () => {
    const setRetention = (retentionDays: number | null) =>
      page.evaluate(async (days) => {
        const headers = { authorization: `Bearer ${sessionStorage.getItem('alongside.admin.token')}`, 'content-type': 'application/json' };
        return (await fetch('/api/v1/admin/settings', { method: 'PATCH', headers, body: JSON.stringify({ retentionDays: days }) })).status;
      }, retentionDays);
    try {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
      await page.getByRole('heading', { name: 'Programme settings' }).waitFor();
      const onOff = page.getByRole('switch', { name: 'Delete old notes automatically' });
      const days = page.getByRole('spinbutton', { name: /Delete the notes of pairs that ended more than/ });
      await onOff.waitFor();
      expect(await page.locator('main').textContent()).toContain('Members see this setting');
      expect(await onOff.isChecked()).toBe(false);
      expect(await days.isDisabled()).toBe(true);

      await onOff.check();
      await days.fill('0');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByText('Enter a whole number of days from 1 to 3650.').waitFor();
      expect(await days.getAttribute('aria-invalid')).toBe('true');

      await days.fill('30');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await expect.poll(() => page.locator('#retention-current').textContent()).toContain('Saved.');
      expect(await page.locator('#retention-current').textContent()).toContain('more than 30 days ago');

      await page.reload();
      await onOff.waitFor();
      expect(await onOff.isChecked()).toBe(true);
      expect(await days.inputValue()).toBe('30');

      // Off again (other e2e files read the demo programme as it was seeded).
      await onOff.uncheck();
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await expect.poll(() => page.locator('#retention-current').textContent()).toContain('Off');
      await page.reload();
      await onOff.waitFor();
      expect(await onOff.isChecked()).toBe(false);
      expect(pageErrors).toEqual([]);
    } finally {
      expect(await setRetention(null)).toBe(200);
    }
  });
});
