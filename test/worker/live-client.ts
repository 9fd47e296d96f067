/**
 * A test client of the live pair room (issue 9): a member's socket on the pair's Durable Object, with every message
 * it received and a way to wait for the next one that matches. Used by live-room.test.ts and by the tests of routes
 * that tell the room about their changes.
 */
import { expect } from 'vitest';
import { LiveServerMessage, LiveTicketResponse } from '../../shared/schemas/index.ts';
import { type Programme, call, expectJson } from './helpers.ts';

/** A connected test client: every message it received, and a way to wait for the next that matches. */
export interface Client {
  socket: WebSocket;
  received: LiveServerMessage[];
  next(match: (m: LiveServerMessage) => boolean, ms?: number): Promise<LiveServerMessage>;
  /** Resolves after `ms` with whatever arrived meanwhile (to show that nothing did). */
  quiet(ms?: number): Promise<LiveServerMessage[]>;
  close(): void;
}

export async function ticketFor(p: Pick<Programme, 'pairId'>, token: string): Promise<LiveTicketResponse> {
  return LiveTicketResponse.parse(await expectJson(await call('POST', `/api/v1/pairs/${p.pairId}/live/ticket`, { token }), 200));
}

export function upgrade(path: string): Promise<Response> {
  return call('GET', path, { headers: { upgrade: 'websocket' } });
}

export async function connect(p: Pick<Programme, 'pairId'>, token: string): Promise<Client> {
  const { ticket, path } = await ticketFor(p, token);
  const res = await upgrade(`${path}?ticket=${ticket}`);
  expect(res.status).toBe(101);
  const socket = res.webSocket;
  if (!socket) throw new Error('no socket in the 101 answer');
  socket.accept();
  const received: LiveServerMessage[] = [];
  let waiters: (() => void)[] = [];
  socket.addEventListener('message', (event) => {
    received.push(LiveServerMessage.parse(JSON.parse(String(event.data))));
    for (const wake of waiters) wake();
    waiters = [];
  });
  let seen = 0;
  const client: Client = {
    socket,
    received,
    async next(match, ms = 3_000) {
      const deadline = Date.now() + ms;
      for (;;) {
        const index = received.findIndex((m, i) => i >= seen && match(m));
        if (index >= 0) {
          seen = index + 1;
          return received[index] as LiveServerMessage;
        }
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no matching live message; got ${JSON.stringify(received.slice(seen))}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, left);
        });
      }
    },
    async quiet(ms = 300) {
      const from = received.length;
      await new Promise((r) => setTimeout(r, ms));
      return received.slice(from);
    },
    close: () => socket.close(1000, 'done'),
  };
  await client.next((m) => m.type === 'hello');
  return client;
}

export const isChange = (topic: string) => (m: LiveServerMessage) => m.type === 'change' && m.topic === topic;
