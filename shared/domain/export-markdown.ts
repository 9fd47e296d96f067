/**
 * One pair's notes as Markdown (issue 8, "Export"), from the export's JSON. Shared: the worker renders it for pairs
 * whose notes are plain text, and the extension renders it on the member's device from the decrypted export once
 * the notes are end-to-end encrypted (issue 10), since only the device can read them.
 */
import type { ExportedPair, Goal, GoalRevision, Meeting } from '../schemas/index.ts';

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
