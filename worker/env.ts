import type { Role } from '../shared/schemas/index.ts';
import type { PairRoom } from './live/room.ts';

export interface Env {
  DB: D1Database;
  /** Days a bearer token lives. */
  TOKEN_TTL_DAYS: string;
  /** Days an invitation link stays redeemable. */
  INVITATION_TTL_DAYS: string;
  /** The organisation's privacy contact for /privacy (shared/privacy/policy.ts PRIVACY_VARS); empty until configured. */
  PRIVACY_CONTACT_ORGANISATION?: string;
  PRIVACY_CONTACT_EMAIL?: string;
  PRIVACY_CONTACT_ADDRESS?: string;
  /** Dev-only: the chance each D1 query fails (worker/lib/chaos.ts); set only by `wrangler dev --var`, never in wrangler.toml. */
  CHAOS_D1_FAILURE_RATE?: string;
  /** Workers rate-limiting bindings ([[ratelimits]] in wrangler.toml), per client IP: worker/lib/rate-limit.ts. */
  REDEEM_LIMITER: RateLimit;
  AUTH_FAILURE_LIMITER: RateLimit;
  /** The pairs' live rooms (worker/live/room.ts), one Durable Object per pair. */
  PAIR_ROOM: DurableObjectNamespace<PairRoom>;
  /** Dev-only: log every D1 query's kind (worker/lib/d1-trace.ts); set only by `wrangler dev --var`. */
  D1_TRACE?: string;
}

/** Queries run on a D1 session (Sessions API) or, in scripts and tests, on the database itself. */
export type Db = Pick<D1Database, 'prepare' | 'batch'>;

export interface AuthUser {
  id: string;
  orgId: string;
  role: Role;
  tokenHash: string;
}

/** A write sent with an Idempotency-Key: the key, and the SHA-256 of the request it names (method, path, query, body). */
export interface IdempotentRequest {
  key: string;
  requestHash: string;
}

export interface AppEnv {
  Bindings: Env;
  /**
   * `secureHeadersNonce`: the CSP nonce of server-rendered pages (worker/lib/security-headers.ts). `idempotent`: set by
   * `idempotencyInHandler` (worker/lib/middleware.ts) for a route that keeps its key itself; null without a key.
   */
  Variables: { db: Db; auth: AuthUser; secureHeadersNonce?: string; idempotent?: IdempotentRequest | null };
}
