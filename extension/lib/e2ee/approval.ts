/**
 * Adding a device by approving it from one the person already uses (issue 10; shared/crypto/device-approval.ts):
 * the new device asks (`requestApproval`) and shows a code; on the old device the person types that code, and only
 * if it matches the new device's key are the person's keys wrapped to it (`approve`).
 */
import { ApprovalCodeMismatchError, approvalCode, approveDevice } from '../../../shared/crypto/index.ts';
import type { DeviceApproval } from '../../../shared/schemas/index.ts';
import { ApiFailure, api, unwrap } from '../background/api.ts';
import { UserError } from '../background/requests.ts';
import { t } from '../i18n.ts';
import { type Me, ensureDevice, isApproved } from './device.ts';
import { ownRecords, personalRing } from './rings.ts';

/** Open approval requests of the person (their new devices'), as the server lists them. */
export async function openApprovals(who: Me): Promise<DeviceApproval[]> {
  const client = await api(who.serverUrl);
  return (await unwrap(client.me.devices.approvals.$get())).approvals;
}

/** On a device waiting for approval: makes sure a request is open, and answers the code to show. */
export async function requestApproval(who: Me): Promise<string> {
  const { stored } = await ensureDevice(who);
  const mine = (await openApprovals(who)).some((a) => a.deviceKeyId === stored.device.deviceKeyId && a.completedAt === null);
  if (!mine) {
    const client = await api(who.serverUrl);
    await unwrap(
      client.me.devices.approvals.$post({ json: { publicKeySpki: stored.device.publicKeySpki, label: '' } }, { headers: { 'idempotency-key': crypto.randomUUID() } }),
    );
  }
  return approvalCode(stored.device.publicKeySpki);
}

/** On an approved device: checks the code, wraps every key held here to the new device, and completes the request. */
export async function approve(who: Me, approvalId: string, code: string): Promise<void> {
  const { stored, server } = await ensureDevice(who, { fresh: true });
  if (!isApproved(server)) throw new UserError('device_pending', t('e2eeApproval_notApproved'));
  const approval = (await openApprovals(who)).find((a) => a.id === approvalId);
  if (!approval) throw new UserError('not_found', t('e2eeApproval_expired'));
  await personalRing(who); // the new device gets the personal key too, even if none was made yet
  let records;
  try {
    records = await approveDevice({ device: stored.device, records: await ownRecords(who.userId), newDevicePublicKeySpki: approval.publicKeySpki, confirmedCode: code });
  } catch (error) {
    if (error instanceof ApprovalCodeMismatchError) throw new UserError('code_mismatch', t('e2eeApproval_codeMismatch'));
    throw error;
  }
  const client = await api(who.serverUrl);
  const headers = () => ({ headers: { 'idempotency-key': crypto.randomUUID() } });
  // The server takes keys for the new device only once it is approved, i.e. once the request is completed.
  await unwrap(client.me.devices.approvals[':id'].complete.$post({ param: { id: approvalId }, json: { approvedBy: stored.device.deviceKeyId } }, headers()));
  const personal = records.filter((r) => r.kind === 'personal');
  if (personal.length) await unwrap(client.me.keys.$post({ json: { records: personal } }, headers()));
  const byPair = new Map<string, typeof records>();
  for (const r of records.filter((r) => r.kind === 'pair')) byPair.set(r.scope, [...(byPair.get(r.scope) ?? []), r]);
  for (const [pairId, pairRecords] of byPair) {
    try {
      await unwrap(client.pairs[':id'].keys.$post({ param: { id: pairId }, json: { records: pairRecords } }, headers()));
    } catch (error) {
      // An ended pair takes no new keys; the new device then reads that pair's notes through the backup only.
      if (!(error instanceof ApiFailure && error.status === 409)) throw error;
    }
  }
}
