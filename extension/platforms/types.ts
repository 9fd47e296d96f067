// The contract every video-platform adapter fulfils, plus the three DOM helpers they share.
// Adapters are pure: they read a URL or a Document handed to them, so tests run them on fixture HTML.

export type PlatformId = 'meet' | 'zoom' | 'teams' | 'jitsi' | 'whereby';

/**
 * - 'lobby': on the meeting's pre-join or waiting screen.
 * - 'in-call': joined; the platform's call controls are on the page.
 * - 'left': the call ended, was left, or the page went away.
 */
export type CallState = 'lobby' | 'in-call' | 'left';

export interface PlatformAdapter {
  readonly id: PlatformId;
  /** Shown to the user, e.g. "Google Meet". */
  readonly label: string;
  /** WXT/Chrome match patterns for the content script. `*.host` also matches the bare host. */
  readonly matches: readonly string[];
  /** The meeting code from the URL, or undefined when this URL is not a meeting (e.g. Meet's landing page). */
  meetingCode(url: URL): string | undefined;
  /**
   * Call state read from the DOM. undefined when the page shows none of the platform's call screens
   * (still loading, a landing page, Teams' chat): "unknown" is not the same as "left".
   */
  callState(doc: Document): CallState | undefined;
  /** The platform's own control bar, so the overlay can keep clear of it (measure it with getBoundingClientRect). */
  controls(doc: Document): Element | undefined;
}

/** querySelector with undefined instead of null, to match the adapter's return types. */
export function first(root: ParentNode, selector: string): Element | undefined {
  return root.querySelector(selector) ?? undefined;
}

/** Whether an element matching `selector` has text matching `pattern`: some end screens carry nothing but a heading. */
export function hasText(root: ParentNode, selector: string, pattern: RegExp): boolean {
  return Array.from(root.querySelectorAll(selector)).some((el) => pattern.test(el.textContent ?? ''));
}

/**
 * The control bar: its known container, else the toolbar or footer around the leave button, which survives
 * class renames and translated aria-labels better than any bar selector.
 */
export function controlsAround(doc: Document, bar: string, leaveButton: string): Element | undefined {
  return first(doc, bar) ?? doc.querySelector(leaveButton)?.closest('[role="toolbar"], [role="region"], footer') ?? undefined;
}
