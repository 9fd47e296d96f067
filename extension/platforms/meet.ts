import { controlsAround, first, hasText, type PlatformAdapter } from './types.ts';

// Meet's class names are minified and change often; jsname and data-* attributes have stayed put for years.
const selectors = {
  /** The red hang-up button; jsname is language-free, the aria-label covers builds that rename jsname. */
  leaveButton: 'button[jsname="CQylAd"], button[aria-label="Leave call"]',
  /** Participant tiles, including your own ([data-self-name]); only rendered once you are in the call. */
  participantTile: '[data-participant-id], [data-self-name]',
  /** "Join now" / "Ask to join" on the green room. */
  joinButton: 'button[jsname="Qx7uuf"]',
  /** Mic and camera toggles; in the green room they remain after "Ask to join" while you wait to be let in. */
  deviceToggle: '[data-is-muted]',
  /** Headings of the "You left the meeting" screen, which has no stable attribute; matched with endedText. */
  endedHeading: 'h1, [role="heading"]',
  /** The bottom bar; its aria-label is translated, so controlsAround falls back to the leave button's bar. */
  controls: '[role="region"][aria-label="Call controls"]',
} as const;

/** English wording of the end screens; other languages rely on watchCallState seeing the call UI vanish. */
const endedText = /\b(?:left|removed from) the (?:meeting|call)\b|\b(?:meeting|call) (?:has )?ended\b/i;

/** Meeting codes are three-four-three lowercase letters: meet.google.com/abc-defg-hij. */
const meetingPath = /^\/([a-z]{3}-[a-z]{4}-[a-z]{3})\/?$/i;

export const meet: PlatformAdapter = {
  id: 'meet',
  label: 'Google Meet',
  matches: ['https://meet.google.com/*'],

  meetingCode(url) {
    if (url.hostname !== 'meet.google.com') return undefined;
    // Meet redirects typed upper-case codes to lower case, so both name the same meeting.
    return meetingPath.exec(url.pathname)?.[1]?.toLowerCase();
  },

  callState(doc) {
    if (first(doc, selectors.leaveButton) || first(doc, selectors.participantTile)) return 'in-call';
    if (hasText(doc, selectors.endedHeading, endedText)) return 'left';
    if (first(doc, selectors.joinButton) || first(doc, selectors.deviceToggle)) return 'lobby';
    return undefined;
  },

  controls(doc) {
    return controlsAround(doc, selectors.controls, selectors.leaveButton);
  },
};
