import type { Context } from 'hono';
import type { LiveChange } from '../../shared/schemas/index.ts';
import type { AppEnv, Env } from '../env.ts';

/** The pair's room (worker/live/room.ts): one Durable Object per pair, named by the pair id. */
export const pairRoom = (env: Env, pairId: string) => env.PAIR_ROOM.get(env.PAIR_ROOM.idFromName(pairId));

/**
 * Tells the pair's room that `change` happened. Call it only once the D1 write is done (D1 is the record; the room
 * only says "look again"). It runs after the answer is sent (waitUntil): a room that cannot be reached never fails
 * or slows a write, and the clients' catch-up on reconnect heals a hint that was lost.
 */
export function tellPair(c: Context<AppEnv>, pairId: string, change: LiveChange): void {
  const told = pairRoom(c.env, pairId)
    .notify(change)
    .catch((error: unknown) => {
      // The topic only: nothing of the change itself is logged.
      console.error(`live: could not tell the room about ${change.topic}: ${error instanceof Error ? error.name : 'unknown error'}`);
    });
  try {
    c.executionCtx.waitUntil(told);
  } catch {
    // No execution context (a direct app.request() in a script): the promise still runs on its own.
  }
}
