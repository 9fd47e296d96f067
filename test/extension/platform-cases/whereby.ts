// Whereby: URL cases (whereby.com personal rooms, <subdomain>.whereby.com business and embedded rooms, host and embed
// query parameters) and the state table over fixtures built from Whereby's doc screenshots and old third-party
// observations. The 'left' fixture is a labelled guess: no source shows the screen after leaving yourself.
import type { PlatformCases } from './types.ts';

const room = 'https://whereby.com/mentorship-standup';
// The REST API's room shape: /<prefix>-<uuid> on the organisation's subdomain (whereby/docs whereby-product-features/waiting-rooms.md).
const lockedRoom = 'https://acme.whereby.com/mentoring-546f6c91-74b2-4597-b32a-6aeefa9ed90f';
const lockedCode = 'mentoring-546f6c91-74b2-4597-b32a-6aeefa9ed90f';

export const wherebyCases: PlatformCases = {
  meetings: [
    [room, 'mentorship-standup'],
    ['https://whereby.com/mentorship-standup/', 'mentorship-standup'],
    ['https://acme.whereby.com/Weekly-1on1?roomKey=abc', 'weekly-1on1'],
    [lockedRoom, lockedCode],
    [`${lockedRoom}?roomKey=eyJhbGciOiJIU`, lockedCode],
    // What <whereby-embed> loads: jsApi, we and iframeSource added (whereby/sdk packages/browser-sdk/src/lib/embed/index.ts).
    [`${lockedRoom}?jsApi=true&we=1&iframeSource=acme&displayName=Theo+Mentee`, lockedCode],
    [`${lockedRoom}?embed=&jsApi=true&we=1&iframeSource=acme`, lockedCode],
  ],
  notMeetings: [
    'https://whereby.com/',
    'https://whereby.com/user',
    'https://whereby.com/information',
    'https://whereby.com/information/pricing',
    'https://whereby.com/information/tos/privacy-policy/',
    'https://whereby.com/org/acme/rooms',
    'https://acme.whereby.com/',
  ],
  otherHosts: ['https://whereby.co/mentorship-standup', 'https://notwhereby.com/room', 'https://whereby.com.evil.example/room'],
  controls: { fixture: 'whereby/in-call.html', selector: '.BottomToolbar__center-2kFq' },
  rows: [
    { state: 'pre-join', variant: 'default', url: room, fixture: 'whereby/pre-join.html', code: 'mentorship-standup' },
    { state: 'pre-join', variant: 'locked', url: lockedRoom, fixture: 'whereby/pre-join.locked.html', code: lockedCode },
    { state: 'pre-join', variant: 'precall-test', url: room, fixture: 'whereby/pre-join.precall-test.html', code: 'mentorship-standup' },
    { state: 'waiting', variant: 'default', url: lockedRoom, fixture: 'whereby/waiting.html', code: lockedCode },
    { state: 'in-call', variant: 'default', url: room, fixture: 'whereby/in-call.html', code: 'mentorship-standup' },
    { state: 'in-call', variant: 'people-leave', url: `${lockedRoom}?roomKey=eyJhbGciOiJIU`, fixture: 'whereby/in-call.people-leave.html', code: lockedCode },
    { state: 'in-call', variant: 'jstest-2021', url: room, fixture: 'whereby/in-call.jstest-2021.html', code: 'mentorship-standup' },
    { state: 'left', variant: 'default', url: room, fixture: 'whereby/left.html', code: 'mentorship-standup' },
    { state: 'ended', variant: 'default', url: room, fixture: 'whereby/ended.html', code: 'mentorship-standup' },
    { state: 'ended', variant: 'denied', url: lockedRoom, fixture: 'whereby/ended.denied.html', code: lockedCode },
    { state: 'ended', variant: 'room-full', url: room, fixture: 'whereby/ended.room-full.html', code: 'mentorship-standup' },
  ],
  linkPairs: [
    [room, 'https://whereby.com/mentorship-standup?lang=de'],
    ['https://whereby.com/Mentorship-Standup', 'https://whereby.com/mentorship-standup/'],
    [lockedRoom, `${lockedRoom}?roomKey=eyJhbGciOiJIU`],
    [lockedRoom, `${lockedRoom}?jsApi=true&we=1&iframeSource=acme`],
  ],
};
