// The shape of each platform's test cases: URL → meeting code cases, and the table rows of
// platform × state × variant → expected state and meeting code, each row naming its fixture page(s).
import type { CallState } from '../../../extension/platforms/types.ts';

export interface TableRow {
  /** The state the fixture shows (and detection must report). */
  state: CallState;
  /** What differs from the plain case, e.g. 'pwa-frame' or 'moderator'; 'default' for the plain one. */
  variant: string;
  /** The page's URL (the top document's). */
  url: string;
  /** Fixture file under test/fixtures/platforms/, e.g. 'meet/in-call.html'. */
  fixture: string;
  /** Same-origin call frames: the frame's URL and its fixture (Zoom's web client in iframe#webclient). */
  frames?: { url: string; fixture: string }[];
  /** The meeting code the adapter must read from the URL(s); undefined when the URL is no longer a meeting. */
  code: string | undefined;
}

export interface PlatformCases {
  /** [url, expected meeting code] */
  meetings: [string, string][];
  /** URLs on the platform's own hosts that are not a meeting. */
  notMeetings: string[];
  /** Look-alike and foreign hosts. */
  otherHosts: string[];
  /** Jitsi is self-hostable, so its meetingCode reads any host and the registry alone decides the origin. */
  codeOnAnyHost?: true;
  /** A selector for the control bar in the given in-call fixture row's documents. */
  controls: { fixture: string; selector: string };
  /** platform × state × variant rows. */
  rows: TableRow[];
  /**
   * Pasted meeting links (as a person copies them from an invitation) and the call page URL they open: the adapter
   * must read the same code from both, so the meeting is matched to the pair's link.
   */
  linkPairs: [pastedLink: string, callPageUrl: string][];
}
