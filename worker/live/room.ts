/**
 * A pair's live room: one Durable Object per pair (named by the pair id) holding the WebSockets of the pair's open
 * overlays and side panels. It relays change hints from the worker and the members' presence. It keeps no records
 * and reads no D1: the only thing it stores is the SHA-256 of each outstanding connection ticket, for a minute.
 *
 * Hibernation API throughout (https://developers.cloudflare.com/durable-objects/api/websockets/): sockets are
 * accepted with `ctx.acceptWebSocket`, who owns each one lives in its attachment, and keep-alive pings are answered
 * by the runtime (`setWebSocketAutoResponse`) without waking the object. No alarms and no timers, so an idle room
 * is evicted from memory while its sockets stay open.
 */
import { DurableObject } from 'cloudflare:workers';
import {
  LIVE_PING,
  LIVE_PONG,
  LIVE_TICKET_TTL_MS,
  LiveClientMessage,
  type LiveChange,
  type LivePresence,
  type LiveServerMessage,
  LiveTicket,
} from '../../shared/schemas/index.ts';
import type { Env } from '../env.ts';
import { randomSecret, sha256Hex } from '../lib/crypto.ts';

/** What each socket carries through hibernation (serializeAttachment keeps it in memory, not on disk). */
interface Attachment {
  userId: string;
  inCall: boolean;
}

interface StoredTicket {
  userId: string;
  expiresAt: number;
}

const TICKET_PREFIX = 'ticket:';

/** The 401 the worker's error envelope would give: the room answers before any upgrade. */
function refuse(message: string): Response {
  return Response.json({ error: { code: 'unauthenticated', message } }, { status: 401, headers: { 'cache-control': 'no-store' } });
}

export class PairRoom extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(LIVE_PING, LIVE_PONG));
  }

  /**
   * A single-use ticket for `userId` (the worker has checked they are a member of this pair). Only its hash is kept;
   * expired ones are dropped here, so nothing needs a timer.
   */
  async issueTicket(userId: string, now = Date.now()): Promise<{ ticket: string; expiresAt: number }> {
    const stored = await this.ctx.storage.list<StoredTicket>({ prefix: TICKET_PREFIX });
    const expired = [...stored].filter(([, t]) => t.expiresAt <= now).map(([key]) => key);
    if (expired.length) await this.ctx.storage.delete(expired);
    const ticket = randomSecret();
    const expiresAt = now + LIVE_TICKET_TTL_MS;
    await this.ctx.storage.put<StoredTicket>(TICKET_PREFIX + (await sha256Hex(ticket)), { userId, expiresAt });
    return { ticket, expiresAt };
  }

  /** The WebSocket upgrade, forwarded by the worker: a valid, unexpired, unused ticket or a 401, before any upgrade. */
  override async fetch(request: Request): Promise<Response> {
    const ticket = LiveTicket.safeParse(new URL(request.url).searchParams.get('ticket'));
    if (!ticket.success) return refuse('A live connection needs a ticket from POST /api/v1/pairs/:id/live/ticket');
    const key = TICKET_PREFIX + (await sha256Hex(ticket.data));
    const stored = await this.ctx.storage.get<StoredTicket>(key);
    if (stored) await this.ctx.storage.delete(key); // single use, whatever happens next
    if (!stored || stored.expiresAt <= Date.now()) return refuse('This live ticket is unknown, used or expired; ask for a new one');

    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server, [stored.userId]);
    server.serializeAttachment({ userId: stored.userId, inCall: false } satisfies Attachment);
    this.send(server, { type: 'hello', presence: this.presence() });
    this.broadcast({ type: 'presence', presence: this.presence() }, server);
    return new Response(null, { status: 101, webSocket: client });
  }

  /** Called by the worker once a write is in D1: tells the members' sockets (or only `onlyFor`'s). Returns how many. */
  async notify(change: LiveChange): Promise<number> {
    const sockets = change.onlyFor ? this.ctx.getWebSockets(change.onlyFor) : this.ctx.getWebSockets();
    for (const ws of sockets) this.send(ws, { type: 'change', topic: change.topic });
    return sockets.length;
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    if (typeof message !== 'string') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(message);
    } catch {
      return; // not ours to answer: the socket stays, the message is ignored
    }
    const presence = LiveClientMessage.safeParse(parsed);
    if (!presence.success) return;
    const attachment = this.attachmentOf(ws);
    if (!attachment || attachment.inCall === presence.data.inCall) return;
    ws.serializeAttachment({ ...attachment, inCall: presence.data.inCall } satisfies Attachment);
    this.broadcast({ type: 'presence', presence: this.presence() });
  }

  override async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    // 1005/1006 carry no code to echo; close() accepts 1000 and 3000–4999 (https://developer.mozilla.org/en-US/docs/Web/API/WebSocket/close).
    try {
      ws.close(code === 1005 || code === 1006 ? 1000 : code, 'closing');
    } catch {
      // Already closed.
    }
    this.broadcast({ type: 'presence', presence: this.presence(ws) }, ws);
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    this.broadcast({ type: 'presence', presence: this.presence(ws) }, ws);
  }

  /** Members with at least one open socket (leaving out `closing`, which may still be listed while it closes). */
  private presence(closing?: WebSocket): LivePresence[] {
    const byUser = new Map<string, LivePresence>();
    for (const ws of this.ctx.getWebSockets()) {
      if (ws === closing || ws.readyState !== WebSocket.OPEN) continue;
      const attachment = this.attachmentOf(ws);
      if (!attachment) continue;
      const known = byUser.get(attachment.userId) ?? { userId: attachment.userId, connections: 0, inCall: false };
      byUser.set(attachment.userId, { ...known, connections: known.connections + 1, inCall: known.inCall || attachment.inCall });
    }
    return [...byUser.values()];
  }

  private attachmentOf(ws: WebSocket): Attachment | null {
    const value: unknown = ws.deserializeAttachment();
    if (typeof value !== 'object' || value === null) return null;
    const { userId, inCall } = value as Record<string, unknown>;
    return typeof userId === 'string' && typeof inCall === 'boolean' ? { userId, inCall } : null;
  }

  private broadcast(message: LiveServerMessage, except?: WebSocket): void {
    for (const ws of this.ctx.getWebSockets()) if (ws !== except) this.send(ws, message);
  }

  private send(ws: WebSocket, message: LiveServerMessage): void {
    try {
      ws.send(JSON.stringify(message));
    } catch {
      // A socket that is closing cannot be sent to; its close handler updates presence.
    }
  }
}
