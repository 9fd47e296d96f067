/**
 * The audit log for admins: who did what and when, filterable, paged and exportable as CSV (issue 8). Read-only by
 * construction: this sub-app has GET routes only, and migration 0006 makes the database refuse changes to
 * audit rows (test/worker/audit.test.ts checks both). Mounted in app.ts under /admin, behind requireAuth +
 * requireAdmin.
 */
import { type Context, Hono } from 'hono';
import Papa from 'papaparse';
import type { z } from 'zod';
import type { AuditEntry } from '../../shared/schemas/index.ts';
import { AuditQuery } from '../../shared/schemas/index.ts';
import { type AuditFilter, auditStatement, listAudit } from '../db/audit.ts';
import type { AppEnv } from '../env.ts';
import { ApiError } from '../lib/errors.ts';
import { addDaysIso, todayIso } from '../lib/time.ts';
import { validate } from '../lib/validate.ts';

/** Rows in one CSV download; the page size of the JSON listing is at most 200. */
const CSV_MAX_ROWS = 10_000;

const encodeCursor = (e: { createdAt: string; id: string }) => btoa(`${e.createdAt}|${e.id}`).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');

function decodeCursor(cursor: string): { createdAt: string; id: string } {
  try {
    const [createdAt, id, ...rest] = atob(cursor.replaceAll('-', '+').replaceAll('_', '/')).split('|');
    if (createdAt && id && !rest.length && !Number.isNaN(Date.parse(createdAt))) return { createdAt, id };
  } catch {
    /* not base64: answered below */
  }
  const message = 'This cursor is not one the server gave out';
  throw new ApiError(400, 'invalid_input', message, { issues: [{ path: ['cursor'], message }] });
}

/** A date means the whole UTC day: from its start, up to the start of the next day. */
function filterOf(orgId: string, q: z.output<typeof AuditQuery>, limit: number): AuditFilter {
  const isDate = (v: string) => v.length === 10;
  return {
    orgId,
    action: q.action,
    actorId: q.actorId,
    subjectId: q.subjectId,
    from: q.from === undefined ? undefined : isDate(q.from) ? `${q.from}T00:00:00.000Z` : q.from,
    before: q.to !== undefined && isDate(q.to) ? addDaysIso(`${q.to}T00:00:00.000Z`, 1) : undefined,
    until: q.to !== undefined && !isDate(q.to) ? q.to : undefined,
    after: q.cursor ? decodeCursor(q.cursor) : undefined,
    limit,
  };
}

const CSV_FIELDS = ['time', 'action', 'actor_id', 'actor_name', 'subject_type', 'subject_id', 'subject_name', 'detail'];

/** Cells a spreadsheet would run as a formula are escaped: names and reasons come from people (CSV injection, OWASP). */
function auditCsv(entries: AuditEntry[]): string {
  const data = entries.map((e) => [e.createdAt, e.action, e.actor.id, e.actor.name ?? '', e.subject.type, e.subject.id, e.subject.name ?? '', JSON.stringify(e.detail)]);
  return `${Papa.unparse({ fields: CSV_FIELDS, data }, { escapeFormulae: true, newline: '\r\n' })}\r\n`;
}

export const adminAuditRoutes = new Hono<AppEnv>()
  .get('/audit', validate('query', AuditQuery), async (c) => {
    const q = c.req.valid('query');
    if (q.format === 'csv') return csvExport(c, q);
    // One row more than asked tells whether there is a next page.
    const rows = await listAudit(c.var.db, filterOf(c.var.auth.orgId, q, q.limit + 1));
    const entries = rows.slice(0, q.limit);
    const last = entries.at(-1);
    return c.json({ entries, nextCursor: rows.length > q.limit && last ? encodeCursor(last) : null }, 200);
  })
  .get('/audit.csv', validate('query', AuditQuery), async (c) => csvExport(c, c.req.valid('query')));

/** The filtered log as CSV (ignoring paging), newest first; the export itself is audited. */
async function csvExport(c: Context<AppEnv>, q: z.output<typeof AuditQuery>) {
  const auth = c.var.auth;
  const entries = await listAudit(c.var.db, { ...filterOf(auth.orgId, q, CSV_MAX_ROWS), after: undefined });
  await auditStatement(c.var.db, {
    orgId: auth.orgId,
    actorId: auth.id,
    action: 'export.audit',
    targetType: 'organisation',
    targetId: auth.orgId,
    detail: { rows: entries.length, filter: { action: q.action, actorId: q.actorId, subjectId: q.subjectId, from: q.from, to: q.to } },
  }).run();
  return c.body(auditCsv(entries), 200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="alongside-audit-${todayIso()}.csv"`,
    'cache-control': 'no-store',
  });
}
