import { z } from 'zod';

/** Ids are UUIDs: v7 from the server, any version from clients (the client generates ids for idempotent writes). */
export const Id = z.uuid();
export const IsoDateTime = z.iso.datetime({ offset: false });
export const IsoDate = z.iso.date();

/** IANA time zone that this runtime's Intl knows (e.g. "Europe/Lisbon"). */
export const TimeZone = z.string().min(1).max(64).refine(isKnownTimeZone, { message: 'Unknown IANA time zone' });

function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const Role = z.enum(['admin', 'mentor', 'mentee']);
export const MemberRole = z.enum(['mentor', 'mentee']);
export const Cadence = z.enum(['weekly', 'biweekly', 'monthly']);
export const PairStatus = z.enum(['active', 'paused', 'ended']);
export const Platform = z.enum(['meet', 'zoom', 'teams', 'jitsi', 'whereby']);
export const MeetingPlatform = z.enum([...Platform.options, 'other']);
export const GoalStatus = z.enum(['active', 'completed', 'paused', 'dropped']);
export const EntryKind = z.enum(['note', 'action', 'decision', 'question']);
export const Visibility = z.enum(['shared', 'private']);
export const Progress = z.number().int().min(0).max(100);
export const Version = z.number().int().min(1);

/** Short human text (titles, names). */
export const ShortText = z.string().trim().min(1).max(200);
/** Longer free text that may be empty. */
export const LongText = z.string().max(4000);
/** Tags such as skills and interests. */
export const Tags = z.array(z.string().trim().min(1).max(60)).max(30);

export type Role = z.infer<typeof Role>;
export type MemberRole = z.infer<typeof MemberRole>;
export type Cadence = z.infer<typeof Cadence>;
export type PairStatus = z.infer<typeof PairStatus>;
export type Platform = z.infer<typeof Platform>;
export type MeetingPlatform = z.infer<typeof MeetingPlatform>;
export type GoalStatus = z.infer<typeof GoalStatus>;
export type EntryKind = z.infer<typeof EntryKind>;
export type Visibility = z.infer<typeof Visibility>;

/** The one error envelope of the whole API. */
export const ErrorCode = z.enum([
  'invalid_input',
  'unauthenticated',
  'forbidden',
  'not_found',
  'conflict',
  'version_conflict',
  'payload_too_large',
  'internal',
]);
export const ErrorEnvelope = z.object({
  error: z.object({
    code: ErrorCode,
    message: z.string(),
    issues: z.array(z.object({ path: z.array(z.union([z.string(), z.number()])), message: z.string() })).optional(),
  }),
});
export type ErrorCode = z.infer<typeof ErrorCode>;
export type ErrorEnvelope = z.infer<typeof ErrorEnvelope>;

/** Header carrying the D1 Sessions bookmark between client and worker. */
export const BOOKMARK_HEADER = 'x-d1-bookmark';
export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const IdempotencyKey = z.string().min(8).max(128).regex(/^[\w.:-]+$/);
