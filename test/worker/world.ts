/**
 * A whole small world for the authorisation matrix and the fuzz suite: two organisations, three pairs, one of each
 * pair resource, and a bearer token for every kind of caller. Seeded in one D1 batch (these suites seed hundreds
 * of worlds), with the columns every migration so far defines.
 */
import { env, exports } from 'cloudflare:workers';
import { createDeviceKeyPair, type DeviceKeyPair } from '../../shared/crypto/index.ts';
import { randomSecret, sha256Hex } from '../../worker/lib/crypto.ts';

/** Who calls: the columns of the authorisation matrix. */
export const CALLERS = [
  'anonymous',
  'garbage',
  'signedOut',
  'expired',
  'mentee',
  'mentor',
  'otherPairMember',
  'admin',
  'otherOrgAdmin',
  'otherOrgMember',
] as const;
export type Caller = (typeof CALLERS)[number];

export const CALLER_LABEL: Record<Caller, string> = {
  anonymous: 'anonymous (no header)',
  garbage: 'a garbage token',
  signedOut: 'a token revoked by signing out',
  expired: 'an expired token',
  mentee: 'the mentee of the pair',
  mentor: 'the mentor of the pair',
  otherPairMember: 'a member of another pair (same organisation)',
  admin: 'the programme admin',
  otherOrgAdmin: "another organisation's admin",
  otherOrgMember: "another organisation's mentor",
};

export interface WorldUser {
  id: string;
  orgId: string;
}

export interface World {
  orgId: string;
  otherOrgId: string;
  admin: WorldUser;
  mentor: WorldUser;
  mentee: WorldUser;
  /** An active mentee and mentor of the organisation without a pair (for new pairs, invitations, revocations). */
  spareMentee: WorldUser;
  spareMentor: WorldUser;
  siblingMentor: WorldUser;
  siblingMentee: WorldUser;
  otherAdmin: WorldUser;
  otherMentor: WorldUser;
  otherMentee: WorldUser;
  pairId: string;
  siblingPairId: string;
  otherPairId: string;
  /** Of `pairId`: a goal owned by the mentee (with its first revision) and a milestone of it. */
  goalId: string;
  milestoneId: string;
  /** A shared note written by the mentee. */
  entryId: string;
  agendaItemId: string;
  endedMeetingId: string;
  openMeetingId: string;
  /** Check-ins of `pairId` (issue 9): a proposal by the mentor (the mentee may answer it) and the scheduled one. */
  proposedCheckInId: string;
  scheduledCheckInId: string;
  /** An open invitation for the spare mentee. */
  invitationCode: string;
  /** The bearer token each caller sends (none for `anonymous`). */
  tokens: Record<Caller, string | undefined>;
}

const uuid = () => crypto.randomUUID();
const iso = (msFromNow = 0) => new Date(Date.now() + msFromNow).toISOString();
const DAY = 86_400_000;

export async function seedWorld(): Promise<World> {
  const db = env.DB;
  const t = iso();
  const orgId = uuid();
  const otherOrgId = uuid();
  const user = (org: string): WorldUser => ({ id: uuid(), orgId: org });
  const w = {
    orgId,
    otherOrgId,
    admin: user(orgId),
    mentor: user(orgId),
    mentee: user(orgId),
    spareMentee: user(orgId),
    spareMentor: user(orgId),
    siblingMentor: user(orgId),
    siblingMentee: user(orgId),
    otherAdmin: user(otherOrgId),
    otherMentor: user(otherOrgId),
    otherMentee: user(otherOrgId),
    pairId: uuid(),
    siblingPairId: uuid(),
    otherPairId: uuid(),
    goalId: uuid(),
    milestoneId: uuid(),
    entryId: uuid(),
    agendaItemId: uuid(),
    endedMeetingId: uuid(),
    openMeetingId: uuid(),
    proposedCheckInId: uuid(),
    scheduledCheckInId: uuid(),
    invitationCode: randomSecret(),
  };
  const roles: [WorldUser, 'admin' | 'mentor' | 'mentee'][] = [
    [w.admin, 'admin'],
    [w.mentor, 'mentor'],
    [w.mentee, 'mentee'],
    [w.spareMentee, 'mentee'],
    [w.spareMentor, 'mentor'],
    [w.siblingMentor, 'mentor'],
    [w.siblingMentee, 'mentee'],
    [w.otherAdmin, 'admin'],
    [w.otherMentor, 'mentor'],
    [w.otherMentee, 'mentee'],
  ];
  const live: Partial<Record<Caller, WorldUser>> = {
    mentee: w.mentee,
    mentor: w.mentor,
    otherPairMember: w.siblingMentee,
    admin: w.admin,
    otherOrgAdmin: w.otherAdmin,
    otherOrgMember: w.otherMentor,
  };
  const tokens: Record<Caller, string | undefined> = {
    anonymous: undefined,
    garbage: randomSecret(),
    signedOut: randomSecret(),
    expired: randomSecret(),
    mentee: undefined,
    mentor: undefined,
    otherPairMember: undefined,
    admin: undefined,
    otherOrgAdmin: undefined,
    otherOrgMember: undefined,
  };
  const tokenRow = async (u: WorldUser, token: string, expiresAt: string, revokedAt: string | null) =>
    db
      .prepare('INSERT INTO tokens (token_hash, user_id, org_id, created_at, expires_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?)')
      .bind(await sha256Hex(token), u.id, u.orgId, t, expiresAt, revokedAt);
  const tokenStatements = [
    await tokenRow(w.mentee, tokens.signedOut!, iso(DAY), t),
    await tokenRow(w.mentee, tokens.expired!, iso(-1000), null),
  ];
  for (const [caller, u] of Object.entries(live) as [Caller, WorldUser][]) {
    const token = randomSecret();
    tokens[caller] = token;
    tokenStatements.push(await tokenRow(u, token, iso(DAY), null));
  }
  const pair = (id: string, org: string, mentor: WorldUser, mentee: WorldUser) =>
    db
      .prepare(
        `INSERT INTO pairs (id, org_id, mentor_id, mentee_id, status, cadence, started_on, created_at, updated_at) VALUES (?, ?, ?, ?, 'active', 'weekly', ?, ?, ?)`,
      )
      .bind(id, org, mentor.id, mentee.id, t.slice(0, 10), t, t);
  const startedAt = iso(-2 * 3_600_000);
  await db.batch([
    db.prepare('INSERT INTO organisations (id, name, created_at) VALUES (?, ?, ?), (?, ?, ?)').bind(orgId, 'Org A', t, otherOrgId, 'Org B', t),
    ...roles.map(([u, role]) =>
      db
        .prepare('INSERT INTO users (id, org_id, role, name, email, time_zone, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .bind(u.id, u.orgId, role, `${role} ${u.id.slice(0, 6)}`, `${u.id}@example.org`, 'Europe/Lisbon', t, t),
    ),
    ...tokenStatements,
    pair(w.pairId, orgId, w.mentor, w.mentee),
    pair(w.siblingPairId, orgId, w.siblingMentor, w.siblingMentee),
    pair(w.otherPairId, otherOrgId, w.otherMentor, w.otherMentee),
    db
      .prepare('INSERT INTO goals (id, pair_id, org_id, owner_id, title, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .bind(w.goalId, w.pairId, orgId, w.mentee.id, 'Ship the portfolio', t, t),
    db
      .prepare('INSERT INTO goal_revisions (id, goal_id, pair_id, author_id, version, progress, status, snapshot, created_at) VALUES (?, ?, ?, ?, 1, 0, ?, ?, ?)')
      .bind(uuid(), w.goalId, w.pairId, w.mentor.id, 'active', JSON.stringify({ title: 'Ship the portfolio', specific: '', measure: '', target: '', relevance: '', dueOn: null }), t),
    db
      .prepare('INSERT INTO milestones (id, goal_id, pair_id, title, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)')
      .bind(w.milestoneId, w.goalId, w.pairId, 'First draft', t, t),
    db
      .prepare(
        `INSERT INTO entries (id, pair_id, org_id, author_id, kind, visibility, body, change_seq, created_at, updated_at) VALUES (?, ?, ?, ?, 'note', 'shared', ?, 1, ?, ?)`,
      )
      .bind(w.entryId, w.pairId, orgId, w.mentee.id, 'Talked about the portfolio', t, t),
    db
      .prepare('INSERT INTO agenda_items (id, pair_id, author_id, body, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)')
      .bind(w.agendaItemId, w.pairId, w.mentee.id, 'Review the CV', t, t),
    db
      .prepare(
        `INSERT INTO meetings (id, pair_id, org_id, platform, meeting_code, started_at, ended_at, source, created_by, created_at, updated_at) VALUES (?, ?, ?, 'meet', 'abc-defg-hij', ?, ?, 'auto', ?, ?, ?)`,
      )
      .bind(w.endedMeetingId, w.pairId, orgId, startedAt, iso(-3_600_000), w.mentor.id, startedAt, t),
    db
      .prepare(
        `INSERT INTO meetings (id, pair_id, org_id, platform, meeting_code, started_at, source, created_by, created_at, updated_at) VALUES (?, ?, ?, 'zoom', '123456789', ?, 'auto', ?, ?, ?)`,
      )
      .bind(w.openMeetingId, w.pairId, orgId, iso(-600_000), w.mentor.id, t, t),
    db
      .prepare(
        `INSERT INTO checkins (id, pair_id, org_id, starts_at, duration_minutes, organiser_zone, proposed_by, status, responded_by, responded_at, version, created_at, updated_at)
         VALUES (?1, ?3, ?4, ?5, 45, 'Europe/Lisbon', ?6, 'proposed', NULL, NULL, 1, ?8, ?8),
                (?2, ?3, ?4, ?7, 45, 'Europe/Lisbon', ?6, 'scheduled', ?9, ?8, 2, ?8, ?8)`,
      )
      .bind(w.proposedCheckInId, w.scheduledCheckInId, w.pairId, orgId, iso(3 * DAY), w.mentor.id, iso(2 * DAY), t, w.mentee.id),
    db
      .prepare('INSERT INTO invitations (id, org_id, user_id, code_hash, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .bind(uuid(), orgId, w.spareMentee.id, await sha256Hex(w.invitationCode), w.admin.id, t, iso(DAY)),
  ]);
  return { ...w, tokens };
}

/** A fresh live bearer token for a user of the world (for requests that use their caller up, e.g. signing out). */
export async function freshToken(u: WorldUser): Promise<string> {
  const token = randomSecret();
  await env.DB.prepare('INSERT INTO tokens (token_hash, user_id, org_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)')
    .bind(await sha256Hex(token), u.id, u.orgId, iso(), iso(DAY))
    .run();
  return token;
}

// ---- sending ----------------------------------------------------------------------------------------

export interface RawRequest {
  method: string;
  /** Path and query, already encoded. */
  url: string;
  token?: string | undefined;
  headers?: Record<string, string>;
  body?: string | undefined;
}

let ipCounter = 0;

/** Sends a request to the worker's entry point, as a fetch from outside would arrive. */
export async function send(req: RawRequest): Promise<Response> {
  const headers = new Headers(req.headers);
  if (req.token !== undefined) headers.set('authorization', `Bearer ${req.token}`);
  // Each request comes from its own address, so that per-IP rate limits on failed sign-ins (issue 8) do not turn
  // the hundreds of deliberate 401s of these suites into 429s.
  ipCounter += 1;
  headers.set('cf-connecting-ip', `198.18.${(ipCounter >> 8) & 255}.${ipCounter & 255}`);
  const hasBody = req.body !== undefined && req.method !== 'GET' && req.method !== 'HEAD';
  return exports.default.fetch(new Request(`http://alongside.test${req.url}`, { method: req.method, headers, body: hasBody ? req.body : undefined, redirect: 'manual' }));
}

// ---- what is stored ---------------------------------------------------------------------------------

/** Columns that a read may legitimately touch (a "last seen" time of a session), left out of the fingerprint. */
const VOLATILE_COLUMN = /^last_(used|seen)/;

let fingerprintSql: string | undefined;

async function buildFingerprintSql(): Promise<string> {
  const { results: tables } = await env.DB.prepare(
    // The rollups (worker/migrations/0011_rollups.sql) are left out: triggers derive them from the raw tables, so they
    // change only with one of those, and test/worker/rollups.test.ts checks they never drift.
    `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name <> 'd1_migrations'
        AND name NOT LIKE '%\\_rollups' ESCAPE '\\' ORDER BY name`,
  ).all<{ name: string }>();
  const perTable: string[] = [];
  for (const { name } of tables) {
    const { results: cols } = await env.DB.prepare('SELECT name FROM pragma_table_info(?)').bind(name).all<{ name: string }>();
    const q = (s: string) => `"${s.replaceAll('"', '""')}"`;
    const perColumn = cols
      .filter((c) => !VOLATILE_COLUMN.test(c.name))
      .map((c) => `json_array(COUNT(${q(c.name)}), MAX(${q(c.name)}), TOTAL(LENGTH(${q(c.name)})))`);
    perTable.push(`'${name}', (SELECT json_array(COUNT(*), ${perColumn.join(', ')}) FROM ${q(name)})`);
  }
  // One statement of scalar subqueries: json_array rather than chains of || (SQLite caps an expression tree at a
  // depth of 100), and no UNION ALL (D1 caps the terms of a compound SELECT).
  return `SELECT json_object(${perTable.join(', ')}) AS f`;
}

/**
 * A cheap fingerprint of everything stored: per table the row count and, per column, how many values are set, the
 * largest value and the total length. An insert, delete, soft delete, revocation, version bump or rewritten text
 * changes it; one query, so it can be taken around every request.
 */
export async function dbFingerprint(): Promise<Record<string, string>> {
  fingerprintSql ??= await buildFingerprintSql();
  const row = await env.DB.prepare(fingerprintSql).first<{ f: string }>();
  const byTable = JSON.parse(row?.f ?? '{}') as Record<string, unknown>;
  return Object.fromEntries(Object.entries(byTable).map(([t, v]) => [t, JSON.stringify(v)]));
}

/** The tables whose fingerprint differs, for a readable failure message. */
export function changedTables(before: Record<string, string>, after: Record<string, string>): string[] {
  return [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((t) => before[t] !== after[t]);
}

// ---- end-to-end encryption keys (issue 10) ---------------------------------------------------------------

export interface E2eeWorld {
  menteeDevice: DeviceKeyPair;
  mentorDevice: DeviceKeyPair;
  /** An open approval request of the mentee's for a new device of theirs, which waits for approval. */
  approvalId: string;
  newDevice: DeviceKeyPair;
}

const e2eeWorlds = new WeakMap<World, Promise<E2eeWorld>>();

/**
 * A device key for the mentee and the mentor of the world's pair (each their first device, so approved), and an open
 * approval request of the mentee's for a second device, made once per world when a route of the table needs them
 * (real keys: every world would otherwise pay for them).
 */
export function e2eeWorld(w: World): Promise<E2eeWorld> {
  let made = e2eeWorlds.get(w);
  if (!made) {
    made = (async () => {
      const [menteeDevice, mentorDevice, newDevice] = await Promise.all([createDeviceKeyPair(), createDeviceKeyPair(), createDeviceKeyPair()]);
      const approvalId = uuid();
      const t = iso();
      const device = (d: DeviceKeyPair, u: WorldUser, approved: boolean) =>
        env.DB.prepare('INSERT INTO device_keys (device_key_id, user_id, spki, label, created_at, approved_at, approved_via) VALUES (?, ?, ?, ?, ?, ?, ?)').bind(
          d.deviceKeyId,
          u.id,
          d.publicKeySpki,
          'Laptop',
          t,
          approved ? t : null,
          approved ? 'first-device' : null,
        );
      await env.DB.batch([
        device(menteeDevice, w.mentee, true),
        device(mentorDevice, w.mentor, true),
        device(newDevice, w.mentee, false),
        env.DB.prepare('INSERT INTO device_approvals (id, user_id, device_key_id, spki, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)').bind(
          approvalId,
          w.mentee.id,
          newDevice.deviceKeyId,
          newDevice.publicKeySpki,
          t,
          iso(600_000),
        ),
      ]);
      return { menteeDevice, mentorDevice, approvalId, newDevice };
    })();
    e2eeWorlds.set(w, made);
  }
  return made;
}

/** Stores a recovery-key backup for a person as the worker would (version 1), unless they have one. */
export async function storeKeyBackup(userId: string, backup: unknown): Promise<void> {
  await env.DB.prepare('INSERT INTO key_backups (user_id, backup, version, updated_at) VALUES (?, ?, 1, ?) ON CONFLICT (user_id) DO NOTHING')
    .bind(userId, JSON.stringify(backup), iso())
    .run();
}
