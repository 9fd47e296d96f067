/**
 * Each mentorship's encryption on the options page (issue 10): the state in words, progress while existing notes are
 * encrypted, the last error as the background reported it, and the safety number to compare with the partner.
 */
import { Fragment } from 'preact';
import type { PairEncryption } from '../../lib/e2ee-messages.ts';
import { t } from '../../lib/i18n.ts';
import { LockIcon } from '../components/LockIcon.tsx';
import { codeGroups, pairStateWords } from '../e2ee.ts';
import { firstName } from '../format.ts';

export function EncryptionPairs({ pairs }: { pairs: PairEncryption[] }) {
  return (
    <div class="e2ee-pairs">
      <h3 class="subsection-title">{t('encryptionPairs_title')}</h3>
      <ul class="e2ee-pair-list" aria-label={t('encryptionPairs_listLabel')}>
        {pairs.map((pair) => (
          <PairItem key={pair.pairId} pair={pair} />
        ))}
      </ul>
    </div>
  );
}

function PairItem({ pair }: { pair: PairEncryption }) {
  const partner = firstName(pair.partnerName);
  const groups = pair.safetyNumber ? codeGroups(pair.safetyNumber) : [];
  return (
    <li class="e2ee-pair" data-state={pair.state}>
      <p class="e2ee-pair-head">
        <strong>{pair.partnerName}</strong>
        <span class={`e2ee-state e2ee-state-${pair.state}`}>
          {(pair.state === 'encrypted' || pair.state === 'locked') && <LockIcon />} {pairStateWords(pair)}
        </span>
      </p>
      {pair.state === 'migrating' && pair.migration && pair.migration.total > 0 && (
        <progress
          class="e2ee-progress"
          max={pair.migration.total}
          value={pair.migration.done}
          aria-label={t('encryptionPairs_migrating', partner)}
        />
      )}
      {pair.error && (
        <p class="error" role="alert">
          {pair.error}
        </p>
      )}
      <details class="safety-number">
        <summary>{t('encryptionPairs_compare', partner)}</summary>
        {groups.length > 0 ? (
          <>
            <p class="safety-digits mono" aria-label={t('encryptionPairs_safetyNumber', groups.join(' '))}>
              {groups.map((group, i) => (
                <Fragment key={i}>
                  {i > 0 && ' '}
                  <span>{group}</span>
                </Fragment>
              ))}
            </p>
            <p class="hint">{t('encryptionPairs_hint', partner)}</p>
          </>
        ) : (
          <p class="muted">{t('encryptionPairs_noNumber', partner)}</p>
        )}
      </details>
    </li>
  );
}
