import { env, exports } from 'cloudflare:workers';
import { expect } from 'vitest';
import { ErrorEnvelope } from '../../shared/schemas/index.ts';
import type { Role } from '../../shared/schemas/index.ts';
import { randomSecret, sha256Hex } from '../../worker/lib/crypto.ts';

export const db = () => env.DB;
export const uuid = () => crypto.randomUUID();

export interface SeededUser {
  id: string;
  orgId: string;
  role: Role;
  token: string;
}

const now = () => new Date().toISOString();

/** Inserts a user with a live bearer token (hash stored, as the worker does). */
export async function seedUser(orgId: string, role: Role, extra: { name?: string; timeZone?: string } = {}): Promise<SeededUser> {
  const id = uuid();
  const token = randomSecret();
  const t = now();
  await env.DB.batch([
    env.DB.prepare(
      `INSERT INTO users (id, org_id, role, name, email, time_zone, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).bind(id, orgId, role, extra.name ?? `${role} ${id.slice(0, 4)}`, `${id}@example.org`, extra.timeZone ?? 'Europe/Lisbon', t, t),
    env.DB.prepare('INSERT INTO tokens (token_hash, user_id, org_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)').bind(
      await sha256Hex(token),
      id,
      orgId,
      t,
      new Date(Date.now() + 86_400_000).toISOString(),
    ),
  ]);
  return { id, orgId, role, token };
}

export interface Programme {
  orgId: string;
  admin: SeededUser;
  mentor: SeededUser;
  mentee: SeededUser;
  /** Another mentor and mentee of the same organisation, not in `pairId`. */
  outsider: SeededUser;
  pairId: string;
}

/** A fresh organisation with an admin, a mentor–mentee pair and an outsider; each test seeds its own. */
export async function seedProgramme(opts: { cadence?: 'weekly' | 'biweekly' | 'monthly'; startedOn?: string } = {}): Promise<Programme> {
  const orgId = uuid();
  await env.DB.prepare('INSERT INTO organisations (id, name, created_at) VALUES (?, ?, ?)').bind(orgId, `Org ${orgId.slice(0, 4)}`, now()).run();
  const [admin, mentor, mentee, outsider] = await Promise.all([
    seedUser(orgId, 'admin'),
    seedUser(orgId, 'mentor', { timeZone: 'America/New_York' }),
    seedUser(orgId, 'mentee', { timeZone: 'Asia/Kolkata' }),
    seedUser(orgId, 'mentee'),
  ]);
  const pairId = uuid();
  const t = now();
  await env.DB.prepare(
    `INSERT INTO pairs (id, org_id, mentor_id, mentee_id, status, cadence, started_on, created_at, updated_at) VALUES (?, ?, ?, ?, 'active', ?, ?, ?, ?)`,
  )
    .bind(pairId, orgId, mentor.id, mentee.id, opts.cadence ?? 'weekly', opts.startedOn ?? t.slice(0, 10), t, t)
    .run();
  return { orgId, admin, mentor, mentee, outsider, pairId };
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

/** Calls the real worker entry point (as a fetch from outside would). */
export async function call(method: string, path: string, opts: CallOptions = {}): Promise<Response> {
  const headers = new Headers(opts.headers);
  if (opts.token) headers.set('authorization', `Bearer ${opts.token}`);
  let body: string | undefined = opts.rawBody;
  if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers.set('content-type', 'application/json');
  }
  return exports.default.fetch(new Request(`http://alongside.test${path}`, { method, headers, body }));
}

/** Asserts the error envelope and status; returns the envelope. */
export async function expectError(res: Response, status: number, code?: string): Promise<ErrorEnvelope & { current?: unknown }> {
  expect(res.status, await res.clone().text()).toBe(status);
  const json: unknown = await res.json();
  const envelope = ErrorEnvelope.parse(json);
  if (code) expect(envelope.error.code).toBe(code);
  return json as ErrorEnvelope & { current?: unknown };
}

export async function expectJson<T = Record<string, unknown>>(res: Response, status: number): Promise<T> {
  expect(res.status, await res.clone().text()).toBe(status);
  return (await res.json()) as T;
}

/** Counts rows of a table matching a where clause, to prove that bad input changed nothing. */
export async function countRows(table: string, where = '1 = 1', ...params: unknown[]): Promise<number> {
  const row = await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE ${where}`).bind(...params).first<{ n: number }>();
  return row?.n ?? 0;
}
