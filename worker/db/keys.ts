/**
 * SQL of end-to-end encryption's server side (issue 10; migration 0009): device public keys, wrapped keys, key
 * backups and device approvals. Small typed functions on the D1 binding; the routes (worker/routes/keys.ts) decide
 * who may do what.
 */
import type { WrappedKey } from '../../shared/crypto/index.ts';
import { WrappedKey as WrappedKeySchema, KeyBackup as KeyBackupSchema } from '../../shared/crypto/index.ts';
import type { DeviceApproval, DeviceApprovedVia, DeviceKey } from '../../shared/schemas/index.ts';
import type { Db } from '../env.ts';
import { nowIso } from '../lib/time.ts';
import { safeJson } from './users.ts';

interface DeviceRow {
  device_key_id: string;
  user_id: string;
  spki: string;
  label: string;
  created_at: string;
  revoked_at: string | null;
  approved_at: string | null;
  approved_via: DeviceApprovedVia | null;
}

const DEVICE_COLUMNS = 'device_key_id, user_id, spki, label, created_at, revoked_at, approved_at, approved_via';
const toDevice = (r: DeviceRow): DeviceKey => ({
  id: r.device_key_id,
  userId: r.user_id,
  publicKeySpki: r.spki,
  label: r.label,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
  approvedAt: r.approved_at,
  approvedVia: r.approved_via,
});

export async function getDevice(db: Db, deviceKeyId: string): Promise<DeviceKey | null> {
  const row = await db.prepare(`SELECT ${DEVICE_COLUMNS} FROM device_keys WHERE device_key_id = ?`).bind(deviceKeyId).first<DeviceRow>();
  return row ? toDevice(row) : null;
}

/** Several devices by id (at most 100 ids: one bound parameter each, under D1's limit of 100 per statement). */
export async function getDevices(db: Db, ids: readonly string[]): Promise<Map<string, DeviceKey>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const { results } = await db
    .prepare(`SELECT ${DEVICE_COLUMNS} FROM device_keys WHERE device_key_id IN (${unique.map(() => '?').join(', ')})`)
    .bind(...unique)
    .all<DeviceRow>();
  return new Map(results.map((r) => [r.device_key_id, toDevice(r)]));
}

/** A person's devices, revoked ones included when asked (their own list shows them; pairs see current ones). */
export async function listDevicesOf(db: Db, userIds: readonly string[], opts: { includeRevoked: boolean }): Promise<DeviceKey[]> {
  if (userIds.length === 0) return [];
  const { results } = await db
    .prepare(
      `SELECT ${DEVICE_COLUMNS} FROM device_keys WHERE user_id IN (${userIds.map(() => '?').join(', ')})
       ${opts.includeRevoked ? '' : 'AND revoked_at IS NULL'} ORDER BY created_at, device_key_id`,
    )
    .bind(...userIds)
    .all<DeviceRow>();
  return results.map(toDevice);
}

export async function countCurrentDevices(db: Db, userId: string): Promise<number> {
  const row = await db.prepare('SELECT COUNT(*) AS n FROM device_keys WHERE user_id = ? AND revoked_at IS NULL').bind(userId).first<{ n: number }>();
  return row?.n ?? 0;
}

/**
 * Registers a device key; a retry of the same registration changes nothing. The device is approved as the person's
 * first device when they have no current approved device at that moment, and waits for approval otherwise. Decided
 * inside the one INSERT, so two first registrations at once cannot both be first (a D1 database "processes queries
 * one at a time": https://developers.cloudflare.com/d1/reference/faq/, "How much work can a D1 database do?").
 * `WHERE true`: an upsert's INSERT … SELECT needs a WHERE clause, or its ON CONFLICT parses as a join constraint
 * (https://www.sqlite.org/lang_upsert.html, "Parsing Ambiguity").
 */
export function insertDeviceStatement(db: Db, d: { id: string; userId: string; spki: string; label: string }) {
  return db
    .prepare(
      `INSERT INTO device_keys (device_key_id, user_id, spki, label, created_at, approved_at, approved_via)
       SELECT ?1, ?2, ?3, ?4, ?5, CASE WHEN is_first THEN ?5 END, CASE WHEN is_first THEN 'first-device' END
         FROM (SELECT NOT EXISTS (SELECT 1 FROM device_keys WHERE user_id = ?2 AND revoked_at IS NULL AND approved_at IS NOT NULL) AS is_first)
        WHERE true
       ON CONFLICT (device_key_id) DO NOTHING`,
    )
    .bind(d.id, d.userId, d.spki, d.label, nowIso());
}

/**
 * Approves one of the person's current devices (`via` another approved device, or a restore from the recovery-key
 * backup). A device approved already keeps how it was approved first.
 */
export function approveDeviceStatement(db: Db, userId: string, deviceKeyId: string, via: Exclude<DeviceApprovedVia, 'first-device'>) {
  return db
    .prepare(
      `UPDATE device_keys SET approved_at = ?4, approved_via = ?3
        WHERE device_key_id = ?1 AND user_id = ?2 AND revoked_at IS NULL AND approved_at IS NULL`,
    )
    .bind(deviceKeyId, userId, via, nowIso());
}

/** Whether the person has a recovery-key backup (its contents are not read: the server cannot open it anyway). */
export async function hasKeyBackup(db: Db, userId: string): Promise<boolean> {
  return (await db.prepare('SELECT 1 AS present FROM key_backups WHERE user_id = ?').bind(userId).first<{ present: number }>()) !== null;
}

/**
 * The pairs whose rooms hear about a person's device changes: their pairs that have not ended (an ended pair has no
 * live room, worker/routes/live.ts).
 */
export async function livePairIdsOf(db: Db, userId: string): Promise<string[]> {
  const { results } = await db
    .prepare(`SELECT id FROM pairs WHERE (mentor_id = ?1 OR mentee_id = ?1) AND status <> 'ended'`)
    .bind(userId)
    .all<{ id: string }>();
  return results.map((r) => r.id);
}

/**
 * Revokes one of the person's devices and drops every key wrapped to it (a lost laptop must not be able to fetch
 * them again with a stolen token). Records it sent to other devices stay: those devices need them. One batch.
 */
export async function revokeDevice(db: Db, userId: string, deviceKeyId: string): Promise<void> {
  const now = nowIso();
  await db.batch([
    db.prepare('DELETE FROM wrapped_keys WHERE recipient_device_key_id = ?1 AND ?1 IN (SELECT device_key_id FROM device_keys WHERE user_id = ?2)').bind(deviceKeyId, userId),
    db.prepare('UPDATE device_keys SET revoked_at = COALESCE(revoked_at, ?3) WHERE device_key_id = ?1 AND user_id = ?2').bind(deviceKeyId, userId, now),
  ]);
}


// ---- wrapped keys ----------------------------------------------------------------------------------------------

/** Stored records are what a device sent and the route validated; one that no longer parses is left out, not sent. */
const parseRecords = (rows: { record: string }[]): WrappedKey[] =>
  rows.flatMap((r) => {
    const parsed = WrappedKeySchema.safeParse(safeJson(r.record));
    return parsed.success ? [parsed.data] : [];
  });

/** Records addressed to the person's current devices, of one kind and scope, or every kind when `kind` is null. */
export async function listRecordsFor(db: Db, userId: string, filter: { kind: 'pair' | 'personal' | null; scope: string | null }): Promise<WrappedKey[]> {
  const { results } = await db
    .prepare(
      `SELECT w.record FROM wrapped_keys w
        WHERE w.recipient_device_key_id IN (SELECT device_key_id FROM device_keys WHERE user_id = ?1 AND revoked_at IS NULL)
          AND (?2 IS NULL OR w.kind = ?2) AND (?3 IS NULL OR w.scope = ?3)
        ORDER BY w.created_at, w.key_id, w.recipient_device_key_id`,
    )
    .bind(userId, filter.kind, filter.scope)
    .all<{ record: string }>();
  return parseRecords(results);
}

/**
 * For each current device of these people, the ids of the pair's pair keys wrapped to it (GET /pairs/:id/keys).
 * Looked up by recipient, kind and scope (wrapped_keys_recipient).
 */
export async function pairKeyIdsByDevice(db: Db, pairId: string, userIds: readonly string[]): Promise<Map<string, string[]>> {
  if (userIds.length === 0) return new Map();
  const { results } = await db
    .prepare(
      `SELECT w.recipient_device_key_id AS device, w.key_id FROM wrapped_keys w
        WHERE w.recipient_device_key_id IN (SELECT device_key_id FROM device_keys WHERE user_id IN (${userIds.map(() => '?').join(', ')}) AND revoked_at IS NULL)
          AND w.kind = 'pair' AND w.scope = ?
        ORDER BY w.created_at, w.key_id`,
    )
    .bind(...userIds, pairId)
    .all<{ device: string; key_id: string }>();
  const byDevice = new Map<string, string[]>();
  for (const r of results) byDevice.set(r.device, [...(byDevice.get(r.device) ?? []), r.key_id]);
  return byDevice;
}

/** The kind and scope each of these key ids was first published with (a key id names one key of one scope). */
export async function keyScopes(db: Db, keyIds: readonly string[]): Promise<Map<string, { kind: string; scope: string }>> {
  const unique = [...new Set(keyIds)];
  if (unique.length === 0) return new Map();
  const { results } = await db
    .prepare(`SELECT DISTINCT key_id, kind, scope FROM wrapped_keys WHERE key_id IN (${unique.map(() => '?').join(', ')})`)
    .bind(...unique)
    .all<{ key_id: string; kind: string; scope: string }>();
  return new Map(results.map((r) => [r.key_id, { kind: r.kind, scope: r.scope }]));
}

/**
 * Stores records (one statement each, in one batch with `extra`). A record for a (key id, recipient) that is already
 * stored is left as it is: the key id names one key, so any second wrapping of it to the same device is the same key.
 */
export async function insertRecords(db: Db, records: readonly { record: WrappedKey; senderDeviceKeyId: string }[], extra: D1PreparedStatement[] = []) {
  const now = nowIso();
  await db.batch([
    ...records.map(({ record, senderDeviceKeyId }) =>
      db
        .prepare(
          `INSERT INTO wrapped_keys (key_id, recipient_device_key_id, kind, scope, sender_device_key_id, record, created_at)
           VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (key_id, recipient_device_key_id) DO NOTHING`,
        )
        .bind(record.keyId, record.to, record.kind, record.scope, senderDeviceKeyId, JSON.stringify(record), now),
    ),
    ...extra,
  ]);
}

/** Marks a pair as end-to-end encrypted from now on (kept when already set). */
export function markPairEncryptedStatement(db: Db, pairId: string) {
  return db.prepare('UPDATE pairs SET encrypted_since = COALESCE(encrypted_since, ?2) WHERE id = ?1').bind(pairId, nowIso());
}

/** When the pair's notes became end-to-end encrypted, or null while they are plain text. */
export async function pairEncryptedSince(db: Db, pairId: string): Promise<string | null> {
  const row = await db.prepare('SELECT encrypted_since FROM pairs WHERE id = ?').bind(pairId).first<{ encrypted_since: string | null }>();
  return row?.encrypted_since ?? null;
}

// ---- key backups -----------------------------------------------------------------------------------------------

export async function getKeyBackup(db: Db, userId: string) {
  const row = await db.prepare('SELECT backup, version, updated_at FROM key_backups WHERE user_id = ?').bind(userId).first<{ backup: string; version: number; updated_at: string }>();
  if (!row) return null;
  const backup = KeyBackupSchema.safeParse(safeJson(row.backup));
  return backup.success ? { backup: backup.data, version: row.version, updatedAt: row.updated_at } : null;
}

/** Writes the backup when `version` is the stored one (0: none yet). False when someone else wrote first. */
export async function putKeyBackup(db: Db, userId: string, version: number, backup: unknown): Promise<boolean> {
  const now = nowIso();
  const json = JSON.stringify(backup);
  const res =
    version === 0
      ? await db.prepare('INSERT INTO key_backups (user_id, backup, version, updated_at) VALUES (?1, ?2, 1, ?3) ON CONFLICT (user_id) DO NOTHING').bind(userId, json, now).run()
      : await db.prepare('UPDATE key_backups SET backup = ?3, version = version + 1, updated_at = ?4 WHERE user_id = ?1 AND version = ?2').bind(userId, version, json, now).run();
  return res.meta.changes > 0;
}

// ---- device approvals ------------------------------------------------------------------------------------------

interface ApprovalRow {
  id: string;
  device_key_id: string;
  spki: string;
  created_at: string;
  expires_at: string;
  completed_at: string | null;
}
const APPROVAL_COLUMNS = 'id, device_key_id, spki, created_at, expires_at, completed_at';
const toApproval = (r: ApprovalRow): DeviceApproval => ({
  id: r.id,
  deviceKeyId: r.device_key_id,
  publicKeySpki: r.spki,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  completedAt: r.completed_at,
});

/** One of the person's approvals (another person's is not found). */
export async function getApproval(db: Db, userId: string, id: string): Promise<DeviceApproval | null> {
  const row = await db.prepare(`SELECT ${APPROVAL_COLUMNS} FROM device_approvals WHERE id = ? AND user_id = ?`).bind(id, userId).first<ApprovalRow>();
  return row ? toApproval(row) : null;
}

/** Open requests of the person: not completed, not expired, for a device that is not revoked. */
export async function listPendingApprovals(db: Db, userId: string, now: string): Promise<DeviceApproval[]> {
  const { results } = await db
    .prepare(
      `SELECT a.id, a.device_key_id, a.spki, a.created_at, a.expires_at, a.completed_at FROM device_approvals a
         JOIN device_keys d ON d.device_key_id = a.device_key_id AND d.revoked_at IS NULL
        WHERE a.user_id = ?1 AND a.completed_at IS NULL AND a.expires_at > ?2
        ORDER BY a.created_at`,
    )
    .bind(userId, now)
    .all<ApprovalRow>();
  return results.map(toApproval);
}

export function insertApprovalStatement(db: Db, a: { id: string; userId: string; deviceKeyId: string; spki: string; createdAt: string; expiresAt: string }) {
  return db
    .prepare('INSERT INTO device_approvals (id, user_id, device_key_id, spki, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)')
    .bind(a.id, a.userId, a.deviceKeyId, a.spki, a.createdAt, a.expiresAt);
}

/** Completes one of the person's open requests (a completed one stays as it was). */
export function completeApprovalStatement(db: Db, userId: string, id: string, approvedBy: string) {
  return db
    .prepare('UPDATE device_approvals SET completed_at = ?3, completed_by_device_key_id = ?4 WHERE id = ?1 AND user_id = ?2 AND completed_at IS NULL')
    .bind(id, userId, nowIso(), approvedBy);
}
