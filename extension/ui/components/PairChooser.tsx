// Which mentorship: a one-time question on the call page, a picker in the side panel.
import type { PairSummary } from '../../../shared/schemas/index.ts';

/** "Priya Raman — you mentor" */
export function pairLabel(pair: PairSummary): string {
  return `${pair.partner.name} — ${pair.myRole === 'mentor' ? 'you mentor' : 'your mentor'}`;
}

export function PairChooser({
  choices,
  busy,
  error,
  onChoose,
}: {
  choices: PairSummary[];
  busy: boolean;
  error: string | null;
  onChoose: (pairId: string) => void;
}) {
  return (
    <section class="card chooser" aria-labelledby="pair-chooser-title">
      <h2 id="pair-chooser-title" class="section-title">
        Which mentorship is this call for?
      </h2>
      <p class="muted">Alongside remembers your answer for this meeting link.</p>
      <ul class="choice-list">
        {choices.map((pair) => (
          <li key={pair.id}>
            <button type="button" class="choice" disabled={busy} onClick={() => onChoose(pair.id)}>
              <span class="choice-name">{pair.partner.name}</span>
              <span class="muted">{pair.myRole === 'mentor' ? 'You mentor them' : 'Your mentor'}</span>
            </button>
          </li>
        ))}
      </ul>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

export function PairSelect({ pairs, value, onChange }: { pairs: PairSummary[]; value: string; onChange: (pairId: string) => void }) {
  return (
    <label class="field pair-select">
      <span class="field-label">Mentorship</span>
      <select value={value} onChange={(e) => onChange(e.currentTarget.value)}>
        {pairs.map((pair) => (
          <option key={pair.id} value={pair.id}>
            {pairLabel(pair)}
          </option>
        ))}
      </select>
    </label>
  );
}
