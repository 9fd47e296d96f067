import preact from '@preact/preset-vite';
import { defineConfig } from 'wxt';
import packageJson from '../package.json' with { type: 'json' };
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ICON_SIZES, iconPath } from '../shared/brand/mark.ts';
import { writeIcons } from './build/icons.ts';
import { preactWithoutInnerHtml } from './build/preact-without-inner-html.ts';

// The repository: the root of the Firefox sources zip.
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Firefox's built-in data consent (https://extensionworkshop.com/documentation/develop/firefox-builtin-data-consent/):
 * `browser_specific_settings.gecko.data_collection_permissions = { required: [...], optional: [...] }`, categories
 * from that page's taxonomy (addons-linter 10 checks them against CommonDataCollectionPermission and reports
 * MISSING_DATA_COLLECTION_PERMISSIONS without the key). What Alongside transmits, and only to the server of the
 * user's own organisation that they sign in to (nothing to us, no telemetry, no analytics, no crash reports):
 * - personalCommunications ("data from phone calls and conference calls"): the pair's notes, actions, decisions,
 *   questions, agenda and feedback comments, and the meeting log of each call (platform, meeting code, start and end
 *   times). Required: that is what the extension is for.
 * - authenticationInfo ("registration information for extensions that offer account-based services"): the
 *   invitation code redeemed at sign-in and the bearer token sent with every request.
 * No `technicalAndInteraction` (optional-only category): nothing about the device or usage is sent.
 * data_collection_permissions is read by Firefox 140+ (desktop) and 142+ (Android), per the same page; older versions
 * would ignore it, so the minimum versions follow (addons-linter warns about keys the minimum version lacks:
 * KEY_FIREFOX_UNSUPPORTED_BY_MIN_VERSION, and KEY_FIREFOX_ANDROID_UNSUPPORTED_BY_MIN_VERSION, which reads
 * `gecko_android.strict_min_version`).
 */
const firefoxGecko = {
  id: 'alongside@alongside.app',
  strict_min_version: '140.0',
  data_collection_permissions: { required: ['personalCommunications', 'authenticationInfo'] },
};

// Built for Chrome (MV3) and Firefox: `npm run build` produces both under extension/.output/.
export default defineConfig({
  manifestVersion: 3,
  // `npm run zip`: both packages, and for Firefox the sources zip that AMO reviewers build the add-on from. WXT zips
  // sources for Firefox only (zipSources defaults to browser firefox or opera), from `zip.sourcesRoot` (default: the
  // WXT root, here extension/ alone, which cannot build: the extension imports ../shared, ../worker/client.ts and the
  // lockfile is at the top). So the root is the repository and the zip is an allow-list: `excludeSources` drops
  // everything, and `includeSources` "overrides excludeSources" (wxt 0.21 dist/types.d.mts, InlineConfig.zip; the
  // CLI: https://wxt.dev/api/cli/wxt-zip). Dotfiles are left out by WXT's default `**/.*` and its glob
  // (wxt-dev/wxt#604), but an explicit `.types/**` include is matched: the declarations worker/client.ts imports
  // (emitted by `tsc -p worker/tsconfig.types.json`, which `npm run zip` runs first). extension/SOURCES.md tells the
  // reviewer how to build; built from the unzipped sources, `npm run build-for-amo` gave a firefox-mv3 byte for byte
  // the same as the packaged one (2026-12-01, with the same node_modules).
  zip: {
    artifactTemplate: 'alongside-{{version}}-{{browser}}.zip',
    sourcesTemplate: 'alongside-{{version}}-sources.zip',
    sourcesRoot: repoRoot,
    excludeSources: ['**'],
    includeSources: [
      'package.json',
      'package-lock.json',
      // Not for type checking (it covers the worker, which is not here): esbuild reads the compiler options of the
      // nearest tsconfig.json for shared/ (ES2024 target, so native class fields); without it the bundle differs.
      'tsconfig.json',
      'extension/*.ts',
      'extension/tsconfig.json',
      'extension/SOURCES.md',
      'extension/{build,entrypoints,lib,platforms,ui}/**',
      'shared/**',
      'worker/client.ts',
      '.types/**',
    ],
  },
  // The icons are rasterised from shared/brand/mark.ts on every build into WXT's own work folder and copied into the
  // output like public files (WXT's build:publicAssets hook: push { absoluteSrc, relativeDest }; types.d.mts
  // ResolvedPublicFile in wxt 0.21).
  hooks: {
    'build:publicAssets': (wxt, files) => {
      const dir = join(wxt.config.wxtDir, 'icons');
      for (const relativeDest of writeIcons(dir)) files.push({ absoluteSrc: join(dir, relativeDest), relativeDest });
    },
  },
  // @preact/preset-vite is typed against the top-level Vite; WXT bundles its own copy with the same plugin API.
  vite: () => ({ plugins: [preact() as never, preactWithoutInnerHtml() as never] }),
  manifest: ({ browser }) => ({
    // Names and descriptions come from _locales/<locale>/messages.json (__MSG_name__ in the manifest:
    // https://developer.chrome.com/docs/extensions/reference/api/i18n; WXT reads the default locale's file from
    // public/_locales: https://wxt.dev/guide/essentials/i18n).
    default_locale: 'en',
    name: '__MSG_extName__',
    version: packageJson.version,
    description: '__MSG_extDescription__',
    // activeTab: the toolbar button and the keyboard commands may put the companion on the tab they were used on
    // (a page no adapter knows), without any broad host permission.
    // alarms: the outbox retry and the check-in reminders wake the service worker with alarms (no long-lived timers).
    permissions: ['storage', 'alarms', 'scripting', 'activeTab', ...(browser === 'firefox' ? [] : ['sidePanel'])],
    // Check-in reminders (issue 9) are off until the user turns them on in the options, whose click handler asks for
    // this with permissions.request (only allowed in a user action: MDN permissions.request; listed here as MDN and
    // developer.chrome.com/docs/extensions/reference/api/permissions require of anything requested at runtime).
    optional_permissions: ['notifications'],
    // Self-hosted Jitsi origins and a self-hosted Alongside server are granted at runtime, when the user adds them.
    optional_host_permissions: ['https://*/*', 'http://*/*'],
    host_permissions: ['http://127.0.0.1/*', 'http://localhost/*'],
    // Chrome: 16 toolbar/favicon, 32 Windows, 48 extensions page, 128 install and store
    // (https://developer.chrome.com/docs/extensions/develop/ui/configure-icons). The toolbar icon changes with the
    // state (extension/lib/background/toolbar.ts).
    icons: Object.fromEntries(ICON_SIZES.map((size) => [size, iconPath('normal', size)])),
    // Chrome opens the side panel from the toolbar button; where there is none (Firefox), the same page is its popup.
    action: { default_title: '__MSG_extName__', default_icon: { 16: iconPath('normal', 16), 32: iconPath('normal', 32) }, ...(browser === 'firefox' ? { default_popup: 'sidepanel.html' } : {}) },
    commands: {
      'toggle-overlay': { suggested_key: { default: 'Alt+Shift+A' }, description: '__MSG_commandToggleOverlay__' },
      'focus-add-entry': { suggested_key: { default: 'Alt+Shift+N' }, description: '__MSG_commandFocusAddEntry__' },
    },
    // The overlay is an extension page in an iframe on the call page: the page cannot read what is inside it. It must
    // be embeddable wherever the companion can run: the platforms, self-hosted Jitsi origins the user added, and
    // any page the user attached it to by hand. Embedded elsewhere it shows nothing: the background answers a tab
    // with no call the user opened it on with no call (see callInfo).
    web_accessible_resources: [{ resources: ['overlay.html'], matches: ['https://*/*', 'http://*/*'] }],
    ...(browser === 'firefox' ? { browser_specific_settings: { gecko: firefoxGecko, gecko_android: { strict_min_version: '142.0' } } } : {}),
  }),
});
