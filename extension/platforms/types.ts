// The contract every video-platform adapter fulfils. Adapters are pure data plus URL parsing: each lists the
// signals it reads, with where each was seen, and `detect` (signals.ts) combines them. Tests run them on fixtures.

export type PlatformId = 'meet' | 'zoom' | 'teams' | 'jitsi' | 'whereby';

/**
 * - 'pre-join': the meeting's pre-join screen (name, camera check, "Join now").
 * - 'waiting': asked to join and waiting to be admitted (lobby, waiting room, knocking). Not in the call.
 * - 'in-call': admitted; only signals that never appear before admission count.
 * - 'left': the user left (hung up).
 * - 'ended': the host ended the meeting, or the user was removed or refused.
 */
export type CallState = 'pre-join' | 'waiting' | 'in-call' | 'left' | 'ended';

export const CALL_STATES: readonly CallState[] = ['pre-join', 'waiting', 'in-call', 'left', 'ended'];

/** What a signal reads: the URL, the page's structure (ids, attributes), ARIA roles and labels, or visible text. */
export type SignalKind = 'url' | 'structure' | 'aria' | 'text';

/**
 * The documents of a call page: the top document first, then same-origin frames that hold the call UI (Zoom's web
 * client runs in `iframe#webclient`). `urls` are the matching locations.
 */
export interface PageView {
  docs: readonly Document[];
  urls: readonly URL[];
}

export interface Signal {
  /** Stable short name shown in diagnostics, e.g. 'leave-button'. */
  id: string;
  /** The state this signal is evidence of. */
  state: CallState;
  /**
   * strong: seen only in this state, so it decides the state on its own.
   * weak: also seen in other states (Meet's "Leave call" while waiting to be admitted): it shows that call UI is on
   * the page, and never decides the state alone.
   */
  strength: 'strong' | 'weak';
  kind: SignalKind;
  /** Where the signal was seen: repo/path of a maintained project, or a documentation URL. */
  source: string;
  test(view: PageView): boolean;
}

export interface PlatformAdapter {
  readonly id: PlatformId;
  /** Shown to the user, e.g. "Google Meet". */
  readonly label: string;
  /** WXT/Chrome match patterns for the content script. `*.host` also matches the bare host. */
  readonly matches: readonly string[];
  /** The meeting code from a URL, or undefined when this URL is not a meeting (e.g. Meet's landing page). */
  meetingCode(url: URL): string | undefined;
  /** Same-origin iframes that hold the call UI, as a selector on the top document. */
  readonly frames?: string;
  /** Everything the adapter reads from the page, each with its source. */
  readonly signals: readonly Signal[];
  /** The platform's own control bar, so the overlay can keep clear of it (measure it with getBoundingClientRect). */
  controls(view: PageView): Element | undefined;
}
