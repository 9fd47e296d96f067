import { Hono } from 'hono';
import { z } from 'zod';
import type { Entry } from '../../shared/schemas/index.ts';
import { EntriesQuery, EntryPatch, Id, NewEntry, VersionQuery } from '../../shared/schemas/index.ts';
import { createEntry, entryWriteCondition, getEntry, listEntriesSince, softDeleteEntry, updateEntry } from '../db/entries.ts';
import { getGoal } from '../db/goals.ts';
import { pairOf, pairStatement } from '../db/pairs.ts';
import { getMeeting } from '../db/meetings.ts';
import type { AppEnv, Db } from '../env.ts';
import { type Membership, membershipOf, requirePairMember, requireWritable } from '../lib/access.ts';
import { ApiError, forbidden, notFound, versionConflict } from '../lib/errors.ts';
import { idempotencyInHandler, requireAuth, requireMember } from '../lib/middleware.ts';
import { nowIso } from '../lib/time.ts';
import { requireCiphertextOnceEncrypted } from '../lib/e2ee.ts';
import { validate } from '../lib/validate.ts';
import { tellPair } from '../live/notify.ts';
import {
  claimFor,
  entryChange,
  loadVisibleEntry,
  readEntryForWrite,
  readWithHeldKey,
  replayEntryWrite,
  replayIfKeyHeld,
  visibleEntry,
  writeEntry,
} from './entry-writes.ts';

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
    const { held, results } = await readWithHeldKey(c, [pairStatement(db, input.pairId)]);
    if (held) return replayEntryWrite(c, held);
    const membership = membershipOf(pairOf(results[0]), auth);
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
    const entry = await writeEntry(c, () => createEntry(db, row, claim), true);
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
    const read = await readEntryForWrite(c, id);
    if (read.held) return replayEntryWrite(c, read.held);
    const { entry, membership } = visibleEntry(read.entry, read.pair, auth);
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
    const updated = await writeEntry(c, () => updateEntry(db, entry.id, entry.pairId, patch.version, change, claim));
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
  .delete('/:id', idempotencyInHandler, validate('param', IdParam), validate('query', VersionQuery), async (c) => {
    const db = c.var.db;
    const read = await readEntryForWrite(c, c.req.valid('param').id);
    if (read.held) return replayEntryWrite(c, read.held);
    const { entry, membership } = visibleEntry(read.entry, read.pair, c.var.auth);
    requireWritable(membership);
    if (entry.authorId !== c.var.auth.id) throw forbidden('Only the author can delete this entry');
    if (entry.deleted) return c.json({ entry }, 200);
    const version = c.req.valid('query').version;
    if (entry.version !== version) throw versionConflict(entry);
    const claim = claimFor(c, 200, entry.id, entryWriteCondition.atVersion(entry.id, version));
    const deleted = await writeEntry(c, () => softDeleteEntry(db, entry.id, entry.pairId, version, claim));
    if (deleted) {
      tellPair(c, deleted.pairId, entryChange(deleted));
      return c.json({ entry: deleted }, 200);
    }
    // Nothing was written: the key was taken meanwhile, or the entry changed since it was read.
    const replayed = await replayIfKeyHeld(c);
    if (replayed) return replayed;
    const current = await getEntry(db, entry.id);
    if (!current) throw notFound('Entry');
    throw versionConflict(current);
  });
