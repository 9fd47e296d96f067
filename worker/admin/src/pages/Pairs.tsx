import { useMemo, useState } from 'preact/hooks';
import type { AdminPair } from '../../../../shared/schemas/admin.ts';
import { api, call } from '../api.ts';
import { ExportButtons } from '../components/ExportButtons.tsx';
import { Link } from '../components/Link.tsx';
import { SortHeader, compare, nextSort, parseSort } from '../components/SortHeader.tsx';
import { EmptyState, ErrorMessage, Loading } from '../components/Status.tsx';
import { cadenceLabel, formatAgo, formatDay } from '../format.ts';
import { useAsync, useTitle } from '../hooks.ts';
import { useQueryState } from '../router.ts';

const PAGE_SIZE = 50;

const sortKeys: Record<string, (p: AdminPair) => string | number | null> = {
  mentor: (p) => p.mentor.name,
  mentee: (p) => p.mentee.name,
  status: (p) => ['active', 'paused', 'ended'].indexOf(p.status),
  cadence: (p) => ['weekly', 'biweekly', 'monthly'].indexOf(p.cadence),
  started: (p) => p.startedOn,
  lastMeeting: (p) => p.lastMeetingAt,
  meetings: (p) => p.meetingCount,
};

/** Every pair of the programme: filter by status and name, sort by any column. */
export function PairsPage() {
  useTitle('Pairs');
  const pairs = useAsync(() => call(api.admin.pairs.$get({ query: {} })), []);
  const [status, setStatus] = useQueryState('status', 'all');
  const [search, setSearch] = useQueryState('q', '');
  const [sortParam, setSortParam] = useQueryState('sort', 'mentor');
  const [shown, setShown] = useState(PAGE_SIZE);
  const sort = parseSort(sortParam);

  const rows = useMemo(() => {
    const needle = search.trim().toLocaleLowerCase();
    const key = sortKeys[sort.column] ?? sortKeys.mentor!;
    return (pairs.data?.pairs ?? [])
      .filter((p) => status === 'all' || p.status === status)
      .filter((p) => !needle || p.mentor.name.toLocaleLowerCase().includes(needle) || p.mentee.name.toLocaleLowerCase().includes(needle))
      .sort((a, b) => {
        const ka = key(a);
        const kb = key(b);
        // Empty values (never met) stay last in both directions.
        if (ka === null || kb === null) return compare(ka, kb);
        return sort.dir === 'asc' ? compare(ka, kb) : compare(kb, ka);
      });
  }, [pairs.data, status, search, sort.column, sort.dir]);

  const onSort = (column: string) => setSortParam(nextSort(sort, column));
  const total = pairs.data?.pairs.length ?? 0;

  return (
    <>
      <div class="page-head">
        <div>
          <h1>Pairs</h1>
          <p>{pairs.data ? `${total} ${total === 1 ? 'pair' : 'pairs'} in the programme` : 'Mentor–mentee pairs of the programme'}</p>
        </div>
        <div class="row">
          <Link to="/matching" class="button primary">
            New pair
          </Link>
          <ExportButtons only="pairs" />
        </div>
      </div>

      <form class="card toolbar" style={{ marginBottom: '1rem' }} role="search" aria-label="Filter pairs" onSubmit={(e) => e.preventDefault()}>
        <div class="field" style={{ flex: '1 1 14rem' }}>
          <label for="pair-search">Search by name</label>
          <input
            id="pair-search"
            type="search"
            placeholder="Mentor or mentee"
            value={search}
            onInput={(e) => {
              setSearch(e.currentTarget.value);
              setShown(PAGE_SIZE);
            }}
          />
        </div>
        <div class="field inline-field">
          <label for="pair-status">Status</label>
          <select
            id="pair-status"
            value={status}
            onChange={(e) => {
              setStatus(e.currentTarget.value);
              setShown(PAGE_SIZE);
            }}
          >
            <option value="all">All</option>
            <option value="active">Active</option>
            <option value="paused">Paused</option>
            <option value="ended">Ended</option>
          </select>
        </div>
      </form>

      {pairs.error && <ErrorMessage error={pairs.error} onRetry={pairs.reload} />}
      {pairs.loading && !pairs.data && <Loading label="Loading pairs…" />}
      {pairs.data &&
        (rows.length === 0 ? (
          <div class="card">
            {total === 0 ? (
              <EmptyState title="No pairs yet">
                <p>
                  Pair a mentee with a mentor from <Link to="/matching">Matching</Link>.
                </p>
              </EmptyState>
            ) : (
              <EmptyState title="No pair matches these filters">
                <p>Try another name or status.</p>
              </EmptyState>
            )}
          </div>
        ) : (
          <>
            <p class="small muted" role="status">
              {rows.length === total ? `Showing all ${total}` : `${rows.length} of ${total} match`}
            </p>
            <div class="table-wrap">
              <table>
                <caption class="visually-hidden">Pairs, sorted by {sort.column} {sort.dir === 'asc' ? 'ascending' : 'descending'}</caption>
                <thead>
                  <tr>
                    <SortHeader label="Mentor" column="mentor" sort={sort} onSort={onSort} />
                    <SortHeader label="Mentee" column="mentee" sort={sort} onSort={onSort} />
                    <SortHeader label="Status" column="status" sort={sort} onSort={onSort} />
                    <SortHeader label="Cadence" column="cadence" sort={sort} onSort={onSort} class="hide-narrow" />
                    <SortHeader label="Started" column="started" sort={sort} onSort={onSort} class="hide-narrow" />
                    <SortHeader label="Last meeting" column="lastMeeting" sort={sort} onSort={onSort} />
                    <SortHeader label="Meetings" column="meetings" sort={sort} onSort={onSort} numeric class="hide-narrow" />
                  </tr>
                </thead>
                <tbody>
                  {rows.slice(0, shown).map((p) => (
                    <tr key={p.id}>
                      <td>
                        <Link to={`/pairs/${p.id}`}>
                          {p.mentor.name}
                          <span class="visually-hidden"> and {p.mentee.name}: open pair</span>
                        </Link>
                      </td>
                      <td>{p.mentee.name}</td>
                      <td>
                        <span class={`badge ${p.status}`}>{p.status}</span>
                      </td>
                      <td class="hide-narrow">{cadenceLabel[p.cadence]}</td>
                      <td class="hide-narrow nowrap">{formatDay(p.startedOn)}</td>
                      <td class="nowrap">{formatAgo(p.lastMeetingAt)}</td>
                      <td class="num hide-narrow">{p.meetingCount}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {rows.length > shown && (
              <p style={{ marginTop: '0.75rem' }}>
                <button type="button" onClick={() => setShown(shown + PAGE_SIZE)}>
                  Show {Math.min(PAGE_SIZE, rows.length - shown)} more
                </button>
              </p>
            )}
          </>
        ))}
    </>
  );
}
