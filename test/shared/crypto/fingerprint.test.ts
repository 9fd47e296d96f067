import { describe, expect, it } from 'vitest';
import { createDeviceKeyPair, exportPublicKey } from '../../../shared/crypto/device-keys.ts';
import { deviceFingerprint, groupDigits, personFingerprint, safetyNumber } from '../../../shared/crypto/fingerprint.ts';
import { fromBase64url, toBase64url } from '../../../shared/crypto/base64url.ts';
import { person } from './helpers.ts';

const keysOf = (p: { id: string; devices: { publicKeySpki: string }[] }) => ({ personId: p.id, devicePublicKeys: p.devices.map((d) => d.publicKeySpki) });

describe('fingerprints and safety numbers', () => {
  it('a device fingerprint is 6 groups of 5 digits and stable for the same key', async () => {
    const device = await createDeviceKeyPair();
    const a = await deviceFingerprint(device.publicKeySpki);
    expect(a).toMatch(/^\d{5}( \d{5}){5}$/);
    expect(await deviceFingerprint(await exportPublicKey(device.publicKey))).toBe(a);
    expect(await deviceFingerprint((await createDeviceKeyPair()).publicKeySpki)).not.toBe(a);
  });

  it('encodes chunks as Signal does: 5 bytes big-endian mod 100000, zero-padded', async () => {
    // SHA-256 of the empty input, a known vector: e3b0c442 98fc1c14 9afbf4c8 996fb924 27ae41e4 649b934c a495991b 7852b855
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new Uint8Array(0)));
    expect(digest[0]).toBe(0xe3);
    const first = ((0xe3 * 2 ** 32 + 0xb0c44298) % 100000).toString().padStart(5, '0');
    // deviceFingerprint hashes the SPKI bytes, so feed it the empty byte string directly via base64url ''.
    expect((await deviceFingerprint(toBase64url(new Uint8Array(0)))).slice(0, 5)).toBe(first);
    expect(groupDigits('123456789012')).toBe('12345 67890 12');
  });

  it('the safety number is identical from both sides: 12 groups of 5 digits', async () => {
    const [ada, theo] = [await person('ada', 2), await person('theo')];
    const fromAda = await safetyNumber(keysOf(ada), keysOf(theo));
    const fromTheo = await safetyNumber(keysOf(theo), keysOf(ada));
    expect(fromAda).toBe(fromTheo);
    expect(fromAda).toMatch(/^\d{5}( \d{5}){11}$/);
    // Device order does not matter either.
    expect(await safetyNumber({ ...keysOf(ada), devicePublicKeys: [...keysOf(ada).devicePublicKeys].reverse() }, keysOf(theo))).toBe(fromAda);
    // It is both people's fingerprints, smaller first.
    const [fa, ft] = [await personFingerprint(keysOf(ada)), await personFingerprint(keysOf(theo))];
    expect(fromAda).toBe(fa <= ft ? `${fa} ${ft}` : `${ft} ${fa}`);
  });

  it('changes when a key changes, a device is added, or the person id differs', async () => {
    const [ada, theo] = [await person('ada'), await person('theo')];
    const base = await safetyNumber(keysOf(ada), keysOf(theo));
    const replaced = { ...keysOf(theo), devicePublicKeys: [(await createDeviceKeyPair()).publicKeySpki] };
    expect(await safetyNumber(keysOf(ada), replaced)).not.toBe(base);
    const added = { ...keysOf(ada), devicePublicKeys: [...keysOf(ada).devicePublicKeys, (await createDeviceKeyPair()).publicKeySpki] };
    expect(await safetyNumber(added, keysOf(theo))).not.toBe(base);
    expect(await safetyNumber({ ...keysOf(ada), personId: 'ada2' }, keysOf(theo))).not.toBe(base);
    // One flipped bit in one SPKI byte changes it too.
    const spki = fromBase64url(ada.devices[0]!.publicKeySpki);
    spki[spki.length - 1] = (spki[spki.length - 1] ?? 0) ^ 1;
    expect(await safetyNumber({ ...keysOf(ada), devicePublicKeys: [toBase64url(spki)] }, keysOf(theo))).not.toBe(base);
  });
});
