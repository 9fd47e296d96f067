// The meeting log by hand, on a call page where Alongside cannot tell the call's state (a page it does not know, or
// one that changed): the user says when the meeting starts and ends, and nothing is logged without them.
import { useState } from 'preact/hooks';
import type { CallInfo } from '../../lib/app-messages.ts';
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
      setError(e instanceof Error ? e.message : 'That did not work; try again');
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="manual-log" aria-labelledby="manual-log-title">
      <h2 id="manual-log-title" class="sr-only">
        Meeting log
      </h2>
      {logging ? (
        <p class="manual-log-status">
          <span class="live-dot" aria-hidden="true" /> Logging this meeting
          {info.joinedAt && ` · ${formatDuration(minutesBetween(info.joinedAt, new Date(now).toISOString()))}`}
        </p>
      ) : (
        <p class="muted manual-log-status">Alongside cannot tell when this call starts or ends here. Log it yourself:</p>
      )}
      <button type="button" class={logging ? 'small' : 'primary small'} disabled={busy} onClick={() => void run(logging ? onEnd : onStart)}>
        {busy ? 'Saving…' : logging ? 'End meeting log' : 'Start meeting log'}
      </button>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
