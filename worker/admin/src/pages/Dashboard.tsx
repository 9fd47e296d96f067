import { useState } from 'preact/hooks';
import { type AtRiskReason, DASHBOARD_DEFAULT_DAYS, type Dashboard, type RatingWeek } from '../../../../shared/schemas/dashboard.ts';
import { ApiFailure, api, call } from '../api.ts';
import { ChartView } from '../components/Chart.tsx';
import { ExportButtons } from '../components/ExportButtons.tsx';
import { Field } from '../components/Field.tsx';
import { Link } from '../components/Link.tsx';
import { EmptyState, ErrorMessage, Loading } from '../components/Status.tsx';
import {
  addDays,
  cadenceLabel,
  formatAgo,
  formatCount,
  formatDay,
  formatDays,
  formatPercent,
  formatRating,
  formatShortDay,
  todayLocal,
} from '../format.ts';
import { useAsync, useTitle } from '../hooks.ts';
import { useQueryState } from '../router.ts';

const reasonLabel: Record<AtRiskReason, string> = {
  no_meeting: 'Overdue check-in',
  falling_ratings: 'Falling ratings',
  goals_stalled: 'Goals stalled',
};

/** The programme's engagement for a date range (default: the last 12 weeks). */
export function DashboardPage() {
  useTitle('Dashboard');
  const defaultTo = todayLocal();
  const defaultFrom = addDays(defaultTo, -(DASHBOARD_DEFAULT_DAYS - 1));
  const [from, setFrom] = useQueryState('from', defaultFrom);
  const [to, setTo] = useQueryState('to', defaultTo);
  const dashboard = useAsync(() => call(api.admin.dashboard.$get({ query: { from, to } })), [from, to]);

  return (
    <>
      <div class="page-head">
        <div>
          <h1>Programme engagement</h1>
          <p>
            {formatDay(from)} – {formatDay(to)}
          </p>
        </div>
        <ExportButtons range={{ from, to }} />
      </div>
      <RangeForm
        from={from}
        to={to}
        serverError={dashboard.error?.code === 'invalid_input' ? dashboard.error : undefined}
        onApply={(f, t) => {
          setFrom(f);
          setTo(t);
        }}
      />
      {dashboard.error && dashboard.error.code !== 'invalid_input' && <ErrorMessage error={dashboard.error} onRetry={dashboard.reload} />}
      {dashboard.data ? (
        <div aria-busy={dashboard.loading}>
          {dashboard.loading && <Loading label="Updating…" />}
          <DashboardView data={dashboard.data} />
        </div>
      ) : (
        dashboard.loading && <Loading label="Loading the dashboard…" />
      )}
    </>
  );
}

function RangeForm({ from, to, onApply, serverError }: { from: string; to: string; onApply: (from: string, to: string) => void; serverError: ApiFailure | undefined }) {
  const [draftFrom, setDraftFrom] = useState(from);
  const [draftTo, setDraftTo] = useState(to);
  const [localError, setLocalError] = useState<string | undefined>();
  const fieldErrors = serverError?.fieldErrors() ?? {};
  const preset = (days: number) => {
    const end = todayLocal();
    const start = addDays(end, -(days - 1));
    setDraftFrom(start);
    setDraftTo(end);
    setLocalError(undefined);
    onApply(start, end);
  };
  return (
    <form
      class="card toolbar"
      style={{ marginBottom: '1rem' }}
      aria-label="Date range"
      onSubmit={(e) => {
        e.preventDefault();
        if (!draftFrom || !draftTo) return setLocalError('Choose both dates.');
        if (draftFrom > draftTo) return setLocalError('The start must be on or before the end.');
        setLocalError(undefined);
        onApply(draftFrom, draftTo);
      }}
    >
      <Field id="range-from" label="From" error={localError ?? fieldErrors.from}>
        {(aria) => <input {...aria} type="date" value={draftFrom} max={draftTo} onInput={(e) => setDraftFrom(e.currentTarget.value)} />}
      </Field>
      <Field id="range-to" label="To" error={fieldErrors.to}>
        {(aria) => <input {...aria} type="date" value={draftTo} min={draftFrom} onInput={(e) => setDraftTo(e.currentTarget.value)} />}
      </Field>
      <button type="submit" class="primary">
        Apply
      </button>
      <div class="row" role="group" aria-label="Quick ranges">
        <button type="button" class="small" onClick={() => preset(28)}>
          4 weeks
        </button>
        <button type="button" class="small" onClick={() => preset(84)}>
          12 weeks
        </button>
        <button type="button" class="small" onClick={() => preset(182)}>
          6 months
        </button>
        <button type="button" class="small" onClick={() => preset(365)}>
          1 year
        </button>
      </div>
    </form>
  );
}

/** The rating trend as one number: the later half of the rated weeks against the earlier half (count-weighted). */
export function ratingDelta(weeks: RatingWeek[]): number | null {
  const rated = weeks.filter((w) => w.average !== null && w.count > 0);
  if (rated.length < 2) return null;
  const mid = Math.floor(rated.length / 2);
  const mean = (ws: RatingWeek[]) => ws.reduce((s, w) => s + (w.average ?? 0) * w.count, 0) / ws.reduce((s, w) => s + w.count, 0);
  return Math.round((mean(rated.slice(mid)) - mean(rated.slice(0, mid))) * 100) / 100;
}

function DashboardView({ data }: { data: Dashboard }) {
  const delta = ratingDelta(data.ratingTrend);
  const adherence = data.cadenceAdherence;
  return (
    <>
      <dl class="tiles">
        <Tile label="Active pairs" value={formatCount(data.activePairs)} note="paired and meeting now" />
        <Tile label="Meetings held" value={formatCount(data.meetingsHeld)} note="in this range" />
        <Tile
          label="Cadence adherence"
          value={formatPercent(adherence.overall)}
          note={`${adherence.pairsFullyAdherent} of ${adherence.pairsEvaluated} pairs always on cadence`}
        />
        <Tile label="Median days between check-ins" value={formatDays(data.medianDaysBetweenCheckIns)} note="for a typical pair, in this range" />
        <Tile label="Goals on track" value={formatCount(data.goals.onTrack)} note={`of ${data.goals.total} goals`} />
        <Tile label="Goals completed" value={formatCount(data.goals.completed)} />
        <Tile label="Goals overdue" value={formatCount(data.goals.overdue)} tone={data.goals.overdue > 0 ? 'down' : undefined} />
        <Tile
          label="Average rating"
          value={data.averageRating === null ? '—' : `${formatRating(data.averageRating)} / 5`}
          note={
            delta === null ? 'not enough ratings for a trend' : `${delta > 0 ? '▲' : delta < 0 ? '▼' : '■'} ${delta > 0 ? '+' : ''}${delta.toFixed(2)} later vs earlier weeks`
          }
          tone={delta === null || delta === 0 ? undefined : delta > 0 ? 'up' : 'down'}
        />
      </dl>

      <div class="grid grid-2" style={{ marginBottom: '1rem' }}>
        <section class="card" aria-labelledby="risk-title">
          <div class="card-head">
            <h2 id="risk-title">At-risk pairs</h2>
            <span class={`badge ${data.atRiskTotal ? 'risk' : 'active'}`}>{data.atRiskTotal} at risk</span>
          </div>
          {data.atRiskPairs.length === 0 ? (
            <EmptyState title="No pair needs attention">Every active pair is meeting on cadence with steady ratings and moving goals.</EmptyState>
          ) : (
            <ul class="risk-list">
              {data.atRiskPairs.map((p) => (
                <li key={p.pairId}>
                  <div class="row">
                    <Link to={`/pairs/${p.pairId}`}>
                      <strong>
                        {p.mentorName} &amp; {p.menteeName}
                      </strong>
                    </Link>
                    <span class="spacer" />
                    <span class="small muted">
                      {cadenceLabel[p.cadence]} · last met {formatAgo(p.lastMeetingAt)}
                    </span>
                  </div>
                  <div class="row" style={{ marginTop: '0.3rem' }}>
                    {p.reasons.map((r) => (
                      <span class="badge risk" key={r}>
                        {reasonLabel[r]}
                      </span>
                    ))}
                  </div>
                  <ul>
                    {p.detail.map((d) => (
                      <li key={d}>{d}</li>
                    ))}
                  </ul>
                </li>
              ))}
            </ul>
          )}
          {data.atRiskTotal > data.atRiskPairs.length && (
            <p class="small muted" style={{ marginTop: '0.5rem' }}>
              Showing the {data.atRiskPairs.length} most urgent of {data.atRiskTotal}.
            </p>
          )}
        </section>

        <section class="card" aria-labelledby="mentors-title">
          <h2 id="mentors-title">Most consistent mentors</h2>
          {data.consistentMentors.length === 0 ? (
            <EmptyState title="No one to recognise yet">Mentors show up here once their pairs have a full cadence period in the range.</EmptyState>
          ) : (
            <ol class="plain-list mentor-list">
              {data.consistentMentors.map((m, i) => (
                <li key={m.mentorId}>
                  <span>
                    <strong>{m.name}</strong>
                    {i === 0 && <span class="badge role" style={{ marginLeft: '0.4rem' }}>★ Most consistent</span>}
                    <span class="small muted">
                      {' '}
                      · {m.pairs} {m.pairs === 1 ? 'pair' : 'pairs'} · {m.meetings} {m.meetings === 1 ? 'meeting' : 'meetings'}
                    </span>
                  </span>
                  <span class="nowrap">
                    <strong>{formatPercent(m.adherence)}</strong> <span class="small muted">on cadence</span>
                  </span>
                </li>
              ))}
            </ol>
          )}
        </section>
      </div>

      <div class="grid grid-3">
        <section class="card" aria-labelledby="meetings-chart-title">
          <h2 id="meetings-chart-title">Meetings per week</h2>
          <ChartView
            type="bar"
            labelHeading="Week of"
            labels={data.meetingsPerWeek.map((w) => formatShortDay(w.weekStart))}
            series={[{ label: 'Meetings', data: data.meetingsPerWeek.map((w) => w.count), color: '--chart-1' }]}
            integers
            description={`Meetings per week over the last 12 weeks: ${data.meetingsPerWeek.map((w) => w.count).join(', ')}.`}
          />
        </section>
        <section class="card" aria-labelledby="goals-chart-title">
          <h2 id="goals-chart-title">Goal progress</h2>
          <ChartView
            type="bar"
            labelHeading="Progress (%)"
            labels={data.goalProgressDistribution.map((b) => `${b.label}%`)}
            series={[{ label: 'Goals', data: data.goalProgressDistribution.map((b) => b.count), color: '--chart-3' }]}
            integers
            description={`Goals by progress: ${data.goalProgressDistribution.map((b) => `${b.count} at ${b.label}%`).join(', ')}.`}
          />
        </section>
        <section class="card" aria-labelledby="rating-chart-title">
          <h2 id="rating-chart-title">Rating trend</h2>
          {data.ratingTrend.every((w) => w.average === null) ? (
            <EmptyState title="No feedback in this range" />
          ) : (
            <ChartView
              type="line"
              labelHeading="Week of"
              labels={data.ratingTrend.map((w) => formatShortDay(w.weekStart))}
              series={[{ label: 'Average rating', data: data.ratingTrend.map((w) => w.average), color: '--chart-2' }]}
              yMin={1}
              yMax={5}
              description={`Average feedback rating per week, from 1 to 5; overall ${formatRating(data.averageRating)}.`}
            />
          )}
        </section>
      </div>
    </>
  );
}

function Tile({ label, value, note, tone }: { label: string; value: string; note?: string; tone?: 'up' | 'down' | undefined }) {
  return (
    <div class="tile">
      <dt>{label}</dt>
      <dd>
        {value}
        {note && <span class={`tile-note ${tone === 'up' ? 'trend-up' : tone === 'down' ? 'trend-down' : ''}`}>{note}</span>}
      </dd>
    </div>
  );
}
