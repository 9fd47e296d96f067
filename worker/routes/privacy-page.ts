import { Hono } from 'hono';
import { html, raw } from 'hono/html';
import { markDataUrl } from '../../shared/brand/mark.ts';
import { PrivacyConfigError, privacyContactFrom, renderPrivacyHtmlBody } from '../../shared/privacy/policy.ts';
import type { AppEnv } from '../env.ts';
import { ApiError } from '../lib/errors.ts';

/**
 * The deployment's privacy policy (issue 12, item 3): the URL the store listings link to. The same text as the
 * store/PRIVACY.md that `npm run zip` writes, from the same configuration (wrangler.toml [vars] PRIVACY_CONTACT_*;
 * shared/privacy/policy.ts). Until the organisation has set its contact there is no policy: 404 with the reason.
 * Served like the invitation page (worker/lib/security-headers.ts): no script, one style by nonce, data: images only;
 * every configured value is escaped by renderPrivacyHtmlBody.
 */
export const privacyPage = new Hono<AppEnv>().get('/privacy', (c) => {
  let contact;
  try {
    contact = privacyContactFrom(c.env as unknown as Record<string, string | undefined>);
  } catch (error) {
    if (error instanceof PrivacyConfigError) throw new ApiError(404, 'not_found', 'This server has no privacy policy yet: its organisation has not set its privacy contact (PRIVACY_CONTACT_* in wrangler.toml).');
    throw error;
  }
  const { title, body } = renderPrivacyHtmlBody({
    contact,
    tokenTtlDays: Number(c.env.TOKEN_TTL_DAYS),
    invitationTtlDays: Number(c.env.INVITATION_TTL_DAYS),
  });
  return c.html(
    html`<!doctype html>
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="referrer" content="no-referrer" />
          <title>${title}</title>
          <link rel="icon" type="image/svg+xml" href="${markDataUrl({ detail: false })}" />
          <style nonce="${c.get('secureHeadersNonce') ?? ''}">
            :root { color-scheme: light dark; font-family: system-ui, sans-serif; }
            body { max-width: 44rem; margin: 3rem auto; padding: 0 1rem; line-height: 1.55; }
            li { margin: 0.3rem 0; }
          </style>
        </head>
        <body>
          ${raw(body)}
        </body>
      </html>`,
  );
});
