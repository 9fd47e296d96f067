import type { AuditEntry } from '../../shared/schemas/index.ts';
import type { Db } from '../env.ts';
import { newId } from '../lib/ids.ts';
import { nowIso } from '../lib/time.ts';

export interface AuditEvent {
  orgId: string;
  actorId: string;
  action: string;
  targetType: string;
  targetId: string;
  detail?: Record<string, unknown>;
}

/**
 * One row per admin action, added to the same batch as the change it records. `onlyIfPairVersion` records it only
 * when the pair reached that version in the batch, so a stale (no-op) update leaves no audit row.
 */
export function auditStatement(db: Db, a: AuditEvent, onlyIfPairVersion?: number) {
  const values = [newId(), a.orgId, a.actorId, a.action, a.targetType, a.targetId, JSON.stringify(a.detail ?? {}), nowIso()];
  if (onlyIfPairVersion === undefined) {
    return db
      .prepare('INSERT INTO audit_log (id, org_id, actor_id, action, target_type, target_id, detail, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .bind(...values);
  }
  return db
    .prepare(
      `INSERT INTO audit_log (id, org_id, actor_id, action, target_type, target_id, detail, created_at)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8 WHERE EXISTS (SELECT 1 FROM pairs WHERE id = ?6 AND version = ?9)`,
    )
    .bind(...values, onlyIfPairVersion);
}

/**
 * An audit row that is written only when the statement just before it in the same batch changed a row (SQLite's
 * `changes()`), so a write that turned out to be a no-op (e.g. a lost race on a unique email) leaves no record.
 */
export function auditIfChangedStatement(db: Db, a: AuditEvent) {
  return db
    .prepare(
      `INSERT INTO audit_log (id, org_id, actor_id, action, target_type, target_id, detail, created_at)
       SELECT ?, ?, ?, ?, ?, ?, ?, ? WHERE changes() > 0`,
    )
    .bind(newId(), a.orgId, a.actorId, a.action, a.targetType, a.targetId, JSON.stringify(a.detail ?? {}), nowIso());
}

// ---- reading the log (GET /admin/audit) ---------------------------------------------------------------------------

export interface AuditFilter {
  orgId: string;
  action?: string;
  actorId?: string;
  subjectId?: string;
  /** Inclusive lower bound (ISO time). */
  from?: string;
  /** Exclusive upper bound (ISO time). */
  before?: string;
  /** Inclusive upper bound (ISO time), when given as a time rather than a date. */
  until?: string;
  after?: { createdAt: string; id: string };
  limit: number;
}

interface AuditRow {
  id: string;
  createdAt: string;
  action: string;
  actorId: string;
  actorName: string | null;
  targetType: string;
  targetId: string;
  targetName: string | null;
  detail: string;
}

/**
 * One page of the organisation's audit log, newest first, with names resolved at read time (rows keep only ids, so
 * erasing a person has nothing else to scrub here). Ids named in `detail` (`issuedById`) get their names too.
 */
export async function listAudit(db: Db, f: AuditFilter): Promise<AuditEntry[]> {
  const where = ['l.org_id = ?1'];
  const params: unknown[] = [f.orgId];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    where.push(sql.replaceAll('?', `?${params.length}`));
  };
  if (f.action) add('l.action = ?', f.action);
  if (f.actorId) add('l.actor_id = ?', f.actorId);
  if (f.subjectId) add('l.target_id = ?', f.subjectId);
  if (f.from) add('l.created_at >= ?', f.from);
  if (f.before) add('l.created_at < ?', f.before);
  if (f.until) add('l.created_at <= ?', f.until);
  if (f.after) {
    params.push(f.after.createdAt, f.after.id);
    where.push(`(l.created_at < ?${params.length - 1} OR (l.created_at = ?${params.length - 1} AND l.id < ?${params.length}))`);
  }
  params.push(f.limit);
  const { results } = await db
    .prepare(
      `SELECT l.id, l.created_at AS createdAt, l.action, l.actor_id AS actorId, actor.name AS actorName,
              l.target_type AS targetType, l.target_id AS targetId,
              CASE l.target_type
                WHEN 'user' THEN tu.name
                WHEN 'pair' THEN pm.name || ' & ' || pe.name
                WHEN 'organisation' THEN o.name
              END AS targetName,
              l.detail
         FROM audit_log l
         LEFT JOIN users actor ON actor.id = l.actor_id
         LEFT JOIN users tu ON l.target_type = 'user' AND tu.id = l.target_id
         LEFT JOIN pairs p ON l.target_type = 'pair' AND p.id = l.target_id
         LEFT JOIN users pm ON pm.id = p.mentor_id
         LEFT JOIN users pe ON pe.id = p.mentee_id
         LEFT JOIN organisations o ON l.target_type = 'organisation' AND o.id = l.target_id
        WHERE ${where.join(' AND ')}
        ORDER BY l.created_at DESC, l.id DESC
        LIMIT ?${params.length}`,
    )
    .bind(...params)
    .all<AuditRow>();

  const details = results.map((r) => parseDetail(r.detail));
  const issuerIds = [...new Set(details.flatMap((d) => (typeof d.issuedById === 'string' ? [d.issuedById] : [])))];
  const issuerNames = new Map<string, string>();
  if (issuerIds.length) {
    const { results: names } = await db
      .prepare(`SELECT id, name FROM users WHERE org_id = ? AND id IN (${issuerIds.map(() => '?').join(', ')})`)
      .bind(f.orgId, ...issuerIds)
      .all<{ id: string; name: string }>();
    for (const n of names) issuerNames.set(n.id, n.name);
  }
  return results.map((r, i) => {
    const detail = details[i] ?? {};
    if (typeof detail.issuedById === 'string') detail.issuedByName = issuerNames.get(detail.issuedById) ?? null;
    return {
      id: r.id,
      createdAt: r.createdAt,
      action: r.action,
      actor: { id: r.actorId, name: r.actorName },
      subject: { type: r.targetType, id: r.targetId, name: r.targetName },
      detail,
    };
  });
}

function parseDetail(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Audit actions of the data-rights capabilities (issue 8): erasures, retention purges and the retention setting. */
export const DATA_RIGHTS_ACTIONS = {
  erase: 'user.erase',
  retentionPurge: 'retention.purge',
  settingsUpdate: 'settings.update',
} as const;
