// The registry: every supported platform, the content script's match patterns, and URL → adapter dispatch.
import { jitsi } from './jitsi.ts';
import { meet } from './meet.ts';
import { teams } from './teams.ts';
import type { PlatformAdapter } from './types.ts';
import { whereby } from './whereby.ts';
import { zoom } from './zoom.ts';

export type { CallState, PlatformAdapter, PlatformId } from './types.ts';

export const platforms: readonly PlatformAdapter[] = [meet, zoom, teams, jitsi, whereby];

/** Every adapter's patterns, for the content script's `matches` (plain data: WXT reads it at build time). */
export const matchPatterns: string[] = platforms.flatMap((platform) => [...platform.matches]);

/** The adapter for the page at `url`, or undefined. `extraJitsiOrigins` are self-hosted Jitsi servers the user added. */
export function findPlatform(url: URL, extraJitsiOrigins: readonly string[] = []): PlatformAdapter | undefined {
  const known = platforms.find((platform) => platform.matches.some((pattern) => matchesPattern(url, pattern)));
  if (known) return known;
  return extraJitsiOrigins.some((origin) => originOf(origin) === url.origin) ? jitsi : undefined;
}

/** The match pattern for a user-added origin, for permissions.request and scripting.registerContentScripts. */
export function originMatchPattern(origin: string): string | undefined {
  const normalised = originOf(origin);
  return normalised ? `${normalised}/*` : undefined;
}

/**
 * Chrome match-pattern semantics (developer.chrome.com/docs/extensions/develop/concepts/match-patterns):
 * a '*.' host prefix also matches the bare host, and '*' in the path matches anything.
 */
export function matchesPattern(url: URL, pattern: string): boolean {
  const parts = /^(\*|https?):\/\/([^/]+)(\/.*)$/.exec(pattern);
  if (!parts) return false;
  const [, scheme = '', host = '', path = ''] = parts;
  const schemeOk = scheme === '*' ? url.protocol === 'https:' || url.protocol === 'http:' : url.protocol === `${scheme}:`;
  const hostOk =
    host === '*' ||
    (host.startsWith('*.') ? url.hostname === host.slice(2) || url.hostname.endsWith(host.slice(1)) : url.hostname === host);
  const pathGlob = new RegExp(`^${path.split('*').map(escapeRegExp).join('.*')}$`);
  return schemeOk && hostOk && pathGlob.test(url.pathname + url.search);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** 'https://jitsi.example.org/' and 'https://jitsi.example.org' are the same origin; junk is ignored, not thrown. */
function originOf(origin: string): string | undefined {
  try {
    const { origin: normalised } = new URL(origin);
    return normalised === 'null' ? undefined : normalised;
  } catch {
    return undefined;
  }
}
