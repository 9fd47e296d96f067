/**
 * The symmetric keys this device uses (issue 10), fetched, checked, made and shared:
 * - the **personal key** (one ring per person) seals private entries; it only ever goes to the person's own devices;
 * - the **pair key** (one ring per pair) seals everything both partners read. Whichever member's device first needs
 *   one and holds none makes one and wraps it to every approved device of both active members. A device that holds
 *   a key shares it with approved member devices that lack it (the partner's first device, added later). When a
 *   member is no longer active (access revoked, pair ended) and their devices held the newest key, the next writer
 *   rotates: the fresh key goes to the remaining member's devices only, so new notes are never readable to them.
 *
 * A wrapped key is used only when the device that wrapped it is an approved device of a member of the pair (or, for
 * a personal key, one of the person's own approved devices): otherwise the server could slip in a key of its own.
 */
import {
  type DeviceKeyPair,
  type KeyRing,
  type SymmetricKey,
  type WrappedKey,
  createSymmetricKey,
  currentKey,
  keyRing,
  rewrapKeyRecord,
  unwrapKeyRecord,
} from '../../../shared/crypto/index.ts';
import { MAX_RECORDS_PER_REQUEST, type DeviceKey, type PairKeys } from '../../../shared/schemas/index.ts';
import { api, unwrap } from '../background/api.ts';
import { t } from '../i18n.ts';
import { type Me, ensureDevice, isApproved } from './device.ts';
import { keysOf, putKeys, type StoredKey } from './store.ts';

/** How long a pair's key state from the server is reused before asking again. */
const PAIR_TTL_MS = 30_000;

const memory = new Map<string, StoredKey[]>();
const listeners = new Set<(userId: string) => void>();

/** Called after keys were added on this device (the backup is rewritten, migrations start). */
export function onKeysAdded(listener: (userId: string) => void): void {
  listeners.add(listener);
}

/** Every key this device holds for the person, by key id: what opens a sealed value. */
export async function heldKeys(userId: string): Promise<StoredKey[]> {
  let keys = memory.get(userId);
  if (!keys) {
    keys = await keysOf(userId);
    memory.set(userId, keys);
  }
  return keys;
}

export async function addHeldKeys(userId: string, added: readonly StoredKey[]): Promise<void> {
  const fresh = added.filter((k) => !(memory.get(userId) ?? []).some((h) => h.key.keyId === k.key.keyId));
  if (fresh.length === 0) return;
  await putKeys(fresh);
  memory.set(userId, [...(await heldKeys(userId)).filter((h) => !fresh.some((f) => f.key.keyId === h.key.keyId)), ...fresh]);
  for (const listener of listeners) listener(userId);
}

export function forgetHeldKeys(): void {
  memory.clear();
  pairStates.clear();
  personalChecked.clear();
}

/** The ring of one kind and scope among the held keys, newest last (keyRing sorts), or null when none is held. */
export const ringOf = (keys: readonly StoredKey[], kind: 'pair' | 'personal', scope: string): KeyRing | null => {
  const matching = keys.filter((k) => k.origin === 'wrapped' && k.key.kind === kind && k.key.scope === scope).map((k) => k.key);
  return matching.length ? keyRing(matching) : null;
};

/** This device's own wrapped records (to re-wrap for a new device or a partner, and for the backup). */
export async function ownRecords(userId: string): Promise<WrappedKey[]> {
  return (await heldKeys(userId)).flatMap((k) => (k.origin === 'wrapped' ? [k.record] : []));
}

/** Unwraps records addressed to this device, keeping those wrapped by a device `trusted` accepts. */
async function acceptRecords(
  who: Me,
  device: DeviceKeyPair,
  records: readonly WrappedKey[],
  trusted: (deviceKeyId: string) => boolean,
): Promise<{ accepted: number; refused: number }> {
  const held = new Set((await heldKeys(who.userId)).map((k) => k.key.keyId));
  const added: StoredKey[] = [];
  let refused = 0;
  for (const record of records) {
    if (record.to !== device.deviceKeyId || held.has(record.keyId)) continue;
    try {
      const { key, wrappedBy } = await unwrapKeyRecord(record, device);
      if (!trusted(wrappedBy.deviceKeyId)) {
        refused++;
        console.warn('Alongside: ignoring a key wrapped by a device that is not an approved member device', record.keyId);
        continue;
      }
      added.push({ userId: who.userId, origin: 'wrapped', key, record });
      held.add(record.keyId);
    } catch (error) {
      refused++;
      console.warn('Alongside: a wrapped key could not be opened on this device', record.keyId, error instanceof Error ? error.message : error);
    }
  }
  await addHeldKeys(who.userId, added);
  return { accepted: added.length, refused };
}

// ---- personal key ---------------------------------------------------------------------------------------------

const personalChecked = new Map<string, number>();

/**
 * The person's personal-key ring on this device, fetched from the server when not checked lately. An approved
 * device of a person with no personal key anywhere makes it. Null while this device is waiting for approval.
 */
export async function personalRing(who: Me, options: { fresh?: boolean } = {}): Promise<KeyRing | null> {
  const local = ringOf(await heldKeys(who.userId), 'personal', who.userId);
  const checkedAt = personalChecked.get(who.userId) ?? 0;
  if (local && !options.fresh && Date.now() - checkedAt < PAIR_TTL_MS * 10) return local;
  // One at a time: two callers at once (the sign-in and the options page) must not each make a personal key.
  let running = personalRunning.get(who.userId);
  if (!running) {
    running = refreshPersonal(who).finally(() => personalRunning.delete(who.userId));
    personalRunning.set(who.userId, running);
  }
  return running;
}

const personalRunning = new Map<string, Promise<KeyRing | null>>();

async function refreshPersonal(who: Me): Promise<KeyRing | null> {
  const { stored, server } = await ensureDevice(who);
  const client = await api(who.serverUrl);
  const [{ records }, { devices }] = await Promise.all([
    unwrap(client.me.keys.$get({ query: { kind: 'personal' } })),
    unwrap(client.me.devices.$get()),
  ]);
  const mine = new Set(devices.filter((d) => d.revokedAt === null && isApproved(d)).map((d) => d.id));
  await acceptRecords(who, stored.device, records, (id) => mine.has(id));
  personalChecked.set(who.userId, Date.now());
  const ring = ringOf(await heldKeys(who.userId), 'personal', who.userId);
  if (ring || !isApproved(server)) return ring;
  // Only the person's first device makes their personal key; any later device is given it (approval or recovery
  // key), so a person never ends up with two personal keys their devices disagree on.
  if (records.length > 0 || server.approvedVia !== 'first-device') return null;
  const recipients = devices.filter((d) => d.revokedAt === null && isApproved(d)).map((d) => d.publicKeySpki);
  if (!recipients.includes(stored.device.publicKeySpki)) recipients.push(stored.device.publicKeySpki);
  const created = await createSymmetricKey({ kind: 'personal', scope: who.userId, sender: stored.device, recipients });
  await unwrap(client.me.keys.$post({ json: { records: created.wrapped } }, { headers: { 'idempotency-key': crypto.randomUUID() } }));
  const own = created.wrapped.find((r) => r.to === stored.device.deviceKeyId);
  if (!own) throw new Error(t('e2eeRings_personalKeyNotWrapped'));
  await addHeldKeys(who.userId, [{ userId: who.userId, origin: 'wrapped', key: created.key, record: own }]);
  return ringOf(await heldKeys(who.userId), 'personal', who.userId);
}

// ---- pair keys --------------------------------------------------------------------------------------------------

export interface PairKeyState {
  ring: KeyRing | null;
  encryptedSince: string | null;
  members: PairKeys['members'];
  checkedAt: number;
  /** Keys wrapped by a device we do not accept (shown, never silently ignored). */
  refused: number;
}

const pairStates = new Map<string, PairKeyState>();
const pairRunning = new Map<string, Promise<PairKeyState>>();

/** The last known key state of a pair on this device, without asking the server. */
export function knownPairState(pairId: string): PairKeyState | undefined {
  return pairStates.get(pairId);
}

/**
 * The pair's key ring on this device: read from the server when not checked in the last 30 s (or `fresh`), then
 * made (nobody has one), shared (an approved member device lacks one of ours) or rotated (a member left) as needed.
 */
export function pairRing(who: Me, pairId: string, options: { fresh?: boolean } = {}): Promise<PairKeyState> {
  const known = pairStates.get(pairId);
  if (known && !options.fresh && Date.now() - known.checkedAt < PAIR_TTL_MS) return Promise.resolve(known);
  let running = pairRunning.get(pairId);
  if (!running) {
    running = refreshPair(who, pairId).finally(() => pairRunning.delete(pairId));
    pairRunning.set(pairId, running);
  }
  return running;
}

const approvedDevices = (members: PairKeys['members'], which: 'active' | 'all') =>
  members.filter((m) => which === 'all' || m.active).flatMap((m) => m.devices.filter((d) => d.revokedAt === null && isApproved(d)));

async function refreshPair(who: Me, pairId: string): Promise<PairKeyState> {
  const { stored, server } = await ensureDevice(who);
  const client = await api(who.serverUrl);
  let keys = await unwrap(client.pairs[':id'].keys.$get({ param: { id: pairId } }));
  const trusted = new Set(approvedDevices(keys.members, 'all').map((d) => d.id));
  const { refused } = await acceptRecords(who, stored.device, keys.records, (id) => trusted.has(id));
  let ring = ringOf(await heldKeys(who.userId), 'pair', pairId);
  const pairActive = keys.members.some((m) => m.userId === who.userId && m.active);
  if (isApproved(server) && pairActive) {
    const recipients = approvedDevices(keys.members, 'active');
    if (!recipients.some((d) => d.id === stored.device.deviceKeyId)) recipients.push({ ...server, keyIds: [] });
    const departed = keys.members.filter((m) => !m.active).flatMap((m) => m.devices);
    if (!ring || (departed.some((d) => d.keyIds.includes(currentKey(ring!).keyId)))) {
      // Nobody's key reached this device, or a member who left holds the newest: a fresh key for who remains.
      ring = await makePairKey(who, pairId, stored.device, recipients.map((d) => d.publicKeySpki));
      keys = await unwrap(client.pairs[':id'].keys.$get({ param: { id: pairId } }));
    } else {
      await shareMissing(who, pairId, ring, recipients);
    }
  }
  const state: PairKeyState = { ring, encryptedSince: keys.encryptedSince, members: keys.members, checkedAt: Date.now(), refused };
  pairStates.set(pairId, state);
  return state;
}

async function makePairKey(who: Me, pairId: string, device: DeviceKeyPair, recipients: string[]): Promise<KeyRing> {
  const held = ringOf(await heldKeys(who.userId), 'pair', pairId);
  const latest = held ? Date.parse(currentKey(held).createdAt) : 0;
  const created = await createSymmetricKey({ kind: 'pair', scope: pairId, sender: device, recipients, now: new Date(Math.max(Date.now(), latest + 1)) });
  await publishPairRecords(who, pairId, created.wrapped);
  const own = created.wrapped.find((r) => r.to === device.deviceKeyId);
  if (!own) throw new Error(t('e2eeRings_pairKeyNotWrapped'));
  await addHeldKeys(who.userId, [{ userId: who.userId, origin: 'wrapped', key: created.key, record: own }]);
  const ring = ringOf(await heldKeys(who.userId), 'pair', pairId);
  if (!ring) throw new Error(t('e2eeRings_pairKeyMissing'));
  return ring;
}

/** Wraps each key of the ring to every approved, active member device that lacks it. */
async function shareMissing(who: Me, pairId: string, ring: KeyRing, recipients: readonly (DeviceKey & { keyIds: string[] })[]): Promise<void> {
  const { stored } = await ensureDevice(who);
  const records = new Map((await ownRecords(who.userId)).map((r) => [r.keyId, r]));
  const out: WrappedKey[] = [];
  for (const device of recipients) {
    if (device.id === stored.device.deviceKeyId) continue;
    for (const key of ring.keys) {
      const record = records.get(key.keyId);
      if (record && !device.keyIds.includes(key.keyId)) out.push(await rewrapKeyRecord(record, stored.device, device.publicKeySpki));
    }
  }
  await publishPairRecords(who, pairId, out);
}

/** Publishes pair-key records, as many requests as the API's per-request limit needs. */
async function publishPairRecords(who: Me, pairId: string, records: readonly WrappedKey[]): Promise<void> {
  const client = await api(who.serverUrl);
  for (let i = 0; i < records.length; i += MAX_RECORDS_PER_REQUEST) {
    const batch = records.slice(i, i + MAX_RECORDS_PER_REQUEST);
    await unwrap(client.pairs[':id'].keys.$post({ param: { id: pairId }, json: { records: batch } }, { headers: { 'idempotency-key': crypto.randomUUID() } }));
  }
}

/** After this device approved or removed a device: rotate each pair ring it holds to its members' devices now. */
export async function rotatePairRings(who: Me): Promise<void> {
  const held = await heldKeys(who.userId);
  const pairIds = [...new Set(held.filter((k) => k.origin === 'wrapped' && k.key.kind === 'pair').map((k) => k.key.scope))];
  const { stored } = await ensureDevice(who);
  const client = await api(who.serverUrl);
  for (const pairId of pairIds) {
    const keys = await unwrap(client.pairs[':id'].keys.$get({ param: { id: pairId } }));
    if (!keys.members.some((m) => m.userId === who.userId && m.active)) continue;
    await makePairKey(who, pairId, stored.device, approvedDevices(keys.members, 'active').map((d) => d.publicKeySpki));
    pairStates.delete(pairId);
  }
}

/** Finds the key a sealed value names among every key this device holds. */
export async function keyById(userId: string, keyId: string): Promise<SymmetricKey | undefined> {
  return (await heldKeys(userId)).find((k) => k.key.keyId === keyId)?.key;
}
