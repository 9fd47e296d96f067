/**
 * Data rights (issue 8): what a member's export holds, how they confirm deleting their account, and the
 * organisation's retention setting.
 */
import { z } from 'zod';
import { CheckIn } from './checkins.ts';
import { Id, IsoDateTime } from './common.ts';
import { DeviceKey } from './keys.ts';
import { AgendaItem, Entry, Feedback, Goal, GoalRevision, Meeting, Pair } from './pairs.ts';
import { Organisation, Person, User } from './people.ts';

// ---- retention ----------------------------------------------------------------------------------

/** Days after a mentorship ends when its notes are purged; null keeps them until people delete them (the default). */
export const RetentionDays = z.number().int().min(1).max(3650).nullable();
export const OrgSettings = z.object({ retentionDays: RetentionDays });
export type OrgSettings = z.infer<typeof OrgSettings>;
export const OrgSettingsPatch = z.strictObject({ retentionDays: RetentionDays });

// ---- erasure ------------------------------------------------------------------------------------

/** The words a member types to delete their own account (the side panel asks for them, and so does the API). */
export const DELETE_ACCOUNT_PHRASE = 'delete my account';
export const DeleteAccountRequest = z.object({
  confirm: z
    .string()
    .trim()
    .toLowerCase()
    .refine((s) => s === DELETE_ACCOUNT_PHRASE, { message: `Type "${DELETE_ACCOUNT_PHRASE}" to confirm` }),
});
/** An admin erasing a person confirms with that person's email, so a wrong row cannot be erased by a slip. */
export const EraseUserRequest = z.object({ confirmEmail: z.string().trim().min(1).max(200) });
export const ErasureResult = z.object({
  erased: z.literal(true),
  /** The anonymous placeholder that now stands in the records (meeting and rating counts, ended pairs). */
  placeholderId: Id,
  pairsEnded: z.number().int(),
  entriesDeleted: z.number().int(),
});
export type ErasureResult = z.infer<typeof ErasureResult>;

// ---- export -------------------------------------------------------------------------------------

/** A sign-in (bearer token) of the member, without the token or its hash. */
export const ExportedSession = z.object({
  createdAt: IsoDateTime,
  expiresAt: IsoDateTime,
  revokedAt: IsoDateTime.nullable(),
  current: z.boolean(),
});

export const ExportedPair = z.object({
  pair: Pair,
  myRole: z.enum(['mentor', 'mentee']),
  partner: Person,
  goals: z.array(Goal.extend({ history: z.array(GoalRevision) })),
  meetings: z.array(Meeting),
  /** The member's own feedback only; the partner's ratings are theirs. */
  myFeedback: z.array(Feedback),
  /** Open, done and still-listed agenda items (deleted ones are gone). */
  agenda: z.array(AgendaItem),
  /** Entries the member can see: their own private ones and the pair's shared ones; deleted ones are gone. */
  entries: z.array(Entry),
  /** Every check-in of the pair, proposed, scheduled, declined or cancelled, oldest first (issue 9). */
  checkIns: z.array(CheckIn),
});
export type ExportedPair = z.infer<typeof ExportedPair>;

/**
 * `GET /api/v1/me/export`: everything the member can see, as JSON. The pair's notes as Markdown are a separate
 * download, one file per pair: `GET /api/v1/me/export?format=markdown&pairId=<id>` (text/markdown, attachment).
 */
export const MeExport = z.object({
  format: z.literal('alongside-export'),
  version: z.literal(1),
  exportedAt: IsoDateTime,
  user: User,
  organisation: Organisation,
  settings: OrgSettings,
  sessions: z.array(ExportedSession),
  /**
   * The member's device public keys (issue 10), revoked ones included. Not the wrapped keys: they are ciphertext
   * that only the member's own devices can open, so they are of no use outside the app, and the readable export of
   * encrypted notes is made on the member's device, where the keys are.
   */
  devices: z.array(DeviceKey).default([]),
  pairs: z.array(ExportedPair),
});
export type MeExport = z.infer<typeof MeExport>;

export const ExportQuery = z
  .object({ format: z.enum(['json', 'markdown']).default('json'), pairId: Id.optional() })
  .refine((q) => q.format === 'json' || q.pairId !== undefined, { message: 'The Markdown export is per pair: give pairId', path: ['pairId'] });
