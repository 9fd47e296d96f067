/**
 * The server-stored backup of a person's symmetric keys (personal key and every pair key, with ids), sealed under a
 * key derived from their recovery key. With it and the recovery key, a new device gets all keys back without any
 * other device. Without the recovery key the server holds only ciphertext.
 *
 *   backup kek  = HKDF-SHA-256(recovery secret, info ["alongside/backup-key","b1",personId]) → AES-256-GCM
 *   verifier    = HKDF-SHA-256(recovery secret, info ["alongside/backup-verifier","b1",personId]), 128 bits
 *   entry i     = AES-GCM(kek, random nonce, key bytes, aad [person, backup time, i, count, key description])
 *
 * The verifier tells a wrong recovery key (`wrong-key`) apart from a changed backup (`tampered`). Binding index,
 * count and backup time into each entry stops entries being dropped, reordered or mixed between backups; the server
 * could still serve an older whole backup (keys added since would be missing, never wrong).
 */
import { z } from 'zod';
import { fromBase64url, toBase64url } from './base64url.ts';
import { bytesOf, label, randomBytes } from './bytes.ts';
import type { DeviceKeyPair } from './device-keys.ts';
import { UnreadableError } from './errors.ts';
import { unwrapFromRecord, wrapToDevice, type WrappedKey } from './key-wrap.ts';
import type { RecoveryKey } from './recovery-key.ts';
import { AES_GCM_256, KEY_ID_PATTERN, NONCE_BYTES, toNonExtractable, verifyKeyCheck, type KeyInfo, type SymmetricKey } from './symmetric-keys.ts';

export const BACKUP_VERSION = 'b1';
const b64url = z.string().regex(/^[A-Za-z0-9_-]+$/);

export const KeyBackup = z.object({
  v: z.literal(BACKUP_VERSION),
  alg: z.literal('HKDF-SHA256+A256GCM'),
  personId: z.string().min(1),
  createdAt: z.iso.datetime(),
  verifier: b64url,
  keys: z.array(
    z.object({
      kind: z.enum(['pair', 'personal']),
      scope: z.string().min(1),
      keyId: z.string().regex(KEY_ID_PATTERN),
      createdAt: z.iso.datetime(),
      check: z.string(),
      nonce: b64url,
      wrapped: b64url,
    }),
  ),
});
export type KeyBackup = z.infer<typeof KeyBackup>;

async function backupKeys(recovery: RecoveryKey, personId: string): Promise<{ kek: CryptoKey; verifier: string }> {
  // HKDF from the full-entropy recovery secret (RFC 5869; MDN HkdfParams). Distinct `info` per output (RFC 5869 §3.2).
  const base = await crypto.subtle.importKey('raw', recovery.secret, 'HKDF', false, ['deriveKey', 'deriveBits']);
  const salt = new Uint8Array(0);
  const kek = await crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt, info: label('alongside/backup-key', BACKUP_VERSION, personId) },
    base,
    AES_GCM_256,
    false,
    ['wrapKey', 'unwrapKey'],
  );
  const verifier = await crypto.subtle.deriveBits(
    { name: 'HKDF', hash: 'SHA-256', salt, info: label('alongside/backup-verifier', BACKUP_VERSION, personId) },
    base,
    128,
  );
  return { kek, verifier: toBase64url(bytesOf(verifier)) };
}

/**
 * What sealing a backup needs, derived once from the recovery key: the key-encryption key (non-extractable, wrapKey
 * only) and the verifier. A device keeps it (IndexedDB) so it can write a new backup when it gets a new key, without
 * asking for the recovery key again; it cannot unwrap a backup (no unwrapKey usage).
 */
export interface BackupSealer {
  personId: string;
  kek: CryptoKey;
  verifier: string;
}

export async function backupSealer(recoveryKey: RecoveryKey, personId: string): Promise<BackupSealer> {
  const { verifier } = await backupKeys(recoveryKey, personId);
  const base = await crypto.subtle.importKey('raw', recoveryKey.secret, 'HKDF', false, ['deriveKey']);
  const kek = await crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: label('alongside/backup-key', BACKUP_VERSION, personId) },
    base,
    AES_GCM_256,
    false,
    ['wrapKey'],
  );
  return { personId, kek, verifier };
}

const entryLabel = (personId: string, createdAt: string, index: number, count: number, k: KeyInfo) =>
  label('alongside/backup-entry', BACKUP_VERSION, personId, createdAt, String(index), String(count), k.kind, k.scope, k.keyId, k.createdAt, k.check);

/**
 * Seals a backup of the keys this device holds, from its own wrapped records (each is unwrapped extractable only
 * inside this call and re-wrapped under the backup key).
 */
export async function sealBackup(
  options: { personId: string; device: DeviceKeyPair; records: readonly WrappedKey[]; now?: Date } & ({ recoveryKey: RecoveryKey } | { sealer: BackupSealer }),
): Promise<KeyBackup> {
  const { personId, records } = options;
  const createdAt = (options.now ?? new Date()).toISOString();
  const sealer = 'sealer' in options ? options.sealer : await backupSealer(options.recoveryKey, personId);
  if (sealer.personId !== personId) throw new RangeError('this backup sealer is for another person');
  const { kek, verifier } = sealer;
  const keys = await Promise.all(
    records.map(async (record, index) => {
      const { key } = await unwrapFromRecord(record, options.device, true);
      const nonce = randomBytes(NONCE_BYTES);
      const aad = entryLabel(personId, createdAt, index, records.length, key);
      // wrapKey with AES-GCM (MDN SubtleCrypto.wrapKey): the key bytes stay inside WebCrypto.
      const wrapped = await crypto.subtle.wrapKey('raw', key.key, kek, { name: 'AES-GCM', iv: nonce, additionalData: aad });
      const { kind, scope, keyId, createdAt: keyCreatedAt, check } = key;
      return { kind, scope, keyId, createdAt: keyCreatedAt, check, nonce: toBase64url(nonce), wrapped: toBase64url(bytesOf(wrapped)) };
    }),
  );
  return { v: BACKUP_VERSION, alg: 'HKDF-SHA256+A256GCM', personId, createdAt, verifier, keys };
}

/**
 * Restores every key of a backup onto `device`: the keys ready for use (non-extractable) and a wrapped record of
 * each addressed to this device (to keep, so it can later approve devices and write backups itself).
 * Throws UnreadableError: `malformed`, `wrong-key` (not this backup's recovery key) or `tampered`.
 */
export async function restoreBackup(options: {
  recoveryKey: RecoveryKey;
  backup: unknown;
  device: DeviceKeyPair;
}): Promise<{ keys: SymmetricKey[]; records: WrappedKey[] }> {
  const parsed = KeyBackup.safeParse(options.backup);
  if (!parsed.success) throw new UnreadableError('malformed', 'not a key backup');
  const backup = parsed.data;
  const { kek, verifier } = await backupKeys(options.recoveryKey, backup.personId);
  if (verifier !== backup.verifier) throw new UnreadableError('wrong-key', 'this is not the recovery key of this backup');
  const restored = await Promise.all(
    backup.keys.map(async (entry, index) => {
      let nonce: Uint8Array<ArrayBuffer>, wrapped: Uint8Array<ArrayBuffer>;
      try {
        nonce = fromBase64url(entry.nonce);
        wrapped = fromBase64url(entry.wrapped);
      } catch {
        throw new UnreadableError('malformed', 'backup entry is not base64url');
      }
      const info: KeyInfo = { kind: entry.kind, scope: entry.scope, keyId: entry.keyId, createdAt: entry.createdAt, check: entry.check };
      const aad = entryLabel(backup.personId, backup.createdAt, index, backup.keys.length, info);
      let key: CryptoKey;
      try {
        key = await crypto.subtle.unwrapKey('raw', wrapped, kek, { name: 'AES-GCM', iv: nonce, additionalData: aad }, AES_GCM_256, true, [
          'encrypt',
          'decrypt',
        ]);
      } catch {
        throw new UnreadableError('tampered', `backup entry ${index} failed authentication`);
      }
      if (!(await verifyKeyCheck(key, info))) throw new UnreadableError('tampered', `backup entry ${index} does not match its key check`);
      const record = await wrapToDevice(key, info, options.device, options.device.publicKeySpki);
      return { key: { ...info, key: await toNonExtractable(key) }, record };
    }),
  );
  return { keys: restored.map((r) => r.key), records: restored.map((r) => r.record) };
}
