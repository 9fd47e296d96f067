import { z } from 'zod';
import { Cadence, GoalStatus, Id, IsoDate, IsoDateTime, PairStatus, Role, Text, Version } from './common.ts';
import { ScheduledCheckInHeld } from './checkins.ts';
import { Feedback, Meeting, MeetingLinks, Pair } from './pairs.ts';
import { User } from './people.ts';

export const UsersQuery = z.object({ role: Role.optional() });

export const NewPair = z
  .object({
    mentorId: Id,
    menteeId: Id,
    cadence: Cadence,
    meetingLinks: MeetingLinks.default({}),
    startedOn: IsoDate.optional(),
  })
  .refine((p) => p.mentorId !== p.menteeId, { message: 'Mentor and mentee must be different people', path: ['menteeId'] });

export const PairPatch = z
  .object({
    version: z.number().int().min(1),
    status: PairStatus.optional(),
    cadence: Cadence.optional(),
    meetingLinks: MeetingLinks.optional(),
  })
  .refine((p) => p.status !== undefined || p.cadence !== undefined || p.meetingLinks !== undefined, {
    message: 'Nothing to change',
  });

export const PairsQuery = z.object({ status: PairStatus.optional() });

export const AdminPair = Pair.extend({
  mentor: User.pick({ id: true, name: true, timeZone: true }),
  mentee: User.pick({ id: true, name: true, timeZone: true }),
  lastMeetingAt: z.string().nullable(),
  meetingCount: z.number().int(),
});
export type AdminPair = z.infer<typeof AdminPair>;

/**
 * A goal as an admin sees it (issue 10): its figures, and its title only where the mentee showed it to the programme
 * (`programmeTitle`; null: private to the pair). Never its title, SMART fields, milestone titles or revision notes:
 * those belong to the pair, and may be ciphertext the admin view could only show as noise.
 */
export const AdminGoal = z.object({
  id: Id,
  pairId: Id,
  ownerId: Id,
  programmeTitle: z.string().nullable(),
  dueOn: IsoDate.nullable(),
  status: GoalStatus,
  progress: z.number().int(),
  version: Version,
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
  milestones: z.array(z.object({ id: Id, dueOn: IsoDate.nullable(), doneAt: IsoDateTime.nullable() })),
  /** Each change of the goal's status or progress, oldest first. */
  history: z.array(z.object({ id: Id, authorId: Id, version: Version, progress: z.number().int(), status: GoalStatus, createdAt: IsoDateTime })),
});
export type AdminGoal = z.infer<typeof AdminGoal>;

/** What an admin sees of one pair: engagement, never note bodies or goal text the mentee did not show the programme. */
export const AdminPairDetail = z.object({
  pair: AdminPair,
  meetings: z.array(Meeting),
  goals: z.array(AdminGoal),
  feedback: z.array(Feedback),
  entryCounts: z.object({ note: z.number(), action: z.number(), decision: z.number(), question: z.number() }),
  /** Past scheduled check-ins, newest first (at most 20), and whether each was held (issue 9). */
  scheduledCheckIns: z.array(ScheduledCheckInHeld),
});
export type AdminPairDetail = z.infer<typeof AdminPairDetail>;

/**
 * `reason` is required when the person already has an active session (a re-invitation: e.g. a lost device), so a
 * second way into someone's account is never issued silently; the API answers 400 without it. It is audited.
 */
export const NewInvitation = z.object({ userId: Id, reason: Text.trim().min(3).max(500).optional() });

/** Whether inviting this person now would be a re-invitation (they already have an active session). */
export const InvitationStatus = z.object({
  reinvitation: z.boolean(),
  activeSessions: z.number().int(),
  lastSignInAt: IsoDateTime.nullable(),
});
export type InvitationStatus = z.infer<typeof InvitationStatus>;

/** The audit actions recorded; erasures and retention purges are added by their own features. */
export const AuditAction = z.string().trim().min(1).max(64).regex(/^[a-z_]+(\.[a-z_]+)*$/);

/** GET /admin/audit: newest first, filtered, paged with an opaque cursor; `format=csv` downloads the same rows. */
export const AuditQuery = z.object({
  action: AuditAction.optional(),
  actorId: Id.optional(),
  /** The person, pair or other record the action was about. */
  subjectId: Id.optional(),
  from: z.union([IsoDate, IsoDateTime]).optional(),
  to: z.union([IsoDate, IsoDateTime]).optional(),
  cursor: z.string().max(200).regex(/^[\w-]+$/).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  format: z.enum(['json', 'csv']).default('json'),
});
export type AuditQuery = z.input<typeof AuditQuery>;

export const AuditEntry = z.object({
  id: z.string(),
  createdAt: IsoDateTime,
  action: z.string(),
  /** 'erased' ids (and a null name) after the person was erased. */
  actor: z.object({ id: z.string(), name: z.string().nullable() }),
  subject: z.object({ type: z.string(), id: z.string(), name: z.string().nullable() }),
  detail: z.record(z.string(), z.unknown()),
});
export type AuditEntry = z.infer<typeof AuditEntry>;
export const AuditPage = z.object({ entries: z.array(AuditEntry), nextCursor: z.string().nullable() });
export type AuditPage = z.infer<typeof AuditPage>;
