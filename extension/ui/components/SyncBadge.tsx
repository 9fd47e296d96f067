// Where an entry is on its way to the server, and the outbox status line — both shown truthfully.
import type { LocalEntry, SyncStatus } from '../../lib/app-messages.ts';
import { formatTime, plural } from '../format.ts';

const LABELS: Record<LocalEntry['sync'], string> = {
  local: 'saved locally',
  syncing: 'syncing',
  synced: 'synced',
  failed: 'failed',
};

export function SyncBadge({ entry, onRetry }: { entry: Pick<LocalEntry, 'sync' | 'error'>; onRetry?: () => void }) {
  if (entry.sync === 'failed') {
    return (
      <span class="sync sync-failed" title={entry.error}>
        <span>failed</span>
        {onRetry && (
          <>
            {' — '}
            <button type="button" class="link" onClick={onRetry}>
              retry
            </button>
          </>
        )}
      </span>
    );
  }
  return (
    <span class={`sync sync-${entry.sync}`} title={entry.sync === 'local' ? 'Kept in this browser until the server accepts it' : undefined}>
      {entry.sync === 'synced' ? '✓ synced' : LABELS[entry.sync]}
    </span>
  );
}

/** One sentence about the outbox, e.g. "Offline — 3 entries saved locally, will sync". */
export function describeSyncStatus(status: SyncStatus, timeZone: string): { text: string; tone: 'ok' | 'busy' | 'warn' | 'error' } {
  if (status.failed > 0) {
    return { text: `${plural(status.failed, 'entry', 'entries')} could not be synced`, tone: 'error' };
  }
  if (!status.online) {
    return status.pending > 0
      ? { text: `Offline — ${plural(status.pending, 'entry', 'entries')} saved locally, will sync`, tone: 'warn' }
      : { text: 'Offline — new entries are saved locally and will sync', tone: 'warn' };
  }
  if (status.pending > 0) return { text: `Syncing ${plural(status.pending, 'entry', 'entries')}…`, tone: 'busy' };
  return {
    text: status.lastSyncedAt ? `All synced · ${formatTime(status.lastSyncedAt, timeZone)}` : 'All synced',
    tone: 'ok',
  };
}

export function SyncStatusLine({
  status,
  error,
  timeZone,
  onRetry,
}: {
  status: SyncStatus | null;
  /** The background could not be asked at all. */
  error: string | null;
  timeZone: string;
  onRetry: () => void;
}) {
  const described = error
    ? { text: `Can't sync right now: ${error}`, tone: 'error' as const }
    : status
      ? describeSyncStatus(status, timeZone)
      : { text: 'Checking sync…', tone: 'busy' as const };
  return (
    <div class={`status-line tone-${described.tone}`}>
      <span role="status" aria-live="polite">
        {described.text}
      </span>
      {status && status.failed > 0 && (
        <button type="button" class="link" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}
