import { z } from 'zod';
import { Cadence, Id, IsoDate, IsoDateTime, PairStatus, Role, Text } from './common.ts';
import { ScheduledCheckInHeld } from './checkins.ts';
import { Feedback, GoalRevision, Goal, Meeting, MeetingLinks, Pair } from './pairs.ts';
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

/** What an admin sees of one pair: engagement, never note bodies. */
export const AdminPairDetail = z.object({
  pair: AdminPair,
  meetings: z.array(Meeting),
  goals: z.array(Goal.extend({ history: z.array(GoalRevision) })),
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
