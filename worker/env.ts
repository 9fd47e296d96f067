import type { Role } from '../shared/schemas/index.ts';

export interface Env {
  DB: D1Database;
  /** Days a bearer token lives. */
  TOKEN_TTL_DAYS: string;
  /** Days an invitation link stays redeemable. */
  INVITATION_TTL_DAYS: string;
}

/** Queries run on a D1 session (Sessions API) or, in scripts and tests, on the database itself. */
export type Db = Pick<D1Database, 'prepare' | 'batch'>;

export interface AuthUser {
  id: string;
  orgId: string;
  role: Role;
  tokenHash: string;
}

export interface AppEnv {
  Bindings: Env;
  Variables: { db: Db; auth: AuthUser };
}
