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

/**
 * Free text as sent, or refused: JSON can carry a lone UTF-16 surrogate ("\ud800"), which JSON.parse keeps but D1
 * (UTF-8) would store as U+FFFD. Never store something other than what was sent: a 400 naming the field instead
 * (issue 8). String.prototype.isWellFormed is ES2024 (Node 20+, workerd, Chrome 111+, Firefox 119+). Every free-text
 * field of a request starts from this.
 */
export const Text = z.string().refine((s) => s.isWellFormed(), { message: 'Contains an unpaired UTF-16 surrogate: not valid text' });

/** Short human text (titles, names). */
export const ShortText = Text.trim().min(1).max(200);
/** Longer free text that may be empty. */
export const LongText = Text.max(4000);
/** Tags such as skills and interests. */
export const Tags = z.array(Text.trim().min(1).max(60)).max(30);

/**
 * An email address: zod's address pattern (ASCII local part without quotes or leading, trailing or double dots; a
 * domain with a TLD of at least two letters), at most 200 characters (RFC 5321 allows 254), and no domain label
 * longer than 63 characters or starting or ending with a dash (RFC 1035), which the pattern lets through.
 */
export const Email = z
  .email({ message: 'Not an email address' })
  .max(200)
  .refine((e) => (e.split('@')[1] ?? '').split('.').every((label) => label.length <= 63 && !label.startsWith('-') && !label.endsWith('-')), {
    message: 'Not an email address',
  });

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
  /** The same Idempotency-Key is still being processed (or was left reserved by a request that died): retry later. */
  'in_progress',
  'version_conflict',
  'payload_too_large',
  'rate_limited',
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
