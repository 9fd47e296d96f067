/**
 * Step 3: pin Alongside to the toolbar. No extension can pin itself; the page explains how and notices when it is done
 * by polling action.getUserSettings().isOnToolbar (browser-actions.ts toolbarPinned) while the page is visible.
 */
import { useEffect, useState } from 'preact/hooks';
import { t } from '../../lib/i18n.ts';
import { toolbarPinned } from '../browser-actions.ts';
import { Step } from './Step.tsx';

export const PIN_POLL_MS = 1_000;

export function PinStep({ firefox, pollMs = PIN_POLL_MS }: { firefox: boolean; pollMs?: number }) {
  const [pinned, setPinned] = useState<boolean | null>(null);
  const [confirmed, setConfirmed] = useState(false);

  useEffect(() => {
    let stopped = false;
    const check = () => {
      if (document.visibilityState !== 'visible') return;
      void toolbarPinned().then((value) => {
        if (!stopped) setPinned(value);
      });
    };
    check();
    const timer = setInterval(check, pollMs);
    document.addEventListener('visibilitychange', check);
    return () => {
      stopped = true;
      clearInterval(timer);
      document.removeEventListener('visibilitychange', check);
    };
  }, [pollMs]);

  // Where the browser cannot say, the user's word is taken for it.
  const done = pinned === true || (pinned === null && confirmed);
  return (
    <Step id="pin" number={3} title={t('pinStep_title')} done={done}>
      {done ? (
        <p>{t('pinStep_pinned')}</p>
      ) : (
        <>
          <p class="muted">{t('pinStep_why')}</p>
          {firefox ? (
            <ol class="pin-howto" data-testid="pin-howto-firefox">
              <li>{t('pinStep_firefoxExtensions')}</li>
              <li>{t('pinStep_firefoxGear')}</li>
              <li>{t('pinStep_firefoxPin')}</li>
            </ol>
          ) : (
            <ol class="pin-howto" data-testid="pin-howto-chrome">
              <li>{t('pinStep_chromeExtensions')}</li>
              <li>{t('pinStep_chromePin')}</li>
            </ol>
          )}
          {pinned === null && (
            <button type="button" onClick={() => setConfirmed(true)}>
              {t('pinStep_confirm')}
            </button>
          )}
          {pinned === false && (
            <p class="hint" role="status">
              {t('pinStep_autoTick')}
            </p>
          )}
        </>
      )}
    </Step>
  );
}
