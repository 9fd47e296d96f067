import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { BOOKMARK_HEADER } from '../shared/schemas/index.ts';
import type { AppEnv } from './env.ts';
import { ApiError, errorResponse, notFoundResponse } from './lib/errors.ts';
import { d1Session, idempotency, requireAdmin, requireAuth } from './lib/middleware.ts';
import { securityHeaders } from './lib/security-headers.ts';
import { adminAuditRoutes } from './routes/admin-audit.ts';
import { adminInsightRoutes } from './routes/admin-insights.ts';
import { adminRoutes } from './routes/admin.ts';
import { agendaRoutes } from './routes/agenda.ts';
import { authRoutes } from './routes/auth.ts';
import { checkinRoutes } from './routes/checkins.ts';
import { entryRoutes } from './routes/entries.ts';
import { feedbackRoutes } from './routes/feedback.ts';
import { goalRoutes } from './routes/goals.ts';
import { goalSealRoutes } from './routes/goal-seal.ts';
import { invitePage } from './routes/invite-page.ts';
import { privacyPage } from './routes/privacy-page.ts';
import { meKeyRoutes, pairKeyRoutes } from './routes/keys.ts';
import { liveRoutes } from './routes/live.ts';
import { meDataRoutes } from './routes/me-data.ts';
import { meWorkingHoursRoutes } from './routes/me-working-hours.ts';
import { meRoutes } from './routes/me.ts';
import { meetingRoutes } from './routes/meetings.ts';
import { pairRoutes } from './routes/pairs.ts';
import { tryCallPage } from './routes/try-call.ts';

/** Largest request body the API accepts; an entry body is at most 10,000 characters. */
export const MAX_BODY_BYTES = 64 * 1024;

/** Everything under /admin: signed in as an admin, checked once for both sub-apps. */
const adminApi = new Hono<AppEnv>()
  .use(requireAuth, requireAdmin, idempotency)
  .route('/', adminRoutes)
  .route('/', adminInsightRoutes)
  .route('/', adminAuditRoutes);

const api = new Hono<AppEnv>()
  .get('/health', (c) => c.json({ ok: true as const }, 200))
  .route('/auth', authRoutes)
  // Before pairRoutes: the WebSocket upgrade authenticates with its ticket, not a bearer token (routes/live.ts).
  .route('/pairs', liveRoutes)
  .route('/pairs', pairRoutes)
  // Check-ins (issue 9): under /pairs/:id, behind pairRoutes' middleware (see worker/routes/checkins.ts).
  .route('/pairs', checkinRoutes)
  // End-to-end encryption keys (issue 10): under /pairs/:id, behind pairRoutes' middleware (see worker/routes/keys.ts).
  .route('/pairs', pairKeyRoutes)
  .route('/goals', goalRoutes)
  // Sealing a goal in place (issue 10): under /goals/:id, behind goalRoutes' middleware (see worker/routes/goal-seal.ts).
  .route('/goals', goalSealRoutes)
  .route('/entries', entryRoutes)
  .route('/agenda', agendaRoutes)
  .route('/meetings', meetingRoutes)
  .route('/feedback', feedbackRoutes)
  // The signed-in person's own account: sessions here; export and erasure (worker/routes/me-data.ts) mount at /me too.
  // Before the other /me sub-apps: me-data.ts's sub-app-wide requireAuth would run again for these (worker/routes/keys.ts).
  .route('/me', meKeyRoutes)
  .route('/me', meRoutes)
  .route('/me', meDataRoutes)
  .route('/me', meWorkingHoursRoutes)
  .route('/admin', adminApi);

/** The whole worker: the API under /api/v1 and the pages served next to it. Used by the entry point and tests. */
export function createApp() {
  const app = new Hono<AppEnv>();
  // First, so every answer (errors, 404s and CORS preflights included) carries the security headers.
  app.use(securityHeaders);
  // Bearer tokens, not cookies, authenticate: any origin (the extension, the admin page) may call the API.
  app.use(
    '/api/*',
    cors({
      origin: '*',
      allowHeaders: ['authorization', 'content-type', 'idempotency-key', BOOKMARK_HEADER],
      allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      exposeHeaders: [BOOKMARK_HEADER],
      maxAge: 86_400,
    }),
  );
  app.use(
    '/api/*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new ApiError(413, 'payload_too_large', `Request body is larger than ${MAX_BODY_BYTES / 1024} KB`);
      },
    }),
  );
  app.use('/api/*', d1Session);
  app.get('/', (c) => c.redirect('/admin/'));
  app.route('/', invitePage);
  // The welcome page's test call (issue 12): a page that looks like a call, where the extension shows its overlay once.
  app.route('/', tryCallPage);
  app.route('/', privacyPage);
  app.onError(errorResponse);
  app.notFound(notFoundResponse);
  return app.route('/api/v1', api);
}

export type AppType = ReturnType<typeof createApp>;
