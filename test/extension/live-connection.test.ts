// The page's live-room connection with a fake socket and a fake clock: connect, catch up, follow hints, ping, and
// reconnect with backoff after every kind of failure.
import { describe, expect, it } from 'vitest';
import { LiveConnection, type LiveState, PING_EVERY_MS, PONG_WITHIN_MS, type SocketLike, reconnectDelayMs } from '../../extension/lib/live-connection.ts';

class FakeSocket implements SocketLike {
  readyState = 0;
  sent: string[] = [];
  closed: { code?: number; reason?: string } | null = null;
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  constructor(readonly url: string) {}
  send(data: string) {
    this.sent.push(data);
  }
  close(code?: number, reason?: string) {
    this.closed = { code, reason };
    this.readyState = 3;
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  receive(data: unknown) {
    this.onmessage?.({ data: typeof data === 'string' ? data : JSON.stringify(data) });
  }
  drop(code = 1006) {
    this.readyState = 3;
    this.onclose?.({ code, reason: '' });
  }
}

/** A clock whose timers run only when the test advances it. */
function fakeClock() {
  let now = 1_000_000;
  let next = 1;
  const timers = new Map<number, { at: number; fn: () => void }>();
  return {
    now: () => now,
    setTimer: (fn: () => void, ms: number) => {
      const id = next++;
      timers.set(id, { at: now + ms, fn });
      return id;
    },
    clearTimer: (id: unknown) => void timers.delete(id as number),
    pending: () => timers.size,
    async advance(ms: number) {
      const until = now + ms;
      for (;;) {
        const due = [...timers.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].fn();
        await flush();
      }
      now = until;
    },
  };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

function setup(opts: { ticket?: () => Promise<string> } = {}) {
  const clock = fakeClock();
  const sockets: FakeSocket[] = [];
  const states: LiveState[] = [];
  const log: string[] = [];
  let tickets = 0;
  const connection = new LiveConnection(
    {
      ticketUrl: opts.ticket ?? (async () => `ws://server/api/v1/pairs/p/live?ticket=t${++tickets}`),
      openSocket: (url) => {
        const socket = new FakeSocket(url);
        sockets.push(socket);
        return socket;
      },
      now: clock.now,
      setTimer: clock.setTimer,
      clearTimer: clock.clearTimer,
      random: () => 0.5, // no jitter: exact delays
    },
    {
      onState: (s) => states.push(s),
      onConnected: () => log.push('connected'),
      onChange: (topic) => log.push(`change:${topic}`),
      onPresence: (p) => log.push(`presence:${p.length}`),
    },
  );
  const last = () => sockets[sockets.length - 1] as FakeSocket;
  return { clock, sockets, states, log, connection, last };
}

describe('live connection', () => {
  it('opens with a fresh ticket, reports live, catches up once, and follows change hints', async () => {
    const t = setup();
    t.connection.setInCall(true);
    t.connection.start();
    await flush();
    expect(t.last().url).toBe('ws://server/api/v1/pairs/p/live?ticket=t1');
    expect(t.states.at(-1)?.kind).toBe('connecting');
    t.last().open();
    expect(t.states.at(-1)?.kind).toBe('live');
    expect(t.log).toEqual(['connected']);
    expect(t.last().sent).toEqual([JSON.stringify({ type: 'presence', inCall: true })]);
    t.last().receive({ type: 'hello', presence: [] });
    t.last().receive({ type: 'change', topic: 'entries' });
    t.last().receive({ type: 'change', topic: 'goals' });
    expect(t.log).toEqual(['connected', 'presence:0', 'change:entries', 'change:goals']);
  });

  it('ignores what it cannot read instead of trusting it', async () => {
    const t = setup();
    t.connection.start();
    await flush();
    t.last().open();
    t.last().receive('not json');
    t.last().receive({ type: 'change', topic: 'secrets' });
    t.last().receive({ type: 'something-new' });
    expect(t.log).toEqual(['connected']);
  });

  it('reconnects with a new ticket after the socket drops, backing off 1 s, 2 s, 4 s…, and catches up again', async () => {
    const t = setup();
    t.connection.start();
    await flush();
    t.last().open();
    t.last().drop();
    const retry = t.states.at(-1);
    expect(retry).toMatchObject({ kind: 'reconnecting', attempts: 1, retryAt: t.clock.now() + 1_000 });
    // Refused before the upgrade (a 401 shows as a close without open): the delay doubles.
    await t.clock.advance(1_000);
    expect(t.sockets).toHaveLength(2);
    t.last().drop();
    expect(t.states.at(-1)).toMatchObject({ kind: 'reconnecting', attempts: 2, retryAt: t.clock.now() + 2_000 });
    await t.clock.advance(1_999);
    expect(t.sockets).toHaveLength(2);
    await t.clock.advance(1);
    expect(t.sockets).toHaveLength(3);
    expect(t.last().url).toContain('ticket=t3'); // tickets are single use: a new one every time
    t.last().open();
    expect(t.states.at(-1)?.kind).toBe('live');
    expect(t.log.filter((l) => l === 'connected')).toHaveLength(2);
    // After a success the backoff starts again from 1 s.
    t.last().drop();
    expect(t.states.at(-1)).toMatchObject({ kind: 'reconnecting', attempts: 1 });
  });

  it('retries when no ticket can be had (server down), with the reason', async () => {
    let fail = true;
    const t = setup({
      ticket: async () => {
        if (fail) throw new Error('Cannot reach the Alongside server');
        return 'ws://server/live?ticket=ok';
      },
    });
    t.connection.start();
    await flush();
    expect(t.states.at(-1)).toMatchObject({ kind: 'reconnecting', reason: 'Cannot reach the Alongside server' });
    fail = false;
    await t.clock.advance(1_000);
    expect(t.sockets).toHaveLength(1);
  });

  it('pings every 25 s and treats a missing pong as a dead socket', async () => {
    const t = setup();
    t.connection.start();
    await flush();
    const first = t.last();
    first.open();
    await t.clock.advance(PING_EVERY_MS);
    expect(first.sent.at(-1)).toBe('ping');
    first.receive('pong');
    await t.clock.advance(PONG_WITHIN_MS);
    expect(t.states.at(-1)?.kind).toBe('live');
    await t.clock.advance(PING_EVERY_MS - PONG_WITHIN_MS);
    expect(first.sent.filter((s) => s === 'ping')).toHaveLength(2);
    await t.clock.advance(PONG_WITHIN_MS); // no pong this time
    expect(first.closed?.code).toBe(4000);
    expect(t.states.at(-1)).toMatchObject({ kind: 'reconnecting', reason: 'The live connection stopped answering' });
  });

  it('stops for good: closes the socket, and no timer is left to reconnect', async () => {
    const t = setup();
    t.connection.start();
    await flush();
    t.last().open();
    t.connection.stop();
    expect(t.last().closed?.code).toBe(1000);
    expect(t.clock.pending()).toBe(0);
    await t.clock.advance(120_000);
    expect(t.sockets).toHaveLength(1);
  });

  it('caps the backoff at a minute, with jitter of at most 20 %', () => {
    expect(reconnectDelayMs(1, () => 0.5)).toBe(1_000);
    expect(reconnectDelayMs(7, () => 0.5)).toBe(60_000);
    expect(reconnectDelayMs(30, () => 0.5)).toBe(60_000);
    expect(reconnectDelayMs(3, () => 0)).toBe(3_200);
    expect(reconnectDelayMs(3, () => 1)).toBe(4_800);
  });
});
