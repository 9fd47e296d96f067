/**
 * Device approval (issue 10): a person's first device is approved when registered; any other waits until an approved
 * device of theirs approves it or it restores their keys from the recovery-key backup. Keys travel only from and to
 * approved devices, GET /pairs/:id/keys says which pair keys each device holds, and the pair's live room hears of
 * every device approved or revoked and every pair key published ('keys').
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createDeviceKeyPair, createRecoveryKey, createSymmetricKey, sealBackup, type DeviceKeyPair } from '../../shared/crypto/index.ts';
import { DeviceKey, PairKeys } from '../../shared/schemas/index.ts';
import { WAITING_FOR_APPROVAL } from '../../worker/routes/keys.ts';
import { encryptPair, publishPairKeys, publishPersonalKeys, registerDevice } from './e2ee-helpers.ts';
import { type SeededUser, call, countRows, expectError, expectJson, seedProgramme, seedSiblingPair, seedUser, setPairStatusRow, uuid } from './helpers.ts';
import { connect, isChange } from './live-client.ts';

const api = (path: string) => `/api/v1${path}`;
const withKey = () => ({ 'idempotency-key': `test-${uuid()}` });

async function myDevices(user: SeededUser): Promise<DeviceKey[]> {
  return (await expectJson<{ devices: unknown[] }>(await call('GET', api('/me/devices'), { token: user.token }), 200)).devices.map((d) => DeviceKey.parse(d));
}

/** A new device asks for approval (POST /me/devices/approvals); returns the request's id and the key pair. */
async function askApproval(user: SeededUser): Promise<{ device: DeviceKeyPair; approvalId: string }> {
  const device = await createDeviceKeyPair();
  const { approval } = await expectJson<{ approval: { id: string } }>(
    await call('POST', api('/me/devices/approvals'), { token: user.token, body: { publicKeySpki: device.publicKeySpki, label: 'New laptop' }, headers: withKey() }),
    201,
  );
  return { device, approvalId: approval.id };
}

const complete = (user: SeededUser, approvalId: string, approvedBy: string) =>
  call('POST', api(`/me/devices/approvals/${approvalId}/complete`), { token: user.token, body: { approvedBy }, headers: withKey() });
const recovered = (user: SeededUser, deviceKeyId: string) => call('POST', api(`/me/devices/${deviceKeyId}/recovered`), { token: user.token, headers: withKey() });

async function storeBackup(user: SeededUser, device: DeviceKeyPair) {
  const { wrapped } = await createSymmetricKey({ kind: 'personal', scope: user.id, sender: device, recipients: [device.publicKeySpki] });
  const backup = await sealBackup({ recoveryKey: (await createRecoveryKey()).key, personId: user.id, device, records: wrapped });
  await expectJson(await call('PUT', api('/me/key-backup'), { token: user.token, body: { version: 0, backup } }), 200);
}

const pairKeysOf = async (pairId: string, user: SeededUser) => PairKeys.parse(await expectJson(await call('GET', api(`/pairs/${pairId}/keys`), { token: user.token }), 200));

describe('device approval', () => {
  it('approves the first device at once; a second waits until an approved device completes its request', async () => {
    const p = await seedProgramme();
    const first = await registerDevice(p.mentee);
    expect(first.stored).toMatchObject({ approvedVia: 'first-device' });
    expect(first.stored.approvedAt).not.toBeNull();
    const second = await registerDevice(p.mentee, 'Phone');
    expect(second.stored).toMatchObject({ approvedAt: null, approvedVia: null });
    // Registering the same key again is the same device, still waiting.
    const again = await expectJson<{ device: DeviceKey }>(await call('POST', api('/me/devices'), { token: p.mentee.token, body: { publicKeySpki: second.publicKeySpki } }), 200);
    expect(again.device.approvedAt).toBeNull();

    const { device: laptop, approvalId } = await askApproval(p.mentee);
    expect((await myDevices(p.mentee)).map((d) => [d.id, d.approvedVia])).toEqual([
      [first.deviceKeyId, 'first-device'],
      [second.deviceKeyId, null],
      [laptop.deviceKeyId, null],
    ]);
    // A device waiting for approval cannot approve another; nothing changes.
    const refused = await expectError(await complete(p.mentee, approvalId, second.deviceKeyId), 409, 'conflict');
    expect(refused.error.message).toMatch(/waiting for approval/);
    expect(await countRows('device_approvals', 'id = ? AND completed_at IS NULL', approvalId)).toBe(1);
    expect(await countRows('device_keys', 'device_key_id = ? AND approved_at IS NULL', laptop.deviceKeyId)).toBe(1);

    await expectJson(await complete(p.mentee, approvalId, first.deviceKeyId), 200);
    const laptopNow = (await myDevices(p.mentee)).find((d) => d.id === laptop.deviceKeyId);
    expect(laptopNow).toMatchObject({ approvedVia: 'device' });
    expect(laptopNow?.approvedAt).not.toBeNull();
    // Completed again (a retry): the same answer, the device stays approved as it was.
    expect((await complete(p.mentee, approvalId, first.deviceKeyId)).status).toBe(200);
    expect((await myDevices(p.mentee)).find((d) => d.id === laptop.deviceKeyId)).toEqual(laptopNow);
  });

  it('approves a device registered through an approval request when the person has no approved device', async () => {
    const p = await seedProgramme();
    const { device } = await askApproval(p.mentor);
    expect((await myDevices(p.mentor)).map((d) => [d.id, d.approvedVia])).toEqual([[device.deviceKeyId, 'first-device']]);
    // Once that device is revoked, the person's next new device is their first again.
    expect((await call('DELETE', api(`/me/devices/${device.deviceKeyId}`), { token: p.mentor.token, headers: withKey() })).status).toBe(200);
    expect((await registerDevice(p.mentor)).stored.approvedVia).toBe('first-device');
  });

  it('approves a device that restored from the key backup, once there is a backup; 404 for another person’s, 409 when revoked', async () => {
    const p = await seedProgramme();
    const first = await registerDevice(p.mentee);
    const phone = await registerDevice(p.mentee, 'Phone');
    const noBackup = await expectError(await recovered(p.mentee, phone.deviceKeyId), 409, 'conflict');
    expect(noBackup.error.message).toBe('No key backup to restore from');
    expect(await countRows('device_keys', 'device_key_id = ? AND approved_at IS NULL', phone.deviceKeyId)).toBe(1);
    await storeBackup(p.mentee, first);

    // Another person (the partner, or someone else's device id) is told the device does not exist; nothing changes.
    await expectError(await recovered(p.mentor, phone.deviceKeyId), 404, 'not_found');
    await expectError(await recovered(p.mentee, (await createDeviceKeyPair()).deviceKeyId), 404, 'not_found');
    await expectError(await call('POST', api(`/me/devices/${phone.deviceKeyId}/recovered`), { token: p.admin.token }), 403, 'forbidden');
    await expectError(await call('POST', api('/me/devices/not-a-key/recovered'), { token: p.mentee.token }), 400, 'invalid_input');
    expect(await countRows('device_keys', 'device_key_id = ? AND approved_at IS NULL', phone.deviceKeyId)).toBe(1);

    const device = DeviceKey.parse((await expectJson<{ device: unknown }>(await recovered(p.mentee, phone.deviceKeyId), 200)).device);
    expect(device).toMatchObject({ id: phone.deviceKeyId, approvedVia: 'recovery' });
    // Said again: still approved the way it was first.
    expect((await expectJson<{ device: DeviceKey }>(await recovered(p.mentee, phone.deviceKeyId), 200)).device).toEqual(device);
    expect((await expectJson<{ device: DeviceKey }>(await recovered(p.mentee, first.deviceKeyId), 200)).device.approvedVia).toBe('first-device');

    const tablet = await registerDevice(p.mentee, 'Tablet');
    expect((await call('DELETE', api(`/me/devices/${tablet.deviceKeyId}`), { token: p.mentee.token, headers: withKey() })).status).toBe(200);
    await expectError(await recovered(p.mentee, tablet.deviceKeyId), 409, 'conflict');
    expect(await countRows('device_keys', 'device_key_id = ? AND approved_at IS NULL', tablet.deviceKeyId)).toBe(1);
  });
});

describe('keys travel between approved devices only', () => {
  it('refuses a device waiting for approval as a sender (409, with the reason) and as a recipient, storing nothing', async () => {
    const p = await seedProgramme();
    const { mentorDevice, menteeDevice } = await encryptPair(p);
    const stored = await countRows('wrapped_keys');
    const menteePhone = await registerDevice(p.mentee, 'Phone');
    const mentorPhone = await registerDevice(p.mentor, 'Phone');

    // Sending from a device that waits: the pair key and the personal key.
    const fromPending = await createSymmetricKey({ kind: 'pair', scope: p.pairId, sender: menteePhone, recipients: [menteeDevice.publicKeySpki] });
    const sender = await expectError(await publishPairKeys(p.pairId, p.mentee, fromPending.wrapped), 409, 'conflict');
    expect(sender.error.message).toBe(WAITING_FOR_APPROVAL);
    expect(sender.error.issues?.[0]?.path).toEqual(['records', 0, 'fromKey']);
    const personalFromPending = await createSymmetricKey({ kind: 'personal', scope: p.mentee.id, sender: menteePhone, recipients: [menteeDevice.publicKeySpki] });
    expect((await expectError(await publishPersonalKeys(p.mentee, personalFromPending.wrapped), 409, 'conflict')).error.message).toBe(WAITING_FOR_APPROVAL);

    // Sending to a device that waits: the partner's or one's own, a pair key or a personal key. One pending
    // recipient among approved ones refuses the whole request.
    const toPartnerPending = await createSymmetricKey({ kind: 'pair', scope: p.pairId, sender: menteeDevice, recipients: [mentorDevice.publicKeySpki, mentorPhone.publicKeySpki] });
    const recipient = await expectError(await publishPairKeys(p.pairId, p.mentee, toPartnerPending.wrapped), 409, 'conflict');
    expect(recipient.error.message).toMatch(/^records\.1\.to: .*waiting for approval/);
    const toOwnPending = await createSymmetricKey({ kind: 'personal', scope: p.mentee.id, sender: menteeDevice, recipients: [menteePhone.publicKeySpki] });
    await expectError(await publishPersonalKeys(p.mentee, toOwnPending.wrapped), 409, 'conflict');
    expect(await countRows('wrapped_keys')).toBe(stored);

    // Once the partner approves their phone, the same pair key goes through.
    const { approval } = await expectJson<{ approval: { id: string } }>(
      await call('POST', api('/me/devices/approvals'), { token: p.mentor.token, body: { publicKeySpki: mentorPhone.publicKeySpki } }),
      201,
    );
    await expectJson(await complete(p.mentor, approval.id, mentorDevice.deviceKeyId), 200);
    expect((await publishPairKeys(p.pairId, p.mentee, toPartnerPending.wrapped)).status).toBe(200);
  });

  it('lists every current device of both members with its approval and the pair keys it holds', async () => {
    const p = await seedProgramme();
    const { mentorDevice, menteeDevice, records } = await encryptPair(p);
    const pending = await registerDevice(p.mentee, 'Phone');
    // A second pair key (a rotation), wrapped to the mentee's device only.
    const rotated = await createSymmetricKey({ kind: 'pair', scope: p.pairId, sender: mentorDevice, recipients: [menteeDevice.publicKeySpki] });
    expect((await publishPairKeys(p.pairId, p.mentor, rotated.wrapped)).status).toBe(200);
    // The mentee's key of another pair is not this pair's.
    const sibling = await seedSiblingPair(p);
    const siblingDevice = await registerDevice(sibling.mentor);
    const elsewhere = await createSymmetricKey({ kind: 'pair', scope: sibling.pairId, sender: siblingDevice, recipients: [siblingDevice.publicKeySpki] });
    expect((await publishPairKeys(sibling.pairId, sibling.mentor, elsewhere.wrapped)).status).toBe(200);

    const firstKey = records[0]?.keyId ?? '';
    for (const reader of [p.mentor, p.mentee]) {
      const keys = await pairKeysOf(p.pairId, reader);
      expect(keys.members.map((m) => m.devices.map((d) => [d.id, d.approvedVia, d.keyIds]))).toEqual([
        [[mentorDevice.deviceKeyId, 'first-device', [firstKey]]],
        [
          [menteeDevice.deviceKeyId, 'first-device', [firstKey, rotated.key.keyId]],
          [pending.deviceKeyId, null, []],
        ],
      ]);
    }
  });
});

describe("the live room hears of device changes and pair keys ('keys')", () => {
  it('tells both members when a device is approved or revoked and when pair keys are published; a request only its owner', async () => {
    const p = await seedProgramme();
    const mentor = await connect(p, p.mentor.token);
    const mentee = await connect(p, p.mentee.token);

    // Each hint is awaited on both sockets, so that no earlier hint can stand in for a later one.
    const bothHear = () => Promise.all([mentor.next(isChange('keys')), mentee.next(isChange('keys'))]);
    const first = await registerDevice(p.mentee);
    await bothHear();
    // A device that waits is no news to the partner.
    const phone = await registerDevice(p.mentee, 'Phone');
    expect((await mentor.quiet()).filter(isChange('keys'))).toEqual([]);
    // A request for approval is news to the person's own devices only.
    const { device: laptop, approvalId } = await askApproval(p.mentee);
    await mentee.next(isChange('keys'));
    expect((await mentor.quiet()).filter(isChange('keys'))).toEqual([]);

    await expectJson(await complete(p.mentee, approvalId, first.deviceKeyId), 200);
    await bothHear();
    await storeBackup(p.mentee, first);
    await expectJson(await recovered(p.mentee, phone.deviceKeyId), 200);
    await bothHear();
    expect((await call('DELETE', api(`/me/devices/${laptop.deviceKeyId}`), { token: p.mentee.token, headers: withKey() })).status).toBe(200);
    await bothHear();

    const mentorDevice = await registerDevice(p.mentor);
    await bothHear();
    const created = await createSymmetricKey({ kind: 'pair', scope: p.pairId, sender: mentorDevice, recipients: [mentorDevice.publicKeySpki, first.publicKeySpki] });
    expect((await publishPairKeys(p.pairId, p.mentor, created.wrapped)).status).toBe(200);
    await bothHear();
    // Nothing more was told than awaited above.
    expect([...(await mentor.quiet()), ...(await mentee.quiet())].filter(isChange('keys'))).toEqual([]);
    // A refused publication tells nobody.
    await expectError(await publishPairKeys(p.pairId, p.mentor, (await createSymmetricKey({ kind: 'pair', scope: p.pairId, sender: phone, recipients: [first.publicKeySpki] })).wrapped), 400);
    expect((await mentee.quiet()).filter(isChange('keys'))).toEqual([]);
    mentor.close();
    mentee.close();
  });

  it("tells each live pair of the person: a mentor's device change reaches both of their pairs, and no other pair", async () => {
    const p = await seedProgramme();
    const second = await secondPairOf(p.mentor, p);
    const stranger = await seedSiblingPair(p);
    const inFirst = await connect(p, p.mentee.token);
    const inSecond = await connect(second, second.mentee.token);
    const elsewhere = await connect(stranger, stranger.mentee.token);
    await registerDevice(p.mentor);
    await inFirst.next(isChange('keys'));
    await inSecond.next(isChange('keys'));
    expect(await elsewhere.quiet()).toEqual([]);
    for (const socket of [inFirst, inSecond, elsewhere]) socket.close();
  });

  it('a device change of a member of an ended pair answers as usual (an ended pair has no room to tell)', async () => {
    const p = await seedProgramme();
    await setPairStatusRow(p.pairId, 'ended');
    expect((await registerDevice(p.mentee)).stored.approvedVia).toBe('first-device');
  });
});

/** Another active pair of `mentor` in p's organisation, with a new mentee. */
async function secondPairOf(mentor: SeededUser, p: { orgId: string }): Promise<{ pairId: string; mentee: SeededUser }> {
  const mentee = await seedUser(p.orgId, 'mentee');
  const pairId = uuid();
  const t = new Date().toISOString();
  await env.DB.prepare(
    `INSERT INTO pairs (id, org_id, mentor_id, mentee_id, status, cadence, started_on, created_at, updated_at) VALUES (?, ?, ?, ?, 'active', 'weekly', ?, ?, ?)`,
  )
    .bind(pairId, p.orgId, mentor.id, mentee.id, t.slice(0, 10), t, t)
    .run();
  return { pairId, mentee };
}

describe('migration 0010: devices registered before approvals were recorded', () => {
  it("approves each person's earliest current device and the devices whose approval was completed, and no other", async () => {
    const p = await seedProgramme();
    const day = (n: number) => new Date(Date.UTC(2025, 0, n)).toISOString();
    const keys = await Promise.all(Array.from({ length: 5 }, () => createDeviceKeyPair()));
    const [revokedOldest, earliest, approvedByRequest, waiting, mentorsOnly] = keys as [DeviceKeyPair, DeviceKeyPair, DeviceKeyPair, DeviceKeyPair, DeviceKeyPair];
    const insert = (d: DeviceKeyPair, user: SeededUser, createdAt: string, revokedAt: string | null = null) =>
      env.DB.prepare('INSERT INTO device_keys (device_key_id, user_id, spki, label, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?)').bind(
        d.deviceKeyId,
        user.id,
        d.publicKeySpki,
        '',
        createdAt,
        revokedAt,
      );
    await env.DB.batch([
      insert(revokedOldest, p.mentee, day(1), day(2)),
      insert(earliest, p.mentee, day(3)),
      insert(approvedByRequest, p.mentee, day(4)),
      insert(waiting, p.mentee, day(5)),
      insert(mentorsOnly, p.mentor, day(6)),
      env.DB.prepare(
        'INSERT INTO device_approvals (id, user_id, device_key_id, spki, created_at, expires_at, completed_at, completed_by_device_key_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ).bind(uuid(), p.mentee.id, approvedByRequest.deviceKeyId, approvedByRequest.publicKeySpki, day(4), day(5), day(4).replace('T00', 'T01'), earliest.deviceKeyId),
      env.DB.prepare('INSERT INTO device_approvals (id, user_id, device_key_id, spki, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)').bind(
        uuid(),
        p.mentee.id,
        waiting.deviceKeyId,
        waiting.publicKeySpki,
        day(5),
        day(6),
      ),
    ]);
    const migration = env.TEST_MIGRATIONS.find((m) => m.name.startsWith('0010_'));
    const backfill = migration?.queries.filter((q) => /UPDATE\s+device_keys/.test(q)) ?? [];
    expect(backfill).toHaveLength(2);
    for (const query of backfill) await env.DB.prepare(query).run();

    const { results } = await env.DB.prepare('SELECT device_key_id, approved_at, approved_via FROM device_keys WHERE user_id IN (?, ?) ORDER BY created_at')
      .bind(p.mentee.id, p.mentor.id)
      .all<{ device_key_id: string; approved_at: string | null; approved_via: string | null }>();
    expect(results.map((r) => [r.device_key_id, r.approved_via, r.approved_at])).toEqual([
      [revokedOldest.deviceKeyId, null, null],
      [earliest.deviceKeyId, 'first-device', day(3)],
      [approvedByRequest.deviceKeyId, 'device', day(4).replace('T00', 'T01')],
      [waiting.deviceKeyId, null, null],
      [mentorsOnly.deviceKeyId, 'first-device', day(6)],
    ]);
  });
});
