import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CallRequest, DiagnosticsReport } from '../../extension/lib/call-messages.ts';
import { startCallCompanion } from '../../extension/lib/call/companion.ts';
import { callStrings } from '../../extension/lib/call/strings.ts';

const fixtureDir = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/platforms');
const showFixture = (name: string) => {
  const doc = new DOMParser().parseFromString(readFileSync(join(fixtureDir, `${name}.html`), 'utf8'), 'text/html');
  document.body.replaceWith(document.importNode(doc.body, true));
};
const setUrl = (url: string) => (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(url);
const fast = { launcherMs: 30, degradedMs: 60 };

/** A stand-in background that records what the content script sends; `attached` answers call.attached. */
function fakeBackground(attached = { attached: false, jitsi: false }) {
  const received: CallRequest[] = [];
  fakeBrowser.runtime.onMessage.addListener((message: unknown) => {
    const parsed = CallRequest.safeParse(message);
    if (!parsed.success) return undefined;
    received.push(parsed.data);
    if (parsed.data.type === 'overlay.layout.get') return Promise.resolve({ layout: null });
    if (parsed.data.type === 'call.attached') return Promise.resolve(attached);
    if (parsed.data.type === 'call.strings') return Promise.resolve(callStrings());
    return Promise.resolve({ ok: true });
  });
  return received;
}

/** A background → content script message with a sendResponse callback (the fake browser's typing leaves it out). */
const trigger = fakeBrowser.runtime.onMessage.trigger as unknown as (message: unknown, sender: object, sendResponse: (response: unknown) => void) => Promise<unknown>;

const overlay = () => document.querySelector('alongside-overlay');
const launcher = () => document.querySelector('alongside-launcher');

describe('the call companion (content script)', () => {
  let abort = new AbortController();
  beforeEach(() => {
    abort = new AbortController();
    fakeBrowser.reset();
  });
  afterEach(() => {
    abort.abort();
    document.body.innerHTML = '';
  });

  it('reports pre-join → waiting → in call → left with the meeting code, shows the overlay, and obeys the keyboard commands', async () => {
    setUrl('https://meet.google.com/abc-defg-hij?authuser=0');
    showFixture('meet/pre-join');
    const received = fakeBackground();
    await startCallCompanion(window, abort.signal, fast);
    const states = () => received.flatMap((m) => (m.type === 'call.state' ? [`${m.platform}:${m.code}:${m.state}`] : []));

    await vi.waitFor(() => expect(states()).toEqual(['meet:abc-defg-hij:pre-join']));
    expect(overlay()).not.toBeNull();
    // The frame's words come from the background, not from the page's own i18n (lib/call/strings.ts).
    expect(received.filter((m) => m.type === 'call.strings')).toHaveLength(1);

    showFixture('meet/waiting'); // asked to join: the Leave button is already there, and it is not a call yet
    await vi.waitFor(() => expect(states().at(-1)).toBe('meet:abc-defg-hij:waiting'));
    showFixture('meet/in-call'); // Meet joins without a reload
    await vi.waitFor(() => expect(states().at(-1)).toBe('meet:abc-defg-hij:in-call'));

    // Alt+Shift+A arrives from the background as a command: the overlay hides, and the choice is remembered.
    await fakeBrowser.runtime.onMessage.trigger({ type: 'overlay.toggle' }, {});
    await vi.waitFor(() => expect(received.filter((m) => m.type === 'overlay.layout.set').at(-1)).toMatchObject({ layout: { hidden: true } }));
    await fakeBrowser.runtime.onMessage.trigger({ type: 'overlay.focus-composer' }, {});
    await vi.waitFor(() =>
      expect(received.filter((m) => m.type === 'overlay.layout.set').at(-1)).toMatchObject({ layout: { hidden: false, collapsed: false } }),
    );

    showFixture('meet/ended.removed');
    await vi.waitFor(() => expect(states().at(-1)).toBe('meet:abc-defg-hij:ended'));
    expect(states()).toEqual(['meet:abc-defg-hij:pre-join', 'meet:abc-defg-hij:waiting', 'meet:abc-defg-hij:in-call', 'meet:abc-defg-hij:ended']);
  });

  it('stays out of pages that are not a meeting', async () => {
    setUrl('https://meet.google.com/');
    document.body.innerHTML = '<main>Video calls and meetings for everyone</main>';
    const received = fakeBackground();
    await startCallCompanion(window, abort.signal, fast);
    await new Promise((r) => setTimeout(r, 200));
    expect(received.filter((m) => m.type === 'call.state' || m.type === 'detection.degraded')).toEqual([]);
    expect(overlay()).toBeNull();
    expect(launcher()).toBeNull();
  });

  it('offers a launcher on a meeting page it cannot read, notes degraded detection, and attaches by hand when clicked', async () => {
    setUrl('https://meet.google.com/abc-defg-hij');
    document.body.innerHTML = '<div class="all-new-design"><button>Hang up</button></div>';
    const received = fakeBackground();
    await startCallCompanion(window, abort.signal, fast);
    expect(launcher()).toBeNull(); // not at once: the page may still be building
    await vi.waitFor(() => expect(launcher()).not.toBeNull());
    expect(overlay()).toBeNull();
    await vi.waitFor(() => expect(received).toContainEqual({ type: 'detection.degraded', platform: 'meet' }));
    expect(received.some((m) => m.type === 'call.state')).toBe(false); // nothing is logged from a page it cannot read

    const button = launcher()?.shadowRoot; // closed: the page cannot reach it, and neither can this test
    expect(button).toBeNull();
    await trigger({ type: 'overlay.show' }, {}, () => undefined);
    await vi.waitFor(() => expect(overlay()).not.toBeNull());
    expect(launcher()).toBeNull();
    expect(received).toContainEqual({ type: 'call.attach', platform: 'meet', code: 'abc-defg-hij' });
  });

  it('on a page no adapter knows, runs only when the user attached it, with the page as the meeting', async () => {
    setUrl('https://video.example.org/rooms/weekly/?token=secret');
    document.body.innerHTML = '<main><video></video></main>';
    const notAttached = fakeBackground();
    await startCallCompanion(window, abort.signal, fast);
    expect(overlay()).toBeNull();
    expect(notAttached.map((m) => m.type)).toEqual(['call.attached']);

    fakeBrowser.reset();
    const received = fakeBackground({ attached: true, jitsi: false });
    await startCallCompanion(window, abort.signal, fast);
    expect(overlay()).not.toBeNull();
    expect(received).toContainEqual({ type: 'call.attach', platform: 'other', code: 'video.example.org/rooms/weekly' });
    window.dispatchEvent(new Event('pagehide'));
    await vi.waitFor(() =>
      expect(received).toContainEqual({ type: 'call.state', platform: 'other', code: 'video.example.org/rooms/weekly', state: 'left', cause: 'page-closed' }),
    );
  });

  it('answers "Check this call page" with what it sees, without names, typed text or the meeting code', async () => {
    setUrl('https://meet.google.com/abc-defg-hij');
    showFixture('meet/in-call');
    document.body.insertAdjacentHTML('beforeend', '<div aria-label="Theo Mentee is presenting"><textarea>private words</textarea></div>');
    fakeBackground();
    await startCallCompanion(window, abort.signal, fast);
    let answer: unknown;
    await trigger({ type: 'diagnostics.collect', redact: ['Theo Mentee'] }, {}, (response: unknown) => {
      answer = response;
    });
    const report = DiagnosticsReport.parse(answer);
    expect(report).toMatchObject({ platform: 'meet', label: 'Google Meet', state: 'in-call', hasCode: true, frames: 0 });
    expect(report.page).toBe('https://meet.google.com/▒');
    expect(report.signals.some((s) => s.matched && s.state === 'in-call' && s.strength === 'strong')).toBe(true);
    for (const secret of ['abc-defg-hij', 'Theo', 'private words']) expect(JSON.stringify(report)).not.toContain(secret);
    expect(report.signature).toContain('aria-label="▒ is presenting"');
  });
});
