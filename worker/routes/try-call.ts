import { Hono } from 'hono';
import { html } from 'hono/html';
import { markDataUrl } from '../../shared/brand/mark.ts';
import type { AppEnv } from '../env.ts';

/**
 * The test call of the extension's welcome page (issue 12, item 4): a page that looks like a video call, on the
 * organisation's own server, where the welcome page attaches the companion so a new user sees the overlay once.
 * Nobody else is in it and nothing is recorded: the extension logs no meeting on this path (extension/lib/background/
 * welcome.ts). Public, like the invitation page, and like it served with the page policy of
 * worker/lib/security-headers.ts: no script at all, one inline style carrying the CSP nonce, images only as data: URLs.
 */
export const TRY_CALL_PATH = '/try-call';

export const tryCallPage = new Hono<AppEnv>().get(TRY_CALL_PATH, (c) =>
  c.html(
    html`<!doctype html>
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="referrer" content="no-referrer" />
          <title>Alongside test call</title>
          <link rel="icon" type="image/svg+xml" href="${markDataUrl({ detail: false })}" />
          <style nonce="${c.get('secureHeadersNonce') ?? ''}">
            :root { color-scheme: dark; font-family: system-ui, sans-serif; }
            body { margin: 0; min-height: 100vh; display: grid; grid-template-rows: auto 1fr auto; background: #202124; color: #e8eaed; }
            header { display: flex; align-items: center; gap: 0.6rem; padding: 0.8rem 1.2rem; }
            header h1 { font-size: 1.05rem; font-weight: 600; margin: 0; }
            .stage { display: grid; grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr)); gap: 1rem; padding: 1rem 1.2rem; }
            .tile { position: relative; border-radius: 12px; background: #3c4043; display: grid; place-items: center; min-height: 14rem; }
            .avatar { width: 5rem; height: 5rem; border-radius: 50%; display: grid; place-items: center; font-size: 2rem; background: #5f6368; }
            .name { position: absolute; left: 0.8rem; bottom: 0.6rem; font-size: 0.9rem; }
            .note { max-width: 40rem; margin: 0 auto; padding: 0 1.2rem; text-align: center; line-height: 1.5; }
            .controls { display: flex; justify-content: center; gap: 0.8rem; padding: 1rem; }
            .controls span { padding: 0.6rem 1rem; border-radius: 999px; background: #3c4043; }
            .controls .leave { background: #c5221f; }
          </style>
        </head>
        <body>
          <header><img src="${markDataUrl()}" alt="" width="28" height="28" /><h1>Alongside test call</h1></header>
          <main>
            <div class="stage" aria-label="Participants">
              <div class="tile"><div class="avatar" aria-hidden="true">Y</div><span class="name">You</span></div>
              <div class="tile"><div class="avatar" aria-hidden="true">P</div><span class="name">Your partner (not really here)</span></div>
            </div>
            <p class="note">
              This page only looks like a call, so you can see how Alongside shows up on one. Nobody else is here, no
              camera or microphone is used, and no meeting is logged. Your real calls happen in Google Meet, Zoom, Teams,
              Jitsi or Whereby.
            </p>
          </main>
          <div class="controls" aria-hidden="true"><span>Mic off</span><span>Camera off</span><span class="leave">Leave</span></div>
        </body>
      </html>`,
    200,
  ),
);
