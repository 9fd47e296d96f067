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
export function openActions(fromContext: readonly Entry[], stream: readonly LocalEntry[], tickedThisSession: ReadonlySet<string>): Entry[] {
  const byId = new Map<string, Entry>();
  for (const action of fromContext) byId.set(action.id, action);
  for (const entry of stream) if (entry.kind === 'action') byId.set(entry.id, entry);
  return [...byId.values()].filter((a) => !a.deleted && (a.actionDoneAt === null || tickedThisSession.has(a.id)));
}
