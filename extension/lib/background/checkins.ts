/**
 * Check-in scheduling requests from the pages (issue 9): read a pair's check-ins, propose a time, accept, decline or
 * withdraw, download the calendar file, and the person's own zone and working hours. The background alone holds the
 * token: the calendar file is fetched here and handed to the page as text, so no token ever goes in a URL.
 */
import { z } from 'zod';
import { MeResponse, WorkingHours } from '../../../shared/schemas/index.ts';
import { t } from '../i18n.ts';
import { ApiFailure, api, unreachable, unwrap } from './api.ts';
import { cachedCheckIns, fetchCheckIns } from './checkin-store.ts';
import { scheduleReminders } from './reminders.ts';
import { type Handlers, UserError, requireSignedIn } from './requests.ts';
import { pairsItem, signedInItem } from './storage.ts';

/** The answer of PUT /me/working-hours: the zone as stored (an older profile may hold one Intl no longer lists). */
const StoredWorkingHours = z.object({ timeZone: z.string(), workingHours: WorkingHours });

type CheckInRequest =
  | 'checkins.get'
  | 'checkins.propose'
  | 'checkins.accept'
  | 'checkins.decline'
  | 'checkins.cancel'
  | 'checkins.ics'
  | 'me.workingHours.get'
  | 'me.workingHours.set';

/** Only pairs the user is in: a page cannot make the background ask about any id. */
async function requirePair(pairId: string): Promise<void> {
  await requireSignedIn();
  if (!(await pairsItem.get()).some((p) => p.id === pairId)) throw new UserError('not_found', t('checkins_notYourPair'));
}

/** After a change: the stored state (re-read, so the page shows what the server keeps) and fresh reminders. */
async function afterChange(pairId: string) {
  const checkIns = await fetchCheckIns(pairId);
  scheduleReminders();
  return checkIns;
}

/** "alongside-checkin.ics" from the server's Content-Disposition, else a name of our own; never a path. */
export function calendarFileName(contentDisposition: string | null, pairId: string): string {
  const named = /filename="?([^";]+)"?/i.exec(contentDisposition ?? '')?.[1]?.trim();
  const safe = named?.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_');
  return safe && /\.ics$/i.test(safe) ? safe : `alongside-checkin-${pairId.slice(0, 8)}.ics`;
}

/** Reads the person from the server and updates the signed-in copy (the zone or hours may have changed there). */
async function refreshMe() {
  const client = await api();
  const me = MeResponse.parse(await unwrap(client.auth.me.$get()));
  const signedIn = await signedInItem.get();
  if (signedIn) await signedInItem.set({ ...signedIn, user: me.user, organisation: me.organisation });
  return me.user;
}

export const checkInHandlers: Handlers<CheckInRequest> = {
  'checkins.get': async ({ pairId }) => {
    await requirePair(pairId);
    try {
      const checkIns = await fetchCheckIns(pairId);
      scheduleReminders();
      return { checkIns, fromCache: false, error: null };
    } catch (error) {
      if (error instanceof ApiFailure && !error.retryable) throw error;
      const cached = await cachedCheckIns(pairId);
      if (!cached) throw error;
      return { checkIns: cached, fromCache: true, error: error instanceof Error ? error.message : t('api_cannotReachServer') };
    }
  },
  'checkins.propose': async ({ pairId, id, startsAt, durationMinutes, organiserZone }) => {
    await requirePair(pairId);
    const client = await api();
    // The client id is the idempotency key: a retried click creates one proposal.
    await unwrap(
      client.pairs[':id'].checkins.$post({ param: { id: pairId }, json: { id, startsAt, durationMinutes, organiserZone } }, { headers: { 'idempotency-key': id } }),
    );
    return afterChange(pairId);
  },
  'checkins.accept': async ({ pairId, checkInId }) => {
    await requirePair(pairId);
    const client = await api();
    await unwrap(client.pairs[':id'].checkins[':checkinId'].accept.$post({ param: { id: pairId, checkinId: checkInId } }));
    return afterChange(pairId);
  },
  'checkins.decline': async ({ pairId, checkInId }) => {
    await requirePair(pairId);
    const client = await api();
    await unwrap(client.pairs[':id'].checkins[':checkinId'].decline.$post({ param: { id: pairId, checkinId: checkInId } }));
    return afterChange(pairId);
  },
  'checkins.cancel': async ({ pairId, checkInId }) => {
    await requirePair(pairId);
    const client = await api();
    await unwrap(client.pairs[':id'].checkins[':checkinId'].$delete({ param: { id: pairId, checkinId: checkInId } }));
    return afterChange(pairId);
  },
  'checkins.ics': async ({ pairId }) => {
    await requirePair(pairId);
    const client = await api();
    let res: Response;
    try {
      res = await client.pairs[':id']['checkin.ics'].$get({ param: { id: pairId } });
    } catch (error) {
      throw unreachable(error);
    }
    if (!res.ok) await unwrap(Promise.resolve(res)); // throws the envelope's message (404: nothing scheduled)
    const text = await res.text();
    if (!text.startsWith('BEGIN:VCALENDAR')) throw new UserError('bad_calendar', t('checkins_noCalendarFile'));
    return { name: calendarFileName(res.headers.get('content-disposition'), pairId), text };
  },
  'me.workingHours.get': async () => {
    await requireSignedIn();
    try {
      const user = await refreshMe();
      return { timeZone: user.timeZone, workingHours: user.workingHours, fromCache: false };
    } catch (error) {
      if (error instanceof ApiFailure && !error.retryable) throw error;
      const signedIn = await signedInItem.get();
      if (!signedIn) throw error;
      return { timeZone: signedIn.user.timeZone, workingHours: signedIn.user.workingHours, fromCache: true };
    }
  },
  'me.workingHours.set': async ({ timeZone, workingHours }) => {
    await requireSignedIn();
    const client = await api();
    const stored = StoredWorkingHours.parse(await unwrap(client.me['working-hours'].$put({ json: { timeZone, workingHours } })));
    const signedIn = await signedInItem.get();
    if (signedIn) await signedInItem.set({ ...signedIn, user: { ...signedIn.user, ...stored } });
    scheduleReminders(); // the zone the reminders are written in may have changed
    return stored;
  },
};
