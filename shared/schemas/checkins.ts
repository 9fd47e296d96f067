/**
 * Check-in scheduling (issue 9): a partner proposes a time inside both people's working hours, the other accepts,
 * and it becomes the pair's scheduled check-in. Instants are UTC; the organiser's IANA zone is kept with them so the
 * calendar event and the daylight-saving warnings are computed in the zone the meeting was agreed in.
 */
import { z } from 'zod';
import { Id, IsoDateTime, TimeZone } from './common.ts';
import { WorkingHours } from './people.ts';

/** How long a check-in lasts, in minutes. */
export const CheckInDuration = z.number().int().min(15).max(240);
export const DEFAULT_CHECKIN_MINUTES = 45;

export const CheckInStatus = z.enum([
  /** Proposed by one partner, waiting for the other. */
  'proposed',
  /** Accepted: the pair's scheduled check-in (at most one per pair at a time). */
  'scheduled',
  /** The other partner said no. */
  'declined',
  /** Withdrawn by its proposer, or replaced by a later accepted time. */
  'cancelled',
]);
export type CheckInStatus = z.infer<typeof CheckInStatus>;

export const CheckIn = z.object({
  id: Id,
  pairId: Id,
  startsAt: IsoDateTime,
  durationMinutes: CheckInDuration,
  /** The proposer's zone when it was proposed: the zone the calendar event is written in. */
  organiserZone: z.string(),
  proposedBy: Id,
  status: CheckInStatus,
  /** Who accepted or declined it, and when. */
  respondedBy: Id.nullable(),
  respondedAt: IsoDateTime.nullable(),
  /** Bumped on every change: the calendar event's SEQUENCE. */
  version: z.number().int().min(1),
  createdAt: IsoDateTime,
});
export type CheckIn = z.infer<typeof CheckIn>;

export const ProposeCheckIn = z.object({
  /** Client-generated (idempotent create). */
  id: Id,
  startsAt: IsoDateTime,
  durationMinutes: CheckInDuration.default(DEFAULT_CHECKIN_MINUTES),
  organiserZone: TimeZone,
});
export type ProposeCheckIn = z.input<typeof ProposeCheckIn>;

/** GET /pairs/:id/checkins: the scheduled one, open proposals, and what the UI needs to show both local times. */
export const CheckInsResponse = z.object({
  scheduled: CheckIn.nullable(),
  proposals: z.array(CheckIn),
  /** When the next check-in is due by the pair's cadence (UTC), or null when the pair is not active. */
  due: IsoDateTime.nullable(),
});
export type CheckInsResponse = z.infer<typeof CheckInsResponse>;

/** PUT /me/working-hours: the signed-in person's own zone and hours. */
export const MyWorkingHours = z.object({ timeZone: TimeZone, workingHours: WorkingHours });
export type MyWorkingHours = z.infer<typeof MyWorkingHours>;

/** One answer of the check-in write routes (propose, accept, decline, cancel). */
export const CheckInAnswer = z.object({ checkIn: CheckIn });
export type CheckInAnswer = z.infer<typeof CheckInAnswer>;

/**
 * Admin pair page: a past scheduled check-in and whether it was held, i.e. a meeting of the pair started within
 * ±12 hours of it (HELD_WINDOW_HOURS in worker/db/checkins.ts). "Scheduled" counts an accepted time that was not
 * called off before it started.
 */
export const ScheduledCheckInHeld = z.object({
  id: Id,
  startsAt: IsoDateTime,
  durationMinutes: z.number().int(),
  organiserZone: z.string(),
  status: CheckInStatus,
  /** Start of the pair's meeting nearest the check-in within the window, or null when none was held. */
  heldAt: IsoDateTime.nullable(),
});
export type ScheduledCheckInHeld = z.infer<typeof ScheduledCheckInHeld>;
