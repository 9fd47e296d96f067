/**
 * One page's connection to its pair's live room (issue 9; the room is worker/live/room.ts). It asks for a ticket
 * (through the background, which holds the token), opens the WebSocket, and reports:
 *  - `connected`: the page must catch up once (read since its cursor), then it may stop polling;
 *  - `change`: something of the pair changed in D1; read it;
 *  - state changes (live / reconnecting), so the page can poll while the socket is down and say so.
 * It reconnects with exponential backoff and sends a keep-alive ping that the room's runtime answers without waking
 * the object; a ping left unanswered counts as a dead socket (a laptop lid closed and reopened leaves one behind).
 * No DOM and no extension APIs but the messages (i18n.ts): the socket constructor and timers are passed in, so tests
 * drive it with fakes.
 */
import { LIVE_PING, LIVE_PONG, type LivePresence, LiveServerMessage, type LiveTopic } from '../../shared/schemas/index.ts';
import { t } from './i18n.ts';

export type LiveState =
  | { kind: 'connecting' }
  | { kind: 'live'; since: number }
  /** The socket failed or closed: the page polls, and the next attempt is at `retryAt` (epoch ms). */
  | { kind: 'reconnecting'; retryAt: number; attempts: number; reason: string };

export interface LiveEvents {
  onState(state: LiveState): void;
  onConnected(): void;
  onChange(topic: LiveTopic): void;
  onPresence(presence: LivePresence[]): void;
}

/** The subset of the WebSocket API used here (the browser's, or a fake in tests). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

export interface LiveDeps {
  /** A fresh ticketed URL (ws: or wss:) for the room; throws when the server cannot be asked. */
  ticketUrl(): Promise<string>;
  openSocket(url: string): SocketLike;
  now(): number;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
  random(): number;
}

export const PING_EVERY_MS = 25_000;
export const PONG_WITHIN_MS = 10_000;
const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 60_000;

/** 1 s, 2 s, 4 s … capped at a minute, with ±20 % jitter so a room's clients do not return in step after an outage. */
export function reconnectDelayMs(attempts: number, random: () => number): number {
  const base = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}

const OPEN = 1;

export class LiveConnection {
  private socket: SocketLike | null = null;
  private attempts = 0;
  private stopped = false;
  private retryTimer: unknown = null;
  private pingTimer: unknown = null;
  private pongTimer: unknown = null;
  private inCall = false;

  constructor(
    private readonly deps: LiveDeps,
    private readonly events: LiveEvents,
  ) {}

  start(): void {
    this.stopped = false;
    void this.connect();
  }

  /** Closes for good (the page unmounts or shows another pair). */
  stop(): void {
    this.stopped = true;
    this.clearTimers();
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.onclose = null;
      socket.onmessage = null;
      socket.onerror = null;
      try {
        // Close reasons are codes for the server (a WebSocket close frame's reason, RFC 6455 §7.1.6), never shown.
        socket.close(1000, 'page-closed');
      } catch {
        // Already closed.
      }
    }
  }

  /** Whether this page is on a call page; told to the room now and after every reconnect. */
  setInCall(inCall: boolean): void {
    this.inCall = inCall;
    this.sendPresence();
  }

  private sendPresence(): void {
    if (this.socket?.readyState === OPEN) this.socket.send(JSON.stringify({ type: 'presence', inCall: this.inCall }));
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    this.events.onState({ kind: 'connecting' });
    let url: string;
    try {
      url = await this.deps.ticketUrl();
    } catch (error) {
      this.retry(error instanceof Error ? error.message : t('liveConnection_noTicket'));
      return;
    }
    if (this.stopped) return;
    let socket: SocketLike;
    try {
      socket = this.deps.openSocket(url);
    } catch (error) {
      this.retry(error instanceof Error ? error.message : t('liveConnection_cannotOpen'));
      return;
    }
    this.socket = socket;
    let opened = false;
    socket.onopen = () => {
      opened = true;
      this.attempts = 0;
      this.events.onState({ kind: 'live', since: this.deps.now() });
      this.sendPresence();
      this.schedulePing();
      // After the state: the page stops polling, then reads once what it missed while not connected.
      this.events.onConnected();
    };
    socket.onmessage = (event) => this.receive(event.data);
    socket.onerror = () => undefined; // always followed by close, which decides
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.clearTimers();
      // 401 before the upgrade shows as a close without open: the ticket was refused (or the server is down).
      this.retry(opened ? t('liveConnection_closed', event.code) : t('liveConnection_cannotOpen'));
    };
  }

  private receive(data: unknown): void {
    if (data === LIVE_PONG) {
      this.deps.clearTimer(this.pongTimer);
      this.pongTimer = null;
      return;
    }
    if (typeof data !== 'string') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      return;
    }
    const message = LiveServerMessage.safeParse(parsed);
    if (!message.success) return; // from a newer server, perhaps: ignored, never trusted
    if (message.data.type === 'change') this.events.onChange(message.data.topic);
    else this.events.onPresence(message.data.presence);
  }

  private schedulePing(): void {
    this.deps.clearTimer(this.pingTimer);
    this.pingTimer = this.deps.setTimer(() => {
      const socket = this.socket;
      if (!socket || socket.readyState !== OPEN) return;
      socket.send(LIVE_PING);
      this.pongTimer = this.deps.setTimer(() => {
        // No answer: the socket is dead though it looks open. Drop it and reconnect.
        if (this.socket !== socket) return;
        this.socket = null;
        socket.onclose = null;
        try {
          socket.close(4000, 'no-pong');
        } catch {
          // Already closed.
        }
        this.clearTimers();
        this.retry(t('liveConnection_stoppedAnswering'));
      }, PONG_WITHIN_MS);
      this.schedulePing();
    }, PING_EVERY_MS);
  }

  private retry(reason: string): void {
    if (this.stopped) return;
    this.attempts++;
    const delay = reconnectDelayMs(this.attempts, this.deps.random);
    this.events.onState({ kind: 'reconnecting', retryAt: this.deps.now() + delay, attempts: this.attempts, reason });
    this.deps.clearTimer(this.retryTimer);
    this.retryTimer = this.deps.setTimer(() => void this.connect(), delay);
  }

  private clearTimers(): void {
    for (const handle of [this.retryTimer, this.pingTimer, this.pongTimer]) if (handle !== null) this.deps.clearTimer(handle);
    this.retryTimer = this.pingTimer = this.pongTimer = null;
  }
}
