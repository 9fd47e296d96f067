// One check-in time on both partners' clocks, each named by zone (issue 9: "shown in both local times").
import type { Person } from '../../../shared/schemas/index.ts';
import { t } from '../../lib/i18n.ts';
import { zoneName } from '../checkin-time.ts';
import { firstName, formatDateTime, formatDuration } from '../format.ts';

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
  // Each in full (day and time): an agreed time must not leave anyone to work out which day it is for them.
  const mine = formatDateTime(startsAt, me.timeZone, now);
  const theirs = formatDateTime(startsAt, partner.timeZone, now);
  return (
    <dl class="checkin-times">
      <div>
        <dt>{t('checkInTimes_you')}</dt>
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
