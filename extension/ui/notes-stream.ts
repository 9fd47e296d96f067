/**
 * A pair's notes stream for a page (the overlay on a call, the side panel between calls): `entries.sync` polled while
 * the live room is down, the user's own changes laid over it until a sync reflects them (entries.ts), the outbox's
 * status, and retrying failed sends. Resets when the pair changes, so nothing of another pair lingers.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ask } from '../lib/app-client.ts';
import type { LocalEntry, SyncStatus } from '../lib/app-messages.ts';
import { mergeEntries, type Override, pruneOverrides } from './entries.ts';
import { usePolling } from './hooks.ts';

export interface NotesStream {
  /** The merged stream (deleted entries included; lists hide them). */
  entries: LocalEntry[];
  status: SyncStatus | null;
  syncError: string | null;
  /** Syncs now (or right after the sync in flight). */
  sync: () => void;
  /** The background accepted a change (its new local copy): show it at once, then sync. */
  applyLocal: (entry: LocalEntry) => void;
  /** Retries the failed operations of the pair's outbox. */
  retry: () => void;
}

/**
 * `intervalMs`: how often to sync; null while the live room pushes changes (then call `sync` on a push).
 * `describeError` turns a failure into the sentence shown (and may notice a lost sign-in).
 */
export function useNotesStream(pairId: string | null, intervalMs: number | null, describeError: (error: unknown) => string): NotesStream {
  const [serverEntries, setServerEntries] = useState<LocalEntry[]>([]);
  const [overrides, setOverrides] = useState<Map<string, Override>>(new Map());
  const [status, setStatus] = useState<SyncStatus | null>(null);
  const [syncError, setSyncError] = useState<string | null>(null);
  /** Logical time: a change made after a sync started is kept over that sync's answer. */
  const clock = useRef(0);
  const pairIdRef = useRef(pairId);
  pairIdRef.current = pairId;
  const describeRef = useRef(describeError);
  describeRef.current = describeError;

  // Another pair: nothing of the previous one may linger on screen. (Before the polling below, so it runs first.)
  useEffect(() => {
    setServerEntries([]);
    setOverrides(new Map());
    setStatus(null);
    setSyncError(null);
  }, [pairId]);

  const sync = usePolling(
    async () => {
      const id = pairIdRef.current;
      if (!id) return;
      const startedAt = clock.current++;
      try {
        const answer = await ask('entries.sync', { pairId: id });
        if (pairIdRef.current !== id) return;
        setServerEntries(answer.entries);
        setOverrides((previous) => pruneOverrides(previous, startedAt));
        setStatus(answer.status);
        setSyncError(null);
      } catch (error) {
        if (pairIdRef.current === id) setSyncError(describeRef.current(error));
      }
    },
    pairId ? intervalMs : null,
    [pairId],
  );

  const applyLocal = useCallback(
    (entry: LocalEntry) => {
      setOverrides((previous) => new Map(previous).set(entry.id, { entry, at: clock.current++ }));
      sync();
    },
    [sync],
  );

  const retry = useCallback(() => {
    const id = pairIdRef.current;
    if (!id) return;
    ask('entries.retry', { pairId: id })
      .then((next) => {
        setStatus(next);
        sync();
      })
      .catch((error: unknown) => setSyncError(describeRef.current(error)));
  }, [sync]);

  return { entries: mergeEntries(serverEntries, overrides), status, syncError, sync, applyLocal, retry };
}
