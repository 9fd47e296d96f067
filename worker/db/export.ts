/**
 * A member's export (issue 8, "Export"): everything they can see, as JSON, and one pair's notes as Markdown. Only
 * what the member may see through the API: their own private entries and the pair's shared ones, their own feedback,
 * their sessions without tokens or hashes.
 */
import type { AgendaItem, Entry, ExportedPair, GoalRevision, MeExport, PairSummary } from '../../shared/schemas/index.ts';
export { markdownFileName, pairMarkdown } from '../../shared/domain/export-markdown.ts';
import type { AuthUser, Db } from '../env.ts';
import { nowIso } from '../lib/time.ts';
import { listPairCheckIns } from './checkins.ts';
import { listDevicesOf } from './keys.ts';
import { toEntry } from './entries.ts';
import { listOwnFeedback } from './feedback.ts';
import { listGoalsOfPair, listPairGoalHistory } from './goals.ts';
import { listMeetingsOfPair } from './meetings.ts';
import { listPairsOfMember } from './pairs.ts';
import { getOrgSettings } from './settings.ts';
import { getOrganisation, getUser } from './users.ts';

/** Every agenda item of a pair that is not deleted, done ones included (the side panel hides old done ones). */
async function listWholeAgenda(db: Db, pairId: string): Promise<AgendaItem[]> {
  const { results } = await db
    .prepare(
      `SELECT id, pair_id, author_id, body, position, done_at, version, created_at FROM agenda_items
        WHERE pair_id = ? AND deleted_at IS NULL ORDER BY done_at IS NOT NULL, position, created_at`,
    )
    .bind(pairId)
    .all<{ id: string; pair_id: string; author_id: string; body: string; position: number; done_at: string | null; version: number; created_at: string }>();
  return results.map((r) => ({
    id: r.id,
    pairId: r.pair_id,
    authorId: r.author_id,
    body: r.body,
    position: r.position,
    doneAt: r.done_at,
    version: r.version,
    createdAt: r.created_at,
  }));
}

/** The entries the member can see (shared, and their own private ones), not deleted, oldest first. */
async function listVisibleEntries(db: Db, pairId: string, viewerId: string): Promise<Entry[]> {
  const { results } = await db
    .prepare(
      // Every column, so the row has whatever toEntry reads (the stream numbers changed with issue 8's defect 8).
      `SELECT * FROM entries WHERE pair_id = ?1 AND deleted_at IS NULL AND (visibility = 'shared' OR author_id = ?2)
        ORDER BY created_at, change_seq`,
    )
    .bind(pairId, viewerId)
    .all<Parameters<typeof toEntry>[0]>();
  return results.map(toEntry);
}

export async function exportPair(db: Db, summary: PairSummary, viewerId: string): Promise<ExportedPair> {
  const { partner, myRole, ...pair } = summary;
  const [goals, history, meetings, myFeedback, agenda, entries, checkIns] = await Promise.all([
    listGoalsOfPair(db, pair.id),
    listPairGoalHistory(db, pair.id),
    listMeetingsOfPair(db, pair.id, 10_000),
    listOwnFeedback(db, pair.id, viewerId),
    listWholeAgenda(db, pair.id),
    listVisibleEntries(db, pair.id, viewerId),
    listPairCheckIns(db, pair.id),
  ]);
  const historyByGoal = Map.groupBy(history, (r: GoalRevision) => r.goalId);
  return {
    pair,
    myRole,
    partner,
    goals: goals.map((g) => ({ ...g, history: historyByGoal.get(g.id) ?? [] })),
    meetings: meetings.toReversed(),
    myFeedback,
    agenda,
    entries,
    checkIns,
  };
}

interface TokenRow {
  token_hash: string;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
}

export async function exportMember(db: Db, auth: AuthUser): Promise<MeExport | null> {
  const [user, organisation, settings, pairs, tokens, devices] = await Promise.all([
    getUser(db, auth.id),
    getOrganisation(db, auth.orgId),
    getOrgSettings(db, auth.orgId),
    auth.role === 'admin' ? Promise.resolve([]) : listPairsOfMember(db, auth.id),
    db
      .prepare('SELECT token_hash, created_at, expires_at, revoked_at FROM tokens WHERE user_id = ? ORDER BY created_at')
      .bind(auth.id)
      .all<TokenRow>(),
    // Public keys only; why not the wrapped keys: shared/schemas/me-data.ts, MeExport.devices.
    listDevicesOf(db, [auth.id], { includeRevoked: true }),
  ]);
  if (!user || !organisation) return null;
  return {
    format: 'alongside-export',
    version: 1,
    exportedAt: nowIso(),
    user,
    organisation,
    settings,
    // Neither the token nor its hash: the hash is only compared to say which session is this one.
    sessions: tokens.results.map((t) => ({ createdAt: t.created_at, expiresAt: t.expires_at, revokedAt: t.revoked_at, current: t.token_hash === auth.tokenHash })),
    devices,
    pairs: await Promise.all(pairs.map((p) => exportPair(db, p, auth.id))),
  };
}
