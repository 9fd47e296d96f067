/**
 * Human-comparable fingerprints, after Signal's safety numbers: each side is 30 digits (six chunks of five bytes of
 * a hash, each read big-endian modulo 100000), and the number two people compare is both sides, ordered
 * lexicographically, so it reads the same on both screens: 60 digits in 12 groups of 5.
 * (signalapp/libsignal-protocol-java, java/src/main/java/org/whispersystems/libsignal/fingerprint/DisplayableFingerprint.java)
 *
 * A person here has one key pair per device (see index.ts), so a person's fingerprint covers the set of their device
 * keys: adding or replacing a device changes it, exactly as Signal's number changes on a new phone. That is the point:
 * every device key is a place the pair key is wrapped to, and the server must not be able to add one unseen.
 */
import { fromBase64url } from './base64url.ts';
import { bytesOf, label } from './bytes.ts';
import { deviceKeyIdOf } from './device-keys.ts';

const CHUNKS = 6;
const CHUNK_BYTES = 5;

/** 30 digits from the first 30 bytes of a hash, as Signal's DisplayableFingerprint does. */
function digitsOf(hash: Uint8Array): string {
  if (hash.length < CHUNKS * CHUNK_BYTES) throw new RangeError('hash too short for a fingerprint');
  let digits = '';
  for (let c = 0; c < CHUNKS; c++) {
    let value = 0;
    // 5 bytes = 40 bits: well inside Number's 53-bit exact range.
    for (let b = 0; b < CHUNK_BYTES; b++) value = value * 256 + (hash[c * CHUNK_BYTES + b] ?? 0);
    digits += String(value % 100_000).padStart(5, '0');
  }
  return digits;
}

/** "12345 67890 …": groups of five digits separated by spaces. */
export function groupDigits(digits: string): string {
  return (digits.match(/\d{1,5}/g) ?? []).join(' ');
}

async function sha256(data: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  // SHA-256 (MDN SubtleCrypto.digest, https://developer.mozilla.org/docs/Web/API/SubtleCrypto/digest).
  return bytesOf(await crypto.subtle.digest('SHA-256', data));
}

/** A device key's fingerprint: SHA-256 of its SPKI as 6 groups of 5 digits. Stable for the same key. */
export async function deviceFingerprint(publicKeySpki: string): Promise<string> {
  return groupDigits(digitsOf(await sha256(fromBase64url(publicKeySpki))));
}

export interface PersonKeys {
  /** The person's stable id (Signal hashes a stable identifier with the key, so a key cannot be passed off as another person's). */
  personId: string;
  /** SPKI (base64url) of every device key the person has. Order does not matter. */
  devicePublicKeys: readonly string[];
}

/** A person's fingerprint over their id and all their device keys (sorted, so order-independent): 30 digits. */
export async function personFingerprint(person: PersonKeys): Promise<string> {
  if (person.devicePublicKeys.length === 0) throw new RangeError('a person needs at least one device key');
  const ids = (await Promise.all(person.devicePublicKeys.map(deviceKeyIdOf))).sort();
  return groupDigits(digitsOf(await sha256(label('alongside/person-fingerprint', 'v1', person.personId, ...ids))));
}

/**
 * The safety number of two people: both fingerprints, the smaller first, so each side computes the same 60 digits
 * (12 groups of 5). It changes whenever either person's set of device keys changes.
 */
export async function safetyNumber(a: PersonKeys, b: PersonKeys): Promise<string> {
  const [fa, fb] = await Promise.all([personFingerprint(a), personFingerprint(b)]);
  return fa <= fb ? `${fa} ${fb}` : `${fb} ${fa}`;
}
