/** Issue 8: the audit log page's API — who did what and when, filterable, paged, exportable, and unchangeable. */
import { describe, expect, it } from 'vitest';
import { AuditPage } from '../../shared/schemas/index.ts';
import { auditStatement } from '../../worker/db/audit.ts';
import { createApp } from '../../worker/app.ts';
import { call, countRows, db, expectError, expectJson, seedProgramme, uuid, type Programme } from './helpers.ts';

const page = async (p: Programme, query = '') =>
  AuditPage.parse(await expectJson(await call('GET', `/api/v1/admin/audit${query}`, { token: p.admin.token }), 200));

/** Audit rows written straight to D1 at chosen times. */
async function seedAuditRows(p: Programme, rows: { action: string; at: string; actorId?: string; targetId?: string }[]) {
  await db().batch(
    rows.map((r) =>
      db()
        .prepare('INSERT INTO audit_log (id, org_id, actor_id, action, target_type, target_id, detail, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .bind(uuid(), p.orgId, r.actorId ?? p.admin.id, r.action, 'user', r.targetId ?? p.mentee.id, '{}', r.at),
    ),
  );
}

describe('GET /api/v1/admin/audit', () => {
  it('shows who did what and when, with names, newest first: invitations with their reason, people and pair changes', async () => {
    const p = await seedProgramme();
    await expectJson(await call('PATCH', `/api/v1/admin/users/${p.mentor.id}`, { token: p.admin.token, body: { name: 'Mia Mentor' } }), 200);
    await expectJson(await call('POST', '/api/v1/admin/invitations', { token: p.admin.token, body: { userId: p.mentee.id, reason: 'New laptop' } }), 201);
    const { entries, nextCursor } = await page(p);
    expect(nextCursor).toBeNull();
    expect(entries.map((e) => e.action)).toEqual(['invitation.reinvite', 'user.update']);
    expect(entries[0]?.detail).toMatchObject({ reason: 'New laptop', reinvitation: true });
    expect(entries[0]?.actor.id).toBe(p.admin.id);
    expect(entries[1]?.subject).toEqual({ type: 'user', id: p.mentor.id, name: 'Mia Mentor' });
  });

  it('filters by action, actor, subject and date range', async () => {
    const p = await seedProgramme();
    await seedAuditRows(p, [
      { action: 'user.update', at: '2026-03-01T10:00:00.000Z' },
      { action: 'pair.update', at: '2026-03-02T10:00:00.000Z' },
      { action: 'user.update', at: '2026-03-03T10:00:00.000Z', targetId: p.mentor.id },
      { action: 'session.create', at: '2026-03-04T10:00:00.000Z', actorId: p.mentee.id },
    ]);
    const actions = async (q: string) => (await page(p, q)).entries.map((e) => `${e.action}@${e.createdAt.slice(8, 10)}`);
    expect(await actions('?action=user.update')).toEqual(['user.update@03', 'user.update@01']);
    expect(await actions(`?actorId=${p.mentee.id}`)).toEqual(['session.create@04']);
    expect(await actions(`?subjectId=${p.mentor.id}`)).toEqual(['user.update@03']);
    expect(await actions('?from=2026-03-02&to=2026-03-03')).toEqual(['user.update@03', 'pair.update@02']);
    expect(await actions('?to=2026-03-02T10:00:00.000Z')).toEqual(['pair.update@02', 'user.update@01']);
  });

  it('pages with a cursor: every row once, none twice, even when rows share a time', async () => {
    const p = await seedProgramme();
    const at = '2026-04-01T09:00:00.000Z';
    await seedAuditRows(p, Array.from({ length: 7 }, (_, i) => ({ action: 'user.update', at: i < 4 ? at : `2026-04-0${i}T09:00:00.000Z` })));
    const seen: string[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const res: AuditPage = await page(p, `?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...res.entries.map((e) => e.id));
      cursor = res.nextCursor;
    }
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
  });

  it('answers bad filters with the 400 envelope', async () => {
    const p = await seedProgramme();
    for (const q of ['?actorId=bob', '?from=yesterday', '?limit=0', '?limit=500', '?cursor=!!', '?cursor=bm90LWEtY3Vyc29y', '?format=xml', '?action=DROP%20TABLE']) {
      await expectError(await call('GET', `/api/v1/admin/audit${q}`, { token: p.admin.token }), 400, 'invalid_input');
    }
  });

  it('is for admins of the organisation only: members get 403, another organisation sees none of these rows', async () => {
    const p = await seedProgramme();
    await seedAuditRows(p, [{ action: 'user.update', at: '2026-03-01T10:00:00.000Z' }]);
    await expectError(await call('GET', '/api/v1/admin/audit', { token: p.mentee.token }), 403, 'forbidden');
    await expectError(await call('GET', '/api/v1/admin/audit.csv', { token: p.mentor.token }), 403, 'forbidden');
    await expectError(await call('GET', '/api/v1/admin/audit'), 401, 'unauthenticated');
    const other = await seedProgramme();
    expect((await page(other)).entries).toEqual([]);
  });

  it('exports the filtered log as CSV (formulae escaped), and records the export', async () => {
    const p = await seedProgramme();
    await db().prepare('UPDATE users SET name = ? WHERE id = ?').bind('=HYPERLINK("x")', p.mentee.id).run();
    await seedAuditRows(p, [{ action: 'user.update', at: '2026-03-01T10:00:00.000Z' }]);
    for (const path of ['/api/v1/admin/audit.csv?action=user.update', '/api/v1/admin/audit?format=csv&action=user.update']) {
      const res = await call('GET', path, { token: p.admin.token });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
      expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="alongside-audit-/);
      const lines = (await res.text()).trim().split('\r\n');
      expect(lines[0]).toBe('time,action,actor_id,actor_name,subject_type,subject_id,subject_name,detail');
      expect(lines).toHaveLength(2);
      expect(lines[1]).toContain(`"'=HYPERLINK(""x"")"`);
    }
    expect(await countRows('audit_log', "org_id = ? AND action = 'export.audit' AND actor_id = ?", p.orgId, p.admin.id)).toBe(2);
  });

  it('records the CSV exports of the dashboard and the pairs', async () => {
    const p = await seedProgramme();
    expect((await call('GET', '/api/v1/admin/export/pairs.csv', { token: p.admin.token })).status).toBe(200);
    expect((await call('GET', '/api/v1/admin/export/engagement.csv', { token: p.admin.token })).status).toBe(200);
    const { entries } = await page(p);
    expect(entries.map((e) => e.action).sort()).toEqual(['export.engagement', 'export.pairs']);
  });
});

describe('audit rows cannot be changed', () => {
  it('no route other than GET exists for the audit log', () => {
    const routes = createApp().routes.filter((r) => /\/admin\/audit/.test(r.path));
    expect(routes.length).toBeGreaterThan(0);
    expect(routes.filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it.each(['POST', 'PATCH', 'PUT', 'DELETE'])('%s on the audit log changes nothing', async (method) => {
    const p = await seedProgramme();
    await seedAuditRows(p, [{ action: 'user.update', at: '2026-03-01T10:00:00.000Z' }]);
    const [row] = (await page(p)).entries;
    for (const path of ['/api/v1/admin/audit', `/api/v1/admin/audit/${row?.id}`]) {
      const res = await call(method, path, { token: p.admin.token, body: { action: 'nothing.happened' } });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    }
    expect((await page(p)).entries).toEqual([row]);
  });

  it('the database refuses to update or delete audit rows (migration 0006 triggers)', async () => {
    const p = await seedProgramme();
    await auditStatement(db(), { orgId: p.orgId, actorId: p.admin.id, action: 'user.update', targetType: 'user', targetId: p.mentee.id, detail: { x: 1 } }).run();
    await expect(db().prepare("UPDATE audit_log SET action = 'user.create' WHERE org_id = ?").bind(p.orgId).run()).rejects.toThrow(/append-only|cannot be changed/);
    await expect(db().prepare("UPDATE audit_log SET detail = '{}' WHERE org_id = ?").bind(p.orgId).run()).rejects.toThrow(/cannot be changed/);
    await expect(db().prepare('UPDATE audit_log SET actor_id = ? WHERE org_id = ?').bind(p.mentor.id, p.orgId).run()).rejects.toThrow(/cannot be changed/);
    await expect(db().prepare('DELETE FROM audit_log WHERE org_id = ?').bind(p.orgId).run()).rejects.toThrow(/append-only/);
    expect(await countRows('audit_log', "org_id = ? AND action = 'user.update' AND detail = '{\"x\":1}'", p.orgId)).toBe(1);
  });

  it("allows only erasure's anonymisation: ids to 'erased' and detail to {\"erased\":true}", async () => {
    const p = await seedProgramme();
    await auditStatement(db(), { orgId: p.orgId, actorId: p.admin.id, action: 'user.update', targetType: 'user', targetId: p.mentee.id, detail: { x: 1 } }).run();
    await db().prepare("UPDATE audit_log SET actor_id = 'erased' WHERE org_id = ?").bind(p.orgId).run();
    await db().prepare(`UPDATE audit_log SET target_id = 'erased', detail = '{"erased":true}' WHERE org_id = ?`).bind(p.orgId).run();
    const row = await db().prepare('SELECT actor_id, target_id, detail, action FROM audit_log WHERE org_id = ?').bind(p.orgId).first();
    expect(row).toEqual({ actor_id: 'erased', target_id: 'erased', detail: '{"erased":true}', action: 'user.update' });
  });
});
