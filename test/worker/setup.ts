import { applyD1Migrations } from 'cloudflare:test';
import { env } from 'cloudflare:workers';

declare global {
  namespace Cloudflare {
    interface Env {
      DB: D1Database;
      TOKEN_TTL_DAYS: string;
      INVITATION_TTL_DAYS: string;
      REDEEM_LIMITER: RateLimit;
      AUTH_FAILURE_LIMITER: RateLimit;
      PAIR_ROOM: DurableObjectNamespace<import('../../worker/live/room.ts').PairRoom>;
      TEST_MIGRATIONS: import('@cloudflare/vitest-plugin').D1Migration[];
    }
    interface GlobalProps {
      mainModule: typeof import('../../worker/index.ts');
    }
  }
}

// Migrations run once per test file; applyD1Migrations skips those already applied.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
