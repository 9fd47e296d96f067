/**
 * Wrapping a symmetric key to one device's public key, and unwrapping it there.
 *
 * The scheme is HPKE's authenticated DH-KEM shape (RFC 9180 §4.1, AuthEncap) built from WebCrypto calls:
 *   ikm = ECDH(ephemeral, recipient) ‖ ECDH(sender device, recipient)
 *   kek = HKDF-SHA-256(ikm, salt = none, info = everything the record says about itself) → AES-256-GCM
 *   wrapped = AES-GCM(kek, random nonce, key bytes, additional data = the same header)
 * The ephemeral half gives a fresh KEK per record; the static sender half lets the recipient know which device
 * wrapped the key, so the server cannot slip a key of its own making into a pair. Whether that device belongs to a
 * current member is for the caller to decide (membership + safety numbers); `unwrapKeyRecord` returns it.
 */
import { z } from 'zod';
import { fromBase64url, toBase64url } from './base64url.ts';
import { bytesOf, concatBytes, label, randomBytes } from './bytes.ts';
import { createDeviceKeyPair, deviceKeyIdOf, ecdh, importPublicKey, type DeviceKeyPair } from './device-keys.ts';
import { UnreadableError } from './errors.ts';
import {
  AES_GCM_256,
  generateExtractableKey,
  KEY_ID_PATTERN,
  keyInfoOf,
  NONCE_BYTES,
  toNonExtractable,
  verifyKeyCheck,
  type KeyInfo,
  type KeyKind,
  type SymmetricKey,
} from './symmetric-keys.ts';

export const WRAP_VERSION = 'w1';
export const WRAP_ALGORITHM = 'ECDH-P256+HKDF-SHA256+A256GCM';

const b64url = z.string().regex(/^[A-Za-z0-9_-]+$/);

/** A wrapped key as stored by the server and in the device's own store: JSON-safe strings only. */
export const WrappedKey = z.object({
  v: z.literal(WRAP_VERSION),
  alg: z.literal(WRAP_ALGORITHM),
  kind: z.enum(['pair', 'personal']),
  scope: z.string().min(1),
  keyId: z.string().regex(KEY_ID_PATTERN),
  createdAt: z.iso.datetime(),
  check: z.string().regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/),
  /** deviceKeyId of the recipient device. */
  to: b64url,
  /** SPKI of the device that wrapped it (its deviceKeyId is derived, never trusted from the record). */
  fromKey: b64url,
  /** Ephemeral public key, SPKI. */
  epk: b64url,
  nonce: b64url,
  wrapped: b64url,
});
export type WrappedKey = z.infer<typeof WrappedKey>;

export interface UnwrappedKey {
  key: SymmetricKey;
  /** The device that wrapped this key (authenticated by the static-static ECDH half). */
  wrappedBy: { deviceKeyId: string; publicKeySpki: string };
}

const header = (r: Omit<WrappedKey, 'nonce' | 'wrapped'>, fromId: string) =>
  label('alongside/wrap', r.v, r.alg, r.kind, r.scope, r.keyId, r.createdAt, r.check, r.to, fromId, r.epk);

async function deriveKek(ikm: Uint8Array<ArrayBuffer>, info: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  // HKDF (RFC 5869) via WebCrypto (MDN HkdfParams, https://developer.mozilla.org/docs/Web/API/HkdfParams). The input is
  // already uniformly hard to guess (ECDH output), so no salt is used (RFC 5869 §3.1: salt is optional); `info`
  // binds the KEK to purpose, key, recipient and sender (RFC 5869 §3.2).
  const base = await crypto.subtle.importKey('raw', ikm, 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info },
    base,
    AES_GCM_256,
    false,
    ['wrapKey', 'unwrapKey'],
  );
}

/** Library-internal: wraps an extractable key to one device. */
export async function wrapToDevice(key: CryptoKey, info: KeyInfo, sender: DeviceKeyPair, recipientSpki: string): Promise<WrappedKey> {
  const recipient = await importPublicKey(recipientSpki);
  const ephemeral = await createDeviceKeyPair();
  const ikm = concatBytes(await ecdh(ephemeral.privateKey, recipient), await ecdh(sender.privateKey, recipient));
  const head = {
    v: WRAP_VERSION,
    alg: WRAP_ALGORITHM,
    ...keyInfoOf(info),
    to: await deviceKeyIdOf(recipientSpki),
    fromKey: sender.publicKeySpki,
    epk: ephemeral.publicKeySpki,
  } as const;
  const aad = header(head, sender.deviceKeyId);
  const kek = await deriveKek(ikm, aad);
  const nonce = randomBytes(NONCE_BYTES);
  // wrapKey = export + encrypt inside WebCrypto (MDN SubtleCrypto.wrapKey); AES-GCM authenticates the header as additional data.
  const wrapped = await crypto.subtle.wrapKey('raw', key, kek, { name: 'AES-GCM', iv: nonce, additionalData: aad });
  return { ...head, nonce: toBase64url(nonce), wrapped: toBase64url(bytesOf(wrapped)) };
}

/** Library-internal: unwraps with a chosen extractability (true only to re-wrap at once: approval, backup). */
export async function unwrapFromRecord(record: unknown, device: DeviceKeyPair, extractable: boolean): Promise<UnwrappedKey> {
  const parsed = WrappedKey.safeParse(record);
  if (!parsed.success) throw new UnreadableError('malformed', 'not a wrapped key record');
  const r = parsed.data;
  if (r.to !== device.deviceKeyId) throw new UnreadableError('unknown-key', 'this key was wrapped for another device');
  let epk: CryptoKey, senderKey: CryptoKey, nonce: Uint8Array<ArrayBuffer>, wrapped: Uint8Array<ArrayBuffer>;
  try {
    [epk, senderKey] = await Promise.all([importPublicKey(r.epk), importPublicKey(r.fromKey)]);
    nonce = fromBase64url(r.nonce);
    wrapped = fromBase64url(r.wrapped);
  } catch {
    throw new UnreadableError('malformed', 'bad key or encoding in wrapped key record');
  }
  if (nonce.length !== NONCE_BYTES) throw new UnreadableError('malformed', 'bad nonce length');
  const fromId = await deviceKeyIdOf(r.fromKey);
  const ikm = concatBytes(await ecdh(device.privateKey, epk), await ecdh(device.privateKey, senderKey));
  const aad = header(r, fromId);
  let key: CryptoKey;
  try {
    const kek = await deriveKek(ikm, aad);
    key = await crypto.subtle.unwrapKey('raw', wrapped, kek, { name: 'AES-GCM', iv: nonce, additionalData: aad }, AES_GCM_256, extractable, [
      'encrypt',
      'decrypt',
    ]);
  } catch {
    throw new UnreadableError('tampered', 'wrapped key failed authentication');
  }
  const info = keyInfoOf(r);
  // The check is authenticated with the wrap; a key that fails it was wrapped inconsistently by its sender.
  if (!(await verifyKeyCheck(key, info))) throw new UnreadableError('tampered', 'wrapped key does not match its key check');
  return { key: { ...info, key }, wrappedBy: { deviceKeyId: fromId, publicKeySpki: r.fromKey } };
}

/**
 * Unwraps a record addressed to this device. The key comes back non-extractable (usages encrypt/decrypt).
 * Throws UnreadableError: `malformed`, `unknown-key` (addressed to another device) or `tampered`.
 */
export function unwrapKeyRecord(record: unknown, device: DeviceKeyPair): Promise<UnwrappedKey> {
  return unwrapFromRecord(record, device, false);
}

/**
 * Re-wraps a key this device holds (its own record of it) to another device's public key, signed-for by this
 * device. The key exists as extractable only inside this call.
 */
export async function rewrapKeyRecord(record: unknown, device: DeviceKeyPair, recipientSpki: string): Promise<WrappedKey> {
  const { key } = await unwrapFromRecord(record, device, true);
  return wrapToDevice(key.key, key, device, recipientSpki);
}

export interface CreatedKey {
  /** Ready for use on this device: non-extractable. */
  key: SymmetricKey;
  /** One record per recipient device, in the order given. Store them on the server; keep this device's own. */
  wrapped: WrappedKey[];
}

/**
 * Makes a pair key or personal key and wraps it to every recipient device (include this device's own public key,
 * so it can later approve new devices and write backups).
 */
export async function createSymmetricKey(options: {
  kind: KeyKind;
  scope: string;
  sender: DeviceKeyPair;
  recipients: readonly string[];
  now?: Date;
}): Promise<CreatedKey> {
  if (options.recipients.length === 0) throw new RangeError('a key must be wrapped to at least one device');
  const { key, info } = await generateExtractableKey(options.kind, options.scope, options.now ?? new Date());
  const wrapped = await Promise.all(options.recipients.map((spki) => wrapToDevice(key, info, options.sender, spki)));
  return { key: { ...info, key: await toNonExtractable(key) }, wrapped };
}
