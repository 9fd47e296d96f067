// Whereby's room UI is closed source and publishes no selectors, test ids or ARIA labels. What is attested:
// - Whereby's own docs (whereby/docs @ 4449da8): the room URL shapes, and the visible texts in their screenshots —
//   the locked-room knock page, the "put on hold" waiting screen, the pre-call test, the in-room toolbar labels
//   (Cam, Mic, Share, React, Chat, People, Leave) and the post-session "Meeting ended" screen;
// - third-party bots and extensions from 2020–21 (ZeroTworu/appir, beeradmoore/Whereby-Helper, runeh/whereby-pip-extension):
//   `.jstest-*` class names and a few texts. These are old and likely stale; none of them decides a state alone
//   where a documented text exists.
// So detection leans on visible labels and texts (English only: no source attests another language) and keeps the
// old class names as extra evidence. The data-testid selectors of the previous adapter had no source and are gone.
// Unattested: the screen after leaving the room yourself (the 'left' signal below is a labelled guess), the URL after
// leaving, and the plain "knocking" screen before the host answers.
import { css, firstIn, squash, text } from './signals.ts';
import type { PageView, PlatformAdapter, Signal } from './types.ts';

const selectors = {
  // Controls whose label is read (the toolbar buttons carry it as a figcaption inside the button in the 2020–21 paste; guess: still buttons today). whereby/docs .gitbook/assets/Chattoolbar.png; ZeroTworu/appir wipe/appir.py
  control: 'button, [role="button"]',
  // The in-room toolbar's "Leave" button label. whereby/docs .gitbook/assets/Chattoolbar.png (whereby-product-features/dashboard-preferences/README.md); whereby/docs .gitbook/assets/host-knock.png
  leaveLabel: /^Leave$/,
  // The in-room toolbar's "People" and "Chat" button labels (the host-knock screenshot shows a room with only People and Leave). whereby/docs .gitbook/assets/Chattoolbar.png; whereby/docs .gitbook/assets/host-knock.png
  roomPanelLabel: /^(?:People|Chat)$/,
  // Old (2020–21, likely stale) class names of the in-room leave, chat and people buttons. ZeroTworu/appir wipe/appir.py (jstest-leave-room-button, jstest-open-chat-button)
  jstestRoomButtons: '.jstest-leave-room-button, .jstest-open-chat-button, .jstest-open-people-button',
  // Old (2020–21, likely stale) class name of the leave button alone, to find the bar around it. ZeroTworu/appir wipe/appir.py
  jstestLeaveButton: '.jstest-leave-room-button',
  // Old (2021, likely stale) class names of the camera and microphone toggles; such toggles also sit on the pre-call screen. beeradmoore/Whereby-Helper Browser Extension/content.js
  jstestMediaToggles: '.jstest-toggle-video, .jstest-mute-button',
  // Old (2020, likely stale) class name of the in-room video tiles. runeh/whereby-pip-extension src/content-script.ts
  jstestVideoTiles: '.jstest-client-video',
  // Old (2020–21, likely stale) wrapper of the bottom toolbar's centre buttons, a CSS-module class with a hash suffix. ZeroTworu/appir wipe/appir.py (the toolbar pasted in an unattributed JSP next to it)
  toolbarWrapper: '[class*="buttonCenterWrapper"]',
  // Elements that hold a sentence of a screen's message. whereby/docs .gitbook/assets/precall-screenshot.png; .gitbook/assets/participant-knock.png
  messageHolder: 'p, div, span',
  // The locked room's knock page: "This room is locked. Knock to notify the host." whereby/docs .gitbook/assets/precall-screenshot.png (whereby-product-features/waiting-rooms.md)
  lockedText: /^This room is locked\.? Knock to notify the host\.?$/,
  // The knock page's "Knock" button (a div "Knock" in the bot; guess: inside a button). whereby/docs .gitbook/assets/precall-screenshot.png; ZeroTworu/appir wipe/appir.py
  knockLabel: /^Knock$/,
  // The pre-call screen's join button: "Join meeting" in the bot (guess: the docs' "Join" is the same control). ZeroTworu/appir wipe/appir.py
  joinLabel: /^Join(?: meeting)?$/,
  // The display-name field before joining (2021, likely stale). ZeroTworu/appir wipe/appir.py
  nicknameInput: 'input[name="nickname"]',
  // Headings of Whereby's full-screen messages (h1 in the bot's XPaths). ZeroTworu/appir wipe/appir.py; whereby/docs .gitbook/assets/in-room.jpg
  heading: 'h1, h2, h3',
  // The optional pre-call device and connectivity test: "Run a pre-call test". whereby/docs .gitbook/assets/precall-screenshot2.png (whereby-product-features/waiting-rooms.md)
  precallTestHeading: /^Run a pre-call test$/,
  // Waiting after knocking, put on hold by the host: "Your knock has been noticed and you’ve been put on hold. Please wait to be let in." whereby/docs .gitbook/assets/participant-knock.png (whereby-product-features/waiting-rooms.md)
  onHoldText: /^Your knock has been noticed and you[’']ve been put on hold\b/,
  // The end screen "Meeting ended" ("That’s a wrap. Have a good one!" + session rating): the bot saw it when removed; the docs show it after a session ends. ZeroTworu/appir wipe/appir.py; whereby/docs .gitbook/assets/in-room.jpg (whereby-product-features/insights-suite-and-api/session-ratings.md)
  meetingEndedHeading: /^Meeting ended$/,
  // Where the refusal text sits (a strong in the bot). ZeroTworu/appir wipe/appir.py
  refusalHolder: 'strong, h1, h2, h3, p',
  // The knock was rejected: "You’ve not been granted access" (U+2019). ZeroTworu/appir wipe/appir.py
  notGrantedText: /^You[’']ve not been granted access\b/,
  // The room is full, so the user cannot get in: "Sorry, this room is full". ZeroTworu/appir wipe/appir.py
  roomFullHeading: /^Sorry, this room is full\b/,
  // guess: the screen after leaving yourself says "You left the meeting/room" — no source shows it; closest source: the docs' post-session screen. whereby/docs .gitbook/assets/in-room.jpg (whereby-product-features/insights-suite-and-api/session-ratings.md)
  leftHeading: /^You(?:[’']ve| have)? left the (?:room|meeting)\b/,
  // An ARIA toolbar around the leave button, if the room has one (guess; not attested). whereby/docs .gitbook/assets/Chattoolbar.png
  toolbar: '[role="toolbar"]',
} as const;

/** Whereby rooms are one path segment; these single segments are Whereby's own pages (previous adapter's list). */
const roomPath = /^\/([a-z0-9][a-z0-9-]*)\/?$/i;
const appPages = new Set(['user', 'information', 'login', 'signup', 'org', 'embed', 'pricing', 'blog', 'download', 'support']);

/** The controls in the view whose aria-label or visible text is `label`. */
function controlsLabelled(view: PageView, label: RegExp): Element[] {
  return view.docs.flatMap((doc) =>
    Array.from(doc.querySelectorAll(selectors.control)).filter((el) => label.test(squash(el.getAttribute('aria-label'))) || label.test(squash(el.textContent))),
  );
}

const labelled = (view: PageView, label: RegExp): boolean => controlsLabelled(view, label).length > 0;

/** A signal that reads several controls' labels at once (the builders in signals.ts read one). */
function labels(meta: Pick<Signal, 'id' | 'state' | 'strength' | 'source'>, test: (view: PageView) => boolean): Signal {
  return { ...meta, kind: 'aria', test };
}

const DOCS = 'whereby/docs';
const APPIR = 'ZeroTworu/appir wipe/appir.py';

export const whereby: PlatformAdapter = {
  id: 'whereby',
  label: 'Whereby',
  // *.whereby.com also matches whereby.com itself, and covers organisations' <subdomain>.whereby.com rooms.
  matches: ['https://*.whereby.com/*'],

  /**
   * whereby.com/<room> (free and personal rooms) and <subdomain>.whereby.com/<room> (business and embedded rooms,
   * e.g. /<prefix>-<uuid> from the REST API; whereby/sdk packages/browser-sdk/src/lib/embed/roomUrl.ts). The host's
   * ?roomKey= and the embed's ?embed&jsApi=true&we=1&iframeSource= are query parameters, so the room stays the same.
   */
  meetingCode(url) {
    if (url.hostname !== 'whereby.com' && !url.hostname.endsWith('.whereby.com')) return undefined;
    const room = roomPath.exec(url.pathname)?.[1]?.toLowerCase();
    return room && !appPages.has(room) ? room : undefined;
  },

  signals: [
    // in-call: the toolbar's Leave next to People or Chat; neither label is on the pre-call, knock or waiting screens in the docs.
    labels(
      { id: 'room-toolbar-labels', state: 'in-call', strength: 'strong', source: `${DOCS} .gitbook/assets/Chattoolbar.png; ${DOCS} .gitbook/assets/host-knock.png` },
      (view) => labelled(view, selectors.leaveLabel) && labelled(view, selectors.roomPanelLabel),
    ),
    labels({ id: 'leave-label', state: 'in-call', strength: 'weak', source: `${DOCS} .gitbook/assets/Chattoolbar.png` }, (view) => labelled(view, selectors.leaveLabel)),
    css({ id: 'jstest-room-buttons', state: 'in-call', strength: 'strong', source: APPIR }, selectors.jstestRoomButtons),
    css({ id: 'jstest-media-toggles', state: 'in-call', strength: 'weak', source: 'beeradmoore/Whereby-Helper Browser Extension/content.js' }, selectors.jstestMediaToggles),
    css({ id: 'jstest-video-tiles', state: 'in-call', strength: 'weak', source: 'runeh/whereby-pip-extension src/content-script.ts' }, selectors.jstestVideoTiles),
    // pre-join: the knock page of a locked room, the join button, the pre-call test.
    text({ id: 'locked-room-text', state: 'pre-join', strength: 'strong', source: `${DOCS} .gitbook/assets/precall-screenshot.png; ${DOCS} whereby-product-features/waiting-rooms.md` }, selectors.messageHolder, selectors.lockedText),
    text({ id: 'knock-button', state: 'pre-join', strength: 'strong', source: `${DOCS} .gitbook/assets/precall-screenshot.png; ${APPIR}` }, selectors.control, selectors.knockLabel),
    // A join button, and no Leave on the page (so an in-room "Join …" control cannot pass for the pre-call screen).
    labels(
      { id: 'join-button', state: 'pre-join', strength: 'strong', source: APPIR },
      (view) => labelled(view, selectors.joinLabel) && !labelled(view, selectors.leaveLabel),
    ),
    text({ id: 'precall-test', state: 'pre-join', strength: 'strong', source: `${DOCS} .gitbook/assets/precall-screenshot2.png` }, selectors.heading, selectors.precallTestHeading),
    css({ id: 'nickname-input', state: 'pre-join', strength: 'weak', source: APPIR }, selectors.nicknameInput),
    // waiting: knocked and put on hold.
    text({ id: 'knock-on-hold', state: 'waiting', strength: 'strong', source: `${DOCS} .gitbook/assets/participant-knock.png; ${DOCS} whereby-product-features/waiting-rooms.md` }, selectors.messageHolder, selectors.onHoldText),
    // ended: the end screen (removed, or ended for all), a rejected knock, a full room.
    text({ id: 'meeting-ended', state: 'ended', strength: 'strong', source: `${APPIR}; ${DOCS} .gitbook/assets/in-room.jpg` }, selectors.heading, selectors.meetingEndedHeading),
    text({ id: 'not-granted', state: 'ended', strength: 'strong', source: APPIR }, selectors.refusalHolder, selectors.notGrantedText),
    text({ id: 'room-full', state: 'ended', strength: 'strong', source: APPIR }, selectors.heading, selectors.roomFullHeading),
    // left: guess (see selectors.leftHeading).
    text({ id: 'left-heading', state: 'left', strength: 'strong', source: `${DOCS} whereby-product-features/insights-suite-and-api/session-ratings.md` }, selectors.heading, selectors.leftHeading),
  ],

  controls(view) {
    const bar = firstIn(view, selectors.toolbarWrapper);
    if (bar) return bar;
    const leave = controlsLabelled(view, selectors.leaveLabel)[0] ?? firstIn(view, selectors.jstestLeaveButton);
    // The bar is the leave button's toolbar if it has one, else its row of sibling buttons.
    return leave?.closest(selectors.toolbar) ?? leave?.parentElement ?? undefined;
  },
};
