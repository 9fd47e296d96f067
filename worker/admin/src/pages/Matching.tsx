import { useState } from 'preact/hooks';
import type { Cadence } from '../../../../shared/schemas/common.ts';
import type { MatchSuggestion } from '../../../../shared/schemas/dashboard.ts';
import type { User } from '../../../../shared/schemas/people.ts';
import { type ApiFailure, api, call, idempotencyKey, toFailure } from '../api.ts';
import { Field } from '../components/Field.tsx';
import { Link } from '../components/Link.tsx';
import { EmptyState, ErrorMessage, Loading } from '../components/Status.tsx';
import { toast } from '../components/Toasts.tsx';
import { cadenceLabel } from '../format.ts';
import { useAsync, useTitle } from '../hooks.ts';
import { navigate } from '../router.ts';

/** Mentees who are not in an active or paused pair: the ones waiting for a mentor. */
async function loadMentees() {
  const [{ users }, { pairs }] = await Promise.all([call(api.admin.users.$get({ query: { role: 'mentee' } })), call(api.admin.pairs.$get({ query: {} }))]);
  const paired = new Set(pairs.filter((p) => p.status !== 'ended').map((p) => p.menteeId));
  const active = users.filter((u) => u.status === 'active');
  return { unmatched: active.filter((u) => !paired.has(u.id)), matched: active.filter((u) => paired.has(u.id)) };
}

export function MatchingPage({ menteeId }: { menteeId?: string | undefined }) {
  return menteeId ? <Suggestions menteeId={menteeId} /> : <MenteePicker />;
}

function MenteePicker() {
  useTitle('Matching');
  const mentees = useAsync(loadMentees, []);
  return (
    <>
      <div class="page-head">
        <div>
          <h1>Matching</h1>
          <p>Pick a mentee to see mentors ranked by fit: shared goals and interests, overlapping working hours, and load.</p>
        </div>
      </div>
      {mentees.error && <ErrorMessage error={mentees.error} onRetry={mentees.reload} />}
      {mentees.loading && !mentees.data && <Loading label="Loading mentees…" />}
      {mentees.data && (
        <div class="grid grid-2" style={{ alignItems: 'start' }}>
          <section class="card" aria-labelledby="unmatched-title">
            <h2 id="unmatched-title">Waiting for a mentor ({mentees.data.unmatched.length})</h2>
            {mentees.data.unmatched.length === 0 ? (
              <EmptyState title="Every mentee has a mentor">
                <p>
                  New mentees appear here once you add them on <Link to="/people">People</Link>.
                </p>
              </EmptyState>
            ) : (
              <MenteeList mentees={mentees.data.unmatched} />
            )}
          </section>
          <section class="card" aria-labelledby="matched-title">
            <h2 id="matched-title">Already paired ({mentees.data.matched.length})</h2>
            <p class="small muted">You can still look for another mentor, for example before ending a pair that is not working.</p>
            {mentees.data.matched.length > 0 && <MenteeList mentees={mentees.data.matched} />}
          </section>
        </div>
      )}
    </>
  );
}

function MenteeList({ mentees }: { mentees: User[] }) {
  return (
    <ul class="plain-list mentor-list">
      {mentees.map((m) => (
        <li key={m.id} style={{ alignItems: 'center' }}>
          <span>
            <strong>{m.name}</strong>
            <span class="small muted">
              {' '}
              · {m.timeZone}
              {m.goals.length ? ` · wants ${m.goals.join(', ')}` : ''}
            </span>
          </span>
          <Link to={`/matching/${m.id}`} class="button small nowrap">
            Find mentors<span class="visually-hidden"> for {m.name}</span>
          </Link>
        </li>
      ))}
    </ul>
  );
}

function Suggestions({ menteeId }: { menteeId: string }) {
  const matches = useAsync(() => call(api.admin.matches.$get({ query: { menteeId } })), [menteeId]);
  useTitle(matches.data ? `Mentors for ${matches.data.mentee.name}` : 'Matching');
  const [choosing, setChoosing] = useState<string | undefined>();

  return (
    <>
      <p>
        <Link to="/matching">← All mentees</Link>
      </p>
      {matches.error && <ErrorMessage error={matches.error} onRetry={matches.error.status === 404 ? undefined : matches.reload} />}
      {matches.loading && !matches.data && <Loading label="Ranking mentors…" />}
      {matches.data && (
        <>
          <div class="page-head">
            <div>
              <h1>Mentors for {matches.data.mentee.name}</h1>
              <p>
                {matches.data.mentee.timeZone} · ranked by fit, best first
              </p>
            </div>
          </div>
          {matches.data.suggestions.length === 0 ? (
            <div class="card">
              <EmptyState title="No mentors to suggest">
                <p>
                  Add mentors on <Link to="/people">People</Link> first.
                </p>
              </EmptyState>
            </div>
          ) : (
            <ol class="suggestions" aria-label="Suggested mentors">
              {matches.data.suggestions.map((s, i) => (
                <SuggestionCard
                  key={s.mentor.id}
                  rank={i + 1}
                  suggestion={s}
                  menteeId={menteeId}
                  open={choosing === s.mentor.id}
                  onOpen={() => setChoosing(choosing === s.mentor.id ? undefined : s.mentor.id)}
                />
              ))}
            </ol>
          )}
        </>
      )}
    </>
  );
}

function SuggestionCard({ suggestion: s, rank, menteeId, open, onOpen }: { suggestion: MatchSuggestion; rank: number; menteeId: string; open: boolean; onOpen: () => void }) {
  const hours = s.overlapMinutes / 60;
  return (
    <li class="card suggestion" aria-labelledby={`mentor-${s.mentor.id}`}>
      <div class="row" style={{ alignItems: 'flex-start' }}>
        <div style={{ flex: '1 1 16rem' }}>
          <h2 id={`mentor-${s.mentor.id}`} style={{ marginBottom: '0.2rem' }}>
            <span class="muted">{rank}.</span> {s.mentor.name}
          </h2>
          <p class="small muted" style={{ margin: 0 }}>
            {s.mentor.timeZone} · {hours > 0 ? `${formatHours(hours)} overlap a day` : 'no overlap'} · {s.load.activePairs}/{s.load.capacity} mentees
          </p>
        </div>
        <div style={{ textAlign: 'right' }}>
          <div class="score" aria-label={`Fit ${s.score} out of 100`}>
            {s.score}
            <span class="small muted">/100</span>
          </div>
          {!s.available && <span class="badge paused">Full</span>}
        </div>
      </div>
      {s.sharedTopics.length > 0 && (
        <ul class="tags" aria-label="Shared topics">
          {s.sharedTopics.map((t) => (
            <li key={t}>{t}</li>
          ))}
        </ul>
      )}
      <ul class="small" style={{ margin: 0, paddingLeft: '1.1rem' }} aria-label="Why">
        {s.reasons.map((r) => (
          <li key={r}>{r}</li>
        ))}
      </ul>
      <div>
        <button type="button" class={open || rank > 1 ? '' : 'primary'} aria-expanded={open} aria-controls={`create-${s.mentor.id}`} onClick={onOpen}>
          {open ? 'Cancel' : 'Create pair'}
          <span class="visually-hidden">{open ? ` pairing with ${s.mentor.name}` : ` with ${s.mentor.name}`}</span>
        </button>
      </div>
      {open && <CreatePairForm id={`create-${s.mentor.id}`} mentorId={s.mentor.id} mentorName={s.mentor.name} menteeId={menteeId} full={!s.available} />}
    </li>
  );
}

const formatHours = (hours: number) => `${Number.isInteger(hours) ? hours : hours.toFixed(1)} h`;

function CreatePairForm({ id, mentorId, mentorName, menteeId, full }: { id: string; mentorId: string; mentorName: string; menteeId: string; full: boolean }) {
  const [cadence, setCadence] = useState<Cadence>('biweekly');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | undefined>();
  const [key] = useState(idempotencyKey);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setFailure(undefined);
    try {
      const { pair } = await call(api.admin.pairs.$post({ json: { mentorId, menteeId, cadence, meetingLinks: {} } }, { headers: key }));
      toast(`Pair created with ${mentorName}`);
      navigate(`/pairs/${pair.id}`);
    } catch (e) {
      setFailure(toFailure(e));
      setBusy(false);
    }
  };

  return (
    <form id={id} onSubmit={submit} class="stack" style={{ gap: '0.5rem' }} aria-label={`Create a pair with ${mentorName}`}>
      {full && (
        <div class="message warning">
          <p>{mentorName} is at capacity. You can still pair them, but check with them first.</p>
        </div>
      )}
      {failure && <ErrorMessage error={failure} />}
      <div class="toolbar">
        <Field id={`${id}-cadence`} label="How often they meet" error={failure?.fieldErrors().cadence}>
          {(aria) => (
            <select {...aria} value={cadence} onChange={(e) => setCadence(CADENCES.find((c) => c === e.currentTarget.value) ?? 'biweekly')}>
              {CADENCES.map((c) => (
                <option value={c} key={c}>
                  {cadenceLabel[c]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <button type="submit" class="primary" disabled={busy} aria-busy={busy}>
          {busy && <span class="spinner" aria-hidden="true" />}
          {busy ? 'Creating…' : `Pair with ${mentorName}`}
        </button>
      </div>
    </form>
  );
}

const CADENCES = ['weekly', 'biweekly', 'monthly'] as const;
