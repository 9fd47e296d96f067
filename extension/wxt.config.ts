import preact from '@preact/preset-vite';
import { defineConfig } from 'wxt';
import packageJson from '../package.json' with { type: 'json' };
import { join } from 'node:path';
import { ICON_SIZES, iconPath } from '../shared/brand/mark.ts';
import { writeIcons } from './build/icons.ts';
import { preactWithoutInnerHtml } from './build/preact-without-inner-html.ts';

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
  zip: { artifactTemplate: 'alongside-{{version}}-{{browser}}.zip', sourcesTemplate: 'alongside-{{version}}-sources.zip' },
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
    name: 'Alongside',
    version: packageJson.version,
    description: 'Your mentorship goals, agenda and shared notes, right on the video call.',
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
    action: { default_title: 'Alongside', default_icon: { 16: iconPath('normal', 16), 32: iconPath('normal', 32) }, ...(browser === 'firefox' ? { default_popup: 'sidepanel.html' } : {}) },
    commands: {
      'toggle-overlay': { suggested_key: { default: 'Alt+Shift+A' }, description: 'Show or hide the Alongside overlay on the call' },
      'focus-add-entry': { suggested_key: { default: 'Alt+Shift+N' }, description: 'Add an entry in the Alongside overlay' },
    },
    // The overlay is an extension page in an iframe on the call page: the page cannot read what is inside it. It must
    // be embeddable wherever the companion can run: the platforms, self-hosted Jitsi origins the user added, and
    // any page the user attached it to by hand. Embedded elsewhere it shows nothing: the background answers a tab
    // with no call the user opened it on with no call (see callInfo).
    web_accessible_resources: [{ resources: ['overlay.html'], matches: ['https://*/*', 'http://*/*'] }],
    ...(browser === 'firefox' ? { browser_specific_settings: { gecko: firefoxGecko, gecko_android: { strict_min_version: '142.0' } } } : {}),
  }),
});
