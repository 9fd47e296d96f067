/**
 * End-to-end encryption checks shared by routes (issue 10): the SPKI of a device key, and "ciphertext only" once a
 * pair is encrypted.
 */
import { deviceKeyIdOf, fromBase64url, isSealed, toBase64url } from '../../shared/crypto/index.ts';
import { pairEncryptedSince } from '../db/keys.ts';
import type { Db } from '../env.ts';
import { ApiError } from './errors.ts';

export const CIPHERTEXT_REQUIRED = "This pair's notes are end-to-end encrypted: send ciphertext";

const invalid = (path: (string | number)[], message: string) => new ApiError(400, 'invalid_input', `${path.join('.')}: ${message}`, { issues: [{ path, message }] });

/**
 * Checks a device public key by importing it as an ECDH P-256 key (the Workers runtime implements WebCrypto's
 * importKey with ECDH P-256 in 'spki' format: https://developers.cloudflare.com/workers/runtime-apis/web-crypto/;
 * EcKeyImportParams: https://developer.mozilla.org/docs/Web/API/EcKeyImportParams), and that it is in its one
 * canonical form: exporting it again gives the same bytes (MDN SubtleCrypto.exportKey, 'spki'), so one key cannot be
 * registered under two ids (its id is the hash of these bytes). Returns the device key id.
 */
export async function checkDeviceSpki(spki: string, path: (string | number)[]): Promise<string> {
  let exported: string;
  try {
    const key = await crypto.subtle.importKey('spki', fromBase64url(spki), { name: 'ECDH', namedCurve: 'P-256' }, true, []);
    exported = toBase64url(new Uint8Array(await crypto.subtle.exportKey('spki', key)));
  } catch {
    throw invalid(path, 'Not a P-256 public key (SPKI, base64url)');
  }
  if (exported !== spki) throw invalid(path, 'Not the canonical SPKI encoding of this key; send what exportKey("spki") gives');
  return deviceKeyIdOf(spki);
}

/**
 * Once a pair's notes are end-to-end encrypted (pairs.encrypted_since, set when its first pair key is published),
 * every text field sent for it must be a sealed value; before that, plain text is accepted as before. `fields` are
 * the text fields of the request (undefined: not sent). An empty field holds no text, so there is nothing to seal
 * (a goal's SMART fields and a revision's note may be left empty).
 */
export async function requireCiphertextOnceEncrypted(db: Db, pairId: string, fields: Record<string, string | undefined>): Promise<void> {
  const plain = Object.entries(fields).filter(([, value]) => value !== undefined && value !== '' && !isSealed(value));
  if (plain.length === 0) return;
  if ((await pairEncryptedSince(db, pairId)) === null) return;
  const issues = plain.map(([field]) => ({ path: [field], message: CIPHERTEXT_REQUIRED }));
  throw new ApiError(400, 'invalid_input', `${plain.map(([f]) => f).join(', ')}: ${CIPHERTEXT_REQUIRED}`, { issues });
}
