import { purgeExpiredIdempotencyKeys } from './db/idempotency.ts';
import { closeStaleMeetings } from './db/meetings.ts';
import { purgeExpiredNotes } from './db/retention.ts';
import type { Env } from './env.ts';

/**
 * The Cron Trigger (wrangler.toml, [triggers]): closes meetings whose end never arrived (a crashed browser, a tab
 * killed before its outbox could send the end), marked `timeout` so no figure takes their length as measured.
 * Uses the scheduled time, not the clock, so a late run closes exactly what was due.
 * It also purges Idempotency-Keys older than 24 h (they already count as unused: worker/db/idempotency.ts).
 */
export const scheduled: ExportedHandlerScheduledHandler<Env> = async (controller, env) => {
  const closed = await closeStaleMeetings(env.DB, controller.scheduledTime);
  if (closed > 0) console.log(`Closed ${closed} meeting(s) with no end reported (end_reason 'timeout')`);
  const purged = await purgeExpiredIdempotencyKeys(env.DB, controller.scheduledTime);
  if (purged > 0) console.log(`Purged ${purged} expired idempotency key(s)`);
  // Notes of mentorships ended longer ago than the organisation's retention setting (worker/db/retention.ts).
  const notesPurged = await purgeExpiredNotes(env.DB, controller.scheduledTime);
  if (notesPurged > 0) console.log(`Retention: purged the notes of ${notesPurged} ended pair(s)`);
};
