import { env } from 'cloudflare:workers';
/**
 * The worker's route table and, for every route, who may call it and a request that the allowed callers can make
 * with real ids from a seeded world. The authorisation matrix (authorisation-matrix.test.ts) and the fuzz suite
 * (fuzz.test.ts) are both generated from it: a route added to the app without an entry here fails the matrix.
 */
import type { Env, Hono, Schema } from 'hono';
import { inspectRoutes } from 'hono/dev';
import { DELETE_ACCOUNT_PHRASE } from '../../shared/schemas/index.ts';
import { createDeviceKeyPair, createRecoveryKey, createSymmetricKey, sealBackup } from '../../shared/crypto/index.ts';
import { CALLERS, type Caller, type World, e2eeWorld, freshToken, send, storeKeyBackup } from './world.ts';

export interface AppRoute {
  method: string;
  path: string;
  key: string;
}

/**
 * The routes that answer requests, one per method and path. Hono's `routes` also lists middleware: the `.use`
 * wildcards (method ALL) and per-route validators/auth under the route's own method and path. `inspectRoutes` from
 * hono/dev tells them apart by arity, `(c, next)` against a handler's `(c)`, after unwrapping sub-app handlers
 * (https://hono.dev/docs/helpers/dev; hono src/utils/handler.ts `isMiddleware`). Arity alone would drop a route
 * whose final handler happens to take `next`, so only `.use` entries (method ALL) are left out for being middleware.
 */
export function appRoutes<E extends Env, S extends Schema, B extends string>(app: Hono<E, S, B>): AppRoute[] {
  const seen = new Map<string, AppRoute>();
  // inspectRoutes only reads `routes`; its signature asks for an app without a typed schema.
  for (const r of inspectRoutes(app as unknown as Hono<E>)) {
    if (r.isMiddleware && r.method === 'ALL') continue;
    const key = `${r.method} ${r.path}`;
    if (!seen.has(key)) seen.set(key, { method: r.method, path: r.path, key });
  }
  return [...seen.values()];
}

/** The names of a route path's parameters, e.g. ['id'] for /api/v1/entries/:id. */
export const pathParams = (path: string): string[] => [...path.matchAll(/:(\w+)/g)].map((m) => m[1] ?? '');

/** A route path with its parameters filled in (values already encoded). */
export const fillPath = (path: string, params: Record<string, string>): string =>
  path.replace(/:(\w+)/g, (_, name: string) => params[name] ?? `missing-${name}`);

/** What a caller gets. `allowed`: anything but 401/403/404 and 5xx (a 2xx, or a 4xx about the input itself). */
export type Outcome = 'allowed' | 401 | 403 | 404 | 400;

/**
 * Who may call a route, which sets the expected outcome for every caller:
 * - public: everyone, signed in or not;
 * - signedIn: any live token;
 * - member: mentors and mentees, about themselves (admins 403);
 * - pair: the two members of the seeded pair; the same organisation's other members and every admin 403
 *   (admins never reach pair data), another organisation's member 404 (its existence is not revealed);
 * - admin: admins of the organisation; members 403.
 */
export type Audience = 'public' | 'signedIn' | 'member' | 'pair' | 'admin';

const DEAD: Caller[] = ['anonymous', 'garbage', 'signedOut', 'expired'];

const AUDIENCE_DEFAULTS: Record<Audience, (c: Caller) => Outcome> = {
  public: () => 'allowed',
  signedIn: (c) => (DEAD.includes(c) ? 401 : 'allowed'),
  member: (c) => (DEAD.includes(c) ? 401 : c === 'admin' || c === 'otherOrgAdmin' ? 403 : 'allowed'),
  pair: (c) =>
    DEAD.includes(c) ? 401 : c === 'mentee' || c === 'mentor' ? 'allowed' : c === 'otherOrgMember' ? 404 : 403,
  admin: (c) => (DEAD.includes(c) ? 401 : c === 'admin' || c === 'otherOrgAdmin' ? 'allowed' : 403),
};

export interface RouteRequest {
  /** Path parameters, unencoded. */
  params?: Record<string, string>;
  query?: Record<string, string>;
  /** A JSON body; or `text` with its content type (e.g. a CSV upload). */
  json?: unknown;
  text?: { body: string; contentType: string };
}

export interface RouteSpec {
  audience: Audience;
  /** Callers whose outcome differs from the audience's default, with the reason in a comment. */
  except?: Partial<Record<Caller, Outcome>>;
  /** A request the allowed callers can make; it uses the world's real ids, so refusals are about who calls. */
  request: (w: World) => RouteRequest | Promise<RouteRequest>;
  /**
   * The request uses up who sends it: signing out revokes the token, deleting one's account deletes the person.
   * The fuzz suite gives such a route a new token (or a new world) for every request.
   */
  consumes?: 'token' | 'person';
  /** Expected from issue 8 but possibly not in the app yet; the integrator removes the mark once it is. */
  pending?: string;
}

const uuid = () => crypto.randomUUID();
const api = (path: string) => `/api/v1${path}`;

/** Every route of the app, keyed by `METHOD path`. */
export const ROUTE_SPECS: Record<string, RouteSpec> = {
  // ---- pages and public API ---------------------------------------------------------------------------
  'GET /': { audience: 'public', request: () => ({}) },
  'GET /invite/:code': { audience: 'public', request: (w) => ({ params: { code: w.invitationCode } }) },
  // The welcome page's test call (issue 12): a static page, no sign-in.
  'GET /try-call': { audience: 'public', request: () => ({}) },
  // The privacy policy (worker/routes/privacy-page.ts), with the test contact of vitest.config.ts.
  'GET /privacy': { audience: 'public', request: () => ({}) },
  [`GET ${api('/health')}`]: { audience: 'public', request: () => ({}) },
  [`POST ${api('/auth/redeem')}`]: { audience: 'public', request: (w) => ({ json: { code: w.invitationCode } }) },

  // ---- the signed-in person --------------------------------------------------------------------------
  [`GET ${api('/auth/me')}`]: { audience: 'signedIn', request: () => ({}) },
  [`POST ${api('/auth/signout')}`]: { audience: 'signedIn', request: () => ({}), consumes: 'token' },
  // Open to every role (worker/routes/me.ts, me-data.ts): an admin's account has sessions and data too.
  [`GET ${api('/me/sessions')}`]: { audience: 'signedIn', request: () => ({}) },
  [`POST ${api('/me/sessions/acknowledge')}`]: { audience: 'signedIn', request: () => ({}) },
  [`DELETE ${api('/me/sessions/:id')}`]: {
    audience: 'signedIn',
    // One of the mentee's own sessions: the mentee may end it; for anyone else it does not exist.
    except: { mentor: 404, otherPairMember: 404, admin: 404, otherOrgAdmin: 404, otherOrgMember: 404 },
    request: async (w) => ({ params: { id: await menteeSessionId(w) } }),
  },
  [`GET ${api('/me/export')}`]: { audience: 'signedIn', request: () => ({}) },
  [`PUT ${api('/me/working-hours')}`]: {
    audience: 'signedIn',
    request: () => ({ json: { timeZone: 'Australia/Adelaide', workingHours: { startMinute: 510, endMinute: 1050 } } }),
  },
  // Members delete their own account; an admin is erased by another admin (403 here).
  [`DELETE ${api('/me')}`]: {
    audience: 'member',
    request: () => ({ json: { confirm: DELETE_ACCOUNT_PHRASE } }),
    consumes: 'person',
  },

  // ---- end-to-end encryption keys (issue 10, worker/routes/keys.ts): mentors and mentees, about themselves --------
  [`GET ${api('/me/devices')}`]: { audience: 'member', request: () => ({}) },
  [`POST ${api('/me/devices')}`]: {
    audience: 'member',
    request: async () => {
      return { json: { publicKeySpki: (await createDeviceKeyPair()).publicKeySpki, label: 'Work laptop' } };
    },
  },
  // The mentee's device: the mentee may remove it; for anyone else it does not exist.
  [`DELETE ${api('/me/devices/:deviceKeyId')}`]: {
    audience: 'member',
    except: { mentor: 404, otherPairMember: 404, otherOrgMember: 404 },
    request: async (w) => ({ params: { deviceKeyId: (await e2eeWorld(w)).menteeDevice.deviceKeyId } }),
  },
  // The mentee's device waiting for approval, after the mentee stored a key backup: the mentee may say it restored
  // from it; for anyone else the device does not exist.
  [`POST ${api('/me/devices/:deviceKeyId/recovered')}`]: {
    audience: 'member',
    except: { mentor: 404, otherPairMember: 404, otherOrgMember: 404 },
    request: async (w) => {
      const e = await e2eeWorld(w);
      const { wrapped } = await createSymmetricKey({ kind: 'personal', scope: w.mentee.id, sender: e.menteeDevice, recipients: [e.menteeDevice.publicKeySpki] });
      await storeKeyBackup(w.mentee.id, await sealBackup({ recoveryKey: (await createRecoveryKey()).key, personId: w.mentee.id, device: e.menteeDevice, records: wrapped }));
      return { params: { deviceKeyId: e.newDevice.deviceKeyId } };
    },
  },
  [`GET ${api('/me/devices/approvals')}`]: { audience: 'member', request: () => ({}) },
  [`POST ${api('/me/devices/approvals')}`]: {
    audience: 'member',
    request: async () => {
      return { json: { publicKeySpki: (await createDeviceKeyPair()).publicKeySpki } };
    },
  },
  // The mentee's open request, approved by the mentee's device: another person's request does not exist for them.
  [`POST ${api('/me/devices/approvals/:id/complete')}`]: {
    audience: 'member',
    except: { mentor: 404, otherPairMember: 404, otherOrgMember: 404 },
    request: async (w) => {
      const e = await e2eeWorld(w);
      return { params: { id: e.approvalId }, json: { approvedBy: e.menteeDevice.deviceKeyId } };
    },
  },
  [`GET ${api('/me/keys')}`]: { audience: 'member', request: () => ({ query: { kind: 'all' } }) },
  // The mentee's personal key, from and to the mentee's device: for any other member its scope is not theirs (400).
  [`POST ${api('/me/keys')}`]: {
    audience: 'member',
    except: { mentor: 400, otherPairMember: 400, otherOrgMember: 400 },
    request: async (w) => {
      const e = await e2eeWorld(w);
      const { wrapped } = await createSymmetricKey({ kind: 'personal', scope: w.mentee.id, sender: e.menteeDevice, recipients: [e.menteeDevice.publicKeySpki] });
      return { json: { records: wrapped } };
    },
  },
  [`GET ${api('/me/key-backup')}`]: { audience: 'member', request: () => ({}) },
  // The mentee's backup: anyone else's own backup cannot be of the mentee's keys (400).
  [`PUT ${api('/me/key-backup')}`]: {
    audience: 'member',
    except: { mentor: 400, otherPairMember: 400, otherOrgMember: 400 },
    request: async (w) => {
      const e = await e2eeWorld(w);
      const { wrapped } = await createSymmetricKey({ kind: 'personal', scope: w.mentee.id, sender: e.menteeDevice, recipients: [e.menteeDevice.publicKeySpki] });
      const backup = await sealBackup({ recoveryKey: (await createRecoveryKey()).key, personId: w.mentee.id, device: e.menteeDevice, records: wrapped });
      return { json: { version: 0, backup } };
    },
  },
  [`GET ${api('/pairs/:id/keys')}`]: { audience: 'pair', request: (w) => ({ params: { id: w.pairId } }) },
  // A pair key wrapped by the mentee's device to both members: the mentor cannot send what the mentee's device sent (400).
  [`POST ${api('/pairs/:id/keys')}`]: {
    audience: 'pair',
    except: { mentor: 400 },
    request: async (w) => {
      const e = await e2eeWorld(w);
      const { wrapped } = await createSymmetricKey({
        kind: 'pair',
        scope: w.pairId,
        sender: e.menteeDevice,
        recipients: [e.menteeDevice.publicKeySpki, e.mentorDevice.publicKeySpki],
      });
      return { params: { id: w.pairId }, json: { records: wrapped } };
    },
  },

  // ---- a member's pairs ------------------------------------------------------------------------------
  [`GET ${api('/pairs')}`]: { audience: 'member', request: () => ({}) },
  [`GET ${api('/pairs/:id/context')}`]: { audience: 'pair', request: (w) => ({ params: { id: w.pairId } }) },
  // The live room (worker/routes/live.ts): tickets for the two members only.
  [`POST ${api('/pairs/:id/live/ticket')}`]: { audience: 'pair', request: (w) => ({ params: { id: w.pairId } }) },
  // The upgrade authenticates with a single-use ticket, never a bearer token: without one every caller, the pair's
  // members included, is refused 401 before any upgrade (tickets are tested in live-room.test.ts).
  [`GET ${api('/pairs/:id/live')}`]: {
    audience: 'public',
    except: Object.fromEntries(CALLERS.map((c) => [c, 401])),
    request: (w) => ({ params: { id: w.pairId } }),
  },

  // ---- check-ins (issue 9) ---------------------------------------------------------------------------
  [`GET ${api('/pairs/:id/checkins')}`]: { audience: 'pair', request: (w) => ({ params: { id: w.pairId } }) },
  [`POST ${api('/pairs/:id/checkins')}`]: {
    audience: 'pair',
    request: (w) => ({
      params: { id: w.pairId },
      json: { id: uuid(), startsAt: new Date(Date.now() + 5 * 86_400_000).toISOString(), durationMinutes: 30, organiserZone: 'Asia/Kathmandu' },
    }),
  },
  // The proposal is the mentor's: only the other partner (the mentee) may answer it.
  [`POST ${api('/pairs/:id/checkins/:checkinId/accept')}`]: {
    audience: 'pair',
    except: { mentor: 403 },
    request: (w) => ({ params: { id: w.pairId, checkinId: w.proposedCheckInId } }),
  },
  [`POST ${api('/pairs/:id/checkins/:checkinId/decline')}`]: {
    audience: 'pair',
    except: { mentor: 403 },
    request: (w) => ({ params: { id: w.pairId, checkinId: w.proposedCheckInId } }),
  },
  // Either partner may call off the scheduled check-in.
  [`DELETE ${api('/pairs/:id/checkins/:checkinId')}`]: {
    audience: 'pair',
    request: (w) => ({ params: { id: w.pairId, checkinId: w.scheduledCheckInId } }),
  },
  [`GET ${api('/pairs/:id/checkin.ics')}`]: { audience: 'pair', request: (w) => ({ params: { id: w.pairId } }) },

  // ---- goals -----------------------------------------------------------------------------------------
  [`GET ${api('/goals')}`]: { audience: 'pair', request: (w) => ({ query: { pairId: w.pairId } }) },
  [`POST ${api('/goals')}`]: { audience: 'pair', request: (w) => ({ json: { id: uuid(), pairId: w.pairId, title: 'Learn SQL' } }) },
  [`GET ${api('/goals/:id')}`]: { audience: 'pair', request: (w) => ({ params: { id: w.goalId } }) },
  // The goal is the mentee's: both the mentee (owner) and the mentor (edits every goal) may change it.
  [`PATCH ${api('/goals/:id')}`]: { audience: 'pair', request: (w) => ({ params: { id: w.goalId }, json: { version: 1, progress: 40 } }) },
  [`GET ${api('/goals/:id/history')}`]: { audience: 'pair', request: (w) => ({ params: { id: w.goalId } }) },
  // Sealing needs an encrypted pair: the world's pair is marked so (its key exchange is not what this checks; the
  // server cannot open ciphertext either way, so a well-formed sealed value stands in). Sealing itself is covered by
  // test/worker/goal-seal.test.ts.
  [`POST ${api('/goals/:id/seal')}`]: {
    audience: 'pair',
    request: async (w) => {
      await env.DB.prepare('UPDATE pairs SET encrypted_since = ? WHERE id = ?').bind(new Date().toISOString(), w.pairId).run();
      const sealed = `a1.${'A'.repeat(16)}.${'B'.repeat(16)}.${'C'.repeat(22)}`;
      return { params: { id: w.goalId }, json: { version: 1, goal: { title: sealed, specific: '', measure: '', target: '', relevance: '' }, milestones: [], revisions: [] } };
    },
  },
  [`POST ${api('/goals/:id/milestones')}`]: {
    audience: 'pair',
    request: (w) => ({ params: { id: w.goalId }, json: { id: uuid(), title: 'Second draft' } }),
  },
  [`PATCH ${api('/goals/milestones/:id')}`]: {
    audience: 'pair',
    request: (w) => ({ params: { id: w.milestoneId }, json: { version: 1, done: true } }),
  },

  // ---- entries ---------------------------------------------------------------------------------------
  [`GET ${api('/entries')}`]: { audience: 'pair', request: (w) => ({ query: { pairId: w.pairId } }) },
  [`POST ${api('/entries')}`]: {
    audience: 'pair',
    request: (w) => ({ json: { id: uuid(), pairId: w.pairId, kind: 'note', body: 'We agreed on a plan' } }),
  },
  [`GET ${api('/entries/:id')}`]: { audience: 'pair', request: (w) => ({ params: { id: w.entryId } }) },
  // The entry is the mentee's shared note: only its author may change or delete it.
  [`PATCH ${api('/entries/:id')}`]: {
    audience: 'pair',
    except: { mentor: 403 },
    request: (w) => ({ params: { id: w.entryId }, json: { version: 1, body: 'Edited note' } }),
  },
  [`DELETE ${api('/entries/:id')}`]: {
    audience: 'pair',
    except: { mentor: 403 },
    request: (w) => ({ params: { id: w.entryId }, query: { version: '1' } }),
  },

  // ---- agenda ----------------------------------------------------------------------------------------
  [`GET ${api('/agenda')}`]: { audience: 'pair', request: (w) => ({ query: { pairId: w.pairId } }) },
  [`POST ${api('/agenda')}`]: { audience: 'pair', request: (w) => ({ json: { id: uuid(), pairId: w.pairId, body: 'Mock interview' } }) },
  [`PATCH ${api('/agenda/:id')}`]: { audience: 'pair', request: (w) => ({ params: { id: w.agendaItemId }, json: { version: 1, done: true } }) },
  [`DELETE ${api('/agenda/:id')}`]: { audience: 'pair', request: (w) => ({ params: { id: w.agendaItemId }, query: { version: '1' } }) },

  // ---- meetings and feedback -------------------------------------------------------------------------
  [`GET ${api('/meetings')}`]: { audience: 'pair', request: (w) => ({ query: { pairId: w.pairId } }) },
  [`POST ${api('/meetings/start')}`]: {
    audience: 'pair',
    request: (w) => ({ json: { id: uuid(), pairId: w.pairId, platform: 'meet', meetingCode: 'xyz-abcd-efg' } }),
  },
  [`POST ${api('/meetings/:id/end')}`]: { audience: 'pair', request: (w) => ({ params: { id: w.openMeetingId }, json: { reason: 'left' } }) },
  [`POST ${api('/meetings')}`]: {
    audience: 'pair',
    request: (w) => ({
      json: { id: uuid(), pairId: w.pairId, startedAt: new Date(Date.now() - 7_200_000).toISOString(), endedAt: new Date(Date.now() - 3_600_000).toISOString() },
    }),
  },
  [`GET ${api('/feedback')}`]: { audience: 'pair', request: (w) => ({ query: { pairId: w.pairId } }) },
  [`POST ${api('/feedback')}`]: { audience: 'pair', request: (w) => ({ json: { id: uuid(), meetingId: w.endedMeetingId, rating: 4 } }) },

  // ---- admin: people ---------------------------------------------------------------------------------
  // Lists and creations are about the admin's own organisation, so another organisation's admin is allowed (and
  // sees only their own); a person or pair of this organisation named by id is "not found" for them.
  [`GET ${api('/admin/users')}`]: { audience: 'admin', request: () => ({}) },
  [`POST ${api('/admin/users')}`]: {
    audience: 'admin',
    request: () => ({ json: { role: 'mentee', name: 'New Person', email: `${uuid()}@example.org`, timeZone: 'Europe/Berlin' } }),
  },
  [`PATCH ${api('/admin/users/:id')}`]: {
    audience: 'admin',
    except: { otherOrgAdmin: 404 },
    request: (w) => ({ params: { id: w.spareMentee.id }, json: { name: 'Renamed Person' } }),
  },
  [`POST ${api('/admin/users/:id/revoke')}`]: {
    audience: 'admin',
    except: { otherOrgAdmin: 404 },
    request: (w) => ({ params: { id: w.spareMentee.id } }),
  },
  [`DELETE ${api('/admin/users/:id')}`]: {
    audience: 'admin',
    except: { otherOrgAdmin: 404 },
    request: (w) => ({ params: { id: w.spareMentee.id }, json: { confirmEmail: `${w.spareMentee.id}@example.org` } }),
  },
  [`POST ${api('/admin/users/import')}`]: {
    audience: 'admin',
    request: () => ({
      text: { body: `name,email,role,timeZone\r\nImported Person,${uuid()}@example.org,mentor,Europe/Paris\r\n`, contentType: 'text/csv' },
    }),
  },
  [`GET ${api('/admin/users/:id/invitation-status')}`]: {
    audience: 'admin',
    except: { otherOrgAdmin: 404 },
    request: (w) => ({ params: { id: w.spareMentee.id } }),
  },
  [`POST ${api('/admin/invitations')}`]: {
    audience: 'admin',
    except: { otherOrgAdmin: 404 },
    request: (w) => ({ json: { userId: w.spareMentee.id } }),
  },

  // ---- admin: pairs ----------------------------------------------------------------------------------
  [`GET ${api('/admin/pairs')}`]: { audience: 'admin', request: () => ({}) },
  [`POST ${api('/admin/pairs')}`]: {
    audience: 'admin',
    // This organisation's mentor and mentee are not people of another organisation's programme.
    except: { otherOrgAdmin: 400 },
    request: (w) => ({ json: { mentorId: w.spareMentor.id, menteeId: w.spareMentee.id, cadence: 'biweekly' } }),
  },
  [`GET ${api('/admin/pairs/:id')}`]: { audience: 'admin', except: { otherOrgAdmin: 404 }, request: (w) => ({ params: { id: w.pairId } }) },
  [`PATCH ${api('/admin/pairs/:id')}`]: {
    audience: 'admin',
    except: { otherOrgAdmin: 404 },
    request: (w) => ({ params: { id: w.pairId }, json: { version: 1, cadence: 'monthly' } }),
  },

  // ---- admin: insights, exports, audit, settings ------------------------------------------------------
  [`GET ${api('/admin/dashboard')}`]: { audience: 'admin', request: () => ({}) },
  [`GET ${api('/admin/matches')}`]: {
    audience: 'admin',
    except: { otherOrgAdmin: 404 },
    request: (w) => ({ query: { menteeId: w.spareMentee.id } }),
  },
  [`GET ${api('/admin/export/engagement.csv')}`]: { audience: 'admin', request: () => ({}) },
  [`GET ${api('/admin/export/pairs.csv')}`]: { audience: 'admin', request: () => ({}) },
  [`GET ${api('/admin/audit')}`]: { audience: 'admin', request: () => ({}) },
  [`GET ${api('/admin/audit.csv')}`]: { audience: 'admin', request: () => ({}) },
  [`GET ${api('/admin/settings')}`]: { audience: 'admin', request: () => ({}) },
  [`PATCH ${api('/admin/settings')}`]: { audience: 'admin', request: () => ({ json: { retentionDays: 365 } }) },
};

/** The expected outcome of every caller for one route. */
export function expectedOutcomes(spec: RouteSpec): Record<Caller, Outcome> {
  const byDefault = AUDIENCE_DEFAULTS[spec.audience];
  return Object.fromEntries(
    (['anonymous', 'garbage', 'signedOut', 'expired', 'mentee', 'mentor', 'otherPairMember', 'admin', 'otherOrgAdmin', 'otherOrgMember'] as const).map(
      (c) => [c, spec.except?.[c] ?? byDefault(c)],
    ),
  ) as Record<Caller, Outcome>;
}

/**
 * The id of one of the mentee's sessions other than the one asking, read through GET /me/sessions (the session
 * routes are new in issue 8; if the answer has another shape, a random id makes the mentee's own check fail loudly).
 */
async function menteeSessionId(w: World): Promise<string> {
  const token = await freshToken(w.mentee);
  const res = await send({ method: 'GET', url: api('/me/sessions'), token });
  if (res.ok) {
    const json = (await res.json()) as { sessions?: { id?: unknown; current?: unknown; active?: unknown }[] };
    const other = json.sessions?.find((s) => typeof s.id === 'string' && s.current !== true && s.active !== false);
    if (typeof other?.id === 'string') return other.id;
  }
  return uuid();
}

/** Renders a request of the table as method, encoded URL, content type and body. */
export function renderRequest(route: AppRoute, r: RouteRequest): { url: string; contentType?: string; body?: string } {
  const params = Object.fromEntries(Object.entries(r.params ?? {}).map(([k, v]) => [k, encodeURIComponent(v)]));
  const search = r.query ? `?${new URLSearchParams(r.query).toString()}` : '';
  const url = `${fillPath(route.path, params)}${search}`;
  if (r.text) return { url, contentType: r.text.contentType, body: r.text.body };
  if (r.json !== undefined) return { url, contentType: 'application/json', body: JSON.stringify(r.json) };
  return { url };
}
