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
  Version,
  Visibility,
} from './common.ts';
import { Person } from './people.ts';

/** Meeting links per platform, e.g. { meet: "https://meet.google.com/abc-defg-hij" }. */
export const MeetingLinks = z.partialRecord(Platform, z.url().max(500));
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

export const Milestone = z.object({
  id: Id,
  goalId: Id,
  title: z.string(),
  dueOn: IsoDate.nullable(),
  doneAt: IsoDateTime.nullable(),
  version: Version,
});
export type Milestone = z.infer<typeof Milestone>;

export const SmartFields = z.object({
  title: ShortText,
  specific: LongText.default(''),
  measure: LongText.default(''),
  target: LongText.default(''),
  relevance: LongText.default(''),
  dueOn: IsoDate.nullable().default(null),
});

export const Goal = z.object({
  id: Id,
  pairId: Id,
  ownerId: Id,
  title: z.string(),
  specific: z.string(),
  measure: z.string(),
  target: z.string(),
  relevance: z.string(),
  dueOn: IsoDate.nullable(),
  status: GoalStatus,
  progress: z.number().int(),
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

export const GoalPatch = z
  .object({
    version: Version,
    title: ShortText.optional(),
    specific: LongText.optional(),
    measure: LongText.optional(),
    target: LongText.optional(),
    relevance: LongText.optional(),
    dueOn: IsoDate.nullable().optional(),
    status: GoalStatus.optional(),
    progress: Progress.optional(),
    /** Why it changed, kept in the history. */
    note: z.string().max(500).optional(),
  })
  .refine((p) => Object.keys(p).some((k) => k !== 'version' && k !== 'note'), { message: 'Nothing to change' });
export type GoalPatch = z.input<typeof GoalPatch>;

export const GoalRevision = z.object({
  id: Id,
  goalId: Id,
  authorId: Id,
  version: Version,
  progress: z.number().int(),
  status: GoalStatus,
  snapshot: SmartFields.extend({ title: z.string() }),
  note: z.string(),
  createdAt: IsoDateTime,
});
export type GoalRevision = z.infer<typeof GoalRevision>;

export const NewMilestone = z.object({ id: Id, title: ShortText, dueOn: IsoDate.nullable().default(null) });
export const MilestonePatch = z
  .object({ version: Version, title: ShortText.optional(), dueOn: IsoDate.nullable().optional(), done: z.boolean().optional() })
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
    body: z.string().trim().min(1).max(ENTRY_BODY_MAX),
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
    body: z.string().trim().min(1).max(ENTRY_BODY_MAX).optional(),
    visibility: Visibility.optional(),
    goalId: Id.nullable().optional(),
    actionOwnerId: Id.nullable().optional(),
    actionDueOn: IsoDate.nullable().optional(),
    actionDone: z.boolean().optional(),
  })
  .refine((p) => Object.keys(p).some((k) => k !== 'version'), { message: 'Nothing to change' });
export type EntryPatch = z.input<typeof EntryPatch>;

export const EntriesQuery = z.object({
  pairId: Id,
  /** The `cursor` of the previous page; 0 or absent for everything. */
  since: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});
export const EntriesPage = z.object({ entries: z.array(Entry), cursor: z.number().int(), hasMore: z.boolean() });
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
export const NewAgendaItem = z.object({
  id: Id,
  pairId: Id,
  body: z.string().trim().min(1).max(1000),
  position: z.number().int().min(0).max(10_000).optional(),
});
export const AgendaPatch = z
  .object({
    version: Version,
    body: z.string().trim().min(1).max(1000).optional(),
    position: z.number().int().min(0).max(10_000).optional(),
    done: z.boolean().optional(),
  })
  .refine((p) => p.body !== undefined || p.position !== undefined || p.done !== undefined, { message: 'Nothing to change' });
export const PairQuery = z.object({ pairId: Id });

// ---- meetings and feedback ----------------------------------------------------------------------

export const Meeting = z.object({
  id: Id,
  pairId: Id,
  platform: MeetingPlatform,
  meetingCode: z.string().nullable(),
  startedAt: IsoDateTime,
  endedAt: IsoDateTime.nullable(),
  source: z.enum(['auto', 'manual']),
  durationMinutes: z.number().int().nullable(),
});
export type Meeting = z.infer<typeof Meeting>;

export const MeetingCode = z.string().trim().min(1).max(200);
export const StartMeeting = z.object({ id: Id, pairId: Id, platform: Platform, meetingCode: MeetingCode });
export const EndMeeting = z.object({ endedAt: IsoDateTime.optional() });
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
  comment: z.string().trim().max(2000).default(''),
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
