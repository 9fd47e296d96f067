// Google Meet (meet.google.com), rebuilt from what maintained open-source Meet bots and extensions rely on; each
// selector names its sources. Meet minifies class names and jsname values and changes its copy, so the signals prefer
// aria-labels and visible text several tools agree on, and read element presence, never visibility (the toolbar
// auto-hides). The trap: after "Ask to join", the Leave call button, the Call controls region, the mic/camera toggles
// and even a [data-participant-id] tile are already on the page while you wait to be admitted. Those are weak; only
// controls the sources place after admission (chat, captions, People, Meeting details) prove the call.
import { aria, controlsAround, css, text } from './signals.ts';
import type { CallState, PlatformAdapter, Signal } from './types.ts';

// Where each signal was seen (owner/repo path). Snapshots read: Vexa-ai/vexa @4647c96e, attendee-labs/attendee
// @77e990ed, screenappai/meeting-bot @37f89d61, vivek-nexus/transcriptonic @fe25d759, meetingbot/meetingbot @2b1b4488,
// Meeting-BaaS/meet-teams-bot @c4c83449 (+ meet-state-config.ts @0e895ffb, meet.ts @05230eed),
// sonpython/google-meet-transcript-bot @9d2ddc84.
const V_SELECTORS = 'Vexa-ai/vexa core/meetings/modules/join/src/googlemeet/selectors.ts';
const V_ADMISSION = 'Vexa-ai/vexa core/meetings/modules/join/src/googlemeet/admission.ts';
const V_LEAVE_TEST = 'Vexa-ai/vexa core/meetings/modules/join/src/googlemeet/leave.test.ts';
const A_UI = 'attendee-labs/attendee bots/google_meet_bot_adapter/google_meet_ui_methods.py';
const A_JS = 'attendee-labs/attendee bots/google_meet_bot_adapter/google_meet_chromedriver_payload.js';
const S_BOT = 'screenappai/meeting-bot src/bots/GoogleMeetBot.ts';
const S_CONST = 'screenappai/meeting-bot src/constants/index.ts';
const T_CONTENT = 'vivek-nexus/transcriptonic extension/content-google-meet.js';
const MB_BOT = 'meetingbot/meetingbot src/bots/meet/src/bot.ts';
const BAAS_STATE = 'Meeting-BaaS/meet-teams-bot src/meeting/meet-state-config.ts';
const BAAS_MEET = 'Meeting-BaaS/meet-teams-bot src/meeting/meet.ts';
const BAAS_CLOSE = 'Meeting-BaaS/meet-teams-bot src/meeting/meet/closeMeeting.ts';
const SP_SELECTORS = 'sonpython/google-meet-transcript-bot src/bot/meet_selectors.py';

/** Live Meet copy uses the typographic apostrophe ’ (Vexa-ai/vexa selectors.ts); older builds and tools the plain '. */
const q = `['’]`;

// Text and label patterns match the element's whole (whitespace-collapsed) text or label, or its start where the
// sources quote only a prefix, so a wrapper, a toast ("Theo Mentee left the meeting") or a chat line cannot match.
// Entries are [selector, pattern] for text/label signals, or a bare selector for presence.
const selectors = {
  // Join CTA, matched on the <span> inside the button as the tools do (//button[.//span[text()="Ask to join"]]):
  // "Ask to join" (guest), "Join now" (direct), "Ask to join anyway", "Join the call now", "Join anyway", "Join here too",
  // "Switch here"; German "Teilnahme erbitten", "Jetzt teilnehmen", "Trotzdem teilnehmen". Skips [data-mdc-dialog-action]:
  // the recording-consent dialog shown right after admission has its own "Join now" (attendee-labs/attendee
  // .../google_meet_chromedriver_payload.js checkNeededInteractions).
  // Sources: meetingbot/meetingbot src/bots/meet/src/bot.ts; attendee-labs/attendee .../google_meet_ui_methods.py;
  // Vexa-ai/vexa .../googlemeet/selectors.ts; screenappai/meeting-bot src/bots/GoogleMeetBot.ts;
  // sonpython/google-meet-transcript-bot src/bot/meet_selectors.py.
  joinButton: [
    'button:not([data-mdc-dialog-action]) span',
    new RegExp(
      '^(?:Ask to join|Ask to join anyway|Join now|Join the call now|Join anyway|Join here too|Switch here' +
        '|Teilnahme erbitten|Jetzt teilnehmen|Trotzdem teilnehmen)$',
    ),
  ],
  // Guest name field of a signed-out pre-join screen (a signed-in one has none): EN "Your name", HU "A neved".
  // Sources: attendee-labs/attendee .../google_meet_ui_methods.py; meetingbot/meetingbot src/bots/meet/src/bot.ts;
  // Vexa-ai/vexa .../googlemeet/selectors.ts.
  nameInput: ['input[type="text"]', /^(?:Your name|A neved)$/],
  // Device prompt before the name field, "Continue without microphone and camera" (DE "Ohne Mikrofon und Kamera
  // fortfahren"). Source: screenappai/meeting-bot src/bots/GoogleMeetBot.ts.
  continueWithoutDevices: ['button', /^(?:Continue without microphone and camera|Ohne Mikrofon und Kamera fortfahren)$/],
  // Mic and camera toggles ("Turn off microphone", "Turn on camera", ...), a div or a button: pre-join, waiting and in
  // the call alike, so weak. Sources: attendee-labs/attendee .../google_meet_ui_methods.py; meetingbot/meetingbot
  // src/bots/meet/src/bot.ts; Vexa-ai/vexa .../googlemeet/selectors.ts.
  deviceToggle: ['[aria-label]', /^Turn (?:on|off) (?:microphone|camera)\b/],
  // Waiting-to-be-admitted copy: "Asking to be let in…", "You’ll join the call when someone lets you in", "Asking to
  // join", "Please wait until a meeting host brings you into the call" / "... admits you to the call", "Waiting for the
  // host to let you in", "You’re in the waiting room", German "Bitte warten Sie, bis Sie vom Organisator ...".
  // Sources: Vexa-ai/vexa .../googlemeet/selectors.ts (googleWaitingRoomIndicators); attendee-labs/attendee
  // .../google_meet_ui_methods.py; Meeting-BaaS/meet-teams-bot src/meeting/meet-state-config.ts;
  // screenappai/meeting-bot src/constants/index.ts and src/bots/GoogleMeetBot.ts.
  waitingText: [
    'h1, h2, [role="heading"], div, span, p',
    new RegExp(
      [
        `^Asking to be let in`,
        `^You${q}ll join the call when someone lets you in`,
        `^Asking to join(?:…|\\.\\.\\.)?$`,
        `^Please wait until a meeting host (?:brings you into|admits you to) the call`,
        `^Waiting for the host to let you in`,
        `^You${q}re in the waiting room`,
        `^Bitte warten Sie, bis Sie vom Organisator`,
      ].join('|'),
    ),
  ],
  // Chat toggle "Chat with everyone" ("... - New message" when unread); absent while waiting (BaaS requires it against
  // lobby false positives). Sources: attendee-labs/attendee .../google_meet_chromedriver_payload.js;
  // Meeting-BaaS/meet-teams-bot src/meeting/meet-state-config.ts; Vexa-ai/vexa .../googlemeet/leave.test.ts.
  chatButton: ['button[aria-label]', /^Chat with everyone(?: - New message)?$/],
  // Toolbar icon ligature "chat" (language-free); "the call end icon is visible, but the chat icon is still not visible"
  // while waiting. Source: vivek-nexus/transcriptonic extension/content-google-meet.js.
  chatIcon: ['.google-symbols', /^chat$/],
  // Captions toggle "Turn on captions" / "Turn off captions", attendee's admission signal after clicking join.
  // Source: attendee-labs/attendee bots/google_meet_bot_adapter/google_meet_ui_methods.py (click_captions_button).
  captionsButton: ['button[aria-label]', /^Turn (?:on|off) captions$/],
  // Toolbar icon ligature "closed_caption_off" (language-free), not shown while waiting in the lobby.
  // Source: vivek-nexus/transcriptonic extension/content-google-meet.js.
  captionsIcon: ['.google-symbols', /^closed_caption_off$/],
  // People panel toggle: "People", "People - 3 joined", older "Show everyone", German "Personen", Vietnamese "mọi
  // người" / "người tham gia". Sources: attendee-labs/attendee .../google_meet_chromedriver_payload.js;
  // meetingbot/meetingbot src/bots/meet/src/bot.ts; screenappai/meeting-bot src/bots/GoogleMeetBot.ts;
  // Meeting-BaaS/meet-teams-bot src/meeting/meet-state-config.ts;
  // sonpython/google-meet-transcript-bot src/bot/meet_selectors.py.
  peopleButton: ['button[aria-label]', /^(?:People|Personen|Show everyone)(?:$|\s)|^(?:mọi người|người tham gia)$/i],
  // Dec-2025+ UI: People moved into a badge / hover tray, a div[role=button][aria-haspopup=dialog] with a "People" span.
  // Source: Meeting-BaaS/meet-teams-bot src/meeting/meet.ts (findShowEveryOne, "NEW UI selectors (Dec 2025+)").
  peopleBadge: ['[role="button"][aria-haspopup="dialog"] span', /^(?:People|Personen)$/],
  // Dec-2025+ UI participant count <span data-avatar-count="N">. Seen in the call by one tool only; whether the
  // pre-join avatar stack uses it too is unknown, so weak. Source: screenappai/meeting-bot src/bots/GoogleMeetBot.ts.
  avatarCount: '[data-avatar-count]',
  // The list inside the open People panel. Sources: attendee-labs/attendee .../google_meet_chromedriver_payload.js;
  // meetingbot/meetingbot src/bots/meet/src/bot.ts; Meeting-BaaS/meet-teams-bot src/meeting/meet.ts.
  participantList: '[role="list"][aria-label="Participants"]',
  // "Meeting details" button of the in-call bar (one tool, part of its in-meeting set).
  // Source: Meeting-BaaS/meet-teams-bot src/meeting/meet-state-config.ts.
  meetingDetails: ['button[aria-label]', /^Meeting details$/],
  // "Share screen" / "Present now": Vexa counts them as never in the lobby, but BaaS PR #198 says the lobby renders the
  // same call-control DOM, so weak. Sources: Vexa-ai/vexa .../googlemeet/selectors.ts; attendee-labs/attendee
  // .../google_meet_chromedriver_payload.js; Meeting-BaaS/meet-teams-bot src/meeting/meet-state-config.ts.
  shareScreen: ['button[aria-label]', /^(?:Share screen|Present now)$/],
  // Video tiles, self included. Vexa found a [data-participant-id] on the self "Backgrounds and effects" tile in the
  // lobby too ("verified live 2026-06-12"), so weak. Sources: Vexa-ai/vexa .../googlemeet/admission.ts and selectors.ts;
  // Meeting-BaaS/meet-teams-bot src/meeting/meet-state-config.ts;
  // sonpython/google-meet-transcript-bot src/bot/meet_selectors.py.
  participantTile: '[data-participant-id], [data-self-name]',
  // Red hang-up button: jsname CQylAd (a button; a div in older builds) or aria-label "Leave call" (DE "Anruf
  // verlassen"). Already present while waiting to be admitted (Vexa-ai/vexa#166), so weak.
  // Sources: Vexa-ai/vexa .../googlemeet/selectors.ts; attendee-labs/attendee .../google_meet_ui_methods.py;
  // meetingbot/meetingbot src/bots/meet/src/bot.ts; screenappai/meeting-bot src/bots/GoogleMeetBot.ts;
  // Meeting-BaaS/meet-teams-bot src/meeting/meet/closeMeeting.ts.
  leaveButton:
    'button[jsname="CQylAd"], div[jsname="CQylAd"][aria-label], button[aria-label="Leave call"], button[aria-label="Anruf verlassen"]',
  // Hang-up icon ligature "call_end", visible in the lobby too. Sources: vivek-nexus/transcriptonic
  // extension/content-google-meet.js; Meeting-BaaS/meet-teams-bot src/meeting/meet/closeMeeting.ts.
  callEndIcon: ['.google-symbols', /^call_end$/],
  // Bottom control bar, also rendered in the lobby; its aria-label is English-only, so controls() falls back to the
  // region around the leave button. Sources: Meeting-BaaS/meet-teams-bot src/meeting/meet-state-config.ts and meet.ts.
  callControls: 'div[role="region"][aria-label="Call controls"]',
  // End-screen heading "You left the meeting": an h1 (.roSPhc holds the end-screen copy). Headings only, so a toast
  // cannot match. Sources: sonpython/google-meet-transcript-bot src/bot/meet_selectors.py; Vexa-ai/vexa
  // .../googlemeet/selectors.ts (googleRemovalIndicators); attendee-labs/attendee .../google_meet_ui_methods.py.
  leftHeading: ['h1, h2, [role="heading"], .roSPhc', /^You left the meeting\.?$/],
  // "Return to home screen" button: on the left/removed screens for meetingbot (gotKickedDetector) and BaaS
  // (endMessages), but Vexa saw it on the "Asking to be let in" screen too (Vexa-ai/vexa#471), so weak.
  // Sources: meetingbot/meetingbot src/bots/meet/src/bot.ts; Meeting-BaaS/meet-teams-bot src/meeting/meet.ts;
  // Vexa-ai/vexa .../googlemeet/selectors.ts.
  returnHome: ['button span', /^Return to home screen$/],
  // Host ended the call: "Your host ended the meeting for everyone", in .roSPhc.
  // Source: attendee-labs/attendee bots/google_meet_bot_adapter/google_meet_chromedriver_payload.js.
  hostEndedHeading: ['h1, h2, [role="heading"], .roSPhc', /^Your host ended the meeting for everyone\.?$/],
  // Removed by the host: "You’ve been removed from the meeting", in .roSPhc. Sources: attendee-labs/attendee
  // .../google_meet_chromedriver_payload.js; meetingbot/meetingbot src/bots/meet/src/bot.ts; screenappai/meeting-bot
  // src/bots/GoogleMeetBot.ts; Meeting-BaaS/meet-teams-bot src/meeting/meet-state-config.ts;
  // sonpython/google-meet-transcript-bot src/bot/meet_selectors.py.
  removedHeading: ['h1, h2, [role="heading"], .roSPhc', new RegExp(`^You${q}ve been removed from the meeting\\.?$`)],
  // Knock refused or blocked: "Someone in the call denied your request to join", "You can’t join this call", "You
  // can't join this video call". The denied screen can also show "You left the meeting" (attendee-labs/attendee PR
  // #394); 'ended' outranks 'left', so this text decides. Sources: attendee-labs/attendee .../google_meet_ui_methods.py;
  // screenappai/meeting-bot src/constants/index.ts; Vexa-ai/vexa .../googlemeet/selectors.ts (googleRejectionIndicators);
  // Meeting-BaaS/meet-teams-bot src/meeting/meet-state-config.ts.
  deniedText: [
    'h1, h2, [role="heading"], div, span, p',
    new RegExp(`^(?:Someone in the call denied your request to join|You can${q}t join this (?:video )?call)\\.?$`),
  ],
  // Knock timed out (about ten minutes, attendee-labs/attendee PR #112): "No one responded to your request to join the
  // call", German "Niemand hat auf Ihre Teilnahmeanfrage geantwortet". Sources: attendee-labs/attendee
  // .../google_meet_ui_methods.py; screenappai/meeting-bot src/constants/index.ts and src/bots/GoogleMeetBot.ts;
  // Meeting-BaaS/meet-teams-bot src/meeting/meet-state-config.ts;
  // sonpython/google-meet-transcript-bot src/bot/meet_selectors.py.
  noResponseText: [
    'h1, h2, [role="heading"], div, span, p',
    /^(?:No one responded to your request to join the call\.?$|Niemand hat auf Ihre Teilnahmeanfrage geantwortet)/,
  ],
} as const;

/** A signal's metadata; its sources are joined into the "owner/repo path; owner/repo path" form. */
const meta = (id: string, state: CallState, strength: Signal['strength'], ...sources: string[]) => ({
  id,
  state,
  strength,
  source: sources.join('; '),
});

/** Meeting codes are three-four-three letters: meet.google.com/abc-defg-hij (Vexa-ai/vexa clients/extension/src/meeting.ts). */
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

  signals: [
    // pre-join
    text(meta('join-button', 'pre-join', 'strong', MB_BOT, A_UI, V_SELECTORS, S_BOT, SP_SELECTORS), ...selectors.joinButton),
    aria(meta('name-input', 'pre-join', 'strong', A_UI, MB_BOT, V_SELECTORS), ...selectors.nameInput),
    text(meta('continue-without-devices', 'pre-join', 'strong', S_BOT), ...selectors.continueWithoutDevices),
    aria(meta('device-toggle', 'pre-join', 'weak', A_UI, MB_BOT, V_SELECTORS), ...selectors.deviceToggle),

    // waiting to be admitted
    text(meta('waiting-text', 'waiting', 'strong', V_SELECTORS, A_UI, BAAS_STATE, S_CONST, S_BOT), ...selectors.waitingText),

    // in the call: strong only for controls the sources place after admission
    aria(meta('chat-button', 'in-call', 'strong', A_JS, BAAS_STATE, V_LEAVE_TEST), ...selectors.chatButton),
    text(meta('chat-icon', 'in-call', 'strong', T_CONTENT), ...selectors.chatIcon),
    aria(meta('captions-button', 'in-call', 'strong', A_UI), ...selectors.captionsButton),
    text(meta('captions-icon', 'in-call', 'strong', T_CONTENT), ...selectors.captionsIcon),
    aria(meta('people-button', 'in-call', 'strong', A_JS, MB_BOT, S_BOT, BAAS_STATE, SP_SELECTORS), ...selectors.peopleButton),
    text(meta('people-badge', 'in-call', 'strong', BAAS_MEET), ...selectors.peopleBadge),
    css(meta('participant-list', 'in-call', 'strong', A_JS, MB_BOT, BAAS_MEET), selectors.participantList),
    aria(meta('meeting-details', 'in-call', 'strong', BAAS_STATE), ...selectors.meetingDetails),
    // in-call UI that the lobby shows too (or may): weak
    css(meta('avatar-count', 'in-call', 'weak', S_BOT), selectors.avatarCount),
    aria(meta('share-screen', 'in-call', 'weak', V_SELECTORS, A_JS, BAAS_STATE), ...selectors.shareScreen),
    css(meta('participant-tile', 'in-call', 'weak', V_ADMISSION, V_SELECTORS, BAAS_STATE, SP_SELECTORS), selectors.participantTile),
    css(meta('leave-button', 'in-call', 'weak', V_SELECTORS, A_UI, MB_BOT, S_BOT, BAAS_CLOSE), selectors.leaveButton),
    text(meta('call-end-icon', 'in-call', 'weak', T_CONTENT, BAAS_CLOSE), ...selectors.callEndIcon),
    css(meta('call-controls', 'in-call', 'weak', BAAS_STATE, BAAS_MEET), selectors.callControls),

    // left: the user hung up
    text(meta('left-heading', 'left', 'strong', SP_SELECTORS, V_SELECTORS, A_UI), ...selectors.leftHeading),
    text(meta('return-home-button', 'left', 'weak', MB_BOT, BAAS_MEET, V_SELECTORS), ...selectors.returnHome),

    // ended: the host ended it, or the user was removed, refused or never let in
    text(meta('host-ended-heading', 'ended', 'strong', A_JS), ...selectors.hostEndedHeading),
    text(meta('removed-heading', 'ended', 'strong', A_JS, MB_BOT, S_BOT, BAAS_STATE, SP_SELECTORS), ...selectors.removedHeading),
    text(meta('denied-text', 'ended', 'strong', A_UI, S_CONST, V_SELECTORS, BAAS_STATE), ...selectors.deniedText),
    text(meta('no-response-text', 'ended', 'strong', A_UI, S_CONST, S_BOT, BAAS_STATE, SP_SELECTORS), ...selectors.noResponseText),
  ],

  controls(view) {
    return controlsAround(view, selectors.callControls, selectors.leaveButton);
  },
};
