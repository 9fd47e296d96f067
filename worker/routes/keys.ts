/**
 * End-to-end encryption, the server's side (issue 10): devices publish their public keys, symmetric keys travel
 * between devices wrapped to those public keys, a recovery-key backup is kept per person, and a new device asks the
 * person's other devices for approval. The server never sees a private key, an unwrapped key or a recovery key; it
 * checks shapes and who may address what to whom (shared/crypto/index.ts explains the scheme).
 *
 * Two sub-apps:
 * - `meKeyRoutes`, mounted at /me before the other /me sub-apps (me-data.ts has a sub-app-wide requireAuth that
 *   would otherwise run a second time); every route carries its own middleware, as in me.ts. Mentors and mentees
 *   only: admins hold no pair notes, so they have no keys.
 * - `pairKeyRoutes`, mounted at /pairs after pairRoutes, whose sub-app middleware (requireAuth, requireMember,
 *   idempotency) Hono applies to every /pairs/* path; no `.use` here (it would run idempotency twice), as checkins.ts.
 *
 * Who may be sent a key: a pair key only to a current (not revoked), approved device of a member of the pair whose
 * access is not revoked, while the pair has not ended; a personal key only to the person's own current approved
 * devices. Records are always sent from one of the caller's current approved devices (the record's `fromKey`; its id
 * is derived, never trusted).
 *
 * Approval: a person's first device is approved when it is registered (no approved device of theirs exists to vouch
 * for it); any later one waits until an approved device of theirs approves it (POST /me/devices/approvals/:id/complete)
 * or it restores their keys from the recovery-key backup (POST /me/devices/:deviceKeyId/recovered). Once approved, the
 * approver (or the partner, told through the live room's 'keys' topic) wraps the keys to it.
 */
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { deviceKeyIdOf, type WrappedKey } from '../../shared/crypto/index.ts';
import type { DeviceKey } from '../../shared/schemas/index.ts';
import {
  APPROVAL_TTL_MS,
  CompleteApproval,
  DeviceKeyId,
  Id,
  MyKeysQuery,
  PublishWrappedKeys,
  PutKeyBackup,
  RegisterDevice,
  RequestApproval,
} from '../../shared/schemas/index.ts';
import {
  approveDeviceStatement,
  completeApprovalStatement,
  countCurrentDevices,
  getApproval,
  getDevice,
  getDevices,
  getKeyBackup,
  hasKeyBackup,
  insertApprovalStatement,
  insertDeviceStatement,
  insertRecords,
  keyScopes,
  listDevicesOf,
  livePairIdsOf,
  listPendingApprovals,
  listRecordsFor,
  markPairEncryptedStatement,
  pairEncryptedSince,
  pairKeyIdsByDevice,
  putKeyBackup,
  revokeDevice,
} from '../db/keys.ts';
import type { AppEnv, AuthUser, Db } from '../env.ts';
import { requirePairMember } from '../lib/access.ts';
import { checkDeviceSpki } from '../lib/e2ee.ts';
import { ApiError, notFound, versionConflict } from '../lib/errors.ts';
import { newId } from '../lib/ids.ts';
import { idempotency, requireAuth, requireMember } from '../lib/middleware.ts';
import { nowIso } from '../lib/time.ts';
import { validate } from '../lib/validate.ts';
import { tellPair } from '../live/notify.ts';

/** Current devices a person may have at once (each is a place every key of theirs is wrapped to). */
export const MAX_DEVICES_PER_PERSON = 20;
/** Open approval requests a person may have at once. */
export const MAX_PENDING_APPROVALS = 5;

const DeviceParam = z.object({ deviceKeyId: DeviceKeyId });
const PairParam = z.object({ id: Id });
const ApprovalParam = z.object({ id: Id });

const invalid = (path: (string | number)[], message: string) =>
  new ApiError(400, 'invalid_input', `${path.join('.')}: ${message}`, { issues: [{ path, message }] });
const conflict = (message: string) => new ApiError(409, 'conflict', message);

export const WAITING_FOR_APPROVAL = 'This device is waiting for approval; approve it from your other device first';

/**
 * Tells the live room of each of the person's pairs that their devices changed (one approved, one revoked, or, with
 * `onlyFor`, a request for approval that only the person's own devices need to hear of). Call after the D1 write.
 */
async function tellPairsOf(c: Context<AppEnv>, userId: string, opts: { onlyFor?: string } = {}): Promise<void> {
  for (const pairId of await livePairIdsOf(c.var.db, userId)) tellPair(c, pairId, { topic: 'keys', ...opts });
}

/**
 * Checks a device key the caller registers, and finds it registered already (a retry), or gives the statement that
 * registers it (approved as the first device when the person has no approved one; insertDeviceStatement). A key
 * registered to someone else or revoked is a conflict: a device whose key was revoked makes a new key pair.
 */
async function prepareDevice(db: Db, auth: AuthUser, spki: string, label: string, path: string): Promise<{ id: string; existing: DeviceKey | null; statement?: D1PreparedStatement }> {
  const id = await checkDeviceSpki(spki, [path]);
  const existing = await getDevice(db, id);
  if (existing) {
    if (existing.userId !== auth.id) throw conflict('This device key is registered to someone else; make a new key pair');
    if (existing.revokedAt) throw conflict('This device key was revoked; make a new key pair on this device');
    return { id, existing };
  }
  if ((await countCurrentDevices(db, auth.id)) >= MAX_DEVICES_PER_PERSON) {
    throw conflict(`You have ${MAX_DEVICES_PER_PERSON} devices; remove one you no longer use first`);
  }
  return { id, existing: null, statement: insertDeviceStatement(db, { id, userId: auth.id, spki, label }) };
}

/** A device of the caller's as stored (after its registration or approval). */
async function storedDevice(db: Db, id: string): Promise<DeviceKey> {
  const device = await getDevice(db, id);
  if (!device) throw notFound('Device');
  return device;
}

/**
 * Checks records before they are stored: kind and scope as the route expects, sent from one of the caller's current
 * devices, addressed to a device `recipientProblem` accepts, and a key id that names no key of another scope.
 * Unknown devices are invalid input (400); a device that exists but may not take new keys is a conflict (409).
 */
async function checkRecords(
  db: Db,
  auth: AuthUser,
  records: readonly WrappedKey[],
  expected: { kind: 'pair' | 'personal'; scope: string; recipientProblem: (device: DeviceKey) => { status: 400 | 409; message: string } | null },
): Promise<{ record: WrappedKey; senderDeviceKeyId: string }[]> {
  const senderIds: string[] = [];
  for (const [i, r] of records.entries()) {
    if (r.kind !== expected.kind) throw invalid(['records', i, 'kind'], `Expected a ${expected.kind} key here`);
    if (r.scope !== expected.scope) throw invalid(['records', i, 'scope'], `Expected scope ${expected.scope}`);
    try {
      senderIds.push(await deviceKeyIdOf(r.fromKey));
    } catch {
      throw invalid(['records', i, 'fromKey'], 'Not base64url');
    }
  }
  // Two lookups, each under D1's 100 bound parameters (at most 100 records per request).
  const [senders, recipients, scopes] = await Promise.all([getDevices(db, senderIds), getDevices(db, records.map((r) => r.to)), keyScopes(db, records.map((r) => r.keyId))]);
  return records.map((record, i) => {
    const senderId = senderIds[i] ?? '';
    const sender = senders.get(senderId);
    if (!sender || sender.userId !== auth.id) throw invalid(['records', i, 'fromKey'], 'Not one of your registered devices');
    if (sender.revokedAt) throw conflict(`records.${i}.fromKey: this device was revoked; it cannot send keys`);
    if (!sender.approvedAt) throw new ApiError(409, 'conflict', WAITING_FOR_APPROVAL, { issues: [{ path: ['records', i, 'fromKey'], message: WAITING_FOR_APPROVAL }] });
    const recipient = recipients.get(record.to);
    if (!recipient) throw invalid(['records', i, 'to'], 'No such device');
    const problem = expected.recipientProblem(recipient);
    if (problem) throw problem.status === 400 ? invalid(['records', i, 'to'], problem.message) : conflict(`records.${i}.to: ${problem.message}`);
    const known = scopes.get(record.keyId);
    if (known && (known.kind !== record.kind || known.scope !== record.scope)) throw conflict(`records.${i}.keyId: this key id already names another key`);
    return { record, senderDeviceKeyId: senderId };
  });
}

export const meKeyRoutes = new Hono<AppEnv>()
  // ---- devices -----------------------------------------------------------------------------------------------
  /** The caller's devices, revoked ones included (so they can see what was removed and when). */
  .get('/devices', requireAuth, requireMember, async (c) => {
    return c.json({ devices: await listDevicesOf(c.var.db, [c.var.auth.id], { includeRevoked: true }) }, 200);
  })
  /**
   * Publishes this device's public key. Registering the same key again is the same device (200). The person's first
   * device is approved at once (`approvedVia: 'first-device'`); any other waits for approval (`approvedAt: null`).
   */
  .post('/devices', requireAuth, requireMember, idempotency, validate('json', RegisterDevice), async (c) => {
    const db = c.var.db;
    const input = c.req.valid('json');
    const { id, existing, statement } = await prepareDevice(db, c.var.auth, input.publicKeySpki, input.label, 'publicKeySpki');
    if (input.id !== undefined && input.id !== id) throw invalid(['id'], 'Not the id of this public key (base64url of its SHA-256)');
    if (statement) await statement.run();
    const device = existing ?? (await storedDevice(db, id));
    if (!existing && device.approvedAt) await tellPairsOf(c, c.var.auth.id);
    return c.json({ device }, existing ? 200 : 201);
  })
  /** Removes a device: it is sent no new keys, and the keys wrapped to it are dropped. Another person's is 404. */
  .delete('/devices/:deviceKeyId', requireAuth, requireMember, idempotency, validate('param', DeviceParam), async (c) => {
    const db = c.var.db;
    const found = await getDevice(db, c.req.valid('param').deviceKeyId);
    if (!found || found.userId !== c.var.auth.id) throw notFound('Device');
    if (!found.revokedAt) await revokeDevice(db, c.var.auth.id, found.id);
    const device = await storedDevice(db, found.id);
    // The partner's devices stop wrapping to it, and should rotate the pair key (shared/crypto key-ring.ts).
    if (!found.revokedAt) await tellPairsOf(c, c.var.auth.id);
    return c.json({ device }, 200);
  })
  /**
   * This device (one of the caller's current ones) says it restored the person's keys from their recovery-key
   * backup, and is approved with `approvedVia: 'recovery'`. It requires a backup to restore from. The server cannot
   * verify the restore: it never sees the recovery key, so a token thief could make the same call. That opens nothing
   * new: the bearer token is the server's whole notion of who the person is (its holder could as well revoke the
   * other devices and register a first one). What detects a device that the server or a token thief added is the
   * safety number the partners compare (shared/crypto/fingerprint.ts), which covers every device key of a person.
   */
  .post('/devices/:deviceKeyId/recovered', requireAuth, requireMember, idempotency, validate('param', DeviceParam), async (c) => {
    const db = c.var.db;
    const auth = c.var.auth;
    const found = await getDevice(db, c.req.valid('param').deviceKeyId);
    if (!found || found.userId !== auth.id) throw notFound('Device');
    if (found.revokedAt) throw conflict('This device was revoked; make a new key pair on it');
    if (found.approvedAt) return c.json({ device: found }, 200);
    if (!(await hasKeyBackup(db, auth.id))) throw conflict('No key backup to restore from');
    await approveDeviceStatement(db, auth.id, found.id, 'recovery').run();
    const device = await storedDevice(db, found.id);
    if (device.approvedAt) await tellPairsOf(c, auth.id);
    return c.json({ device }, 200);
  })

  // ---- device approval -----------------------------------------------------------------------------------------
  /**
   * A new device, signed in, asks to be approved: its key is registered (if it is not yet) and a request open for
   * ten minutes is made. One of the person's approved devices shows it, checks the code the new device shows
   * (shared/crypto/device-approval.ts), completes it (which approves the new device), and then wraps the keys to it
   * through POST /me/keys and /pairs/:id/keys (keys go to approved devices only). A key registered here for a person
   * with no approved device is their first device, approved at once; the request then needs no answer.
   */
  .post('/devices/approvals', requireAuth, requireMember, idempotency, validate('json', RequestApproval), async (c) => {
    const db = c.var.db;
    const auth = c.var.auth;
    const input = c.req.valid('json');
    const now = new Date();
    const { id, existing, statement } = await prepareDevice(db, auth, input.publicKeySpki, input.label, 'publicKeySpki');
    if ((await listPendingApprovals(db, auth.id, now.toISOString())).length >= MAX_PENDING_APPROVALS) {
      throw conflict(`You have ${MAX_PENDING_APPROVALS} open approval requests; approve or let them expire first`);
    }
    const approval = {
      id: newId(),
      deviceKeyId: id,
      publicKeySpki: input.publicKeySpki,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + APPROVAL_TTL_MS).toISOString(),
      completedAt: null,
    };
    await db.batch([...(statement ? [statement] : []), insertApprovalStatement(db, { ...approval, userId: auth.id, spki: approval.publicKeySpki })]);
    const device = existing ?? (await storedDevice(db, id));
    // A first device is news for the pairs; a request, for the person's own devices (the one that will approve it).
    await tellPairsOf(c, auth.id, !existing && device.approvedAt ? {} : { onlyFor: auth.id });
    return c.json({ approval }, 201);
  })
  /** Open requests, for the person's other devices to show. */
  .get('/devices/approvals', requireAuth, requireMember, async (c) => {
    return c.json({ approvals: await listPendingApprovals(c.var.db, c.var.auth.id, nowIso()) }, 200);
  })
  /** The approving device says it is done (after publishing the keys to the new device). */
  .post('/devices/approvals/:id/complete', requireAuth, requireMember, idempotency, validate('param', ApprovalParam), validate('json', CompleteApproval), async (c) => {
    const db = c.var.db;
    const auth = c.var.auth;
    const id = c.req.valid('param').id;
    const approval = await getApproval(db, auth.id, id);
    if (!approval) throw notFound('Approval request');
    if (approval.completedAt) return c.json({ approval }, 200);
    if (approval.expiresAt <= nowIso()) throw conflict('This approval request has expired; start again on the new device');
    const { approvedBy } = c.req.valid('json');
    if (approvedBy === approval.deviceKeyId) throw invalid(['approvedBy'], 'A device cannot approve itself');
    const [approver, newDevice] = await Promise.all([getDevice(db, approvedBy), getDevice(db, approval.deviceKeyId)]);
    if (!approver || approver.userId !== auth.id) throw invalid(['approvedBy'], 'Not one of your registered devices');
    if (approver.revokedAt) throw conflict('approvedBy: this device was revoked; it cannot approve others');
    if (!approver.approvedAt) throw conflict('approvedBy: this device is waiting for approval itself; approve the new device from one that is approved');
    if (!newDevice || newDevice.revokedAt) throw conflict('The new device was removed; start again on it');
    // One batch: the request is completed and the new device approved together, or neither.
    await db.batch([completeApprovalStatement(db, auth.id, id, approvedBy), approveDeviceStatement(db, auth.id, newDevice.id, 'device')]);
    const current = await getApproval(db, auth.id, id);
    if (!current) throw notFound('Approval request');
    if (!newDevice.approvedAt) await tellPairsOf(c, auth.id);
    return c.json({ approval: current }, 200);
  })

  // ---- personal keys -------------------------------------------------------------------------------------------
  /** Records addressed to the caller's current devices: personal keys, or pair keys, or both (`kind`). */
  .get('/keys', requireAuth, requireMember, validate('query', MyKeysQuery), async (c) => {
    const { kind } = c.req.valid('query');
    return c.json({ records: await listRecordsFor(c.var.db, c.var.auth.id, { kind: kind === 'all' ? null : kind, scope: kind === 'personal' ? c.var.auth.id : null }) }, 200);
  })
  /** Publishes personal-key records: the caller's own key, to the caller's own devices only. */
  .post('/keys', requireAuth, requireMember, idempotency, validate('json', PublishWrappedKeys), async (c) => {
    const db = c.var.db;
    const auth = c.var.auth;
    const checked = await checkRecords(db, auth, c.req.valid('json').records, {
      kind: 'personal',
      scope: auth.id,
      recipientProblem: (d) =>
        d.userId !== auth.id
          ? { status: 400, message: 'A personal key goes to your own devices only' }
          : d.revokedAt
            ? { status: 409, message: 'This device was revoked; it is sent no new keys' }
            : !d.approvedAt
              ? { status: 409, message: 'This device is waiting for approval; approve it first, then send it your keys' }
              : null,
    });
    await insertRecords(db, checked);
    return c.json({ ok: true as const }, 200);
  })

  // ---- recovery-key backup -------------------------------------------------------------------------------------
  .get('/key-backup', requireAuth, requireMember, async (c) => {
    const stored = await getKeyBackup(c.var.db, c.var.auth.id);
    return c.json(stored ? { backup: stored.backup, version: stored.version, updatedAt: stored.updatedAt } : { backup: null, version: 0, updatedAt: null }, 200);
  })
  /** Replaces the caller's backup when `version` is the one they read (0: none yet); a stale version is a 409. */
  .put('/key-backup', requireAuth, requireMember, idempotency, validate('json', PutKeyBackup), async (c) => {
    const db = c.var.db;
    const auth = c.var.auth;
    const { version, backup } = c.req.valid('json');
    if (backup.personId !== auth.id) throw invalid(['backup', 'personId'], 'A backup is of your own keys');
    if (backup.keys.some((k) => (k.kind === 'personal' && k.scope !== auth.id))) throw invalid(['backup', 'keys'], 'A personal key in your backup must be your own');
    if (!(await putKeyBackup(db, auth.id, version, backup))) {
      const current = await getKeyBackup(db, auth.id);
      throw versionConflict(current ?? { backup: null, version: 0, updatedAt: null });
    }
    const stored = await getKeyBackup(db, auth.id);
    if (!stored) throw notFound('Key backup');
    return c.json(stored, 200);
  });

export const pairKeyRoutes = new Hono<AppEnv>()
  /**
   * What a member's device needs to use and share the pair key: both members' current device public keys (the client
   * computes fingerprints and the safety number itself: a number the server computed would prove nothing), whether
   * each is approved and which of the pair's keys it holds, whether each member may still be sent keys, and the
   * pair-key records addressed to the caller's current devices.
   */
  .get('/:id/keys', validate('param', PairParam), async (c) => {
    const db = c.var.db;
    const auth = c.var.auth;
    const { pair } = await requirePairMember(db, auth, c.req.valid('param').id);
    const memberIds = [pair.mentorId, pair.menteeId];
    const [statuses, devices, keyIds, records, encryptedSince] = await Promise.all([
      memberStatuses(db, memberIds),
      listDevicesOf(db, memberIds, { includeRevoked: false }),
      pairKeyIdsByDevice(db, pair.id, memberIds),
      listRecordsFor(db, auth.id, { kind: 'pair', scope: pair.id }),
      pairEncryptedSince(db, pair.id),
    ]);
    const member = (userId: string, role: 'mentor' | 'mentee') => ({
      userId,
      role,
      active: pair.status !== 'ended' && statuses.get(userId) === 'active',
      devices: devices.filter((d) => d.userId === userId).map((d) => ({ ...d, keyIds: keyIds.get(d.id) ?? [] })),
    });
    return c.json({ pairId: pair.id, encryptedSince, members: [member(pair.mentorId, 'mentor'), member(pair.menteeId, 'mentee')], records }, 200);
  })
  /**
   * Publishes pair-key records. The first one makes the pair end-to-end encrypted: from then on its entry, agenda and
   * goal text must be ciphertext. The room is told ('keys'), so the members' other devices fetch their copies. An
   * ended pair takes no new keys, and neither does a member whose access was revoked: rotation (shared/crypto
   * key-ring.ts rotateKey) then wraps the new key to the remaining devices only.
   */
  .post('/:id/keys', validate('param', PairParam), validate('json', PublishWrappedKeys), async (c) => {
    const db = c.var.db;
    const auth = c.var.auth;
    const { pair } = await requirePairMember(db, auth, c.req.valid('param').id);
    if (pair.status === 'ended') throw conflict('This pair has ended: no new keys are sent to its members');
    const statuses = await memberStatuses(db, [pair.mentorId, pair.menteeId]);
    const checked = await checkRecords(db, auth, c.req.valid('json').records, {
      kind: 'pair',
      scope: pair.id,
      recipientProblem: (d) =>
        d.userId !== pair.mentorId && d.userId !== pair.menteeId
          ? { status: 400, message: 'Not a device of a member of this pair' }
          : statuses.get(d.userId) !== 'active'
            ? { status: 409, message: 'This person is no longer an active member of this pair; they are sent no new keys' }
            : d.revokedAt
              ? { status: 409, message: 'This device was revoked; it is sent no new keys' }
              : !d.approvedAt
                ? { status: 409, message: 'This device is waiting for approval by its owner; it is sent no keys until then' }
                : null,
    });
    await insertRecords(db, checked, [markPairEncryptedStatement(db, pair.id)]);
    tellPair(c, pair.id, { topic: 'keys' });
    return c.json({ ok: true as const }, 200);
  });

/** 'active' or 'revoked' for each user id. */
async function memberStatuses(db: Db, userIds: readonly string[]): Promise<Map<string, string>> {
  const { results } = await db
    .prepare(`SELECT id, status FROM users WHERE id IN (${userIds.map(() => '?').join(', ')})`)
    .bind(...userIds)
    .all<{ id: string; status: string }>();
  return new Map(results.map((r) => [r.id, r.status]));
}
