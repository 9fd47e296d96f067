/**
 * What the idempotency layer (middleware.ts, `idempotency`) keeps of a successful write, and how a replay answers.
 *
 * Nothing of the answer is stored: no note text, no invitation code, no personal fields. Only the status and the
 * type and id of the resource the write created or changed, read from the answer's shape (`{ entry }`, `{ item }`,
 * `{ goal }`, …). A replay re-reads that resource with the caller's current access and answers with the first
 * status and the resource as it is now:
 * - an entry deleted since is its tombstone (empty body, `deleted: true`), as GET /entries/:id and the sync stream
 *   show it;
 * - anything else that is gone now (a deleted agenda item, an erased person) is a 404, as a GET would say;
 * - an invitation is never answered again: its code is a one-time secret that is not kept (only its hash is), so a
 *   replay is a 409 saying so; the invitation made by the first request stays valid for whoever got that answer.
 * - an answer without a body (204) is replayed as such;
 * - an answer of another shape (a route added later without a reader here) is not replayed: 409, "already done".
 */
import { getAgendaItem } from '../db/agenda.ts';
import { getCheckIn } from '../db/checkins.ts';
import { getEntry } from '../db/entries.ts';
import { findFeedback } from '../db/feedback.ts';
import { getGoal, getMilestone } from '../db/goals.ts';
import { getApproval, getDevice } from '../db/keys.ts';
import { getMeeting } from '../db/meetings.ts';
import { getOrgPair } from '../db/pairs.ts';
import { getUser } from '../db/users.ts';
import type { AuthUser, Db } from '../env.ts';
import { requirePairMember } from './access.ts';
import { ApiError, notFound } from './errors.ts';

/** Marks an answer given again for a held Idempotency-Key. */
export const IDEMPOTENT_REPLAY_HEADER = 'idempotent-replayed';

export interface Outcome {
  type: string;
  id: string;
}

type Reader = (db: Db, auth: AuthUser, id: string) => Promise<unknown>;

/** `ok` answers carry nothing; every other type is re-read with the same access rules as its routes. */
const readers: Record<string, Reader> = {
  ok: async () => ({ ok: true }),
  entry: async (db, auth, id) => {
    const entry = await getEntry(db, id);
    if (!entry) throw notFound('Entry');
    await requirePairMember(db, auth, entry.pairId);
    if (entry.visibility === 'private' && entry.authorId !== auth.id) throw notFound('Entry');
    return { entry };
  },
  item: async (db, auth, id) => {
    const found = await getAgendaItem(db, id);
    if (!found || found.deleted) throw notFound('Agenda item');
    await requirePairMember(db, auth, found.pairId);
    const { deleted: _deleted, ...item } = found;
    return { item };
  },
  goal: async (db, auth, id) => {
    const goal = await getGoal(db, id);
    if (!goal) throw notFound('Goal');
    await requirePairMember(db, auth, goal.pairId);
    return { goal };
  },
  milestone: async (db, auth, id) => {
    const found = await getMilestone(db, id);
    if (!found) throw notFound('Milestone');
    await requirePairMember(db, auth, found.pairId);
    const { pairId: _pairId, ...milestone } = found;
    return { milestone };
  },
  feedback: async (db, auth, id) => {
    // Feedback is the author's own; it is found by its meeting.
    const row = await db.prepare('SELECT meeting_id AS meetingId FROM feedback WHERE id = ? AND author_id = ?').bind(id, auth.id).first<{ meetingId: string }>();
    const feedback = row ? await findFeedback(db, row.meetingId, auth.id) : null;
    if (!feedback) throw notFound('Feedback');
    return { feedback };
  },
  meeting: async (db, auth, id) => {
    const meeting = await getMeeting(db, id);
    if (!meeting) throw notFound('Meeting');
    await requirePairMember(db, auth, meeting.pairId);
    return { meeting };
  },
  checkIn: async (db, auth, id) => {
    const checkIn = await getCheckIn(db, id);
    if (!checkIn) throw notFound('Check-in');
    await requirePairMember(db, auth, checkIn.pairId);
    return { checkIn };
  },
  // Issue 10: a device key and an approval request are the caller's own (ids are not UUIDs for devices).
  device: async (db, auth, id) => {
    const device = await getDevice(db, id);
    if (!device || device.userId !== auth.id) throw notFound('Device');
    return { device };
  },
  approval: async (db, auth, id) => {
    const approval = await getApproval(db, auth.id, id);
    if (!approval) throw notFound('Approval request');
    return { approval };
  },
  'admin.user': async (db, auth, id) => {
    const user = await getUser(db, id);
    if (!user || user.orgId !== auth.orgId) throw notFound('User');
    return { user };
  },
  'admin.pair': async (db, auth, id) => {
    const pair = await getOrgPair(db, auth.orgId, id);
    if (!pair) throw notFound('Pair');
    return { pair };
  },
  'admin.invitation': async () => {
    throw new ApiError(
      409,
      'conflict',
      'This invitation was already created with this Idempotency-Key. Its code is shown only once and is not kept, ' +
        'so it cannot be shown again; if the link was lost, create a new invitation (with a new key).',
    );
  },
  'admin.user_import': async (db, auth, id) => {
    // Kept: the ids created and the rows refused (row and field only: the messages quoted the file's cells).
    const kept = JSON.parse(id) as { ids: string[]; refused: { row: number; field?: string }[] };
    const users = await Promise.all(kept.ids.map((userId) => getUser(db, userId)));
    return {
      created: users.filter((u) => u !== null && u.orgId === auth.orgId),
      errors: kept.refused.map((r) => ({ ...r, message: 'Not imported; the reason was given in the first answer and is not kept' })),
    };
  },
};

/** Resources a write's answer may name, by the key that holds them. */
const RESOURCE_KEYS = ['entry', 'item', 'goal', 'milestone', 'feedback', 'meeting', 'checkIn', 'device', 'approval', 'user', 'pair', 'invitation'] as const;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The resource a successful answer names, from its shape; `unknown` when no reader here can re-read it. */
export function outcomeOf(path: string, body: unknown): Outcome {
  if (body === null) return { type: 'none', id: '' };
  const scope = /\/admin(\/|$)/.test(path) ? 'admin.' : '';
  if (!isObject(body)) return { type: 'unknown', id: '' };
  const keys = Object.keys(body);
  if (keys.length === 1 && body.ok === true) return { type: 'ok', id: '' };
  if (scope && Array.isArray(body.created) && Array.isArray(body.errors)) {
    const ids = body.created.flatMap((u) => (isObject(u) && typeof u.id === 'string' ? [u.id] : []));
    const refused = body.errors.flatMap((e) =>
      isObject(e) && typeof e.row === 'number' ? [{ row: e.row, ...(typeof e.field === 'string' ? { field: e.field } : {}) }] : [],
    );
    return { type: 'admin.user_import', id: JSON.stringify({ ids, refused }) };
  }
  for (const key of RESOURCE_KEYS) {
    const value = body[key];
    if (isObject(value) && typeof value.id === 'string') {
      const type = readers[`${scope}${key}`] ? `${scope}${key}` : 'unknown';
      return { type, id: type === 'unknown' ? '' : value.id };
    }
  }
  return { type: 'unknown', id: '' };
}

/** The answer to a replay: the first status, the resource as it is now (or the error a read of it gives now). */
export async function replayOutcome(db: Db, auth: AuthUser, outcome: Outcome & { status: number }): Promise<Response> {
  if (outcome.type === 'none') return new Response(null, { status: outcome.status, headers: { [IDEMPOTENT_REPLAY_HEADER]: 'true' } });
  const reader = readers[outcome.type];
  if (!reader) {
    throw new ApiError(409, 'conflict', 'This request was already done with this Idempotency-Key; read the current state instead');
  }
  const body = await reader(db, auth, outcome.id);
  return new Response(JSON.stringify(body), { status: outcome.status, headers: { 'content-type': 'application/json', [IDEMPOTENT_REPLAY_HEADER]: 'true' } });
}
