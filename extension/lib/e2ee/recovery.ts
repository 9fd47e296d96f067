/**
 * The recovery key (issue 10): made once on a person's first device and shown once; it seals a backup of their keys
 * on the server (shared/crypto/backup.ts). With it, a device that lost every other device gets the keys back.
 * The device that made (or used) the recovery key keeps a sealer for it (store.ts), so it rewrites the backup
 * whenever it gets a new key, without asking for the recovery key again.
 */
import {
  InvalidRecoveryKeyError,
  backupSealer,
  createRecoveryKey,
  isUnreadable,
  parseRecoveryKey,
  restoreBackup,
  sealBackup,
} from '../../../shared/crypto/index.ts';
import { ApiFailure, api, unwrap } from '../background/api.ts';
import { UserError } from '../background/requests.ts';
import { type MessageKey, t } from '../i18n.ts';
import { type Me, ensureDevice, isApproved } from './device.ts';
import { addHeldKeys, forgetHeldKeys, onKeysAdded, ownRecords, personalRing } from './rings.ts';
import { getStoredDevice, putStoredDevice } from './store.ts';

/** What is wrong with a typed recovery key (the sentences of shared/crypto/recovery-key.ts, from the messages). */
const RECOVERY_KEY_PROBLEMS: Record<InvalidRecoveryKeyError['problem'], MessageKey> = {
  checksum: 'e2eeRecovery_keyTypo',
  length: 'e2eeRecovery_keyLength',
  character: 'e2eeRecovery_keyCharacters',
};

async function backupVersion(who: Me): Promise<{ exists: boolean; version: number }> {
  const client = await api(who.serverUrl);
  const stored = await unwrap(client.me['key-backup'].$get());
  return { exists: stored.backup !== null, version: stored.version };
}

export async function hasBackup(who: Me): Promise<boolean> {
  return (await backupVersion(who)).exists;
}

/** Seals this device's keys under its sealer and stores the backup (replacing the one of `version`). */
async function writeBackup(who: Me, version: number): Promise<void> {
  const stored = await getStoredDevice(who.userId);
  if (!stored?.backupSealer) return;
  const backup = await sealBackup({ sealer: stored.backupSealer, personId: who.userId, device: stored.device, records: await ownRecords(who.userId) });
  const client = await api(who.serverUrl);
  await unwrap(client.me['key-backup'].$put({ json: { version, backup } }, { headers: { 'idempotency-key': crypto.randomUUID() } }));
}

/**
 * Makes the recovery key and the first backup when the person has none; answers the key text (shown once), or null
 * when a backup exists already (another device made the recovery key).
 */
export async function setUpRecovery(who: Me, options: { replace: boolean }): Promise<string | null> {
  const { stored, server } = await ensureDevice(who, { fresh: true });
  if (!isApproved(server)) throw new UserError('device_pending', t('e2eeRecovery_notApproved'));
  await personalRing(who); // the personal key exists before it is backed up
  const current = await backupVersion(who);
  if (current.exists && !options.replace) return null;
  const { text, key } = await createRecoveryKey();
  const sealer = await backupSealer(key, who.userId);
  const backup = await sealBackup({ sealer, personId: who.userId, device: stored.device, records: await ownRecords(who.userId) });
  const client = await api(who.serverUrl);
  await unwrap(client.me['key-backup'].$put({ json: { version: current.version, backup } }, { headers: { 'idempotency-key': crypto.randomUUID() } }));
  await putStoredDevice({ ...stored, backupSealer: sealer });
  return text;
}

/** Restores the person's keys onto this (pending) device from the server's backup with their recovery key. */
export async function restoreWithRecoveryKey(who: Me, text: string): Promise<void> {
  let recoveryKey;
  try {
    recoveryKey = await parseRecoveryKey(text);
  } catch (error) {
    if (error instanceof InvalidRecoveryKeyError) throw new UserError('invalid_recovery_key', t(RECOVERY_KEY_PROBLEMS[error.problem]));
    throw error;
  }
  const { stored } = await ensureDevice(who);
  const client = await api(who.serverUrl);
  const { backup } = await unwrap(client.me['key-backup'].$get());
  if (!backup) throw new UserError('no_backup', t('e2eeRecovery_noBackup'));
  let restored;
  try {
    restored = await restoreBackup({ recoveryKey, backup, device: stored.device });
  } catch (error) {
    if (isUnreadable(error, 'wrong-key')) throw new UserError('wrong_recovery_key', t('e2eeRecovery_wrongKey'));
    if (isUnreadable(error)) throw new UserError('backup_unreadable', t('e2eeRecovery_backupUnreadable'));
    throw error;
  }
  await addHeldKeys(
    who.userId,
    restored.keys.map((key, i) => ({ userId: who.userId, origin: 'wrapped' as const, key, record: restored.records[i]! })),
  );
  await putStoredDevice({ ...stored, backupSealer: await backupSealer(recoveryKey, who.userId) });
  await unwrap(
    client.me.devices[':deviceKeyId'].recovered.$post({ param: { deviceKeyId: stored.device.deviceKeyId } }, { headers: { 'idempotency-key': crypto.randomUUID() } }),
  );
  forgetHeldKeys(); // re-read from storage, and ask the server about every pair again
  await ensureDevice(who, { fresh: true });
}

// Whenever this device gets a new key, the backup it can write is brought up to date (a moment later, once).
const pending = new Map<string, ReturnType<typeof setTimeout>>();
onKeysAdded((userId) => {
  if (pending.has(userId)) return;
  pending.set(
    userId,
    setTimeout(() => {
      pending.delete(userId);
      void refreshBackup(userId).catch((error: unknown) => console.warn('Alongside: key backup not updated yet', error instanceof Error ? error.message : error));
    }, 2_000),
  );
});

async function refreshBackup(userId: string): Promise<void> {
  const stored = await getStoredDevice(userId);
  if (!stored?.backupSealer) return;
  const who = { userId, serverUrl: stored.serverUrl };
  const { version } = await backupVersion(who);
  try {
    await writeBackup(who, version);
  } catch (error) {
    // Another device wrote it meanwhile: write ours over the version it made (ours holds every key we hold).
    if (!(error instanceof ApiFailure && error.status === 409)) throw error;
    await writeBackup(who, (await backupVersion(who)).version);
  }
}
