/**
 * Adding a device by approving it from one the person already has:
 *   1. the new device makes its key pair (device-keys.ts), publishes the public key and shows `approvalCode` of it;
 *   2. the person opens an existing device, which fetches the new public key from the server and asks for the code
 *      on the new device's screen: `approveDevice` refuses unless it matches, so a key swapped in by the server
 *      (man in the middle) is not approved;
 *   3. the existing device re-wraps each key it holds (personal key, every pair key of every ring) to the new device;
 *   4. the new device unwraps them (key-wrap.ts `unwrapKeyRecord`) and reads everything.
 */
import { deviceFingerprint } from './fingerprint.ts';
import type { DeviceKeyPair } from './device-keys.ts';
import { rewrapKeyRecord, type WrappedKey } from './key-wrap.ts';

/**
 * The code a new device shows: the first 4 of the 6 groups of its key's fingerprint (20 digits, about 66 bits).
 * Finding another key with the same code within an approval takes ~2^66 key generations; a shorter code would be
 * within reach of a server willing to grind keys.
 */
export async function approvalCode(newDevicePublicKeySpki: string): Promise<string> {
  return (await deviceFingerprint(newDevicePublicKeySpki)).split(' ').slice(0, 4).join(' ');
}

export class ApprovalCodeMismatchError extends Error {
  override readonly name = 'ApprovalCodeMismatchError';
  constructor() {
    super('The code does not match the one on the new device. Do not approve it: start again on the new device.');
  }
}

/**
 * Wraps every key this device holds (its own records) to the new device, once the person has confirmed the code
 * the new device shows. Only digits count in `confirmedCode` (spaces and dashes are ignored).
 */
export async function approveDevice(options: {
  device: DeviceKeyPair;
  records: readonly WrappedKey[];
  newDevicePublicKeySpki: string;
  confirmedCode: string;
}): Promise<WrappedKey[]> {
  const expected = (await approvalCode(options.newDevicePublicKeySpki)).replace(/\D/g, '');
  if (options.confirmedCode.replace(/\D/g, '') !== expected) throw new ApprovalCodeMismatchError();
  return Promise.all(options.records.map((record) => rewrapKeyRecord(record, options.device, options.newDevicePublicKeySpki)));
}
