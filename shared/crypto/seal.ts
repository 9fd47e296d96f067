/**
 * Field encryption for record text: `seal` turns one field's text into one compact string, `open` turns it back or
 * refuses with a reason. Never garbage.
 *
 *   a1.<keyId>.<nonce>.<ciphertext‖tag>      (version, 16-char key id, 96-bit nonce, base64url)
 *
 * AES-256-GCM with additional data binding version, key id, pair id, record id and field name: a ciphertext copied
 * to another record, pair or field fails authentication. The nonce is 96 random bits per message. NIST SP 800-38D
 * §8.3 caps random-IV use at 2^32 messages per key (keeping the chance of a repeated IV under 2^-32); a pair that
 * writes 1,000 fields a day would take over 11,000 years to get there, so one pair key lasts the life of a pair and
 * rotation (key-ring.ts) is for membership changes, not wear. The key check makes `wrong-key` distinguishable from
 * `tampered`.
 */
import { z } from 'zod';
import { fromBase64url, toBase64url } from './base64url.ts';
import { bytesOf, fromUtf8, label, randomBytes, utf8 } from './bytes.ts';
import { UnreadableError } from './errors.ts';
import { NONCE_BYTES, TAG_BYTES, verifyKeyCheck, type SymmetricKey } from './symmetric-keys.ts';

export const SEAL_VERSION = 'a1';

/** Where a sealed field lives. All three are bound into the ciphertext. */
export interface SealContext {
  pairId: string;
  recordId: string;
  /** The field name, e.g. 'body', 'title', 'smart.measurable'. */
  field: string;
}

// version . keyId (16) . nonce (12 bytes → 16 chars) . ciphertext+tag (≥ 16 bytes → ≥ 22 chars)
const SEALED = /^a1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22,}$/;

/** A sealed field, shape only (the API cannot check more: it holds no keys). Use where the API requires ciphertext. */
export const Sealed = z.string().regex(SEALED, 'expected a sealed value (a1.<keyId>.<nonce>.<ciphertext>)');
export type Sealed = z.infer<typeof Sealed>;

export const isSealed = (value: unknown): value is Sealed => typeof value === 'string' && SEALED.test(value);

const additionalData = (keyId: string, c: SealContext) => label('alongside/seal', SEAL_VERSION, keyId, c.pairId, c.recordId, c.field);

function checkContext(c: SealContext): void {
  if (!c.pairId || !c.recordId || !c.field) throw new TypeError('seal context needs pairId, recordId and field');
}

/** Encrypts one field's text with `key` (a pair key or personal key) for the given place. */
export async function seal(options: { key: SymmetricKey; plaintext: string; context: SealContext }): Promise<Sealed> {
  const { key, plaintext, context } = options;
  checkContext(context);
  const nonce = randomBytes(NONCE_BYTES);
  // AES-GCM with additionalData (MDN SubtleCrypto.encrypt / AesGcmParams; W3C WebCrypto "AES-GCM" encrypt operation).
  const ciphertext = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv: nonce, additionalData: additionalData(key.keyId, context) },
    key.key,
    utf8(plaintext),
  );
  return `${SEAL_VERSION}.${key.keyId}.${toBase64url(nonce)}.${toBase64url(bytesOf(ciphertext))}`;
}

/** The key id a sealed value names, or undefined when it is not a sealed value. */
export function keyIdOf(sealed: string): string | undefined {
  return isSealed(sealed) ? sealed.split('.')[1] : undefined;
}

/**
 * Decrypts a sealed field. `keys` is every key that may have sealed it (a ring's keys, or one key).
 * Throws UnreadableError: `malformed`, `unknown-key`, `wrong-key` or `tampered`.
 */
export async function open(options: { keys: SymmetricKey | readonly SymmetricKey[]; sealed: string; context: SealContext }): Promise<string> {
  const { sealed, context } = options;
  checkContext(context);
  const [version, keyId, nonceText, ciphertextText, ...rest] = sealed.split('.');
  if (version !== SEAL_VERSION || keyId === undefined || nonceText === undefined || ciphertextText === undefined || rest.length > 0) {
    throw new UnreadableError('malformed', 'not a sealed value');
  }
  let nonce: Uint8Array<ArrayBuffer>, ciphertext: Uint8Array<ArrayBuffer>;
  try {
    nonce = fromBase64url(nonceText);
    ciphertext = fromBase64url(ciphertextText);
  } catch {
    throw new UnreadableError('malformed', 'sealed value is not base64url');
  }
  if (!/^[A-Za-z0-9_-]{16}$/.test(keyId) || nonce.length !== NONCE_BYTES || ciphertext.length < TAG_BYTES) {
    throw new UnreadableError('malformed', 'sealed value has wrong lengths');
  }
  const keys: readonly SymmetricKey[] = 'keyId' in options.keys ? [options.keys] : options.keys;
  const key = keys.find((k) => k.keyId === keyId);
  if (!key) throw new UnreadableError('unknown-key', `no key ${keyId} on this device`);
  let plain: ArrayBuffer;
  try {
    plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: nonce, additionalData: additionalData(keyId, context) }, key.key, ciphertext);
  } catch {
    // GCM cannot say why; the key check can: is this the key that id names?
    if (await verifyKeyCheck(key.key, key)) throw new UnreadableError('tampered', 'ciphertext failed authentication');
    throw new UnreadableError('wrong-key', `the key held as ${keyId} is not the key this was sealed with`);
  }
  try {
    return fromUtf8(bytesOf(plain));
  } catch {
    throw new UnreadableError('malformed', 'decrypted bytes are not UTF-8');
  }
}
