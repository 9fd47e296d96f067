import preact from '@preact/preset-vite';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { markDataUrl } from '../../shared/brand/mark.ts';

const here = fileURLToPath(new URL('.', import.meta.url));

/**
 * The tab icon: the Alongside mark inlined as a data: URL (ADMIN_CSP allows `img-src data:`), in place of the empty
 * `data:,` placeholder in index.html, so the icon has one source (shared/brand/mark.ts) and costs no request.
 */
function favicon(): Plugin {
  return {
    name: 'alongside:favicon',
    transformIndexHtml(html) {
      const placeholder = '<link rel="icon" href="data:," />';
      if (!html.includes(placeholder)) throw new Error(`worker/admin/index.html no longer has ${placeholder} for the favicon`);
      return html.replace(placeholder, `<link rel="icon" type="image/svg+xml" href="${markDataUrl({ detail: false })}" />`);
    },
  };
}

/**
 * The admin view: a static Preact app served by the worker's static assets at /admin/ (see [assets] in wrangler.toml:
 * `base_path = "/admin"` maps /admin/… to this dist folder, and unknown /admin/… paths fall back to index.html).
 */
export default defineConfig({
  root: here,
  base: '/admin/',
  plugins: [preact(), favicon()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Chart.js is the largest piece; a single chunk keeps the first paint to two requests.
    chunkSizeWarningLimit: 600,
  },
});
