// Platform adapters against saved fixture HTML, the registry, and the call-state watcher.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { findPlatform, matchesPattern, matchPatterns, originMatchPattern, platforms } from '../../extension/platforms/index.ts';
import { meet } from '../../extension/platforms/meet.ts';
import type { CallState, PlatformId } from '../../extension/platforms/types.ts';
import { watchCallState } from '../../extension/platforms/watch.ts';

// Plain paths, not URL objects: under happy-dom the global URL is the fake browser's, which node:fs rejects.
const here = dirname(fileURLToPath(import.meta.url));
const fixtureDir = join(here, '../fixtures/platforms');
const adapterDir = join(here, '../../extension/platforms');

/** Fixture file suffix → the state it shows. */
const screens = { lobby: 'lobby', call: 'in-call', ended: 'left' } as const satisfies Record<string, CallState>;
type Screen = keyof typeof screens;

function fixture(id: PlatformId, screen: Screen): Document {
  const html = readFileSync(join(fixtureDir, `${id}-${screen}.html`), 'utf8');
  return new DOMParser().parseFromString(html, 'text/html');
}

interface PlatformCases {
  /** [url, expected meeting code] */
  meetings: [string, string][];
  /** URLs on the platform's own hosts that are not a meeting. */
  notMeetings: string[];
  /** Look-alike and foreign hosts. */
  otherHosts: string[];
  /** Jitsi is self-hostable, so its meetingCode reads any host and the registry alone decides the origin. */
  codeOnAnyHost?: true;
  /** The control bar in the call fixture. */
  controls: string;
}

const meetingId = 'NzU5ZTI5YTgtZTBiOS00NmE0LWE3ZDMtZjRjYjM4OGMxNzZi';
const thread = `19:meeting_${meetingId}@thread.v2`;

// Typed by PlatformId, so adding a platform without its cases does not compile; the meta-test checks it at run time too.
const cases: Record<PlatformId, PlatformCases> = {
  meet: {
    meetings: [
      ['https://meet.google.com/abc-defg-hij', 'abc-defg-hij'],
      ['https://meet.google.com/abc-defg-hij?authuser=0', 'abc-defg-hij'],
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
    controls: '[role="region"][aria-label="Call controls"]',
  },
  zoom: {
    meetings: [
      ['https://app.zoom.us/wc/83412345678/join?fromPWA=1&pwd=abc123', '83412345678'],
      ['https://us05web.zoom.us/wc/join/83412345678', '83412345678'],
      ['https://zoom.us/wc/8341234567/start', '8341234567'],
      ['https://us02web.zoom.us/j/83412345678?pwd=xYz', '83412345678'],
      ['https://zoom.us/s/834123456', '834123456'],
    ],
    notMeetings: [
      'https://zoom.us/',
      'https://app.zoom.us/wc/home',
      'https://zoom.us/postattendee?mn=83412345678',
      'https://zoom.us/j/abcdefghijk',
      'https://zoom.us/j/1234',
      'https://zoom.us/wc/83412345678/leave',
    ],
    otherHosts: ['https://notzoom.us/j/83412345678', 'https://zoom.us.evil.example/j/83412345678', 'https://meet.google.com/j/83412345678'],
    controls: '#wc-footer',
  },
  teams: {
    meetings: [
      [
        `https://teams.microsoft.com/l/meetup-join/19%3ameeting_${meetingId}%40thread.v2/0?context=%7b%22Tid%22%3a%2272f988bf%22%2c%22Oid%22%3a%22a1b2%22%7d`,
        thread,
      ],
      [`https://teams.microsoft.com/v2/?meetingjoin=true#/l/meetup-join/${thread}/0?context=%7b%7d&anon=true`, thread],
      [`https://teams.microsoft.com/_#/pre-join-calling/${thread}`, thread],
      [`https://teams.cloud.microsoft/l/meetup-join/19%3Ameeting_${meetingId}%40thread.v2/0`, thread],
      ['https://teams.live.com/meet/9312345678901?p=AbCdEfGh', '9312345678901'],
      ['https://teams.microsoft.com/meet/2345678901234?p=xYz', '2345678901234'],
    ],
    notMeetings: [
      'https://teams.microsoft.com/v2/',
      'https://teams.microsoft.com/_#/conversations/19:abc123@thread.v2?ctx=chat',
      'https://teams.live.com/v2/',
      // A malformed escape must neither throw nor yield a code.
      'https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%ZZ/0',
    ],
    otherHosts: [
      'https://teams.microsoft.com.evil.example/meet/9312345678901',
      `https://example.com/l/meetup-join/19%3ameeting_${meetingId}%40thread.v2/0`,
    ],
    controls: '[data-tid="ubar-toolbar-wrapper"]',
  },
  jitsi: {
    meetings: [
      ['https://meet.jit.si/MentorshipStandup', 'mentorshipstandup'],
      ['https://meet.jit.si/Caf%C3%A9%20Chat#config.prejoinConfig.enabled=false', 'café chat'],
      ['https://jitsi.example.org/Weekly1on1?jwt=abc', 'weekly1on1'],
      ['https://8x8.vc/vpaas-magic-cookie-1234/Standup', 'vpaas-magic-cookie-1234/standup'],
    ],
    notMeetings: [
      'https://meet.jit.si/',
      'https://meet.jit.si/static/close2.html',
      'https://meet.jit.si/static/',
      'https://meet.jit.si/http-bind',
      'https://meet.jit.si/config.js',
      'https://meet.jit.si/libs/app.bundle.min.js',
      'https://meet.jit.si/a/b/c',
      'https://meet.jit.si/%E0%A4%A',
    ],
    otherHosts: ['https://example.com/SomeRoom', 'https://meet.jit.si.evil.example/SomeRoom'],
    codeOnAnyHost: true,
    controls: '#new-toolbox .toolbox-content-items',
  },
  whereby: {
    meetings: [
      ['https://whereby.com/mentorship-standup', 'mentorship-standup'],
      ['https://whereby.com/mentorship-standup/', 'mentorship-standup'],
      ['https://acme.whereby.com/Weekly-1on1?roomKey=abc', 'weekly-1on1'],
    ],
    notMeetings: [
      'https://whereby.com/',
      'https://whereby.com/user',
      'https://whereby.com/information',
      'https://whereby.com/information/pricing',
      'https://whereby.com/org/acme/rooms',
    ],
    otherHosts: ['https://whereby.co/mentorship-standup', 'https://notwhereby.com/room', 'https://whereby.com.evil.example/room'],
    controls: 'nav[role="toolbar"][aria-label="Room controls"]',
  },
};

describe('registry', () => {
  it('has unique ids and a test case set for every adapter', () => {
    const ids = platforms.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) {
      expect(cases[id]?.meetings.length, id).toBeGreaterThan(0);
      expect(cases[id]?.notMeetings.length, id).toBeGreaterThan(0);
      expect(cases[id]?.otherHosts.length, id).toBeGreaterThan(0);
    }
  });

  it('has the three fixtures for every adapter, and no fixture without an adapter', () => {
    for (const { id } of platforms) {
      for (const screen of Object.keys(screens)) {
        expect(existsSync(join(fixtureDir, `${id}-${screen}.html`)), `${id}-${screen}.html`).toBe(true);
      }
    }
    const known = new Set(platforms.flatMap(({ id }) => Object.keys(screens).map((screen) => `${id}-${screen}.html`)));
    expect(readdirSync(fixtureDir).filter((file) => !known.has(file))).toEqual([]);
  });

  it('keeps every adapter’s selectors in one commented `selectors` object', () => {
    for (const { id } of platforms) {
      const source = readFileSync(join(adapterDir, `${id}.ts`), 'utf8');
      const blocks = source.match(/const selectors = \{\n([\s\S]*?)\n\} as const;/g) ?? [];
      expect(blocks, id).toHaveLength(1);
      const lines = (blocks[0] ?? '').split('\n').slice(1, -1);
      const keys = lines.filter((line) => /^\s+\w+:/.test(line));
      expect(keys.length, id).toBeGreaterThan(0);
      for (const key of keys) {
        const previous = lines[lines.indexOf(key) - 1] ?? '';
        expect(previous, `${id}: ${key.trim()} needs a comment`).toMatch(/^\s+(\/\*\*|\/\/)/);
      }
    }
  });

  it('exports every adapter’s match patterns for the content script', () => {
    for (const platform of platforms) {
      for (const pattern of platform.matches) expect(matchPatterns).toContain(pattern);
    }
    expect(new Set(matchPatterns).size).toBe(matchPatterns.length);
    for (const pattern of matchPatterns) expect(pattern).toMatch(/^https:\/\/(\*\.)?[a-z0-9.-]+\/\*$/);
  });

  it('finds the platform for each sample URL, landing pages included', () => {
    const samples: [string, PlatformId][] = [
      ['https://meet.google.com/', 'meet'],
      ['https://meet.google.com/abc-defg-hij?authuser=0', 'meet'],
      ['https://us05web.zoom.us/wc/join/83412345678', 'zoom'],
      ['https://zoom.us/j/83412345678', 'zoom'],
      ['https://teams.microsoft.com/v2/', 'teams'],
      ['https://teams.live.com/meet/9312345678901?p=x', 'teams'],
      ['https://teams.cloud.microsoft/v2/', 'teams'],
      ['https://meet.jit.si/MentorshipStandup', 'jitsi'],
      ['https://whereby.com/mentorship-standup', 'whereby'],
      ['https://acme.whereby.com/standup', 'whereby'],
    ];
    for (const [url, id] of samples) expect(findPlatform(new URL(url), [])?.id, url).toBe(id);
    for (const platform of platforms) {
      for (const [url] of cases[platform.id].meetings) {
        if (!platform.matches.some((pattern) => matchesPattern(new URL(url), pattern))) continue; // self-hosted samples
        expect(findPlatform(new URL(url), [])?.id, url).toBe(platform.id);
      }
    }
  });

  it('finds nothing on other sites and on plain http', () => {
    for (const url of ['https://example.com/', 'http://meet.google.com/abc-defg-hij', 'https://evilzoom.us/j/83412345678']) {
      expect(findPlatform(new URL(url), []), url).toBeUndefined();
    }
  });

  it('honours user-added Jitsi origins, exactly and without throwing on junk', () => {
    const url = new URL('https://jitsi.example.org/Weekly1on1');
    expect(findPlatform(url, [])).toBeUndefined();
    expect(findPlatform(url, ['https://jitsi.example.org'])?.id).toBe('jitsi');
    expect(findPlatform(url, ['https://jitsi.example.org/'])?.id).toBe('jitsi');
    expect(findPlatform(url, ['https://jitsi.example.org:8443', 'http://jitsi.example.org'])).toBeUndefined();
    expect(findPlatform(url, ['not a url', ''])).toBeUndefined();
    expect(findPlatform(new URL('https://jitsi.example.org:8443/Room'), ['https://jitsi.example.org:8443'])?.id).toBe('jitsi');
    // Known platforms keep their adapter even if a user adds their origin by mistake.
    expect(findPlatform(new URL('https://meet.google.com/abc-defg-hij'), ['https://meet.google.com'])?.id).toBe('meet');
  });

  it('turns a user-added origin into a match pattern', () => {
    expect(originMatchPattern('https://jitsi.example.org/some/path')).toBe('https://jitsi.example.org/*');
    expect(originMatchPattern('https://jitsi.example.org:8443')).toBe('https://jitsi.example.org:8443/*');
    expect(originMatchPattern('jitsi.example.org')).toBeUndefined();
  });

  it('matches patterns with Chrome semantics', () => {
    expect(matchesPattern(new URL('https://zoom.us/j/1'), 'https://*.zoom.us/*')).toBe(true);
    expect(matchesPattern(new URL('https://us05web.zoom.us/j/1'), 'https://*.zoom.us/*')).toBe(true);
    expect(matchesPattern(new URL('https://evilzoom.us/j/1'), 'https://*.zoom.us/*')).toBe(false);
    expect(matchesPattern(new URL('http://zoom.us/j/1'), 'https://*.zoom.us/*')).toBe(false);
    expect(matchesPattern(new URL('http://zoom.us/j/1'), '*://zoom.us/*')).toBe(true);
    expect(matchesPattern(new URL('https://zoom.us/j/1'), 'https://zoom.us/wc/*')).toBe(false);
    expect(matchesPattern(new URL('https://zoom.us/j/1'), 'not a pattern')).toBe(false);
  });
});

for (const adapter of platforms) {
  const platformCases = cases[adapter.id];

  describe(adapter.label, () => {
    it('reads the meeting code from meeting URLs', () => {
      for (const [url, code] of platformCases.meetings) expect(adapter.meetingCode(new URL(url)), url).toBe(code);
    });

    it('has no meeting code on its pages that are not meetings', () => {
      for (const url of platformCases.notMeetings) expect(adapter.meetingCode(new URL(url)), url).toBeUndefined();
    });

    it('is not picked for other hosts', () => {
      for (const url of platformCases.otherHosts) {
        expect(findPlatform(new URL(url), [])?.id, url).not.toBe(adapter.id);
        if (!platformCases.codeOnAnyHost) expect(adapter.meetingCode(new URL(url)), url).toBeUndefined();
      }
    });

    for (const [screen, state] of Object.entries(screens) as [Screen, CallState][]) {
      it(`reads '${state}' from the ${screen} fixture`, () => {
        expect(adapter.callState(fixture(adapter.id, screen))).toBe(state);
      });
    }

    it('reads no state from a page without call screens', () => {
      const blank = new DOMParser().parseFromString('<!doctype html><title>Loading</title><div id="root"></div>', 'text/html');
      expect(adapter.callState(blank)).toBeUndefined();
    });

    it('finds its control bar in the call fixture, and none after the call', () => {
      const call = fixture(adapter.id, 'call');
      const bar = call.querySelector(platformCases.controls);
      expect(bar).not.toBeNull();
      expect(adapter.controls(call)).toBe(bar);
      expect(adapter.controls(fixture(adapter.id, 'ended'))).toBeUndefined();
    });
  });
}

describe('Google Meet in another language', () => {
  it('still finds the call and its control bar by the leave button’s jsname', () => {
    const call = fixture('meet', 'call');
    call.querySelector('button[jsname="CQylAd"]')?.setAttribute('aria-label', 'Quitter l’appel');
    const bar = call.querySelector('[role="region"]');
    bar?.setAttribute('aria-label', 'Commandes de l’appel');
    call.querySelectorAll('[data-participant-id], [data-self-name]').forEach((tile) => tile.remove());
    expect(meet.callState(call)).toBe('in-call');
    expect(meet.controls(call)).toBe(bar);
  });
});

describe('watchCallState', () => {
  let controller: AbortController;
  let seen: CallState[];

  const show = (id: PlatformId, screen: Screen): void => {
    document.body.innerHTML = fixture(id, screen).body.innerHTML;
  };
  // Lets the MutationObserver deliver its records.
  const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));
  const watch = (): void => watchCallState(meet, window, { signal: controller.signal, onChange: (state) => seen.push(state) });

  beforeEach(() => {
    controller = new AbortController();
    seen = [];
    document.body.innerHTML = '';
  });

  afterEach(() => {
    controller.abort();
    vi.useRealTimers();
    document.body.innerHTML = '';
  });

  it('reports lobby, then in-call without a reload, then left', async () => {
    show('meet', 'lobby');
    watch();
    expect(seen).toEqual(['lobby']);
    show('meet', 'call');
    await settle();
    expect(seen).toEqual(['lobby', 'in-call']);
    show('meet', 'ended');
    await settle();
    expect(seen).toEqual(['lobby', 'in-call', 'left']);
  });

  it('reports only changes', async () => {
    show('meet', 'call');
    watch();
    for (let i = 0; i < 3; i++) {
      document.body.append(document.createElement('div'));
      await settle();
    }
    expect(seen).toEqual(['in-call']);
  });

  it('reports left when the call UI vanishes without an end screen', async () => {
    show('meet', 'call');
    watch();
    document.body.innerHTML = '<div role="main">Chat</div>';
    await settle();
    expect(seen).toEqual(['in-call', 'left']);
  });

  it('reports nothing on a page without call screens until one appears', async () => {
    document.body.innerHTML = '<div role="main">Premium video meetings.</div>';
    watch();
    await settle();
    expect(seen).toEqual([]);
    show('meet', 'lobby');
    await settle();
    expect(seen).toEqual(['lobby']);
  });

  it('reports left on pagehide', () => {
    show('meet', 'call');
    watch();
    window.dispatchEvent(new Event('pagehide'));
    expect(seen).toEqual(['in-call', 'left']);
  });

  it('reports nothing on pagehide when no call screen was ever seen', () => {
    watch();
    window.dispatchEvent(new Event('pagehide'));
    expect(seen).toEqual([]);
  });

  it('re-reads the state on popstate, hashchange and the backstop timer', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    show('meet', 'lobby');
    watch();
    const joinButton = document.querySelector('[jsname="Qx7uuf"]');
    // Attribute changes are not observed, so only the listeners and the timer can notice these.
    joinButton?.setAttribute('jsname', 'CQylAd');
    window.dispatchEvent(new PopStateEvent('popstate'));
    expect(seen).toEqual(['lobby', 'in-call']);
    joinButton?.setAttribute('jsname', 'Qx7uuf');
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    expect(seen).toEqual(['lobby', 'in-call', 'lobby']);
    joinButton?.setAttribute('jsname', 'CQylAd');
    vi.advanceTimersByTime(999);
    expect(seen).toHaveLength(3);
    vi.advanceTimersByTime(1);
    expect(seen).toEqual(['lobby', 'in-call', 'lobby', 'in-call']);
  });

  it('tears everything down once the signal aborts', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    // Counting reads, not just reports: a leaked observer, listener or timer would still read the DOM.
    const callState = vi.fn(meet.callState);
    show('meet', 'lobby');
    watchCallState({ ...meet, callState }, window, { signal: controller.signal, onChange: (state) => seen.push(state) });
    expect(vi.getTimerCount()).toBe(1);
    controller.abort();
    const reads = callState.mock.calls.length;
    expect(vi.getTimerCount()).toBe(0);
    show('meet', 'call');
    await settle();
    window.dispatchEvent(new Event('popstate'));
    window.dispatchEvent(new Event('hashchange'));
    window.dispatchEvent(new Event('pagehide'));
    vi.advanceTimersByTime(5000);
    expect(callState).toHaveBeenCalledTimes(reads);
    expect(seen).toEqual(['lobby']);
  });

  it('does nothing with an already aborted signal', async () => {
    controller.abort();
    show('meet', 'call');
    watch();
    window.dispatchEvent(new Event('pagehide'));
    await settle();
    expect(seen).toEqual([]);
  });
});
