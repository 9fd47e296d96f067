/**
 * Sending outbox ops to the API, pulling the pair's changed entries, and merging both into the stream the UI shows.
 */
import type { Entry } from '../../../shared/schemas/index.ts';
import { laterEntryCursor } from '../../../shared/schemas/index.ts';
import type { LocalEntry, SyncStatus } from '../app-messages.ts';
import { t } from '../i18n.ts';
import { ApiFailure, api, unwrap } from './api.ts';
import { Outbox, OutboxOp, type SendResult, migrateOutboxToV2 } from './outbox.ts';
import { storage } from 'wxt/utils/storage';
import { KeyNotReadyError, forServer } from '../e2ee/text.ts';
import { type PairCache, meetingAliasesItem, pairCacheItem, signedInItem } from './storage.ts';

/** Ops that could not be read or attributed: kept here for diagnosis and recovery, never silently dropped. */
const outboxQuarantineItem = storage.defineItem<unknown[]>('local:outbox-quarantine', { fallback: [] });

export const outboxItem = storage.defineItem<unknown>('local:outbox', {
  fallback: [],
  version: 2,
  migrations: {
    2: async (old: unknown) => {
      const { ops, unattributed } = migrateOutboxToV2(old, (await signedInItem.get())?.user.id);
      if (unattributed.length) await quarantine(unattributed);
      return ops;
    },
  },
});

async function quarantine(ops: unknown[]): Promise<void> {
  console.error('Alongside: outbox entries set aside', ops);
  await outboxQuarantineItem.setValue([...(await outboxQuarantineItem.getValue()), ...ops]);
}

/** Reads the outbox op by op: one unreadable op is set aside, the others stay in the queue. */
export async function loadOutbox(): Promise<OutboxOp[]> {
  const raw = await outboxItem.getValue();
  const ops: OutboxOp[] = [];
  const unreadable: unknown[] = [];
  for (const candidate of Array.isArray(raw) ? raw : []) {
    const parsed = OutboxOp.safeParse(candidate);
    if (parsed.success) ops.push(parsed.data);
    else unreadable.push(candidate);
  }
  if (unreadable.length) {
    await quarantine(unreadable);
    await outboxItem.setValue(ops);
  }
  return ops;
}

export const outbox = new Outbox({
  load: loadOutbox,
  save: (ops) => outboxItem.setValue(ops),
  send: sendOp,
  now: () => Date.now(),
  newId: () => crypto.randomUUID(),
});

/** Serialises updates of one pair's cache (pull and send may both write it). */
const cacheLocks = new Map<string, Promise<unknown>>();
export function updateCache(pairId: string, change: (cache: PairCache) => PairCache): Promise<PairCache> {
  const item = pairCacheItem(pairId);
  const run = async () => {
    const next = change(await item.get());
    await item.set(next);
    return next;
  };
  const previous = cacheLocks.get(pairId) ?? Promise.resolve();
  const result = previous.then(run, run);
  cacheLocks.set(pairId, result.catch(() => undefined));
  return result;
}

/** Entries the server returned for sent ops, waiting to be written to their pair's cache together. */
const sentEntries = new Map<string, Entry[]>();
const sentEntriesWritten = new Map<string, Promise<PairCache>>();

/**
 * Puts an entry the server returned into the pair's cache; entries that come back while a cache write runs are
 * written together by the next one. With ops sent side by side, one read and one write of the whole cache per sent
 * entry made the drain quadratic (chaos suite, issue 8). Resolves once the entry is in storage: only then may its op
 * leave the outbox, or the entry would vanish from the stream meanwhile.
 */
export function cacheSentEntry(pairId: string, entry: Entry): Promise<PairCache> {
  sentEntries.set(pairId, [...(sentEntries.get(pairId) ?? []), entry]);
  let written = sentEntriesWritten.get(pairId);
  if (!written) {
    written = updateCache(pairId, (cache) => {
      // From here on, entries that come back join the next write.
      const batch = sentEntries.get(pairId) ?? [];
      sentEntries.delete(pairId);
      sentEntriesWritten.delete(pairId);
      return upsertEntries(cache, batch);
    });
    sentEntriesWritten.set(pairId, written);
  }
  return written;
}

export function upsertEntries(cache: PairCache, entries: Entry[]): PairCache {
  const byId = new Map(cache.entries.map((e) => [e.id, e]));
  for (const entry of entries) {
    const known = byId.get(entry.id);
    if (!known || known.version <= entry.version) byId.set(entry.id, entry);
  }
  return { ...cache, entries: [...byId.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.seq - b.seq) };
}

async function meetingId(id: string | null): Promise<string | null> {
  if (id === null) return null;
  return (await meetingAliasesItem.get())[id] ?? id;
}

async function currentEntry(pairId: string, entryId: string): Promise<Entry> {
  const cached = (await pairCacheItem(pairId).get()).entries.find((e) => e.id === entryId);
  if (cached) return cached;
  const client = await api();
  const { entry } = await unwrap(client.entries[':id'].$get({ param: { id: entryId } }));
  return entry;
}

const headers = (op: OutboxOp) => ({ headers: { 'idempotency-key': op.opId } });

/** The op's text as the server must get it: sealed with the pair's or personal key (stored back into the op). */
async function sealedForServer(op: OutboxOp): Promise<OutboxOp> {
  const signedIn = await signedInItem.get();
  if (!signedIn) return op;
  const who = { userId: op.userId, serverUrl: signedIn.serverUrl };
  if (op.kind === 'entry.create') {
    const at = { pairId: op.pairId, recordId: op.entry.id, field: 'body' };
    const body = await forServer(who, op.entry.visibility === 'private' ? 'personal' : 'pair', at, op.entry.body);
    if (body === op.entry.body) return op;
    return (await outbox.rewrite(op.opId, (o) => (o.kind === 'entry.create' ? { ...o, entry: { ...o.entry, body } } : o))) ?? op;
  }
  if (op.kind === 'entry.update' && op.patch.body !== undefined) {
    const at = { pairId: op.pairId, recordId: op.entryId, field: 'body' };
    const visibility = op.patch.visibility ?? (await currentEntry(op.pairId, op.entryId)).visibility;
    const body = await forServer(who, visibility === 'private' ? 'personal' : 'pair', at, op.patch.body);
    if (body === op.patch.body) return op;
    return (await outbox.rewrite(op.opId, (o) => (o.kind === 'entry.update' ? { ...o, patch: { ...o.patch, body } } : o))) ?? op;
  }
  return op;
}

async function sendOnce(queued: OutboxOp): Promise<void> {
  const client = await api();
  const op = await sealedForServer(queued);
  switch (op.kind) {
    case 'entry.create': {
      const { authorId: _author, ...entry } = op.entry;
      const body = await unwrap(
        client.entries.$post({ json: { ...entry, pairId: op.pairId, meetingId: await meetingId(entry.meetingId) } }, headers(op)),
      );
      await cacheSentEntry(op.pairId, body.entry);
      return;
    }
    case 'entry.update': {
      const known = await currentEntry(op.pairId, op.entryId);
      const patch = (version: number) =>
        unwrap(client.entries[':id'].$patch({ param: { id: op.entryId }, json: { version, ...op.patch } }, headers(op)));
      let body;
      try {
        body = await patch(known.version);
      } catch (error) {
        // Someone changed it meanwhile (the partner ticked the action): apply ours on top of the current version.
        const current = error instanceof ApiFailure && error.status === 409 ? (error.body as { current?: Entry } | null)?.current : undefined;
        if (!current) throw error;
        body = await unwrap(
          client.entries[':id'].$patch({ param: { id: op.entryId }, json: { version: current.version, ...op.patch } }, { headers: { 'idempotency-key': `${op.opId}.2` } }),
        );
      }
      await cacheSentEntry(op.pairId, body.entry);
      return;
    }
    case 'entry.delete': {
      const known = await currentEntry(op.pairId, op.entryId);
      const body = await unwrap(
        client.entries[':id'].$delete({ param: { id: op.entryId }, query: { version: String(known.version) } }, headers(op)),
      );
      await cacheSentEntry(op.pairId, body.entry);
      return;
    }
    case 'meeting.start': {
      const { meeting } = await unwrap(
        client.meetings.start.$post({ json: { id: op.meetingId, pairId: op.pairId, platform: op.platform, meetingCode: op.code, source: op.source ?? 'auto' } }, headers(op)),
      );
      if (meeting.id !== op.meetingId) await meetingAliasesItem.set({ ...(await meetingAliasesItem.get()), [op.meetingId]: meeting.id });
      return;
    }
    case 'meeting.end': {
      const id = (await meetingId(op.meetingId)) ?? op.meetingId;
      await unwrap(client.meetings[':id'].end.$post({ param: { id }, json: { endedAt: op.endedAt, ...(op.reason ? { reason: op.reason } : {}) } }, headers(op)));
      return;
    }
    case 'feedback': {
      try {
        await unwrap(
          client.feedback.$post(
            { json: { id: op.feedbackId, meetingId: (await meetingId(op.meetingId)) ?? op.meetingId, rating: op.rating, comment: op.comment } },
            headers(op),
          ),
        );
      } catch (error) {
        // Feedback is once per person per meeting: if it is already there, this one has nothing left to do.
        if (!(error instanceof ApiFailure && error.status === 409)) throw error;
      }
      return;
    }
  }
}

async function sendOp(op: OutboxOp): Promise<SendResult> {
  const signedIn = await signedInItem.get();
  if (!signedIn) return { outcome: 'retry', error: t('sync_signedOut') };
  if (signedIn.user.id !== op.userId) {
    // Written by another account on this browser: it must never be sent with this user's token.
    return { outcome: 'refused', error: t('sync_otherAccount') };
  }
  try {
    await sendOnce(op);
    return { outcome: 'done' };
  } catch (error) {
    // An earlier attempt still holds the op's Idempotency-Key: the server is up, so ops on other things go ahead.
    if (error instanceof ApiFailure && error.code === 'in_progress') return { outcome: 'busy', error: error.message };
    // No key to seal it with yet (this device awaits approval, or the pair's key is not shared yet): it waits, and
    // the server being up, other ops go ahead.
    if (error instanceof KeyNotReadyError) return { outcome: 'busy', error: error.message };
    if (error instanceof ApiFailure) return { outcome: error.retryable ? 'retry' : 'refused', error: error.message };
    return { outcome: 'retry', error: error instanceof Error ? error.message : String(error) };
  }
}

/** Pulls every change since the cached cursor (page by page). Throws ApiFailure when the server is unreachable. */
export async function pullEntries(pairId: string): Promise<PairCache> {
  const client = await api();
  let cache = await pairCacheItem(pairId).get();
  for (let page = 0; page < 50; page++) {
    const body = await unwrap(client.entries.$get({ query: { pairId, since: cache.cursor, limit: '200' } }));
    cache = await updateCache(pairId, (c) => ({ ...upsertEntries(c, body.entries), cursor: laterEntryCursor(c.cursor, body.cursor), lastSyncedAt: new Date().toISOString() }));
    if (!body.hasMore) break;
  }
  return cache;
}

/**
 * The stream the UI shows: the server's entries with the outbox applied on top, each with its true sync state.
 * Deleted entries are left out.
 */
export function mergeStream(cache: PairCache, ops: OutboxOp[], pairId: string, inFlight: ReadonlySet<string> | null): LocalEntry[] {
  const state = (op: OutboxOp): LocalEntry['sync'] => (op.failed ? 'failed' : inFlight?.has(op.opId) ? 'syncing' : 'local');
  const byId = new Map<string, LocalEntry>(cache.entries.map((e) => [e.id, { ...e, sync: 'synced' as const }]));
  for (const op of ops) {
    if (op.pairId !== pairId) continue;
    const error = op.failed ? (op.lastError ?? t('sync_refused')) : undefined;
    if (op.kind === 'entry.create' && !byId.has(op.entry.id)) {
      byId.set(op.entry.id, {
        ...op.entry,
        pairId,
        actionDoneAt: null,
        version: 1,
        seq: Number.MAX_SAFE_INTEGER,
        updatedAt: op.entry.createdAt,
        deleted: false,
        sync: state(op),
        ...(error ? { error } : {}),
      });
    } else if (op.kind === 'entry.update') {
      const known = byId.get(op.entryId);
      if (!known) continue;
      byId.set(op.entryId, {
        ...known,
        body: op.patch.body ?? known.body,
        visibility: op.patch.visibility ?? known.visibility,
        actionDoneAt: op.patch.actionDone === undefined ? known.actionDoneAt : op.patch.actionDone ? (known.actionDoneAt ?? op.queuedAt) : null,
        sync: state(op),
        ...(error ? { error } : {}),
      });
    } else if (op.kind === 'entry.delete') {
      const known = byId.get(op.entryId);
      if (known) byId.set(op.entryId, { ...known, deleted: true });
    }
  }
  return [...byId.values()].filter((e) => !e.deleted).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

export async function syncStatus(pairId?: string): Promise<SyncStatus> {
  const ops = (await outbox.list()).filter((op) => pairId === undefined || op.pairId === pairId);
  const cache = pairId ? await pairCacheItem(pairId).get() : null;
  return {
    pending: ops.filter((op) => !op.failed).length,
    failed: ops.filter((op) => op.failed).length,
    online: outbox.isOnline(),
    lastSyncedAt: cache?.lastSyncedAt ?? null,
  };
}
