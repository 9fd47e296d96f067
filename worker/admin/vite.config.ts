import preact from '@preact/preset-vite';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

/**
 * The admin view: a static Preact app served by the worker's static assets at /admin/ (see [assets] in wrangler.toml:
 * `base_path = "/admin"` maps /admin/… to this dist folder, and unknown /admin/… paths fall back to index.html).
 */
export default defineConfig({
  root: here,
  base: '/admin/',
  plugins: [preact()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Chart.js is the largest piece; a single chunk keeps the first paint to two requests.
    chunkSizeWarningLimit: 600,
  },
});
