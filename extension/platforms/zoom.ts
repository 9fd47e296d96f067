import { controlsAround, first, hasText, type PlatformAdapter } from './types.ts';

// Zoom's web client (app.zoom.us, us05web.zoom.us, ...) uses readable BEM class names and a few stable ids.
const selectors = {
  /** The "Leave" button in the meeting footer. */
  leaveButton: '.footer__leave-btn',
  /** The meeting footer itself; rendered only inside the meeting (it auto-hides with CSS but stays in the DOM). */
  footer: '#wc-footer',
  /** Name field and "Join" button of the preview page before joining. */
  previewJoin: '#input-for-name, .preview-join-button',
  /** The waiting room ("Please wait, the meeting host will let you in soon"), still before the call. */
  waitingRoom: '.wr-default__text, .wr-leave-btn',
  /** Title of the modal Zoom shows when the host ends the meeting or removes you; matched with endedText. */
  endedModalTitle: '.zm-modal-body-title',
  /** The footer bar holding mic, camera, share and leave. */
  controls: '#wc-footer',
} as const;

/** The end-of-meeting modal can sit on top of the meeting UI, so it is checked before the footer. */
const endedText = /meeting (?:has been|has|was) ended|removed from (?:the|this) meeting|left the meeting/i;

/** Web client and join links: /wc/<id>/join, /wc/<id>/start, /wc/join/<id>, /j/<id>, /s/<id> (host start). */
const meetingPaths = [
  /^\/wc\/(\d{9,11})\/(?:join|start)\/?$/,
  /^\/wc\/join\/(\d{9,11})\/?$/,
  /^\/[js]\/(\d{9,11})\/?$/,
];

export const zoom: PlatformAdapter = {
  id: 'zoom',
  label: 'Zoom',
  matches: ['https://*.zoom.us/*'],

  meetingCode(url) {
    if (url.hostname !== 'zoom.us' && !url.hostname.endsWith('.zoom.us')) return undefined;
    for (const path of meetingPaths) {
      const code = path.exec(url.pathname)?.[1];
      if (code) return code;
    }
    return undefined;
  },

  callState(doc) {
    if (hasText(doc, selectors.endedModalTitle, endedText)) return 'left';
    if (first(doc, selectors.leaveButton) || first(doc, selectors.footer)) return 'in-call';
    if (first(doc, selectors.previewJoin) || first(doc, selectors.waitingRoom)) return 'lobby';
    return undefined;
  },

  controls(doc) {
    return controlsAround(doc, selectors.controls, selectors.leaveButton);
  },
};
