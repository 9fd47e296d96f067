import { first, hasText, type PlatformAdapter } from './types.ts';

// Whereby's web app is closed source and styled with hashed class names; data-testid and ARIA are what it keeps.
const selectors = {
  /** The "Leave" button of the room's bottom bar. */
  leaveButton: '[data-testid="leave-button"], button[aria-label="Leave"]',
  /** Video tiles of the people in the room, rendered only after joining. */
  participantTile: '[data-testid="participant-tile"]',
  /** "Join" and "Knock" (locked rooms) on the pre-join screen. */
  joinButton: '[data-testid="join-button"], [data-testid="knock-button"]',
  /** Headings of the "You left the room" screen, which has no stable attribute; matched with endedText. */
  endedHeading: 'h1, h2',
  /** The ARIA toolbar around the leave button: the bottom bar (cam, mic, share, chat, people, leave). */
  controlsAroundLeave: '[role="toolbar"]',
} as const;

/** English wording of the end screen; other languages rely on watchCallState seeing the room UI vanish. */
const endedText = /\bleft the (?:room|meeting)\b|\b(?:meeting|room) (?:has )?ended\b/i;

/** Room names are lowercase letters, digits and hyphens; the other single-segment paths are Whereby's own pages. */
const roomPath = /^\/([a-z0-9][a-z0-9-]*)\/?$/i;
const appPages = new Set(['user', 'information', 'login', 'signup', 'org', 'embed', 'pricing', 'blog', 'download', 'support']);

export const whereby: PlatformAdapter = {
  id: 'whereby',
  label: 'Whereby',
  // *.whereby.com also matches whereby.com itself, and covers organisations' <subdomain>.whereby.com rooms.
  matches: ['https://*.whereby.com/*'],

  meetingCode(url) {
    if (url.hostname !== 'whereby.com' && !url.hostname.endsWith('.whereby.com')) return undefined;
    const room = roomPath.exec(url.pathname)?.[1]?.toLowerCase();
    return room && !appPages.has(room) ? room : undefined;
  },

  callState(doc) {
    if (first(doc, selectors.leaveButton) || first(doc, selectors.participantTile)) return 'in-call';
    if (hasText(doc, selectors.endedHeading, endedText)) return 'left';
    if (first(doc, selectors.joinButton)) return 'lobby';
    return undefined;
  },

  controls(doc) {
    // Searched from the leave button: the chat's formatting bar is a toolbar too.
    return first(doc, selectors.leaveButton)?.closest(selectors.controlsAroundLeave) ?? undefined;
  },
};
