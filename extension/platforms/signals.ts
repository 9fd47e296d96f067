/**
 * Signals and their combination. An adapter lists what it reads from a call page, each item with the state it is
 * evidence of, how strong it is and where it was seen; `detect` evaluates them all, so diagnostics can show which
 * matched and which failed, and decides the state:
 *
 * - only strong signals decide; weak ones only say that some call UI is on the page;
 * - when strong signals of several states match, end screens win (Zoom draws its "ended by host" modal over the
 *   meeting), then waiting and pre-join (Jitsi and Teams draw the pre-join screen over a mounted call page), and
 *   in-call last: a meeting is logged only when nothing says the user is not yet, or no longer, in it.
 */
import type { CallState, PageView, PlatformAdapter, Signal, SignalKind } from './types.ts';

export const PRECEDENCE: readonly CallState[] = ['ended', 'left', 'waiting', 'pre-join', 'in-call'];

interface SignalMeta {
  id: string;
  state: CallState;
  strength: Signal['strength'];
  source: string;
}

const all = (view: PageView, selector: string): Element[] => view.docs.flatMap((doc) => Array.from(doc.querySelectorAll(selector)));

/** Collapses whitespace so text and labels match however the page wraps them. */
export const squash = (text: string | null | undefined): string => (text ?? '').replace(/\s+/g, ' ').trim();

function make(meta: SignalMeta, kind: SignalKind, test: (view: PageView) => boolean): Signal {
  return { ...meta, kind, test };
}

/** An element matching a CSS selector (ids, classes, data-* attributes): the page's structure. */
export function css(meta: SignalMeta, selector: string): Signal {
  return make(meta, 'structure', (view) => all(view, selector).length > 0);
}

/**
 * An element matching `selector` whose accessible label (aria-label, else title) matches `label`. Give the label in
 * every language the source attests: platforms translate them.
 */
export function aria(meta: SignalMeta, selector: string, label: RegExp): Signal {
  return make(meta, 'aria', (view) => all(view, selector).some((el) => label.test(squash(el.getAttribute('aria-label') ?? el.getAttribute('title')))));
}

/** An element matching `selector` whose visible text matches `text` (end screens often carry nothing else). */
export function text(meta: SignalMeta, selector: string, pattern: RegExp): Signal {
  return make(meta, 'text', (view) => all(view, selector).some((el) => pattern.test(squash(el.textContent))));
}

/** A property of the page's URLs (top document or call frame). */
export function url(meta: SignalMeta, test: (url: URL) => boolean): Signal {
  return make(meta, 'url', (view) => view.urls.some(test));
}

export interface SignalReport {
  id: string;
  state: CallState;
  strength: Signal['strength'];
  kind: SignalKind;
  source: string;
  matched: boolean;
}

export interface Detection {
  /** undefined: the page shows no strong signal of any state (still loading, a changed page, a landing page). */
  state: CallState | undefined;
  /** Some signal of the platform matched, weak ones included: its call UI is on the page in some form. */
  callUi: boolean;
  signals: SignalReport[];
}

export function detect(adapter: PlatformAdapter, view: PageView): Detection {
  const signals = adapter.signals.map(({ id, state, strength, kind, source, test }) => {
    let matched = false;
    try {
      matched = test(view);
    } catch {
      matched = false; // a detached frame or a half-built page must not stop the others
    }
    return { id, state, strength, kind, source, matched };
  });
  const strong = new Set(signals.filter((s) => s.matched && s.strength === 'strong').map((s) => s.state));
  return { state: PRECEDENCE.find((state) => strong.has(state)), callUi: signals.some((s) => s.matched), signals };
}

/**
 * The documents the adapter reads: the top document and the same-origin frames named by `adapter.frames`. A frame
 * that is still about:blank, or cross-origin, is skipped.
 */
export function pageView(win: Window, adapter: Pick<PlatformAdapter, 'frames'>): PageView {
  const docs: Document[] = [win.document];
  const urls: URL[] = [new URL(win.location.href)];
  if (adapter.frames) {
    for (const frame of Array.from(win.document.querySelectorAll<HTMLIFrameElement>(adapter.frames))) {
      try {
        const doc = frame.contentDocument;
        const href = doc?.location?.href;
        if (!doc || !href || href === 'about:blank') continue;
        docs.push(doc);
        urls.push(new URL(href));
      } catch {
        /* cross-origin: not ours to read */
      }
    }
  }
  return { docs, urls };
}

/** The meeting code: from the top URL, else from a call frame's URL. */
export function meetingCodeOf(adapter: PlatformAdapter, view: PageView): string | undefined {
  for (const u of view.urls) {
    const code = adapter.meetingCode(u);
    if (code) return code;
  }
  return undefined;
}

/** The first element matching `selector` in any document of the view. */
export function firstIn(view: PageView, selector: string): Element | undefined {
  for (const doc of view.docs) {
    const found = doc.querySelector(selector);
    if (found) return found;
  }
  return undefined;
}

/**
 * The control bar: its known container, else the toolbar or footer around the leave button, which survives class
 * renames and translated labels better than any bar selector.
 */
export function controlsAround(view: PageView, bar: string, leaveButton: string): Element | undefined {
  return firstIn(view, bar) ?? firstIn(view, leaveButton)?.closest('[role="toolbar"], [role="region"], footer') ?? undefined;
}
