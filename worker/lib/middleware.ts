import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { BOOKMARK_HEADER, IDEMPOTENCY_HEADER, IdempotencyKey } from '../../shared/schemas/index.ts';
import { findActiveToken } from '../db/auth.ts';
import { IN_PROGRESS, type StoredOutcome, completeIdempotencyKey, findIdempotentOutcome, releaseIdempotencyKey, reserveIdempotencyKey } from '../db/idempotency.ts';
import type { AppEnv, IdempotentRequest } from '../env.ts';
import { withChaos } from './chaos.ts';
import { withD1Trace } from './d1-trace.ts';
import { sha256Hex } from './crypto.ts';
import { retryD1 } from './d1-retry.ts';
import { enforceRateLimit } from './rate-limit.ts';
import { ApiError, forbidden } from './errors.ts';
import { outcomeOf, replayOutcome } from './idempotent-replay.ts';
import { nowIso } from './time.ts';

// D1 bookmarks are groups of hex digits joined by dashes (e.g. 00000000-0000000c-00000000-0000…); anything else is
// ignored rather than passed to D1, which would echo it back as the session's bookmark.
const BOOKMARK_SHAPE = /^[0-9a-f]{1,64}(?:-[0-9a-f]{1,64}){1,7}$/;

/**
 * Runs every query of the request on one D1 session (Sessions API). Reads may be answered by a nearby replica,
 * but never one older than the bookmark the client sends back, so users always read their own writes.
 * Writes start at the primary. The new bookmark is returned in the same header.
 */
export const d1Session = createMiddleware<AppEnv>(async (c, next) => {
  const sent = c.req.header(BOOKMARK_HEADER);
  const isRead = c.req.method === 'GET' || c.req.method === 'HEAD';
  const session = c.env.DB.withSession(
    sent && BOOKMARK_SHAPE.test(sent) ? sent : isRead ? 'first-unconstrained' : 'first-primary',
  );
  // Dev-only instruments, off unless their variables are set: fault injection and the query trace.
  const route = `${c.req.method} ${new URL(c.req.url).pathname}`;
  c.set('db', withD1Trace(withChaos(session, c.env.CHAOS_D1_FAILURE_RATE), c.env.D1_TRACE, route));
  await next();
  const bookmark = session.getBookmark();
  if (bookmark) c.res.headers.set(BOOKMARK_HEADER, bookmark);
});

const BEARER = /^Bearer ([\w-]{20,200})$/;

/** Resolves the bearer token to its user; the token is only ever compared by its SHA-256 hash. */
export const requireAuth = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header('authorization');
  // Only failures count towards the limit (a token was sent and is wrong, malformed, expired or revoked): no sign-in
  // at all is not an attempt, and signed-in traffic is never limited here. Over the limit: 429 (worker/lib/rate-limit.ts).
  const failed = async (message: string): Promise<never> => {
    if (header !== undefined) await enforceRateLimit(c, c.env.AUTH_FAILURE_LIMITER, 'Too many failed sign-ins from your network; wait a minute and try again');
    throw new ApiError(401, 'unauthenticated', message);
  };
  const token = BEARER.exec(header ?? '')?.[1];
  if (!token) return failed('Sign in first: this needs a bearer token');
  const tokenHash = await sha256Hex(token);
  const found = await findActiveToken(c.var.db, tokenHash, nowIso());
  if (!found) return failed('Your sign-in has expired or was revoked; sign in again');
  c.set('auth', { id: found.userId, orgId: found.orgId, role: found.role, tokenHash });
  await next();
});

export const requireAdmin = createMiddleware<AppEnv>(async (c, next) => {
  if (c.var.auth.role !== 'admin') throw forbidden('Only programme admins can do this');
  await next();
});

export const requireMember = createMiddleware<AppEnv>(async (c, next) => {
  if (c.var.auth.role === 'admin') throw forbidden('Only mentors and mentees can do this');
  await next();
});

/** A reservation older than this was left by a request that died; its key may be used again. */
const RESERVATION_TIMEOUT_MS = 60_000;

/** Reservations made before this instant are stale. */
export const staleReservationsBefore = () => new Date(Date.now() - RESERVATION_TIMEOUT_MS).toISOString();

/** The request's Idempotency-Key and the hash of the request it names; null on reads and without a key. */
async function idempotentRequestOf(c: Context<AppEnv>): Promise<IdempotentRequest | null> {
  const key = c.req.header(IDEMPOTENCY_HEADER);
  if (key === undefined || c.req.method === 'GET' || c.req.method === 'HEAD') return null;
  if (!IdempotencyKey.safeParse(key).success) {
    throw new ApiError(400, 'invalid_input', 'Idempotency-Key must be 8–128 letters, digits, dots, colons or dashes');
  }
  // The query is part of the request (DELETE …?version=2 is not DELETE …?version=7). The raw body is read before any
  // validator parses it.
  const url = new URL(c.req.url);
  return { key, requestHash: await sha256Hex(`${c.req.method} ${url.pathname}${url.search}\n${await c.req.text()}`) };
}

/**
 * The first request's outcome, for a write whose key is held already: 409 when the key named a different request or
 * is still being processed (also when it went away meanwhile: `stored` null).
 */
export function completedOutcome(stored: StoredOutcome | null, requestHash: string): StoredOutcome {
  if (stored && stored.requestHash !== requestHash) {
    throw new ApiError(409, 'conflict', 'This Idempotency-Key was already used for a different request');
  }
  if (!stored || stored.status === IN_PROGRESS) {
    throw new ApiError(409, 'in_progress', 'A request with this Idempotency-Key is still being processed; retry shortly');
  }
  return stored;
}

/**
 * For a route that records its key in the same D1 batch as its write (the entry routes: worker/routes/entry-writes.ts,
 * claimKeyStatements in worker/db/idempotency.ts) instead of `idempotency`'s reserve and complete: checks the key and
 * hashes the request before the body is validated, as `idempotency` does, and leaves the rest to the handler
 * (`c.var.idempotent`).
 */
export const idempotencyInHandler = createMiddleware<AppEnv>(async (c, next) => {
  c.set('idempotent', await idempotentRequestOf(c));
  await next();
});

/**
 * Writes sent with an `Idempotency-Key` header: the key is reserved before the handler runs, and a replay of the
 * same request does not run the handler again (D1 never retries writes; clients do). Reusing a key for a different
 * request, or while the first is still running, is a 409. Keys live 24 h (IDEMPOTENCY_TTL_MS), then count as unused.
 *
 * The answer itself is never stored (it held invitation codes and note text): only its status and the resource it
 * named. A replay re-reads that resource and answers as it is now; one-time secrets are never answered again
 * (idempotent-replay.ts says what each kind of answer replays as).
 *
 * The layer's own D1 writes fail like any D1 call, sometimes after committing (the answer is lost). A failure there
 * must neither leave the key reserved (the client's retry would meet 409 "still being processed" until the
 * reservation goes stale) nor turn a committed write into a 500. So each bookkeeping step is safe to repeat and is
 * retried: the reservation carries this request's own id, which tells a reservation that did commit from another
 * request's, and completing or releasing touches only that reservation (chaos suite, issue 8).
 */
export const idempotency = createMiddleware<AppEnv>(async (c, next) => {
  const request = await idempotentRequestOf(c);
  if (!request) return next();
  const { key, requestHash } = request;
  const db = c.var.db;
  const userId = c.var.auth.id;
  const url = new URL(c.req.url);
  const reservation = crypto.randomUUID();
  const mine = { userId, key, reservation };
  const claim = await retryD1(async () => {
    let failure: unknown;
    const staleBefore = staleReservationsBefore();
    const won = await reserveIdempotencyKey(db, { ...mine, requestHash, staleBefore }).catch((error: unknown) => {
      failure = error;
      return false;
    });
    if (won) return { claimed: true as const };
    const stored = await findIdempotentOutcome(db, userId, key);
    // Our own reservation, committed by an attempt whose answer was lost.
    if (stored?.status === IN_PROGRESS && stored.resourceId === reservation) return { claimed: true as const };
    if (failure !== undefined && !stored) throw failure;
    return { claimed: false as const, stored };
  });
  if (!claim.claimed) {
    const done = completedOutcome(claim.stored, requestHash);
    return replayOutcome(db, c.var.auth, { type: done.resourceType, id: done.resourceId, status: done.status });
  }
  await next();
  if (c.res.status >= 200 && c.res.status < 300) {
    const text = await c.res.clone().text();
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = undefined; // not JSON: nothing to re-read, so a replay says "already done"
    }
    const outcome = outcomeOf(url.pathname, body);
    await retryD1(() => completeIdempotencyKey(db, { ...mine, status: c.res.status, resourceType: outcome.type, resourceId: outcome.id })).catch(
      (error: unknown) => {
        // The write is done and this is its answer: give it. The key stays reserved until it goes stale; a replay
        // after that runs the handler again, which finds what this request wrote.
        console.error('Idempotency: could not record the outcome of a completed write', error);
      },
    );
  } else {
    await retryD1(() => releaseIdempotencyKey(db, mine)).catch((error: unknown) => {
      console.error('Idempotency: could not release the key of a failed write (it goes stale in a minute)', error);
    });
  }
});
