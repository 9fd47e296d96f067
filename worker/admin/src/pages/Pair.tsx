import { useState } from 'preact/hooks';
import { nextCheckInDue } from '../../../../shared/domain/cadence.ts';
import type { AdminPairDetail } from '../../../../shared/schemas/admin.ts';
import type { Cadence, PairStatus } from '../../../../shared/schemas/common.ts';
import { MAX_OPEN_MEETING_MS, type Meeting } from '../../../../shared/schemas/pairs.ts';
import { type ApiFailure, api, call, idempotencyKey, toFailure } from '../api.ts';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { ScheduledCheckIns } from '../components/ScheduledCheckIns.tsx';
import { Link } from '../components/Link.tsx';
import { EmptyState, ErrorMessage, Loading } from '../components/Status.tsx';
import { toast } from '../components/Toasts.tsx';
import { cadenceLabel, formatAgo, formatDate, formatDateTime, formatDay, formatRating } from '../format.ts';
import { useAsync, useTitle } from '../hooks.ts';

type Action = { kind: 'status'; status: PairStatus } | { kind: 'cadence'; cadence: Cadence };

const actionCopy: Record<PairStatus, { verb: string; title: string; body: string; done: string }> = {
  paused: {
    verb: 'Pause pair',
    title: 'Pause this pair?',
    body: 'While paused, the pair is not expected to meet and is left out of at-risk alerts. Their notes and goals stay as they are, and you can resume at any time.',
    done: 'Pair paused',
  },
  active: { verb: 'Resume pair', title: 'Resume this pair?', body: 'The pair is expected to meet on its cadence again.', done: 'Pair resumed' },
  ended: {
    verb: 'End pair',
    title: 'End this pair?',
    body: 'Ending is final: the pair keeps its records read-only and cannot be resumed. To work together again they need a new pair.',
    done: 'Pair ended',
  },
};

/** One pair: engagement only. Entry bodies are confidential to the pair; the API never sends them and this page shows counts. */
export function PairPage({ id }: { id: string }) {
  const detail = useAsync(() => call(api.admin.pairs[':id'].$get({ param: { id } })), [id]);
  const pair = detail.data?.pair;
  useTitle(pair ? `${pair.mentor.name} & ${pair.mentee.name}` : 'Pair');

  const [pending, setPending] = useState<Action | undefined>();
  const [saving, setSaving] = useState(false);
  const [actionError, setActionError] = useState<{ error: ApiFailure; conflict: boolean } | undefined>();

  const apply = async (action: Action) => {
    if (!pair) return;
    setSaving(true);
    setActionError(undefined);
    try {
      const json = action.kind === 'status' ? { version: pair.version, status: action.status } : { version: pair.version, cadence: action.cadence };
      await call(api.admin.pairs[':id'].$patch({ param: { id }, json }, { headers: idempotencyKey() }));
      toast(action.kind === 'status' ? actionCopy[action.status].done : `Cadence changed to ${cadenceLabel[action.cadence].toLowerCase()}`);
      setPending(undefined);
      await detail.reload();
    } catch (e) {
      const error = toFailure(e);
      setPending(undefined);
      // Someone else changed the pair meanwhile: show what it is now, and say so.
      const conflict = error.status === 409;
      setActionError({ error, conflict });
      if (conflict) await detail.reload();
    } finally {
      setSaving(false);
    }
  };

  if (detail.error && !detail.data) {
    return (
      <>
        <p>
          <Link to="/pairs">← All pairs</Link>
        </p>
        <ErrorMessage error={detail.error} onRetry={detail.error.status === 404 ? undefined : detail.reload} />
      </>
    );
  }
  if (!detail.data || !pair) return <Loading label="Loading the pair…" />;
  const data = detail.data;

  return (
    <>
      <p>
        <Link to="/pairs">← All pairs</Link>
      </p>
      <div class="page-head">
        <div>
          <h1>
            {pair.mentor.name} &amp; {pair.mentee.name}
          </h1>
          <p>
            <span class={`badge ${pair.status}`}>{pair.status}</span> · {cadenceLabel[pair.cadence]} · started {formatDay(pair.startedOn)}
            {pair.endedOn ? ` · ended ${formatDay(pair.endedOn)}` : ''}
          </p>
        </div>
        <div class="row">
          {pair.status === 'active' && (
            <button type="button" onClick={() => setPending({ kind: 'status', status: 'paused' })}>
              Pause
            </button>
          )}
          {pair.status === 'paused' && (
            <button type="button" class="primary" onClick={() => setPending({ kind: 'status', status: 'active' })}>
              Resume
            </button>
          )}
          {pair.status !== 'ended' && (
            <button type="button" class="danger" onClick={() => setPending({ kind: 'status', status: 'ended' })}>
              End pair
            </button>
          )}
        </div>
      </div>

      {actionError && (
        <ErrorMessage
          error={actionError.error}
          title={actionError.conflict ? 'Not saved: this pair changed meanwhile.' : undefined}
        />
      )}
      {actionError?.conflict && (
        <div class="message info" role="status">
          <p>The page now shows the pair as it is. Check its status and try again if you still want the change.</p>
        </div>
      )}
      {detail.error && <ErrorMessage error={detail.error} onRetry={detail.reload} />}

      <div class="grid grid-2" style={{ marginBottom: '1rem' }}>
        <section class="card" aria-labelledby="summary-title">
          <h2 id="summary-title">Engagement</h2>
          <dl class="kv">
            <dt>Mentor</dt>
            <dd>
              {pair.mentor.name} <span class="small muted">({pair.mentor.timeZone})</span>
            </dd>
            <dt>Mentee</dt>
            <dd>
              {pair.mentee.name} <span class="small muted">({pair.mentee.timeZone})</span>
            </dd>
            <dt>Meetings</dt>
            <dd>{pair.meetingCount}</dd>
            <dt>Last meeting</dt>
            <dd>{pair.lastMeetingAt ? `${formatDate(pair.lastMeetingAt)} (${formatAgo(pair.lastMeetingAt)})` : 'Not met yet'}</dd>
            {pair.status === 'active' && (
              <>
                <dt>Next check-in due</dt>
                <dd>{formatDate(nextCheckInDue(pair.cadence, pair.lastMeetingAt, pair.startedOn))}</dd>
              </>
            )}
            <dt>Average rating</dt>
            <dd>{averageRating(data)}</dd>
          </dl>
          <CadenceForm key={`${pair.cadence}-${pair.version}`} current={pair.cadence} disabled={pair.status === 'ended' || saving} onChange={(cadence) => void apply({ kind: 'cadence', cadence })} />
        </section>

        <section class="card" aria-labelledby="entries-title">
          <h2 id="entries-title">What the pair has written</h2>
          <p class="small muted">Entries of each kind, shared and private. What the pair writes stays with the pair: you see how much, never what.</p>
          <dl class="tiles" style={{ marginBottom: 0 }}>
            {(['note', 'action', 'decision', 'question'] as const).map((kind) => (
              <div class="tile" key={kind}>
                <dt>{kind[0]!.toUpperCase() + kind.slice(1)}s</dt>
                <dd>{data.entryCounts[kind]}</dd>
              </div>
            ))}
          </dl>
        </section>
      </div>

      <div class="grid grid-2" style={{ alignItems: 'start' }}>
        <section class="card" aria-labelledby="goals-title">
          <h2 id="goals-title">Goals</h2>
          {data.goals.length === 0 ? (
            <EmptyState title="No goals yet">The pair sets goals together in their first meetings.</EmptyState>
          ) : (
            <>
              <p class="small muted">Progress and status of every goal. A goal’s title shows here only when the mentee chose to show it to the programme.</p>
              <ul class="plain-list" style={{ gap: '1rem' }}>
                {data.goals.map((g, i) => (
                  <li key={g.id}>
                    <div class="row">
                      {g.programmeTitle !== null ? (
                        <strong>{g.programmeTitle}</strong>
                      ) : (
                        // A label, never a stand-in title: the goal's text is the pair's (and may be encrypted).
                        <span class="private-label" title="The mentee has not shown this goal’s title to the programme">
                          Private to the pair
                        </span>
                      )}
                      <span class={`badge ${g.status === 'active' ? 'active' : g.status === 'completed' ? 'role' : 'neutral'}`}>{g.status}</span>
                      <span class="spacer" />
                      <span class="small muted">{g.dueOn ? `due ${formatDay(g.dueOn)}` : 'no due date'}</span>
                    </div>
                    <div class="row" style={{ marginTop: '0.35rem' }}>
                      <div
                        class="progress"
                        style={{ flex: 1 }}
                        role="progressbar"
                        aria-label={g.programmeTitle !== null ? `Progress of ${g.programmeTitle}` : `Progress of goal ${i + 1} (private to the pair)`}
                        aria-valuemin={0}
                        aria-valuemax={100}
                        aria-valuenow={g.progress}
                      >
                        <span style={{ width: `${g.progress}%` }} />
                      </div>
                      <span class="small nowrap">{g.progress}%</span>
                    </div>
                    {g.milestones.length > 0 && (
                      <p class="small muted" style={{ margin: '0.3rem 0 0' }}>
                        Milestones: {g.milestones.filter((m) => m.doneAt).length} of {g.milestones.length} done
                      </p>
                    )}
                    {g.history.length > 0 && (
                      <details class="data-table">
                        <summary>Progress history ({g.history.length})</summary>
                        <ol class="timeline small" style={{ marginTop: '0.5rem' }}>
                          {g.history.map((r) => (
                            <li key={r.id}>
                              <strong>{r.progress}%</strong> · {r.status} · {formatDate(r.createdAt)}
                            </li>
                          ))}
                        </ol>
                      </details>
                    )}
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>

        <ScheduledCheckIns checkIns={data.scheduledCheckIns} />

        <section class="card" aria-labelledby="timeline-title">
          <h2 id="timeline-title">Meeting timeline</h2>
          {data.meetings.length === 0 ? (
            <EmptyState title="No meetings yet">Meetings appear here when the pair meets with the extension open, or logs one.</EmptyState>
          ) : (
            <ol class="timeline">
              {data.meetings.map((m) => {
                const ratings = data.feedback.filter((f) => f.meetingId === m.id);
                return (
                  <li key={m.id}>
                    <strong>{formatDateTime(m.startedAt)}</strong>
                    <span class="small muted">
                      {' '}
                      · {meetingLength(m)} · {m.platform}
                      {m.source === 'manual' ? ' · logged by hand' : ''}
                    </span>
                    {ratings.length > 0 && (
                      <ul class="plain-list small" style={{ gap: '0.15rem', marginTop: '0.2rem' }}>
                        {ratings.map((f) => (
                          <li key={f.id}>
                            <span aria-label={`Rated ${f.rating} of 5`}>{'★'.repeat(f.rating)}{'☆'.repeat(5 - f.rating)}</span>{' '}
                            <span class="muted">
                              {f.authorId === pair.mentorId ? pair.mentor.name : pair.mentee.name}
                              {f.comment ? ` — “${f.comment}”` : ''}
                            </span>
                          </li>
                        ))}
                      </ul>
                    )}
                  </li>
                );
              })}
            </ol>
          )}
        </section>
      </div>

      {pending && pending.kind === 'status' && (
        <ConfirmDialog
          open
          title={actionCopy[pending.status].title}
          confirmLabel={actionCopy[pending.status].verb}
          danger={pending.status === 'ended'}
          busy={saving}
          onConfirm={() => void apply(pending)}
          onCancel={() => setPending(undefined)}
        >
          <p>
            <strong>
              {pair.mentor.name} &amp; {pair.mentee.name}
            </strong>
          </p>
          <p>{actionCopy[pending.status].body}</p>
        </ConfirmDialog>
      )}
    </>
  );
}

/** A meeting's length as far as it is known: a meeting closed by the server (no end reported) has none. */
function meetingLength(m: Meeting): string {
  if (m.endReason === 'timeout') return `no end reported — closed after ${MAX_OPEN_MEETING_MS / 3_600_000} h`;
  return m.durationMinutes !== null ? `${m.durationMinutes} min` : 'in progress';
}

function averageRating(data: AdminPairDetail): string {
  if (data.feedback.length === 0) return 'No feedback yet';
  const avg = data.feedback.reduce((s, f) => s + f.rating, 0) / data.feedback.length;
  return `${formatRating(avg)} / 5 from ${data.feedback.length} ${data.feedback.length === 1 ? 'rating' : 'ratings'}`;
}

function CadenceForm({ current, disabled, onChange }: { current: Cadence; disabled: boolean; onChange: (c: Cadence) => void }) {
  const [value, setValue] = useState<Cadence>(current);
  return (
    <form
      class="toolbar"
      style={{ marginTop: '1rem' }}
      onSubmit={(e) => {
        e.preventDefault();
        if (value !== current) onChange(value);
      }}
    >
      <div class="field inline-field">
        <label for="pair-cadence">Agreed cadence</label>
        <select id="pair-cadence" value={value} disabled={disabled} onChange={(e) => setValue(CADENCES.find((c) => c === e.currentTarget.value) ?? current)}>
          {CADENCES.map((c) => (
            <option value={c} key={c}>
              {cadenceLabel[c]}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" class="small" disabled={disabled || value === current}>
        Change cadence
      </button>
    </form>
  );
}

const CADENCES = ['weekly', 'biweekly', 'monthly'] as const;
