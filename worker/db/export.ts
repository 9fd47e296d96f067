/**
 * A member's export (issue 8, "Export"): everything they can see, as JSON, and one pair's notes as Markdown. Only
 * what the member may see through the API: their own private entries and the pair's shared ones, their own feedback,
 * their sessions without tokens or hashes.
 */
import type { AgendaItem, Entry, ExportedPair, Goal, GoalRevision, Meeting, MeExport, PairSummary } from '../../shared/schemas/index.ts';
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

// ---- Markdown ------------------------------------------------------------------------------------------------------

const day = (iso: string) => iso.slice(0, 10);
const KIND_LABELS = { note: 'Note', action: 'Action', decision: 'Decision', question: 'Question' } as const;

/** Continuation lines of a multi-line text are indented so they stay inside their list item. */
const item = (text: string) => text.replace(/\r?\n/g, '\n  ');

/**
 * One pair's notes as a Markdown document: goals, agenda, actions, then the notes grouped by meeting (entries not
 * linked to a meeting last). Times are UTC, as stored.
 */
export function pairMarkdown(p: ExportedPair, me: { id: string; name: string }, exportedAt: string): string {
  const names = new Map([
    [me.id, me.name],
    [p.partner.id, p.partner.name],
  ]);
  const who = (id: string | null) => (id ? (names.get(id) ?? 'someone') : 'nobody');
  const mentor = p.myRole === 'mentor' ? me.name : p.partner.name;
  const mentee = p.myRole === 'mentee' ? me.name : p.partner.name;
  const out: string[] = [];
  out.push(`# Mentorship: ${mentor} (mentor) and ${mentee} (mentee)`, '');
  out.push(
    `Started ${p.pair.startedOn}${p.pair.endedOn ? `, ended ${p.pair.endedOn}` : ''} · ${p.pair.status} · ${p.pair.cadence} check-ins · exported ${exportedAt} (times in UTC)`,
    '',
  );

  out.push('## Goals', '');
  if (p.goals.length === 0) out.push('No goals.', '');
  for (const g of p.goals) out.push(...goalMarkdown(g, who), '');

  out.push('## Agenda', '');
  if (p.agenda.length === 0) out.push('Nothing on the agenda.');
  for (const a of p.agenda) out.push(`- [${a.doneAt ? 'x' : ' '}] ${item(a.body)} (${who(a.authorId)})`);
  out.push('');

  const actions = p.entries.filter((e) => e.kind === 'action');
  out.push('## Actions', '');
  if (actions.length === 0) out.push('No actions.');
  for (const a of actions) {
    const due = a.actionDueOn ? `, due ${a.actionDueOn}` : '';
    out.push(`- [${a.actionDoneAt ? 'x' : ' '}] ${item(a.body)} (${who(a.actionOwnerId)}${due}${a.visibility === 'private' ? ', private' : ''})`);
  }
  out.push('');

  out.push('## Notes by meeting', '');
  const byMeeting = Map.groupBy(p.entries, (e) => e.meetingId ?? '');
  const meetings: (Meeting | null)[] = [...p.meetings.filter((m) => byMeeting.has(m.id)), null];
  let any = false;
  for (const m of meetings) {
    const entries = byMeeting.get(m?.id ?? '') ?? [];
    if (entries.length === 0) continue;
    any = true;
    const length = m?.durationMinutes != null ? `, ${m.durationMinutes} min` : '';
    out.push(m ? `### Meeting of ${m.startedAt.slice(0, 16).replace('T', ' ')} (${m.platform}${length})` : '### Not linked to a meeting', '');
    for (const e of entries) {
      out.push(`- **${KIND_LABELS[e.kind]}** by ${who(e.authorId)}, ${day(e.createdAt)}${e.visibility === 'private' ? ' (private)' : ''}: ${item(e.body)}`);
    }
    out.push('');
  }
  if (!any) out.push('No notes.', '');
  return out.join('\n');
}

function goalMarkdown(g: Goal & { history: GoalRevision[] }, who: (id: string) => string): string[] {
  const lines = [`### ${g.title} — ${g.status}, ${g.progress}%${g.dueOn ? `, due ${g.dueOn}` : ''} (${who(g.ownerId)}’s goal)`];
  for (const [label, text] of [
    ['Specific', g.specific],
    ['Measure', g.measure],
    ['Target', g.target],
    ['Relevance', g.relevance],
  ] as const) {
    if (text) lines.push(`- ${label}: ${item(text)}`);
  }
  for (const m of g.milestones) lines.push(`- [${m.doneAt ? 'x' : ' '}] Milestone: ${item(m.title)}${m.dueOn ? ` (due ${m.dueOn})` : ''}`);
  const notes = g.history.filter((r) => r.note);
  if (notes.length) {
    lines.push('', 'History:');
    for (const r of notes) lines.push(`- ${day(r.createdAt)}, ${r.progress}% (${who(r.authorId)}): ${item(r.note)}`);
  }
  return lines;
}

/** An ASCII file name for a pair's Markdown, e.g. alongside-notes-2026-01-15-0193ab12.md. */
export const markdownFileName = (p: { id: string; startedOn: string }) => `alongside-notes-${p.startedOn}-${p.id.slice(0, 8)}.md`;
