/**
 * The live pair room's two routes (issue 9). A member asks for a short-lived, single-use ticket with their bearer
 * token, then opens the WebSocket with the ticket in the query: a browser's WebSocket cannot send an Authorization
 * header, and the bearer token never goes in a URL. Only the pair's two members get tickets, so everyone else is
 * refused with 401 (no or a bad ticket) or 404 (no such pair, or another organisation's) before any upgrade.
 *
 * Mounted at /pairs before pairRoutes, whose sub-app-wide requireAuth would otherwise run for the upgrade; each
 * route here carries its own middleware.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { Id, LiveTicket } from '../../shared/schemas/index.ts';
import type { AppEnv } from '../env.ts';
import { pairRoom } from '../live/notify.ts';
import { requirePairMember } from '../lib/access.ts';
import { ApiError } from '../lib/errors.ts';
import { requireAuth, requireMember } from '../lib/middleware.ts';
import { validate } from '../lib/validate.ts';

const PairParam = z.object({ id: Id });

export const liveRoutes = new Hono<AppEnv>()
  .post('/:id/live/ticket', requireAuth, requireMember, validate('param', PairParam), async (c) => {
    const { pair } = await requirePairMember(c.var.db, c.var.auth, c.req.valid('param').id);
    if (pair.status === 'ended') throw new ApiError(409, 'conflict', 'This pair has ended; there is no live room for it');
    const { ticket, expiresAt } = await pairRoom(c.env, pair.id).issueTicket(c.var.auth.id);
    return c.json({ ticket, expiresAt: new Date(expiresAt).toISOString(), path: `/api/v1/pairs/${pair.id}/live` }, 200);
  })
  .get('/:id/live', validate('param', PairParam), async (c) => {
    // No ticket, or not the shape of one: 401 like a missing bearer token (the room refuses unknown ones the same way).
    if (!LiveTicket.safeParse(c.req.query('ticket')).success) {
      throw new ApiError(401, 'unauthenticated', 'A live connection needs a ticket from POST /api/v1/pairs/:id/live/ticket');
    }
    if (c.req.header('upgrade')?.toLowerCase() !== 'websocket') {
      throw new ApiError(400, 'invalid_input', 'This is a WebSocket endpoint: connect with Upgrade: websocket');
    }
    // The room checks the ticket: it was issued there, for this pair only, and is gone once used.
    return pairRoom(c.env, c.req.valid('param').id).fetch(c.req.raw);
  });
