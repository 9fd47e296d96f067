import type { ScheduledCheckInHeld } from '../../../../shared/schemas/checkins.ts';
import { formatDateTime } from '../format.ts';
import { EmptyState } from './Status.tsx';

/** The window the API uses to call a scheduled check-in held (worker/db/checkins.ts, HELD_WINDOW_HOURS). */
const HELD_WINDOW_HOURS = 12;

/**
 * Admin pair page (issue 9): the pair's past scheduled check-ins against the meetings actually held. A check-in
 * counts as held when a meeting of the pair started within ±12 h of it; times are in the admin's own zone, with the
 * zone the pair agreed it in.
 */
export function ScheduledCheckIns({ checkIns }: { checkIns: ScheduledCheckInHeld[] }) {
  const held = checkIns.filter((c) => c.heldAt !== null).length;
  return (
    <section class="card" aria-labelledby="checkins-title">
      <h2 id="checkins-title">Scheduled versus held check-ins</h2>
      {checkIns.length === 0 ? (
        <EmptyState title="No past scheduled check-ins">Check-ins the partners agree in the extension appear here once their time has passed.</EmptyState>
      ) : (
        <>
          <p class="small muted">
            {held} of {checkIns.length} held (a meeting started within {HELD_WINDOW_HOURS} h of the agreed time).
          </p>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Scheduled for</th>
                  <th scope="col">Agreed in</th>
                  <th scope="col">Held</th>
                </tr>
              </thead>
              <tbody>
                {checkIns.map((c) => (
                  <tr key={c.id}>
                    <td>
                      {formatDateTime(c.startsAt)} <span class="small muted">· {c.durationMinutes} min</span>
                    </td>
                    <td class="small">{c.organiserZone}</td>
                    <td>
                      {c.heldAt ? (
                        <span class="badge active">Held · {formatDateTime(c.heldAt)}</span>
                      ) : (
                        <span class="badge risk">Not held</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
