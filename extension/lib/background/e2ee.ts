/**
 * The e2ee.* requests of the options page and side panel (issue 10): this device's state, approving a new device,
 * the recovery key, removing a device, and each pair's encryption with its safety number. Asking for the status also
 * moves things along: it registers this device, asks for approval while it waits, fetches, makes or shares the
 * pairs' keys, and starts sealing the pairs' existing plain text.
 */
import { safetyNumber } from '../../../shared/crypto/index.ts';
import type { PairEncryption, E2eeStatus } from '../e2ee-messages.ts';
import { approve, openApprovals, requestApproval } from '../e2ee/approval.ts';
import { type Me, ensureDevice, forgetDeviceViews, isApproved, me } from '../e2ee/device.ts';
import { migrationOf, startMigration } from '../e2ee/migrate.ts';
import { hasBackup, restoreWithRecoveryKey, setUpRecovery } from '../e2ee/recovery.ts';
import { forgetHeldKeys, pairRing, personalRing, rotatePairRings } from '../e2ee/rings.ts';
import { forgetOpenedText } from '../e2ee/text.ts';
import { forgetUser } from '../e2ee/store.ts';
import { t, tCount } from '../i18n.ts';
import { api, unwrap } from './api.ts';
import type { Handlers } from './requests.ts';
import { UserError } from './requests.ts';
import { pairsItem } from './storage.ts';

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

async function pairEncryption(who: Me, approved: boolean, pair: { id: string; partner: { id: string; name: string } }): Promise<PairEncryption> {
  const base = { pairId: pair.id, partnerName: pair.partner.name };
  try {
    const keys = await pairRing(who, pair.id);
    const devicesOf = (userId: string) =>
      keys.members.find((m) => m.userId === userId)?.devices.filter((d) => d.revokedAt === null && d.approvedAt !== null).map((d) => d.publicKeySpki) ?? [];
    const mine = devicesOf(who.userId);
    const theirs = devicesOf(pair.partner.id);
    const number = mine.length && theirs.length ? await safetyNumber({ personId: who.userId, devicePublicKeys: mine }, { personId: pair.partner.id, devicePublicKeys: theirs }) : null;
    if (!keys.ring) {
      return { ...base, state: keys.encryptedSince ? 'locked' : 'plain', migration: null, safetyNumber: number, error: keys.refused ? tCount('bgE2ee_refusedKeys', keys.refused) : null };
    }
    if (approved) void startMigration(who, pair.id);
    const migration = migrationOf(pair.id);
    const migrating = migration !== undefined && (migration.running || migration.done < migration.total);
    return {
      ...base,
      state: migrating || migration === undefined ? 'migrating' : 'encrypted',
      migration: migration ? { done: migration.done, total: migration.total } : null,
      safetyNumber: number,
      error: migration?.error ?? null,
    };
  } catch (error) {
    return { ...base, state: 'plain', migration: null, safetyNumber: null, error: message(error) };
  }
}

export async function e2eeStatus(): Promise<E2eeStatus> {
  const who = await me();
  const { stored, server } = await ensureDevice(who);
  const approved = isApproved(server);
  const client = await api(who.serverUrl);
  const [{ devices }, backup, approvals] = await Promise.all([
    unwrap(client.me.devices.$get()),
    hasBackup(who),
    approved ? openApprovals(who) : Promise.resolve([]),
  ]);
  if (approved) await personalRing(who);
  const current = devices.filter((d) => d.revokedAt === null);
  const pairs = await pairsItem.get();
  return {
    state: approved ? 'ready' : 'pending',
    approvalCode: approved ? null : await requestApproval(who),
    hasRecoveryBackup: backup,
    devices: current.map((d) => ({ deviceKeyId: d.id, label: d.label, createdAt: d.createdAt, approvedAt: d.approvedAt, current: d.id === stored.device.deviceKeyId })),
    approvals: approvals
      .filter((a) => a.deviceKeyId !== stored.device.deviceKeyId && a.completedAt === null)
      .map((a) => ({ id: a.id, label: current.find((d) => d.id === a.deviceKeyId)?.label ?? t('bgE2ee_newDevice'), createdAt: a.createdAt, expiresAt: a.expiresAt })),
    pairs: await Promise.all(pairs.map((p) => pairEncryption(who, approved, p))),
  };
}

/** Signing out or deleting the account: this device's keys go, and the server stops sending it keys. */
export async function forgetDevice(options: { revokeOnServer: boolean }): Promise<void> {
  const who = await me().catch(() => null);
  if (!who) return;
  if (options.revokeOnServer) {
    try {
      const { stored } = await ensureDevice(who);
      const client = await api(who.serverUrl);
      await unwrap(client.me.devices[':deviceKeyId'].$delete({ param: { deviceKeyId: stored.device.deviceKeyId } }, { headers: { 'idempotency-key': crypto.randomUUID() } }));
    } catch (error) {
      console.warn('Alongside: this device could not be removed on the server', message(error));
    }
  }
  await forgetUser(who.userId);
  forgetHeldKeys();
  forgetDeviceViews();
  forgetOpenedText();
}

export const e2eeHandlers: Handlers<'e2ee.status' | 'e2ee.setUp' | 'e2ee.approve' | 'e2ee.restore' | 'e2ee.newRecoveryKey' | 'e2ee.removeDevice'> = {
  'e2ee.status': () => e2eeStatus(),
  'e2ee.setUp': async () => {
    const who = await me();
    const { server } = await ensureDevice(who, { fresh: true });
    const recoveryKey = isApproved(server) ? await setUpRecovery(who, { replace: false }) : null;
    return { recoveryKey, status: await e2eeStatus() };
  },
  'e2ee.newRecoveryKey': async () => {
    const who = await me();
    const recoveryKey = await setUpRecovery(who, { replace: true });
    return { recoveryKey, status: await e2eeStatus() };
  },
  'e2ee.approve': async ({ approvalId, code }) => {
    await approve(await me(), approvalId, code);
    return e2eeStatus();
  },
  'e2ee.restore': async ({ recoveryKey }) => {
    const who = await me();
    const { server } = await ensureDevice(who, { fresh: true });
    if (isApproved(server)) throw new UserError('already_ready', t('bgE2ee_alreadyReady'));
    await restoreWithRecoveryKey(who, recoveryKey);
    return e2eeStatus();
  },
  'e2ee.removeDevice': async ({ deviceKeyId }) => {
    const who = await me();
    const { stored } = await ensureDevice(who);
    if (deviceKeyId === stored.device.deviceKeyId) throw new UserError('this_device', t('bgE2ee_removeThisDevice'));
    const client = await api(who.serverUrl);
    await unwrap(client.me.devices[':deviceKeyId'].$delete({ param: { deviceKeyId } }, { headers: { 'idempotency-key': crypto.randomUUID() } }));
    // New notes must not be readable with keys the removed device held: every pair gets a fresh key.
    await rotatePairRings(who);
    return e2eeStatus();
  },
};
