import { z } from 'zod';
import {
  Cadence,
  EntryKind,
  GoalStatus,
  Id,
  IsoDate,
  IsoDateTime,
  LongText,
  MeetingPlatform,
  PairStatus,
  Platform,
  Progress,
  ShortText,
  Text,
  Version,
  Visibility,
} from './common.ts';
import { Person } from './people.ts';
import { Sealed, isSealed } from '../crypto/seal.ts';
import { meetingLinkProblem } from '../domain/meeting-links.ts';

/**
 * The longest sealed value (`a1.<keyId>.<nonce>.<ciphertext>`, shared/crypto/seal.ts) of a text of at most
 * `plainMax` UTF-16 code units. UTF-8 takes at most 3 bytes per code unit (a BMP character is 1 unit and ≤ 3 bytes;
 * an astral one is 2 units and 4 bytes), AES-GCM adds a 16-byte tag, base64url without padding takes ⌈4n/3⌉
 * characters (RFC 4648 §5), and the prefix is 37 characters ("a1." + 16 + "." + 16 + ".").
 */
export const sealedMaxLength = (plainMax: number): number => 37 + Math.ceil((4 * (3 * plainMax + 16)) / 3);

/**
 * A text field that pairs may send either as plain text (limits as before) or, once their notes are end-to-end
 * encrypted, as a sealed value, which is stored as sent: never trimmed, and with a limit that fits the longest
 * ciphertext of the longest allowed text. Which one a pair must send is the route's decision (pairs.encrypted_since).
 */
export const sealedOr = <T extends z.ZodType<string>>(plain: T, plainMax: number) => z.union([Sealed.max(sealedMaxLength(plainMax)), plain]);

/**
 * Meeting links per platform, e.g. { meet: "https://meet.google.com/abc-defg-hij" }: https on the platform's own
 * hosts only (shared/domain/meeting-links.ts), so no `javascript:` or `data:` link is ever stored or rendered.
 */
export const MeetingLinks = z.partialRecord(Platform, Text.max(500)).superRefine((links, ctx) => {
  for (const platform of Platform.options) {
    const url = links[platform];
    const problem = url === undefined ? undefined : meetingLinkProblem(platform, url);
    if (problem) ctx.addIssue({ code: 'custom', path: [platform], message: problem });
  }
});
export type MeetingLinks = z.infer<typeof MeetingLinks>;

export const Pair = z.object({
  id: Id,
  orgId: Id,
  mentorId: Id,
  menteeId: Id,
  status: PairStatus,
  cadence: Cadence,
  meetingLinks: MeetingLinks,
  startedOn: IsoDate,
  endedOn: IsoDate.nullable(),
  version: Version,
});
export type Pair = z.infer<typeof Pair>;

export const PairSummary = Pair.extend({ partner: Person, myRole: z.enum(['mentor', 'mentee']) });
export type PairSummary = z.infer<typeof PairSummary>;

// ---- goals and milestones -----------------------------------------------------------------------

/** Plain-text limits of goal text (ShortText and LongText), which also size their sealed forms (sealedOr). */
export const GOAL_TITLE_MAX = 200;
export const GOAL_FIELD_MAX = 4000;
export const MILESTONE_TITLE_MAX = 200;
export const GOAL_NOTE_MAX = 500;

/** Goal and milestone text as sent: plain, or sealed once the pair's notes are end-to-end encrypted (issue 10). */
const GoalTitleInput = sealedOr(ShortText, GOAL_TITLE_MAX);
const GoalFieldInput = sealedOr(LongText, GOAL_FIELD_MAX);
const MilestoneTitleInput = sealedOr(ShortText, MILESTONE_TITLE_MAX);

/**
 * The title a mentee shows the programme for one of their goals: plain text on purpose, as admins read it, so never a
 * sealed value (the admin view must not show ciphertext).
 */
export const ProgrammeTitle = ShortText.refine((t) => !isSealed(t), { message: 'A programme title is plain text: the programme reads it' });

export const Milestone = z.object({
  id: Id,
  goalId: Id,
  /** Plain, or sealed (shared/crypto/seal.ts) once the pair is encrypted. */
  title: z.string(),
  dueOn: IsoDate.nullable(),
  doneAt: IsoDateTime.nullable(),
  version: Version,
});
export type Milestone = z.infer<typeof Milestone>;

/** A goal's SMART fields as sent when it is created. */
export const SmartFields = z.object({
  title: GoalTitleInput,
  specific: GoalFieldInput.default(''),
  measure: GoalFieldInput.default(''),
  target: GoalFieldInput.default(''),
  relevance: GoalFieldInput.default(''),
  dueOn: IsoDate.nullable().default(null),
});

/** A goal's SMART fields as stored in a revision: text as it was stored, plain or sealed, never re-checked. */
export const GoalSnapshot = z.object({
  title: z.string(),
  specific: z.string().default(''),
  measure: z.string().default(''),
  target: z.string().default(''),
  relevance: z.string().default(''),
  dueOn: IsoDate.nullable().default(null),
});

export const Goal = z.object({
  id: Id,
  pairId: Id,
  ownerId: Id,
  /** Title and SMART fields: plain, or sealed once the pair is encrypted. */
  title: z.string(),
  specific: z.string(),
  measure: z.string(),
  target: z.string(),
  relevance: z.string(),
  dueOn: IsoDate.nullable(),
  status: GoalStatus,
  progress: z.number().int(),
  /**
   * The title the mentee shows the programme (ProgrammeTitle), or null: the goal is private to the pair. Absent in
   * copies stored before it existed (the extension's cached call context), which read as null.
   */
  programmeTitle: z.string().nullable().default(null),
  version: Version,
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
  milestones: z.array(Milestone),
});
export type Goal = z.infer<typeof Goal>;

export const NewGoal = SmartFields.extend({
  id: Id,
  pairId: Id,
  /** Whose goal it is; defaults to the mentee of the pair. */
  ownerId: Id.optional(),
  progress: Progress.default(0),
});
export type NewGoal = z.input<typeof NewGoal>;

/** The fields of a goal whose change is recorded as a revision (GoalPatch's `note` says why). */
export const REVISED_GOAL_FIELDS = ['title', 'specific', 'measure', 'target', 'relevance', 'dueOn', 'status', 'progress'] as const;

export const GoalPatch = z
  .object({
    version: Version,
    title: GoalTitleInput.optional(),
    specific: GoalFieldInput.optional(),
    measure: GoalFieldInput.optional(),
    target: GoalFieldInput.optional(),
    relevance: GoalFieldInput.optional(),
    dueOn: IsoDate.nullable().optional(),
    status: GoalStatus.optional(),
    progress: Progress.optional(),
    /** Why it changed, kept in the history. */
    note: sealedOr(Text.max(GOAL_NOTE_MAX), GOAL_NOTE_MAX).optional(),
    /**
     * The mentee shows this goal's title to the programme (null: private to the pair again). Only the mentee who owns
     * the goal may set it. Not a change of the goal's SMART fields: no revision is recorded, the version still moves.
     */
    programmeTitle: ProgrammeTitle.nullable().optional(),
  })
  .refine((p) => Object.keys(p).some((k) => k !== 'version' && k !== 'note'), { message: 'Nothing to change' })
  .refine((p) => p.note === undefined || REVISED_GOAL_FIELDS.some((k) => p[k] !== undefined), {
    message: 'A note says why the goal changed: send it with a change to the goal',
    path: ['note'],
  });
export type GoalPatch = z.input<typeof GoalPatch>;

export const GoalRevision = z.object({
  id: Id,
  goalId: Id,
  authorId: Id,
  version: Version,
  progress: z.number().int(),
  status: GoalStatus,
  snapshot: GoalSnapshot,
  /** Plain, or sealed once the pair is encrypted ('Created' on a goal's first revision is the server's). */
  note: z.string(),
  createdAt: IsoDateTime,
});
export type GoalRevision = z.infer<typeof GoalRevision>;

export const NewMilestone = z.object({ id: Id, title: MilestoneTitleInput, dueOn: IsoDate.nullable().default(null) });
export const MilestonePatch = z
  .object({ version: Version, title: MilestoneTitleInput.optional(), dueOn: IsoDate.nullable().optional(), done: z.boolean().optional() })
  .refine((p) => p.title !== undefined || p.dueOn !== undefined || p.done !== undefined, { message: 'Nothing to change' });

// ---- entries ------------------------------------------------------------------------------------

export const ENTRY_BODY_MAX = 10_000;

export const Entry = z.object({
  id: Id,
  pairId: Id,
  meetingId: Id.nullable(),
  goalId: Id.nullable(),
  authorId: Id,
  kind: EntryKind,
  visibility: Visibility,
  body: z.string(),
  actionOwnerId: Id.nullable(),
  actionDueOn: IsoDate.nullable(),
  actionDoneAt: IsoDateTime.nullable(),
  version: Version,
  seq: z.number().int(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
  deleted: z.boolean(),
});
export type Entry = z.infer<typeof Entry>;

export const NewEntry = z
  .object({
    id: Id,
    pairId: Id,
    meetingId: Id.nullable().default(null),
    goalId: Id.nullable().default(null),
    kind: EntryKind,
    visibility: Visibility.default('shared'),
    body: sealedOr(Text.trim().min(1).max(ENTRY_BODY_MAX), ENTRY_BODY_MAX),
    actionOwnerId: Id.nullable().default(null),
    actionDueOn: IsoDate.nullable().default(null),
    /** When the author wrote it (the outbox may send it much later). */
    createdAt: IsoDateTime.optional(),
  })
  .refine((e) => e.kind === 'action' || (e.actionOwnerId === null && e.actionDueOn === null), {
    message: 'Only actions have an owner and a due date',
    path: ['kind'],
  });
export type NewEntry = z.input<typeof NewEntry>;

export const EntryPatch = z
  .object({
    version: Version,
    body: sealedOr(Text.trim().min(1).max(ENTRY_BODY_MAX), ENTRY_BODY_MAX).optional(),
    visibility: Visibility.optional(),
    goalId: Id.nullable().optional(),
    actionOwnerId: Id.nullable().optional(),
    actionDueOn: IsoDate.nullable().optional(),
    actionDone: z.boolean().optional(),
  })
  .refine((p) => Object.keys(p).some((k) => k !== 'version'), { message: 'Nothing to change' });
export type EntryPatch = z.input<typeof EntryPatch>;

/**
 * Where a reader is in a pair's entry streams: the pair's shared stream and the reader's own private stream, each
 * numbered on its own, so one member's private writes never move (or leave gaps in) the other member's cursor.
 * Sent as "<shared>:<private>", e.g. "12:3"; "0:0" is the start.
 */
export interface EntryCursor {
  shared: number;
  private: number;
}
export const START_ENTRY_CURSOR = '0:0';
const ENTRY_CURSOR_SHAPE = /^(\d{1,15}):(\d{1,15})$/;
export const EntryCursorText = z.string().regex(ENTRY_CURSOR_SHAPE, 'A cursor is "<shared>:<private>", e.g. "12:3"');
export const formatEntryCursor = (c: EntryCursor): string => `${c.shared}:${c.private}`;
/** Reads a cursor; anything else (a plain number from clients older than the two streams) starts again at 0:0. */
export function parseEntryCursor(text: string): EntryCursor {
  const m = ENTRY_CURSOR_SHAPE.exec(text);
  return m ? { shared: Number(m[1]), private: Number(m[2]) } : { shared: 0, private: 0 };
}
/** The later of two cursors, stream by stream (a slow page never moves a cursor back). */
export function laterEntryCursor(a: string, b: string): string {
  const x = parseEntryCursor(a);
  const y = parseEntryCursor(b);
  return formatEntryCursor({ shared: Math.max(x.shared, y.shared), private: Math.max(x.private, y.private) });
}

export const EntriesQuery = z.object({
  pairId: Id,
  /**
   * The `cursor` of the previous page; absent for everything. A plain number (the single cursor of older clients)
   * is accepted and restarts at 0:0: those numbers counted other streams.
   */
  since: z
    .union([EntryCursorText, z.string().regex(/^\d{1,15}$/, 'A cursor is "<shared>:<private>", e.g. "12:3"')])
    .default(START_ENTRY_CURSOR)
    .transform(parseEntryCursor),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});
export const EntriesPage = z.object({ entries: z.array(Entry), cursor: EntryCursorText, hasMore: z.boolean() });
export type EntriesPage = z.infer<typeof EntriesPage>;

export const VersionQuery = z.object({ version: z.coerce.number().int().min(1) });

// ---- agenda -------------------------------------------------------------------------------------

export const AgendaItem = z.object({
  id: Id,
  pairId: Id,
  authorId: Id,
  body: z.string(),
  position: z.number().int(),
  doneAt: IsoDateTime.nullable(),
  version: Version,
  createdAt: IsoDateTime,
});
export type AgendaItem = z.infer<typeof AgendaItem>;
export const AGENDA_BODY_MAX = 1000;
export const NewAgendaItem = z.object({
  id: Id,
  pairId: Id,
  body: sealedOr(Text.trim().min(1).max(AGENDA_BODY_MAX), AGENDA_BODY_MAX),
  position: z.number().int().min(0).max(10_000).optional(),
});
export const AgendaPatch = z
  .object({
    version: Version,
    body: sealedOr(Text.trim().min(1).max(AGENDA_BODY_MAX), AGENDA_BODY_MAX).optional(),
    position: z.number().int().min(0).max(10_000).optional(),
    done: z.boolean().optional(),
  })
  .refine((p) => p.body !== undefined || p.position !== undefined || p.done !== undefined, { message: 'Nothing to change' });
export const PairQuery = z.object({ pairId: Id });

// ---- meetings and feedback ----------------------------------------------------------------------

/**
 * Why a meeting ended, as the client saw it: `left` the member left the call; `ended` the host ended it or removed
 * the member; `page-closed` the tab was closed or navigated away; `manual` ended (or logged) by hand.
 */
export const ClientEndReason = z.enum(['left', 'ended', 'page-closed', 'manual']);
export type ClientEndReason = z.infer<typeof ClientEndReason>;
/** Plus `timeout`, set only by the server: no end was reported, so it closed the meeting after a fixed bound. */
export const MeetingEndReason = z.enum([...ClientEndReason.options, 'timeout']);
export type MeetingEndReason = z.infer<typeof MeetingEndReason>;
/** `auto` the extension saw the call; `manual` a person started (attached) or logged it by hand. */
export const MeetingSource = z.enum(['auto', 'manual']);
export type MeetingSource = z.infer<typeof MeetingSource>;

/**
 * A meeting with no end reported this long after its start is over: the server closes it (`endReason: "timeout"`,
 * ended at start + this bound), and a start for the same call after it begins a new meeting. An end reported later
 * still replaces the timeout (endMeeting in worker/db/meetings.ts). The same bound is the window in which both
 * partners (and a dropped tab that rejoins) get the same meeting for the same code.
 *
 * A product choice, not a platform limit: well past a typical mentoring call (about an hour), so a real call is not
 * cut short, and short enough that a crashed tab does not leave a meeting "in progress" for a day. For scale, as
 * reported in the press and not checked here against the vendors' current pages: Zoom ends meetings hosted by free
 * (Basic) users after 40 minutes (since 15 July 2022); Google Meet lets free one-to-one calls and paid plans run up
 * to 24 hours, free group calls 60 minutes (since July 2021).
 */
export const MAX_OPEN_MEETING_MS = 4 * 3_600_000;

export const Meeting = z.object({
  id: Id,
  pairId: Id,
  platform: MeetingPlatform,
  meetingCode: z.string().nullable(),
  startedAt: IsoDateTime,
  endedAt: IsoDateTime.nullable(),
  source: MeetingSource,
  /**
   * Null while the meeting runs, and for meetings ended before reasons were recorded (or ended without one). Absent
   * in copies stored before it existed (the extension's cached call context), which read as null.
   */
  endReason: MeetingEndReason.nullable().default(null),
  /** Null while the meeting runs, and when its real length is unknown (`endReason: "timeout"`). */
  durationMinutes: z.number().int().nullable(),
});
export type Meeting = z.infer<typeof Meeting>;

export const MeetingCode = Text.trim().min(1).max(200);
/**
 * Platform `other` is a call on a page no adapter knows, attached by hand: its code is the page's host and path.
 * `source` defaults to `auto` (the extension detected the call).
 */
export const StartMeeting = z.object({
  id: Id,
  pairId: Id,
  platform: MeetingPlatform,
  meetingCode: MeetingCode,
  source: MeetingSource.default('auto'),
});
export type StartMeeting = z.input<typeof StartMeeting>;
export const EndMeeting = z.object({ endedAt: IsoDateTime.optional(), reason: ClientEndReason.optional() });
export type EndMeeting = z.input<typeof EndMeeting>;
export const ManualMeeting = z
  .object({ id: Id, pairId: Id, startedAt: IsoDateTime, endedAt: IsoDateTime })
  .refine((m) => Date.parse(m.endedAt) > Date.parse(m.startedAt), { message: 'A meeting must end after it starts', path: ['endedAt'] });

export const Feedback = z.object({
  id: Id,
  meetingId: Id,
  pairId: Id,
  authorId: Id,
  rating: z.number().int(),
  comment: z.string(),
  createdAt: IsoDateTime,
});
export type Feedback = z.infer<typeof Feedback>;
export const NewFeedback = z.object({
  id: Id,
  meetingId: Id,
  rating: z.number().int().min(1).max(5),
  comment: Text.trim().max(2000).default(''),
});
export type NewFeedback = z.input<typeof NewFeedback>;

// ---- the call context: everything the overlay needs in one request --------------------------------

export const CallContext = z.object({
  pair: Pair,
  me: Person,
  partner: Person,
  myRole: z.enum(['mentor', 'mentee']),
  goals: z.array(Goal),
  openActions: z.array(Entry),
  agenda: z.array(AgendaItem),
  lastMeeting: Meeting.nullable(),
  /** When the next check-in is due by the pair's cadence (UTC), or null when the pair is not active. */
  nextCheckInDue: IsoDateTime.nullable(),
  pendingFeedback: z.array(Meeting),
});
export type CallContext = z.infer<typeof CallContext>;
