import { describe, expect, it } from 'vitest';
import { createDeviceKeyPair } from '../../../shared/crypto/device-keys.ts';
import { WrappedKey, createSymmetricKey, rewrapKeyRecord, unwrapKeyRecord } from '../../../shared/crypto/key-wrap.ts';
import { open, seal } from '../../../shared/crypto/seal.ts';
import { toBase64url } from '../../../shared/crypto/base64url.ts';
import { person, reasonOf } from './helpers.ts';

const context = { pairId: 'pair-1', recordId: 'entry-1', field: 'body' };

describe('device keys', () => {
  it('makes a non-extractable private key and a public SPKI key', async () => {
    const device = await createDeviceKeyPair();
    expect(device.privateKey.extractable).toBe(false);
    expect(device.privateKey.usages).toEqual(['deriveBits']);
    await expect(crypto.subtle.exportKey('pkcs8', device.privateKey)).rejects.toThrow();
    await expect(crypto.subtle.exportKey('jwk', device.privateKey)).rejects.toThrow();
    expect(device.publicKeySpki).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(device.deviceKeyId).toHaveLength(43); // SHA-256, base64url
  });
});

describe('wrapping a pair key to device public keys', () => {
  it('round-trips: the recipient unwraps a key that opens what the creator sealed', async () => {
    const [ada, theo] = [await person('ada'), await person('theo')];
    const created = await createSymmetricKey({
      kind: 'pair',
      scope: 'pair-1',
      sender: ada.devices[0]!,
      recipients: [ada.devices[0]!.publicKeySpki, theo.devices[0]!.publicKeySpki],
    });
    expect(created.wrapped).toHaveLength(2);
    const sealed = await seal({ key: created.key, plaintext: 'We agreed on a 30-60-90 plan', context });
    const { key, wrappedBy } = await unwrapKeyRecord(created.wrapped[1], theo.devices[0]!);
    expect(key.keyId).toBe(created.key.keyId);
    expect(wrappedBy.deviceKeyId).toBe(ada.devices[0]!.deviceKeyId);
    expect(await open({ keys: key, sealed, context })).toBe('We agreed on a 30-60-90 plan');
  });

  it('the wrapped record is JSON-safe strings only and survives a JSON round trip', async () => {
    const ada = await person('ada');
    const { wrapped } = await createSymmetricKey({ kind: 'personal', scope: 'ada', sender: ada.devices[0]!, recipients: [ada.devices[0]!.publicKeySpki] });
    const record = wrapped[0]!;
    for (const value of Object.values(record)) expect(typeof value).toBe('string');
    const again = JSON.parse(JSON.stringify(record)) as unknown;
    expect(WrappedKey.parse(again)).toEqual(record);
    expect((await unwrapKeyRecord(again, ada.devices[0]!)).key.kind).toBe('personal');
  });

  it('unwrapped and created keys are non-extractable (exportKey rejects)', async () => {
    const ada = await person('ada');
    const created = await createSymmetricKey({ kind: 'pair', scope: 'pair-1', sender: ada.devices[0]!, recipients: [ada.devices[0]!.publicKeySpki] });
    const { key } = await unwrapKeyRecord(created.wrapped[0], ada.devices[0]!);
    for (const k of [key.key, created.key.key]) {
      expect(k.extractable).toBe(false);
      await expect(crypto.subtle.exportKey('raw', k)).rejects.toThrow();
      await expect(crypto.subtle.exportKey('jwk', k)).rejects.toThrow();
    }
  });

  it('a key wrapped for device A cannot be unwrapped by device B', async () => {
    const [a, b] = [await createDeviceKeyPair(), await createDeviceKeyPair()];
    const { wrapped } = await createSymmetricKey({ kind: 'pair', scope: 'pair-1', sender: a, recipients: [a.publicKeySpki] });
    const record = wrapped[0]!;
    expect(await reasonOf(unwrapKeyRecord(record, b))).toBe('unknown-key');
    // Readdressing the record to B does not help: B's ECDH gives another secret and the header no longer matches.
    expect(await reasonOf(unwrapKeyRecord({ ...record, to: b.deviceKeyId }, b))).toBe('tampered');
  });

  it('refuses a record whose fields were changed (scope, key id, sender, ephemeral key, wrapped bytes)', async () => {
    const [ada, mallory] = [await person('ada'), await person('mallory')];
    const device = ada.devices[0]!;
    const { wrapped } = await createSymmetricKey({ kind: 'pair', scope: 'pair-1', sender: device, recipients: [device.publicKeySpki] });
    const record = wrapped[0]!;
    const otherId = toBase64url(crypto.getRandomValues(new Uint8Array(12)));
    const bytes = Uint8Array.from(atob(record.wrapped.replaceAll('-', '+').replaceAll('_', '/')), (c) => c.charCodeAt(0));
    bytes[0] = (bytes[0] ?? 0) ^ 1;
    const changes: Partial<WrappedKey>[] = [
      { scope: 'pair-2' },
      { kind: 'personal' },
      { keyId: otherId },
      { createdAt: '2030-01-01T00:00:00.000Z' },
      { fromKey: mallory.devices[0]!.publicKeySpki }, // claim another sender
      { epk: mallory.devices[0]!.publicKeySpki },
      { wrapped: toBase64url(bytes) },
    ];
    for (const change of changes) expect(await reasonOf(unwrapKeyRecord({ ...record, ...change }, device)), JSON.stringify(change)).toBe('tampered');
    expect(await reasonOf(unwrapKeyRecord({ ...record, v: 'w9' }, device))).toBe('malformed');
    expect(await reasonOf(unwrapKeyRecord({ ...record, epk: 'AAAA' }, device))).toBe('malformed');
    expect(await reasonOf(unwrapKeyRecord('not a record', device))).toBe('malformed');
  });

  it('reports which device wrapped a key, so a key from a non-member can be refused', async () => {
    const [ada, server] = [await person('ada'), await person('server-impostor')];
    // Anyone can wrap a key to Ada's public key; what they cannot do is claim to be one of Theo's devices.
    const { wrapped } = await createSymmetricKey({ kind: 'pair', scope: 'pair-1', sender: server.devices[0]!, recipients: [ada.devices[0]!.publicKeySpki] });
    const { wrappedBy } = await unwrapKeyRecord(wrapped[0], ada.devices[0]!);
    expect(wrappedBy.deviceKeyId).toBe(server.devices[0]!.deviceKeyId);
    expect(wrappedBy.publicKeySpki).toBe(server.devices[0]!.publicKeySpki);
  });

  it('rewraps a held key to another device, which then reads old notes', async () => {
    const ada = await person('ada', 2);
    const [d1, d2] = [ada.devices[0]!, ada.devices[1]!];
    const created = await createSymmetricKey({ kind: 'personal', scope: 'ada', sender: d1, recipients: [d1.publicKeySpki] });
    const sealed = await seal({ key: created.key, plaintext: 'private: ask about salary bands', context });
    const record = await rewrapKeyRecord(created.wrapped[0], d1, d2.publicKeySpki);
    expect(record.to).toBe(d2.deviceKeyId);
    const { key } = await unwrapKeyRecord(record, d2);
    expect(await open({ keys: key, sealed, context })).toBe('private: ask about salary bands');
    expect(key.key.extractable).toBe(false);
  });
});
