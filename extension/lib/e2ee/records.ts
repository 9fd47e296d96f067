/**
 * Opening the records pages show (issue 10): entries, and the call context's goals, milestones, open actions and
 * agenda. What cannot be opened is shown locked with a reason, its text emptied, never passed on as ciphertext.
 * The field names here are the ones text is sealed under (text.ts), and must match on both sides.
 */
import type { CallContext, Entry, Goal } from '../../../shared/schemas/index.ts';
import type { Me } from './device.ts';
import { type Opened, openText } from './text.ts';

export const GOAL_FIELDS = ['title', 'specific', 'measure', 'target', 'relevance'] as const;

/** Entries with their text opened; `locked` says why one could not be. */
export async function openEntries<E extends Entry>(who: Me, entries: readonly E[]): Promise<(E & { locked?: string })[]> {
  return Promise.all(
    entries.map(async (entry) => {
      const opened = await openText(who, { pairId: entry.pairId, recordId: entry.id, field: 'body' }, entry.body);
      return opened.locked === null ? { ...entry, body: opened.text } : { ...entry, body: '', locked: opened.locked };
    }),
  );
}

export interface OpenedContext {
  context: CallContext;
  locked: string[];
  lockedReason: string | null;
}

export async function openGoal(who: Me, goal: Goal, lockedOut: (id: string, opened: Opened) => void = () => undefined): Promise<Goal> {
  const fields: Partial<Record<(typeof GOAL_FIELDS)[number], string>> = {};
  for (const field of GOAL_FIELDS) {
    const opened = await openText(who, { pairId: goal.pairId, recordId: goal.id, field }, goal[field]);
    fields[field] = opened.text;
    lockedOut(goal.id, opened);
  }
  const milestones = await Promise.all(
    goal.milestones.map(async (m) => {
      const opened = await openText(who, { pairId: goal.pairId, recordId: m.id, field: 'title' }, m.title);
      lockedOut(m.id, opened);
      return { ...m, title: opened.text };
    }),
  );
  return { ...goal, ...fields, milestones };
}

export async function openContext(who: Me, context: CallContext): Promise<OpenedContext> {
  const locked = new Set<string>();
  let lockedReason: string | null = null;
  const note = (id: string, opened: Opened) => {
    if (opened.locked === null) return;
    locked.add(id);
    lockedReason ??= opened.locked;
  };
  const pairId = context.pair.id;
  const goals = await Promise.all(context.goals.map((g) => openGoal(who, g, note)));
  const openActions = await Promise.all(
    context.openActions.map(async (e) => {
      const opened = await openText(who, { pairId, recordId: e.id, field: 'body' }, e.body);
      note(e.id, opened);
      return { ...e, body: opened.text };
    }),
  );
  const agenda = await Promise.all(
    context.agenda.map(async (a) => {
      const opened = await openText(who, { pairId, recordId: a.id, field: 'body' }, a.body);
      note(a.id, opened);
      return { ...a, body: opened.text };
    }),
  );
  return { context: { ...context, goals, openActions, agenda }, locked: [...locked], lockedReason };
}
