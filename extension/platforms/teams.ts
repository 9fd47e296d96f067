// Microsoft Teams web (teams.microsoft.com, teams.live.com, teams.cloud.microsoft), rebuilt from what maintained
// meeting bots and extensions rely on. Teams tags its UI with data-tid attributes for its own tests: they are
// locale-independent and outlive the Fluent UI class names, so text is read only where a screen has nothing else
// (lobby copy, the end screens, and the retry screen, whose title is the only thing that tells its causes apart).
import { controlsAround, css, text } from './signals.ts';
import type { PlatformAdapter } from './types.ts';

const selectors = {
  // The hang-up button: button#hangup-button[data-tid="hangup-main-btn"][data-inp="hangup-button"] aria-label "Leave".
  // Vexa-ai/vexa core/meetings/modules/join/src/msteams/selectors.ts; attendee-labs/attendee bots/teams_bot_adapter/teams_ui_methods.py; vivek-nexus/transcriptonic extension/content-teams.js; meetingbot/meetingbot src/bots/teams/src/bot.ts (the call is over once it is gone)
  hangUp: '#hangup-button, [data-tid="hangup-main-btn"], [data-inp="hangup-button"]',
  // The call toolbar's "More" button, which AttendeeBot waits for as its "admitted" signal.
  // attendee-labs/attendee bots/teams_bot_adapter/teams_ui_methods.py; Vexa-ai/vexa core/meetings/services/bot/src/capture-bridge.ts
  moreButton: '#callingButtons-showMoreBtn',
  // The call toolbar ("ubar"): indicators, Meeting controls, Calling controls (#horizontalEnd holds the hang-up).
  // Live captures in an unnamed Teams extension's teamsAdapter.test.ts (search index 63104690201) and an agent's selector doc (70891322431); no maintained repo names it
  controlBar: '[data-tid="ubar-toolbar-wrapper"]',
  // "Join now" on the pre-join screen. Never disabled before it is clicked (live capture, unnamed recon doc 58918251049).
  // attendee-labs/attendee bots/teams_bot_adapter/teams_ui_methods.py; meetingbot/meetingbot src/bots/teams/src/bot.ts; vivek-nexus/transcriptonic extension/content-teams.js
  joinEnabled: '[data-tid="prejoin-join-button"]:not([disabled])',
  // The same "Join now" once clicked: it stays on screen, disabled, while the guest waits in the lobby.
  // meetingbot/meetingbot src/bots/teams/src/bot.ts ("join button exists and is disabled"); attendee-labs/attendee bots/teams_bot_adapter/teams_ui_methods.py (enabled again = the lobby connection failed)
  joinDisabled: '[data-tid="prejoin-join-button"][disabled]',
  // The guest's name field (placeholder "Type your name"); a signed-in user gets an account card instead.
  // attendee-labs/attendee bots/teams_bot_adapter/teams_ui_methods.py; screenappai/meeting-bot src/bots/MicrosoftTeamsBot.ts; meetingbot/meetingbot src/bots/teams/src/bot.ts
  nameInput: '[data-tid="prejoin-display-name-input"]',
  // Pre-join "Cancel", which AttendeeBot also clicks to leave the lobby: on screen in pre-join and while waiting.
  // attendee-labs/attendee bots/teams_bot_adapter/teams_ui_methods.py
  cancelButton: '[data-tid="prejoin-cancel-button"]',
  // Where lobby copy is read: the pre-join region (which stays up after Join) or a heading/status; the lobby
  // container itself is not attested (calling-lobby-screen is inferred only), unnamed bots read the copy from an h2.
  // Vexa-ai/vexa core/meetings/modules/join/src/msteams/join.ts (a text locator on the page)
  lobbyHolders: '[data-tid="calling-prejoin-screen"], h1, h2, h3, [role="status"], [role="alert"]',
  // Lobby copy, English only as attested: "Someone will let you in shortly|soon", "Someone in the meeting should let
  // you in soon", "When the meeting starts, we'll let people know you're waiting", "Waiting to be admitted", ...
  // Vexa-ai/vexa core/meetings/modules/join/src/msteams/selectors.ts; attendee-labs/attendee bots/teams_bot_adapter/teams_ui_methods.py; Meeting-BaaS/meet-teams-bot src/meeting/teams.ts
  lobbyText: /someone (?:in the meeting )?(?:will|should) let you in (?:shortly|soon)|when the meeting starts, we['’]ll let people know you['’]re waiting|we['’]ve let people in the meeting know you['’]re waiting|waiting to be admitted|your request to join has been sent|you['’]re in the lobby/i,
  // The retry screen: a generic terminal screen that replaces the whole page (removed, not found, denied, captcha).
  // attendee-labs/attendee bots/teams_bot_adapter/teams_chromedriver_payload.js (#calling-retry-screen-title), teams_ui_methods.py (calling-retry-cancelbutton after a denial)
  retryScreen: '[data-tid="calling-retry-screen"], [data-tid="calling-retry-screen-alert-container"], #calling-retry-screen-title',
  // Where end-screen copy is read: the retry screen's h1 title / h2 description and its role=alert container, or a
  // heading; never a chat message or an in-call toast ("Theo left the meeting").
  // attendee-labs/attendee bots/teams_bot_adapter/teams_chromedriver_payload.js (h1#calling-retry-screen-title)
  endHolders: '#calling-retry-screen-title, #calling-retry-screen-description, [role="alert"], h1, h2',
  // Removed by the organiser: "You've been removed from this meeting" (straight or typographic apostrophe),
  // "Removed from the meeting", German "Sie wurden entfernt" / "Du wurdest entfernt".
  // attendee-labs/attendee bots/teams_bot_adapter/teams_chromedriver_payload.js; Vexa-ai/vexa core/meetings/modules/join/src/msteams/selectors.ts; screenappai/meeting-bot src/bots/MicrosoftTeamsBot.ts
  removedText: /(?:you['’]ve|you have) been removed from (?:this|the) meeting|^removed from (?:the )?meeting|sie wurden entfernt|du wurdest entfernt/i,
  // Admission refused: "Sorry, but you were denied access to the meeting", "Your request to join was declined".
  // screenappai/meeting-bot src/constants/index.ts; attendee-labs/attendee bots/teams_bot_adapter/teams_ui_methods.py; Meeting-BaaS/meet-teams-bot src/meeting/teams.ts
  deniedText: /you were denied access to the meeting|your request to join was declined/i,
  // Unknown id, wrong passcode or (probably) an ended meeting: Teams shows one retry-screen description for all three.
  // Live capture in an unnamed recon doc, spike/teams_recon.md (search index 58918251049); only the screen is in attendee-labs/attendee bots/teams_bot_adapter/teams_chromedriver_payload.js
  notFoundText: /we couldn['’]t find a meeting matching this id and passcode/i,
  // Ended by the organiser: "The meeting has ended", "Meeting ended", "Call ended", German "Besprechung wurde
  // beendet" / "Anruf beendet". Its container is not attested: read from headings and alerts only.
  // screenappai/meeting-bot src/bots/MicrosoftTeamsBot.ts; Vexa-ai/vexa core/meetings/modules/join/src/msteams/selectors.ts
  endedText: /(?:the|this) meeting has (?:been )?ended|^(?:meeting|call) ended\.?$|besprechung wurde beendet|^anruf beendet\.?$/i,
  // The end-to-end-encryption failure screen ("An encryption error occurred").
  // attendee-labs/attendee bots/teams_bot_adapter/teams_chromedriver_payload.js
  e2eeEndScreen: '[data-tid="calling-e2ee-end-screen"]',
  // Where the guest's post-leave prompt is read: Playwright bots locate it as a span.
  // Unnamed Playwright Teams recorders (search index 58033473353, 58183827959, 57419838099): span:has-text('Did you leave by mistake?')
  leftHolders: 'span, h1, h2, h3',
  // The guest's post-leave prompt "Did you leave by mistake?" (with a Rejoin button); no data-tid is attested.
  // Same unnamed recorders; meetingbot/meetingbot src/bots/teams/src/bot.ts only shows the hang-up button is gone by then
  leftText: /^did you leave by mistake\?/i,
} as const;

const hosts = new Set(['teams.microsoft.com', 'teams.live.com', 'teams.cloud.microsoft']);

/** A numeric meeting code: 10–20 digits (Vexa: 10–15, meetbot recon: 10–20, seen: 9312345678901). */
const numericCode = /^\d{10,20}$/;
/** A route's short link: /meet/<code>, then the end or ?p=… / &anon=… (teams.live.com/_#/meet/<code>&anon=true). */
const shortRoute = /^\/?meet\/(\d{10,20})(?=$|[/?&#])/;
/** A route's meetup-join link: /l/meetup-join/<thread>/<message id>. */
const meetupRoute = /^\/?l\/meetup-join\/([^/?#&]+)(?:\/([^/?#&]+))?/;
/** A meeting thread anywhere in a route (e.g. /_#/pre-join-calling/19:meeting_…@thread.v2). */
const meetingThread = /19:meeting_[^@/?#\s]+@thread\.v2/;
/** A meetup-join thread: a meeting's (19:meeting_…@thread.v2) or a channel's (19:…@thread.tacv2). */
const meetupThread = /^19:[^@/?#\s]+@thread\.(?:v2|tacv2)$/;

/** Percent-decodes up to three times (links get wrapped in links); a malformed escape stops it, never throws. */
function decoded(part: string): string {
  let out = part;
  for (let i = 0; i < 3 && /%[0-9a-f]{2}/i.test(out); i++) {
    try {
      out = decodeURIComponent(out);
    } catch {
      break;
    }
  }
  return out;
}

/**
 * A thread's key: the thread id, plus the message id when it is not 0. Meeting threads always carry 0; a channel
 * meeting (@thread.tacv2) is told apart from the channel's other meetings only by its message id.
 */
function threadKey(thread: string, message: string | undefined): string | undefined {
  const id = decoded(thread);
  if (!meetupThread.test(id)) return undefined;
  return message && /^\d+$/.test(message) && !/^0+$/.test(message) ? `${id}/${message}` : id;
}

/** The code in an SPA route or path: a meetup-join thread, a short link's number, or a meeting thread. */
function codeInRoute(route: string): string | undefined {
  const meetup = meetupRoute.exec(route);
  if (meetup?.[1]) {
    const key = threadKey(meetup[1], meetup[2]);
    if (key) return key;
  }
  return shortRoute.exec(route)?.[1] ?? meetingThread.exec(route)?.[0];
}

/** The JSON object in a light-meetings `coords` value: percent-encoded base64, maybe URL-safe, maybe unpadded. */
function coordsJson(raw: string): Record<string, unknown> | undefined {
  try {
    // URLSearchParams turns a raw '+' into a space: put it back. URL-safe '-' '_' become '+' '/'. Padding is dropped:
    // atob (forgiving-base64) takes none, but throws on a wrong amount, e.g. attendee's test form ending in one %3D.
    const b64 = decoded(raw.replace(/ /g, '+')).replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const json = new TextDecoder().decode(bytes);
    let value: unknown;
    try {
      value = JSON.parse(json);
    } catch {
      value = JSON.parse(decoded(json)); // Meeting BaaS decodes the JSON text once more
    }
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined; // junk coords: no code, and nothing thrown inside the content script
  }
}

/** The code in `coords`: meetingCode (short-link joins) or conversationId + messageId (meetup-join joins). */
function coordsCode(raw: string | null): string | undefined {
  const coords = raw ? coordsJson(raw) : undefined;
  if (!coords) return undefined;
  const { meetingCode, conversationId, messageId, meetingUrl } = coords;
  const code = typeof meetingCode === 'number' ? String(meetingCode) : meetingCode;
  if (typeof code === 'string' && numericCode.test(code)) return code;
  if (typeof conversationId === 'string') {
    const message = typeof messageId === 'number' ? String(messageId) : messageId;
    return threadKey(conversationId, typeof message === 'string' ? message : undefined);
  }
  if (typeof meetingUrl === 'string') {
    try {
      return codeInRoute(decoded(new URL(meetingUrl).pathname));
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** The route a launcher's `url=` parameter opens (/_#/meet/…, /_#/l/meetup-join/…): what follows its '#'. */
function launcherRoute(param: string | null): string | undefined {
  if (!param) return undefined;
  const target = decoded(param);
  const hash = target.indexOf('#');
  return hash >= 0 ? target.slice(hash + 1) : target;
}

export const teams: PlatformAdapter = {
  id: 'teams',
  label: 'Microsoft Teams',
  // teams.cloud.microsoft is the domain Microsoft is moving Teams web to.
  matches: ['https://teams.microsoft.com/*', 'https://teams.live.com/*', 'https://teams.cloud.microsoft/*'],

  meetingCode(url) {
    if (!hosts.has(url.hostname)) return undefined;
    // The code can sit in the path (/meet/<code>, /l/meetup-join/…), in a launcher's url= parameter, in the SPA
    // hash (/v2/?meetingjoin=true#/meet/<code>?p=…, teams.live.com/_#/meet/<code>) or base64 in light-meetings'
    // coords. The passcode (p) is never part of it. teams.cloud.microsoft drops the id once in the call: undefined.
    const launcher = launcherRoute(url.searchParams.get('url'));
    return (
      codeInRoute(decoded(url.pathname)) ??
      (launcher === undefined ? undefined : codeInRoute(launcher)) ??
      codeInRoute(decoded(url.hash.slice(1))) ??
      coordsCode(url.searchParams.get('coords'))
    );
  },

  signals: [
    css(
      { id: 'hang-up-button', state: 'in-call', strength: 'strong', source: 'Vexa-ai/vexa core/meetings/modules/join/src/msteams/selectors.ts; attendee-labs/attendee bots/teams_bot_adapter/teams_ui_methods.py; vivek-nexus/transcriptonic extension/content-teams.js' },
      selectors.hangUp,
    ),
    css(
      { id: 'more-button', state: 'in-call', strength: 'strong', source: 'attendee-labs/attendee bots/teams_bot_adapter/teams_ui_methods.py; Vexa-ai/vexa core/meetings/services/bot/src/capture-bridge.ts' },
      selectors.moreButton,
    ),
    css(
      { id: 'join-now-enabled', state: 'pre-join', strength: 'strong', source: 'attendee-labs/attendee bots/teams_bot_adapter/teams_ui_methods.py; meetingbot/meetingbot src/bots/teams/src/bot.ts; vivek-nexus/transcriptonic extension/content-teams.js' },
      selectors.joinEnabled,
    ),
    css(
      { id: 'display-name-input', state: 'pre-join', strength: 'weak', source: 'attendee-labs/attendee bots/teams_bot_adapter/teams_ui_methods.py; screenappai/meeting-bot src/bots/MicrosoftTeamsBot.ts; meetingbot/meetingbot src/bots/teams/src/bot.ts' },
      selectors.nameInput,
    ),
    css(
      { id: 'prejoin-cancel-button', state: 'pre-join', strength: 'weak', source: 'attendee-labs/attendee bots/teams_bot_adapter/teams_ui_methods.py' },
      selectors.cancelButton,
    ),
    css(
      { id: 'join-now-disabled', state: 'waiting', strength: 'strong', source: 'meetingbot/meetingbot src/bots/teams/src/bot.ts; attendee-labs/attendee bots/teams_bot_adapter/teams_ui_methods.py' },
      selectors.joinDisabled,
    ),
    text(
      { id: 'lobby-text', state: 'waiting', strength: 'strong', source: 'Vexa-ai/vexa core/meetings/modules/join/src/msteams/selectors.ts; attendee-labs/attendee bots/teams_bot_adapter/teams_ui_methods.py; Meeting-BaaS/meet-teams-bot src/meeting/teams.ts' },
      selectors.lobbyHolders,
      selectors.lobbyText,
    ),
    css(
      { id: 'retry-screen', state: 'ended', strength: 'weak', source: 'attendee-labs/attendee bots/teams_bot_adapter/teams_chromedriver_payload.js; attendee-labs/attendee bots/teams_bot_adapter/teams_ui_methods.py' },
      selectors.retryScreen,
    ),
    text(
      { id: 'removed-text', state: 'ended', strength: 'strong', source: 'attendee-labs/attendee bots/teams_bot_adapter/teams_chromedriver_payload.js; Vexa-ai/vexa core/meetings/modules/join/src/msteams/selectors.ts; screenappai/meeting-bot src/bots/MicrosoftTeamsBot.ts' },
      selectors.endHolders,
      selectors.removedText,
    ),
    text(
      { id: 'denied-text', state: 'ended', strength: 'strong', source: 'screenappai/meeting-bot src/constants/index.ts; attendee-labs/attendee bots/teams_bot_adapter/teams_ui_methods.py; Meeting-BaaS/meet-teams-bot src/meeting/teams.ts' },
      selectors.endHolders,
      selectors.deniedText,
    ),
    text(
      { id: 'not-found-text', state: 'ended', strength: 'strong', source: 'attendee-labs/attendee bots/teams_bot_adapter/teams_chromedriver_payload.js (the retry screen); the copy from an unnamed live capture, spike/teams_recon.md (search index 58918251049)' },
      selectors.endHolders,
      selectors.notFoundText,
    ),
    text(
      { id: 'meeting-ended-text', state: 'ended', strength: 'strong', source: 'screenappai/meeting-bot src/bots/MicrosoftTeamsBot.ts; Vexa-ai/vexa core/meetings/modules/join/src/msteams/selectors.ts' },
      selectors.endHolders,
      selectors.endedText,
    ),
    css(
      { id: 'e2ee-end-screen', state: 'ended', strength: 'strong', source: 'attendee-labs/attendee bots/teams_bot_adapter/teams_chromedriver_payload.js' },
      selectors.e2eeEndScreen,
    ),
    text(
      { id: 'left-prompt', state: 'left', strength: 'strong', source: 'meetingbot/meetingbot src/bots/teams/src/bot.ts (the hang-up button is gone); the copy from unnamed Playwright Teams recorders (search index 58033473353, 58183827959, 57419838099)' },
      selectors.leftHolders,
      selectors.leftText,
    ),
  ],

  controls(view) {
    return controlsAround(view, selectors.controlBar, selectors.hangUp);
  },
};
