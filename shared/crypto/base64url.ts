/**
 * Base64url without padding (RFC 4648 §5), the one text form of bytes in every crypto record and sealed string:
 * its alphabet has no '.', so it can sit between the dots of `a1.<keyId>.<nonce>.<ciphertext>`.
 * btoa/atob exist in browsers, workerd and Node, so this needs no Buffer.
 */

const BASE64URL = /^[A-Za-z0-9_-]*$/;

export function toBase64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

/** Strict decoding: throws a TypeError on any character outside the alphabet or an impossible length. */
export function fromBase64url(text: string): Uint8Array<ArrayBuffer> {
  // A length of 4n+1 cannot come from whole bytes.
  if (!BASE64URL.test(text) || text.length % 4 === 1) throw new TypeError('not base64url');
  const binary = atob(text.replaceAll('-', '+').replaceAll('_', '/'));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  // Reject non-canonical trailing bits, so every byte string has exactly one text form.
  if (toBase64url(bytes) !== text) throw new TypeError('not canonical base64url');
  return bytes;
}
