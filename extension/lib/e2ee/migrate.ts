/**
 * Sealing a pair's existing plain text once this device holds the pair's key (issue 10, "existing pairs migrate on
 * the first device of a member that holds the keys"). Each member seals what the server lets them change: their own
 * entries (shared with the pair key, private with their personal key) and agenda items, and the goals they own or,
 * as the mentor, any goal of the pair, with the goal's milestones and history. Nothing is deleted; a record that
 * changed meanwhile (409) is read again and sealed on the next pass. Progress is kept per pair for the pages.
 */
import { isSealed } from '../../../shared/crypto/index.ts';
import type { Goal } from '../../../shared/schemas/index.ts';
import { ApiFailure, api, unwrap } from '../background/api.ts';
import { pairCacheItem } from '../background/storage.ts';
import { pullEntries, updateCache, upsertEntries } from '../background/sync.ts';
import { t } from '../i18n.ts';
import type { Me } from './device.ts';
import { GOAL_FIELDS } from './records.ts';
import { forServer } from './text.ts';

export interface MigrationProgress {
  done: number;
  total: number;
  running: boolean;
  error: string | null;
}

const progress = new Map<string, MigrationProgress>();
const running = new Map<string, Promise<void>>();

export const migrationOf = (pairId: string): MigrationProgress | undefined => progress.get(pairId);

const plain = (value: string) => value !== '' && !isSealed(value);

/** Starts sealing the pair's plain text in the background (once at a time per pair). */
export function startMigration(who: Me, pairId: string): Promise<void> {
  let run = running.get(pairId);
  if (!run) {
    run = migrate(who, pairId)
      .catch((error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        progress.set(pairId, { ...(progress.get(pairId) ?? { done: 0, total: 0 }), running: false, error: t('e2eeMigrate_stopped', message) });
      })
      .finally(() => running.delete(pairId));
    running.set(pairId, run);
  }
  return run;
}

const headers = () => ({ headers: { 'idempotency-key': crypto.randomUUID() } });

async function migrate(who: Me, pairId: string): Promise<void> {
  const client = await api(who.serverUrl);
  await pullEntries(pairId);
  const entries = (await pairCacheItem(pairId).get()).entries.filter((e) => e.authorId === who.userId && !e.deleted && plain(e.body));
  const context = await unwrap(client.pairs[':id'].context.$get({ param: { id: pairId } }));
  const agenda = context.agenda.filter((a) => a.authorId === who.userId && plain(a.body));
  const mayEdit = (g: Goal) => context.myRole === 'mentor' || g.ownerId === who.userId;
  const goals = context.goals.filter((g) => mayEdit(g) && (GOAL_FIELDS.some((f) => plain(g[f])) || g.milestones.some((m) => plain(m.title))));
  const total = entries.length + agenda.length + goals.length;
  const state: MigrationProgress = { done: 0, total, running: total > 0, error: null };
  progress.set(pairId, state);
  if (total === 0) return;

  for (const entry of entries) {
    const body = await forServer(who, entry.visibility === 'private' ? 'personal' : 'pair', { pairId, recordId: entry.id, field: 'body' }, entry.body);
    try {
      const { entry: sealed } = await unwrap(client.entries[':id'].$patch({ param: { id: entry.id }, json: { version: entry.version, body } }, headers()));
      await updateCache(pairId, (c) => upsertEntries(c, [sealed]));
    } catch (error) {
      if (!(error instanceof ApiFailure && (error.status === 409 || error.status === 404))) throw error; // changed or gone meanwhile: next pass
    }
    state.done++;
  }
  for (const item of agenda) {
    const body = await forServer(who, 'pair', { pairId, recordId: item.id, field: 'body' }, item.body);
    try {
      await unwrap(client.agenda[':id'].$patch({ param: { id: item.id }, json: { version: item.version, body } }, headers()));
    } catch (error) {
      if (!(error instanceof ApiFailure && (error.status === 409 || error.status === 404))) throw error;
    }
    state.done++;
  }
  for (const goal of goals) {
    await sealGoal(who, goal);
    state.done++;
  }
  state.running = false;
}

/** Seals a goal's text, its milestones' titles and its history in place (no new revision: nothing changed). */
async function sealGoal(who: Me, goal: Goal): Promise<void> {
  const client = await api(who.serverUrl);
  const { history: revisions } = await unwrap(client.goals[':id'].history.$get({ param: { id: goal.id } }));
  const seal = (recordId: string, field: string, value: string) => (value === '' ? Promise.resolve('') : forServer(who, 'pair', { pairId: goal.pairId, recordId, field }, value));
  const goalFields = async (source: Record<(typeof GOAL_FIELDS)[number], string>) =>
    Object.fromEntries(await Promise.all(GOAL_FIELDS.map(async (f) => [f, await seal(goal.id, f, source[f])] as const))) as Record<(typeof GOAL_FIELDS)[number], string>;
  const body = {
    version: goal.version,
    goal: await goalFields(goal),
    milestones: await Promise.all(goal.milestones.map(async (m) => ({ id: m.id, title: await seal(m.id, 'title', m.title) }))),
    // A revision's snapshot is a copy of the goal's fields at the time: sealed under the goal's own places, as the
    // server copies sealed fields into later snapshots verbatim. Its note is sealed under the goal's 'revision-note'.
    revisions: await Promise.all(
      revisions.map(async (r) => ({ id: r.id, note: await seal(goal.id, 'revision-note', r.note), snapshot: await goalFields(r.snapshot) })),
    ),
  };
  try {
    await unwrap(client.goals[':id'].seal.$post({ param: { id: goal.id }, json: body }, headers()));
  } catch (error) {
    if (!(error instanceof ApiFailure && (error.status === 409 || error.status === 404))) throw error;
  }
}
