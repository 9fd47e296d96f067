/**
 * Sealing and opening the text of records (issue 10). Every field is bound to its pair, record and field name
 * (shared/crypto/seal.ts), so a ciphertext moved elsewhere is refused, and a refused field is shown as locked with a
 * reason, never as garbage.
 *
 * Text is sealed as soon as the user writes it: with the pair's (or, for a private entry, the personal) key when this
 * device has it, else with this device's **local key**, which never leaves it. The outbox therefore holds only
 * ciphertext at rest. Before an op is sent, `forServer` re-seals locally sealed text with the real key; that is the
 * one moment a key must be fetched or made, and until it can be the op waits with a clear message.
 */
import {
  type KeyRing,
  type SealContext,
  type SymmetricKey,
  currentKey,
  isSealed,
  isUnreadable,
  keyIdOf,
  open,
  seal,
} from '../../../shared/crypto/index.ts';
import { generateExtractableKey, toNonExtractable } from '../../../shared/crypto/symmetric-keys.ts';
import { t } from '../i18n.ts';
import { type Me, ensureDevice, isApproved } from './device.ts';
import { addHeldKeys, heldKeys, pairRing, personalRing, ringOf } from './rings.ts';

export type Field = { pairId: string; recordId: string; field: string };
export type Audience = 'pair' | 'personal';

/** The sentences a locked field shows (the UI prints them as they are), read in the browser's language when used. */
export const LOCKED = {
  get missingKeyPending() {
    return t('e2eeText_lockedBeforeDevice');
  },
  get missingKey() {
    return t('e2eeText_lockedMissingKey');
  },
  get refused() {
    return t('e2eeText_lockedRefused');
  },
};

/** Thrown when text cannot be sealed for the server yet: the op waits, showing this. */
export class KeyNotReadyError extends Error {
  override readonly name = 'KeyNotReadyError';
}

async function localKey(userId: string): Promise<SymmetricKey> {
  const found = (await heldKeys(userId)).find((k) => k.origin === 'local');
  if (found) return found.key;
  const { key, info } = await generateExtractableKey('personal', `local:${userId}`, new Date());
  const made = { ...info, key: await toNonExtractable(key) };
  await addHeldKeys(userId, [{ userId, origin: 'local', key: made, record: null }]);
  return made;
}

const isLocalKey = async (userId: string, keyId: string | undefined) =>
  keyId !== undefined && (await heldKeys(userId)).some((k) => k.origin === 'local' && k.key.keyId === keyId);

/** The ring this device already holds for the audience, without the network. */
async function heldRing(who: Me, audience: Audience, pairId: string): Promise<KeyRing | null> {
  return ringOf(await heldKeys(who.userId), audience, audience === 'pair' ? pairId : who.userId);
}

/** Seals text for the outbox: with the real key when it is here, else with the local key. Never plain at rest. */
export async function sealForOutbox(who: Me, audience: Audience, at: Field, text: string): Promise<string> {
  const ring = await heldRing(who, audience, at.pairId);
  const key = ring ? currentKey(ring) : await localKey(who.userId);
  return seal({ key, plaintext: text, context: at });
}

/**
 * What the server gets for a field: unchanged when it is sealed with a pair or personal key; re-sealed when the
 * local key sealed it (fetching or making the pair's key first). Throws KeyNotReadyError while this device cannot.
 */
export async function forServer(who: Me, audience: Audience, at: Field, value: string): Promise<string> {
  if (isSealed(value) && !(await isLocalKey(who.userId, keyIdOf(value)))) return value;
  const text = isSealed(value) ? await openField(who, at, value) : value;
  let ring: KeyRing | null;
  if (audience === 'personal') ring = await personalRing(who);
  else ring = (await pairRing(who, at.pairId)).ring;
  if (!ring) {
    const { server } = await ensureDevice(who);
    throw new KeyNotReadyError(
      isApproved(server)
        ? t('e2eeText_waitingForPairKey')
        : t('e2eeText_waitingForApproval'),
    );
  }
  return seal({ key: currentKey(ring), plaintext: text, context: at });
}

async function openField(who: Me, at: Field, sealed: string): Promise<string> {
  const keys = (await heldKeys(who.userId)).map((k) => k.key);
  return open({ keys, sealed, context: at });
}

/** Opened text, or why it stays locked. Plain text (a pair not encrypted yet) comes back as it is. */
export type Opened = { text: string; locked: null } | { text: ''; locked: string; reason: 'missing-key' | 'refused' };

const cache = new Map<string, string>();
const CACHE_LIMIT = 20_000;

export async function openText(who: Me, at: Field, value: string): Promise<Opened> {
  if (!isSealed(value as unknown)) {
    // A value shaped like nothing we make is text from before encryption: shown as it is.
    if (!value.startsWith('a1.')) return { text: value, locked: null };
    return { text: '', locked: LOCKED.refused, reason: 'refused' };
  }
  const cacheKey = `${at.pairId}|${at.recordId}|${at.field}|${value}`;
  const hit = cache.get(cacheKey);
  if (hit !== undefined) return { text: hit, locked: null };
  try {
    const text = await openField(who, at, value);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(cacheKey, text);
    return { text, locked: null };
  } catch (error) {
    if (!isUnreadable(error)) throw error;
    if (error.reason === 'unknown-key') {
      const pending = await devicePending(who);
      return { text: '', locked: pending ? LOCKED.missingKeyPending : LOCKED.missingKey, reason: 'missing-key' };
    }
    return { text: '', locked: LOCKED.refused, reason: 'refused' };
  }
}

async function devicePending(who: Me): Promise<boolean> {
  try {
    return !isApproved((await ensureDevice(who)).server);
  } catch {
    return false;
  }
}

/** Forgets opened text held in memory (sign-out). */
export function forgetOpenedText(): void {
  cache.clear();
}
