/**
 * The store listing kit (issue 12, item 3), assembled by `npm run zip` after WXT has zipped both builds:
 * extension/.output/store/ gets listing.md (the text the Chrome Web Store and addons.mozilla.org ask for), PRIVACY.md
 * (the deployment's privacy policy, shared/privacy/policy.ts) and screenshots/ (the 1280×800 PNGs that
 * test/e2e/store-screenshots.test.ts commits under test/screenshots/store/).
 *
 * The contact details come from the organisation's configuration: the `[vars]` of wrangler.toml, which the worker
 * also uses to serve the same policy at /privacy; environment variables of the same names override them (CI).
 *
 * `node extension/build/listing-kit.ts check` only validates the configuration (run first, so a missing contact
 * fails before the builds); without an argument it writes the kit.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type PrivacyPolicyInput, privacyContactFrom, renderPrivacyMarkdown } from '../../shared/privacy/policy.ts';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const STORE_DIR = join(ROOT, 'extension/.output/store');
export const SCREENSHOTS_SRC = join(ROOT, 'test/screenshots/store');

/**
 * The `[vars]` table of a wrangler.toml: its `KEY = "string"` lines, the only form our [vars] use (wrangler's own
 * TOML parser is bundled inside wrangler, not importable). Anything else in the table is an error rather than
 * silently skipped.
 */
export function wranglerVars(toml: string): Record<string, string> {
  const vars: Record<string, string> = {};
  let inVars = false;
  for (const raw of toml.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('[')) {
      inVars = line === '[vars]';
      continue;
    }
    if (!inVars || line === '' || line.startsWith('#')) continue;
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*(#.*)?$/.exec(line);
    if (!m) throw new Error(`wrangler.toml [vars]: cannot read \`${line}\` (use KEY = "string")`);
    vars[m[1] as string] = JSON.parse(`"${m[2]}"`) as string;
  }
  return vars;
}

/** The policy's input from wrangler.toml's [vars] and the environment (which wins); throws PrivacyConfigError. */
export function privacyInput(toml: string, env: Record<string, string | undefined>): PrivacyPolicyInput {
  const fromToml = wranglerVars(toml);
  const defined = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const vars: Record<string, string | undefined> = { ...fromToml, ...defined };
  const days = (key: string) => {
    const n = Number(vars[key]);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`${key} must be a whole number of days, not ${vars[key]}`);
    return n;
  };
  return { contact: privacyContactFrom(vars), tokenTtlDays: days('TOKEN_TTL_DAYS'), invitationTtlDays: days('INVITATION_TTL_DAYS') };
}

export interface ManifestLike {
  name: string;
  description: string;
  permissions?: string[];
  optional_permissions?: string[];
  host_permissions?: string[];
  optional_host_permissions?: string[];
  content_scripts?: { matches: string[] }[];
}

/**
 * Why each permission is there, for the Chrome Web Store's "Permissions justification" fields (one per permission
 * the manifest declares: https://developer.chrome.com/docs/webstore/cws-dashboard-privacy). Keep in step with the
 * comments in extension/wxt.config.ts: a permission without an entry here fails the kit.
 */
const JUSTIFICATIONS: Record<string, string> = {
  storage:
    'Keeps the user’s changes in an outbox until the organisation’s server has them (nothing typed is lost when the network drops), a copy of the pair’s goals and notes for offline use, and the settings (server address, reminders).',
  alarms: 'Wakes the service worker to retry unsent changes and to check the schedule for check-in reminders, instead of long-lived timers.',
  scripting:
    'Registers the call-page script on self-hosted Jitsi sites the user adds in the options, and injects it into the current tab when the user asks for the companion there (toolbar button or Alt+Shift+A).',
  activeTab: 'Lets the toolbar button and keyboard shortcuts show the companion on the tab they were used on, without any broad host permission.',
  sidePanel: 'The toolbar button opens the side panel with the pair’s goals, open actions and next check-in between calls.',
  notifications: 'Optional, asked for only when the user turns reminders on: a notification 10 minutes before a scheduled check-in and when one is overdue.',
};

const HOST_JUSTIFICATIONS: Record<string, string> = {
  'http://127.0.0.1/*': 'A server running on the user’s own computer (local development and trials of the organisation’s server).',
  'http://localhost/*': 'The same, under the name localhost.',
  'https://*/*':
    'Optional, asked for at run time only for the one origin the user chooses: the organisation’s own server (set by pasting an invitation link) and self-hosted Jitsi sites the user adds.',
  'http://*/*': 'Optional, as above, for an organisation’s server on plain HTTP inside its own network.',
};

/** Chrome's limit for the summary, which is the manifest's description (https://developer.chrome.com/docs/extensions/reference/manifest/description: "no more than 132 characters"). */
export const SUMMARY_MAX = 132;

export function renderListing(chrome: ManifestLike, firefox: ManifestLike, privacyUrlHint: string): string {
  if (chrome.description.length > SUMMARY_MAX) throw new Error(`The manifest description is ${chrome.description.length} characters; Chrome allows ${SUMMARY_MAX}`);
  const permissions = [...new Set([...(chrome.permissions ?? []), ...(chrome.optional_permissions ?? []), ...(firefox.permissions ?? []), ...(firefox.optional_permissions ?? [])])];
  const hosts = [...new Set([...(chrome.host_permissions ?? []), ...(chrome.optional_host_permissions ?? [])])];
  const callHosts = [...new Set((chrome.content_scripts ?? []).flatMap((s) => s.matches))];
  const missing = [...permissions.filter((x) => !JUSTIFICATIONS[x]), ...hosts.filter((x) => !HOST_JUSTIFICATIONS[x])];
  if (missing.length > 0) throw new Error(`No store justification for: ${missing.join(', ')} (extension/build/listing-kit.ts)`);
  return [
    `# ${chrome.name}: store listing`,
    '',
    'Text for the Chrome Web Store developer dashboard (Store listing and Privacy practices tabs) and for addons.mozilla.org. Screenshots (1280×800) are in `screenshots/`; the privacy policy is `PRIVACY.md`.',
    '',
    '## Name',
    '',
    chrome.name,
    '',
    `## Summary (${chrome.description.length}/${SUMMARY_MAX} characters; the manifest's description)`,
    '',
    chrome.description,
    '',
    '## Description',
    '',
    'Alongside is a companion for mentoring programmes whose mentors and mentees meet over video.',
    '',
    'On the call (Google Meet, Zoom on the web, Microsoft Teams on the web, Jitsi Meet, Whereby) a small overlay shows the pair’s goals and agenda. Both partners add notes, actions, decisions and questions during the call, shared with each other or private to their author, and see the partner’s shared entries as they are written. The mentor updates goal progress; the meeting is logged when the call ends, and each partner is asked for quick feedback.',
    '',
    'Between calls the side panel shows the goals, open action items and the next check-in in both partners’ time zones, suggests times inside both partners’ working hours, and can remind you before a check-in.',
    '',
    'Alongside works with your organisation’s own Alongside server: sign in with the invitation link from your programme admin. Notes go to that server and nowhere else. Admins see the programme’s engagement (meetings, goal progress, ratings), never what a pair writes. No analytics, no tracking, no ads.',
    '',
    'Keyboard: Alt+Shift+A shows or hides the overlay; Alt+Shift+N adds an entry.',
    '',
    '## Category',
    '',
    // AMO's categories: https://mozilla.github.io/addons-server/topics/api/v4_frozen/categories.html (slug social-communication).
    'Chrome Web Store: Productivity (choose the sub-category in the dashboard). addons.mozilla.org: Social & Communication.',
    '',
    '## Single purpose (Chrome, Privacy practices tab)',
    '',
    'Alongside helps a mentor and mentee run their mentoring sessions: it shows the pair’s goals, agenda and shared notes on their video call and between calls, and keeps them on the mentoring programme’s own server.',
    '',
    '## Permission justifications',
    '',
    ...permissions.map((x) => `- \`${x}\`: ${JUSTIFICATIONS[x]}`),
    ...hosts.map((x) => `- host \`${x}\`: ${HOST_JUSTIFICATIONS[x]}`),
    `- content scripts on ${callHosts.map((x) => `\`${x}\``).join(', ')}: the video platforms’ call pages, where the overlay is shown. The script reads the page’s address and structure to know whether a call is on; the notes themselves are in an extension frame the page cannot read.`,
    '',
    '## Data use (Chrome Privacy practices; Firefox data_collection_permissions)',
    '',
    '- Collected, and sent only to the user’s own organisation’s server: personal communications (the pair’s notes, agenda, feedback and the meeting log of each call) and authentication information (the invitation code and sign-in token). Firefox: `personalCommunications`, `authenticationInfo` (extension/wxt.config.ts).',
    '- Not sold, not transferred to third parties, not used for anything but the extension’s single purpose, not used for creditworthiness or lending.',
    '- No remote code: every script is in the package.',
    '',
    '## Privacy policy URL',
    '',
    `${privacyUrlHint} (the worker serves PRIVACY.md's text there, from the same configuration).`,
    '',
    '## For Firefox reviewers',
    '',
    'The sources zip (`alongside-<version>-sources.zip`) builds the add-on: see `extension/SOURCES.md` inside it.',
    '',
  ].join('\n');
}

/**
 * The manifest as a store shows it: each `__MSG_name__` replaced by that message of the default locale
 * (https://developer.chrome.com/docs/extensions/reference/api/i18n, "__MSG_messagename__"; names are not
 * case-sensitive there). A name with no message is an error, not a listing that shows the placeholder.
 */
export function localiseManifest<T>(manifest: T, messages: Record<string, { message: string }>): T {
  const byName = new Map(Object.entries(messages).map(([name, m]) => [name.toLowerCase(), m.message]));
  const text = JSON.stringify(manifest).replace(/__MSG_([A-Za-z0-9_@]+)__/g, (_, name: string) => {
    const message = byName.get(name.toLowerCase());
    if (message === undefined) throw new Error(`The manifest names __MSG_${name}__, which the default locale's messages.json lacks`);
    return JSON.stringify(message).slice(1, -1);
  });
  return JSON.parse(text) as T;
}

function readManifest(browser: 'chrome-mv3' | 'firefox-mv3'): ManifestLike {
  const dir = join(ROOT, 'extension/.output', browser);
  const path = join(dir, 'manifest.json');
  if (!existsSync(path)) throw new Error(`${path} is missing: run \`npm run zip\` (it builds both browsers first)`);
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as ManifestLike & { default_locale?: string };
  if (!manifest.default_locale) return manifest;
  const messages = JSON.parse(readFileSync(join(dir, '_locales', manifest.default_locale, 'messages.json'), 'utf8')) as Record<string, { message: string }>;
  return localiseManifest(manifest, messages);
}

/** Writes extension/.output/store/; returns the files written, relative to it. */
export function assembleKit(env: Record<string, string | undefined> = process.env, outDir = STORE_DIR): string[] {
  const input = privacyInput(readFileSync(join(ROOT, 'wrangler.toml'), 'utf8'), env);
  const screenshots = existsSync(SCREENSHOTS_SRC) ? readdirSync(SCREENSHOTS_SRC).filter((f) => f.endsWith('.png')).sort() : [];
  if (screenshots.length === 0) throw new Error(`No screenshots in ${SCREENSHOTS_SRC}: run test/e2e/store-screenshots.test.ts`);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(join(outDir, 'screenshots'), { recursive: true });
  writeFileSync(join(outDir, 'PRIVACY.md'), renderPrivacyMarkdown(input));
  writeFileSync(join(outDir, 'listing.md'), renderListing(readManifest('chrome-mv3'), readManifest('firefox-mv3'), 'https://<your worker>/privacy'));
  for (const file of screenshots) copyFileSync(join(SCREENSHOTS_SRC, file), join(outDir, 'screenshots', file));
  return ['listing.md', 'PRIVACY.md', ...screenshots.map((f) => `screenshots/${f}`)];
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    if (process.argv[2] === 'check') privacyInput(readFileSync(join(ROOT, 'wrangler.toml'), 'utf8'), process.env);
    else console.log(`Store listing kit in ${STORE_DIR}:\n${assembleKit().map((f) => `  ${f}`).join('\n')}`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
