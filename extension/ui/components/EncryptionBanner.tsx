// End-to-end encryption in the side panel and the overlay (issue 10): a small banner while this device waits for
// approval, while the pair's notes are locked here or being encrypted, or when the last key step failed; each can be
// dismissed for the session. And the "End-to-end encrypted" mark by the notes once the pair is encrypted.
import { useState } from 'preact/hooks';
import type { E2eeStatus } from '../../lib/e2ee-messages.ts';
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
  if (!status) return statusError ? { id: 'status-error', text: `Could not check encryption on this device: ${statusError}`, tone: 'error' } : null;
  if (status.state === 'pending') {
    return {
      id: 'pending',
      text: 'This device can’t read encrypted notes yet — approve it from your other device.',
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
      text: `Your notes with ${firstName(pair.partnerName)} are locked on this device — approve it from your other device.`,
      tone: 'warn',
      settings: true,
    };
  }
  if (pair.state === 'migrating') {
    const progress = pair.migration ?? undefined;
    return {
      id: `migrating:${pairId}`,
      text: progress ? `Encrypting your existing notes: ${progress.done} of ${progress.total}` : 'Encrypting your existing notes…',
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
          <progress max={notice.progress.total} value={notice.progress.done} aria-label="Encrypting your existing notes" />
        )}
        {notice.settings && (
          <button type="button" class="link" onClick={openOptionsPage}>
            Open settings
          </button>
        )}
      </div>
      <button type="button" class="link banner-dismiss" aria-label="Dismiss this message" onClick={() => dismiss(notice.id)}>
        ×
      </button>
    </div>
  );
}

/** The mark by the notes of a pair whose notes are all ciphertext on the server. */
export function EncryptedHint({ partnerName }: { partnerName: string }) {
  return (
    <span class="e2ee-hint" title={`Only you and ${partnerName} can read these notes: the server stores them encrypted.`}>
      <LockIcon />
      End-to-end encrypted
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
