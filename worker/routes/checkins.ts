/**
 * Check-in scheduling (issue 9): either partner proposes a time, the other accepts or declines it, and the accepted
 * one is the pair's scheduled check-in, also offered as a calendar file.
 *
 * Mounted in app.ts at /pairs next to worker/routes/pairs.ts, whose sub-app middleware (requireAuth, requireMember,
 * idempotency) Hono applies to every /pairs/* path, these routes included: this sub-app adds no `.use` of its own,
 * which would run the idempotency layer twice (the second would find the key reserved and answer 409). The
 * authorisation matrix (test/worker/route-table.ts) checks every route here against every kind of caller.
 */
import { Hono } from 'hono';
import ical from 'ical-generator';
import { z } from 'zod';
import { nextCheckInDue } from '../../shared/domain/cadence.ts';
import { localTime } from '../../shared/domain/scheduling.ts';
import type { CheckIn, Pair } from '../../shared/schemas/index.ts';
import { Id, Platform, ProposeCheckIn } from '../../shared/schemas/index.ts';
import {
  acceptCheckIn,
  cancelCheckIn,
  countOpenProposals,
  declineCheckIn,
  getCheckIn,
  getScheduledCheckIn,
  insertCheckIn,
  listOpenProposals,
  pairCalendarSequence,
} from '../db/checkins.ts';
import { listMeetingsOfPair } from '../db/meetings.ts';
import { getPerson } from '../db/pairs.ts';
import type { AppEnv, Db } from '../env.ts';
import { type Membership, requirePairMember, requireWritable } from '../lib/access.ts';
import { ApiError, forbidden, notFound, versionConflict } from '../lib/errors.ts';
import { nowIso } from '../lib/time.ts';
import { validate } from '../lib/validate.ts';
import { tellPair } from '../live/notify.ts';

const PairParam = z.object({ id: Id });
const CheckInParam = z.object({ id: Id, checkinId: Id });

/** A pair cannot pile up more open proposals than this (each is a row both partners are shown). */
export const MAX_OPEN_PROPOSALS = 20;
/** How far ahead a check-in may be proposed. */
const MAX_DAYS_AHEAD = 366;

const invalid = (path: string, message: string) => new ApiError(400, 'invalid_input', message, { issues: [{ path: [path], message }] });
const conflict = (message: string) => new ApiError(409, 'conflict', message);

function requireActive(m: Membership): void {
  requireWritable(m);
  if (m.pair.status !== 'active') throw conflict(`Check-ins are scheduled only while the pair is active; this pair is ${m.pair.status}`);
}

/** A check-in of this pair, or 404 (a check-in of another pair is not revealed). */
async function loadCheckIn(db: Db, pairId: string, id: string): Promise<CheckIn> {
  const checkIn = await getCheckIn(db, id);
  if (!checkIn || checkIn.pairId !== pairId) throw notFound('Check-in');
  return checkIn;
}

/** After a guarded write that changed nothing: someone else answered first. */
async function conflictWithCurrent(db: Db, id: string): Promise<never> {
  const current = await getCheckIn(db, id);
  if (!current) throw notFound('Check-in');
  throw versionConflict(current);
}

/** The pair's meeting link for the calendar: the first https link in platform order (links are https-only since 0005). */
function meetingLink(pair: Pair): string | null {
  for (const platform of Platform.options) {
    const url = pair.meetingLinks[platform];
    if (url?.startsWith('https://')) return url;
  }
  return null;
}

const STATUS_WORD: Record<CheckIn['status'], string> = { proposed: 'still open', scheduled: 'accepted', declined: 'declined', cancelled: 'cancelled' };

export const checkinRoutes = new Hono<AppEnv>()
  .get('/:id/checkins', validate('param', PairParam), async (c) => {
    const db = c.var.db;
    const { pair } = await requirePairMember(db, c.var.auth, c.req.valid('param').id);
    const [scheduled, proposals, lastMeetings] = await Promise.all([
      getScheduledCheckIn(db, pair.id),
      listOpenProposals(db, pair.id, nowIso()),
      listMeetingsOfPair(db, pair.id, 1),
    ]);
    const due = pair.status === 'active' ? nextCheckInDue(pair.cadence, lastMeetings[0]?.startedAt ?? null, pair.startedOn) : null;
    return c.json({ scheduled, proposals, due }, 200);
  })
  .post('/:id/checkins', validate('param', PairParam), validate('json', ProposeCheckIn), async (c) => {
    const db = c.var.db;
    const auth = c.var.auth;
    const input = c.req.valid('json');
    const membership = await requirePairMember(db, auth, c.req.valid('param').id);
    const existing = await getCheckIn(db, input.id);
    if (existing) {
      // The client retries with the same id: the same proposal by the same person is the same check-in.
      if (existing.proposedBy !== auth.id || existing.pairId !== membership.pair.id) throw conflict('This id is already in use');
      return c.json({ checkIn: existing }, 200);
    }
    requireActive(membership);
    const startsAt = Date.parse(input.startsAt);
    const now = Date.now();
    if (startsAt <= now) throw invalid('startsAt', 'A check-in must start in the future');
    if (startsAt > now + MAX_DAYS_AHEAD * 86_400_000) throw invalid('startsAt', `A check-in can be proposed at most ${MAX_DAYS_AHEAD} days ahead`);
    if ((await countOpenProposals(db, membership.pair.id, nowIso())) >= MAX_OPEN_PROPOSALS) {
      throw conflict(`This pair already has ${MAX_OPEN_PROPOSALS} open proposals; answer or withdraw some first`);
    }
    await insertCheckIn(db, {
      id: input.id,
      pairId: membership.pair.id,
      orgId: membership.pair.orgId,
      // One string form (toISOString's), so that times compare correctly as strings in SQL.
      startsAt: new Date(startsAt).toISOString(),
      durationMinutes: input.durationMinutes,
      organiserZone: input.organiserZone,
      proposedBy: auth.id,
    });
    const checkIn = await getCheckIn(db, input.id);
    if (!checkIn) throw notFound('Check-in');
    tellPair(c, checkIn.pairId, { topic: 'checkins' });
    return c.json({ checkIn }, 201);
  })
  /** Only the partner who did not propose it may accept: it becomes the scheduled check-in, replacing the old one. */
  .post('/:id/checkins/:checkinId/accept', validate('param', CheckInParam), async (c) => {
    const db = c.var.db;
    const auth = c.var.auth;
    const param = c.req.valid('param');
    const membership = await requirePairMember(db, auth, param.id);
    const checkIn = await loadCheckIn(db, membership.pair.id, param.checkinId);
    if (checkIn.proposedBy === auth.id) throw forbidden('You proposed this time: your partner accepts or declines it');
    // Accepting twice (a retry) is the same acceptance.
    if (checkIn.status === 'scheduled' && checkIn.respondedBy === auth.id) return c.json({ checkIn }, 200);
    if (checkIn.status !== 'proposed') throw conflict(`This proposal is ${STATUS_WORD[checkIn.status]}; propose a new time instead`);
    requireActive(membership);
    if (Date.parse(checkIn.startsAt) <= Date.now()) throw conflict('This time has passed; propose a new one');
    if (!(await acceptCheckIn(db, checkIn, auth.id))) return conflictWithCurrent(db, checkIn.id);
    const current = await getCheckIn(db, checkIn.id);
    if (!current) throw notFound('Check-in');
    tellPair(c, current.pairId, { topic: 'checkins' });
    return c.json({ checkIn: current }, 200);
  })
  .post('/:id/checkins/:checkinId/decline', validate('param', CheckInParam), async (c) => {
    const db = c.var.db;
    const auth = c.var.auth;
    const param = c.req.valid('param');
    const membership = await requirePairMember(db, auth, param.id);
    const checkIn = await loadCheckIn(db, membership.pair.id, param.checkinId);
    if (checkIn.proposedBy === auth.id) throw forbidden('You proposed this time: withdraw it instead of declining it');
    if (checkIn.status === 'declined') return c.json({ checkIn }, 200);
    if (checkIn.status !== 'proposed') throw conflict(`This proposal is ${STATUS_WORD[checkIn.status]}; it can no longer be declined`);
    requireWritable(membership);
    if (!(await declineCheckIn(db, checkIn, auth.id))) return conflictWithCurrent(db, checkIn.id);
    const current = await getCheckIn(db, checkIn.id);
    if (!current) throw notFound('Check-in');
    tellPair(c, current.pairId, { topic: 'checkins' });
    return c.json({ checkIn: current }, 200);
  })
  /** Its proposer withdraws a proposal; either partner calls off the scheduled check-in. */
  .delete('/:id/checkins/:checkinId', validate('param', CheckInParam), async (c) => {
    const db = c.var.db;
    const auth = c.var.auth;
    const param = c.req.valid('param');
    const membership = await requirePairMember(db, auth, param.id);
    const checkIn = await loadCheckIn(db, membership.pair.id, param.checkinId);
    if (checkIn.status === 'proposed' && checkIn.proposedBy !== auth.id) {
      throw forbidden('Only the partner who proposed this time can withdraw it; decline it instead');
    }
    if (checkIn.status === 'cancelled') return c.json({ checkIn }, 200);
    if (checkIn.status === 'declined') throw conflict('This proposal was already declined');
    requireWritable(membership);
    if (!(await cancelCheckIn(db, checkIn, auth.id))) return conflictWithCurrent(db, checkIn.id);
    const current = await getCheckIn(db, checkIn.id);
    if (!current) throw notFound('Check-in');
    tellPair(c, current.pairId, { topic: 'checkins' });
    return c.json({ checkIn: current }, 200);
  })
  /**
   * The scheduled check-in as an RFC 5545 calendar file, for the members' own calendars. Downloaded through the
   * extension's background with the bearer token like every route (no token in the URL).
   */
  .get('/:id/checkin.ics', validate('param', PairParam), async (c) => {
    const db = c.var.db;
    const { pair } = await requirePairMember(db, c.var.auth, c.req.valid('param').id);
    const checkIn = await getScheduledCheckIn(db, pair.id);
    if (!checkIn) throw notFound('Scheduled check-in');
    const [mentor, mentee, sequence] = await Promise.all([getPerson(db, pair.mentorId), getPerson(db, pair.menteeId), pairCalendarSequence(db, pair.id)]);
    if (!mentor || !mentee) throw notFound('Pair member');
    const start = new Date(checkIn.startsAt);
    const end = new Date(start.getTime() + checkIn.durationMinutes * 60_000);
    const link = meetingLink(pair);
    const when = (p: { name: string; timeZone: string }) => `${p.name}: ${localTime(start, p.timeZone).label} (${p.timeZone})`;
    const calendar = ical({ prodId: { company: 'Alongside', product: 'Check-ins', language: 'EN' } });
    // ical-generator writes DTSTART/DTEND in UTC ("…Z") when no time zone is set (its README: "will output all time
    // information as UTC time as long as no time zone is defined"); one instant, no recurrence, so UTC loses nothing
    // and needs no VTIMEZONE data in the worker. Text values are escaped by the library (RFC 5545 §3.3.11).
    calendar.createEvent({
      // One UID per pair, so a new time replaces the old event in a calendar that imported it (RFC 5545 §3.8.4.7);
      // SEQUENCE must then grow across the pair's check-ins, not only within one (see pairCalendarSequence).
      id: `checkin-${pair.id}@alongside`,
      sequence,
      start,
      end,
      stamp: new Date(),
      summary: `Mentoring check-in: ${mentor.name} & ${mentee.name}`,
      description: `${when(mentor)}\n${when(mentee)}\nScheduled in Alongside.`,
      ...(link ? { location: link, url: link } : {}),
    });
    return c.body(calendar.toString(), 200, {
      'Content-Type': 'text/calendar; charset=utf-8',
      'Content-Disposition': 'attachment; filename="alongside-checkin.ics"',
    });
  });
