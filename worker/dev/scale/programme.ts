/**
 * The scale programme (issue 11, item 1): one organisation of 10,000 pairs with a year of meetings on their cadences,
 * feedback, goals with revisions and milestones, agenda items and 1,000,000 entries (shared, private and actions),
 * every pair end-to-end encrypted. The benchmark writes it into local D1 (scale-seed.ts); tests insert a few pairs
 * of the same shape into their own D1 (test/worker/query-plans.test.ts).
 *
 * Reproducible: every value comes from a seeded PRNG and the `today` given, never from Math.random or the clock.
 * Each pair draws from its own streams (seed, pair number, purpose), so pair 17 is the same whether 10 or 10,000
 * pairs are made, and `pairs(from, to)` can make any slice.
 *
 * Runtime-neutral on purpose (no node: imports): it runs in Node for the seed and in workerd for the tests.
 * Rows are arrays in the order of `COLUMNS[table]`.
 */

// ---- sizes ---------------------------------------------------------------------------------------------------------

export interface ProgrammeSize {
  pairs: number;
  /** Mentors take pairs round-robin: 3,000 mentors for 10,000 pairs is 3–4 mentees each. */
  mentors: number;
  /** Exactly this many entries over all pairs, shared out by how often each pair meets. */
  entries: number;
}

export const FULL_SIZE: ProgrammeSize = { pairs: 10_000, mentors: 3_000, entries: 1_000_000 };
export const QUICK_SIZE: ProgrammeSize = { pairs: 1_000, mentors: 300, entries: 100_000 };

export interface ProgrammeOptions {
  size: ProgrammeSize;
  seed: number;
  /** The day the year of activity ends (YYYY-MM-DD, UTC); nothing is dated after its start. */
  today: string;
}

// ---- ids -----------------------------------------------------------------------------------------------------------

export const ORG_ID = '0190b000-0000-7000-8000-000000000001';
export const ADMIN_ID = '0190b000-0000-7000-8000-000000000002';
const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
/** Fixed, readable ids for people and pairs (v7 layout, so the API's uuid check accepts them). */
export const mentorId = (m: number) => `a1${hex(m, 6)}-0000-7000-8000-${hex(m, 12)}`;
export const menteeId = (p: number) => `a2${hex(p, 6)}-0000-7000-8000-${hex(p, 12)}`;
export const pairId = (p: number) => `b0${hex(p, 6)}-0000-7000-8000-${hex(p, 12)}`;

// ---- the PRNG ------------------------------------------------------------------------------------------------------

/** 32-bit mixing (MurmurHash3's finaliser), to turn (seed, pair, purpose) into independent stream seeds. */
function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  /** 32 random bits. */
  u32(): number;
}

/** sfc32 (Chris Doty-Humphrey's Small Fast Counting generator): fast, 128-bit state, passes PractRand. */
export function rng(seed: number, ...stream: number[]): Rng {
  let a = mix(seed ^ 0x9e3779b9);
  let b = mix(a ^ 0x243f6a88);
  let c = mix(b ^ 0xb7e15162);
  let d = 1;
  for (const s of stream) {
    a = mix(a ^ s);
    b = mix(b + Math.imul(s, 0x27d4eb2f));
    c = mix(c ^ (s >>> 0) ^ 0x165667b1);
  }
  const u32 = () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 12; i++) u32();
  const next = () => u32() / 4294967296;
  return { next, u32, int: (n) => Math.floor(next() * n), chance: (p) => next() < p };
}

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** `n` base64url characters of random bits. */
function b64chars(r: Rng, n: number): string {
  let out = '';
  while (out.length < n) {
    let x = r.u32();
    for (let k = 0; k < 5 && out.length < n; k++, x >>>= 6) out += B64URL[x & 63];
  }
  return out;
}

/** base64url length (no padding) of `bytes` bytes. */
const b64len = (bytes: number) => Math.ceil((bytes * 4) / 3);

/** A random UUID: v7 when a time is given (server-made ids), else v4 (client-made ids: entries, agenda, feedback). */
export function uuidFrom(r: Rng, ms?: number): string {
  const h8 = () => hex(r.u32(), 8);
  const timeHigh = ms === undefined ? h8() : hex(Math.floor(ms / 65536), 8);
  const timeLow = ms === undefined ? hex(r.int(65536), 4) : hex(ms % 65536, 4);
  const version = ms === undefined ? '4' : '7';
  const variant = hex(8 + r.int(4), 1);
  return `${timeHigh}-${timeLow}-${version}${hex(r.int(4096), 3)}-${variant}${hex(r.int(4096), 3)}-${h8()}${hex(r.int(65536), 4)}`;
}

// ---- sealed text ---------------------------------------------------------------------------------------------------

/** A key id as the client makes them (16 base64url characters). */
export const keyIdFrom = (r: Rng) => b64chars(r, 16);

/**
 * A value shaped like shared/crypto/seal.ts's output for a plaintext of `plainBytes` UTF-8 bytes:
 * `a1.<keyId>.<12-byte nonce>.<ciphertext‖16-byte GCM tag>`. The bytes are random: the server never opens them.
 */
export function sealedLike(r: Rng, keyId: string, plainBytes: number): string {
  return `a1.${keyId}.${b64chars(r, 16)}.${b64chars(r, b64len(plainBytes + 16))}`;
}

/** A note's length in bytes: log-normal around 70 bytes (a line or two), 8 to 4,000. */
function noteBytes(r: Rng): number {
  // Box–Muller: one standard normal.
  const z = Math.sqrt(-2 * Math.log(1 - r.next())) * Math.cos(2 * Math.PI * r.next());
  return Math.max(8, Math.min(4000, Math.round(Math.exp(Math.log(70) + 0.8 * z))));
}

// ---- tables --------------------------------------------------------------------------------------------------------

/** The columns written for each table, in row order. Only named columns: later migrations may add defaulted ones. */
export const COLUMNS = {
  organisations: ['id', 'name', 'created_at'],
  users: ['id', 'org_id', 'role', 'name', 'email', 'time_zone', 'work_start_minute', 'work_end_minute', 'skills', 'interests', 'goals', 'capacity', 'created_at', 'updated_at'],
  pairs: ['id', 'org_id', 'mentor_id', 'mentee_id', 'status', 'cadence', 'meeting_links', 'started_on', 'ended_on', 'version', 'created_at', 'updated_at', 'encrypted_since'],
  meetings: ['id', 'pair_id', 'org_id', 'platform', 'meeting_code', 'started_at', 'ended_at', 'source', 'created_by', 'created_at', 'updated_at', 'end_reason'],
  feedback: ['id', 'meeting_id', 'pair_id', 'org_id', 'author_id', 'rating', 'comment', 'created_at'],
  goals: ['id', 'pair_id', 'org_id', 'owner_id', 'title', 'specific', 'measure', 'target', 'relevance', 'due_on', 'status', 'progress', 'version', 'created_at', 'updated_at'],
  goal_revisions: ['id', 'goal_id', 'pair_id', 'author_id', 'version', 'progress', 'status', 'snapshot', 'note', 'created_at'],
  milestones: ['id', 'goal_id', 'pair_id', 'title', 'due_on', 'done_at', 'version', 'created_at', 'updated_at'],
  agenda_items: ['id', 'pair_id', 'author_id', 'body', 'position', 'done_at', 'version', 'created_at', 'updated_at', 'deleted_at'],
  entries: [
    'id', 'pair_id', 'org_id', 'meeting_id', 'goal_id', 'author_id', 'kind', 'visibility', 'body', 'action_owner_id', 'action_due_on', 'action_done_at',
    'version', 'change_seq', 'shared_seq', 'private_seq', 'created_at', 'updated_at', 'deleted_at',
  ],
} as const;

export type Table = keyof typeof COLUMNS;
export type Value = string | number | null;
/** Receives each row; tables come in an order that satisfies the foreign keys. */
export type Sink = (table: Table, row: Value[]) => void;

// ---- the programme -------------------------------------------------------------------------------------------------

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
const date = (ms: number) => iso(ms).slice(0, 10);
const dayStart = (day: string) => Date.parse(`${day}T00:00:00.000Z`);

type Cadence = 'weekly' | 'biweekly' | 'monthly';
const CADENCE_DAYS: Record<Cadence, number> = { weekly: 7, biweekly: 14, monthly: 30 };
const MENTOR_ZONES = ['Europe/Lisbon', 'America/New_York', 'Asia/Kolkata', 'Asia/Tokyo'];
const MENTEE_ZONES = ['Europe/Berlin', 'America/Sao_Paulo', 'Asia/Singapore'];
const PLATFORMS = [['meet', 0.6], ['zoom', 0.2], ['teams', 0.15], ['jitsi', 0.05]] as const;

/** PRNG streams of a pair: its shape (status, cadence, meetings) is drawn apart from its content. */
const STREAM = { shape: 1, content: 2, entries: 3 } as const;

interface Meeting {
  id: string;
  start: number;
  end: number;
}

interface PairShape {
  n: number;
  id: string;
  mentor: string;
  mentee: string;
  status: 'active' | 'paused' | 'ended';
  cadence: Cadence;
  startedOn: string;
  endedOn: string | null;
  /** Time of the pair's first record. */
  createdAt: number;
  /** Nothing of the pair is later than this (today, or the day it ended). */
  until: number;
  meetings: Meeting[];
  /** Pairs whose ratings dropped in the last two months (the dashboard's "falling ratings"). */
  unhappy: boolean;
}

/** A pair's status, cadence and meetings: the part of a pair the entry quota depends on. */
function pairShape(o: ProgrammeOptions, n: number): PairShape {
  const r = rng(o.seed, n, STREAM.shape);
  const today = dayStart(o.today);
  const yearAgo = today - 365 * DAY;
  const s = r.int(100);
  const status = s < 4 ? 'paused' : s < 7 ? 'ended' : 'active';
  const c = r.int(100);
  const cadence: Cadence = c < 40 ? 'weekly' : c < 75 ? 'biweekly' : 'monthly';
  // Started up to 13 months ago; ended pairs ended in the last three months.
  const started = yearAgo - 30 * DAY + r.int(60) * DAY;
  const ended = status === 'ended' ? today - (1 + r.int(90)) * DAY : null;
  const until = ended ?? today;
  const quiet = r.chance(0.05); // went quiet two months ago (the dashboard's "no meeting lately")
  const unhappy = r.chance(0.03);
  const period = CADENCE_DAYS[cadence];
  const first = Math.max(started, yearAgo) + r.int(7) * DAY;
  const hour = 8 + r.int(10); // the pair's usual time, UTC
  const meetings: Meeting[] = [];
  for (let k = 0; k * period < 366; k++) {
    const start = first + k * period * DAY + (r.int(3) - 1) * DAY + hour * 3_600_000 + r.int(4) * 15 * 60_000;
    const skipped = r.chance(0.1);
    const minutes = 25 + r.int(40);
    if (skipped || start >= until || (quiet && start > today - 60 * DAY)) continue;
    meetings.push({ id: '', start, end: Math.min(start + minutes * 60_000, until) });
  }
  return {
    n,
    id: pairId(n),
    mentor: mentorId((n % o.size.mentors) + 1),
    mentee: menteeId(n),
    status,
    cadence,
    startedOn: date(started),
    endedOn: ended === null ? null : date(ended),
    createdAt: started,
    until,
    meetings,
    unhappy,
  };
}

/**
 * How many entries each pair gets: exactly `size.entries` in all, in proportion to how often the pair met (a pair
 * that meets weekly writes about four times what a monthly one does), with some pairs keener than others.
 */
export function entryQuotas(o: ProgrammeOptions): number[] {
  const weights: number[] = [];
  let total = 0;
  for (let n = 1; n <= o.size.pairs; n++) {
    const w = Math.max(1, pairShape(o, n).meetings.length) * (0.5 + rng(o.seed, n, STREAM.entries).next());
    weights.push(w);
    total += w;
  }
  const quotas = weights.map((w) => Math.floor((o.size.entries * w) / total));
  let left = o.size.entries - quotas.reduce((a, b) => a + b, 0);
  for (let i = 0; left > 0; i = (i + 1) % quotas.length, left--) quotas[i] = (quotas[i] ?? 0) + 1;
  return quotas;
}

/** The organisation, its admin, mentors and mentees. */
export function people(o: ProgrammeOptions, sink: Sink): void {
  const created = iso(dayStart(o.today) - 400 * DAY);
  sink('organisations', [ORG_ID, 'Benchmark Programme', created]);
  sink('users', [ADMIN_ID, ORG_ID, 'admin', 'Bench Admin', 'admin@bench.test', 'UTC', 540, 1020, '[]', '[]', '[]', 0, created, created]);
  for (let m = 1; m <= o.size.mentors; m++) {
    sink('users', [
      mentorId(m), ORG_ID, 'mentor', `Mentor ${m}`, `mentor${m}@bench.test`, MENTOR_ZONES[m % MENTOR_ZONES.length] ?? 'UTC', 480, 1020,
      '["typescript","public speaking"]', '["design"]', '[]', 4, created, created,
    ]);
  }
  for (let p = 1; p <= o.size.pairs; p++) {
    sink('users', [
      menteeId(p), ORG_ID, 'mentee', `Mentee ${p}`, `mentee${p}@bench.test`, MENTEE_ZONES[p % MENTEE_ZONES.length] ?? 'UTC', 540, 1080,
      '[]', '["design"]', '["public speaking"]', 0, created, created,
    ]);
  }
}

interface EntryDraft {
  row: Value[];
  visibility: 'shared' | 'private';
  author: string;
  /** Times of its changes after creation (edit, tick, delete), in order. */
  changes: number[];
  created: number;
}

/** Everything of pair `n` with `entryCount` entries: the pair, meetings, feedback, goals, agenda and entries. */
export function pair(o: ProgrammeOptions, n: number, entryCount: number, sink: Sink): void {
  const shape = pairShape(o, n);
  const r = rng(o.seed, n, STREAM.content);
  const today = dayStart(o.today);
  const members = [shape.mentor, shape.mentee];
  const pairKey = keyIdFrom(r);
  const personalKey = { [shape.mentor]: keyIdFrom(r), [shape.mentee]: keyIdFrom(r) };
  const platformDraw = r.next();
  let acc = 0;
  const platform = PLATFORMS.find(([, p]) => (acc += p) > platformDraw)?.[0] ?? 'meet';
  const letters = (k: number) => Array.from({ length: k }, () => String.fromCharCode(97 + r.int(26))).join('');
  const code = platform === 'meet' ? `${letters(3)}-${letters(4)}-${letters(3)}` : String(80_000_000_000 + r.int(1_000_000_000));
  const links = platform === 'meet' ? JSON.stringify({ meet: `https://meet.google.com/${code}` }) : '{}';
  const created = iso(shape.createdAt);
  // Every pair is end-to-end encrypted from the start: all its text below is ciphertext.
  sink('pairs', [shape.id, ORG_ID, shape.mentor, shape.mentee, shape.status, shape.cadence, links, shape.startedOn, shape.endedOn, 1, created, created, created]);

  for (const m of shape.meetings) {
    m.id = uuidFrom(r, m.start);
    const manual = r.chance(0.1);
    const reason = m.end >= shape.until ? 'page-closed' : r.chance(0.7) ? 'left' : 'ended';
    sink('meetings', [m.id, shape.id, ORG_ID, platform, code, iso(m.start), iso(m.end), manual ? 'manual' : 'auto', shape.mentor, iso(m.start), iso(m.end), manual ? 'manual' : reason]);
    // The mentor rates 70 % of meetings, the mentee 80 %.
    for (const [author, p] of [[shape.mentor, 0.7], [shape.mentee, 0.8]] as const) {
      if (!r.chance(p)) continue;
      const low = shape.unhappy && m.start > today - 60 * DAY;
      const at = Math.min(m.end + (10 + r.int(600)) * 60_000, today);
      sink('feedback', [uuidFrom(r), m.id, shape.id, ORG_ID, author, low ? 1 + r.int(2) : 3 + r.int(3), r.chance(0.3) ? sealedLike(r, personalKey[author] ?? pairKey, 30 + r.int(120)) : '', iso(at)]);
    }
  }

  // Goals: two or three per pair, owned by the mentee, each with three revisions and one to three milestones.
  const goalIds: string[] = [];
  const goalCount = 2 + (r.chance(0.3) ? 1 : 0);
  for (let g = 0; g < goalCount; g++) {
    const goalCreated = shape.createdAt + (1 + r.int(20)) * DAY;
    const id = uuidFrom(r, goalCreated);
    goalIds.push(id);
    const s = r.int(100);
    const status = s < 15 ? 'completed' : s < 20 ? 'paused' : s < 25 ? 'dropped' : 'active';
    const progress = status === 'completed' ? 100 : r.int(100);
    // The last revision up to 45 days ago, so some goals are stalled.
    const lastChange = Math.max(goalCreated, Math.min(shape.until, today - r.int(45) * DAY));
    const title = sealedLike(r, pairKey, 20 + r.int(60));
    const smart = [0, 1, 2, 3].map(() => sealedLike(r, pairKey, 30 + r.int(150)));
    const due = date(today + (r.int(360) - 120) * DAY);
    sink('goals', [id, shape.id, ORG_ID, shape.mentee, title, ...smart, due, status, progress, 3, iso(goalCreated), iso(lastChange)]);
    for (let v = 1; v <= 3; v++) {
      const at = goalCreated + ((lastChange - goalCreated) * (v - 1)) / 2;
      const snapshot = JSON.stringify({ title, specific: smart[0], measure: smart[1], target: smart[2], relevance: smart[3], dueOn: due });
      sink('goal_revisions', [
        uuidFrom(r, at), id, shape.id, v === 1 ? shape.mentee : (members[r.int(2)] ?? shape.mentee), v, Math.round((progress * (v - 1)) / 2),
        v === 3 ? status : 'active', snapshot, v === 1 ? '' : sealedLike(r, pairKey, 10 + r.int(80)), iso(at),
      ]);
    }
    const milestones = 1 + r.int(3);
    for (let k = 0; k < milestones; k++) {
      const dueMs = goalCreated + (k + 1) * (30 + r.int(60)) * DAY;
      const done = dueMs < today && r.chance(0.6) ? iso(Math.min(dueMs, today - DAY)) : null;
      sink('milestones', [uuidFrom(r, goalCreated), id, shape.id, sealedLike(r, pairKey, 15 + r.int(50)), date(dueMs), done, done ? 2 : 1, iso(goalCreated), done ?? iso(goalCreated)]);
    }
  }

  // Agenda: what is left for the next call (up to four open items), and a few done ones.
  const agendaCount = r.int(6);
  for (let k = 0; k < agendaCount; k++) {
    const at = Math.max(shape.createdAt, shape.until - r.int(20) * DAY);
    const done = k >= 4 || r.chance(0.2) ? iso(Math.min(at + DAY, today)) : null;
    sink('agenda_items', [uuidFrom(r), shape.id, members[r.int(2)] ?? shape.mentee, sealedLike(r, pairKey, 15 + r.int(80)), k, done, done ? 2 : 1, iso(at), done ?? iso(at), null]);
  }

  entries(o, shape, entryCount, { pairKey, personalKey, goalIds }, sink);
}

/**
 * A pair's entries, with its three change streams numbered as the worker numbers them (worker/db/entries.ts): every
 * change (create, edit, tick off, delete) takes the next `change_seq` of the pair, and the next number of the
 * stream the entry is in (`shared_seq`, or the author's `private_seq`). An entry keeps the numbers of its last change.
 */
function entries(
  o: ProgrammeOptions,
  shape: PairShape,
  count: number,
  keys: { pairKey: string; personalKey: Record<string, string>; goalIds: string[] },
  sink: Sink,
): void {
  const r = rng(o.seed, shape.n, STREAM.entries);
  r.next(); // the quota's draw (entryQuotas)
  const today = dayStart(o.today);
  const members = [shape.mentor, shape.mentee];
  const drafts: EntryDraft[] = [];
  for (let i = 0; i < count; i++) {
    // 85 % are written during a call, the rest between calls.
    const meeting = shape.meetings.length && r.chance(0.85) ? shape.meetings[r.int(shape.meetings.length)] : undefined;
    const created = meeting
      ? meeting.start + r.int(Math.max(1, meeting.end - meeting.start))
      : shape.createdAt + r.int(Math.max(1, shape.until - shape.createdAt));
    const author = members[r.int(2)] ?? shape.mentor;
    const k = r.int(100);
    const kind = k < 55 ? 'note' : k < 80 ? 'action' : k < 90 ? 'decision' : 'question';
    const visibility = kind !== 'action' && r.chance(0.2) ? 'private' : 'shared';
    const changes: number[] = [];
    const later = (days: number) => Math.min(created + (1 + r.int(days * 24)) * 3_600_000, shape.until - 1);
    let updated = created;
    if (r.chance(0.08)) {
      const edit = later(3);
      if (edit > created) changes.push((updated = edit));
    }
    let owner: string | null = null;
    let due: string | null = null;
    let doneAt: string | null = null;
    if (kind === 'action') {
      owner = members[r.int(2)] ?? shape.mentee;
      const dueMs = created + 7 * DAY;
      due = date(dueMs);
      if (r.chance(dueMs < today - 7 * DAY ? 0.75 : 0.2)) {
        const tick = later(14);
        if (tick > updated) {
          changes.push((updated = tick));
          doneAt = iso(tick);
        }
      }
    }
    let deletedAt: string | null = null;
    if (r.chance(0.02)) {
      const gone = later(10);
      if (gone > updated) {
        changes.push((updated = gone));
        deletedAt = iso(gone);
      }
    }
    const key = visibility === 'private' ? (keys.personalKey[author] ?? keys.pairKey) : keys.pairKey;
    const body = deletedAt ? '' : sealedLike(r, key, noteBytes(r));
    const goal = keys.goalIds.length && r.chance(0.15) ? (keys.goalIds[r.int(keys.goalIds.length)] ?? null) : null;
    drafts.push({
      row: [
        uuidFrom(r), shape.id, ORG_ID, meeting?.id ?? null, goal, author, kind, visibility, body, owner, due, doneAt,
        1 + changes.length, 0, null, null, iso(created), iso(updated), deletedAt,
      ],
      visibility,
      author,
      changes,
      created,
    });
  }
  // Number the changes in time order; each entry keeps the numbers of its last change.
  const events: { at: number; d: EntryDraft }[] = [];
  for (const d of drafts) for (const at of [d.created, ...d.changes]) events.push({ at, d });
  events.sort((a, b) => a.at - b.at);
  let changeSeq = 0;
  let sharedSeq = 0;
  const privateSeq: Record<string, number> = {};
  const SEQ = COLUMNS.entries.indexOf('change_seq');
  for (const { d } of events) {
    d.row[SEQ] = ++changeSeq;
    if (d.visibility === 'shared') d.row[SEQ + 1] = ++sharedSeq;
    else d.row[SEQ + 2] = privateSeq[d.author] = (privateSeq[d.author] ?? 0) + 1;
  }
  // Written in the order they were created, as they would have arrived.
  drafts.sort((a, b) => a.created - b.created);
  for (const d of drafts) sink('entries', d.row);
}

/** The whole programme, or pairs `from`..`to` (1-based, inclusive) of it, people first. */
export function generateProgramme(o: ProgrammeOptions, sink: Sink, range: { from: number; to: number } = { from: 1, to: o.size.pairs }): void {
  const quotas = entryQuotas(o);
  people(o, sink);
  for (let n = range.from; n <= range.to; n++) pair(o, n, quotas[n - 1] ?? 0, sink);
}
