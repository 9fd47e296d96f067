import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

// One run, several projects: pure shared code in node, the worker inside workerd with a real local D1 (migrations
// applied in test/worker/setup.ts), and extension code against a fake browser in happy-dom.
export default defineConfig(async () => {
  const migrations = await readD1Migrations('worker/migrations');
  return {
    test: {
      projects: [
        { test: { name: 'shared', include: ['test/shared/**/*.test.ts'], environment: 'node' } },
        {
          plugins: [
            cloudflareTest({
              wrangler: { configPath: './wrangler.toml' },
              // A privacy contact, as a deploying organisation sets in wrangler.toml (empty there): /privacy answers.
              miniflare: {
                bindings: {
                  TEST_MIGRATIONS: migrations,
                  PRIVACY_CONTACT_ORGANISATION: 'Test Mentoring Org',
                  PRIVACY_CONTACT_EMAIL: 'privacy@org.test',
                  PRIVACY_CONTACT_ADDRESS: 'https://org.test/contact',
                },
              },
            }),
          ],
          test: { name: 'worker', include: ['test/worker/**/*.test.ts'], setupFiles: ['test/worker/setup.ts'] },
        },
        {
          // WxtVitest swaps `browser` for @webext-core/fake-browser, an in-memory browser.* implementation.
          plugins: await WxtVitest({ root: 'extension' }),
          test: {
            name: 'extension',
            include: ['test/extension/**/*.test.{ts,tsx}'],
            environment: 'happy-dom',
            setupFiles: ['test/extension/setup.ts'],
          },
        },
        {
          // Real Chromium with the built extension and admin view against a real `wrangler dev` (npm test builds first).
          test: {
            name: 'e2e',
            include: ['test/e2e/**/*.test.ts'],
            environment: 'node',
            globalSetup: ['test/e2e/global-setup.ts'],
            testTimeout: 180_000,
            hookTimeout: 180_000,
            fileParallelism: false,
          },
        },
      ],
    },
  };
});
