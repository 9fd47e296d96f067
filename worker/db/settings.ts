import type { OrgSettings } from '../../shared/schemas/index.ts';
import type { Db } from '../env.ts';

/** The organisation's data settings (issue 8); an unknown organisation reads as the defaults. */
export async function getOrgSettings(db: Db, orgId: string): Promise<OrgSettings> {
  const row = await db.prepare('SELECT retention_days FROM organisations WHERE id = ?').bind(orgId).first<{ retention_days: number | null }>();
  return { retentionDays: row?.retention_days ?? null };
}

/** Sets the retention period and who set it (the cron's purge names that admin as its actor in the audit log). */
export function setRetentionStatement(db: Db, orgId: string, retentionDays: number | null, adminId: string) {
  return db
    .prepare('UPDATE organisations SET retention_days = ?2, retention_set_by = ?3 WHERE id = ?1')
    .bind(orgId, retentionDays, adminId);
}
