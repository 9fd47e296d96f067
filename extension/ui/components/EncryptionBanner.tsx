// End-to-end encryption in the side panel and the overlay (issue 10): a small banner while this device waits for
// approval, while the pair's notes are locked here or being encrypted, or when the last key step failed; each can be
// dismissed for the session. And the "End-to-end encrypted" mark by the notes once the pair is encrypted.
import { useState } from 'preact/hooks';
import type { E2eeStatus } from '../../lib/e2ee-messages.ts';
import { t } from '../../lib/i18n.ts';
import { openOptionsPage } from '../browser-actions.ts';
import { firstName } from '../format.ts';
import { LockIcon } from './LockIcon.tsx';

/** Banners dismissed in this browsing session (per page: the side panel and each call tab keep their own). */
const DISMISSED_KEY = 'alongside.e2eeBanner.dismissed';

interface Notice {
  /** Changes when the situation changes, so a dismissed banner comes back for a new one. */
  id: string;
  text: string;
  tone: 'info' | 'warn' | 'error';
  progress?: { done: number; total: number };
  /** Offer the options page, where the device is approved or restored. */
  settings?: boolean;
}

/** What the banner says for this pair, if anything. `statusError`: `e2ee.status` itself failed. */
export function encryptionNotice(status: E2eeStatus | null, statusError: string | null, pairId: string): Notice | null {
  if (!status) return statusError ? { id: 'status-error', text: t('encryptionBanner_statusError', statusError), tone: 'error' } : null;
  if (status.state === 'pending') {
    return {
      id: 'pending',
      text: t('encryptionBanner_pending'),
      tone: 'warn',
      settings: true,
    };
  }
  const pair = status.pairs.find((p) => p.pairId === pairId);
  if (!pair) return null;
  if (pair.error) return { id: `error:${pairId}:${pair.error}`, text: pair.error, tone: 'error', settings: true };
  if (pair.state === 'locked') {
    return {
      id: `locked:${pairId}`,
      text: t('encryptionBanner_locked', firstName(pair.partnerName)),
      tone: 'warn',
      settings: true,
    };
  }
  if (pair.state === 'migrating') {
    const progress = pair.migration ?? undefined;
    return {
      id: `migrating:${pairId}`,
      text: progress ? t('encryptionBanner_migratingProgress', progress.done, progress.total) : t('encryptionBanner_migrating'),
      tone: 'info',
      progress,
    };
  }
  return null;
}

export function EncryptionBanner({ status, error, pairId }: { status: E2eeStatus | null; error: string | null; pairId: string }) {
  const [dismissed, setDismissed] = useState<Set<string>>(readDismissed);
  const notice = encryptionNotice(status, error, pairId);
  if (!notice || dismissed.has(notice.id)) return null;

  function dismiss(id: string) {
    setDismissed((previous) => {
      const next = new Set(previous).add(id);
      try {
        sessionStorage.setItem(DISMISSED_KEY, JSON.stringify([...next]));
      } catch {
        // Without session storage the banner is only hidden until the page reloads.
      }
      return next;
    });
  }

  return (
    <div class={`banner e2ee-banner e2ee-banner-${notice.tone}`} role={notice.tone === 'error' ? 'alert' : 'status'}>
      <LockIcon />
      <div class="e2ee-banner-text">
        <span>{notice.text}</span>
        {notice.progress && notice.progress.total > 0 && (
          <progress max={notice.progress.total} value={notice.progress.done} aria-label={t('encryptionBanner_progressLabel')} />
        )}
        {notice.settings && (
          <button type="button" class="link" onClick={openOptionsPage}>
            {t('encryptionBanner_openSettings')}
          </button>
        )}
      </div>
      <button type="button" class="link banner-dismiss" aria-label={t('encryptionBanner_dismiss')} onClick={() => dismiss(notice.id)}>
        ×
      </button>
    </div>
  );
}

/** The mark by the notes of a pair whose notes are all ciphertext on the server. */
export function EncryptedHint({ partnerName }: { partnerName: string }) {
  return (
    <span class="e2ee-hint" title={t('encryptionBanner_hintTitle', partnerName)}>
      <LockIcon />
      {t('encryptionBanner_encrypted')}
    </span>
  );
}

function readDismissed(): Set<string> {
  try {
    const raw: unknown = JSON.parse(sessionStorage.getItem(DISMISSED_KEY) ?? '[]');
    return new Set(Array.isArray(raw) ? raw.filter((x): x is string => typeof x === 'string') : []);
  } catch {
    return new Set();
  }
}
