// Open check-in proposals (issue 9): the partner's wait for my Accept or Decline, mine can be withdrawn.
import type { CheckIn, Person } from '../../../shared/schemas/index.ts';
import { t, tCount } from '../../lib/i18n.ts';
import { firstName, formatDateTime } from '../format.ts';
import { CheckInTimes } from './CheckInTimes.tsx';
import { DstWarnings, dstMessages } from './DstWarnings.tsx';

type Props = {
  proposals: CheckIn[];
  me: Person;
  partner: Person;
  now: number;
  /** The id of the proposal whose answer is on its way, if any. */
  busy: string | null;
  onAccept: (checkIn: CheckIn) => void;
  onDecline: (checkIn: CheckIn) => void;
  onWithdraw: (checkIn: CheckIn) => void;
};

export function CheckInProposals({ proposals, me, partner, now, busy, onAccept, onDecline, onWithdraw }: Props) {
  const open = proposals.filter((p) => p.status === 'proposed').sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
  const incoming = open.filter((p) => p.proposedBy !== me.id);
  const mine = open.filter((p) => p.proposedBy === me.id);
  const who = firstName(partner.name);
  return (
    <>
      {incoming.length > 0 && (
        <section class="proposals incoming" aria-labelledby="incoming-title">
          <h3 id="incoming-title" class="subsection-title">
            {tCount('checkInProposals_proposed', incoming.length, who)}
          </h3>
          <ul class="proposal-list">
            {incoming.map((p) => {
              const when = formatDateTime(p.startsAt, me.timeZone, now);
              return (
                <li key={p.id} class="proposal">
                  <CheckInTimes startsAt={p.startsAt} durationMinutes={p.durationMinutes} me={me} partner={partner} now={now} />
                  <DstWarnings messages={dstMessages(p, me, partner, now)} />
                  <div class="row-actions">
                    <button type="button" class="primary small" disabled={busy !== null} aria-label={t('checkInProposals_acceptLabel', when)} onClick={() => onAccept(p)}>
                      {busy === p.id ? t('checkInProposals_saving') : t('checkInProposals_accept')}
                    </button>
                    <button type="button" class="small" disabled={busy !== null} aria-label={t('checkInProposals_declineLabel', when)} onClick={() => onDecline(p)}>
                      {t('checkInProposals_decline')}
                    </button>
                  </div>
                </li>
              );
            })}
          </ul>
        </section>
      )}
      {mine.length > 0 && (
        <section class="proposals mine" aria-labelledby="mine-title">
          <h3 id="mine-title" class="subsection-title">
            {t('checkInProposals_waiting', who)}
          </h3>
          <ul class="proposal-list">
            {mine.map((p) => {
              const when = formatDateTime(p.startsAt, me.timeZone, now);
              return (
                <li key={p.id} class="proposal">
                  <CheckInTimes startsAt={p.startsAt} durationMinutes={p.durationMinutes} me={me} partner={partner} now={now} />
                  <button type="button" class="link" disabled={busy !== null} aria-label={t('checkInProposals_withdrawLabel', when)} onClick={() => onWithdraw(p)}>
                    {busy === p.id ? t('checkInProposals_withdrawing') : t('checkInProposals_withdraw')}
                  </button>
                </li>
              );
            })}
          </ul>
        </section>
      )}
    </>
  );
}
