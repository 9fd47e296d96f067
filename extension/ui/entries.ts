/**
 * The overlay's view of the notes stream. `entries.sync` returns the whole merged stream; a change the user just made
 * is kept as an override until a sync that started after it has answered, so an in-flight poll never makes a new
 * entry blink out or a ticked action untick.
 */
import type { Entry } from '../../shared/schemas/index.ts';
import type { LocalEntry } from '../lib/app-messages.ts';

export interface Override {
  entry: LocalEntry;
  /** Logical time the change was accepted by the background. */
  at: number;
}

/** The stream with the user's recent changes laid over it. */
export function mergeEntries(server: readonly LocalEntry[], overrides: ReadonlyMap<string, Override>): LocalEntry[] {
  const merged = server.map((entry) => overrides.get(entry.id)?.entry ?? entry);
  const known = new Set(server.map((entry) => entry.id));
  for (const [id, { entry }] of overrides) if (!known.has(id)) merged.push(entry);
  return merged;
}

/** Overrides a sync started at `syncStartedAt` does not yet reflect. */
export function pruneOverrides(overrides: ReadonlyMap<string, Override>, syncStartedAt: number): Map<string, Override> {
  return new Map([...overrides].filter(([, override]) => override.at > syncStartedAt));
}

/**
 * Open actions: those the context listed and those in the stream (the stream's copy is newer), not deleted, not done
 * — except ones ticked off in this session, which stay (struck through) so a mis-click can be undone.
 */
export function openActions(
  fromContext: readonly Entry[],
  stream: readonly LocalEntry[],
  tickedThisSession: ReadonlySet<string>,
): (Entry & Pick<LocalEntry, 'locked'>)[] {
  const byId = new Map<string, Entry & Pick<LocalEntry, 'locked'>>();
  for (const action of fromContext) byId.set(action.id, action);
  for (const entry of stream) if (entry.kind === 'action') byId.set(entry.id, entry);
  return [...byId.values()].filter((a) => !a.deleted && (a.actionDoneAt === null || tickedThisSession.has(a.id)));
}

/**
 * Text folded for search: lower case, accents dropped ("Café" → "cafe"), so a search matches however either side typed
 * it. NFD splits "é" into "e" and a combining mark (Unicode category M), which is then removed.
 */
export function foldForSearch(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * The entries whose body holds every word of `query` (in any order), searched on this device: the server only holds
 * ciphertext (issue 10). Deleted entries never show, and neither do locked ones, whose text this device cannot read.
 */
export function searchEntries(entries: readonly LocalEntry[], query: string): LocalEntry[] {
  const words = foldForSearch(query).split(/\s+/).filter(Boolean);
  const live = entries.filter((entry) => !entry.deleted);
  if (words.length === 0) return live;
  return live.filter((entry) => {
    if (entry.locked) return false;
    const body = foldForSearch(entry.body);
    return words.every((word) => body.includes(word));
  });
}
