// The meeting log by hand, on a call page where Alongside cannot tell the call's state (a page it does not know, or
// one that changed): the user says when the meeting starts and ends, and nothing is logged without them.
import { useState } from 'preact/hooks';
import type { CallInfo } from '../../lib/app-messages.ts';
import { t } from '../../lib/i18n.ts';
import { formatDuration, minutesBetween } from '../format.ts';

export function ManualLog({ info, now, onStart, onEnd }: { info: CallInfo; now: number; onStart(): Promise<void>; onEnd(): Promise<void> }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const logging = info.meetingId !== null && info.leftAt === null;

  async function run(action: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(e instanceof Error ? e.message : t('manualLog_failed'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="manual-log" aria-labelledby="manual-log-title">
      <h2 id="manual-log-title" class="sr-only">
        {t('manualLog_title')}
      </h2>
      {logging ? (
        <p class="manual-log-status">
          <span class="live-dot" aria-hidden="true" />{' '}
          {info.joinedAt
            ? t('manualLog_loggingFor', formatDuration(minutesBetween(info.joinedAt, new Date(now).toISOString())))
            : t('manualLog_logging')}
        </p>
      ) : (
        <p class="muted manual-log-status">{t('manualLog_unknownCall')}</p>
      )}
      <button type="button" class={logging ? 'small' : 'primary small'} disabled={busy} onClick={() => void run(logging ? onEnd : onStart)}>
        {busy ? t('manualLog_saving') : logging ? t('manualLog_end') : t('manualLog_start')}
      </button>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
