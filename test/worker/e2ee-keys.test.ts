/**
 * End-to-end encryption, the server's side (issue 10): device keys, wrapped pair and personal keys, key backups and
 * device approvals, against the real worker and local D1, with real keys made by the crypto core (workerd has
 * WebCrypto). The server stores public keys, wrapped keys and backups, and refuses what must not be addressed.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import {
  approvalCode,
  approveDevice,
  createDeviceKeyPair,
  createRecoveryKey,
  createSymmetricKey,
  open,
  restoreBackup,
  seal,
  sealBackup,
  unwrapKeyRecord,
  type DeviceKeyPair,
  type WrappedKey,
} from '../../shared/crypto/index.ts';
import { sealedMaxLength } from '../../shared/schemas/index.ts';
import { type Programme, type SeededUser, call, countRows, expectError, expectJson, seedProgramme, seedSiblingPair, setPairStatusRow, uuid } from './helpers.ts';

const api = (path: string) => `/api/v1${path}`;

interface DeviceBody {
  id: string;
  userId: string;
  publicKeySpki: string;
  revokedAt: string | null;
}

/** Makes a device key pair and registers it for `user` through the API. */
async function registerDevice(user: SeededUser, label = 'Laptop'): Promise<DeviceKeyPair> {
  const device = await createDeviceKeyPair();
  const res = await call('POST', api('/me/devices'), { token: user.token, body: { publicKeySpki: device.publicKeySpki, id: device.deviceKeyId, label } });
  const { device: stored } = await expectJson<{ device: DeviceBody }>(res, 201);
  expect(stored).toMatchObject({ id: device.deviceKeyId, userId: user.id, publicKeySpki: device.publicKeySpki, revokedAt: null });
  return device;
}

/** A new device of `user`'s asks for approval and `approver` (an approved device of theirs) approves it. */
async function approvedDevice(user: SeededUser, approver: DeviceKeyPair, label = 'Phone'): Promise<DeviceKeyPair> {
  const device = await createDeviceKeyPair();
  const { approval } = await expectJson<{ approval: { id: string } }>(
    await call('POST', api('/me/devices/approvals'), { token: user.token, body: { publicKeySpki: device.publicKeySpki, label } }),
    201,
  );
  await expectJson(await call('POST', api(`/me/devices/approvals/${approval.id}/complete`), { token: user.token, body: { approvedBy: approver.deviceKeyId } }), 200);
  return device;
}

const publishPair = (p: { pairId: string }, user: SeededUser, records: WrappedKey[]) =>
  call('POST', api(`/pairs/${p.pairId}/keys`), { token: user.token, body: { records }, headers: { 'idempotency-key': `keys-${uuid()}` } });

async function pairKeys(pairId: string, user: SeededUser) {
  return expectJson<{
    pairId: string;
    encryptedSince: string | null;
    members: { userId: string; role: string; active: boolean; devices: DeviceBody[] }[];
    records: WrappedKey[];
  }>(await call('GET', api(`/pairs/${pairId}/keys`), { token: user.token }), 200);
}

/** A pair with one device each and the mentor's pair key published to both: the state of an encrypted pair. */
async function encryptedPair() {
  const p = await seedProgramme();
  return { p, ...(await encryptedPairOf(p)) };
}

describe('device keys', () => {
  it('registers a device, lists it, takes the same key again as the same device, and revokes it', async () => {
    const p = await seedProgramme();
    const device = await registerDevice(p.mentee);
    const again = await call('POST', api('/me/devices'), { token: p.mentee.token, body: { publicKeySpki: device.publicKeySpki } });
    expect((await expectJson<{ device: DeviceBody }>(again, 200)).device.id).toBe(device.deviceKeyId);
    const list = await expectJson<{ devices: DeviceBody[] }>(await call('GET', api('/me/devices'), { token: p.mentee.token }), 200);
    expect(list.devices.map((d) => d.id)).toEqual([device.deviceKeyId]);
    // Another person's device is not found; the owner's revocation stands and is repeatable.
    await expectError(await call('DELETE', api(`/me/devices/${device.deviceKeyId}`), { token: p.mentor.token }), 404, 'not_found');
    const revoked = await expectJson<{ device: DeviceBody }>(await call('DELETE', api(`/me/devices/${device.deviceKeyId}`), { token: p.mentee.token }), 200);
    expect(revoked.device.revokedAt).not.toBeNull();
    expect((await call('DELETE', api(`/me/devices/${device.deviceKeyId}`), { token: p.mentee.token })).status).toBe(200);
    // A revoked key cannot come back, and nobody else can claim it.
    await expectError(await call('POST', api('/me/devices'), { token: p.mentee.token, body: { publicKeySpki: device.publicKeySpki } }), 409, 'conflict');
    await expectError(await call('POST', api('/me/devices'), { token: p.mentor.token, body: { publicKeySpki: device.publicKeySpki } }), 409, 'conflict');
  });

  it('refuses a bad SPKI, a wrong id and admins with 4xx, storing nothing', async () => {
    const p = await seedProgramme();
    const good = await createDeviceKeyPair();
    // An ECDSA P-384 key is a valid SPKI of the wrong kind.
    const ecdsa = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-384' }, true, ['sign', 'verify']);
    const ecdsaSpki = btoa(String.fromCharCode(...new Uint8Array(await crypto.subtle.exportKey('spki', ecdsa.publicKey)))).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
    const flipped = `${good.publicKeySpki.slice(0, 60)}${good.publicKeySpki[60] === 'A' ? 'B' : 'A'}${good.publicKeySpki.slice(61)}`;
    for (const publicKeySpki of ['A'.repeat(122), ecdsaSpki, flipped, good.publicKeySpki.slice(0, -4), `${good.publicKeySpki}AAAA`]) {
      const env400 = await expectError(await call('POST', api('/me/devices'), { token: p.mentee.token, body: { publicKeySpki } }), 400, 'invalid_input');
      expect(env400.error.issues?.[0]?.path).toEqual(['publicKeySpki']);
    }
    const other = await createDeviceKeyPair();
    await expectError(await call('POST', api('/me/devices'), { token: p.mentee.token, body: { publicKeySpki: good.publicKeySpki, id: other.deviceKeyId } }), 400, 'invalid_input');
    await expectError(await call('POST', api('/me/devices'), { token: p.admin.token, body: { publicKeySpki: good.publicKeySpki } }), 403, 'forbidden');
    await expectError(await call('POST', api('/me/devices'), { body: { publicKeySpki: good.publicKeySpki } }), 401, 'unauthenticated');
    expect(await countRows('device_keys', 'user_id IN (?, ?)', p.mentee.id, p.admin.id)).toBe(0);
  });
});

describe('pair keys', () => {
  it('publishes a pair key to both members, who each read only what is addressed to them and can unwrap it', async () => {
    const p = await seedProgramme();
    expect((await pairKeys(p.pairId, p.mentee)).encryptedSince).toBeNull();
    const { mentorDevice, menteeDevice, pairKey } = await encryptedPairOf(p);
    const forMentee = await pairKeys(p.pairId, p.mentee);
    expect(forMentee.encryptedSince).not.toBeNull();
    expect(forMentee.members).toEqual([
      { userId: p.mentor.id, role: 'mentor', active: true, devices: [expect.objectContaining({ id: mentorDevice.deviceKeyId, publicKeySpki: mentorDevice.publicKeySpki })] },
      { userId: p.mentee.id, role: 'mentee', active: true, devices: [expect.objectContaining({ id: menteeDevice.deviceKeyId })] },
    ]);
    expect(forMentee.records.map((r) => r.to)).toEqual([menteeDevice.deviceKeyId]);
    const unwrapped = await unwrapKeyRecord(forMentee.records[0], menteeDevice);
    expect(unwrapped.key.keyId).toBe(pairKey.keyId);
    expect(unwrapped.wrappedBy.deviceKeyId).toBe(mentorDevice.deviceKeyId);
    const forMentor = await pairKeys(p.pairId, p.mentor);
    expect(forMentor.records.map((r) => r.to)).toEqual([mentorDevice.deviceKeyId]);
    expect(await countRows('wrapped_keys', 'scope = ?', p.pairId)).toBe(2);
  });

  it('refuses a non-member (403), another organisation (404) and admins, changing nothing', async () => {
    const { p, records } = await encryptedPair();
    const sibling = await seedSiblingPair(p);
    const other = await seedProgramme();
    for (const [token, status] of [
      [sibling.mentee.token, 403],
      [p.admin.token, 403],
      [other.mentor.token, 404],
    ] as const) {
      expect((await call('GET', api(`/pairs/${p.pairId}/keys`), { token })).status).toBe(status);
      expect((await call('POST', api(`/pairs/${p.pairId}/keys`), { token, body: { records } })).status).toBe(status);
    }
    expect(await countRows('wrapped_keys', 'scope = ?', p.pairId)).toBe(2);
  });

  it('refuses records of the wrong kind or scope, from a device not the caller’s, or to a stranger’s device', async () => {
    const { p, mentorDevice, menteeDevice } = await encryptedPair();
    const sibling = await seedSiblingPair(p);
    const strangerDevice = await registerDevice(sibling.mentee);
    const wrongScope = await createSymmetricKey({ kind: 'pair', scope: sibling.pairId, sender: mentorDevice, recipients: [menteeDevice.publicKeySpki] });
    const personal = await createSymmetricKey({ kind: 'personal', scope: p.mentor.id, sender: mentorDevice, recipients: [mentorDevice.publicKeySpki] });
    const toStranger = await createSymmetricKey({ kind: 'pair', scope: p.pairId, sender: mentorDevice, recipients: [strangerDevice.publicKeySpki] });
    const good = await createSymmetricKey({ kind: 'pair', scope: p.pairId, sender: mentorDevice, recipients: [menteeDevice.publicKeySpki] });
    const cases: [SeededUser, WrappedKey[], string][] = [
      [p.mentor, wrongScope.wrapped, 'scope'],
      [p.mentor, personal.wrapped, 'kind'],
      [p.mentor, toStranger.wrapped, 'to'],
      // The mentee sends a record the mentor's device wrapped: its sender is not one of the mentee's devices.
      [p.mentee, good.wrapped, 'fromKey'],
    ];
    for (const [user, recs, field] of cases) {
      const res = await expectError(await publishPair(p, user, recs), 400, 'invalid_input');
      expect(res.error.issues?.[0]?.path).toEqual(['records', 0, field]);
    }
    expect(await countRows('wrapped_keys', 'scope = ?', p.pairId)).toBe(2);
  });

  it('sends a revoked device nothing new, and drops what it had', async () => {
    const { p, mentorDevice, menteeDevice } = await encryptedPair();
    const second = await approvedDevice(p.mentee, menteeDevice);
    expect((await call('DELETE', api(`/me/devices/${menteeDevice.deviceKeyId}`), { token: p.mentee.token })).status).toBe(200);
    expect(await countRows('wrapped_keys', 'recipient_device_key_id = ?', menteeDevice.deviceKeyId)).toBe(0);
    const rotated = await createSymmetricKey({ kind: 'pair', scope: p.pairId, sender: mentorDevice, recipients: [menteeDevice.publicKeySpki] });
    await expectError(await publishPair(p, p.mentor, rotated.wrapped), 409, 'conflict');
    // A revoked device cannot send keys either.
    const fromRevoked = await createSymmetricKey({ kind: 'pair', scope: p.pairId, sender: menteeDevice, recipients: [second.publicKeySpki] });
    await expectError(await publishPair(p, p.mentee, fromRevoked.wrapped), 409, 'conflict');
    // The pair lists only current devices; the rotation goes to them.
    const keys = await pairKeys(p.pairId, p.mentor);
    expect(keys.members[1]?.devices.map((d) => d.id)).toEqual([second.deviceKeyId]);
    const ok = await createSymmetricKey({ kind: 'pair', scope: p.pairId, sender: mentorDevice, recipients: [mentorDevice.publicKeySpki, second.publicKeySpki] });
    expect((await publishPair(p, p.mentor, ok.wrapped)).status).toBe(200);
    expect((await pairKeys(p.pairId, p.mentee)).records.map((r) => r.to)).toEqual([second.deviceKeyId]);
  });

  it('sends a removed member nothing new: a revoked person’s devices and every device of an ended pair are refused', async () => {
    const { p, mentorDevice, menteeDevice } = await encryptedPair();
    // The admin revokes the mentee's access: their devices are revoked too and the partner's rotation leaves them out.
    expect((await call('POST', api(`/admin/users/${p.mentee.id}/revoke`), { token: p.admin.token })).status).toBe(200);
    const toMentee = await createSymmetricKey({ kind: 'pair', scope: p.pairId, sender: mentorDevice, recipients: [menteeDevice.publicKeySpki] });
    await expectError(await publishPair(p, p.mentor, toMentee.wrapped), 409, 'conflict');
    expect((await pairKeys(p.pairId, p.mentor)).members[1]).toMatchObject({ userId: p.mentee.id, active: false, devices: [] });
    const rotated = await createSymmetricKey({ kind: 'pair', scope: p.pairId, sender: mentorDevice, recipients: [mentorDevice.publicKeySpki] });
    expect((await publishPair(p, p.mentor, rotated.wrapped)).status).toBe(200);

    const q = await encryptedPair();
    await setPairStatusRow(q.p.pairId, 'ended');
    const late = await createSymmetricKey({ kind: 'pair', scope: q.p.pairId, sender: q.mentorDevice, recipients: [q.menteeDevice.publicKeySpki] });
    await expectError(await publishPair(q.p, q.p.mentor, late.wrapped), 409, 'conflict');
    // The keys they had stay readable for the record.
    expect((await pairKeys(q.p.pairId, q.p.mentee)).records).toHaveLength(1);
    expect((await pairKeys(q.p.pairId, q.p.mentee)).members.every((m) => !m.active)).toBe(true);
  });
});

describe('ciphertext once encrypted', () => {
  it('takes plain text before the first pair key, refuses it after, and stores ciphertext as sent', async () => {
    const p = await seedProgramme();
    const before = await call('POST', api('/entries'), { token: p.mentee.token, body: { id: uuid(), pairId: p.pairId, kind: 'note', body: 'Plain, before encryption' } });
    const plainEntry = (await expectJson<{ entry: { id: string; version: number } }>(before, 201)).entry;
    const { pairKey } = await encryptedPairOf(p);

    const refused = await expectError(
      await call('POST', api('/entries'), { token: p.mentee.token, body: { id: uuid(), pairId: p.pairId, kind: 'note', body: 'Plain after' } }),
      400,
      'invalid_input',
    );
    expect(refused.error.issues).toEqual([{ path: ['body'], message: "This pair's notes are end-to-end encrypted: send ciphertext" }]);
    await expectError(await call('PATCH', api(`/entries/${plainEntry.id}`), { token: p.mentee.token, body: { version: plainEntry.version, body: 'Edited plain' } }), 400, 'invalid_input');
    await expectError(await call('POST', api('/agenda'), { token: p.mentee.token, body: { id: uuid(), pairId: p.pairId, body: 'Plain agenda' } }), 400, 'invalid_input');

    // The longest allowed note, sealed, fits the limits; it is stored and answered exactly as sent.
    const id = uuid();
    const longest = '😀'.repeat(2_500) + 'é'.repeat(5_000);
    const body = await seal({ key: pairKey, plaintext: longest, context: { pairId: p.pairId, recordId: id, field: 'body' } });
    expect(body.length).toBeLessThanOrEqual(sealedMaxLength(10_000));
    const created = await expectJson<{ entry: { body: string; version: number } }>(
      await call('POST', api('/entries'), { token: p.mentee.token, body: { id, pairId: p.pairId, kind: 'note', body } }),
      201,
    );
    expect(created.entry.body).toBe(body);
    const row = await env.DB.prepare('SELECT body FROM entries WHERE id = ?').bind(id).first<{ body: string }>();
    expect(row?.body).toBe(body);
    expect(await open({ keys: pairKey, sealed: row?.body ?? '', context: { pairId: p.pairId, recordId: id, field: 'body' } })).toBe(longest);
    // Migrating the old plain entry: a sealed body is accepted.
    const migrated = await seal({ key: pairKey, plaintext: 'Plain, before encryption', context: { pairId: p.pairId, recordId: plainEntry.id, field: 'body' } });
    expect((await call('PATCH', api(`/entries/${plainEntry.id}`), { token: p.mentee.token, body: { version: plainEntry.version, body: migrated } })).status).toBe(200);
    // Ticking an item needs no text; a sealed agenda item is taken.
    const agendaBody = await seal({ key: pairKey, plaintext: 'Mock interview', context: { pairId: p.pairId, recordId: 'agenda-1', field: 'body' } });
    expect((await call('POST', api('/agenda'), { token: p.mentee.token, body: { id: uuid(), pairId: p.pairId, body: agendaBody } })).status).toBe(201);
    // Plain-text limits are unchanged for a pair that is not encrypted; a sealed value over its limit is refused.
    const plainPair = await seedProgramme();
    await expectError(await call('POST', api('/entries'), { token: plainPair.mentee.token, body: { id: uuid(), pairId: plainPair.pairId, kind: 'note', body: 'x'.repeat(10_001) } }), 400, 'invalid_input');
    const tooLong = `${body.slice(0, 37)}${'A'.repeat(sealedMaxLength(10_000) - 36)}`;
    await expectError(await call('POST', api('/entries'), { token: p.mentee.token, body: { id: uuid(), pairId: p.pairId, kind: 'note', body: tooLong } }), 400, 'invalid_input');
  });
});

describe('personal keys, approvals and backups', () => {
  it('a new device is approved from the first: it asks, the first wraps every key to it, and it reads them', async () => {
    const { p, menteeDevice, records: pairRecords } = await encryptedPair();
    const personal = await createSymmetricKey({ kind: 'personal', scope: p.mentee.id, sender: menteeDevice, recipients: [menteeDevice.publicKeySpki] });
    const publishMine = (recs: WrappedKey[], token = p.mentee.token) => call('POST', api('/me/keys'), { token, body: { records: recs } });
    expect((await publishMine(personal.wrapped)).status).toBe(200);
    // A personal key goes only to one's own devices, from one's own devices.
    const mentorDevice = await registerDevice(p.mentor);
    const toMentor = await createSymmetricKey({ kind: 'personal', scope: p.mentee.id, sender: menteeDevice, recipients: [mentorDevice.publicKeySpki] });
    await expectError(await publishMine(toMentor.wrapped), 400, 'invalid_input');
    await expectError(await publishMine(personal.wrapped, p.mentor.token), 400, 'invalid_input');

    // The new device signs in and asks.
    const laptop = await createDeviceKeyPair();
    const asked = await expectJson<{ approval: { id: string; deviceKeyId: string; expiresAt: string } }>(
      await call('POST', api('/me/devices/approvals'), { token: p.mentee.token, body: { publicKeySpki: laptop.publicKeySpki, label: 'New laptop' } }),
      201,
    );
    expect(asked.approval.deviceKeyId).toBe(laptop.deviceKeyId);
    expect(Date.parse(asked.approval.expiresAt) - Date.now()).toBeGreaterThan(9 * 60_000);
    // The first device sees the request; the partner does not.
    const pending = await expectJson<{ approvals: { id: string; publicKeySpki: string }[] }>(await call('GET', api('/me/devices/approvals'), { token: p.mentee.token }), 200);
    expect(pending.approvals.map((a) => a.id)).toEqual([asked.approval.id]);
    expect((await expectJson<{ approvals: unknown[] }>(await call('GET', api('/me/devices/approvals'), { token: p.mentor.token }), 200)).approvals).toEqual([]);
    await expectError(await call('POST', api(`/me/devices/approvals/${asked.approval.id}/complete`), { token: p.mentor.token, body: { approvedBy: mentorDevice.deviceKeyId } }), 404, 'not_found');

    // The first device checks the code and wraps what it holds to the new one, which must be approved first: keys go
    // only to approved devices.
    const mine = await expectJson<{ records: WrappedKey[] }>(await call('GET', api('/me/keys?kind=all'), { token: p.mentee.token }), 200);
    expect(mine.records).toHaveLength(2);
    const rewrapped = await approveDevice({ device: menteeDevice, records: mine.records, newDevicePublicKeySpki: pending.approvals[0]?.publicKeySpki ?? '', confirmedCode: await approvalCode(laptop.publicKeySpki) });
    await expectError(await publishMine(rewrapped.filter((r) => r.kind === 'personal')), 409, 'conflict');
    await expectError(await publishPair(p, p.mentee, rewrapped.filter((r) => r.kind === 'pair')), 409, 'conflict');
    await expectError(await call('POST', api(`/me/devices/approvals/${asked.approval.id}/complete`), { token: p.mentee.token, body: { approvedBy: laptop.deviceKeyId } }), 400, 'invalid_input');
    const done = await expectJson<{ approval: { completedAt: string | null } }>(
      await call('POST', api(`/me/devices/approvals/${asked.approval.id}/complete`), { token: p.mentee.token, body: { approvedBy: menteeDevice.deviceKeyId } }),
      200,
    );
    expect(done.approval.completedAt).not.toBeNull();
    expect((await expectJson<{ approvals: unknown[] }>(await call('GET', api('/me/devices/approvals'), { token: p.mentee.token }), 200)).approvals).toEqual([]);
    expect((await publishMine(rewrapped.filter((r) => r.kind === 'personal'))).status).toBe(200);
    expect((await publishPair(p, p.mentee, rewrapped.filter((r) => r.kind === 'pair'))).status).toBe(200);

    // The new device reads both keys.
    const all = await expectJson<{ records: WrappedKey[] }>(await call('GET', api('/me/keys?kind=all'), { token: p.mentee.token }), 200);
    const onLaptop = all.records.filter((r) => r.to === laptop.deviceKeyId);
    const keys = await Promise.all(onLaptop.map((r) => unwrapKeyRecord(r, laptop)));
    expect(keys.map((k) => k.key.keyId).sort()).toEqual([personal.key.keyId, pairRecords[0]?.keyId ?? ''].sort());
  });

  it('an expired approval cannot be completed', async () => {
    const p = await seedProgramme();
    const first = await registerDevice(p.mentee);
    const laptop = await createDeviceKeyPair();
    const { approval } = await expectJson<{ approval: { id: string } }>(
      await call('POST', api('/me/devices/approvals'), { token: p.mentee.token, body: { publicKeySpki: laptop.publicKeySpki } }),
      201,
    );
    await env.DB.prepare('UPDATE device_approvals SET expires_at = ? WHERE id = ?').bind(new Date(Date.now() - 1000).toISOString(), approval.id).run();
    expect((await expectJson<{ approvals: unknown[] }>(await call('GET', api('/me/devices/approvals'), { token: p.mentee.token }), 200)).approvals).toEqual([]);
    await expectError(await call('POST', api(`/me/devices/approvals/${approval.id}/complete`), { token: p.mentee.token, body: { approvedBy: first.deviceKeyId } }), 409, 'conflict');
  });

  it('keeps one recovery-key backup per person, round trip, with optimistic versions; only one’s own', async () => {
    const { p, menteeDevice, records } = await encryptedPair();
    expect(await expectJson(await call('GET', api('/me/key-backup'), { token: p.mentee.token }), 200)).toEqual({ backup: null, version: 0, updatedAt: null });
    const { key: recoveryKey } = await createRecoveryKey();
    const own = records.filter((r) => r.to === menteeDevice.deviceKeyId);
    const backup = await sealBackup({ recoveryKey, personId: p.mentee.id, device: menteeDevice, records: own });
    const put = (body: unknown, token = p.mentee.token) => call('PUT', api('/me/key-backup'), { token, body });
    const stored = await expectJson<{ version: number }>(await put({ version: 0, backup }), 200);
    expect(stored.version).toBe(1);
    // A second writer that read no backup (or an old one) gets a 409 with the current one, never an overwrite.
    const conflict = await expectError(await put({ version: 0, backup }), 409, 'version_conflict');
    expect(conflict.current).toMatchObject({ version: 1 });
    // Someone else's backup is refused.
    await expectError(await put({ version: 0, backup }, p.mentor.token), 400, 'invalid_input');
    expect(await countRows('key_backups', 'user_id = ?', p.mentor.id)).toBe(0);

    // A new device restores from it.
    const read = await expectJson<{ backup: unknown; version: number }>(await call('GET', api('/me/key-backup'), { token: p.mentee.token }), 200);
    const phone = await createDeviceKeyPair();
    const restored = await restoreBackup({ recoveryKey, backup: read.backup, device: phone });
    expect(restored.keys.map((k) => k.keyId)).toEqual(own.map((r) => r.keyId));
    expect(read.version).toBe(1);
    expect((await put({ version: 1, backup })).status).toBe(200);
  });
});

/** encryptedPair() for a programme seeded by the test. */
async function encryptedPairOf(p: Programme) {
  const mentorDevice = await registerDevice(p.mentor);
  const menteeDevice = await registerDevice(p.mentee);
  const created = await createSymmetricKey({ kind: 'pair', scope: p.pairId, sender: mentorDevice, recipients: [mentorDevice.publicKeySpki, menteeDevice.publicKeySpki] });
  expect((await publishPair(p, p.mentor, created.wrapped)).status).toBe(200);
  // Published again (the outbox retries): the same records, stored once.
  expect((await publishPair(p, p.mentor, created.wrapped)).status).toBe(200);
  return { mentorDevice, menteeDevice, pairKey: created.key, records: created.wrapped };
}
