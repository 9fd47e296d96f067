/**
 * Which meeting links a pair may keep (issue 8, defect 4): `https:` URLs on the platform's own hosts only, so a stored
 * link can never be `javascript:`, `data:` or a look-alike host (`meet.google.com.evil.example`). Used by the zod
 * schema (shared/schemas/pairs.ts) and again by the side panel before it renders a link (defence in depth).
 *
 * Hosts are compared on the WHATWG URL parser's `hostname` (the parser browsers use for `href`, lower-cased, with
 * tabs and newlines already removed), exactly or as a suffix after a dot.
 */
import type { Platform } from '../schemas/common.ts';

interface HostRule {
  /** Hosts allowed as they are. */
  exact: readonly string[];
  /** Parent domains whose subdomains are allowed (`zoom.us` allows `us02web.zoom.us`, not `evilzoom.us`). */
  subdomainsOf: readonly string[];
  /** Any https host: see jitsi. */
  anyHost?: true;
}

const HOSTS: Record<Platform, HostRule> = {
  meet: { exact: ['meet.google.com'], subdomainsOf: [] },
  zoom: { exact: ['zoom.us'], subdomainsOf: ['zoom.us'] },
  teams: { exact: ['teams.microsoft.com', 'teams.live.com', 'teams.cloud.microsoft'], subdomainsOf: [] },
  whereby: { exact: ['whereby.com'], subdomainsOf: ['whereby.com'] },
  // Jitsi is self-hosted anywhere: people add their own servers in the extension's options, and the server cannot
  // know those hosts. So any https host is accepted for jitsi (meet.jit.si included); the scheme check still rules
  // out javascript:, data: and plain http.
  jitsi: { exact: ['meet.jit.si'], subdomainsOf: [], anyHost: true },
};

/** Why `url` is not an acceptable link for `platform`, or undefined when it is. */
export function meetingLinkProblem(platform: Platform, url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'Not a URL';
  }
  if (parsed.protocol !== 'https:') return 'Meeting links must start with https://';
  if (parsed.username || parsed.password) return 'Meeting links cannot carry a user name or password';
  const rule = HOSTS[platform];
  const host = parsed.hostname;
  if (rule.anyHost) return undefined;
  if (rule.exact.includes(host) || rule.subdomainsOf.some((parent) => host.endsWith(`.${parent}`))) return undefined;
  return `Not a ${platform} address: use a link on ${[...rule.exact, ...rule.subdomainsOf.map((p) => `*.${p}`)].join(', ')}`;
}

export const isAllowedMeetingLink = (platform: Platform, url: string): boolean => meetingLinkProblem(platform, url) === undefined;
