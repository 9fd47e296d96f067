// Google Meet: URL cases and the state table. Fixtures under test/fixtures/platforms/meet/ name their sources.
// An end screen stays on the meeting URL, so every row still reads the code.
import type { PlatformCases, TableRow } from './types.ts';

const url = 'https://meet.google.com/abc-defg-hij';
const code = 'abc-defg-hij';

const row = (state: TableRow['state'], variant: string, fixture: string, pageUrl = url): TableRow => ({
  state,
  variant,
  url: pageUrl,
  fixture: `meet/${fixture}`,
  code,
});

export const meetCases: PlatformCases = {
  meetings: [
    ['https://meet.google.com/abc-defg-hij', 'abc-defg-hij'],
    ['https://meet.google.com/abc-defg-hij?authuser=0', 'abc-defg-hij'],
    ['https://meet.google.com/abc-defg-hij?hl=en', 'abc-defg-hij'],
    ['https://meet.google.com/abc-defg-hij?authuser=0&pli=1', 'abc-defg-hij'],
    ['https://meet.google.com/ABC-DEFG-HIJ', 'abc-defg-hij'],
    ['https://meet.google.com/ABC-DEFG-HIJ?hs=122&authuser=1', 'abc-defg-hij'],
    ['https://meet.google.com/xyz-abcd-efg/', 'xyz-abcd-efg'],
  ],
  notMeetings: [
    'https://meet.google.com/',
    'https://meet.google.com/new',
    'https://meet.google.com/landing?authuser=0',
    'https://meet.google.com/abc-defg-hi',
    'https://meet.google.com/abc-defg-hij/extra',
    'https://meet.google.com/a1c-defg-hij',
  ],
  otherHosts: [
    'https://meet.google.com.evil.example/abc-defg-hij',
    'https://evil.example/abc-defg-hij',
    'https://calendar.google.com/abc-defg-hij',
  ],
  controls: { fixture: 'meet/in-call.html', selector: '[role="region"][aria-label="Call controls"]' },
  rows: [
    row('pre-join', 'default', 'pre-join.html'),
    row('pre-join', 'join-now', 'pre-join.join-now.html', `${url}?authuser=0`),
    row('pre-join', 'de', 'pre-join.de.html', `${url}?hl=de`),
    row('waiting', 'default', 'waiting.html'),
    row('waiting', 'host-admits', 'waiting.host-admits.html', `${url}?hl=en`),
    row('in-call', 'default', 'in-call.html'),
    row('in-call', 'new-ui', 'in-call.new-ui.html', `${url}?authuser=0`),
    row('in-call', 'recording-consent', 'in-call.recording-consent.html'),
    row('in-call', 'de', 'in-call.de.html', 'https://meet.google.com/ABC-DEFG-HIJ?hl=de'),
    row('left', 'default', 'left.html'),
    row('ended', 'default', 'ended.html'),
    row('ended', 'removed', 'ended.removed.html', `${url}?authuser=0`),
    row('ended', 'denied', 'ended.denied.html'),
    row('ended', 'denied-left', 'ended.denied-left.html'),
    row('ended', 'no-response', 'ended.no-response.html', `${url}?hl=en`),
    row('ended', 'no-response-de', 'ended.no-response.de.html', `${url}?hl=de`),
    row('ended', 'blocked', 'ended.blocked.html'),
  ],
  linkPairs: [
    ['https://meet.google.com/abc-defg-hij', 'https://meet.google.com/abc-defg-hij?authuser=0&pli=1'],
    ['https://meet.google.com/abc-defg-hij?hs=122&authuser=1', 'https://meet.google.com/abc-defg-hij?authuser=1'],
    ['https://meet.google.com/ABC-DEFG-HIJ', 'https://meet.google.com/abc-defg-hij?hl=en'],
  ],
};
