/**
 * The recovery key, shown once (issue 10): at set-up and when a new one is made. Copy and Print, and a required
 * "I have saved my recovery key" before it can be closed; until then, leaving the page asks first. Nothing keeps the
 * key: once closed, it is gone from this page.
 */
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { t } from '../../lib/i18n.ts';

export function RecoveryKeyPanel({ recoveryKey, replacesOld, onDone }: { recoveryKey: string; replacesOld: boolean; onDone: () => void }) {
  const [saved, setSaved] = useState(false);
  const [copied, setCopied] = useState<{ text: string; error: boolean } | null>(null);
  const titleRef = useRef<HTMLHeadingElement>(null);
  const titleId = useId();
  const descriptionId = useId();

  // Focus moves to the panel, so keyboard and screen-reader users land on the key.
  useEffect(() => titleRef.current?.focus(), []);

  // The key is never shown again: closing the tab before saving it asks first.
  useEffect(() => {
    if (saved) return;
    const warn = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      // Older Chrome shows the prompt only when returnValue is set (MDN Window: beforeunload event).
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [saved]);

  async function copy() {
    try {
      await navigator.clipboard.writeText(recoveryKey);
      setCopied({ text: t('recoveryKey_copied'), error: false });
    } catch {
      setCopied({ text: t('recoveryKey_copyBlocked'), error: true });
    }
  }

  return (
    <div class="recovery-key-panel" role="dialog" aria-labelledby={titleId} aria-describedby={descriptionId}>
      <h3 id={titleId} ref={titleRef} tabIndex={-1} class="recovery-key-title">
        {replacesOld ? t('recoveryKey_newTitle') : t('recoveryKey_title')}
      </h3>
      <p id={descriptionId}>
        {t('recoveryKey_onlyOnce')} {t('recoveryKey_purpose')} {t('recoveryKey_keepPrivate')}
        {replacesOld && ` ${t('recoveryKey_oldStops')}`}
      </p>
      <p class="recovery-key mono" aria-label={t('recoveryKey_label')}>
        {recoveryKey}
      </p>
      <div class="row-actions">
        <button type="button" onClick={() => void copy()}>
          {t('recoveryKey_copy')}
        </button>
        <button type="button" onClick={() => printRecoveryKey(recoveryKey)}>
          {t('recoveryKey_print')}
        </button>
      </div>
      <p class={`state-line ${copied?.error ? 'error' : 'muted'}`} role="status" aria-live="polite">
        {copied?.text ?? ''}
      </p>
      <label class="switch-field">
        <input type="checkbox" checked={saved} onChange={(e) => setSaved(e.currentTarget.checked)} />
        <span>{t('recoveryKey_savedCheck')}</span>
      </label>
      <div class="row-actions">
        <button type="button" class="primary" disabled={!saved} onClick={onDone}>
          {t('recoveryKey_done')}
        </button>
        {!saved && <span class="hint">{t('recoveryKey_tickFirst')}</span>}
      </div>
    </div>
  );
}

/**
 * Prints a sheet with only the key and one line: it is added to the page, the page's print styles hide everything
 * else (styles.css, body.printing-recovery-key), and it is removed once printing is done.
 */
export function printRecoveryKey(recoveryKey: string): void {
  const sheet = document.createElement('div');
  sheet.className = 'recovery-print';
  const title = document.createElement('h1');
  title.textContent = t('recoveryKey_printTitle');
  const key = document.createElement('p');
  key.className = 'recovery-print-key';
  key.textContent = recoveryKey;
  const purpose = document.createElement('p');
  purpose.textContent = t('recoveryKey_purpose');
  sheet.append(title, key, purpose);
  document.body.append(sheet);
  document.body.classList.add('printing-recovery-key');
  const cleanUp = () => {
    window.removeEventListener('afterprint', cleanUp);
    document.body.classList.remove('printing-recovery-key');
    sheet.remove();
  };
  // Chrome's print() returns once the dialog closes; Firefox's may return at once, so afterprint cleans up there.
  window.addEventListener('afterprint', cleanUp);
  try {
    window.print();
  } catch {
    cleanUp();
  }
}
