/**
 * The symmetric keys that encrypt text: a pair key per pair (shared entries) and a personal key per person (private
 * entries). Both are AES-256-GCM. In use they are non-extractable CryptoKeys; their bytes only ever move inside
 * WebCrypto (wrapKey/unwrapKey), never as JS values.
 */
import { fromBase64url, toBase64url } from './base64url.ts';
import { bytesOf, label, randomBytes } from './bytes.ts';

export type KeyKind = 'pair' | 'personal';

/** What describes a key without being it. Travels in plain text beside wrapped copies (authenticated, not secret). */
export interface KeyInfo {
  kind: KeyKind;
  /** The pair id of a pair key; the person id of a personal key. */
  scope: string;
  /** 12 random bytes, base64url (16 characters). Named in every ciphertext made with the key. */
  keyId: string;
  /** When the key was made (ISO 8601): the newest key of a ring is the one new writes use. */
  createdAt: string;
  /** Key check value: proves a key is *the* key with this id, so a mismatch reads as `wrong-key`, not `tampered`. */
  check: string;
}

export interface SymmetricKey extends KeyInfo {
  /** AES-256-GCM, usages encrypt/decrypt; non-extractable when handed out by this library. */
  key: CryptoKey;
}

// AES-GCM with a 256-bit key (MDN SubtleCrypto.generateKey / AesKeyGenParams, https://developer.mozilla.org/docs/Web/API/AesKeyGenParams).
export const AES_GCM_256 = { name: 'AES-GCM', length: 256 } as const;
// 96-bit nonces: the IV length NIST SP 800-38D §5.2.1.1 recommends, and random construction per §8.2.2.
export const NONCE_BYTES = 12;
// GCM's full 128-bit tag, the WebCrypto default (MDN AesGcmParams.tagLength, https://developer.mozilla.org/docs/Web/API/AesGcmParams).
export const TAG_BYTES = 16;

const KEY_ID_BYTES = 12;
export const KEY_ID_PATTERN = /^[A-Za-z0-9_-]{16}$/;

export const newKeyId = (): string => toBase64url(randomBytes(KEY_ID_BYTES));

const checkLabel = (info: Omit<KeyInfo, 'check'>) =>
  label('alongside/key-check', 'v1', info.kind, info.scope, info.keyId, info.createdAt);

/**
 * A key check value: AES-GCM over the empty message with the key's own description as additional data, under a
 * random nonce. It is one ordinary GCM message under the key (a random nonce like any other), so it costs nothing
 * against the per-key message limit and reveals nothing about the key.
 */
export async function makeKeyCheck(key: CryptoKey, info: Omit<KeyInfo, 'check'>): Promise<string> {
  const nonce = randomBytes(NONCE_BYTES);
  // AES-GCM encrypt with additionalData (MDN AesGcmParams, https://developer.mozilla.org/docs/Web/API/AesGcmParams).
  const tag = await crypto.subtle.encrypt({ name: 'AES-GCM', iv: nonce, additionalData: checkLabel(info) }, key, new Uint8Array(0));
  return `${toBase64url(nonce)}.${toBase64url(bytesOf(tag))}`;
}

/** True when `key` is the key `info` describes. False for any other key or a malformed check. */
export async function verifyKeyCheck(key: CryptoKey, info: KeyInfo): Promise<boolean> {
  const [nonce, tag, ...rest] = info.check.split('.');
  if (nonce === undefined || tag === undefined || rest.length > 0) return false;
  try {
    const iv = fromBase64url(nonce);
    const data = fromBase64url(tag);
    if (iv.length !== NONCE_BYTES || data.length !== TAG_BYTES) return false;
    await crypto.subtle.decrypt({ name: 'AES-GCM', iv, additionalData: checkLabel(info) }, key, data);
    return true;
  } catch {
    return false;
  }
}

/**
 * A fresh AES-256-GCM key, extractable so it can be wrapped to devices right after, with its description.
 * Library-internal: callers get keys from `createSymmetricKey` (key-wrap.ts), which never returns this copy.
 */
export async function generateExtractableKey(kind: KeyKind, scope: string, now: Date): Promise<{ key: CryptoKey; info: KeyInfo }> {
  if (scope === '') throw new TypeError('a key needs a scope (pair id or person id)');
  const key = await crypto.subtle.generateKey(AES_GCM_256, true, ['encrypt', 'decrypt']);
  if (!('type' in key)) throw new TypeError('AES generateKey returned a key pair');
  const described = { kind, scope, keyId: newKeyId(), createdAt: now.toISOString() };
  return { key, info: { ...described, check: await makeKeyCheck(key, described) } };
}

/**
 * A non-extractable copy of an extractable AES-GCM key, made without the key bytes ever becoming a JS value: wrap
 * under a throwaway non-extractable AES-KW key, unwrap as non-extractable.
 */
export async function toNonExtractable(key: CryptoKey): Promise<CryptoKey> {
  // AES-KW (RFC 3394) needs no IV and wraps a 256-bit key (a multiple of 64 bits) (MDN SubtleCrypto.wrapKey, "AES-KW",
  // https://developer.mozilla.org/docs/Web/API/SubtleCrypto/wrapKey).
  const kw = await crypto.subtle.generateKey({ name: 'AES-KW', length: 256 }, false, ['wrapKey', 'unwrapKey']);
  if (!('type' in kw)) throw new TypeError('AES-KW generateKey returned a key pair');
  const wrapped = await crypto.subtle.wrapKey('raw', key, kw, 'AES-KW');
  return crypto.subtle.unwrapKey('raw', wrapped, kw, 'AES-KW', AES_GCM_256, false, ['encrypt', 'decrypt']);
}

export const keyInfoOf = ({ kind, scope, keyId, createdAt, check }: KeyInfo): KeyInfo => ({ kind, scope, keyId, createdAt, check });
