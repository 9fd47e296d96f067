import { describe, expect, it } from 'vitest';
import { createSymmetricKey, unwrapKeyRecord } from '../../../shared/crypto/key-wrap.ts';
import { addKey, currentKey, keyRing, openWithRing, rotateKey, sealWithRing } from '../../../shared/crypto/key-ring.ts';
import { open } from '../../../shared/crypto/seal.ts';
import { person, publicKeys, reasonOf } from './helpers.ts';

const ctx = (recordId: string) => ({ pairId: 'pair-1', recordId, field: 'body' });

describe('key rings and rotation', () => {
  it('new writes use the newest key; old ciphertexts still open by their key id', async () => {
    const ada = await person('ada');
    const device = ada.devices[0]!;
    const first = await createSymmetricKey({ kind: 'pair', scope: 'pair-1', sender: device, recipients: [device.publicKeySpki], now: new Date('2025-01-01T00:00:00Z') });
    let ring = keyRing([first.key]);
    const old = await sealWithRing({ ring, plaintext: 'before rotation', context: ctx('e1') });
    const rotated = await rotateKey({ ring, sender: device, recipients: [device.publicKeySpki], now: new Date('2025-06-01T00:00:00Z') });
    ring = rotated.ring;
    expect(ring.keys).toHaveLength(2);
    expect(currentKey(ring).keyId).toBe(rotated.key.keyId);
    const fresh = await sealWithRing({ ring, plaintext: 'after rotation', context: ctx('e2') });
    expect(fresh.split('.')[1]).toBe(rotated.key.keyId);
    expect(old.split('.')[1]).toBe(first.key.keyId);
    expect(await openWithRing({ ring, sealed: old, context: ctx('e1') })).toBe('before rotation');
    expect(await openWithRing({ ring, sealed: fresh, context: ctx('e2') })).toBe('after rotation');
  });

  it('picks the same current key whatever order the keys arrive in, and drops duplicates', async () => {
    const ada = await person('ada');
    const d = ada.devices[0]!;
    const make = (iso: string) => createSymmetricKey({ kind: 'pair', scope: 'pair-1', sender: d, recipients: [d.publicKeySpki], now: new Date(iso) }).then((c) => c.key);
    const [k1, k2, k3] = [await make('2025-01-01T00:00:00Z'), await make('2025-03-01T00:00:00Z'), await make('2025-02-01T00:00:00Z')];
    expect(currentKey(keyRing([k1, k2, k3])).keyId).toBe(k2.keyId);
    expect(currentKey(keyRing([k3, k2, k1])).keyId).toBe(k2.keyId);
    expect(addKey(keyRing([k1, k2]), k2).keys).toHaveLength(2);
    expect(() => keyRing([k1, { ...k2, scope: 'pair-2' }])).toThrow(TypeError);
  });

  it('rotation never goes back in time, even with a clock behind the current key', async () => {
    const ada = await person('ada');
    const d = ada.devices[0]!;
    const first = await createSymmetricKey({ kind: 'pair', scope: 'pair-1', sender: d, recipients: [d.publicKeySpki], now: new Date('2030-01-01T00:00:00Z') });
    const rotated = await rotateKey({ ring: keyRing([first.key]), sender: d, recipients: [d.publicKeySpki], now: new Date('2020-01-01T00:00:00Z') });
    expect(currentKey(rotated.ring).keyId).toBe(rotated.key.keyId);
  });

  it('a removed member holding only the old key cannot open entries sealed with the new key', async () => {
    const [mentor, mentee, former] = [await person('mentor', 2), await person('mentee'), await person('former-mentee')];
    const sender = mentor.devices[0]!;
    const original = await createSymmetricKey({ kind: 'pair', scope: 'pair-1', sender, recipients: publicKeys(mentor, former) });
    // The former member holds the original key (wrapped to their device).
    const formerKey = (await unwrapKeyRecord(original.wrapped[2], former.devices[0]!)).key;
    const before = await sealWithRing({ ring: keyRing([original.key]), plaintext: 'old session notes', context: ctx('e1') });
    expect(await open({ keys: formerKey, sealed: before, context: ctx('e1') })).toBe('old session notes');

    // The former member is removed, a new mentee joins: rotate to the remaining people's devices only.
    const rotated = await rotateKey({ ring: keyRing([original.key]), sender, recipients: publicKeys(mentor, mentee) });
    expect(rotated.wrapped.map((w) => w.to)).not.toContain(former.devices[0]!.deviceKeyId);
    expect(rotated.wrapped).toHaveLength(3);
    const after = await sealWithRing({ ring: rotated.ring, plaintext: 'new mentee: career switch plan', context: ctx('e2') });

    // The former member: no key for it, and no wrapped record of it addressed to them.
    expect(await reasonOf(open({ keys: formerKey, sealed: after, context: ctx('e2') }))).toBe('unknown-key');
    for (const record of rotated.wrapped) expect(await reasonOf(unwrapKeyRecord(record, former.devices[0]!))).toBe('unknown-key');

    // The new mentee reads the new entry.
    const menteeRecord = rotated.wrapped.find((w) => w.to === mentee.devices[0]!.deviceKeyId);
    const menteeKey = (await unwrapKeyRecord(menteeRecord, mentee.devices[0]!)).key;
    expect(await open({ keys: menteeKey, sealed: after, context: ctx('e2') })).toBe('new mentee: career switch plan');
  });
});
