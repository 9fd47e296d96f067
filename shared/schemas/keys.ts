/**
 * End-to-end encryption, the API's part (issue 10): device public keys, wrapped keys, key backups and device
 * approvals. The record shapes themselves (WrappedKey, KeyBackup, Sealed) are the crypto core's (shared/crypto);
 * this file says what the routes take and answer. The server holds no key that opens anything: it checks shapes and
 * who may address what to whom.
 */
import { z } from 'zod';
import { KeyBackup } from '../crypto/backup.ts';
import { WrappedKey } from '../crypto/key-wrap.ts';
import { Id, IsoDateTime, Text, Version } from './common.ts';

/** base64url(SHA-256(SPKI)): 32 bytes → 43 characters. */
export const DeviceKeyId = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'A device key id is 43 base64url characters');
/**
 * A P-256 public key as SPKI DER, base64url: 91 bytes (122 characters) uncompressed. A little room either side for
 * other encodings; the worker imports it with WebCrypto, which is the real check.
 */
export const PublicKeySpki = z.string().min(40).max(400).regex(/^[A-Za-z0-9_-]+$/, 'A public key is SPKI in base64url');

/**
 * How a device came to hold the person's keys: it was their first (no approved device of theirs existed when it was
 * registered), another approved device of theirs approved it, or it restored their keys from the recovery-key backup.
 */
export const DeviceApprovedVia = z.enum(['first-device', 'device', 'recovery']);
export type DeviceApprovedVia = z.infer<typeof DeviceApprovedVia>;

/** One device key as the API shows it. Fingerprints and safety numbers are computed by the client from the SPKI. */
export const DeviceKey = z.object({
  id: DeviceKeyId,
  userId: Id,
  publicKeySpki: PublicKeySpki,
  label: z.string(),
  createdAt: IsoDateTime,
  revokedAt: IsoDateTime.nullable(),
  /** Null while the device waits for approval: keys are sent only from and to approved devices. */
  approvedAt: IsoDateTime.nullable(),
  approvedVia: DeviceApprovedVia.nullable(),
});
export type DeviceKey = z.infer<typeof DeviceKey>;

export const RegisterDevice = z.object({
  publicKeySpki: PublicKeySpki,
  /** Must equal deviceKeyIdOf(publicKeySpki) when sent: a client that computed another id has a bug worth a 400. */
  id: DeviceKeyId.optional(),
  label: Text.trim().max(100).default(''),
});
export type RegisterDevice = z.input<typeof RegisterDevice>;

/** At most this many records in one POST: two members × MAX_DEVICES_PER_PERSON devices, with room for a rotation. */
export const MAX_RECORDS_PER_REQUEST = 100;
export const PublishWrappedKeys = z.object({ records: z.array(WrappedKey).min(1).max(MAX_RECORDS_PER_REQUEST) });
export type PublishWrappedKeys = z.input<typeof PublishWrappedKeys>;

/** GET /me/keys: personal-key records by default; `all` adds the pair keys of every pair (approval, backup). */
export const MyKeysQuery = z.object({ kind: z.enum(['personal', 'pair', 'all']).default('personal') });

/**
 * A member's current device in GET /pairs/:id/keys, pending ones included (clients show them, and wrap pair keys to
 * approved ones only). `keyIds`: the ids of this pair's pair keys wrapped to it, so a member's device can see which
 * devices still lack a key it holds.
 */
export const PairDeviceKey = DeviceKey.extend({ keyIds: z.array(z.string()) });
export type PairDeviceKey = z.infer<typeof PairDeviceKey>;

export const PairMemberKeys = z.object({
  userId: Id,
  role: z.enum(['mentor', 'mentee']),
  /** False when the person's access was revoked or the pair has ended: new keys are not sent to their devices. */
  active: z.boolean(),
  devices: z.array(PairDeviceKey),
});

/** GET /pairs/:id/keys */
export const PairKeys = z.object({
  pairId: Id,
  encryptedSince: IsoDateTime.nullable(),
  members: z.array(PairMemberKeys),
  /** Pair-key records addressed to the caller's current devices. */
  records: z.array(WrappedKey),
});
export type PairKeys = z.infer<typeof PairKeys>;

/** A backup is at most this many keys (the request body limit would stop a larger one anyway). */
export const MAX_BACKUP_KEYS = 250;
export const PutKeyBackup = z.object({
  /** The version being replaced: 0 when the person has no backup yet. A stale one is a 409 with the current backup. */
  version: z.number().int().min(0),
  backup: KeyBackup.refine((b) => b.keys.length <= MAX_BACKUP_KEYS, { message: `At most ${MAX_BACKUP_KEYS} keys in a backup`, path: ['keys'] }),
});
export const StoredKeyBackup = z.object({ backup: KeyBackup, version: Version, updatedAt: IsoDateTime });

/** How long a new device's request for approval stays open. */
export const APPROVAL_TTL_MS = 10 * 60_000;
export const RequestApproval = z.object({ publicKeySpki: PublicKeySpki, label: Text.trim().max(100).default('') });
export const CompleteApproval = z.object({ approvedBy: DeviceKeyId });
export const DeviceApproval = z.object({
  id: Id,
  deviceKeyId: DeviceKeyId,
  publicKeySpki: PublicKeySpki,
  createdAt: IsoDateTime,
  expiresAt: IsoDateTime,
  completedAt: IsoDateTime.nullable(),
});
export type DeviceApproval = z.infer<typeof DeviceApproval>;
