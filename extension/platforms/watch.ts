import { type Detection, detect, meetingCodeOf, pageView } from './signals.ts';
import type { CallState, PlatformAdapter } from './types.ts';

export interface CallObservation {
  /** The state to act on; undefined while nothing can be told. */
  state: CallState | undefined;
  /** The meeting code from the URL (top page or call frame). */
  code: string | undefined;
  /** Everything the adapter saw, for diagnostics. */
  detection: Detection;
  /** Why the state is 'left' without an end screen: the page went away, or the call UI vanished from it. */
  cause?: 'page-closed' | 'ui-gone';
}

export interface WatchCallStateOptions {
  /** Aborting it disconnects the observers, removes the listeners and stops the timer. */
  signal: AbortSignal;
  /** Called with the first observation, then whenever the state or the meeting code changes. */
  onChange(observation: CallObservation): void;
}

/** How often to re-read the page when nothing else prompted it (WXT polls for wxt:locationchange at the same rate). */
const backstopMs = 1000;

/**
 * Reports the call's transitions: pre-join → waiting → in-call → left or ended. Meet, Teams and Whereby move
 * between these screens without a page load, and Zoom's client lives in a frame that loads later, so the DOM of the
 * page and of its call frames is watched rather than read once.
 */
export function watchCallState(adapter: PlatformAdapter, win: Window, { signal, onChange }: WatchCallStateOptions): void {
  if (signal.aborted) return;
  let last: { state: CallState | undefined; code: string | undefined } | undefined;
  const observed = new WeakSet<Document>();

  const report = (observation: CallObservation): void => {
    if (signal.aborted) return;
    if (last && last.state === observation.state && last.code === observation.code) return;
    last = { state: observation.state, code: observation.code };
    onChange(observation);
  };

  const check = (): void => {
    const view = pageView(win, adapter);
    for (const doc of view.docs) {
      if (observed.has(doc)) continue;
      observed.add(doc);
      // Child-list changes only: attribute changes fire constantly on a call page (speaking indicators, tooltips),
      // and every screen change we care about adds or removes elements. The timer below catches the rest.
      observer.observe(doc, { childList: true, subtree: true });
    }
    const detection = detect(adapter, view);
    const code = meetingCodeOf(adapter, view);
    const previous = last;
    if (previous?.state === 'in-call' && previous.code !== undefined && code !== previous.code) {
      // Navigated away from the meeting inside the page (meet.jit.si goes to its welcome page at "/"; Teams back
      // to chat): that call is over, whatever comes next.
      report({ state: 'left', code: previous.code, detection, cause: 'page-closed' });
    }
    if (detection.state) report({ state: detection.state, code, detection });
    // Every sign of the call is gone with no end screen we recognise (an untranslated end screen): the call is over
    // all the same. Weak signals still on the page (a lingering Leave button) keep the call going.
    else if (last?.state === 'in-call' && !detection.callUi) report({ state: 'left', code, detection, cause: 'ui-gone' });
    else if (!last || last.code !== code) report({ state: undefined, code, detection });
  };

  const observer = new MutationObserver(check);

  // history.pushState fires no event, so SPA navigations are caught by popstate/hashchange when they can be, and
  // otherwise by the backstop timer (which also finds a call frame that navigated).
  win.addEventListener('popstate', check, { signal });
  win.addEventListener('hashchange', check, { signal });
  const timer = setInterval(check, backstopMs);

  // Closing the tab or navigating away ends the call for us; nothing to report if no call screen was ever seen.
  win.addEventListener(
    'pagehide',
    () => {
      if (last?.state === 'in-call' || last?.state === 'waiting' || last?.state === 'pre-join') {
        report({ state: 'left', code: last.code, detection: detect(adapter, pageView(win, adapter)), cause: 'page-closed' });
      }
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
