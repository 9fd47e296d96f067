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
  // Each call comes from its own client address unless the test sets one, so the per-IP rate limits (wrangler.toml)
  // only bite in the tests about them (test/worker/trust-headers.test.ts).
  if (!headers.has('cf-connecting-ip')) headers.set('cf-connecting-ip', `test-${crypto.randomUUID()}`);
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

// ---- added for the auth / pairs / goals / admin tests ---------------------------------------------

/** A bearer token for an existing user with a chosen expiry or revocation (e.g. an expired or revoked token). */
export async function seedToken(
  user: { id: string; orgId: string },
  opts: { expiresAt?: string; revokedAt?: string | null } = {},
): Promise<string> {
  const token = randomSecret();
  await env.DB.prepare('INSERT INTO tokens (token_hash, user_id, org_id, created_at, expires_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?)')
    .bind(await sha256Hex(token), user.id, user.orgId, now(), opts.expiresAt ?? new Date(Date.now() + 86_400_000).toISOString(), opts.revokedAt ?? null)
    .run();
  return token;
}

/** An invitation stored as the worker stores it (only the hash of the code); returns the code. */
export async function seedInvitation(
  user: { id: string; orgId: string },
  opts: { expiresAt?: string; revokedAt?: string | null; redeemedAt?: string | null } = {},
): Promise<string> {
  const code = randomSecret();
  await env.DB.prepare(
    'INSERT INTO invitations (id, org_id, user_id, code_hash, created_by, created_at, expires_at, redeemed_at, revoked_at) VALUES (?, ?, ?, ?, NULL, ?, ?, ?, ?)',
  )
    .bind(uuid(), user.orgId, user.id, await sha256Hex(code), now(), opts.expiresAt ?? new Date(Date.now() + 86_400_000).toISOString(), opts.redeemedAt ?? null, opts.revokedAt ?? null)
    .run();
  return code;
}

/** A goal created through the API (so it has its first revision, as real goals do); returns the response's goal. */
export async function createGoalViaApi(
  p: Programme,
  opts: { token?: string; ownerId?: string; title?: string; progress?: number; dueOn?: string | null } = {},
): Promise<{ id: string; version: number; ownerId: string; pairId: string; progress: number; status: string }> {
  const id = uuid();
  const res = await call('POST', '/api/v1/goals', {
    token: opts.token ?? p.mentor.token,
    body: { id, pairId: p.pairId, title: opts.title ?? `Goal ${id.slice(0, 4)}`, ownerId: opts.ownerId, progress: opts.progress, dueOn: opts.dueOn },
  });
  const json = await expectJson<{ goal: { id: string; version: number; ownerId: string; pairId: string; progress: number; status: string } }>(res, 201);
  return json.goal;
}

/** A milestone created through the API; returns the response's milestone. */
export async function createMilestoneViaApi(token: string, goalId: string, title = 'First draft'): Promise<{ id: string; version: number; goalId: string }> {
  const res = await call('POST', `/api/v1/goals/${goalId}/milestones`, { token, body: { id: uuid(), title } });
  return (await expectJson<{ milestone: { id: string; version: number; goalId: string } }>(res, 201)).milestone;
}

/** An entry row written straight to D1 (for checks that must not depend on the entries route). */
export async function seedEntryRow(
  p: Programme,
  opts: { body: string; authorId?: string; kind?: 'note' | 'action' | 'decision' | 'question'; visibility?: 'shared' | 'private' },
): Promise<string> {
  const id = uuid();
  const t = now();
  await env.DB.prepare(
    `INSERT INTO entries (id, pair_id, org_id, author_id, kind, visibility, body, change_seq, created_at, updated_at)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, (SELECT COALESCE(MAX(change_seq), 0) + 1 FROM entries WHERE pair_id = ?2), ?8, ?8)`,
  )
    .bind(id, p.pairId, p.orgId, opts.authorId ?? p.mentee.id, opts.kind ?? 'note', opts.visibility ?? 'shared', opts.body, t)
    .run();
  return id;
}

/** An ended meeting of the pair written straight to D1; returns its id. */
export async function seedMeetingRow(p: Programme, opts: { startedAt?: string; minutes?: number } = {}): Promise<string> {
  const id = uuid();
  const startedAt = opts.startedAt ?? new Date(Date.now() - 2 * 3_600_000).toISOString();
  const endedAt = new Date(Date.parse(startedAt) + (opts.minutes ?? 45) * 60_000).toISOString();
  await env.DB.prepare(
    `INSERT INTO meetings (id, pair_id, org_id, platform, meeting_code, started_at, ended_at, source, created_by, created_at, updated_at)
     VALUES (?, ?, ?, 'meet', 'abc-defg-hij', ?, ?, 'auto', ?, ?, ?)`,
  )
    .bind(id, p.pairId, p.orgId, startedAt, endedAt, p.mentor.id, startedAt, endedAt)
    .run();
  return id;
}

const ORG_TABLES: Record<string, string> = {
  users: 'org_id = ?1',
  pairs: 'org_id = ?1',
  goals: 'org_id = ?1',
  goal_revisions: 'pair_id IN (SELECT id FROM pairs WHERE org_id = ?1)',
  milestones: 'pair_id IN (SELECT id FROM pairs WHERE org_id = ?1)',
  meetings: 'org_id = ?1',
  entries: 'org_id = ?1',
  agenda_items: 'pair_id IN (SELECT id FROM pairs WHERE org_id = ?1)',
  feedback: 'org_id = ?1',
  invitations: 'org_id = ?1',
  tokens: 'org_id = ?1',
  idempotency_keys: 'user_id IN (SELECT id FROM users WHERE org_id = ?1)',
  audit_log: 'org_id = ?1',
};

/**
 * Every stored row of one organisation, table by table, in a stable order. Comparing a snapshot taken before a
 * refused request with one taken after proves the request changed nothing (not even an `updated_at`).
 */
export async function orgSnapshot(orgId: string): Promise<Record<string, unknown[]>> {
  const entries = await Promise.all(
    Object.entries(ORG_TABLES).map(async ([table, where]) => {
      const { results } = await env.DB.prepare(`SELECT * FROM ${table} WHERE ${where} ORDER BY 1, 2`).bind(orgId).all();
      return [table, results] as const;
    }),
  );
  return Object.fromEntries(entries);
}

// ---- added for the entries / agenda / meetings / feedback tests -----------------------------------

/** Callers who must not reach pair `p`'s data, with the answer each gets. */
export const PAIR_STRANGERS = [
  { who: 'an anonymous caller', status: 401, code: 'unauthenticated' },
  { who: 'an unknown token', status: 401, code: 'unauthenticated' },
  { who: 'the programme admin', status: 403, code: 'forbidden' },
  { who: 'a same-org non-member', status: 403, code: 'forbidden' },
  { who: 'a member of another organisation', status: 404, code: 'not_found' },
] as const;
export type PairStranger = (typeof PAIR_STRANGERS)[number]['who'];

/** The bearer token (or none) of one of the `PAIR_STRANGERS`; another organisation is seeded on demand. */
export async function strangerToken(p: Programme, who: PairStranger): Promise<string | undefined> {
  switch (who) {
    case 'an anonymous caller':
      return undefined;
    case 'an unknown token':
      return randomSecret();
    case 'the programme admin':
      return p.admin.token;
    case 'a same-org non-member':
      return p.outsider.token;
    case 'a member of another organisation':
      return (await seedProgramme()).mentor.token;
  }
}

/** Sets a pair's status straight in D1 (e.g. 'ended', which makes its records read-only). */
export async function setPairStatusRow(pairId: string, status: 'active' | 'paused' | 'ended'): Promise<void> {
  await env.DB.prepare('UPDATE pairs SET status = ? WHERE id = ?').bind(status, pairId).run();
}

/** A second pair in `p`'s organisation with its own new mentor and mentee; `p.outsider` stays unpaired. */
export async function seedSiblingPair(p: Programme): Promise<{ pairId: string; mentor: SeededUser; mentee: SeededUser }> {
  const [mentor, mentee] = await Promise.all([seedUser(p.orgId, 'mentor'), seedUser(p.orgId, 'mentee')]);
  const pairId = uuid();
  const t = now();
  await env.DB.prepare(
    `INSERT INTO pairs (id, org_id, mentor_id, mentee_id, status, cadence, started_on, created_at, updated_at) VALUES (?, ?, ?, ?, 'active', 'weekly', ?, ?, ?)`,
  )
    .bind(pairId, p.orgId, mentor.id, mentee.id, t.slice(0, 10), t, t)
    .run();
  return { pairId, mentor, mentee };
}

/** An ISO time `minutes` from now (negative: in the past). */
export const minutesFromNow = (minutes: number): string => new Date(Date.now() + minutes * 60_000).toISOString();

/**
 * Credentials that must all be refused with 401: none, a token nobody was given, an expired token and a token
 * revoked by signing out. Each is a real token row of `user` except the first two.
 */
export async function deadCredentials(user: { id: string; orgId: string }): Promise<{ label: string; token: string | undefined }[]> {
  const signedOut = await seedToken(user);
  const res = await call('POST', '/api/v1/auth/signout', { token: signedOut });
  expect(res.status).toBe(200);
  return [
    { label: 'no token', token: undefined },
    { label: 'a garbage token', token: randomSecret() },
    { label: 'an expired token', token: await seedToken(user, { expiresAt: new Date(Date.now() - 1000).toISOString() }) },
    { label: 'a token revoked by signing out', token: signedOut },
  ];
}
