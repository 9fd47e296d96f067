import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

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
              miniflare: { bindings: { TEST_MIGRATIONS: migrations } },
            }),
          ],
          test: { name: 'worker', include: ['test/worker/**/*.test.ts'], setupFiles: ['test/worker/setup.ts'] },
        },
        {
          test: {
            name: 'extension',
            include: ['test/extension/**/*.test.ts'],
            environment: 'happy-dom',
            setupFiles: ['test/extension/setup.ts'],
          },
        },
      ],
    },
  };
});
