import type { CallState, PlatformAdapter } from './types.ts';

export interface WatchCallStateOptions {
  /** Aborting it disconnects the observer, removes the listeners and stops the timer. */
  signal: AbortSignal;
  /** Called with the first known state, then only when it changes. */
  onChange(state: CallState): void;
}

/** How often to re-read the state when nothing else prompted it (WXT polls for wxt:locationchange at the same rate). */
const backstopMs = 1000;

/**
 * Reports the call's transitions: lobby → in-call → left. Meet, Teams and Whereby move between these
 * screens without a page load, so the DOM is watched rather than read once.
 */
export function watchCallState(adapter: PlatformAdapter, win: Window, { signal, onChange }: WatchCallStateOptions): void {
  if (signal.aborted) return;
  let last: CallState | undefined;

  const report = (state: CallState): void => {
    if (state === last || signal.aborted) return;
    last = state;
    onChange(state);
  };

  const check = (): void => {
    const seen = adapter.callState(win.document);
    if (seen) report(seen);
    // The call UI vanished with no end screen we recognise (Teams back to chat, an untranslated end screen):
    // the call is over all the same. Unknown before any call, though, stays unreported.
    else if (last === 'in-call') report('left');
  };

  // Child-list changes only: attribute changes fire constantly on a call page (speaking indicators,
  // tooltips), and every screen change we care about adds or removes elements. The timer below catches the rest.
  const observer = new MutationObserver(check);
  observer.observe(win.document, { childList: true, subtree: true });

  // history.pushState fires no event, so SPA navigations are caught by popstate/hashchange when they can
  // be, and otherwise by the backstop timer.
  win.addEventListener('popstate', check, { signal });
  win.addEventListener('hashchange', check, { signal });
  const timer = setInterval(check, backstopMs);

  // Closing the tab or navigating away ends the call for us; nothing to report if no call screen was ever seen.
  win.addEventListener(
    'pagehide',
    () => {
      if (last) report('left');
    },
    { signal },
  );

  signal.addEventListener(
    'abort',
    () => {
      observer.disconnect();
      clearInterval(timer);
    },
    { once: true },
  );

  check();
}
