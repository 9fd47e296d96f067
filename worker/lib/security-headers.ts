/**
 * Security headers (issue 8, defect 6), from Hono's secure-headers middleware
 * (https://hono.dev/docs/middleware/builtin/secure-headers): its defaults add X-Content-Type-Options: nosniff,
 * Referrer-Policy: no-referrer, Strict-Transport-Security, Cross-Origin-Opener/Resource-Policy: same-origin and
 * more; here X-Frame-Options becomes DENY and each kind of answer gets its own Content-Security-Policy.
 *
 * The admin view is static assets, which never reach the worker (wrangler.toml runs the worker first only for /api/*,
 * /invite/*, /try-call and /privacy): its headers are in worker/admin/public/_headers, which must stay in step with ADMIN_CSP below
 * (test/worker/trust-headers.test.ts checks both the same way).
 */
import { createMiddleware } from 'hono/factory';
import { NONCE, secureHeaders } from 'hono/secure-headers';
import type { AppEnv } from '../env.ts';

/**
 * The admin view's policy, as written in worker/admin/public/_headers. Scripts and styles from its own files only:
 * the Vite build emits no inline script or style element, and Preact and Chart.js set styles through the element's
 * `style` object (CSSOM), which CSP does not restrict (only `style` attributes in markup or via setAttribute), so no
 * 'unsafe-inline' is needed. `img-src data:` is for the favicon, the Alongside mark inlined by worker/admin/vite.config.ts.
 */
export const ADMIN_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/**
 * API answers are JSON for programs, never pages: nothing may load from them or frame them. (Also what the worker's
 * few other answers get: the `/` redirect and unknown paths.)
 */
const apiSecureHeaders = secureHeaders({
  xFrameOptions: 'DENY',
  contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"] },
});

/**
 * Server-rendered pages (the invitation page, the welcome page's test call /try-call, and the privacy policy): no script at all, the page's one inline style allowed by a per-request
 * nonce (`c.get('secureHeadersNonce')`, set by Hono's NONCE), images only as data: URLs (the Alongside mark; an SVG
 * shown as an image runs no script), nothing from elsewhere, never framed.
 */
const pageSecureHeaders = secureHeaders({
  xFrameOptions: 'DENY',
  contentSecurityPolicy: {
    defaultSrc: ["'none'"],
    scriptSrc: ["'none'"],
    styleSrc: [NONCE],
    imgSrc: ['data:'],
    objectSrc: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'none'"],
    frameAncestors: ["'none'"],
  },
});

/**
 * Every answer of the worker. `Cache-Control: no-store` on all of them: API answers carry private notes and tokens,
 * and the invitation page shows a live code, so no browser or proxy cache may keep a copy.
 */
export const securityHeaders = createMiddleware<AppEnv>(async (c, next) => {
  const page = c.req.path.startsWith('/invite/') || c.req.path === '/try-call' || c.req.path === '/privacy'; // worker/routes/try-call.ts, privacy-page.ts
  await (page ? pageSecureHeaders : apiSecureHeaders)(c, next);
  c.res.headers.set('Cache-Control', 'no-store');
});
