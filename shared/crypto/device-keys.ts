/**
 * A device's own ECDH key pair. The private key is made non-extractable and is meant to be stored as a CryptoKey in
 * the extension origin's IndexedDB (structured clone keeps it usable and still non-extractable); only the public
 * key ever leaves the device, as SPKI in base64url.
 */
import { fromBase64url, toBase64url } from './base64url.ts';
import { bytesOf } from './bytes.ts';

// ECDH on NIST P-256: supported for deriveBits in every WebCrypto (Chrome, Firefox, Safari, workerd, Node) and
// "Baseline widely available since January 2020" (MDN SubtleCrypto.deriveKey, https://developer.mozilla.org/docs/Web/API/SubtleCrypto/deriveKey).
// X25519 (WICG Secure Curves, https://wicg.github.io/webcrypto-secure-curves/) only shipped in all three engines in
// 2025 (Igalia, https://blogs.igalia.com/jfernandez/2025/02/28/can-i-use-secure-curves-in-the-web-platform/), so older
// browsers still in use would be locked out; records name their algorithm (`alg`) so X25519 can be added later.
export const DEVICE_KEY_ALGORITHM = { name: 'ECDH', namedCurve: 'P-256' } as const;

export interface DeviceKeyPair {
  /** Non-extractable; usage `deriveBits` only. */
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  /** The public key as SPKI, base64url: what the server publishes for this device. */
  publicKeySpki: string;
  /** base64url(SHA-256(SPKI)): a stable id for this device key, used to address wrapped keys to it. */
  deviceKeyId: string;
}

const isKeyPair = (key: CryptoKey | CryptoKeyPair): key is CryptoKeyPair => 'privateKey' in key && 'publicKey' in key;

/** Makes this device's key pair. The private key cannot be exported or wrapped, ever (`extractable: false`). */
export async function createDeviceKeyPair(): Promise<DeviceKeyPair> {
  // generateKey(..., extractable=false) applies to the private key; public keys are always exportable (W3C WebCrypto, "ECDH generate key").
  const pair = await crypto.subtle.generateKey(DEVICE_KEY_ALGORITHM, false, ['deriveBits']);
  if (!isKeyPair(pair)) throw new TypeError('ECDH generateKey did not return a key pair');
  const publicKeySpki = await exportPublicKey(pair.publicKey);
  return { privateKey: pair.privateKey, publicKey: pair.publicKey, publicKeySpki, deviceKeyId: await deviceKeyIdOf(publicKeySpki) };
}

export async function exportPublicKey(publicKey: CryptoKey): Promise<string> {
  // SPKI is the standard DER form of a public key (MDN SubtleCrypto.exportKey, "SubjectPublicKeyInfo format").
  return toBase64url(bytesOf(await crypto.subtle.exportKey('spki', publicKey)));
}

/** Imports a published device public key. Throws a TypeError when it is not a P-256 SPKI. */
export async function importPublicKey(spki: string): Promise<CryptoKey> {
  try {
    return await crypto.subtle.importKey('spki', fromBase64url(spki), DEVICE_KEY_ALGORITHM, true, []);
  } catch {
    throw new TypeError('not a P-256 public key (SPKI, base64url)');
  }
}

/** base64url(SHA-256(SPKI bytes)). */
export async function deviceKeyIdOf(spki: string): Promise<string> {
  // SHA-256 (MDN SubtleCrypto.digest, https://developer.mozilla.org/docs/Web/API/SubtleCrypto/digest).
  return toBase64url(bytesOf(await crypto.subtle.digest('SHA-256', fromBase64url(spki))));
}

/**
 * ECDH shared secret between a private key and a peer's public key: 256 raw bits, only ever fed into HKDF.
 * deriveBits rather than deriveKey so the bits can be combined (auth mode) before key derivation.
 */
export async function ecdh(privateKey: CryptoKey, peerPublicKey: CryptoKey): Promise<Uint8Array<ArrayBuffer>> {
  // ECDH deriveBits with EcdhKeyDeriveParams { name, public } (MDN, https://developer.mozilla.org/docs/Web/API/EcdhKeyDeriveParams).
  // Built as a variable, not a literal: workers-types spells the member `$public`, the DOM and the spec `public`.
  const params = { name: 'ECDH', public: peerPublicKey };
  return bytesOf(await crypto.subtle.deriveBits(params, privateKey, 256));
}
