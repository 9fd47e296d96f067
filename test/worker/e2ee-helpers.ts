/**
 * End-to-end encryption set-ups through the API (issue 10), for tests of routes that behave differently once a pair
 * is encrypted or that need devices: real keys from the crypto core (workerd has WebCrypto).
 */
import { expect } from 'vitest';
import { createDeviceKeyPair, createSymmetricKey, type DeviceKeyPair, type SymmetricKey, type WrappedKey } from '../../shared/crypto/index.ts';
import type { DeviceKey } from '../../shared/schemas/index.ts';
import { type Programme, type SeededUser, call, expectJson, uuid } from './helpers.ts';

const api = (path: string) => `/api/v1${path}`;

/** Makes a device key pair and registers it for `user` (POST /me/devices); returns it with the stored device. */
export async function registerDevice(user: SeededUser, label = 'Laptop'): Promise<DeviceKeyPair & { stored: DeviceKey }> {
  const pair = await createDeviceKeyPair();
  const res = await call('POST', api('/me/devices'), { token: user.token, body: { publicKeySpki: pair.publicKeySpki, label } });
  const { device } = await expectJson<{ device: DeviceKey }>(res, 201);
  return { ...pair, stored: device };
}

export const publishPairKeys = (pairId: string, user: SeededUser, records: WrappedKey[]) =>
  call('POST', api(`/pairs/${pairId}/keys`), { token: user.token, body: { records }, headers: { 'idempotency-key': `keys-${uuid()}` } });

export const publishPersonalKeys = (user: SeededUser, records: WrappedKey[]) => call('POST', api('/me/keys'), { token: user.token, body: { records } });

/**
 * Encrypts the pair: a first device for each member, and a pair key made by the mentor's device and wrapped to both.
 * From then on the pair's text fields take ciphertext only.
 */
export async function encryptPair(p: Programme): Promise<{ mentorDevice: DeviceKeyPair; menteeDevice: DeviceKeyPair; pairKey: SymmetricKey; records: WrappedKey[] }> {
  const mentorDevice = await registerDevice(p.mentor);
  const menteeDevice = await registerDevice(p.mentee);
  const created = await createSymmetricKey({ kind: 'pair', scope: p.pairId, sender: mentorDevice, recipients: [mentorDevice.publicKeySpki, menteeDevice.publicKeySpki] });
  expect((await publishPairKeys(p.pairId, p.mentor, created.wrapped)).status).toBe(200);
  return { mentorDevice, menteeDevice, pairKey: created.key, records: created.wrapped };
}
