// Jitsi Meet is open source, so every signal here comes from its own web client: jitsi/jitsi-meet at commit 3729034
// (2026-04-27; read via the internxt/meet-web mirror, which keeps upstream's SHAs). The same client runs on
// meet.jit.si, on 8x8.vc (JaaS, /<tenant>/<room>) and on self-hosted servers, so the signals hold for all of them.
//
// How the screens relate (react/features/conference/components/web/Conference.tsx):
// - #videoconference_page, #largeVideoContainer and the toolbox are mounted during pre-join and the lobby too, so
//   they are weak; the filmstrip (#remoteVideos) and the "Toolbar" heading are rendered only when neither the
//   pre-join nor the lobby screen is shown, so they are the strong in-call signals.
// - The pre-join and lobby screens (.premeeting-screen) are drawn over the mounted conference page; detect's
//   precedence (waiting, then pre-join, before in-call) settles any overlap.
// - Kicked, or the meeting ended for everyone: the leave-reason dialog opens over the conference page, still on the
//   room URL. Any hang-up then shows the "Thank you for using …" notification and, 3 s later, loads "/" (the
//   welcome page, no meeting code) or, with enableClosePage, static/close2.html.
import { aria, controlsAround, css, text, url } from './signals.ts';
import type { PlatformAdapter } from './types.ts';

const selectors = {
  // The conference page root; also under the pre-join and lobby screens (weak). jitsi/jitsi-meet react/features/conference/components/web/Conference.tsx
  conferencePage: '#videoconference_page',
  // The large-video stage; LargeVideo sits outside the pre-join/lobby guard, so it is there before admission too (weak). jitsi/jitsi-meet react/features/large-video/components/LargeVideo.web.tsx
  largeVideo: '#largeVideoContainer',
  // The filmstrip, rendered only when neither pre-join nor lobby is shown (strong). jitsi/jitsi-meet react/features/filmstrip/components/web/Filmstrip.tsx
  filmstrip: '#remoteVideos',
  // The screen-reader "Toolbar" heading rendered with the in-call Toolbox only (strong; its text is translated, so matched by structure). jitsi/jitsi-meet react/features/conference/components/web/Conference.tsx
  toolbarHeading: '#videoconference_page span.sr-only[role="heading"]',
  // The toolbox row (mic, camera, …, hang-up); the pre-meeting screens mount a Toolbox too. jitsi/jitsi-meet react/features/toolbox/components/web/Toolbox.tsx
  toolboxItems: '#new-toolbox .toolbox-content-items',
  // The hang-up button of a non-moderator: ToolboxItem's outer div carries role/aria-label, the inner icon div the customClass. jitsi/jitsi-meet react/features/base/toolbox/components/ToolboxItem.web.tsx; css/_toolbars.scss
  hangupButton: '.toolbox-button[role="button"] .hangup-button',
  // A moderator's hang-up control: a menu toggle (HangupMenuButton) instead of the plain button. jitsi/jitsi-meet react/features/toolbox/components/web/HangupMenuButton.tsx; HangupToggleButton.tsx
  hangupMenuButton: '.toolbox-button-wth-dialog .hangup-menu-button',
  // Either hang-up control, for finding the toolbox around it. jitsi/jitsi-meet react/features/toolbox/components/web/Toolbox.tsx
  anyHangup: '.hangup-button, .hangup-menu-button',
  // Where the hang-up aria-label sits: the toolbox button div. jitsi/jitsi-meet react/features/base/toolbox/components/ToolboxItem.web.tsx
  toolboxButton: 'div.toolbox-button[role="button"]',
  // toolbar.accessibilityLabel.hangup in en/de/fr/es ("Leave the meeting"; es "Colgar"), also on the moderator's menu toggle. jitsi/jitsi-meet lang/main.json; lang/main-de.json; lang/main-fr.json; lang/main-es.json
  hangupLabel: /^(?:Leave the meeting|Konferenz verlassen|Quitter la conversation|Quitter|Colgar)$/,
  // The moderator hang-up menu's items are <button aria-label title> (Button.tsx). jitsi/jitsi-meet react/features/toolbox/components/web/HangupContextMenuItem.tsx
  menuButton: '.toolbox-button-wth-dialog button',
  // toolbar.accessibilityLabel.endConference in en/de/fr/es ("End meeting for all"). jitsi/jitsi-meet lang/main.json; lang/main-de.json; lang/main-fr.json; lang/main-es.json
  endForAllLabel: /^(?:End meeting for all|Konferenz für alle beenden|Terminer la réunion pour tout le monde|Terminar reunión para todos)$/,
  // The pre-join and lobby screens' shared root, PreMeetingScreen (weak: both states). jitsi/jitsi-meet react/features/base/premeeting/components/web/PreMeetingScreen.tsx
  premeeting: '.premeeting-screen',
  // The pre-join form and its name field. jitsi/jitsi-meet react/features/prejoin/components/web/Prejoin.tsx
  prejoinScreen: '[data-testid="prejoin.screen"], #premeeting-name-input',
  // The pre-join "Join meeting" button: ActionButton renders a div[role=button] with the test id. jitsi/jitsi-meet react/features/prejoin/components/web/Prejoin.tsx; react/features/base/premeeting/components/web/ActionButton.tsx
  prejoinJoinButton: '[role="button"][data-testid="prejoin.joinMeeting"]',
  // Buttons on a pre-meeting screen, for the translated join label. jitsi/jitsi-meet react/features/base/premeeting/components/web/ActionButton.tsx
  premeetingButton: '.premeeting-screen [role="button"], .premeeting-screen button',
  // prejoin.joinMeeting in en/de/fr/es ("Join meeting"). jitsi/jitsi-meet lang/main.json; lang/main-de.json; lang/main-fr.json; lang/main-es.json
  joinMeetingLabel: /^(?:Join meeting|Konferenz beitreten|Rejoindre la réunion|Entrar a la reunión)$/,
  // The lobby's "Ask to Join" button, hidden once knocking: the user has not asked yet (pre-join). jitsi/jitsi-meet react/features/lobby/components/web/LobbyScreen.tsx; tests/pageobjects/LobbyScreen.ts
  knockButton: '[data-testid="lobby.knockButton"]',
  // Buttons on the lobby screen (Button.tsx: <button><span>label</span></button>). jitsi/jitsi-meet react/features/base/ui/components/web/Button.tsx
  lobbyButton: '.lobby-screen button',
  // lobby.knockButton in en/de/fr/es ("Ask to Join"). jitsi/jitsi-meet lang/main.json; lang/main-de.json; lang/main-fr.json; lang/main-es.json
  knockLabel: /^(?:Ask to Join|Beitritt anfragen|Demander à rejoindre|Pedir entrar)$/,
  // The lobby screen, before and while knocking (weak). jitsi/jitsi-meet react/features/lobby/components/web/LobbyScreen.tsx; tests/pageobjects/LobbyScreen.ts
  lobbyScreen: '.lobby-screen',
  // Knocking: the spinner's "You'll join the meeting as soon as someone accepts your request". jitsi/jitsi-meet react/features/lobby/components/web/LobbyScreen.tsx
  joiningMessage: '.lobby-screen .joining-message',
  // Knocking while a moderator chats with the knocker (replaces the joining message). jitsi/jitsi-meet react/features/lobby/components/web/LobbyScreen.tsx
  lobbyChat: '.lobby-screen .lobby-chat-container',
  // The lobby screen's title (PreMeetingScreen's h1). jitsi/jitsi-meet react/features/base/premeeting/components/web/PreMeetingScreen.tsx
  lobbyTitle: '.lobby-screen h1',
  // lobby.joiningTitle in en/de/fr/es ("Asking to join meeting…", U+2026; de has a no-break space before it, which squash turns into a space). jitsi/jitsi-meet lang/main.json; lang/main-de.json; lang/main-fr.json; lang/main-es.json
  joiningTitle: /^(?:Asking to join meeting|Beitritt anfragen|Demander à rejoindre une réunion|Pidiendo entrar a la reunión) ?…$/,
  // The leave-reason dialog: opened when kicked or when the conference is destroyed (ended for all, lobby closed). jitsi/jitsi-meet react/features/conference/components/web/LeaveReasonDialog.web.tsx; conference.js; tests/helpers/Participant.ts
  leaveReasonDialog: '[data-testid="dialog.leaveReason"]',
  // The reason text sits in a div of the modal (BaseDialog's div[role=dialog]). jitsi/jitsi-meet react/features/base/ui/components/web/BaseDialog.tsx
  dialogText: '[role="dialog"] div',
  // dialog.kickSystemTitle / kickTitle / sessTerminatedReason and lobby.lobbyClosed (+ its raw reason) in en/de/fr/es. jitsi/jitsi-meet lang/main.json; lang/main-de.json; lang/main-fr.json; lang/main-es.json; react/features/base/conference/constants.ts
  endedText: /^(?:Ouch! .+ out of the meeting|Autsch! .+ aus der Konferenz geworfen|Oups ?! [Vv]ous avez été expulsé.*|¡Ay! .+ te expulsó de la reunión|The meeting has been terminated|Die Konferenz wurde beendet|L['’]appel a été terminé|The lobby room has been closed\.|Lobby room closed\.|Die Lobby wurde geschlossen\.|La salle d['’]attente a été fermée\.)$/,
  // The "Join request rejected." notification (knock refused); notifications carry their title key as data-testid. jitsi/jitsi-meet react/features/lobby/middleware.ts; react/features/notifications/components/web/Notification.tsx
  joinRejected: '#notifications-container [data-testid="lobby.joinRejectedTitle"]',
  // The "Thank you for using Jitsi Meet!" notification shown after any hang-up, before the redirect to "/". jitsi/jitsi-meet react/features/app/actions.web.ts; react/features/notifications/components/web/Notification.tsx
  thankYouNotification: '#notifications-container [data-testid="dialog.thankYou"]',
  // Where the thank-you text sits: a status notification's title span, or the close page's message. jitsi/jitsi-meet react/features/notifications/components/web/Notification.tsx; static/close2.html; static/close.html
  thankYouHolder: '#notifications-container [role="status"] span, .thanks-msg p',
  // dialog.thankYou in en/de/fr/es, close2.html's "Thank you for using <APP_NAME>" and close.html's "Thank you for your feedback!". jitsi/jitsi-meet lang/main.json; lang/main-de.json; lang/main-fr.json; lang/main-es.json; static/close.js; static/close.html
  thankYouText: /^(?:Thank you for using .+|Thank you for your feedback!|Danke für die Verwendung von .+!|Merci d['’]avoir utilisé .+ ?!|¡Gracias por usar .+!)$/,
  // The close page (enableClosePage): static/close.html, close2.html or close3.html. jitsi/jitsi-meet static/close2.html; react/features/app/actions.web.ts
  closePage: '.redirectPageMessage .thanks-msg',
  // The close page's path, under the deployment's context root. jitsi/jitsi-meet react/features/app/actions.web.ts
  closePagePath: /\/static\/close[23]?\.html$/,
} as const;

/** Paths the Jitsi web server serves itself; everything else of one or two segments is a room. */
const reservedFirstSegments = new Set(['static', 'libs', 'css', 'images', 'sounds', 'fonts', 'lang', 'http-bind', 'xmpp-websocket', 'colibri-ws']);
const staticFile = /\.(?:js|html|css|json|ico|txt|png|svg|wasm)$/i;

function decoded(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined; // malformed escape: not a room we can name
  }
}

/** Sources in jitsi/jitsi-meet, as "jitsi/jitsi-meet <path>" joined by "; ". */
const J = (...paths: string[]): string => paths.map((path) => `jitsi/jitsi-meet ${path}`).join('; ');

export const jitsi: PlatformAdapter = {
  id: 'jitsi',
  label: 'Jitsi Meet',
  // Self-hosted servers are user-added origins: findPlatform checks them and the lead registers them at run time.
  matches: ['https://meet.jit.si/*'],

  /**
   * Accepts any host, because self-hosted Jitsi can live anywhere; the registry only hands this adapter
   * URLs on meet.jit.si or on an origin the user added. Room names are lower-cased: Jitsi lower-cases them
   * for the conference itself, so /MyRoom and /myroom are the same meeting.
   */
  meetingCode(url) {
    const segments = url.pathname.split('/').filter(Boolean);
    // /<room>, or /<tenant>/<room> on multi-tenant deployments such as 8x8.vc (J react/features/app/actions.web.ts).
    if (segments.length < 1 || segments.length > 2) return undefined;
    if (reservedFirstSegments.has(segments[0] ?? '') || segments.some((s) => staticFile.test(s))) return undefined;
    const names = segments.map(decoded);
    if (names.some((name) => !name)) return undefined;
    return names.join('/').toLowerCase();
  },

  signals: [
    // in-call
    css({ id: 'filmstrip', state: 'in-call', strength: 'strong', source: J('react/features/conference/components/web/Conference.tsx', 'react/features/filmstrip/components/web/Filmstrip.tsx') }, selectors.filmstrip),
    css({ id: 'toolbar-heading', state: 'in-call', strength: 'strong', source: J('react/features/conference/components/web/Conference.tsx') }, selectors.toolbarHeading),
    css({ id: 'conference-page', state: 'in-call', strength: 'weak', source: J('react/features/conference/components/web/Conference.tsx') }, selectors.conferencePage),
    css({ id: 'large-video', state: 'in-call', strength: 'weak', source: J('react/features/large-video/components/LargeVideo.web.tsx') }, selectors.largeVideo),
    css({ id: 'hangup-button', state: 'in-call', strength: 'weak', source: J('react/features/toolbox/components/web/Toolbox.tsx', 'react/features/base/toolbox/components/ToolboxItem.web.tsx') }, selectors.hangupButton),
    css({ id: 'hangup-menu-button', state: 'in-call', strength: 'weak', source: J('react/features/toolbox/components/web/HangupMenuButton.tsx') }, selectors.hangupMenuButton),
    aria({ id: 'hangup-label', state: 'in-call', strength: 'weak', source: J('lang/main.json', 'tests/pageobjects/Toolbar.ts') }, selectors.toolboxButton, selectors.hangupLabel),
    aria({ id: 'end-for-all', state: 'in-call', strength: 'weak', source: J('react/features/toolbox/components/web/EndConferenceButton.tsx') }, selectors.menuButton, selectors.endForAllLabel),
    // pre-join (including the lobby before "Ask to Join")
    css({ id: 'prejoin-screen', state: 'pre-join', strength: 'strong', source: J('react/features/prejoin/components/web/Prejoin.tsx') }, selectors.prejoinScreen),
    css({ id: 'prejoin-join-button', state: 'pre-join', strength: 'strong', source: J('react/features/prejoin/components/web/Prejoin.tsx', 'react/features/base/premeeting/components/web/ActionButton.tsx') }, selectors.prejoinJoinButton),
    aria({ id: 'join-meeting-label', state: 'pre-join', strength: 'strong', source: J('lang/main.json', 'react/features/prejoin/components/web/Prejoin.tsx') }, selectors.premeetingButton, selectors.joinMeetingLabel),
    css({ id: 'knock-button', state: 'pre-join', strength: 'strong', source: J('react/features/lobby/components/web/LobbyScreen.tsx', 'tests/pageobjects/LobbyScreen.ts') }, selectors.knockButton),
    text({ id: 'knock-label', state: 'pre-join', strength: 'strong', source: J('lang/main.json', 'react/features/lobby/components/web/LobbyScreen.tsx') }, selectors.lobbyButton, selectors.knockLabel),
    css({ id: 'premeeting-screen', state: 'pre-join', strength: 'weak', source: J('react/features/base/premeeting/components/web/PreMeetingScreen.tsx') }, selectors.premeeting),
    // waiting (knocking in the lobby)
    css({ id: 'joining-message', state: 'waiting', strength: 'strong', source: J('react/features/lobby/components/web/LobbyScreen.tsx', 'react/features/lobby/components/AbstractLobbyScreen.tsx') }, selectors.joiningMessage),
    css({ id: 'lobby-chat', state: 'waiting', strength: 'strong', source: J('react/features/lobby/components/web/LobbyScreen.tsx') }, selectors.lobbyChat),
    text({ id: 'joining-title', state: 'waiting', strength: 'strong', source: J('lang/main.json', 'lang/main-de.json', 'react/features/lobby/components/AbstractLobbyScreen.tsx') }, selectors.lobbyTitle, selectors.joiningTitle),
    css({ id: 'lobby-screen', state: 'waiting', strength: 'weak', source: J('react/features/lobby/components/web/LobbyScreen.tsx', 'tests/pageobjects/LobbyScreen.ts') }, selectors.lobbyScreen),
    // ended (kicked, ended for all, lobby closed, knock rejected)
    css({ id: 'leave-reason-dialog', state: 'ended', strength: 'strong', source: J('react/features/conference/components/web/LeaveReasonDialog.web.tsx', 'conference.js', 'tests/helpers/Participant.ts') }, selectors.leaveReasonDialog),
    text({ id: 'ended-reason-text', state: 'ended', strength: 'strong', source: J('lang/main.json', 'react/features/conference/middleware.web.ts', 'react/features/base/conference/middleware.web.ts') }, selectors.dialogText, selectors.endedText),
    css({ id: 'join-rejected', state: 'ended', strength: 'strong', source: J('react/features/lobby/middleware.ts', 'react/features/notifications/components/web/Notification.tsx') }, selectors.joinRejected),
    // left (any hang-up: thank-you notification, then "/" or the close page)
    css({ id: 'thank-you-notification', state: 'left', strength: 'strong', source: J('react/features/app/actions.web.ts', 'react/features/notifications/components/web/Notification.tsx') }, selectors.thankYouNotification),
    text({ id: 'thank-you-text', state: 'left', strength: 'strong', source: J('lang/main.json', 'static/close.js', 'static/close.html') }, selectors.thankYouHolder, selectors.thankYouText),
    css({ id: 'close-page', state: 'left', strength: 'strong', source: J('static/close2.html', 'static/close.html') }, selectors.closePage),
    url({ id: 'close-page-url', state: 'left', strength: 'strong', source: J('react/features/app/actions.web.ts') }, (u) => selectors.closePagePath.test(u.pathname)),
  ],

  controls(view) {
    return controlsAround(view, selectors.toolboxItems, selectors.anyHangup);
  },
};
