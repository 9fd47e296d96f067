// Suggested check-in times (issue 9): slots inside both partners' working hours near the cadence's due date, from
// shared/domain/scheduling.ts; when their hours do not overlap, its message and the least-bad slots.
import type { SlotProposal } from '../../../shared/domain/scheduling.ts';
import type { Person } from '../../../shared/schemas/index.ts';
import { bothClocks } from '../checkin-time.ts';
import { firstName, formatDuration } from '../format.ts';

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
        Suggested times
      </h3>
      {!proposal.overlap && (
        <p class="banner warn" role="note">
          {proposal.message}
        </p>
      )}
      {slots.length === 0 ? (
        <p class="empty">No more suggestions near the due date — pick a time below.</p>
      ) : (
        <ul class="slot-list">
          {slots.map((slot) => {
            const { mine, theirs } = bothClocks(slot.startsAt, me, partner, now);
            const outside = [
              slot.outsideMinutes.a > 0 ? `${formatDuration(slot.outsideMinutes.a)} outside your hours` : null,
              slot.outsideMinutes.b > 0 ? `${formatDuration(slot.outsideMinutes.b)} outside ${who}’s` : null,
            ].filter((x): x is string => x !== null);
            return (
              <li key={slot.startsAt} class="slot">
                <span class="slot-when">
                  <strong>{mine}</strong> your time · {theirs} for {who}
                  {outside.length > 0 && <span class="slot-outside"> ({outside.join(', ')})</span>}
                </span>
                <button type="button" class="small" disabled={disabled || busy !== null} aria-label={`Propose ${mine}`} onClick={() => onPropose(slot.startsAt)}>
                  {busy === slot.startsAt ? 'Proposing…' : 'Propose'}
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
