import { fromBase64url, toBase64url } from '../../../shared/crypto/base64url.ts';
import { createDeviceKeyPair, type DeviceKeyPair } from '../../../shared/crypto/device-keys.ts';

/** Flips one bit of the bytes of part `part` (1 = key id … 2 = nonce, 3 = ciphertext‖tag) of a dotted string. */
export function flipBit(dotted: string, part: number, byteIndex: number, bit = 0): string {
  const parts = dotted.split('.');
  const text = parts[part];
  if (text === undefined) throw new Error(`no part ${part}`);
  const bytes = fromBase64url(text);
  const index = byteIndex < 0 ? bytes.length + byteIndex : byteIndex;
  bytes[index] = (bytes[index] ?? 0) ^ (1 << bit);
  parts[part] = toBase64url(bytes);
  return parts.join('.');
}

export interface Person {
  id: string;
  devices: DeviceKeyPair[];
}

export async function person(id: string, deviceCount = 1): Promise<Person> {
  return { id, devices: await Promise.all(Array.from({ length: deviceCount }, () => createDeviceKeyPair())) };
}

export const publicKeys = (...people: Person[]): string[] => people.flatMap((p) => p.devices.map((d) => d.publicKeySpki));

/** The reason of the UnreadableError a promise rejects with (fails the test on success or another error). */
export async function reasonOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error && error.name === 'UnreadableError' && 'reason' in error) return String(error.reason);
    throw error;
  }
  throw new Error('expected UnreadableError, but it succeeded');
}
