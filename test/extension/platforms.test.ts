// The platform registry, the signal combination (detect), the call-state watcher and the redacted page signature.
// Each adapter against its fixtures: platform-table.test.ts.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { pageSignature, redactor } from '../../extension/lib/call/signature.ts';
import { findPlatform, matchesPattern, matchPatterns, originMatchPattern, platforms } from '../../extension/platforms/index.ts';
import { css, detect, pageView, text } from '../../extension/platforms/signals.ts';
import type { PageView, PlatformAdapter, PlatformId } from '../../extension/platforms/types.ts';
import { type CallObservation, watchCallState } from '../../extension/platforms/watch.ts';

// Plain paths, not URL objects: under happy-dom the global URL is the fake browser's, which node:fs rejects.
const here = dirname(fileURLToPath(import.meta.url));
const adapterDir = join(here, '../../extension/platforms');

/** A made-up platform: the watcher and detect are tested on it, independent of any real platform's page. */
const source = 'example/test-platform test/extension/platforms.test.ts';
const toy: PlatformAdapter = {
  id: 'meet',
  label: 'Toy',
  matches: ['https://toy.example/*'],
  meetingCode: (url) => /^\/room\/(\w+)$/.exec(url.pathname)?.[1],
  frames: 'iframe#client',
  signals: [
    css({ id: 'join-button', state: 'pre-join', strength: 'strong', source }, '#join'),
    text({ id: 'waiting-text', state: 'waiting', strength: 'strong', source }, 'p', /let you in/i),
    css({ id: 'leave-button', state: 'in-call', strength: 'weak', source }, '#leave'),
    css({ id: 'chat-button', state: 'in-call', strength: 'strong', source }, '#chat'),
    text({ id: 'left-heading', state: 'left', strength: 'strong', source }, 'h1', /you left/i),
    text({ id: 'removed-heading', state: 'ended', strength: 'strong', source }, 'h1, [role="dialog"]', /removed|ended by host/i),
  ],
  controls: () => undefined,
};

const screens = {
  preJoin: '<button id="join">Join</button>',
  waiting: '<p>Someone will let you in soon</p><button id="leave">Leave</button>',
  inCall: '<button id="chat">Chat</button><button id="leave">Leave</button>',
  left: '<h1>You left the meeting</h1>',
  endedOverCall: '<button id="chat">Chat</button><button id="leave">Leave</button><div role="dialog">This meeting has been ended by host</div>',
} as const;

const viewOf = (html: string, url = 'https://toy.example/room/abc'): PageView => ({
  docs: [new DOMParser().parseFromString(`<!doctype html><body>${html}</body>`, 'text/html')],
  urls: [new URL(url)],
});

describe('registry', () => {
  it('has unique ids', () => {
    const ids = platforms.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('keeps every adapter’s selectors in one commented `selectors` object, each with its source', () => {
    for (const { id } of platforms) {
      const source = readFileSync(join(adapterDir, `${id}.ts`), 'utf8');
      const blocks = source.match(/const selectors = \{\n([\s\S]*?)\n\} as const;/g) ?? [];
      expect(blocks, id).toHaveLength(1);
      const lines = (blocks[0] ?? '').split('\n').slice(1, -1);
      const keys = lines.filter((line) => /^\s+\w+:/.test(line));
      expect(keys.length, id).toBeGreaterThan(0);
      for (const key of keys) {
        const previous = lines[lines.indexOf(key) - 1] ?? '';
        expect(previous, `${id}: ${key.trim()} needs a comment`).toMatch(/^\s+(\/\*\*|\/\/|\*)/);
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

describe('detect', () => {
  it('decides by strong signals only, and reports every signal with its outcome', () => {
    expect(detect(toy, viewOf(screens.preJoin)).state).toBe('pre-join');
    const waiting = detect(toy, viewOf(screens.waiting));
    // The Leave button is on the page while waiting (as on Meet): weak, so it does not make this a call.
    expect(waiting.state).toBe('waiting');
    expect(waiting.signals.find((s) => s.id === 'leave-button')).toMatchObject({ matched: true, strength: 'weak' });
    expect(waiting.signals.find((s) => s.id === 'chat-button')).toMatchObject({ matched: false });
    expect(waiting.signals).toHaveLength(toy.signals.length);
    expect(detect(toy, viewOf(screens.inCall)).state).toBe('in-call');
    expect(detect(toy, viewOf(screens.left)).state).toBe('left');
  });

  it('lets an end screen win over the call UI it is drawn on', () => {
    expect(detect(toy, viewOf(screens.endedOverCall)).state).toBe('ended');
  });

  it('tells nothing from weak signals alone, but says call UI is there', () => {
    const onlyLeave = detect(toy, viewOf('<button id="leave">Leave</button>'));
    expect(onlyLeave.state).toBeUndefined();
    expect(onlyLeave.callUi).toBe(true);
    const nothing = detect(toy, viewOf('<main>Welcome</main>'));
    expect(nothing).toMatchObject({ state: undefined, callUi: false });
  });

  it('keeps going when a signal throws', () => {
    const broken: PlatformAdapter = {
      ...toy,
      signals: [{ id: 'boom', state: 'in-call', strength: 'strong', kind: 'structure', source, test: () => { throw new Error('detached'); } }, ...toy.signals],
    };
    expect(detect(broken, viewOf(screens.preJoin)).state).toBe('pre-join');
  });

  it('skips call frames that have not loaded yet (about:blank); loaded ones are read in the e2e Zoom test', () => {
    document.body.innerHTML = '<iframe id="client"></iframe>';
    expect(pageView(window, toy).docs).toHaveLength(1);
    document.body.innerHTML = '';
  });
});

describe('the redacted page signature', () => {
  it('keeps structure and labels, and leaves out text, typed values, names and the meeting code', () => {
    const view = viewOf(
      `<div id="stage" class="tile speaking" data-tid="roster"><span>Theo Mentee said hello</span>
       <button aria-label="Pin Theo Mentee" jsname="CQylAd">Pin</button>
       <input aria-label="Type a message" value="my secret note"><h1>Meeting abc-defg-hij</h1>
       <div data-testid="call-1234567"></div></div>`,
      'https://toy.example/room/abc-defg-hij?pwd=s3cret',
    );
    const signature = pageSignature(view, { redact: ['Theo Mentee', 'abc-defg-hij'] });
    expect(signature).toContain('div#stage.tile.speaking[data-tid="roster"]');
    expect(signature).toContain('button[aria-label="Pin ▒"][jsname="CQylAd"]');
    expect(signature).toContain('input[aria-label="Type a message"]');
    expect(signature).toContain('[data-testid="call-#######"]');
    for (const secret of ['Theo', 'Mentee', 'hello', 'my secret note', 'abc-defg-hij', 's3cret', 'pwd', '1234567']) expect(signature).not.toContain(secret);
  });

  it('summarises long runs of look-alike siblings', () => {
    const tiles = Array.from({ length: 40 }, () => '<div class="tile"></div>').join('');
    const signature = pageSignature(viewOf(`<section>${tiles}</section>`), { redact: [] });
    expect(signature.match(/div\.tile/g)).toHaveLength(3);
  });

  it('redacts first and last names on their own too', () => {
    expect(redactor(['Maya Mentor'])('Maya is presenting; Mentor muted')).toBe('▒ is presenting; ▒ muted');
  });
});

describe('watchCallState', () => {
  let controller: AbortController;
  let seen: CallObservation[];
  const states = () => seen.map((o) => `${o.state ?? 'unknown'}${o.cause ? `(${o.cause})` : ''}`);

  const show = (html: string): void => {
    document.body.innerHTML = html;
  };
  const setUrl = (url: string) => (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(url);
  // Lets the MutationObserver deliver its records.
  const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));
  const watch = (adapter: PlatformAdapter = toy): void => watchCallState(adapter, window, { signal: controller.signal, onChange: (o) => seen.push(o) });

  beforeEach(() => {
    controller = new AbortController();
    seen = [];
    setUrl('https://toy.example/room/abc');
    document.body.innerHTML = '';
  });

  afterEach(() => {
    controller.abort();
    vi.useRealTimers();
    document.body.innerHTML = '';
  });

  it('reports pre-join, waiting, in-call and left without a reload, with the meeting code', async () => {
    show(screens.preJoin);
    watch();
    show(screens.waiting);
    await settle();
    show(screens.inCall);
    await settle();
    show(screens.left);
    await settle();
    expect(states()).toEqual(['pre-join', 'waiting', 'in-call', 'left']);
    expect(seen.every((o) => o.code === 'abc')).toBe(true);
    expect(seen[2]?.detection.signals.find((s) => s.id === 'chat-button')?.matched).toBe(true);
  });

  it('reports only changes', async () => {
    show(screens.inCall);
    watch();
    for (let i = 0; i < 3; i++) {
      document.body.append(document.createElement('div'));
      await settle();
    }
    expect(states()).toEqual(['in-call']);
  });

  it('reports an unknown state once on a meeting page it cannot read, so the companion can offer a launcher', async () => {
    show('<main>New look, who dis</main>');
    watch();
    document.body.append(document.createElement('div'));
    await settle();
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ state: undefined, code: 'abc' });
  });

  it('reports left when every sign of the call vanishes without an end screen', async () => {
    show(screens.inCall);
    watch();
    show('<div role="main">Chat</div>');
    await settle();
    expect(states()).toEqual(['in-call', 'left(ui-gone)']);
  });

  it('keeps the call while weak signals remain (toolbar half re-rendered)', async () => {
    show(screens.inCall);
    watch();
    show('<button id="leave">Leave</button>');
    await settle();
    expect(states()).toEqual(['in-call']);
  });

  it('reports left when the page navigates away from the meeting (meet.jit.si goes to "/")', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    show(screens.inCall);
    watch();
    setUrl('https://toy.example/');
    show('<main>Welcome</main>');
    vi.advanceTimersByTime(1000);
    // …then the welcome page: no meeting code and no state, which the companion ignores.
    expect(states()).toEqual(['in-call', 'left(page-closed)', 'unknown']);
    expect(seen.map((o) => o.code)).toEqual(['abc', 'abc', undefined]);
  });

  it('reports left on pagehide, also while still waiting to be admitted', () => {
    show(screens.waiting);
    watch();
    window.dispatchEvent(new Event('pagehide'));
    expect(states()).toEqual(['waiting', 'left(page-closed)']);
  });

  it('reports nothing on pagehide when no call screen was ever seen', () => {
    setUrl('https://toy.example/');
    watch();
    window.dispatchEvent(new Event('pagehide'));
    expect(states()).toEqual(['unknown']);
  });

  it('re-reads the state on popstate, hashchange and the backstop timer', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    show(screens.preJoin);
    watch();
    const button = document.querySelector('#join');
    // Attribute changes are not observed, so only the listeners and the timer can notice these.
    button?.setAttribute('id', 'chat');
    window.dispatchEvent(new PopStateEvent('popstate'));
    expect(states()).toEqual(['pre-join', 'in-call']);
    button?.setAttribute('id', 'join');
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    expect(states()).toEqual(['pre-join', 'in-call', 'pre-join']);
    button?.setAttribute('id', 'chat');
    vi.advanceTimersByTime(999);
    expect(seen).toHaveLength(3);
    vi.advanceTimersByTime(1);
    expect(states()).toEqual(['pre-join', 'in-call', 'pre-join', 'in-call']);
  });

  it('tears everything down once the signal aborts', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    // Counting reads, not just reports: a leaked observer, listener or timer would still read the DOM.
    const probe = vi.fn(() => false);
    const counted: PlatformAdapter = { ...toy, signals: [...toy.signals, { id: 'probe', state: 'in-call', strength: 'weak', kind: 'structure', source, test: probe }] };
    show(screens.preJoin);
    watch(counted);
    expect(vi.getTimerCount()).toBe(1);
    controller.abort();
    const reads = probe.mock.calls.length;
    expect(vi.getTimerCount()).toBe(0);
    show(screens.inCall);
    await settle();
    window.dispatchEvent(new Event('popstate'));
    window.dispatchEvent(new Event('hashchange'));
    window.dispatchEvent(new Event('pagehide'));
    vi.advanceTimersByTime(5000);
    expect(probe).toHaveBeenCalledTimes(reads);
    expect(states()).toEqual(['pre-join']);
  });

  it('does nothing with an already aborted signal', async () => {
    controller.abort();
    show(screens.inCall);
    watch();
    window.dispatchEvent(new Event('pagehide'));
    await settle();
    expect(seen).toEqual([]);
  });
});
