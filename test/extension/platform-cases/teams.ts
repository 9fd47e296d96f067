// Microsoft Teams: URL cases and the platform × state × variant table. URL shapes from attendee-labs/attendee
// bots/meeting_url_utils.py (+ tests), Meeting-BaaS/meet-teams-bot src/urlParser/teamsUrlParser.ts, Vexa-ai/vexa
// core/meetings/services/mcp/src/vexa_mcp/link_parser.py and the meetbot recon doc's live redirect chain
// (/meet/<code> → launcher.html?url=/_#/meet/… → /v2/?meetingjoin=true → /light-meetings/launch?…&coords=<base64>).
import type { PlatformCases } from './types.ts';

const meetingId = 'NzU5ZTI5YTgtZTBiOS00NmE0LWE3ZDMtZjRjYjM4OGMxNzZi';
const thread = `19:meeting_${meetingId}@thread.v2`;
const encodedThread = `19%3ameeting_${meetingId}%40thread.v2`;
const context = '%7b%22Tid%22%3a%2272f988bf-86f1-41af-91ab-2d7cd011db47%22%2c%22Oid%22%3a%22a1b2c3d4-0000-4000-8000-000000000001%22%7d';
/** The meetup-join link of an invitation, as pasted. */
const meetupLink = `https://teams.microsoft.com/l/meetup-join/${encodedThread}/0?context=${context}`;
/** Channel meeting: a channel thread (@thread.tacv2) and the meeting's non-zero message id. */
const channel = '19:a1b2c3d4e5f60718293a4b5c6d7e8f90@thread.tacv2';
const channelMessage = '1712345678901';

const code = '9312345678901';
const passcode = 'AbCd';
const correlationId = '74ccaec3-1b2c-4d5e-8f90-a1b2c3d4e5f6';
const deeplinkId = '5044eb28-9d33-4309-bf23-3aa618a9e6b0';

/** Base64 of a JSON object, as Teams writes `coords`. */
const base64 = (value: object): string => btoa(JSON.stringify(value));
const lightMeeting = (host: string, coords: string): string =>
  `https://${host}/light-meetings/launch?anon=true&launchAgent=join_launcher_web&lightExperience=true&correlationId=${correlationId}&agent=web&coords=${coords}&deeplinkId=${deeplinkId}`;

/** coords of a short-link join (meetbot recon §2.1, live capture). */
const shortCoords = base64({
  meetingUrl: `https://teams.microsoft.com/meet/${code}?p=${passcode}&anon=true&launchAgent=join_launcher_web&lightExperience=true&correlationId=${correlationId}`,
  meetingCode: code,
  passcode,
});
/** coords of a meetup-join join (attendee meeting_url_utils.py, Meeting BaaS teamsUrlParser.ts). */
const threadCoords = base64({ conversationId: thread, tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47', organizerId: 'a1b2c3d4-0000-4000-8000-000000000001', messageId: '0' });
/** A 14-digit code whose coords' base64 holds a '/' and '==' padding, for the URL-safe and unpadded forms. */
const longCode = '33832851446746';
const longCoords = base64({ meetingUrl: `https://teams.microsoft.com/meet/${longCode}?p=${passcode}&anon=true&launchAgent=join_launcher_web&lightExperience=true&correlationId=${correlationId}`, meetingCode: longCode, passcode });
const channelCoords = base64({ conversationId: channel, tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47', messageId: channelMessage });

/** The call pages. */
const v2Meetup = `https://teams.microsoft.com/v2/?meetingjoin=true#/l/meetup-join/${thread}/0?context=%7b%22Tid%22%3a%2272f988bf-86f1-41af-91ab-2d7cd011db47%22%7d&anon=true`;
const v2Short = `https://teams.microsoft.com/v2/?meetingjoin=true#/meet/${code}?p=${passcode}&anon=true`;
const liveShort = `https://teams.live.com/_#/meet/${code}?p=${passcode}&anon=true`;
const lightShort = lightMeeting('teams.microsoft.com', encodeURIComponent(shortCoords));
const lightThread = lightMeeting('teams.microsoft.com', encodeURIComponent(threadCoords));

export const teamsCases: PlatformCases = {
  meetings: [
    // meetup-join links, percent-encoded in the path or plain in the v2 hash; on every Teams host.
    [meetupLink, thread],
    [`https://teams.microsoft.com/v2/?meetingjoin=true#/l/meetup-join/${thread}/0?context=%7b%7d&anon=true`, thread],
    [`https://teams.microsoft.com/v2/?meetingjoin=true#/l/meetup-join/${encodedThread}/0?context=${context}&anon=true`, thread],
    [`https://teams.microsoft.com/_#/pre-join-calling/${thread}`, thread],
    [`https://teams.cloud.microsoft/l/meetup-join/19%3Ameeting_${meetingId}%40thread.v2/0`, thread],
    // Double-encoded, as some mail clients wrap links (attendee percent-decodes up to three times).
    [`https://teams.microsoft.com/l/meetup-join/19%253ameeting_${meetingId}%2540thread.v2/0`, thread],
    // Launchers: url=/_#/… unencoded (the route lands in the URL's hash) and percent-encoded.
    [`https://teams.microsoft.com/dl/launcher/launcher.html?url=/_#/l/meetup-join/${thread}/0?context=${context}&anon=true&type=meetup-join&deeplinkId=${deeplinkId}&directDl=true&msLaunch=true&enableMobilePage=true&suppressPrompt=true`, thread],
    [`https://teams.microsoft.com/dl/launcher/launcher.html?url=%2F_%23%2Fl%2Fmeetup-join%2F${encodeURIComponent(encodedThread)}%2F0&type=meetup-join`, thread],
    [`https://teams.live.com/dl/launcher/launcher.html?url=/_#/meet/${code}?p=${passcode}&anon=true&type=meet`, code],
    [`https://teams.microsoft.com/dl/launcher/launcher.html?url=%2F_%23%2Fmeet%2F${code}%3Fanon%3Dtrue&type=meet&directDl=true&msLaunch=true&enableMobilePage=true`, code],
    // Channel meetings: the channel thread plus the meeting's message id.
    [`https://teams.microsoft.com/l/meetup-join/${encodeURIComponent(channel)}/${channelMessage}?context=${context}`, `${channel}/${channelMessage}`],
    [`https://teams.microsoft.com/v2/?meetingjoin=true#/l/meetup-join/${channel}/${channelMessage}?context=%7b%7d&anon=true`, `${channel}/${channelMessage}`],
    // Short links and the pages they run at; the passcode is never part of the code.
    ['https://teams.live.com/meet/9312345678901?p=AbCdEfGh', '9312345678901'],
    ['https://teams.microsoft.com/meet/2345678901234?p=xYz', '2345678901234'],
    ['https://teams.microsoft.com/meet/33832851446746', '33832851446746'],
    [v2Short, code],
    [`https://teams.microsoft.com/v2/?meetingjoin=true#/meet/${code}?p=${passcode}&anon=true&deeplinkId=${deeplinkId}`, code],
    [liveShort, code],
    [`https://teams.live.com/_#/meet/9487829875851&anon=true`, '9487829875851'],
    // Light meetings: coords with meetingCode or conversationId, padded, unpadded, URL-safe, raw '+' and '/'.
    [lightShort, code],
    [lightThread, thread],
    [lightMeeting('teams.live.com', encodeURIComponent(shortCoords)), code],
    [lightMeeting('teams.microsoft.com', `${encodeURIComponent(threadCoords.replace(/=+$/, ''))}%3D`), thread],
    [lightMeeting('teams.microsoft.com', shortCoords.replace(/=+$/, '')), code],
    [lightMeeting('teams.microsoft.com', shortCoords.replace(/\+/g, '-').replace(/\//g, '_')), code],
    [lightMeeting('teams.microsoft.com', shortCoords), code],
    [lightMeeting('teams.microsoft.com', encodeURIComponent(longCoords)), longCode],
    [lightMeeting('teams.microsoft.com', longCoords), longCode],
    [lightMeeting('teams.microsoft.com', longCoords.replace(/\//g, '_').replace(/=+$/, '')), longCode],
    // attendee's test form: padding stripped, then a single %3D appended (this one needs two).
    [lightMeeting('teams.microsoft.com', `${encodeURIComponent(longCoords.replace(/=+$/, ''))}%3D`), longCode],
    [lightMeeting('teams.microsoft.com', encodeURIComponent(channelCoords)), `${channel}/${channelMessage}`],
    // Meeting BaaS's reading: base64 of percent-encoded JSON (it runs decodeURIComponent after atob).
    [lightMeeting('teams.microsoft.com', encodeURIComponent(btoa(encodeURIComponent(JSON.stringify({ conversationId: thread, tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47', messageId: '0' }))))), thread],
    [lightMeeting('teams.microsoft.com', encodeURIComponent(base64({ meetingCode: '1234567890123' }))), '1234567890123'],
    [lightMeeting('teams.microsoft.com', encodeURIComponent(base64({ meetingUrl: `https://teams.microsoft.com/meet/${code}?anon=true` }))), code],
  ],
  notMeetings: [
    'https://teams.microsoft.com/v2/',
    'https://teams.microsoft.com/v2/?meetingjoin=true',
    'https://teams.microsoft.com/_#/conversations/19:abc123@thread.v2?ctx=chat',
    'https://teams.live.com/v2/',
    // In the call on teams.cloud.microsoft the id is gone from the URL.
    'https://teams.cloud.microsoft/v2/',
    // A malformed escape must neither throw nor yield a code.
    'https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%ZZ/0',
    // meetup-join with no thread, or a chat thread.
    'https://teams.microsoft.com/l/meetup-join/',
    'https://teams.microsoft.com/l/meetup-join/19%3aabc123%40thread.skype/0',
    // Too short to be a meeting code (pre-join renders even for /meet/99).
    'https://teams.microsoft.com/meet/99',
    'https://teams.live.com/_#/meet/abc?p=x',
    'https://teams.microsoft.com/dl/launcher/launcher.html?type=meet',
    // Light meetings without coords, or with coords that are not base64, not JSON, not an object, or lack the keys.
    `https://teams.microsoft.com/light-meetings/launch?anon=true&agent=web&deeplinkId=${deeplinkId}`,
    lightMeeting('teams.microsoft.com', '%%%not-base64%%%'),
    lightMeeting('teams.microsoft.com', 'A'),
    lightMeeting('teams.microsoft.com', encodeURIComponent(btoa('not json'))),
    lightMeeting('teams.microsoft.com', encodeURIComponent(btoa('null'))),
    lightMeeting('teams.microsoft.com', encodeURIComponent(btoa('["9312345678901"]'))),
    lightMeeting('teams.microsoft.com', encodeURIComponent(base64({ passcode }))),
    lightMeeting('teams.microsoft.com', encodeURIComponent(base64({ meetingCode: 'AbCd', conversationId: 42 }))),
  ],
  otherHosts: [
    'https://teams.microsoft.com.evil.example/meet/9312345678901',
    `https://example.com/l/meetup-join/19%3ameeting_${meetingId}%40thread.v2/0`,
    `https://example.com/v2/?meetingjoin=true#/meet/${code}?p=${passcode}&anon=true`,
    lightMeeting('teams.live.com.evil.example', encodeURIComponent(shortCoords)),
  ],
  controls: { fixture: 'teams/in-call.html', selector: '[data-tid="ubar-toolbar-wrapper"]' },
  rows: [
    { state: 'pre-join', variant: 'default', url: lightShort, fixture: 'teams/pre-join.html', code },
    { state: 'pre-join', variant: 'meetup-join', url: v2Meetup, fixture: 'teams/pre-join.html', code: thread },
    { state: 'pre-join', variant: 'signed-in', url: lightThread, fixture: 'teams/pre-join.signed-in.html', code: thread },
    { state: 'waiting', variant: 'default', url: v2Short, fixture: 'teams/waiting.html', code },
    { state: 'waiting', variant: 'light-meetings', url: lightShort, fixture: 'teams/waiting.html', code },
    { state: 'waiting', variant: 'join-disabled', url: v2Meetup, fixture: 'teams/waiting.join-disabled.html', code: thread },
    { state: 'waiting', variant: 'before-start', url: v2Meetup, fixture: 'teams/waiting.before-start.html', code: thread },
    { state: 'in-call', variant: 'default', url: v2Meetup, fixture: 'teams/in-call.html', code: thread },
    { state: 'in-call', variant: 'meetup-join-light-meetings', url: lightThread, fixture: 'teams/in-call.html', code: thread },
    { state: 'in-call', variant: 'short-link', url: v2Short, fixture: 'teams/in-call.short-link.html', code },
    { state: 'in-call', variant: 'teams-live', url: liveShort, fixture: 'teams/in-call.short-link.html', code },
    { state: 'in-call', variant: 'light-meetings', url: lightShort, fixture: 'teams/in-call.short-link.html', code },
    { state: 'in-call', variant: 'cloud-no-id', url: 'https://teams.cloud.microsoft/v2/', fixture: 'teams/in-call.html', code: undefined },
    { state: 'left', variant: 'default', url: v2Short, fixture: 'teams/left.html', code },
    { state: 'left', variant: 'meetup-join', url: v2Meetup, fixture: 'teams/left.html', code: thread },
    { state: 'ended', variant: 'default', url: v2Meetup, fixture: 'teams/ended.html', code: thread },
    { state: 'ended', variant: 'removed', url: lightShort, fixture: 'teams/ended.removed.html', code },
    { state: 'ended', variant: 'not-found', url: lightShort, fixture: 'teams/ended.not-found.html', code },
    { state: 'ended', variant: 'denied', url: liveShort, fixture: 'teams/ended.denied.html', code },
    { state: 'ended', variant: 'e2ee', url: v2Meetup, fixture: 'teams/ended.e2ee.html', code: thread },
  ],
  linkPairs: [
    // A pasted meetup-join invitation → the v2 call page with the decoded thread in the hash.
    [meetupLink, v2Meetup],
    // … → the light-meetings page it settles on, the thread carried as coords.conversationId.
    [meetupLink, lightThread],
    // A pasted short link → its call page, its launcher, and the light-meetings page whose coords carry meetingCode.
    [`https://teams.microsoft.com/meet/${code}?p=${passcode}`, v2Short],
    [`https://teams.microsoft.com/meet/${code}?p=${passcode}`, `https://teams.microsoft.com/dl/launcher/launcher.html?url=%2F_%23%2Fmeet%2F${code}%3Fp%3D${passcode}%26anon%3Dtrue&type=meet&directDl=true&msLaunch=true&enableMobilePage=true`],
    [`https://teams.microsoft.com/meet/${code}?p=${passcode}`, lightShort],
    [`https://teams.live.com/meet/${code}?p=${passcode}`, liveShort],
    [`https://teams.live.com/meet/${code}?p=${passcode}`, lightMeeting('teams.live.com', encodeURIComponent(shortCoords))],
    // A channel meeting's link → its v2 call page.
    [`https://teams.microsoft.com/l/meetup-join/${encodeURIComponent(channel)}/${channelMessage}?context=${context}`, `https://teams.microsoft.com/v2/?meetingjoin=true#/l/meetup-join/${channel}/${channelMessage}?context=%7b%7d&anon=true`],
  ],
};
