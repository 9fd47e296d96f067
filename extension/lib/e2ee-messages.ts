/**
 * Page ↔ background messages about end-to-end encryption (issue 10): this device's keys, approving a new device,
 * the recovery key, safety numbers and the migration of a pair's existing notes. Spread into `appRequests`.
 * The background alone holds keys (extension/lib/e2ee); pages only ever see decrypted text and these statuses.
 */
import { z } from 'zod';
import { Id, IsoDateTime } from '../../shared/schemas/index.ts';

/**
 * This device:
 * - `none`: no key pair yet (signed out, or set-up not run yet);
 * - `pending`: made a key pair, but the person has another device: it waits to be approved from there (or for the
 *   recovery key) and shows `approvalCode`;
 * - `ready`: approved; it holds (or makes) the keys.
 */
export const DeviceState = z.enum(['none', 'pending', 'ready']);
export type DeviceState = z.infer<typeof DeviceState>;

export const OwnDevice = z.object({
  deviceKeyId: z.string(),
  label: z.string(),
  createdAt: IsoDateTime,
  approvedAt: IsoDateTime.nullable(),
  /** This browser. */
  current: z.boolean(),
});
export type OwnDevice = z.infer<typeof OwnDevice>;

/** Another device of the person asking to be approved from this one. */
export const ApprovalRequest = z.object({ id: Id, label: z.string(), createdAt: IsoDateTime, expiresAt: IsoDateTime });
export type ApprovalRequest = z.infer<typeof ApprovalRequest>;

/**
 * A pair's encryption as this device sees it:
 * - `plain`: not encrypted yet (nobody has set up a key);
 * - `migrating`: keys are here; existing plain-text notes are being sealed (`migration` says how far);
 * - `encrypted`: every note is ciphertext on the server;
 * - `locked`: the pair is encrypted, but this device holds none of its keys yet.
 */
export const PairEncryption = z.object({
  pairId: Id,
  partnerName: z.string(),
  state: z.enum(['plain', 'migrating', 'encrypted', 'locked']),
  migration: z.object({ done: z.number().int().min(0), total: z.number().int().min(0) }).nullable(),
  /** 60 digits in 12 groups of 5 (shared/crypto/fingerprint.ts), null until both partners have a device key. */
  safetyNumber: z.string().nullable(),
  /** An error of the last key or migration step, shown as it is (never silent). */
  error: z.string().nullable(),
});
export type PairEncryption = z.infer<typeof PairEncryption>;

export const E2eeStatus = z.object({
  state: DeviceState,
  /** The 20 digits this device shows while `pending`, for the person to check on their other device. */
  approvalCode: z.string().nullable(),
  /** Whether the person has a recovery-key backup on the server. */
  hasRecoveryBackup: z.boolean(),
  devices: z.array(OwnDevice),
  /** Requests from the person's new devices that this (ready) device may approve. */
  approvals: z.array(ApprovalRequest),
  pairs: z.array(PairEncryption),
});
export type E2eeStatus = z.infer<typeof E2eeStatus>;

/** A recovery key is shown once, as groups of 4 characters joined by dashes (shared/crypto/recovery-key.ts). */
const WithRecoveryKey = z.object({ recoveryKey: z.string().nullable(), status: E2eeStatus });

export const e2eeRequests = {
  /** What the options page and side panel show; also starts key set-up and pending migrations in the background. */
  'e2ee.status': { request: z.object({}), response: E2eeStatus },
  /**
   * The first device of a person: makes the personal key and the recovery-key backup, and answers the recovery key
   * ONCE (null when this device was already set up). A second device gets `pending` instead: approve it from the
   * other device or restore with the recovery key.
   */
  'e2ee.setUp': { request: z.object({}), response: WithRecoveryKey },
  /** On a ready device: approve one of the person's new devices after checking the code it shows. */
  'e2ee.approve': { request: z.object({ approvalId: Id, code: z.string().trim().min(1).max(60) }), response: E2eeStatus },
  /** On a pending device: restore the keys from the server's backup with the recovery key. */
  'e2ee.restore': { request: z.object({ recoveryKey: z.string().trim().min(1).max(100) }), response: E2eeStatus },
  /** Replaces the recovery key (the old one stops working) and answers the new one, once. */
  'e2ee.newRecoveryKey': { request: z.object({}), response: WithRecoveryKey },
  /** Removes one of the person's devices (a lost laptop): it is sent no new keys, and pair keys it held are rotated. */
  'e2ee.removeDevice': { request: z.object({ deviceKeyId: z.string().min(1).max(100) }), response: E2eeStatus },
} as const;
