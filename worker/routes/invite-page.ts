import { Hono } from 'hono';
import { html } from 'hono/html';
import { markDataUrl } from '../../shared/brand/mark.ts';
import type { AppEnv } from '../env.ts';

/**
 * The page an invitation link opens. The code stays in the page (it is redeemed by the extension or the admin view,
 * never by a GET, so link previews and scanners cannot use it up). No script; its one style element carries the CSP
 * nonce of worker/lib/security-headers.ts, which sends the headers (and no-store) for /invite/*. The mark (favicon and
 * heading) is inline as data: URLs, the one image source that CSP allows (`img-src data:`): nothing else is loaded.
 */
export const invitePage = new Hono<AppEnv>().get('/invite/:code', (c) => {
  const link = new URL(c.req.url).href;
  return c.html(
    html`<!doctype html>
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="referrer" content="no-referrer" />
          <title>Your Alongside invitation</title>
          <link rel="icon" type="image/svg+xml" href="${markDataUrl({ detail: false })}" />
          <style nonce="${c.get('secureHeadersNonce') ?? ''}">
            :root { color-scheme: light dark; font-family: system-ui, sans-serif; }
            body { max-width: 36rem; margin: 3rem auto; padding: 0 1rem; line-height: 1.5; }
            code { word-break: break-all; background: color-mix(in srgb, currentColor 8%, transparent); padding: 0.1rem 0.3rem; border-radius: 4px; }
            h1 { display: flex; align-items: center; gap: 0.6rem; }
            a.button { display: inline-block; padding: 0.5rem 1rem; border-radius: 6px; background: #2857c5; color: #fff; text-decoration: none; }
          </style>
        </head>
        <body>
          <h1><img src="${markDataUrl()}" alt="" width="40" height="40" />You're invited to Alongside</h1>
          <p><strong>Mentors and mentees:</strong> open the Alongside extension's options, and paste this link into “Sign in”:</p>
          <p><code>${link}</code></p>
          <p><strong>Programme admins:</strong> <a class="button" href="/admin/#invite=${c.req.param('code')}">Sign in to the admin view</a></p>
          <p>The link works once and expires; ask your programme admin for a new one if it does not.</p>
        </body>
      </html>`,
  );
});
