// Small hooks shared by the pages.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

/**
 * Runs `task` now and then every `intervalMs` after the previous run finished (never two at once), until `deps`
 * change or the component unmounts. Returns `runNow`, which runs it at once (or right after the run in flight).
 * `intervalMs` null: run only on `deps` changes and `runNow`. The task handles its own errors.
 */
export function usePolling(task: () => Promise<void>, intervalMs: number | null, deps: unknown[]): () => void {
  const taskRef = useRef(task);
  taskRef.current = task;
  const intervalRef = useRef(intervalMs);
  intervalRef.current = intervalMs;
  const runNowRef = useRef<() => void>(() => undefined);

  useEffect(() => {
    let stopped = false;
    let running = false;
    let again = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = async (): Promise<void> => {
      if (stopped) return;
      if (running) {
        again = true;
        return;
      }
      running = true;
      clearTimeout(timer);
      try {
        await taskRef.current();
      } catch {
        // Tasks report their own errors; a throw must not stop the polling.
      } finally {
        running = false;
        if (!stopped) {
          if (again) {
            again = false;
            void run();
          } else if (intervalRef.current !== null) {
            timer = setTimeout(() => void run(), intervalRef.current);
          }
        }
      }
    };
    runNowRef.current = () => void run();
    void run();
    return () => {
      stopped = true;
      clearTimeout(timer);
      runNowRef.current = () => undefined;
    };
    // The caller's deps decide when polling restarts; the task itself is read through a ref.
  }, deps);

  return useCallback(() => runNowRef.current(), []);
}

/** The current time, refreshed every `everyMs` (for live durations and "today"). */
export function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/** Runs `onFocus` when the page's window regains focus or becomes visible (e.g. back from the options tab). */
export function useOnFocus(onFocus: () => void): void {
  const ref = useRef(onFocus);
  ref.current = onFocus;
  useEffect(() => {
    const handler = () => {
      if (document.visibilityState === 'visible') ref.current();
    };
    window.addEventListener('focus', handler);
    document.addEventListener('visibilitychange', handler);
    return () => {
      window.removeEventListener('focus', handler);
      document.removeEventListener('visibilitychange', handler);
    };
  }, []);
}

/** Whether the page is visible (not a background tab, not a minimised window), kept up to date. */
export function usePageVisible(): boolean {
  const [visible, setVisible] = useState(() => document.visibilityState !== 'hidden');
  useEffect(() => {
    const handler = () => setVisible(document.visibilityState !== 'hidden');
    document.addEventListener('visibilitychange', handler);
    return () => document.removeEventListener('visibilitychange', handler);
  }, []);
  return visible;
}
