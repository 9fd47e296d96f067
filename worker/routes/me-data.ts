import { Hono } from 'hono';
import { DeleteAccountRequest, ExportQuery } from '../../shared/schemas/index.ts';
import { erasePerson } from '../db/erasure.ts';
import { exportMember, exportPair, markdownFileName, pairMarkdown } from '../db/export.ts';
import { listPairsOfMember } from '../db/pairs.ts';
import { getUser } from '../db/users.ts';
import type { AppEnv } from '../env.ts';
import { forbidden, notFound } from '../lib/errors.ts';
import { requireAuth } from '../lib/middleware.ts';
import { nowIso } from '../lib/time.ts';
import { validate } from '../lib/validate.ts';

/**
 * The caller's own data (issue 8, data rights). Mounted in app.ts under /me, next to the sessions routes.
 * - `GET /me/export`: everything the caller can see, as JSON (shared/schemas/me-data.ts, MeExport), as a download.
 * - `GET /me/export?format=markdown&pairId=…`: one pair's notes as a Markdown file (goals, agenda, actions, notes by
 *   meeting), text/markdown as an attachment.
 * - `DELETE /me` with `{ "confirm": "delete my account" }`: erases the caller (worker/db/erasure.ts).
 */
export const meDataRoutes = new Hono<AppEnv>()
  .use(requireAuth)
  .get('/export', validate('query', ExportQuery), async (c) => {
    const db = c.var.db;
    const auth = c.var.auth;
    const query = c.req.valid('query');
    // Personal data must not sit in shared or browser caches (the API's no-store, stated here too for downloads).
    c.header('cache-control', 'no-store');
    if (query.format === 'markdown') {
      const summary = (await listPairsOfMember(db, auth.id)).find((p) => p.id === query.pairId);
      if (!summary) throw notFound('Pair');
      const me = await getUser(db, auth.id);
      if (!me) throw notFound('User');
      const markdown = pairMarkdown(await exportPair(db, summary, auth.id), me, nowIso());
      c.header('content-disposition', `attachment; filename="${markdownFileName(summary)}"`);
      return c.body(markdown, 200, { 'content-type': 'text/markdown; charset=utf-8' });
    }
    const data = await exportMember(db, auth);
    if (!data) throw notFound('User');
    c.header('content-disposition', `attachment; filename="alongside-export-${data.exportedAt.slice(0, 10)}.json"`);
    return c.json(data, 200);
  })
  .delete('/', validate('json', DeleteAccountRequest), async (c) => {
    const db = c.var.db;
    const auth = c.var.auth;
    // An admin is erased by another admin (DELETE /admin/users/:id), so a programme is never left without one by a slip.
    if (auth.role === 'admin') throw forbidden('Admins are erased by another admin of the programme');
    const me = await getUser(db, auth.id);
    if (!me) throw notFound('User');
    const outcome = await erasePerson(db, me, 'self');
    return c.json({ erased: true as const, ...outcome }, 200);
  });
