// Jitsi Meet: URL cases (meet.jit.si, self-hosted, 8x8.vc tenants) and the state table over fixtures rebuilt from
// jitsi/jitsi-meet's own web client. The welcome page meet.jit.si loads after a hang-up ("/") has no row: it shows no
// call state (detect gives undefined, which a TableRow cannot hold) and no meeting code; the watcher turns the code
// disappearing after 'in-call' into 'left'. Its URL is in notMeetings.
import type { PlatformCases } from './types.ts';

const room = 'https://meet.jit.si/MentorshipStandup';

export const jitsiCases: PlatformCases = {
  meetings: [
    [room, 'mentorshipstandup'],
    ['https://meet.jit.si/Caf%C3%A9%20Chat#config.prejoinConfig.enabled=false', 'café chat'],
    ['https://jitsi.example.org/Weekly1on1?jwt=abc', 'weekly1on1'],
    ['https://jitsi.example.org/Room', 'room'],
    ['https://jitsi.example.org/mentoring/Room', 'mentoring/room'],
    ['https://8x8.vc/vpaas-magic-cookie-1234/Standup', 'vpaas-magic-cookie-1234/standup'],
    ['https://8x8.vc/vpaas-magic-cookie-1234/Standup?jwt=eyJhbGciOi#config.startWithAudioMuted=true', 'vpaas-magic-cookie-1234/standup'],
  ],
  notMeetings: [
    'https://meet.jit.si/',
    'https://meet.jit.si/?room=MentorshipStandup',
    'https://meet.jit.si/static/close2.html',
    'https://meet.jit.si/static/close.html',
    'https://meet.jit.si/static/',
    'https://meet.jit.si/http-bind',
    'https://meet.jit.si/config.js',
    'https://meet.jit.si/libs/app.bundle.min.js',
    'https://meet.jit.si/a/b/c',
    'https://meet.jit.si/%E0%A4%A',
    'https://8x8.vc/',
    'https://jitsi.example.org/static/close2.html',
  ],
  otherHosts: ['https://example.com/SomeRoom', 'https://meet.jit.si.evil.example/SomeRoom'],
  codeOnAnyHost: true,
  controls: { fixture: 'jitsi/in-call.html', selector: '#new-toolbox .toolbox-content-items' },
  rows: [
    { state: 'pre-join', variant: 'default', url: room, fixture: 'jitsi/pre-join.html', code: 'mentorshipstandup' },
    {
      state: 'pre-join',
      variant: 'lobby',
      url: 'https://8x8.vc/vpaas-magic-cookie-1234/Standup',
      fixture: 'jitsi/pre-join.lobby.html',
      code: 'vpaas-magic-cookie-1234/standup',
    },
    { state: 'waiting', variant: 'default', url: room, fixture: 'jitsi/waiting.html', code: 'mentorshipstandup' },
    { state: 'waiting', variant: 'de', url: 'https://jitsi.example.org/Weekly1on1', fixture: 'jitsi/waiting.de.html', code: 'weekly1on1' },
    { state: 'waiting', variant: 'lobby-chat', url: room, fixture: 'jitsi/waiting.lobby-chat.html', code: 'mentorshipstandup' },
    { state: 'in-call', variant: 'default', url: room, fixture: 'jitsi/in-call.html', code: 'mentorshipstandup' },
    { state: 'in-call', variant: 'moderator', url: `${room}#config.startWithVideoMuted=true`, fixture: 'jitsi/in-call.moderator.html', code: 'mentorshipstandup' },
    { state: 'left', variant: 'default', url: 'https://meet.jit.si/static/close2.html', fixture: 'jitsi/left.html', code: undefined },
    { state: 'left', variant: 'thank-you', url: room, fixture: 'jitsi/left.thank-you.html', code: 'mentorshipstandup' },
    { state: 'ended', variant: 'default', url: room, fixture: 'jitsi/ended.html', code: 'mentorshipstandup' },
    {
      state: 'ended',
      variant: 'host-ended',
      url: 'https://8x8.vc/vpaas-magic-cookie-1234/Standup',
      fixture: 'jitsi/ended.host-ended.html',
      code: 'vpaas-magic-cookie-1234/standup',
    },
    { state: 'ended', variant: 'rejected', url: room, fixture: 'jitsi/ended.rejected.html', code: 'mentorshipstandup' },
  ],
  linkPairs: [
    [room, 'https://meet.jit.si/mentorshipstandup#config.prejoinConfig.enabled=true'],
    ['https://meet.jit.si/Caf%C3%A9%20Chat', 'https://meet.jit.si/caf%C3%A9%20chat?lang=de'],
    ['https://jitsi.example.org/Weekly1on1', 'https://jitsi.example.org/Weekly1on1?jwt=abc'],
    ['https://8x8.vc/vpaas-magic-cookie-1234/Standup', 'https://8x8.vc/vpaas-magic-cookie-1234/standup#config.startWithAudioMuted=true'],
  ],
};
