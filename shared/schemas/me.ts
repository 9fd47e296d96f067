import { z } from 'zod';
import { Id, IsoDateTime } from './common.ts';

/**
 * One sign-in (session) on the caller's account, as GET /me/sessions shows it. `id` is the session's own public id,
 * never the token or its hash. `isNew`: created after the last sign-in the person acknowledged, and not this one.
 */
export const MySession = z.object({
  id: Id,
  createdAt: IsoDateTime,
  expiresAt: IsoDateTime,
  /** When it was ended (signed out or ended from a session list); null while it may still be used. */
  endedAt: IsoDateTime.nullable(),
  active: z.boolean(),
  current: z.boolean(),
  isNew: z.boolean(),
  /** e.g. "Chrome on macOS"; null when the sign-in sent no User-Agent. */
  deviceLabel: z.string().nullable(),
  /** The invitation that was redeemed, and who issued it (null for sessions from before this was recorded). */
  invitation: z
    .object({
      id: Id,
      createdAt: IsoDateTime,
      issuedBy: z.object({ id: Id, name: z.string() }).nullable(),
    })
    .nullable(),
});
export type MySession = z.infer<typeof MySession>;

export const MySessionsResponse = z.object({
  sessions: z.array(MySession),
  /** Sign-ins created after this time are new to the person; null when they never acknowledged any. */
  acknowledgedAt: IsoDateTime.nullable(),
});
export type MySessionsResponse = z.infer<typeof MySessionsResponse>;

export const EndSessionResponse = z.object({ ok: z.literal(true), endedCurrent: z.boolean() });
export const AcknowledgeSignInsResponse = z.object({ acknowledgedAt: IsoDateTime });
