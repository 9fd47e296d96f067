import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CallRequest } from '../../extension/lib/call-messages.ts';
import { startCallCompanion } from '../../extension/lib/call/companion.ts';

const fixtureDir = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/platforms');
const showFixture = (name: string) => {
  const doc = new DOMParser().parseFromString(readFileSync(join(fixtureDir, `${name}.html`), 'utf8'), 'text/html');
  document.body.replaceWith(document.importNode(doc.body, true));
};

/** A stand-in background that records what the content script sends. */
function fakeBackground() {
  const received: CallRequest[] = [];
  fakeBrowser.runtime.onMessage.addListener((message: unknown) => {
    const parsed = CallRequest.safeParse(message);
    if (!parsed.success) return undefined;
    received.push(parsed.data);
    return Promise.resolve(parsed.data.type === 'overlay.layout.get' ? { layout: null } : { ok: true });
  });
  return received;
}

describe('the call companion (content script)', () => {
  let abort = new AbortController();
  beforeEach(() => {
    abort = new AbortController();
  });
  afterEach(() => abort.abort());

  it('reports lobby → in call → left with the meeting code, shows the overlay, and obeys the keyboard commands', async () => {
    (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL('https://meet.google.com/abc-defg-hij?authuser=0');
    showFixture('meet-lobby');
    const received = fakeBackground();
    await startCallCompanion(window, abort.signal);
    const states = () => received.flatMap((m) => (m.type === 'call.state' ? [`${m.platform}:${m.code}:${m.state}`] : []));

    await vi.waitFor(() => expect(states()).toEqual(['meet:abc-defg-hij:lobby']));
    expect(document.querySelector('alongside-overlay')).not.toBeNull();

    showFixture('meet-call'); // Meet joins without a reload
    await vi.waitFor(() => expect(states()).toEqual(['meet:abc-defg-hij:lobby', 'meet:abc-defg-hij:in-call']));

    // Alt+Shift+A arrives from the background as a command: the overlay hides, and the choice is remembered.
    await fakeBrowser.runtime.onMessage.trigger({ type: 'overlay.toggle' }, {});
    await vi.waitFor(() =>
      expect(received.filter((m) => m.type === 'overlay.layout.set').at(-1)).toMatchObject({ layout: { hidden: true } }),
    );
    await fakeBrowser.runtime.onMessage.trigger({ type: 'overlay.focus-composer' }, {});
    await vi.waitFor(() =>
      expect(received.filter((m) => m.type === 'overlay.layout.set').at(-1)).toMatchObject({ layout: { hidden: false, collapsed: false } }),
    );

    showFixture('meet-ended');
    await vi.waitFor(() => expect(states().at(-1)).toBe('meet:abc-defg-hij:left'));
  });

  it('stays out of pages that are not a meeting', async () => {
    (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL('https://meet.google.com/');
    document.body.innerHTML = '<main>Video calls and meetings for everyone</main>';
    const received = fakeBackground();
    await startCallCompanion(window, abort.signal);
    expect(abort.signal.aborted).toBe(false);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(received.filter((m) => m.type === 'call.state')).toEqual([]);
    expect(document.querySelector('alongside-overlay')).toBeNull();
  });
});
