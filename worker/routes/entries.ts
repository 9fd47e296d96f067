import { type Context, Hono } from 'hono';
import { z } from 'zod';
import type { Entry, LiveChange, Pair } from '../../shared/schemas/index.ts';
import { EntriesQuery, EntryPatch, Id, NewEntry, VersionQuery } from '../../shared/schemas/index.ts';
import { createEntry, entryOf, entryStatement, entryWriteCondition, getEntry, listEntriesSince, softDeleteEntry, updateEntry } from '../db/entries.ts';
import { getGoal } from '../db/goals.ts';
import { type StoredOutcome, claimKeyStatements, findIdempotentOutcome, storedOutcomeOf, storedOutcomeStatement } from '../db/idempotency.ts';
import { getPair, pairOf, pairOfEntryStatement, pairStatement } from '../db/pairs.ts';
import { getMeeting } from '../db/meetings.ts';
import type { AuthUser, Db } from '../env.ts';
import type { AppEnv } from '../env.ts';
import { type Membership, membershipOf, requirePairMember, requireWritable } from '../lib/access.ts';
import { ApiError, forbidden, notFound, versionConflict } from '../lib/errors.ts';
import { completedOutcome, idempotency, idempotencyInHandler, requireAuth, requireMember, staleReservationsBefore } from '../lib/middleware.ts';
import { IDEMPOTENT_REPLAY_HEADER } from '../lib/idempotent-replay.ts';
import { retryD1 } from '../lib/d1-retry.ts';
import { nowIso } from '../lib/time.ts';
import { requireCiphertextOnceEncrypted } from '../lib/e2ee.ts';
import { validate } from '../lib/validate.ts';
import { tellPair } from '../live/notify.ts';

const IdParam = z.object({ id: Id });

const invalid = (path: string, message: string) => new ApiError(400, 'invalid_input', message, { issues: [{ path: [path], message }] });

/** Links must stay inside the pair: a goal or meeting of another pair is refused. */
async function checkLinks(db: Db, m: Membership, links: { goalId?: string | null; meetingId?: string | null; actionOwnerId?: string | null }) {
  if (links.goalId) {
    const goal = await getGoal(db, links.goalId);
    if (!goal || goal.pairId !== m.pair.id) throw invalid('goalId', 'No such goal in this pair');
  }
  if (links.meetingId) {
    const meeting = await getMeeting(db, links.meetingId);
    if (!meeting || meeting.pairId !== m.pair.id) throw invalid('meetingId', 'No such meeting in this pair');
  }
  if (links.actionOwnerId && links.actionOwnerId !== m.pair.mentorId && links.actionOwnerId !== m.pair.menteeId) {
    throw invalid('actionOwnerId', 'The action owner must be a member of the pair');
  }
}

/** An entry the caller may see: private entries exist only for their author (others get 404, not 403). */
function visibleEntry(entry: Entry | null, pair: Pair | null, auth: AuthUser): { entry: Entry; membership: Membership } {
  if (!entry) throw notFound('Entry');
  const membership = membershipOf(pair, auth);
  if (entry.visibility === 'private' && entry.authorId !== auth.id) throw notFound('Entry');
  return { entry, membership };
}

async function loadVisibleEntry(db: Db, auth: AuthUser, id: string): Promise<{ entry: Entry; membership: Membership }> {
  const entry = await getEntry(db, id);
  return visibleEntry(entry, entry && (await getPair(db, entry.pairId)), auth);
}

/** A private entry's changes are news to its author's other devices only: the partner must not learn of them. */
const entryChange = (entry: Entry): LiveChange => (entry.visibility === 'private' ? { topic: 'entries', onlyFor: entry.authorId } : { topic: 'entries' });

// POST and PATCH record the request's Idempotency-Key in the same D1 batch as the entry's write (claimKeyStatements
// in worker/db/idempotency.ts), not reserved and completed around the handler (`idempotency`): one write instead of
// three on the routes members use most. A replay is answered before anything is checked, as that layer does.

/** The key's statements for a write of entry `entryId` answered with `status`; none without a key. */
function claimFor(c: Context<AppEnv>, status: 200 | 201, entryId: string, onlyIf: { condition: string; params: unknown[] }) {
  const idempotent = c.var.idempotent;
  if (!idempotent) return [];
  const key = { userId: c.var.auth.id, ...idempotent, staleBefore: staleReservationsBefore(), status, resourceType: 'entry', resourceId: entryId };
  return claimKeyStatements(c.var.db, key, onlyIf);
}

/**
 * A keyed write of an entry whose key is held: 409 unless the key named this same request (completedOutcome), else
 * the entry as it is now with the first status, as the idempotency layer replays (idempotent-replay.ts).
 */
async function replayEntryWrite(c: Context<AppEnv>, held: StoredOutcome, requestHash: string) {
  const done = completedOutcome(held, requestHash);
  if (done.resourceType !== 'entry') throw new ApiError(409, 'conflict', 'This Idempotency-Key was already used for a different request');
  const { entry } = await loadVisibleEntry(c.var.db, c.var.auth, done.resourceId);
  // Told again: the first attempt may have stored it and died (or lost D1's answer) before telling the room.
  tellPair(c, entry.pairId, entryChange(entry));
  c.header(IDEMPOTENT_REPLAY_HEADER, 'true');
  return c.json({ entry }, done.status === 201 ? 201 : 200);
}

/** After a keyed write that wrote nothing: the replay when the key is held now (by another request, or by this one's first attempt). */
async function replayIfKeyHeld(c: Context<AppEnv>) {
  const idempotent = c.var.idempotent;
  const held = idempotent ? await findIdempotentOutcome(c.var.db, c.var.auth.id, idempotent.key) : null;
  return idempotent && held ? replayEntryWrite(c, held, idempotent.requestHash) : null;
}

/**
 * Runs an entry's write. A keyed write is safe to run again: a batch whose answer was lost has written the key and the
 * entry, so the next attempt writes nothing and replayIfKeyHeld finds them. Without a key it runs once.
 */
const writeOnce = <T>(c: Context<AppEnv>, write: () => Promise<T>) => (c.var.idempotent ? retryD1(write) : write());

export const entryRoutes = new Hono<AppEnv>()
  .use(requireAuth, requireMember)
  .get('/', validate('query', EntriesQuery), async (c) => {
    const q = c.req.valid('query');
    await requirePairMember(c.var.db, c.var.auth, q.pairId);
    return c.json(await listEntriesSince(c.var.db, q.pairId, c.var.auth.id, q.since, q.limit), 200);
  })
  .post('/', idempotencyInHandler, validate('json', NewEntry), async (c) => {
    const db = c.var.db;
    const auth = c.var.auth;
    const input = c.req.valid('json');
    const idempotent = c.var.idempotent;
    // One D1 call: the pair, and what the key already names.
    const [pairResult, storedResult] = await db.batch([
      pairStatement(db, input.pairId),
      ...(idempotent ? [storedOutcomeStatement(db, auth.id, idempotent.key)] : []),
    ]);
    const stored = storedOutcomeOf(storedResult);
    if (idempotent && stored) return replayEntryWrite(c, stored, idempotent.requestHash);
    const membership = membershipOf(pairOf(pairResult), auth);
    // The outbox retries: the same id from the same author is the same entry, acknowledged even where a new entry
    // would now be refused (the pair ended since, …); the same id from anyone else is a conflict.
    const acknowledge = (existing: Entry) => {
      if (existing.authorId !== auth.id || existing.pairId !== input.pairId) throw new ApiError(409, 'conflict', 'This id is already in use');
      // Told again: the first attempt may have stored it and died before telling the room.
      tellPair(c, existing.pairId, entryChange(existing));
      return c.json({ entry: existing }, 200);
    };
    try {
      requireWritable(membership);
      await requireCiphertextOnceEncrypted(db, membership.pair.id, { body: input.body });
      await checkLinks(db, membership, input);
    } catch (error) {
      const existing = await getEntry(db, input.id);
      if (existing) return acknowledge(existing);
      throw error;
    }
    const row = {
      ...input,
      orgId: membership.pair.orgId,
      authorId: auth.id,
      // The outbox may deliver long after writing; keep the author's time unless it claims the future. Stored in
      // toISOString's one form, so that times compare correctly as strings.
      createdAt: new Date(Math.min(input.createdAt ? Date.parse(input.createdAt) : Infinity, Date.now())).toISOString(),
    };
    const claim = claimFor(c, 201, input.id, entryWriteCondition.idFree(input.id));
    // Without a key a retry is safe too: the entry written by an attempt whose answer was lost is acknowledged below.
    const entry = await retryD1(() => createEntry(db, row, claim));
    if (entry) {
      tellPair(c, entry.pairId, entryChange(entry));
      return c.json({ entry }, 201);
    }
    // Nothing was written: the key was taken meanwhile, or the id was.
    const replayed = await replayIfKeyHeld(c);
    if (replayed) return replayed;
    const existing = await getEntry(db, input.id);
    if (!existing) throw notFound('Entry');
    return acknowledge(existing);
  })
  .get('/:id', validate('param', IdParam), async (c) => {
    const { entry } = await loadVisibleEntry(c.var.db, c.var.auth, c.req.valid('param').id);
    return c.json({ entry }, 200);
  })
  .patch('/:id', idempotencyInHandler, validate('param', IdParam), validate('json', EntryPatch), async (c) => {
    const db = c.var.db;
    const auth = c.var.auth;
    const patch = c.req.valid('json');
    const id = c.req.valid('param').id;
    const idempotent = c.var.idempotent;
    // One D1 call: the entry, its pair, and what the key already names.
    const [entryResult, pairResult, storedResult] = await db.batch([
      entryStatement(db, id),
      pairOfEntryStatement(db, id),
      ...(idempotent ? [storedOutcomeStatement(db, auth.id, idempotent.key)] : []),
    ]);
    const stored = storedOutcomeOf(storedResult);
    if (idempotent && stored) return replayEntryWrite(c, stored, idempotent.requestHash);
    const { entry, membership } = visibleEntry(entryOf(entryResult), pairOf(pairResult), auth);
    requireWritable(membership);
    if (entry.deleted) throw notFound('Entry');
    const isAuthor = entry.authorId === auth.id;
    // Either partner may tick off a shared action; everything else is the author's to change.
    const onlyTicksAction = Object.keys(patch).every((k) => k === 'version' || k === 'actionDone');
    if (!isAuthor && !(onlyTicksAction && entry.kind === 'action')) throw forbidden('Only the author can change this entry');
    if (patch.actionDone !== undefined && entry.kind !== 'action') throw invalid('actionDone', 'Only actions can be ticked off');
    if ((patch.actionOwnerId || patch.actionDueOn) && entry.kind !== 'action') throw invalid('kind', 'Only actions have an owner and a due date');
    if (patch.visibility === 'private' && entry.visibility === 'shared') {
      // The partner may already have read it; un-sharing would pretend otherwise.
      throw new ApiError(409, 'conflict', 'A shared entry cannot be made private again; delete it instead');
    }
    if (entry.version !== patch.version) throw versionConflict(entry);
    await requireCiphertextOnceEncrypted(db, entry.pairId, { body: patch.body });
    await checkLinks(db, membership, patch);
    const change = {
      body: patch.body ?? entry.body,
      visibility: patch.visibility ?? entry.visibility,
      goalId: patch.goalId === undefined ? entry.goalId : patch.goalId,
      actionOwnerId: patch.actionOwnerId === undefined ? entry.actionOwnerId : patch.actionOwnerId,
      actionDueOn: patch.actionDueOn === undefined ? entry.actionDueOn : patch.actionDueOn,
      actionDoneAt: patch.actionDone === undefined ? entry.actionDoneAt : patch.actionDone ? (entry.actionDoneAt ?? nowIso()) : null,
    };
    const claim = claimFor(c, 200, entry.id, entryWriteCondition.atVersion(entry.id, patch.version));
    const updated = await writeOnce(c, () => updateEntry(db, entry.id, entry.pairId, patch.version, change, claim));
    if (updated) {
      tellPair(c, updated.pairId, entryChange(updated));
      return c.json({ entry: updated }, 200);
    }
    // Nothing was written: the key was taken meanwhile, or the entry changed since it was read.
    const replayed = await replayIfKeyHeld(c);
    if (replayed) return replayed;
    const current = await getEntry(db, entry.id);
    if (!current) throw notFound('Entry');
    throw versionConflict(current);
  })
  .delete('/:id', idempotency, validate('param', IdParam), validate('query', VersionQuery), async (c) => {
    const db = c.var.db;
    const { entry, membership } = await loadVisibleEntry(db, c.var.auth, c.req.valid('param').id);
    requireWritable(membership);
    if (entry.authorId !== c.var.auth.id) throw forbidden('Only the author can delete this entry');
    if (entry.deleted) return c.json({ entry }, 200);
    const version = c.req.valid('query').version;
    if (entry.version !== version) throw versionConflict(entry);
    const changed = await softDeleteEntry(db, entry.id, entry.pairId, version);
    const current = await getEntry(db, entry.id);
    if (!current) throw notFound('Entry');
    if (!changed) throw versionConflict(current);
    tellPair(c, current.pairId, entryChange(current));
    return c.json({ entry: current }, 200);
  });
