import { z } from 'zod';
import { Email, Id, IsoDateTime, MemberRole, Role, ShortText, Tags, Text, TimeZone } from './common.ts';

export const WorkingHours = z
  .object({
    startMinute: z.number().int().min(0).max(1439),
    endMinute: z.number().int().min(1).max(1440),
  })
  .refine((h) => h.endMinute > h.startMinute, { message: 'Working hours must end after they start' });
export type WorkingHours = z.infer<typeof WorkingHours>;

export const User = z.object({
  id: Id,
  orgId: Id,
  role: Role,
  name: z.string(),
  email: z.string(),
  timeZone: z.string(),
  workingHours: WorkingHours,
  skills: z.array(z.string()),
  interests: z.array(z.string()),
  goals: z.array(z.string()),
  capacity: z.number().int(),
  status: z.enum(['active', 'revoked']),
  createdAt: IsoDateTime,
});
export type User = z.infer<typeof User>;

/** What a pair member may see of their partner. */
export const Person = User.pick({ id: true, role: true, name: true, timeZone: true, workingHours: true });
export type Person = z.infer<typeof Person>;

export const Organisation = z.object({ id: Id, name: z.string() });
export type Organisation = z.infer<typeof Organisation>;

export const NewUser = z.object({
  role: Role,
  name: ShortText,
  email: Email,
  timeZone: TimeZone,
  workingHours: WorkingHours.optional(),
  skills: Tags.default([]),
  interests: Tags.default([]),
  goals: Tags.default([]),
  capacity: z.number().int().min(0).max(50).optional(),
});
export type NewUser = z.input<typeof NewUser>;

/** Only the fields sent change; no defaults here, or a patch of the name alone would wipe the tags. */
export const UserPatch = z
  .strictObject({
    name: ShortText,
    email: Email,
    timeZone: TimeZone,
    workingHours: WorkingHours,
    skills: Tags,
    interests: Tags,
    goals: Tags,
    capacity: z.number().int().min(0).max(50),
  })
  .partial()
  .refine((p) => Object.keys(p).length > 0, { message: 'Nothing to change' });

export const RedeemRequest = z.object({ code: Text.trim().min(16).max(200) });
export const RedeemResponse = z.object({ token: z.string(), expiresAt: IsoDateTime, user: User, organisation: Organisation });
/** `settings` (issue 8): the programme's data settings a member is shown, e.g. how long notes are kept. */
export const MeResponse = z.object({
  user: User,
  organisation: Organisation,
  settings: z.object({ retentionDays: z.number().int().nullable() }).default({ retentionDays: null }),
});

export const Invitation = z.object({
  id: Id,
  userId: Id,
  code: z.string(),
  link: z.url(),
  expiresAt: IsoDateTime,
});
export type Invitation = z.infer<typeof Invitation>;

export { MemberRole };
