// Calling off the scheduled check-in (either partner may, issue 9): asked twice, since the partner loses it too.
import { useState } from 'preact/hooks';
import { t } from '../../lib/i18n.ts';

export function CancelCheckIn({ when, partnerName, busy, onConfirm }: { when: string; partnerName: string; busy: boolean; onConfirm: () => void }) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button type="button" class="link danger" disabled={busy} onClick={() => setAsking(true)}>
        {t('cancelCheckIn_button')}
      </button>
    );
  }
  return (
    <div class="confirm" role="group" aria-label={t('cancelCheckIn_label')}>
      <span>{t('cancelCheckIn_question', when, partnerName)}</span>{' '}
      <button
        type="button"
        class="small danger"
        disabled={busy}
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        {busy ? t('cancelCheckIn_cancelling') : t('cancelCheckIn_confirm')}
      </button>{' '}
      <button type="button" class="small" disabled={busy} onClick={() => setAsking(false)}>
        {t('cancelCheckIn_keep')}
      </button>
    </div>
  );
}
