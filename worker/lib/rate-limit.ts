/**
 * Rate limits per client IP (issue 8, defect 7) on the Workers rate-limiting binding
 * (https://developers.cloudflare.com/workers/runtime-apis/bindings/rate-limit/): `limit({ key })` counts one more for
 * the key and answers `{ success: false }` once the key is over the limit of its period ([[ratelimits]] in
 * wrangler.toml). The binding does not say when the period ends, so Retry-After is the whole period.
 */
import type { Context } from 'hono';
import type { AppEnv } from '../env.ts';
import { ApiError } from './errors.ts';

/** The `period` of both limiters in wrangler.toml, in seconds (the binding allows 10 or 60). */
export const RATE_LIMIT_PERIOD_SECONDS = 60;

/**
 * The caller's IP as Cloudflare's edge saw it (CF-Connecting-IP is set by Cloudflare, not the client). Requests that
 * never passed an edge have none (tests calling the app directly): they share one key, so a test that fails many
 * sign-ins from "nowhere" is limited like one client, which is the safe way round.
 */
export function clientKey(c: Context<AppEnv>): string {
  return c.req.header('cf-connecting-ip') ?? 'no-client-ip';
}

/** Counts this request against `limiter` for the caller; over the limit, a 429 with the error envelope and Retry-After. */
export async function enforceRateLimit(c: Context<AppEnv>, limiter: RateLimit, message: string): Promise<void> {
  const { success } = await limiter.limit({ key: clientKey(c) });
  if (success) return;
  c.header('Retry-After', String(RATE_LIMIT_PERIOD_SECONDS));
  throw new ApiError(429, 'rate_limited', message);
}
