/**
 * The extension's end-to-end encryption (issue 10), against a scripted key directory: text is sealed before it is
 * stored, re-sealed with the pair key before it is sent, opened on the device, and refused (shown locked, never as
 * garbage) when it was tampered with, moved, or sealed with a key this device does not hold. Keys wrapped by a device
 * that is not an approved member device are not used. The real server is exercised by test/worker/e2ee-keys.test.ts
 * and, end to end, by test/e2e/e2ee.test.ts.
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDeviceKeyPair, createSymmetricKey, keyIdOf, type DeviceKeyPair, type WrappedKey } from '../../shared/crypto/index.ts';
import type { DeviceKey, Entry } from '../../shared/schemas/index.ts';
import { ensureDevice, forgetDeviceViews } from '../../extension/lib/e2ee/device.ts';
import { openEntries } from '../../extension/lib/e2ee/records.ts';
import { forgetHeldKeys, heldKeys } from '../../extension/lib/e2ee/rings.ts';
import { forgetUser } from '../../extension/lib/e2ee/store.ts';
import { KeyNotReadyError, LOCKED, forServer, forgetOpenedText, openText, sealForOutbox } from '../../extension/lib/e2ee/text.ts';
import { signedInItem } from '../../extension/lib/background/storage.ts';
import { ids, signedIn } from './ui-support.ts';

vi.mock('../../extension/lib/background/secrets.ts', () => ({ getToken: async () => 'secret-token', setToken: async () => undefined }));

const SERVER = 'http://127.0.0.1:8787';
const who = { userId: signedIn.user!.id, serverUrl: SERVER };
const pairId = ids.pair;
const partnerId = signedIn.user!.id === ids.mentor ? ids.mentee : ids.mentor;

const deviceKey = (userId: string, d: DeviceKeyPair, approved: boolean, keyIds: string[] = []): DeviceKey & { keyIds: string[] } => ({
  id: d.deviceKeyId,
  userId,
  publicKeySpki: d.publicKeySpki,
  label: 'Chrome on Linux',
  createdAt: '2026-11-01T10:00:00.000Z',
  revokedAt: null,
  approvedAt: approved ? '2026-11-01T10:00:00.000Z' : null,
  approvedVia: approved ? 'first-device' : null,
  keyIds,
});

/** A scripted key directory: this device registers approved (or not); the pair's records are whatever a test puts. */
function keyDirectory(options: { approved: boolean; partner: DeviceKeyPair; partnerApproved?: boolean; partnerActive?: boolean; records?: () => WrappedKey[] }) {
  const published: WrappedKey[] = [];
  let mine: DeviceKey | null = null;
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      const path = new URL(request.url).pathname.replace('/api/v1', '');
      if (request.method === 'POST' && path === '/me/devices') {
        const body = (await request.json()) as { publicKeySpki: string; id: string };
        mine = { ...deviceKey(who.userId, { publicKeySpki: body.publicKeySpki, deviceKeyId: body.id } as DeviceKeyPair, options.approved) };
        return Response.json({ device: mine }, { status: 201 });
      }
      if (request.method === 'GET' && path === `/pairs/${pairId}/keys`) {
        const all = [...(options.records?.() ?? []), ...published];
        const held = (id: string) => all.filter((r) => r.to === id).map((r) => r.keyId);
        return Response.json({
          pairId,
          encryptedSince: all.length ? '2026-11-01T10:00:00.000Z' : null,
          members: [
            { userId: who.userId, role: 'mentor', active: true, devices: mine ? [{ ...mine, keyIds: held(mine.id) }] : [] },
            { userId: partnerId, role: 'mentee', active: options.partnerActive ?? true, devices: [deviceKey(partnerId, options.partner, options.partnerApproved ?? true, held(options.partner.deviceKeyId))] },
          ],
          records: all.filter((r) => mine && r.to === mine.id),
        });
      }
      if (request.method === 'POST' && path === `/pairs/${pairId}/keys`) {
        published.push(...((await request.json()) as { records: WrappedKey[] }).records);
        return Response.json({ ok: true });
      }
      return Response.json({ error: { code: 'not_found', message: `no route ${request.method} ${path}` } }, { status: 404 });
    }),
  );
  return { published };
}

const entry = (id: string, body: string): Entry => ({
  id,
  pairId,
  meetingId: null,
  goalId: null,
  authorId: who.userId,
  kind: 'note',
  visibility: 'shared',
  body,
  actionOwnerId: null,
  actionDueOn: null,
  actionDoneAt: null,
  version: 1,
  seq: 1,
  createdAt: '2026-11-30T10:00:00.000Z',
  updatedAt: '2026-11-30T10:00:00.000Z',
  deleted: false,
});

beforeEach(async () => {
  await signedInItem.set({ user: signedIn.user!, organisation: signedIn.organisation!, serverUrl: SERVER });
  await forgetUser(who.userId);
  forgetHeldKeys();
  forgetDeviceViews();
  forgetOpenedText();
});
afterEach(() => vi.unstubAllGlobals());

describe('sealing before storing, and for the server', () => {
  it('seals with a key of this device only when no pair key is here yet, and re-seals with the pair key to send', async () => {
    const partner = await createDeviceKeyPair();
    const { published } = keyDirectory({ approved: true, partner });
    const at = { pairId, recordId: crypto.randomUUID(), field: 'body' };

    const stored = await sealForOutbox(who, 'pair', at, 'Ask about the promotion panel');
    expect(stored).toMatch(/^a1\./);
    expect(stored).not.toContain('promotion');
    const local = (await heldKeys(who.userId)).find((k) => k.origin === 'local');
    expect(keyIdOf(stored)).toBe(local?.key.keyId);

    // Nobody has a pair key: this (approved) device makes one, wraps it to both partners' devices and seals with it.
    const sent = await forServer(who, 'pair', at, stored);
    expect(keyIdOf(sent)).not.toBe(local?.key.keyId);
    expect(published.map((r) => r.to).sort()).toEqual([partner.deviceKeyId, (await ensureDevice(who)).stored.device.deviceKeyId].sort());
    expect(new Set(published.map((r) => r.keyId))).toEqual(new Set([keyIdOf(sent)]));
    // What is sent opens to the text on this device; a second send gives the same value (no second key).
    expect(await openText(who, at, sent)).toEqual({ text: 'Ask about the promotion panel', locked: null });
    expect(await forServer(who, 'pair', at, sent)).toBe(sent);
  });

  it('uses the partner’s pair key when an approved partner device wrapped it to this device', async () => {
    const partner = await createDeviceKeyPair();
    let records: WrappedKey[] = [];
    const { published } = keyDirectory({ approved: true, partner, records: () => records });
    const { stored } = await ensureDevice(who);
    const created = await createSymmetricKey({ kind: 'pair', scope: pairId, sender: partner, recipients: [partner.publicKeySpki, stored.device.publicKeySpki] });
    records = created.wrapped;
    const sent = await forServer(who, 'pair', { pairId, recordId: crypto.randomUUID(), field: 'body' }, 'plain before sealing');
    expect(keyIdOf(sent)).toBe(created.key.keyId);
    expect(published).toEqual([]); // nothing to make or share: both devices hold the key
  });

  it('does not use a key wrapped by a device that is not approved, and a waiting device sends nothing', async () => {
    const partner = await createDeviceKeyPair();
    let records: WrappedKey[] = [];
    keyDirectory({ approved: false, partner, partnerApproved: false, records: () => records });
    const { stored } = await ensureDevice(who);
    const planted = await createSymmetricKey({ kind: 'pair', scope: pairId, sender: partner, recipients: [stored.device.publicKeySpki] });
    records = planted.wrapped;
    await expect(forServer(who, 'pair', { pairId, recordId: crypto.randomUUID(), field: 'body' }, 'text')).rejects.toBeInstanceOf(KeyNotReadyError);
    expect((await heldKeys(who.userId)).some((k) => k.key.keyId === planted.key.keyId)).toBe(false);
  });
});

describe('a member who leaves', () => {
  it('gets no key for what is written after they left: the next writer makes a fresh key for who remains', async () => {
    const partner = await createDeviceKeyPair();
    let active = true;
    const { published } = keyDirectory({ approved: true, partner, partnerActive: true, records: () => [] });
    const before = await forServer(who, 'pair', { pairId, recordId: crypto.randomUUID(), field: 'body' }, 'while Priya is in the pair');
    expect(published.some((r) => r.to === partner.deviceKeyId && r.keyId === keyIdOf(before))).toBe(true);

    // Priya's access is revoked: the directory now lists her as not active, holding the current key.
    active = false;
    const second = keyDirectory({ approved: true, partner, partnerActive: active, records: () => [...published] });
    forgetDeviceViews();
    const { pairRing } = await import('../../extension/lib/e2ee/rings.ts');
    await pairRing(who, pairId, { fresh: true });
    const after = await forServer(who, 'pair', { pairId, recordId: crypto.randomUUID(), field: 'body' }, 'after Priya left');
    expect(keyIdOf(after)).not.toBe(keyIdOf(before));
    // The fresh key went to this device only, never to hers; what was written before still opens here.
    const { stored } = await ensureDevice(who);
    expect(second.published.filter((r) => r.keyId === keyIdOf(after)).map((r) => r.to)).toEqual([stored.device.deviceKeyId]);
    expect(second.published.some((r) => r.to === partner.deviceKeyId)).toBe(false);
  });
});

describe('opening on the device', () => {
  async function sealedEntry(text: string) {
    keyDirectory({ approved: true, partner: await createDeviceKeyPair() });
    const e = entry(crypto.randomUUID(), '');
    const body = await forServer(who, 'pair', { pairId, recordId: e.id, field: 'body' }, text);
    return { ...e, body };
  }

  it('opens what it sealed, and shows plain text from before encryption as it is', async () => {
    const sealed = await sealedEntry('Practise the 5-minute version');
    const plain = entry(crypto.randomUUID(), 'written before encryption');
    const [a, b] = await openEntries(who, [sealed, plain]);
    expect(a).toMatchObject({ body: 'Practise the 5-minute version' });
    expect(a?.locked).toBeUndefined();
    expect(b).toMatchObject({ body: 'written before encryption' });
  });

  it('refuses a flipped bit or a ciphertext moved to another record, and never shows ciphertext', async () => {
    const sealed = await sealedEntry('Salary expectations: 72k');
    const last = sealed.body.at(-2) === 'A' ? 'B' : 'A';
    const flipped = { ...sealed, body: `${sealed.body.slice(0, -2)}${last}${sealed.body.slice(-1)}` };
    const moved = { ...sealed, id: crypto.randomUUID() };
    for (const bad of await openEntries(who, [flipped, moved])) {
      expect(bad).toMatchObject({ body: '', locked: LOCKED.refused });
    }
  });

  it('says a key is missing when the text was sealed with a key this device does not hold', async () => {
    keyDirectory({ approved: true, partner: await createDeviceKeyPair() });
    const elsewhere = await createDeviceKeyPair();
    const other = await createSymmetricKey({ kind: 'pair', scope: pairId, sender: elsewhere, recipients: [elsewhere.publicKeySpki] });
    const { seal } = await import('../../shared/crypto/index.ts');
    const e = entry(crypto.randomUUID(), '');
    const body = await seal({ key: other.key, plaintext: 'from before this device', context: { pairId, recordId: e.id, field: 'body' } });
    const [opened] = await openEntries(who, [{ ...e, body }]);
    expect(opened).toMatchObject({ body: '', locked: LOCKED.missingKey });
  });
});

describe('export, opened on the device', () => {
  it('writes the notes as text in JSON and Markdown, and a marked locked line where a key is missing — never ciphertext', async () => {
    keyDirectory({ approved: true, partner: await createDeviceKeyPair() });
    const { decryptedExport } = await import('../../extension/lib/background/export.ts');
    const { seal } = await import('../../shared/crypto/index.ts');
    const readable = entry(crypto.randomUUID(), '');
    readable.body = await forServer(who, 'pair', { pairId, recordId: readable.id, field: 'body' }, 'Theo will lead the Q3 review');
    const elsewhere = await createDeviceKeyPair();
    const other = await createSymmetricKey({ kind: 'pair', scope: pairId, sender: elsewhere, recipients: [elsewhere.publicKeySpki] });
    const unreadable = entry(crypto.randomUUID(), '');
    unreadable.body = await seal({ key: other.key, plaintext: 'not for this device', context: { pairId, recordId: unreadable.id, field: 'body' } });
    const user = signedIn.user!;
    const data = {
      format: 'alongside-export' as const,
      version: 1 as const,
      exportedAt: '2026-12-01T09:00:00.000Z',
      user,
      organisation: signedIn.organisation!,
      settings: { retentionDays: null },
      sessions: [],
      devices: [],
      pairs: [
        {
          pair: { id: pairId, orgId: ids.org, mentorId: ids.mentor, menteeId: ids.mentee, status: 'active' as const, cadence: 'weekly' as const, meetingLinks: {}, startedOn: '2026-09-01', endedOn: null, version: 1 },
          myRole: 'mentor' as const,
          partner: { id: ids.mentee, role: 'mentee' as const, name: 'Priya Nair', timeZone: 'Asia/Kolkata', workingHours: user.workingHours },
          goals: [],
          meetings: [],
          myFeedback: [],
          agenda: [],
          entries: [readable, unreadable],
          checkIns: [],
        },
      ],
    };
    const out = await decryptedExport(who, data);
    expect(out.json).toContain('Theo will lead the Q3 review');
    expect(out.files[0]?.markdown).toContain('Theo will lead the Q3 review');
    expect(out.files[0]?.markdown).toContain('[locked on this device]');
    expect(out.json + out.files[0]?.markdown).not.toMatch(/a1\.[A-Za-z0-9_-]{16}\./);
    expect(out.json).not.toContain('not for this device');
  });
});
