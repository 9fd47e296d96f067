// Zoom: the web client runs top-level at /wc/<number>/join, or — "Join from your browser" through the app.zoom.us
// shell — in its same-origin iframe#webclient. The zoom/<state>.html pages are the web client's document and serve
// both: as the top document (variant 'default') and as the frame under zoom/shell.html (variant 'pwa-frame').
import type { PlatformCases, TableRow } from './types.ts';

const n = '83412345678';
const pwaTop = `https://app.zoom.us/wc/${n}/join?fromPWA=1`;
const pwaFrame = `https://app.zoom.us/wc/${n}/join?from=pwa`;
const leavePage = `https://app.zoom.us/wc/leave?meetingNumber=${n}&feedback=false`;

/** The shell at `top` with the web client's `fixture` in iframe#webclient at `frame`. */
const inShell = (state: TableRow['state'], variant: string, fixture: string, top = pwaTop, frame = pwaFrame): TableRow => ({
  state,
  variant,
  url: top,
  fixture: 'zoom/shell.html',
  frames: [{ url: frame, fixture }],
  code: n,
});

export const zoomCases: PlatformCases = {
  meetings: [
    [`https://app.zoom.us/wc/${n}/join?fromPWA=1&pwd=abc123`, n],
    [pwaTop, n],
    [pwaFrame, n],
    [`https://app.zoom.us/wc/${n}/join?pwd=abc123&from=pwa`, n],
    [`https://app.zoom.us/wc/${n}/join?ref_from=launch&pwd=abc123`, n],
    [`https://app.zoom.us/wc?mn=${n}&ref_from=launch&pwd=abc123`, n],
    [`https://app.zoom.us/wc/?mn=${n}`, n],
    [`https://us05web.zoom.us/wc/join/${n}`, n],
    [`https://zoom.us/wc/join/${n}?ref_from=launch&fromPWA=1&pwd=abc123`, n],
    [`https://app.zoom.us/wc/start/${n}`, n],
    ['https://zoom.us/wc/8341234567/start', '8341234567'],
    [`https://app.zoom.us/wc/${n}/start?fromPWA=1`, n],
    [`https://app.zoom.us/wc/${n}/videomeeting`, n],
    [`https://us02web.zoom.us/j/${n}?pwd=xYz`, n],
    [`https://acme.zoom.us/j/${n}?pwd=xYz`, n],
    ['https://zoom.us/s/834123456', '834123456'],
    [`https://us06web.zoom.us/w/${n}?tk=abc`, n],
    // After leaving, the page keeps the number in meetingNumber: the code stays, so 'left' is reported for the meeting.
    [leavePage, n],
    [`https://app.zoom.us/wc/leave?meetingNumber=${n}&feedback=true`, n],
  ],
  notMeetings: [
    'https://zoom.us/',
    'https://app.zoom.us/wc',
    'https://app.zoom.us/wc/home',
    'https://app.zoom.us/wc/home?ref_from=launch',
    'https://app.zoom.us/wc/?ref_from=launch',
    `https://app.zoom.us/wc/home?mn=${n}`,
    'https://app.zoom.us/wc/team-chat',
    'https://app.zoom.us/wc/calendar',
    'https://app.zoom.us/wc/start/videomeeting',
    'https://app.zoom.us/wc?mn=1234',
    'https://app.zoom.us/wc?pwd=abc123',
    'https://app.zoom.us/wc/leave',
    `https://app.zoom.us/wc/leave?meetingId=${n}`,
    `https://zoom.us/postattendee?mn=${n}`,
    'https://zoom.us/j/abcdefghijk',
    'https://zoom.us/j/1234',
    `https://zoom.us/wc/${n}/leave`,
  ],
  otherHosts: [
    `https://notzoom.us/j/${n}`,
    `https://zoom.us.evil.example/j/${n}`,
    `https://zoom.us.evil.example/wc/${n}/join?fromPWA=1`,
    `https://evilzoom.us/wc?mn=${n}`,
    `https://meet.google.com/j/${n}`,
  ],
  // The shell's first row is the in-call one (rows below start with in-call): the bar is found inside the frame.
  controls: { fixture: 'zoom/shell.html', selector: '#wc-footer' },
  rows: [
    // In call
    inShell('in-call', 'pwa-frame', 'zoom/in-call.html'),
    { state: 'in-call', variant: 'default', url: `https://app.zoom.us/wc/${n}/join`, fixture: 'zoom/in-call.html', code: n },
    inShell('in-call', 'ref-from-launch', 'zoom/in-call.html', `https://app.zoom.us/wc/${n}/join?ref_from=launch&pwd=abc123`),
    { state: 'in-call', variant: 'host', url: `https://app.zoom.us/wc/${n}/start`, fixture: 'zoom/in-call.host.html', code: n },

    // Pre-join
    { state: 'pre-join', variant: 'default', url: `https://app.zoom.us/wc/${n}/join?pwd=abc123`, fixture: 'zoom/pre-join.html', code: n },
    inShell('pre-join', 'pwa-frame', 'zoom/pre-join.html'),
    // The shell's launch form, before it pushes /wc/<n>/join (guess: the frame is already the preview by then).
    inShell('pre-join', 'launch-form', 'zoom/pre-join.html', `https://app.zoom.us/wc?mn=${n}&ref_from=launch&pwd=abc123`, `https://app.zoom.us/wc/${n}/join?pwd=abc123&from=pwa`),
    { state: 'pre-join', variant: 'classic', url: `https://us05web.zoom.us/wc/join/${n}`, fixture: 'zoom/pre-join.classic.html', code: n },

    // Waiting
    { state: 'waiting', variant: 'default', url: `https://app.zoom.us/wc/${n}/join`, fixture: 'zoom/waiting.html', code: n },
    inShell('waiting', 'pwa-frame', 'zoom/waiting.html'),
    { state: 'waiting', variant: 'host-joined', url: `https://app.zoom.us/wc/${n}/join`, fixture: 'zoom/waiting.host-joined.html', code: n },
    inShell('waiting', 'host-not-started', 'zoom/waiting.host-not-started.html'),

    // Left: the page, or the frame under the shell (a guess: the shell's own URL after a self-leave is not attested)
    { state: 'left', variant: 'default', url: leavePage, fixture: 'zoom/left.html', code: n },
    inShell('left', 'pwa-frame', 'zoom/left.html', pwaTop, leavePage),

    // Ended
    { state: 'ended', variant: 'default', url: `https://app.zoom.us/wc/${n}/join`, fixture: 'zoom/ended.html', code: n },
    inShell('ended', 'pwa-frame', 'zoom/ended.html'),
    { state: 'ended', variant: 'removed', url: `https://app.zoom.us/wc/${n}/join`, fixture: 'zoom/ended.removed.html', code: n },
    inShell('ended', 'removed-pwa-frame', 'zoom/ended.removed.html'),
  ],
  linkPairs: [
    [`https://us02web.zoom.us/j/${n}?pwd=xYz`, `https://app.zoom.us/wc/${n}/join?fromPWA=1&pwd=xYz`],
    [`https://zoom.us/j/${n}`, `https://app.zoom.us/wc?mn=${n}&ref_from=launch`],
    [`https://acme.zoom.us/j/${n}?pwd=xYz`, `https://app.zoom.us/wc/${n}/join?ref_from=launch&pwd=xYz`],
    [`https://zoom.us/wc/join/${n}?ref_from=launch&fromPWA=1&pwd=xYz`, pwaFrame],
    [`https://zoom.us/s/${n}`, `https://app.zoom.us/wc/${n}/start?fromPWA=1`],
    [`https://us06web.zoom.us/w/${n}?tk=abc`, `https://app.zoom.us/wc/${n}/join`],
  ],
};
