// Daylight-saving warnings for a check-in (issue 9): "From 29 March this is 10:00 for Theo, not 09:00".
import { dstWarnings } from '../../../shared/domain/scheduling.ts';
import type { Person } from '../../../shared/schemas/index.ts';
import { t } from '../../lib/i18n.ts';
import { firstName } from '../format.ts';

/**
 * Beyond this, no warnings are worked out: the scan reads each zone's offset twice a day between now and the
 * check-in, and a year covers every daylight-saving change that can come first.
 */
const LOOKAHEAD_MS = 370 * 86_400_000;

/** The warnings' sentences for one check-in, for me ("you") and the partner, as of `now`. */
export function dstMessages(checkIn: { startsAt: string; organiserZone: string }, me: Person, partner: Person, now: number): string[] {
  const start = Date.parse(checkIn.startsAt);
  if (!(start > now) || start - now > LOOKAHEAD_MS) return [];
  try {
    const people = [
      { name: 'you', timeZone: me.timeZone },
      { name: firstName(partner.name), timeZone: partner.timeZone },
    ];
    return dstWarnings(checkIn, people, { now: new Date(now) }).map((w) => w.message);
  } catch {
    // A zone this browser does not know: no warning rather than a broken panel.
    return [];
  }
}

export function DstWarnings({ messages }: { messages: string[] }) {
  if (messages.length === 0) return null;
  return (
    <ul class="dst-warnings" aria-label={t('dstWarnings_label')}>
      {messages.map((message) => (
        <li key={message} class="banner warn">
          <span aria-hidden="true">⚠ </span>
          {message}.
        </li>
      ))}
    </ul>
  );
}
