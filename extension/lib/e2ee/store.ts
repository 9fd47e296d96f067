/**
 * Where this browser keeps its end-to-end encryption keys (issue 10): the extension origin's IndexedDB, which only
 * the extension's own pages and background can open (content scripts on call pages run in the page's origin). Keys
 * are stored as CryptoKey objects, which IndexedDB keeps by structured clone without exposing their bytes: a
 * non-extractable key stays non-extractable (W3C WebCrypto §"CryptoKey interface", [[extractable]] is serialized;
 * https://developer.mozilla.org/docs/Web/API/CryptoKey). Accessed with `idb`, a small promise wrapper
 * (https://github.com/jakearchibald/idb).
 *
 * Per signed-in person:
 * - `devices`: this device's ECDH key pair and its id, and the backup sealer when a recovery key was set up;
 * - `keys`: every symmetric key this device can use (pair keys, personal key, the local outbox key), non-extractable,
 *   with the wrapped record addressed to this device (kept to re-wrap it for a new device, and for backups).
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { BackupSealer, DeviceKeyPair, SymmetricKey, WrappedKey } from '../../../shared/crypto/index.ts';

export interface StoredDevice {
  userId: string;
  serverUrl: string;
  device: DeviceKeyPair;
  createdAt: string;
  /** Derived from the recovery key when it was made or used on this device; writes later backups. */
  backupSealer: BackupSealer | null;
}

/** Where a key came from: a pair key or personal key (with this device's wrapped record of it), or the local one. */
export type StoredKey =
  | { userId: string; origin: 'wrapped'; key: SymmetricKey; record: WrappedKey }
  /** The local key seals outbox text at rest until the pair's key is there to seal it for the server. */
  | { userId: string; origin: 'local'; key: SymmetricKey; record: null };

interface KeysDb extends DBSchema {
  devices: { key: string; value: StoredDevice };
  keys: { key: string; value: StoredKey; indexes: { byUser: string } };
}

const DB_NAME = 'alongside-e2ee';

let opened: Promise<IDBPDatabase<KeysDb>> | null = null;

function db(): Promise<IDBPDatabase<KeysDb>> {
  opened ??= openDB<KeysDb>(DB_NAME, 1, {
    upgrade(database) {
      database.createObjectStore('devices', { keyPath: 'userId' });
      const keys = database.createObjectStore('keys', { keyPath: 'key.keyId' });
      keys.createIndex('byUser', 'userId');
    },
  }).catch((error: unknown) => {
    opened = null;
    throw error;
  });
  return opened;
}

export async function getStoredDevice(userId: string): Promise<StoredDevice | null> {
  return (await (await db()).get('devices', userId)) ?? null;
}

export async function putStoredDevice(device: StoredDevice): Promise<void> {
  await (await db()).put('devices', device);
}

export async function keysOf(userId: string): Promise<StoredKey[]> {
  return (await db()).getAllFromIndex('keys', 'byUser', userId);
}

export async function putKeys(keys: readonly StoredKey[]): Promise<void> {
  if (keys.length === 0) return;
  const tx = (await db()).transaction('keys', 'readwrite');
  await Promise.all([...keys.map((k) => tx.store.put(k)), tx.done]);
}

/** Forgets one person's device key pair and every key on this device (their device was removed, or they left). */
export async function forgetUser(userId: string): Promise<void> {
  const database = await db();
  const keys = await database.getAllKeysFromIndex('keys', 'byUser', userId);
  const tx = database.transaction(['devices', 'keys'], 'readwrite');
  await Promise.all([tx.objectStore('devices').delete(userId), ...keys.map((k) => tx.objectStore('keys').delete(k)), tx.done]);
}
