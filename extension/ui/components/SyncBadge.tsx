// Where an entry is on its way to the server, and the outbox status line — both shown truthfully.
import type { LocalEntry, SyncStatus } from '../../lib/app-messages.ts';
import { type MessageKey, t, tCount } from '../../lib/i18n.ts';
import { formatTime } from '../format.ts';

const LABELS: Record<LocalEntry['sync'], MessageKey> = {
  local: 'syncBadge_local',
  syncing: 'syncBadge_syncing',
  synced: 'syncBadge_synced',
  failed: 'syncBadge_failed',
};

export function SyncBadge({ entry, onRetry }: { entry: Pick<LocalEntry, 'sync' | 'error'>; onRetry?: () => void }) {
  if (entry.sync === 'failed') {
    return (
      <span class="sync sync-failed" title={entry.error}>
        <span>{t('syncBadge_failed')}</span>
        {onRetry && (
          <>
            {' — '}
            <button type="button" class="link" onClick={onRetry}>
              {t('syncBadge_retry')}
            </button>
          </>
        )}
      </span>
    );
  }
  return (
    <span class={`sync sync-${entry.sync}`} title={entry.sync === 'local' ? t('syncBadge_localHint') : undefined}>
      {t(LABELS[entry.sync])}
    </span>
  );
}

/** One sentence about the outbox, e.g. "Offline — 3 entries saved locally, will sync". */
export function describeSyncStatus(status: SyncStatus, timeZone: string): { text: string; tone: 'ok' | 'busy' | 'warn' | 'error' } {
  if (status.failed > 0) {
    return { text: tCount('syncBadge_statusFailed', status.failed), tone: 'error' };
  }
  if (!status.online) {
    return status.pending > 0
      ? { text: tCount('syncBadge_statusOfflinePending', status.pending), tone: 'warn' }
      : { text: t('syncBadge_statusOffline'), tone: 'warn' };
  }
  if (status.pending > 0) return { text: tCount('syncBadge_statusSyncing', status.pending), tone: 'busy' };
  return {
    text: status.lastSyncedAt ? t('syncBadge_statusSyncedAt', formatTime(status.lastSyncedAt, timeZone)) : t('syncBadge_statusSynced'),
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
    ? { text: t('syncBadge_statusError', error), tone: 'error' as const }
    : status
      ? describeSyncStatus(status, timeZone)
      : { text: t('syncBadge_statusChecking'), tone: 'busy' as const };
  return (
    <div class={`status-line tone-${described.tone}`}>
      <span role="status" aria-live="polite">
        {described.text}
      </span>
      {status && status.failed > 0 && (
        <button type="button" class="link" onClick={onRetry}>
          {t('syncBadge_statusRetry')}
        </button>
      )}
    </div>
  );
}
