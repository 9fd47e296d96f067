/**
 * Why a ciphertext or wrapped key could not be read. The reason is a diagnostic for the person ("written before this
 * device was added"), not a security signal: every reason means the same thing to code, "do not show this text".
 * - `malformed`: not our format (wrong shape, unknown version, bad base64url, wrong lengths).
 * - `unknown-key`: names a key id this device does not hold, or a wrapped key addressed to another device.
 * - `wrong-key`: a key with that id is held, but it is not the key the ciphertext was made with (its key check fails).
 * - `tampered`: the right key, but authentication failed: the bytes, or the record/pair/field they are bound to, changed.
 */
export type UnreadableReason = 'malformed' | 'unknown-key' | 'wrong-key' | 'tampered';

export class UnreadableError extends Error {
  override readonly name = 'UnreadableError';
  constructor(
    readonly reason: UnreadableReason,
    message: string = reason,
  ) {
    super(message);
  }
}

export const isUnreadable = (error: unknown, reason?: UnreadableReason): error is UnreadableError =>
  error instanceof UnreadableError && (reason === undefined || error.reason === reason);
