/**
 * What the entry routes (routes/entries.ts) share: the entry a caller may see, and the writes that record the
 * request's Idempotency-Key in the same D1 batch as the entry's own write (claimKeyStatements in
 * worker/db/idempotency.ts) instead of reserving and completing it around the handler (the `idempotency` layer in
 * lib/middleware.ts): one write transaction instead of three on the routes members use most. A replay is answered
 * before anything is checked, as that layer does, and the same way (idempotent-replay.ts).
 */
import type { Context } from 'hono';
import type { Entry, LiveChange, Pair } from '../../shared/schemas/index.ts';
import { entryOf, entryStatement, getEntry } from '../db/entries.ts';
import { type StoredOutcome, claimKeyStatements, findIdempotentOutcome, storedOutcomeOf, storedOutcomeStatement } from '../db/idempotency.ts';
import { getPair, pairOf, pairOfEntryStatement } from '../db/pairs.ts';
import type { AppEnv, AuthUser, Db } from '../env.ts';
import { type Membership, membershipOf } from '../lib/access.ts';
import { retryD1 } from '../lib/d1-retry.ts';
import { ApiError, notFound } from '../lib/errors.ts';
import { IDEMPOTENT_REPLAY_HEADER } from '../lib/idempotent-replay.ts';
import { completedOutcome, staleReservationsBefore } from '../lib/middleware.ts';
import { tellPair } from '../live/notify.ts';

/** An entry the caller may see: private entries exist only for their author (others get 404, not 403). */
export function visibleEntry(entry: Entry | null, pair: Pair | null, auth: AuthUser): { entry: Entry; membership: Membership } {
  if (!entry) throw notFound('Entry');
  const membership = membershipOf(pair, auth);
  if (entry.visibility === 'private' && entry.authorId !== auth.id) throw notFound('Entry');
  return { entry, membership };
}

export async function loadVisibleEntry(db: Db, auth: AuthUser, id: string): Promise<{ entry: Entry; membership: Membership }> {
  const entry = await getEntry(db, id);
  return visibleEntry(entry, entry && (await getPair(db, entry.pairId)), auth);
}

/** A private entry's changes are news to its author's other devices only: the partner must not learn of them. */
export const entryChange = (entry: Entry): LiveChange => (entry.visibility === 'private' ? { topic: 'entries', onlyFor: entry.authorId } : { topic: 'entries' });

/** What the request's key already names (null without a key, or when it is free), read with `reads` in one D1 call. */
export async function readWithHeldKey(c: Context<AppEnv>, reads: D1PreparedStatement[]): Promise<{ held: StoredOutcome | null; results: D1Result[] }> {
  const idempotent = c.var.idempotent;
  const results = await c.var.db.batch([...reads, ...(idempotent ? [storedOutcomeStatement(c.var.db, c.var.auth.id, idempotent.key)] : [])]);
  return { held: idempotent ? storedOutcomeOf(results[reads.length]) : null, results: results.slice(0, reads.length) };
}

/** An entry with its pair and what the request's key already names: one D1 call. */
export async function readEntryForWrite(c: Context<AppEnv>, id: string) {
  const { held, results } = await readWithHeldKey(c, [entryStatement(c.var.db, id), pairOfEntryStatement(c.var.db, id)]);
  return { held, entry: entryOf(results[0]), pair: pairOf(results[1]) };
}

/** The key's statements for a write of entry `entryId` answered with `status`; none without a key. */
export function claimFor(c: Context<AppEnv>, status: 200 | 201, entryId: string, onlyIf: { condition: string; params: unknown[] }) {
  const idempotent = c.var.idempotent;
  if (!idempotent) return [];
  const key = { userId: c.var.auth.id, ...idempotent, staleBefore: staleReservationsBefore(), status, resourceType: 'entry', resourceId: entryId };
  return claimKeyStatements(c.var.db, key, onlyIf);
}

/**
 * A keyed write of an entry whose key is held: 409 unless the key named this same request (completedOutcome), else
 * the entry as it is now with the first status, as the idempotency layer replays.
 */
export async function replayEntryWrite(c: Context<AppEnv>, held: StoredOutcome) {
  const done = completedOutcome(held, c.var.idempotent?.requestHash ?? '');
  if (done.resourceType !== 'entry') throw new ApiError(409, 'conflict', 'This Idempotency-Key was already used for a different request');
  const { entry } = await loadVisibleEntry(c.var.db, c.var.auth, done.resourceId);
  // Told again: the first attempt may have stored it and died (or lost D1's answer) before telling the room.
  tellPair(c, entry.pairId, entryChange(entry));
  c.header(IDEMPOTENT_REPLAY_HEADER, 'true');
  return c.json({ entry }, done.status === 201 ? 201 : 200);
}

/** After a keyed write that wrote nothing: the replay when the key is held now (by another request, or by this one's first attempt). */
export async function replayIfKeyHeld(c: Context<AppEnv>) {
  const idempotent = c.var.idempotent;
  const held = idempotent ? await findIdempotentOutcome(c.var.db, c.var.auth.id, idempotent.key) : null;
  return held ? replayEntryWrite(c, held) : null;
}

/**
 * Runs an entry's write. A keyed write is safe to run again: a batch whose answer was lost has written the key and the
 * entry, so the next attempt writes nothing and replayIfKeyHeld finds them. Without a key it runs once, unless the
 * caller knows a retry is safe (`alwaysSafe`: a create, whose lost write is found by its id).
 */
export const writeEntry = <T>(c: Context<AppEnv>, write: () => Promise<T>, alwaysSafe = false) =>
  c.var.idempotent || alwaysSafe ? retryD1(write) : write();
