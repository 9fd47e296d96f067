import preact from '@preact/preset-vite';
import { defineConfig } from 'wxt';
import packageJson from '../package.json' with { type: 'json' };

// Built for Chrome (MV3) and Firefox: `npm run build` produces both under extension/.output/.
export default defineConfig({
  manifestVersion: 3,
  zip: { artifactTemplate: 'alongside-{{version}}-{{browser}}.zip', sourcesTemplate: 'alongside-{{version}}-sources.zip' },
  // @preact/preset-vite is typed against the top-level Vite; WXT bundles its own copy with the same plugin API.
  vite: () => ({ plugins: [preact() as never] }),
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
    // Chrome opens the side panel from the toolbar button; where there is none (Firefox), the same page is its popup.
    action: { default_title: 'Alongside', ...(browser === 'firefox' ? { default_popup: 'sidepanel.html' } : {}) },
    commands: {
      'toggle-overlay': { suggested_key: { default: 'Alt+Shift+A' }, description: 'Show or hide the Alongside overlay on the call' },
      'focus-add-entry': { suggested_key: { default: 'Alt+Shift+N' }, description: 'Add an entry in the Alongside overlay' },
    },
    // The overlay is an extension page in an iframe on the call page: the page cannot read what is inside it. It must
    // be embeddable wherever the companion can run: the platforms, self-hosted Jitsi origins the user added, and
    // any page the user attached it to by hand. Embedded elsewhere it shows nothing: the background answers a tab
    // with no call the user opened it on with no call (see callInfo).
    web_accessible_resources: [{ resources: ['overlay.html'], matches: ['https://*/*', 'http://*/*'] }],
    ...(browser === 'firefox' ? { browser_specific_settings: { gecko: { id: 'alongside@alongside.app', strict_min_version: '128.0' } } } : {}),
  }),
});
