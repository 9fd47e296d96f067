import { controlsAround, first, type PlatformAdapter } from './types.ts';

// Jitsi Meet is open source (github.com/jitsi/jitsi-meet), so these come from its React components,
// and they hold for self-hosted deployments too.
const selectors = {
  /** The red hang-up button in the toolbox (HangupButton's class; the aria-label is its English accessibility label). */
  leaveButton: '.hangup-button, .toolbox-button[aria-label="Leave the meeting"]',
  /** The large-video stage, rendered once the conference is joined. */
  stage: '#largeVideoContainer',
  /** The pre-join screen, also used by the lobby ("knocking") screen; it overlays #videoconference_page. */
  premeeting: '.premeeting-screen, [data-testid="prejoin.joinMeeting"], [data-testid="lobby.joiningMessage"]',
  /** The close page shown after hanging up (static/close2.html: "Thank you for using ..."). */
  closePage: '.redirectPageMessage, #thanksMessage',
  /** The toolbox row holding mic, camera, share and hang-up. */
  controls: '#new-toolbox .toolbox-content-items',
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
    // /<room>, or /<tenant>/<room> on multi-tenant deployments such as 8x8.vc.
    if (segments.length < 1 || segments.length > 2) return undefined;
    if (reservedFirstSegments.has(segments[0] ?? '') || segments.some((s) => staticFile.test(s))) return undefined;
    const names = segments.map(decoded);
    if (names.some((name) => !name)) return undefined;
    return names.join('/').toLowerCase();
  },

  callState(doc) {
    if (first(doc, selectors.closePage)) return 'left';
    // Pre-join before the stage: the pre-join screen is drawn over a conference page that is already mounted.
    if (first(doc, selectors.premeeting)) return 'lobby';
    if (first(doc, selectors.leaveButton) || first(doc, selectors.stage)) return 'in-call';
    return undefined;
  },

  controls(doc) {
    return controlsAround(doc, selectors.controls, selectors.leaveButton);
  },
};
