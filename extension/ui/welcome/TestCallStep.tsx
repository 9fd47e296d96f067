/**
 * Step 4: join the test call. The worker serves a page that looks like a call (worker/routes/try-call.ts); the
 * background opens it and attaches the companion (background/welcome.ts), and notes when the overlay was shown, which
 * the page polls while it is visible. No meeting is logged for a test call.
 */
import { useEffect, useState } from 'preact/hooks';
import { ask } from '../../lib/app-client.ts';
import { t } from '../../lib/i18n.ts';
import { errorMessage } from '../errors.ts';
import { Step, StepMessage } from './Step.tsx';

export const TEST_CALL_POLL_MS = 1_000;

export function TestCallStep({
  signedIn,
  seen,
  onSeen,
  pollMs = TEST_CALL_POLL_MS,
}: {
  signedIn: boolean;
  seen: boolean;
  onSeen: () => void;
  pollMs?: number;
}) {
  const [busy, setBusy] = useState(false);
  const [opened, setOpened] = useState(false);
  const [message, setMessage] = useState<{ kind: 'info' | 'error'; text: string } | null>(null);

  // After opening the test call, check (while this page is visible) whether the overlay showed there.
  useEffect(() => {
    if (!opened || seen) return;
    let stopped = false;
    const check = () => {
      if (document.visibilityState !== 'visible') return;
      ask('welcome.status', {}).then(
        (status) => {
          if (!stopped && status.testCallSeenAt !== null) onSeen();
        },
        () => undefined,
      );
    };
    check();
    const timer = setInterval(check, pollMs);
    document.addEventListener('visibilitychange', check);
    return () => {
      stopped = true;
      clearInterval(timer);
      document.removeEventListener('visibilitychange', check);
    };
  }, [opened, seen, pollMs, onSeen]);

  async function open() {
    if (busy) return;
    setBusy(true);
    setMessage(null);
    try {
      const result = await ask('welcome.tryCall', {});
      setMessage({ kind: result.attached ? 'info' : 'error', text: result.message });
      if (result.attached) setOpened(true);
    } catch (error) {
      setMessage({ kind: 'error', text: t('testCallStep_openFailed', errorMessage(error)) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <Step id="test-call" number={4} title={t('testCallStep_title')} done={seen}>
      {seen ? (
        <p>{t('testCallStep_seen')}</p>
      ) : (
        <p class="muted">{t('testCallStep_explain')}</p>
      )}
      {!signedIn && !seen && <p class="hint">{t('testCallStep_signInFirst')}</p>}
      <button type="button" class={seen ? '' : 'primary'} disabled={busy || !signedIn} onClick={() => void open()}>
        {busy ? t('testCallStep_opening') : seen ? t('testCallStep_openAgain') : t('testCallStep_open')}
      </button>
      <StepMessage message={message} />
    </Step>
  );
}
