/**
 * End-to-end encryption core for issue 10 ("Notes only the pair can read"). Pure WebCrypto (crypto.subtle): the same
 * code runs in the extension (Chrome, Firefox), in workerd and in Node 22. No hand-written primitives, no library.
 * The extension's side is extension/lib/e2ee (keys in IndexedDB, sealing in the background); the server's is
 * worker/routes/keys.ts.
 *
 * ## Keys and who holds them
 * - **Device key pair** (device-keys.ts). ECDH P-256, made on each device; the private key is non-extractable and
 *   lives as a CryptoKey in the extension's IndexedDB. P-256 rather than X25519: P-256 ECDH works in every browser
 *   and in workerd today; X25519 only reached all engines in 2025. Records carry `alg`, so a later version can move.
 * - **Pair key** (one ring per pair) and **personal key** (one ring per person, for private entries): AES-256-GCM,
 *   random, with a 16-character key id and a key check value (symmetric-keys.ts). In use they are non-extractable.
 * - **Recovery key** (recovery-key.ts): 160 random bits, printed once; derives the key of the server-stored backup.
 *
 * ## Why per-device key pairs, not one identity key pair per person
 * The issue asks for an identity key pair made on the first device, its private key non-extractable, *and* for the
 * first device to "wrap the keys" to a second device. A non-extractable private key cannot be wrapped (wrapKey
 * requires an extractable key), so it can never reach a second device. So every device has its own key pair, and
 * what travels between devices is the person's **symmetric** keys: their personal key and the pair keys they hold,
 * each wrapped to the new device's public key (device-approval.ts), or restored from the recovery-key backup
 * (backup.ts). A person's fingerprint therefore covers all of their device keys (fingerprint.ts): adding a device
 * changes the safety number, which is right, since each device key is a place pair keys get wrapped to.
 *
 * ## Wrapping (key-wrap.ts)
 * A key is wrapped to one device public key with ephemeral+static ECDH (HPKE's AuthEncap shape, RFC 9180) → HKDF-
 * SHA-256 (info binds purpose, kind, pair/person id, key id, recipient, sender) → AES-256-GCM wrapKey. The result is
 * a small JSON record of strings (`WrappedKey`, version `w1`). The static half authenticates the sending device:
 * callers must check `wrappedBy` is a device of a current member before using a key (the server could otherwise
 * wrap a key of its own to everyone). AES key bytes never become JS values: wrapKey/unwrapKey, and an AES-KW round
 * trip (toNonExtractable) to turn a freshly made key non-extractable. What does pass through JS: the ECDH output on
 * its way into HKDF (deriveBits → importKey), and the recovery secret, which a person types in anyway.
 *
 * ## Sealing a field (seal.ts)
 * `a1.<keyId>.<nonce>.<ciphertext>`; AES-256-GCM, random 96-bit nonce, additional data = version, key id, pair id,
 * record id, field. `open` returns the text or throws `UnreadableError` with `malformed` / `unknown-key` /
 * `wrong-key` / `tampered`. NIST SP 800-38D limits a key to 2^32 random-nonce messages: ~11,000 years of 1,000
 * fields a day, so a pair key never wears out; rotation is for membership changes.
 *
 * ## Rotation (key-ring.ts)
 * A ring holds every key of a pair; new writes use the newest, old ciphertexts open by their key id. Removing a
 * member = `rotateKey` to the remaining members' devices only. The removed member keeps what they already had.
 *
 * ## Not covered yet (for the wiring stage)
 * - Storage: IndexedDB for device keys and unwrapped CryptoKeys; the outbox encrypted at rest; server tables and
 *   routes for device keys, wrapped keys and backups; `Sealed` required by the API once a pair is encrypted.
 * - Trust decisions: which device keys belong to whom (membership + safety-number verification in the UI), and
 *   refusing keys `wrappedBy` a device that is not a current member's.
 * - Device revocation (a lost laptop): rotate every ring it held and drop its wrapped records; not automated here.
 * - Migration of existing plaintext pairs, search, export, the goal-title "visible to the programme" flag.
 * - Forward secrecy: a stolen device with its private key reads everything wrapped to it, past and future (until
 *   rotation); there is no ratchet. Backup rollback: the server can serve an older backup (missing newer keys).
 * - Metadata stays visible by design: ids, kinds, timestamps, key ids, ciphertext lengths (≈ text lengths).
 */
export { fromBase64url, toBase64url } from './base64url.ts';
export { UnreadableError, isUnreadable, type UnreadableReason } from './errors.ts';
export { createDeviceKeyPair, deviceKeyIdOf, exportPublicKey, importPublicKey, type DeviceKeyPair } from './device-keys.ts';
export { deviceFingerprint, groupDigits, personFingerprint, safetyNumber, type PersonKeys } from './fingerprint.ts';
export { keyInfoOf, verifyKeyCheck, type KeyInfo, type KeyKind, type SymmetricKey } from './symmetric-keys.ts';
export {
  WrappedKey,
  createSymmetricKey,
  rewrapKeyRecord,
  unwrapKeyRecord,
  type CreatedKey,
  type UnwrappedKey,
} from './key-wrap.ts';
export { Sealed, isSealed, keyIdOf, open, seal, type SealContext } from './seal.ts';
export { addKey, currentKey, keyRing, openWithRing, rotateKey, sealWithRing, type KeyRing } from './key-ring.ts';
export { InvalidRecoveryKeyError, createRecoveryKey, formatRecoveryKey, parseRecoveryKey, type RecoveryKey } from './recovery-key.ts';
export { KeyBackup, backupSealer, restoreBackup, sealBackup, type BackupSealer } from './backup.ts';
export { ApprovalCodeMismatchError, approvalCode, approveDevice } from './device-approval.ts';
