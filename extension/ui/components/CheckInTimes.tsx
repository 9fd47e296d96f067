// One check-in time on both partners' clocks, each named by zone (issue 9: "shown in both local times").
import type { Person } from '../../../shared/schemas/index.ts';
import { bothClocks, zoneName } from '../checkin-time.ts';
import { firstName, formatDuration } from '../format.ts';

export function CheckInTimes({
  startsAt,
  durationMinutes,
  me,
  partner,
  now,
}: {
  startsAt: string;
  durationMinutes: number;
  me: Person;
  partner: Person;
  now: number;
}) {
  const { mine, theirs } = bothClocks(startsAt, me, partner, now);
  return (
    <dl class="checkin-times">
      <div>
        <dt>You</dt>
        <dd>
          <strong>{mine}</strong> · {formatDuration(durationMinutes)} <span class="muted">({zoneName(me.timeZone)})</span>
        </dd>
      </div>
      <div>
        <dt>{firstName(partner.name)}</dt>
        <dd>
          <strong>{theirs}</strong> <span class="muted">({zoneName(partner.timeZone)})</span>
        </dd>
      </div>
    </dl>
  );
}
