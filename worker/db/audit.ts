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
