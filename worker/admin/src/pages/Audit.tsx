import { useState } from 'preact/hooks';
import { type AuditEntry, AuditPage as AuditPageSchema } from '../../../../shared/schemas/admin.ts';
import { api, call, callForFile, toFailure } from '../api.ts';
import { saveFile } from '../components/ExportButtons.tsx';
import { EmptyState, ErrorMessage, Loading } from '../components/Status.tsx';
import { toast } from '../components/Toasts.tsx';
import { formatDateTime } from '../format.ts';
import { useAsync, useTitle } from '../hooks.ts';
import { useQueryState } from '../router.ts';

/** Readable names of the recorded actions; unknown ones are shown as they are stored. */
const ACTION_LABELS: Record<string, string> = {
  'invitation.create': 'Invitation issued',
  'invitation.reinvite': 'Re-invitation issued',
  'session.create': 'Signed in',
  'session.end': 'Session ended',
  'user.create': 'Person added',
  'user.update': 'Person changed',
  'user.revoke': 'Access revoked',
  'user.import': 'People imported (CSV)',
  'user.erase': 'Person erased',
  'pair.create': 'Pair created',
  'pair.update': 'Pair changed',
  'export.engagement': 'Engagement CSV exported',
  'export.pairs': 'Pairs CSV exported',
  'export.audit': 'Audit log exported',
  'retention.purge': 'Old notes deleted (retention)',
  'settings.update': 'Retention setting changed',
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What happened, in words: the reason of a re-invitation, who issued the invitation of a sign-in, and so on. */
function describe(e: AuditEntry): string {
  const d = e.detail;
  const parts: string[] = [];
  if (typeof d.reason === 'string') parts.push(`Reason: “${d.reason}”`);
  if (e.action === 'session.create') parts.push(`invitation from ${typeof d.issuedByName === 'string' ? d.issuedByName : 'an unknown issuer'}`);
  if (typeof d.device === 'string') parts.push(d.device);
  if (Array.isArray(d.fields)) parts.push(`fields: ${d.fields.join(', ')}`);
  if (typeof d.status === 'string') parts.push(`status: ${d.status}`);
  if (typeof d.rows === 'number') parts.push(`${d.rows} rows`);
  if (d.erased === true) parts.push('details erased');
  if (e.action === 'user.erase') parts.push(d.by === 'self' ? 'by themselves' : 'by an admin');
  if (typeof d.pairsEnded === 'number') parts.push(`${d.pairsEnded} ${d.pairsEnded === 1 ? 'pair' : 'pairs'} ended`);
  if (Array.isArray(d.pairIds)) parts.push(`${d.pairIds.length} ${d.pairIds.length === 1 ? 'pair' : 'pairs'}`);
  if (typeof d.entriesDeleted === 'number') parts.push(`${d.entriesDeleted} notes deleted`);
  if (typeof d.agendaItemsDeleted === 'number') parts.push(`${d.agendaItemsDeleted} agenda items deleted`);
  if (e.action === 'settings.update' && 'retentionDays' in d) {
    parts.push(typeof d.retentionDays === 'number' ? `retention: ${d.retentionDays} days after a pair ends` : 'retention: off');
  }
  return parts.join(' · ');
}

/** Who did what and when: filterable by action, person and dates, paged, and exported as CSV with the same filters. */
export function AuditPage() {
  useTitle('Audit log');
  const [action, setAction] = useQueryState('action', '');
  const [person, setPerson] = useQueryState('person', '');
  const [from, setFrom] = useQueryState('from', '');
  const [to, setTo] = useQueryState('to', '');
  const [pages, setPages] = useState<AuditEntry[][]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [more, setMore] = useState(false);
  const [exporting, setExporting] = useState(false);

  const personId = UUID.test(person.trim()) ? person.trim() : undefined;
  const filter = {
    ...(action ? { action } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
  };
  const [who, setWho] = useQueryState('who', 'actor');
  const query = { ...filter, ...(personId ? (who === 'subject' ? { subjectId: personId } : { actorId: personId }) : {}) };
  const key = JSON.stringify(query);
  const first = useAsync(async () => {
    // `format=csv` makes this route's answer a union: the JSON page is checked against its schema.
    const page = AuditPageSchema.parse(await call(api.admin.audit.$get({ query })));
    setPages([page.entries]);
    setNext(page.nextCursor);
    return page;
  }, [key]);

  const loadMore = async () => {
    if (!next) return;
    setMore(true);
    try {
      const page = AuditPageSchema.parse(await call(api.admin.audit.$get({ query: { ...query, cursor: next } })));
      setPages((p) => [...p, page.entries]);
      setNext(page.nextCursor);
    } catch (error) {
      toast(`Could not load more: ${toFailure(error).message}`);
    } finally {
      setMore(false);
    }
  };

  const exportCsv = async () => {
    setExporting(true);
    try {
      const file = await callForFile(api.admin['audit.csv'].$get({ query }), 'alongside-audit.csv');
      saveFile(file.blob, file.name);
      toast(`Downloaded ${file.name}`);
    } catch (error) {
      toast(`Export failed: ${toFailure(error).message}`);
    } finally {
      setExporting(false);
    }
  };

  const entries = pages.flat();
  return (
    <>
      <div class="page-head">
        <div>
          <h1>Audit log</h1>
          <p>Who did what and when. Entries cannot be changed or deleted.</p>
        </div>
        <div class="row">
          <button type="button" onClick={() => void exportCsv()} disabled={exporting} aria-busy={exporting}>
            <span aria-hidden="true">⤓</span>Export CSV
          </button>
        </div>
      </div>

      <form class="card toolbar" style={{ marginBottom: '1rem' }} role="search" aria-label="Filter the audit log" onSubmit={(e) => e.preventDefault()}>
        <div class="field inline-field">
          <label for="audit-action">Action</label>
          <select id="audit-action" value={action} onChange={(e) => setAction(e.currentTarget.value)}>
            <option value="">All</option>
            {Object.entries(ACTION_LABELS).map(([value, label]) => (
              <option value={value} key={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div class="field" style={{ flex: '1 1 16rem' }}>
          <label for="audit-person">Person id</label>
          <input id="audit-person" type="search" placeholder="Paste a person's id" value={person} onInput={(e) => setPerson(e.currentTarget.value)} />
        </div>
        <div class="field inline-field">
          <label for="audit-who">As</label>
          <select id="audit-who" value={who} onChange={(e) => setWho(e.currentTarget.value)}>
            <option value="actor">who did it</option>
            <option value="subject">who it was about</option>
          </select>
        </div>
        <div class="field inline-field">
          <label for="audit-from">From</label>
          <input id="audit-from" type="date" value={from} onChange={(e) => setFrom(e.currentTarget.value)} />
        </div>
        <div class="field inline-field">
          <label for="audit-to">To</label>
          <input id="audit-to" type="date" value={to} onChange={(e) => setTo(e.currentTarget.value)} />
        </div>
      </form>

      {first.error ? (
        <ErrorMessage error={first.error} onRetry={() => void first.reload()} />
      ) : first.loading && !entries.length ? (
        <Loading label="Loading the audit log…" />
      ) : !entries.length ? (
        <EmptyState title="Nothing recorded for these filters" />
      ) : (
        <div class="card table-wrap">
          <table>
            <caption class="sr-only">Audit log, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col">About</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id}>
                  <td>{formatDateTime(e.createdAt)}</td>
                  <td>{e.actor.name ?? (e.actor.id === 'erased' ? 'Erased person' : e.actor.id)}</td>
                  <td>{ACTION_LABELS[e.action] ?? e.action}</td>
                  <td>{e.subject.name ?? (e.subject.id === 'erased' ? 'Erased person' : `${e.subject.type} ${e.subject.id.slice(0, 8)}`)}</td>
                  <td>{describe(e)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {next && (
            <button type="button" onClick={() => void loadMore()} disabled={more} aria-busy={more}>
              Load older entries
            </button>
          )}
        </div>
      )}
    </>
  );
}
