import { controlsAround, first, type PlatformAdapter } from './types.ts';

// Teams tags its UI with data-tid attributes for its own tests; they outlive its CSS-in-JS class names.
const selectors = {
  /** The hang-up button: #hangup-button / hangup-main-btn in Teams v2, call-hangup in classic Teams. */
  leaveButton: '#hangup-button, [data-tid="hangup-main-btn"], [data-tid="call-hangup"]',
  /** The call stage; also covers the mini call monitor shown while you browse chat during a call. */
  callingScreen: '[data-tid="calling-screen"]',
  /** "Join now" and the guest name field of the pre-join screen. */
  prejoin: '#prejoin-join-button, [data-tid="prejoin-join-button"], [data-tid="prejoin-display-name-input"]',
  /** End screens: the guest "You left the meeting" page with Rejoin, and the signed-in call-end screen. */
  ended: '[data-tid^="anon-meeting-end-screen"], [data-tid="rejoin-button"], [data-tid="call-end-screen"]',
  /** The meeting toolbar: the v2 unified bar, or classic Teams' top bar. */
  controls: '[data-tid="ubar-toolbar-wrapper"], [data-tid="calling-top-bar"]',
} as const;

/** Meeting thread ids, e.g. 19:meeting_NzU5ZTI5YTgtZTBi...@thread.v2, once percent-decoded. */
const threadId = /19:meeting_[^@/?#\s]+@thread\.v2/;
/** Short links: teams.live.com/meet/9312345678901 (and the same form on teams.microsoft.com). */
const meetPath = /^\/meet\/(\d{10,16})\/?$/;
const hosts = new Set(['teams.microsoft.com', 'teams.live.com', 'teams.cloud.microsoft']);

function decoded(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part; // a stray '%' in a Teams deep link must not throw inside the content script
  }
}

export const teams: PlatformAdapter = {
  id: 'teams',
  label: 'Microsoft Teams',
  // teams.cloud.microsoft is the domain Microsoft is moving Teams web to.
  matches: ['https://teams.microsoft.com/*', 'https://teams.live.com/*', 'https://teams.cloud.microsoft/*'],

  meetingCode(url) {
    if (!hosts.has(url.hostname)) return undefined;
    const short = meetPath.exec(url.pathname)?.[1];
    if (short) return short;
    // /l/meetup-join/19%3ameeting_...%40thread.v2/0 in the path; the v2 SPA moves it into the hash
    // (/v2/?meetingjoin=true#/l/meetup-join/19:meeting_...). Other SPA routes carry no code: undefined.
    return threadId.exec(decoded(url.pathname))?.[0] ?? threadId.exec(decoded(url.hash))?.[0];
  },

  callState(doc) {
    if (first(doc, selectors.ended)) return 'left';
    // Pre-join before hang-up: while the pre-join form is up you have not joined, whatever else has rendered.
    if (first(doc, selectors.prejoin)) return 'lobby';
    if (first(doc, selectors.leaveButton) || first(doc, selectors.callingScreen)) return 'in-call';
    return undefined;
  },

  controls(doc) {
    return controlsAround(doc, selectors.controls, selectors.leaveButton);
  },
};
