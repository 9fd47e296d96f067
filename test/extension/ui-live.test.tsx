/** @jsxImportSource preact */
// The overlay with the live room: while the socket is up, nothing polls; a pushed change is read at once; presence
// is shown; when the socket drops, polling resumes and the status says so.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ask } from '../../extension/lib/app-client.ts';
import type { CallInfo } from '../../extension/lib/app-messages.ts';
import { OverlayApp, type OverlayTimings } from '../../extension/ui/overlay/OverlayApp.tsx';
import { $, answer, type Background, calls, context, ids, onlineStatus, render, settle, signedIn, text, unmountAll, waitFor } from './ui-support.ts';

vi.mock('../../extension/lib/app-client.ts', () => ({ ask: vi.fn() }));
vi.mock('../../extension/ui/browser-actions.ts', () => ({ openOptionsPage: vi.fn(), requestHostAccess: vi.fn(async () => true) }));

/** Fast polls: if anything polled while live, the test would see it. */
const fast: Partial<OverlayTimings> = { entriesMs: 40, entriesCollapsedMs: 40, callMs: 60_000, contextMs: 40, authMs: 60_000 };

/** Stands in for the browser's WebSocket: the test opens, feeds and drops it. */
class FakeWebSocket {
  static all: FakeWebSocket[] = [];
  readyState = 0;
  sent: string[] = [];
  onopen: ((e: unknown) => void) | null = null;
  onmessage: ((e: { data: unknown }) => void) | null = null;
  onclose: ((e: { code: number; reason: string }) => void) | null = null;
  onerror: ((e: unknown) => void) | null = null;
  constructor(readonly url: string) {
    FakeWebSocket.all.push(this);
  }
  send(data: string) {
    this.sent.push(data);
  }
  close() {
    this.readyState = 3;
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  push(message: unknown) {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
  drop() {
    this.readyState = 3;
    this.onclose?.({ code: 1006, reason: '' });
  }
}

const callInfo: CallInfo = {
  platform: 'meet',
  code: 'abc-defg-hij',
  mode: 'auto',
  state: 'in-call',
  pairId: ids.pair,
  choices: [],
  meetingId: ids.meeting,
  joinedAt: new Date(Date.now() - 60_000).toISOString(),
  leftAt: null,
};

const background: Background = {
  'auth.status': signedIn,
  'call.info': callInfo,
  'context.get': { context: context(), fromCache: false, error: null, locked: [], lockedReason: null },
  'entries.sync': { entries: [], status: onlineStatus },
  'feedback.pending': { meetings: [] },
  'live.ticket': { url: 'ws://127.0.0.1:8787/api/v1/pairs/p/live?ticket=abc' },
  'e2ee.status': { state: 'ready', approvalCode: null, hasRecoveryBackup: true, devices: [], approvals: [], pairs: [] },
};

beforeEach(() => {
  FakeWebSocket.all = [];
  vi.stubGlobal('WebSocket', FakeWebSocket);
  vi.mocked(ask).mockReset();
  answer(ask, background);
});
afterEach(() => {
  unmountAll();
  vi.unstubAllGlobals();
});

const socket = () => {
  const s = FakeWebSocket.all.at(-1);
  if (!s) throw new Error('no socket opened');
  return s;
};
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('overlay with the live room', () => {
  it('stops polling while live, reads a pushed change at once, and shows the partner on the call', async () => {
    const root = await render(<OverlayApp search="?platform=meet" timings={fast} />);
    await waitFor(() => expect(FakeWebSocket.all).toHaveLength(1));
    expect(socket().url).toContain('ticket=abc');
    socket().open();
    await settle();
    expect(socket().sent).toContain(JSON.stringify({ type: 'presence', inCall: true }));
    await waitFor(() => expect($(root, '.live-line').getAttribute('data-live')).toBe('live'));
    await pause(50); // any poll already in flight lands
    const entriesBefore = calls(ask, 'entries.sync').length;
    const contextBefore = calls(ask, 'context.get').length;
    await pause(300); // 7 poll intervals
    expect(calls(ask, 'entries.sync').length).toBe(entriesBefore);
    expect(calls(ask, 'context.get').length).toBe(contextBefore);

    socket().push({ type: 'change', topic: 'entries' });
    await waitFor(() => expect(calls(ask, 'entries.sync').length).toBe(entriesBefore + 1));
    socket().push({ type: 'change', topic: 'goals' });
    await waitFor(() => expect(calls(ask, 'context.get').length).toBe(contextBefore + 1));

    socket().push({ type: 'presence', presence: [{ userId: ids.mentee, connections: 1, inCall: true }] });
    await waitFor(() => expect(text(root)).toMatch(/has the call open/));
  });

  it('polls again as soon as the socket drops, and says live updates are unavailable', async () => {
    const root = await render(<OverlayApp search="?platform=meet" timings={fast} />);
    await waitFor(() => expect(FakeWebSocket.all).toHaveLength(1));
    socket().open();
    await waitFor(() => expect($(root, '.live-line').getAttribute('data-live')).toBe('live'));
    await pause(50);
    const before = calls(ask, 'entries.sync').length;
    socket().drop();
    await waitFor(() => expect($(root, '.live-line').getAttribute('data-live')).toBe('reconnecting'));
    expect(text($(root, '.live-line'))).toMatch(/Live updates unavailable — checking every/);
    await pause(200);
    expect(calls(ask, 'entries.sync').length).toBeGreaterThan(before + 2);
  });
});
