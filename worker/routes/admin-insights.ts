/**
 * Admin insights: the engagement dashboard, match suggestions, CSV exports and the people CSV import. Mounted at
 * /admin next to worker/routes/admin.ts; admins only, and only their own organisation's data. Nothing here reads
 * an entry body or a feedback comment.
 */
import { Hono } from 'hono';
import Papa from 'papaparse';
import { z } from 'zod';
import { rankMatches, scoreMentor } from '../../shared/domain/matching.ts';
import { todayUtc } from '../../shared/domain/timezones.ts';
import { parseUserCsv } from '../../shared/domain/user-import.ts';
import type { MatchSuggestion, UserImportError } from '../../shared/schemas/index.ts';
import { DashboardQuery, MatchesQuery } from '../../shared/schemas/index.ts';
import { auditStatement } from '../db/audit.ts';
import { dashboardWindow, getDashboard, listEngagementExport, listPairsExport } from '../db/dashboard.ts';
import { getActiveMentee, listMentorCandidates } from '../db/matching.ts';
import { findTakenEmails, insertUsersStatements, readUsersStatement, usersFromResult } from '../db/user-import.ts';
import type { AppEnv } from '../env.ts';
import { ApiError, notFound } from '../lib/errors.ts';
import { newId } from '../lib/ids.ts';
import { validate } from '../lib/validate.ts';

const CsvContentType = z.object({
  'content-type': z.string().regex(/^text\/csv\s*(;|$)/i, { message: 'Send the file as text/csv' }),
});

/**
 * A CSV download. Cells that a spreadsheet would run as a formula (=, +, -, @ …) are escaped: names come from
 * users (CSV injection, OWASP).
 */
function csvResponse(rows: Record<string, unknown>[], fields: string[], filename: string) {
  const body = Papa.unparse({ fields, data: rows.map((r) => fields.map((f) => r[f] ?? '')) }, { escapeFormulae: true, newline: '\r\n' });
  return {
    body: `${body}\r\n`,
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${filename}"`,
      'cache-control': 'no-store',
    },
  };
}

const ENGAGEMENT_FIELDS = [
  'pair_id',
  'mentor_name',
  'mentee_name',
  'status',
  'cadence',
  'started_on',
  'ended_on',
  'meetings',
  'last_meeting_at',
  'expected_periods',
  'met_periods',
  'adherence',
  'ratings',
  'average_rating',
  'active_goals',
  'completed_goals',
  'average_progress',
];

const PAIR_FIELDS = [
  'pair_id',
  'status',
  'cadence',
  'started_on',
  'ended_on',
  'mentor_name',
  'mentor_email',
  'mentor_time_zone',
  'mentee_name',
  'mentee_email',
  'mentee_time_zone',
  'meetings',
  'last_meeting_at',
  'goals',
];

/** Mounted in app.ts under /admin, behind requireAuth + requireAdmin + idempotency. */
export const adminInsightRoutes = new Hono<AppEnv>()
  // ---- engagement dashboard ---------------------------------------------------------------------
  .get('/dashboard', validate('query', DashboardQuery), async (c) => {
    const window = dashboardWindow(c.var.auth.orgId, c.req.valid('query'));
    return c.json(await getDashboard(c.var.db, window), 200);
  })
  // ---- match suggestions ------------------------------------------------------------------------
  .get('/matches', validate('query', MatchesQuery), async (c) => {
    const db = c.var.db;
    const orgId = c.var.auth.orgId;
    const mentee = await getActiveMentee(db, orgId, c.req.valid('query').menteeId);
    if (!mentee) throw notFound('Mentee');
    const today = todayUtc();
    const candidates = await listMentorCandidates(db, orgId, mentee.id);
    const scored = candidates.map(({ user, activePairs }) => {
      const s = scoreMentor(mentee, { ...user, activePairs }, today);
      const suggestion: MatchSuggestion = {
        mentor: { id: user.id, name: user.name, timeZone: user.timeZone },
        score: s.score,
        reasons: s.reasons,
        overlapMinutes: s.overlapMinutes,
        sharedTopics: s.sharedTopics,
        load: { activePairs, capacity: user.capacity },
        available: s.available,
      };
      return { suggestion, name: user.name, score: s.score, available: s.available };
    });
    const suggestions = rankMatches(scored).map((x) => x.suggestion);
    return c.json({ mentee: { id: mentee.id, name: mentee.name, timeZone: mentee.timeZone }, suggestions }, 200);
  })
  // ---- CSV exports ------------------------------------------------------------------------------
  .get('/export/engagement.csv', validate('query', DashboardQuery), async (c) => {
    const window = dashboardWindow(c.var.auth.orgId, c.req.valid('query'));
    const rows = await listEngagementExport(c.var.db, window);
    const csv = csvResponse(
      rows.map((r) => ({ ...r, adherence: r.expected_periods ? (r.met_periods / r.expected_periods).toFixed(4) : '' })),
      ENGAGEMENT_FIELDS,
      `alongside-engagement-${window.from}-to-${window.to}.csv`,
    );
    // Every CSV export is audited (issue 8): it takes people's data out of the programme.
    await auditStatement(c.var.db, {
      orgId: c.var.auth.orgId,
      actorId: c.var.auth.id,
      action: 'export.engagement',
      targetType: 'organisation',
      targetId: c.var.auth.orgId,
      detail: { rows: rows.length, from: window.from, to: window.to },
    }).run();
    return c.body(csv.body, 200, csv.headers);
  })
  .get('/export/pairs.csv', async (c) => {
    const rows = await listPairsExport(c.var.db, c.var.auth.orgId);
    const csv = csvResponse(rows as unknown as Record<string, unknown>[], PAIR_FIELDS, `alongside-pairs-${todayUtc()}.csv`);
    await auditStatement(c.var.db, {
      orgId: c.var.auth.orgId,
      actorId: c.var.auth.id,
      action: 'export.pairs',
      targetType: 'organisation',
      targetId: c.var.auth.orgId,
      detail: { rows: rows.length },
    }).run();
    return c.body(csv.body, 200, csv.headers);
  })
  // ---- people CSV import ------------------------------------------------------------------------
  .post('/users/import', validate('header', CsvContentType), async (c) => {
    const db = c.var.db;
    const auth = c.var.auth;
    const parsed = parseUserCsv(await c.req.text());
    if (!parsed.ok) throw new ApiError(400, 'invalid_input', parsed.message, { issues: [{ path: ['file'], message: parsed.message }] });

    const errors: UserImportError[] = [...parsed.errors];
    const taken = await findTakenEmails(db, auth.orgId, parsed.rows.map((r) => r.input.email));
    const valid = parsed.rows.filter((r) => {
      if (!taken.has(r.input.email.toLowerCase())) return true;
      errors.push({ row: r.row, field: 'email', message: 'Someone in this programme already has this email' });
      return false;
    });

    const planned = valid.map((r) => ({ id: newId(), row: r.row, input: r.input }));
    let created: ReturnType<typeof usersFromResult> = [];
    if (planned.length) {
      const ids = planned.map((p) => p.id);
      const results = await db.batch([
        ...insertUsersStatements(db, auth.orgId, planned),
        auditStatement(db, {
          orgId: auth.orgId,
          actorId: auth.id,
          action: 'user.import',
          targetType: 'organisation',
          targetId: auth.orgId,
          detail: { rows: planned.length },
        }),
        readUsersStatement(db, auth.orgId, ids),
      ]);
      created = usersFromResult(results.at(-1), ids);
      // A row whose email was taken between the check and the insert (a concurrent add) was skipped by the insert.
      const createdIds = new Set(created.map((u) => u.id));
      for (const p of planned) {
        if (!createdIds.has(p.id)) errors.push({ row: p.row, field: 'email', message: 'Someone in this programme already has this email' });
      }
    }
    errors.sort((a, b) => a.row - b.row);
    return c.json({ created, errors }, 200);
  });
