// Suggested check-in times (issue 9): slots inside both partners' working hours near the cadence's due date, from
// shared/domain/scheduling.ts; when their hours do not overlap, its message and the least-bad slots.
import type { SlotProposal } from '../../../shared/domain/scheduling.ts';
import type { Person } from '../../../shared/schemas/index.ts';
import { t } from '../../lib/i18n.ts';
import { bothClocks } from '../checkin-time.ts';
import { firstName, formatDuration } from '../format.ts';
import { tNodes } from '../message-nodes.tsx';

type Props = {
  proposal: SlotProposal;
  me: Person;
  partner: Person;
  now: number;
  /** Start instants already proposed (not offered again). */
  taken: ReadonlySet<string>;
  /** The slot being proposed, if any. */
  busy: string | null;
  disabled: boolean;
  onPropose: (startsAt: string) => void;
};

export function SlotSuggestions({ proposal, me, partner, now, taken, busy, disabled, onPropose }: Props) {
  const who = firstName(partner.name);
  // Picked nearest the due date first; listed in time order, which is how people read a choice of times.
  const slots = proposal.slots.filter((s) => !taken.has(s.startsAt)).sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
  return (
    <section class="slots" aria-labelledby="slots-title">
      <h3 id="slots-title" class="subsection-title">
        {t('slotSuggestions_title')}
      </h3>
      {!proposal.overlap && (
        <p class="banner warn" role="note">
          {proposal.message}
        </p>
      )}
      {slots.length === 0 ? (
        <p class="empty">{t('slotSuggestions_none')}</p>
      ) : (
        <ul class="slot-list">
          {slots.map((slot) => {
            const { mine, theirs } = bothClocks(slot.startsAt, me, partner, now);
            const outside = outsideHours(slot.outsideMinutes.a, slot.outsideMinutes.b, who);
            // The user's time in bold, the sentence around it.
            const when = tNodes('format_bothClocks', <strong>{mine}</strong>, theirs, who);
            return (
              <li key={slot.startsAt} class="slot">
                <span class="slot-when">
                  {when}
                  {outside && <span class="slot-outside"> ({outside})</span>}
                </span>
                <button type="button" class="small" disabled={disabled || busy !== null} aria-label={t('slotSuggestions_proposeAt', mine)} onClick={() => onPropose(slot.startsAt)}>
                  {busy === slot.startsAt ? t('slotSuggestions_proposing') : t('slotSuggestions_propose')}
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

/** How far a slot reaches outside the user's working hours and the partner's, or null when it fits both. */
function outsideHours(mine: number, theirs: number, who: string): string | null {
  if (mine > 0 && theirs > 0) return t('slotSuggestions_outsideBoth', formatDuration(mine), formatDuration(theirs), who);
  if (mine > 0) return t('slotSuggestions_outsideMine', formatDuration(mine));
  if (theirs > 0) return t('slotSuggestions_outsideTheirs', formatDuration(theirs), who);
  return null;
}
