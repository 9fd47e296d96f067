/**
 * The live pair room (issue 9): a WebSocket per open overlay or side panel, relayed by the pair's Durable Object.
 * The room carries hints, never records: "entries changed", "goals changed"… The client then reads the change from
 * the API since its own cursor, so D1 stays the one system of record, a missed hint is healed by the catch-up on
 * reconnect, and no note text passes through the room.
 */
import { z } from 'zod';
import { Id, IsoDateTime } from './common.ts';

/**
 * What changed. `pair` covers the pair itself (status, cadence, links); `keys` the pair's key directory (a member's
 * device approved or revoked, pair keys published: GET /pairs/:id/keys again).
 */
export const LiveTopic = z.enum(['entries', 'goals', 'agenda', 'meetings', 'checkins', 'pair', 'keys']);
export type LiveTopic = z.infer<typeof LiveTopic>;

/** A change the worker tells the room after its D1 write is done. `onlyFor`: the author alone (a private entry). */
export const LiveChange = z.object({ topic: LiveTopic, onlyFor: Id.optional() });
export type LiveChange = z.infer<typeof LiveChange>;

/** One member's presence in the room: how many of their overlays/side panels are connected, and whether one is on a call page. */
export const LivePresence = z.object({ userId: Id, connections: z.number().int().min(0), inCall: z.boolean() });
export type LivePresence = z.infer<typeof LivePresence>;

/** Room → client. */
export const LiveServerMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('hello'), presence: z.array(LivePresence) }),
  z.object({ type: z.literal('change'), topic: LiveTopic }),
  z.object({ type: z.literal('presence'), presence: z.array(LivePresence) }),
]);
export type LiveServerMessage = z.infer<typeof LiveServerMessage>;

/** Client → room: whether this connection is on a call page. */
export const LiveClientMessage = z.object({ type: z.literal('presence'), inCall: z.boolean() });
export type LiveClientMessage = z.infer<typeof LiveClientMessage>;

/**
 * Keep-alive: the client sends LIVE_PING and the room's runtime answers LIVE_PONG without waking the object
 * (setWebSocketAutoResponse, https://developers.cloudflare.com/durable-objects/api/websockets/#setwebsocketautoresponse).
 */
export const LIVE_PING = 'ping';
export const LIVE_PONG = 'pong';

/** POST /pairs/:id/live/ticket: a single-use ticket, valid for LIVE_TICKET_TTL_MS, for `GET <path>?ticket=…`. */
export const LiveTicketResponse = z.object({ ticket: z.string(), expiresAt: IsoDateTime, path: z.string() });
export type LiveTicketResponse = z.infer<typeof LiveTicketResponse>;
export const LIVE_TICKET_TTL_MS = 60_000;
/** Tickets are randomSecret() values (base64url); anything else is refused before the room is asked. */
export const LiveTicket = z.string().regex(/^[\w-]{20,200}$/);
