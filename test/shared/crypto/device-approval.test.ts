import { describe, expect, it } from 'vitest';
import { ApprovalCodeMismatchError, approvalCode, approveDevice } from '../../../shared/crypto/device-approval.ts';
import { createDeviceKeyPair } from '../../../shared/crypto/device-keys.ts';
import { createSymmetricKey, unwrapKeyRecord } from '../../../shared/crypto/key-wrap.ts';
import { keyRing, openWithRing, sealWithRing } from '../../../shared/crypto/key-ring.ts';
import { open, seal } from '../../../shared/crypto/seal.ts';
import { person, publicKeys, reasonOf } from './helpers.ts';

describe('adding a device by approval', () => {
  it('device 2 shows a code, device 1 confirms it and wraps personal + pair keys, device 2 reads shared and private notes', async () => {
    const [mentor, mentee] = [await person('mentor'), await person('mentee')];
    const laptop = mentor.devices[0]!;
    // Existing state on the laptop: a pair key (shared with the mentee) and the mentor's personal key.
    const pair = await createSymmetricKey({ kind: 'pair', scope: 'pair-1', sender: laptop, recipients: publicKeys(mentor, mentee) });
    const personal = await createSymmetricKey({ kind: 'personal', scope: 'mentor', sender: laptop, recipients: [laptop.publicKeySpki] });
    const shared = await sealWithRing({ ring: keyRing([pair.key]), plaintext: 'Shared: next step is a mock interview', context: { pairId: 'pair-1', recordId: 'e1', field: 'body' } });
    const privateNote = await seal({ key: personal.key, plaintext: 'Private: mentee seems anxious about deadlines', context: { pairId: 'pair-1', recordId: 'e2', field: 'body' } });

    // New device: makes its key pair, publishes the public key, shows the code.
    const phone = await createDeviceKeyPair();
    const shownOnPhone = await approvalCode(phone.publicKeySpki);
    expect(shownOnPhone).toMatch(/^\d{5} \d{5} \d{5} \d{5}$/);

    // Before approval the phone cannot read anything.
    expect(await reasonOf(unwrapKeyRecord(pair.wrapped[0], phone))).toBe('unknown-key');

    // The laptop approves with the code the person read off the phone (typed with dashes, say).
    const laptopRecords = [pair.wrapped[0]!, personal.wrapped[0]!];
    const forPhone = await approveDevice({ device: laptop, records: laptopRecords, newDevicePublicKeySpki: phone.publicKeySpki, confirmedCode: shownOnPhone.replaceAll(' ', '-') });
    expect(forPhone.map((r) => r.to)).toEqual([phone.deviceKeyId, phone.deviceKeyId]);

    const keys = await Promise.all(forPhone.map((r) => unwrapKeyRecord(r, phone)));
    expect(keys.every((k) => k.wrappedBy.deviceKeyId === laptop.deviceKeyId)).toBe(true);
    const [pairOnPhone, personalOnPhone] = [keys[0]!.key, keys[1]!.key];
    expect(await openWithRing({ ring: keyRing([pairOnPhone]), sealed: shared, context: { pairId: 'pair-1', recordId: 'e1', field: 'body' } })).toBe(
      'Shared: next step is a mock interview',
    );
    expect(await open({ keys: personalOnPhone, sealed: privateNote, context: { pairId: 'pair-1', recordId: 'e2', field: 'body' } })).toBe(
      'Private: mentee seems anxious about deadlines',
    );
    // The mentee never got the personal key: their device cannot unwrap any personal-key record.
    expect(await reasonOf(unwrapKeyRecord(personal.wrapped[0], mentee.devices[0]!))).toBe('unknown-key');
  });

  it('refuses to approve when the code does not match the public key (a key swapped in by the server)', async () => {
    const mentor = await person('mentor');
    const laptop = mentor.devices[0]!;
    const personal = await createSymmetricKey({ kind: 'personal', scope: 'mentor', sender: laptop, recipients: [laptop.publicKeySpki] });
    const [phone, impostor] = [await createDeviceKeyPair(), await createDeviceKeyPair()];
    const shownOnPhone = await approvalCode(phone.publicKeySpki);
    await expect(
      approveDevice({ device: laptop, records: personal.wrapped, newDevicePublicKeySpki: impostor.publicKeySpki, confirmedCode: shownOnPhone }),
    ).rejects.toBeInstanceOf(ApprovalCodeMismatchError);
    await expect(approveDevice({ device: laptop, records: personal.wrapped, newDevicePublicKeySpki: phone.publicKeySpki, confirmedCode: '' })).rejects.toBeInstanceOf(
      ApprovalCodeMismatchError,
    );
  });
});
