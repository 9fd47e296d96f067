/**
 * The pages' view of end-to-end encryption (issue 10). The background holds every key and answers `e2ee.status`;
 * pages poll it while something is under way (a device waiting for approval, a pair's notes being encrypted) and put
 * its states into words. Nothing here touches a key.
 */
import { useRef, useState } from 'preact/hooks';
import { ask } from '../lib/app-client.ts';
import type { E2eeStatus, PairEncryption } from '../lib/e2ee-messages.ts';
import { t } from '../lib/i18n.ts';
import { errorMessage } from './errors.ts';
import { useOnFocus, usePageVisible, usePolling } from './hooks.ts';

/** A device waiting for approval, or a pair whose notes are being encrypted: worth asking again every few seconds. */
export function isUnderWay(status: E2eeStatus | null): boolean {
  return status !== null && (status.state === 'pending' || status.pairs.some((pair) => pair.state === 'migrating'));
}

export interface E2eeStatusView {
  status: E2eeStatus | null;
  /** The last `e2ee.status` failed (the last good status stays in `status`). */
  error: string | null;
  refresh: () => void;
  /** A newer status from an action's answer (set-up, approve, restore…); an older poll in flight is then dropped. */
  setStatus: (status: E2eeStatus) => void;
}

/**
 * Reads `e2ee.status` while `enabled`: every `busyMs` while something is under way, else every `idleMs` (null: only
 * on mount and when the page regains focus). Nothing is asked while the page is hidden.
 */
export function useE2eeStatus({ enabled, busyMs, idleMs }: { enabled: boolean; busyMs: number; idleMs: number | null }): E2eeStatusView {
  const [status, setStatusState] = useState<E2eeStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const visible = usePageVisible();
  const underWay = isUnderWay(status);
  /** Bumped by every status an action sets, so an answer to an older poll does not undo it. */
  const generation = useRef(0);

  const refresh = usePolling(
    async () => {
      if (!enabled || document.visibilityState === 'hidden') return;
      const asked = generation.current;
      try {
        const next = await ask('e2ee.status', {});
        if (generation.current !== asked) return;
        setStatusState(next);
        setError(null);
      } catch (e) {
        if (generation.current === asked) setError(errorMessage(e));
      }
    },
    enabled && visible ? (underWay ? busyMs : idleMs) : null,
    // Restarts (and asks at once) when the page shows again or work starts or ends, so the pace follows the state.
    [enabled, visible, underWay],
  );
  useOnFocus(refresh);

  return {
    status,
    error,
    refresh,
    setStatus: (next) => {
      generation.current++;
      setStatusState(next);
      setError(null);
    },
  };
}

/** A pair's encryption in words, as the options page and banners say it. */
export function pairStateWords(pair: PairEncryption): string {
  switch (pair.state) {
    case 'plain':
      return t('e2eeStatus_plain');
    case 'migrating':
      return pair.migration ? t('e2eeStatus_migratingProgress', pair.migration.done, pair.migration.total) : t('e2eeStatus_migrating');
    case 'encrypted':
      return t('e2eeStatus_encrypted');
    case 'locked':
      return t('e2eeStatus_locked');
  }
}

/**
 * A code or number split into groups for reading aloud and comparing: "12345 67890 …" → ["12345", "67890", …].
 * Spaces and dashes the background put in are ignored, so the grouping is always `size`.
 */
export function codeGroups(code: string, size = 5): string[] {
  return code.replace(/[\s-]+/g, '').match(new RegExp(`.{1,${size}}`, 'g')) ?? [];
}
