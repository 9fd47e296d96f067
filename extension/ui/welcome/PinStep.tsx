/**
 * Step 3: pin Alongside to the toolbar. No extension can pin itself; the page explains how and notices when it is done
 * by polling action.getUserSettings().isOnToolbar (browser-actions.ts toolbarPinned) while the page is visible.
 */
import { useEffect, useState } from 'preact/hooks';
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
    <Step id="pin" number={3} title="Pin Alongside to the toolbar" done={done}>
      {done ? (
        <p>Alongside is on your toolbar: click it to see your goals between calls, or to show it on a call page.</p>
      ) : (
        <>
          <p class="muted">So Alongside is one click away on every call page.</p>
          {firefox ? (
            <ol class="pin-howto" data-testid="pin-howto-firefox">
              <li>Click the Extensions button (the puzzle piece) at the right of the toolbar.</li>
              <li>Click the gear next to Alongside.</li>
              <li>Choose “Pin to Toolbar”.</li>
            </ol>
          ) : (
            <ol class="pin-howto" data-testid="pin-howto-chrome">
              <li>Click the Extensions button (the puzzle piece) right of the address bar.</li>
              <li>Click the pin next to Alongside.</li>
            </ol>
          )}
          {pinned === null && (
            <button type="button" onClick={() => setConfirmed(true)}>
              I have pinned it
            </button>
          )}
          {pinned === false && (
            <p class="hint" role="status">
              This step is ticked by itself once Alongside is pinned.
            </p>
          )}
        </>
      )}
    </Step>
  );
}
