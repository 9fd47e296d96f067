// Which mentorship: a one-time question on the call page, a picker in the side panel.
import type { PairSummary } from '../../../shared/schemas/index.ts';
import { t } from '../../lib/i18n.ts';

/** "Priya Raman — you mentor" */
export function pairLabel(pair: PairSummary): string {
  return pair.myRole === 'mentor' ? t('pairChooser_labelMentor', pair.partner.name) : t('pairChooser_labelMentee', pair.partner.name);
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
        {t('pairChooser_question')}
      </h2>
      <p class="muted">{t('pairChooser_remembered')}</p>
      <ul class="choice-list">
        {choices.map((pair) => (
          <li key={pair.id}>
            <button type="button" class="choice" disabled={busy} onClick={() => onChoose(pair.id)}>
              <span class="choice-name">{pair.partner.name}</span>
              <span class="muted">{pair.myRole === 'mentor' ? t('pairChooser_youMentorThem') : t('pairChooser_yourMentor')}</span>
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
      <span class="field-label">{t('pairChooser_mentorship')}</span>
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
