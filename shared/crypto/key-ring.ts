/**
 * A key ring: every key a pair (or person) has had. New writes use the newest; old ciphertexts still open with the
 * key their id names. When a member is removed, `rotateKey` makes a fresh key wrapped only to the devices of the
 * people who remain, so the removed member never receives it and cannot read anything written after.
 * (What they already held stays readable to them: rotation protects the future, not the past.)
 */
import type { DeviceKeyPair } from './device-keys.ts';
import { createSymmetricKey, type WrappedKey } from './key-wrap.ts';
import { open, seal, type SealContext, type Sealed } from './seal.ts';
import type { KeyKind, SymmetricKey } from './symmetric-keys.ts';

export interface KeyRing {
  kind: KeyKind;
  scope: string;
  /** Oldest first; no two with the same key id. */
  keys: readonly SymmetricKey[];
}

const newestLast = (a: SymmetricKey, b: SymmetricKey) =>
  a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.keyId < b.keyId ? -1 : a.keyId > b.keyId ? 1 : 0;

/** A ring from keys of one kind and scope (any order; duplicates by key id are dropped). */
export function keyRing(keys: readonly SymmetricKey[]): KeyRing {
  const first = keys[0];
  if (!first) throw new RangeError('a key ring needs at least one key');
  if (keys.some((k) => k.kind !== first.kind || k.scope !== first.scope)) throw new TypeError('keys of one ring share kind and scope');
  const byId = new Map(keys.map((k) => [k.keyId, k] as const));
  return { kind: first.kind, scope: first.scope, keys: [...byId.values()].sort(newestLast) };
}

export const addKey = (ring: KeyRing, key: SymmetricKey): KeyRing => keyRing([...ring.keys, key]);

/** The key new writes use: the newest (by createdAt, then key id, so every device picks the same). */
export function currentKey(ring: KeyRing): SymmetricKey {
  const newest = ring.keys[ring.keys.length - 1];
  if (!newest) throw new RangeError('empty key ring');
  return newest;
}

export const sealWithRing = (options: { ring: KeyRing; plaintext: string; context: SealContext }): Promise<Sealed> =>
  seal({ key: currentKey(options.ring), plaintext: options.plaintext, context: options.context });

export const openWithRing = (options: { ring: KeyRing; sealed: string; context: SealContext }): Promise<string> =>
  open({ keys: options.ring.keys, sealed: options.sealed, context: options.context });

/**
 * A fresh key for the ring, wrapped only to `recipients` (the device keys of the people who remain, this device's
 * own included). Returns the new ring (the new key is current) and the records to store.
 */
export async function rotateKey(options: {
  ring: KeyRing;
  sender: DeviceKeyPair;
  recipients: readonly string[];
  now?: Date;
}): Promise<{ ring: KeyRing; key: SymmetricKey; wrapped: WrappedKey[] }> {
  const { ring } = options;
  const now = options.now ?? new Date();
  // Never older than the current key, even with a skewed clock, or new writes would keep using the old key.
  const latest = Date.parse(currentKey(ring).createdAt);
  const createdAt = new Date(Math.max(now.getTime(), latest + 1));
  const created = await createSymmetricKey({ kind: ring.kind, scope: ring.scope, sender: options.sender, recipients: options.recipients, now: createdAt });
  return { ring: addKey(ring, created.key), key: created.key, wrapped: created.wrapped };
}
