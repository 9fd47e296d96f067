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
 * Who may be sent a key: a pair key only to a current (not revoked) device of a member of the pair whose access is
 * not revoked, while the pair has not ended; a personal key only to the person's own current devices. Records are
 * always sent from one of the caller's current devices (the record's `fromKey`; its id is derived, never trusted).
 */
import { Hono } from 'hono';
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
  completeApproval,
  countCurrentDevices,
  getApproval,
  getDevice,
  getDevices,
  getKeyBackup,
  insertApprovalStatement,
  insertDeviceStatement,
  insertRecords,
  keyScopes,
  listDevicesOf,
  listPendingApprovals,
  listRecordsFor,
  markPairEncryptedStatement,
  pairEncryptedSince,
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

/**
 * Registers a device key for the caller, or finds it registered already (a retry). A key registered to someone else
 * or revoked is a conflict: a device whose key was revoked makes a new key pair.
 */
async function registerDevice(db: Db, auth: AuthUser, spki: string, label: string, path: string): Promise<{ device: DeviceKey; created: boolean; statement?: D1PreparedStatement }> {
  const id = await checkDeviceSpki(spki, [path]);
  const existing = await getDevice(db, id);
  if (existing) {
    if (existing.userId !== auth.id) throw conflict('This device key is registered to someone else; make a new key pair');
    if (existing.revokedAt) throw conflict('This device key was revoked; make a new key pair on this device');
    return { device: existing, created: false };
  }
  if ((await countCurrentDevices(db, auth.id)) >= MAX_DEVICES_PER_PERSON) {
    throw conflict(`You have ${MAX_DEVICES_PER_PERSON} devices; remove one you no longer use first`);
  }
  const device: DeviceKey = { id, userId: auth.id, publicKeySpki: spki, label, createdAt: nowIso(), revokedAt: null };
  return { device, created: true, statement: insertDeviceStatement(db, { id, userId: auth.id, spki, label }) };
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
  /** Publishes this device's public key. Registering the same key again is the same device (200). */
  .post('/devices', requireAuth, requireMember, idempotency, validate('json', RegisterDevice), async (c) => {
    const db = c.var.db;
    const input = c.req.valid('json');
    const { device, created, statement } = await registerDevice(db, c.var.auth, input.publicKeySpki, input.label, 'publicKeySpki');
    if (input.id !== undefined && input.id !== device.id) throw invalid(['id'], 'Not the id of this public key (base64url of its SHA-256)');
    if (statement) await statement.run();
    return c.json({ device }, created ? 201 : 200);
  })
  /** Removes a device: it is sent no new keys, and the keys wrapped to it are dropped. Another person's is 404. */
  .delete('/devices/:deviceKeyId', requireAuth, requireMember, idempotency, validate('param', DeviceParam), async (c) => {
    const db = c.var.db;
    const found = await getDevice(db, c.req.valid('param').deviceKeyId);
    if (!found || found.userId !== c.var.auth.id) throw notFound('Device');
    if (!found.revokedAt) await revokeDevice(db, c.var.auth.id, found.id);
    const device = await getDevice(db, found.id);
    if (!device) throw notFound('Device');
    return c.json({ device }, 200);
  })

  // ---- device approval -----------------------------------------------------------------------------------------
  /**
   * A new device, signed in, asks to be approved: its key is registered (if it is not yet) and a request open for
   * ten minutes is made. One of the person's other devices shows it, checks the code the new device shows
   * (shared/crypto/device-approval.ts), wraps the keys to it through POST /me/keys and /pairs/:id/keys, and completes it.
   */
  .post('/devices/approvals', requireAuth, requireMember, idempotency, validate('json', RequestApproval), async (c) => {
    const db = c.var.db;
    const auth = c.var.auth;
    const input = c.req.valid('json');
    const now = new Date();
    const { device, statement } = await registerDevice(db, auth, input.publicKeySpki, input.label, 'publicKeySpki');
    if ((await listPendingApprovals(db, auth.id, now.toISOString())).length >= MAX_PENDING_APPROVALS) {
      throw conflict(`You have ${MAX_PENDING_APPROVALS} open approval requests; approve or let them expire first`);
    }
    const approval = {
      id: newId(),
      deviceKeyId: device.id,
      publicKeySpki: device.publicKeySpki,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + APPROVAL_TTL_MS).toISOString(),
      completedAt: null,
    };
    await db.batch([...(statement ? [statement] : []), insertApprovalStatement(db, { ...approval, userId: auth.id, spki: approval.publicKeySpki })]);
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
    if (!newDevice || newDevice.revokedAt) throw conflict('The new device was removed; start again on it');
    await completeApproval(db, auth.id, id, approvedBy);
    const current = await getApproval(db, auth.id, id);
    if (!current) throw notFound('Approval request');
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
   * each member may still be sent keys, and the pair-key records addressed to the caller's current devices.
   */
  .get('/:id/keys', validate('param', PairParam), async (c) => {
    const db = c.var.db;
    const auth = c.var.auth;
    const { pair } = await requirePairMember(db, auth, c.req.valid('param').id);
    const [statuses, devices, records, encryptedSince] = await Promise.all([
      memberStatuses(db, [pair.mentorId, pair.menteeId]),
      listDevicesOf(db, [pair.mentorId, pair.menteeId], { includeRevoked: false }),
      listRecordsFor(db, auth.id, { kind: 'pair', scope: pair.id }),
      pairEncryptedSince(db, pair.id),
    ]);
    const member = (userId: string, role: 'mentor' | 'mentee') => ({
      userId,
      role,
      active: pair.status !== 'ended' && statuses.get(userId) === 'active',
      devices: devices.filter((d) => d.userId === userId),
    });
    return c.json({ pairId: pair.id, encryptedSince, members: [member(pair.mentorId, 'mentor'), member(pair.menteeId, 'mentee')], records }, 200);
  })
  /**
   * Publishes pair-key records. The first one makes the pair end-to-end encrypted: from then on its entry and agenda
   * text must be ciphertext. An ended pair takes no new keys, and neither does a member whose access was revoked:
   * rotation (shared/crypto key-ring.ts rotateKey) then wraps the new key to the remaining devices only.
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
              : null,
    });
    await insertRecords(db, checked, [markPairEncryptedStatement(db, pair.id)]);
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
