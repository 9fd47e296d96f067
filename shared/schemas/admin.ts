import { z } from 'zod';
import { Cadence, Id, IsoDate, PairStatus, Role } from './common.ts';
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
});
export type AdminPairDetail = z.infer<typeof AdminPairDetail>;

export const NewInvitation = z.object({ userId: Id });
