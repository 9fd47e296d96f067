import { env } from 'cloudflare:workers';
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { AdminPairDetail, CheckInAnswer, CheckInsResponse, DELETE_ACCOUNT_PHRASE, MeExport, type CheckIn } from '../../shared/schemas/index.ts';
import { type Programme, call, countRows, expectError, expectJson, seedProgramme, uuid } from './helpers.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** A time `ms` from now, on a whole minute (calendar files carry no milliseconds). */
const inFuture = (ms: number) => new Date(Math.ceil((Date.now() + ms) / 60_000) * 60_000).toISOString();
/** The first Tuesday of next January (no DST in New York or Kolkata then), at a UTC time of day. */
function nextJanuaryTuesday(utcTime: string): { iso: string; day: number } {
  const d = new Date(Date.UTC(new Date().getUTCFullYear() + 1, 0, 1));
  while (d.getUTCDay() !== 2) d.setUTCDate(d.getUTCDate() + 1);
  return { iso: `${d.toISOString().slice(0, 10)}T${utcTime}Z`, day: d.getUTCDate() };
}
const base = (p: Programme) => `/api/v1/pairs/${p.pairId}`;

async function propose(p: Programme, token: string, body: Record<string, unknown> = {}): Promise<CheckIn> {
  const res = await call('POST', `${base(p)}/checkins`, {
    token,
    body: { id: uuid(), startsAt: inFuture(3 * DAY), durationMinutes: 30, organiserZone: 'America/New_York', ...body },
  });
  return CheckInAnswer.parse(await expectJson(res, 201)).checkIn;
}

const answer = async (res: Response, status = 200) => CheckInAnswer.parse(await expectJson(res, status)).checkIn;
const list = async (p: Programme, token: string) => CheckInsResponse.parse(await expectJson(await call('GET', `${base(p)}/checkins`, { token }), 200));

describe('proposing a check-in', () => {
  it('stores the proposal in UTC with the organiser zone; the partner sees it with the cadence due date', async () => {
    const startedOn = new Date(Date.now() - 3 * DAY).toISOString().slice(0, 10);
    const p = await seedProgramme({ cadence: 'biweekly', startedOn });
    const { iso } = nextJanuaryTuesday('14:30:00'); // no milliseconds: stored in toISOString's one form
    const created = await propose(p, p.mentor.token, { startsAt: iso, durationMinutes: 45 });
    expect(created).toMatchObject({
      pairId: p.pairId,
      startsAt: iso.replace('Z', '.000Z'),
      durationMinutes: 45,
      organiserZone: 'America/New_York',
      proposedBy: p.mentor.id,
      status: 'proposed',
      respondedBy: null,
      respondedAt: null,
      version: 1,
    });
    const seen = await list(p, p.mentee.token);
    expect(seen.scheduled).toBeNull();
    expect(seen.proposals.map((c) => c.id)).toEqual([created.id]);
    // Biweekly and never met: due two weeks after the start.
    expect(seen.due).toBe(new Date(Date.parse(`${startedOn}T00:00:00Z`) + 14 * DAY).toISOString());
  });

  it('the duration defaults to 45 minutes', async () => {
    const p = await seedProgramme();
    const res = await call('POST', `${base(p)}/checkins`, { token: p.mentee.token, body: { id: uuid(), startsAt: inFuture(DAY), organiserZone: 'Asia/Kolkata' } });
    expect((await answer(res, 201)).durationMinutes).toBe(45);
  });

  it.each([
    ['a time in the past', { startsAt: new Date(Date.now() - HOUR).toISOString() }, 'startsAt'],
    ['a time more than a year ahead', { startsAt: inFuture(400 * DAY) }, 'startsAt'],
    ['an unknown time zone', { organiserZone: 'Europe/Atlantis' }, 'organiserZone'],
    ['a 10-minute check-in', { durationMinutes: 10 }, 'durationMinutes'],
    ['a time with an offset', { startsAt: '2030-01-15T14:30:00+01:00' }, 'startsAt'],
  ])('refuses %s with a 400 naming the field, storing nothing', async (_label, change, field) => {
    const p = await seedProgramme();
    const res = await call('POST', `${base(p)}/checkins`, {
      token: p.mentor.token,
      body: { id: uuid(), startsAt: inFuture(DAY), durationMinutes: 30, organiserZone: 'UTC', ...change },
    });
    const envelope = await expectError(res, 400, 'invalid_input');
    expect(envelope.error.issues?.some((i) => i.path.includes(field))).toBe(true);
    expect(await countRows('checkins', 'pair_id = ?', p.pairId)).toBe(0);
  });

  it('a paused pair schedules nothing (409)', async () => {
    const p = await seedProgramme();
    await env.DB.prepare(`UPDATE pairs SET status = 'paused' WHERE id = ?`).bind(p.pairId).run();
    const res = await call('POST', `${base(p)}/checkins`, { token: p.mentor.token, body: { id: uuid(), startsAt: inFuture(DAY), organiserZone: 'UTC' } });
    expect((await expectError(res, 409, 'conflict')).error.message).toMatch(/only while the pair is active; this pair is paused/);
  });

  it('a retried proposal (same id) is the same check-in; an id of someone else is a 409', async () => {
    const p = await seedProgramme();
    const body = { id: uuid(), startsAt: inFuture(2 * DAY), organiserZone: 'UTC' };
    const first = await answer(await call('POST', `${base(p)}/checkins`, { token: p.mentor.token, body }), 201);
    const again = await answer(await call('POST', `${base(p)}/checkins`, { token: p.mentor.token, body }), 200);
    expect(again).toEqual(first);
    await expectError(await call('POST', `${base(p)}/checkins`, { token: p.mentee.token, body }), 409, 'conflict');
    expect(await countRows('checkins', 'pair_id = ?', p.pairId)).toBe(1);
  });

  it('an Idempotency-Key replay answers with the check-in as it is now', async () => {
    const p = await seedProgramme();
    const body = { id: uuid(), startsAt: inFuture(2 * DAY), organiserZone: 'UTC' };
    const headers = { 'idempotency-key': `propose-${body.id}` };
    const first = await answer(await call('POST', `${base(p)}/checkins`, { token: p.mentor.token, body, headers }), 201);
    await answer(await call('POST', `${base(p)}/checkins/${first.id}/accept`, { token: p.mentee.token }));
    const replay = await call('POST', `${base(p)}/checkins`, { token: p.mentor.token, body, headers });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(await answer(replay, 201)).toMatchObject({ id: first.id, status: 'scheduled', version: 2 });
  });
});

describe('answering a proposal', () => {
  it('only the other partner may accept or decline: the proposer gets a 403 that says why', async () => {
    const p = await seedProgramme();
    const c = await propose(p, p.mentor.token);
    const accept = await expectError(await call('POST', `${base(p)}/checkins/${c.id}/accept`, { token: p.mentor.token }), 403, 'forbidden');
    expect(accept.error.message).toBe('You proposed this time: your partner accepts or declines it');
    const decline = await expectError(await call('POST', `${base(p)}/checkins/${c.id}/decline`, { token: p.mentor.token }), 403, 'forbidden');
    expect(decline.error.message).toMatch(/withdraw it instead/);
    expect((await list(p, p.mentor.token)).proposals[0]?.status).toBe('proposed');
  });

  it('accepting schedules it and, in one batch, cancels the old scheduled check-in and the other open proposals', async () => {
    const p = await seedProgramme();
    const first = await propose(p, p.mentor.token, { startsAt: inFuture(2 * DAY) });
    await answer(await call('POST', `${base(p)}/checkins/${first.id}/accept`, { token: p.mentee.token }));
    const other = await propose(p, p.mentee.token, { startsAt: inFuture(4 * DAY) });
    const chosen = await propose(p, p.mentee.token, { startsAt: inFuture(5 * DAY) });

    const accepted = await answer(await call('POST', `${base(p)}/checkins/${chosen.id}/accept`, { token: p.mentor.token }));
    expect(accepted).toMatchObject({ id: chosen.id, status: 'scheduled', respondedBy: p.mentor.id, version: 2 });
    expect(accepted.respondedAt).not.toBeNull();

    const seen = await list(p, p.mentee.token);
    expect(seen.scheduled?.id).toBe(chosen.id);
    expect(seen.proposals).toEqual([]);
    const rows = await env.DB.prepare('SELECT id, status, version, cancelled_by FROM checkins WHERE pair_id = ? ORDER BY starts_at').bind(p.pairId).all();
    expect(rows.results).toEqual([
      { id: first.id, status: 'cancelled', version: 3, cancelled_by: p.mentor.id },
      { id: other.id, status: 'cancelled', version: 2, cancelled_by: p.mentor.id },
      { id: chosen.id, status: 'scheduled', version: 2, cancelled_by: null },
    ]);
  });

  it('accepting again is the same acceptance; a declined or withdrawn proposal cannot be accepted (409)', async () => {
    const p = await seedProgramme();
    const c = await propose(p, p.mentor.token);
    const once = await answer(await call('POST', `${base(p)}/checkins/${c.id}/accept`, { token: p.mentee.token }));
    expect(await answer(await call('POST', `${base(p)}/checkins/${c.id}/accept`, { token: p.mentee.token }))).toEqual(once);

    const declined = await propose(p, p.mentor.token);
    expect(await answer(await call('POST', `${base(p)}/checkins/${declined.id}/decline`, { token: p.mentee.token }))).toMatchObject({
      status: 'declined',
      respondedBy: p.mentee.id,
      version: 2,
    });
    const res = await call('POST', `${base(p)}/checkins/${declined.id}/accept`, { token: p.mentee.token });
    expect((await expectError(res, 409, 'conflict')).error.message).toBe('This proposal is declined; propose a new time instead');
    // The scheduled check-in is untouched by the failed accept.
    expect((await list(p, p.mentee.token)).scheduled?.id).toBe(c.id);
  });

  it('a proposal whose time has passed cannot be accepted', async () => {
    const p = await seedProgramme();
    const c = await propose(p, p.mentor.token);
    await env.DB.prepare('UPDATE checkins SET starts_at = ? WHERE id = ?').bind(new Date(Date.now() - HOUR).toISOString(), c.id).run();
    await expectError(await call('POST', `${base(p)}/checkins/${c.id}/accept`, { token: p.mentee.token }), 409, 'conflict');
    expect((await list(p, p.mentee.token)).proposals).toEqual([]); // past proposals are not offered
  });

  it('two proposals accepted at once: one wins, the other is a 409, and there is one scheduled check-in', async () => {
    const p = await seedProgramme();
    const a = await propose(p, p.mentor.token, { startsAt: inFuture(2 * DAY) });
    const b = await propose(p, p.mentor.token, { startsAt: inFuture(3 * DAY) });
    const [ra, rb] = await Promise.all([
      call('POST', `${base(p)}/checkins/${a.id}/accept`, { token: p.mentee.token }),
      call('POST', `${base(p)}/checkins/${b.id}/accept`, { token: p.mentee.token }),
    ]);
    expect([ra.status, rb.status].sort()).toEqual([200, 409]);
    expect(await countRows('checkins', `pair_id = ? AND status = 'scheduled'`, p.pairId)).toBe(1);
  });

  it('the database itself keeps one scheduled check-in per pair', async () => {
    const p = await seedProgramme();
    const a = await propose(p, p.mentor.token);
    const b = await propose(p, p.mentor.token);
    await env.DB.prepare(`UPDATE checkins SET status = 'scheduled' WHERE id = ?`).bind(a.id).run();
    await expect(env.DB.prepare(`UPDATE checkins SET status = 'scheduled' WHERE id = ?`).bind(b.id).run()).rejects.toThrow(/UNIQUE/);
  });
});

describe('withdrawing and calling off', () => {
  it('the proposer withdraws a proposal; the partner may not (403), and declines instead', async () => {
    const p = await seedProgramme();
    const c = await propose(p, p.mentee.token);
    const refused = await expectError(await call('DELETE', `${base(p)}/checkins/${c.id}`, { token: p.mentor.token }), 403, 'forbidden');
    expect(refused.error.message).toMatch(/decline it instead/);
    expect(await answer(await call('DELETE', `${base(p)}/checkins/${c.id}`, { token: p.mentee.token }))).toMatchObject({ status: 'cancelled', version: 2 });
    // Withdrawing twice is the same withdrawal.
    expect(await answer(await call('DELETE', `${base(p)}/checkins/${c.id}`, { token: p.mentee.token }))).toMatchObject({ status: 'cancelled', version: 2 });
  });

  it('either partner calls off the scheduled check-in, and its calendar file is gone (404 with the envelope)', async () => {
    const p = await seedProgramme();
    const c = await propose(p, p.mentee.token);
    await answer(await call('POST', `${base(p)}/checkins/${c.id}/accept`, { token: p.mentor.token }));
    expect((await call('GET', `${base(p)}/checkin.ics`, { token: p.mentee.token })).status).toBe(200);
    // The mentee proposed it, the mentor cancels it.
    expect(await answer(await call('DELETE', `${base(p)}/checkins/${c.id}`, { token: p.mentor.token }))).toMatchObject({ status: 'cancelled' });
    expect((await list(p, p.mentor.token)).scheduled).toBeNull();
    await expectError(await call('GET', `${base(p)}/checkin.ics`, { token: p.mentee.token }), 404, 'not_found');
  });
});

describe('who may see and change check-ins', () => {
  it('a member of another pair is refused, another organisation gets 404, and a check-in of another pair is not found', async () => {
    const p = await seedProgramme();
    const q = await seedProgramme();
    const c = await propose(p, p.mentor.token);
    await expectError(await call('GET', `${base(p)}/checkins`, { token: p.outsider.token }), 403, 'forbidden');
    await expectError(await call('GET', `${base(p)}/checkins`, { token: q.mentor.token }), 404, 'not_found');
    await expectError(await call('GET', `${base(p)}/checkin.ics`, { token: q.mentee.token }), 404, 'not_found');
    await expectError(await call('POST', `${base(p)}/checkins/${c.id}/accept`, { token: p.admin.token }), 403, 'forbidden');
    // q's mentee names p's check-in under q's own pair: not found, and nothing changes.
    await expectError(await call('POST', `/api/v1/pairs/${q.pairId}/checkins/${c.id}/accept`, { token: q.mentee.token }), 404, 'not_found');
    expect((await list(p, p.mentee.token)).proposals[0]?.status).toBe('proposed');
  });
});

describe('GET /pairs/:id/checkin.ics', () => {
  async function scheduled(p: Programme, startsAt: string) {
    const c = await propose(p, p.mentor.token, { startsAt, durationMinutes: 45, organiserZone: 'America/New_York' });
    return answer(await call('POST', `${base(p)}/checkins/${c.id}/accept`, { token: p.mentee.token }));
  }

  it('is an RFC 5545 event that a parser reads back: UID per pair, UTC times, names, the meeting link', async () => {
    const p = await seedProgramme();
    await env.DB.batch([
      env.DB.prepare('UPDATE users SET name = ? WHERE id = ?').bind('Maya O\'Neil, PhD; "M"', p.mentor.id),
      env.DB.prepare('UPDATE users SET name = ? WHERE id = ?').bind('Theo', p.mentee.id),
      // Platform order puts meet before zoom: the Meet link is the one in the calendar.
      env.DB.prepare('UPDATE pairs SET meeting_links = ? WHERE id = ?').bind(
        JSON.stringify({ zoom: 'https://us02web.zoom.us/j/123456789', meet: 'https://meet.google.com/abc-defg-hij' }),
        p.pairId,
      ),
    ]);
    const tuesday = nextJanuaryTuesday('14:00:00');
    await scheduled(p, tuesday.iso);
    const res = await call('GET', `${base(p)}/checkin.ics`, { token: p.mentee.token });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="alongside-checkin.ics"');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const text = await res.text();
    expect(text).toContain('\r\n'); // RFC 5545 §3.1: lines end with CRLF

    // Parsed with Mozilla's ical.js (ICAL.parse → Component → Event, per its wiki's layered model).
    const vevent = new ICAL.Component(ICAL.parse(text)).getFirstSubcomponent('vevent');
    if (!vevent) throw new Error('no VEVENT');
    const event = new ICAL.Event(vevent);
    expect(event.uid).toBe(`checkin-${p.pairId}@alongside`);
    expect(event.summary).toBe('Mentoring check-in: Maya O\'Neil, PhD; "M" & Theo');
    expect(event.startDate.toJSDate().toISOString()).toBe(tuesday.iso.replace('Z', '.000Z'));
    expect(event.endDate.toJSDate().toISOString()).toBe(tuesday.iso.replace('14:00:00Z', '14:45:00.000Z'));
    expect(event.startDate.zone?.tzid).toBe('UTC');
    expect(event.location).toBe('https://meet.google.com/abc-defg-hij');
    expect(vevent.getFirstPropertyValue('url')).toBe('https://meet.google.com/abc-defg-hij');
    expect(event.sequence).toBeGreaterThan(0);
    // Both local times, on each person's clock (New York 09:00 EST, Kolkata 19:30 IST).
    expect(event.description).toContain(`Tue ${tuesday.day} Jan, 09:00 (America/New_York)`);
    expect(event.description).toContain(`Theo: Tue ${tuesday.day} Jan, 19:30 (Asia/Kolkata)`);
  });

  it('a new time keeps the UID and raises SEQUENCE, so calendars replace the old event', async () => {
    const p = await seedProgramme();
    await scheduled(p, inFuture(2 * DAY));
    const read = async () => {
      const vevent = new ICAL.Component(ICAL.parse(await (await call('GET', `${base(p)}/checkin.ics`, { token: p.mentor.token })).text())).getFirstSubcomponent('vevent');
      if (!vevent) throw new Error('no VEVENT');
      return new ICAL.Event(vevent);
    };
    const before = await read();
    const moved = await scheduled(p, inFuture(3 * DAY));
    const after = await read();
    expect(after.uid).toBe(before.uid);
    expect(after.sequence).toBeGreaterThan(before.sequence);
    expect(after.startDate.toJSDate().toISOString()).toBe(moved.startsAt);
    expect(after.location).toBeNull(); // the pair has no meeting link
  });

  it('no scheduled check-in: 404 with the envelope', async () => {
    const p = await seedProgramme();
    await propose(p, p.mentor.token);
    const envelope = await expectError(await call('GET', `${base(p)}/checkin.ics`, { token: p.mentor.token }), 404, 'not_found');
    expect(envelope.error.message).toBe('Scheduled check-in not found');
  });
});

describe('PUT /me/working-hours', () => {
  it('changes the signed-in person’s zone and hours, which the partner then sees', async () => {
    const p = await seedProgramme();
    const body = { timeZone: 'Asia/Kathmandu', workingHours: { startMinute: 525, endMinute: 1005 } };
    expect(await expectJson(await call('PUT', '/api/v1/me/working-hours', { token: p.mentee.token, body }), 200)).toEqual(body);
    const pairs = await expectJson<{ pairs: { partner: { timeZone: string; workingHours: unknown } }[] }>(await call('GET', '/api/v1/pairs', { token: p.mentor.token }), 200);
    expect(pairs.pairs[0]?.partner).toMatchObject(body);
  });

  it.each([
    ['hours that end before they start', { timeZone: 'UTC', workingHours: { startMinute: 600, endMinute: 540 } }],
    ['an unknown zone', { timeZone: 'Mars/Olympus', workingHours: { startMinute: 540, endMinute: 1020 } }],
    ['no hours', { timeZone: 'UTC' }],
  ])('refuses %s (400) and changes nothing', async (_label, body) => {
    const p = await seedProgramme();
    await expectError(await call('PUT', '/api/v1/me/working-hours', { token: p.mentee.token, body }), 400, 'invalid_input');
    const row = await env.DB.prepare('SELECT time_zone, work_start_minute, work_end_minute FROM users WHERE id = ?').bind(p.mentee.id).first();
    expect(row).toEqual({ time_zone: 'Asia/Kolkata', work_start_minute: 540, work_end_minute: 1020 });
  });

  it('a preflight allows PUT from the extension', async () => {
    const res = await call('OPTIONS', '/api/v1/me/working-hours', {
      headers: { origin: 'chrome-extension://abc', 'access-control-request-method': 'PUT', 'access-control-request-headers': 'authorization, content-type' },
    });
    expect(res.headers.get('access-control-allow-methods')).toContain('PUT');
  });
});

describe('admin pair page: scheduled versus held check-ins', () => {
  it('lists past scheduled check-ins, newest first, each held when a meeting started within ±12 h', async () => {
    const p = await seedProgramme();
    const now = Date.now();
    const ago = (ms: number) => new Date(now - ms).toISOString();
    const insert = (id: string, startsAt: string, status: string, respondedAt: string | null, cancelledAt: string | null) =>
      env.DB.prepare(
        `INSERT INTO checkins (id, pair_id, org_id, starts_at, duration_minutes, organiser_zone, proposed_by, status, responded_by, responded_at, cancelled_at, version, created_at, updated_at)
         VALUES (?, ?, ?, ?, 45, 'UTC', ?, ?, ?, ?, ?, 2, ?, ?)`,
      ).bind(id, p.pairId, p.orgId, startsAt, p.mentor.id, status, respondedAt ? p.mentee.id : null, respondedAt, cancelledAt, ago(30 * DAY), ago(30 * DAY));
    const meeting = (startedAt: string) =>
      env.DB.prepare(
        `INSERT INTO meetings (id, pair_id, org_id, platform, started_at, ended_at, source, created_by, created_at, updated_at) VALUES (?, ?, ?, 'meet', ?, ?, 'manual', ?, ?, ?)`,
      ).bind(uuid(), p.pairId, p.orgId, startedAt, startedAt, p.mentor.id, startedAt, startedAt);
    const ids = { held: uuid(), missed: uuid(), current: uuid(), calledOff: uuid(), declined: uuid(), future: uuid() };
    await env.DB.batch([
      // Replaced by the next accepted time after it had passed; a meeting 3 h after it: held.
      insert(ids.held, ago(20 * DAY), 'cancelled', ago(25 * DAY), ago(15 * DAY)),
      meeting(ago(20 * DAY - 3 * HOUR)),
      // Also replaced after its time; the nearest meeting is 13 h later: outside the window, not held.
      insert(ids.missed, ago(10 * DAY), 'cancelled', ago(12 * DAY), ago(5 * DAY)),
      meeting(ago(10 * DAY - 13 * HOUR)),
      // The current scheduled check-in, past: a meeting 11 h before it counts.
      insert(ids.current, ago(2 * DAY), 'scheduled', ago(4 * DAY), null),
      meeting(ago(2 * DAY + 11 * HOUR)),
      // Called off before its time, a declined proposal, and a future check-in: none of them was due.
      insert(ids.calledOff, ago(6 * DAY), 'cancelled', ago(8 * DAY), ago(7 * DAY)),
      insert(ids.declined, ago(3 * DAY), 'declined', ago(4 * DAY), null),
      insert(ids.future, new Date(Date.now() + DAY).toISOString(), 'proposed', null, null),
    ]);
    const detail = AdminPairDetail.parse(await expectJson(await call('GET', `/api/v1/admin/pairs/${p.pairId}`, { token: p.admin.token }), 200));
    expect(detail.scheduledCheckIns.map((c) => [c.id, c.status, c.heldAt !== null])).toEqual([
      [ids.current, 'scheduled', true],
      [ids.missed, 'cancelled', false],
      [ids.held, 'cancelled', true],
    ]);
    expect(detail.scheduledCheckIns[2]?.heldAt).toBe(ago(20 * DAY - 3 * HOUR));
    expect(detail.scheduledCheckIns[0]?.heldAt).toBe(ago(2 * DAY + 11 * HOUR));
  });
});

describe('data rights', () => {
  it('a member’s export holds every check-in of their pairs', async () => {
    const p = await seedProgramme();
    const declined = await propose(p, p.mentor.token);
    await answer(await call('POST', `${base(p)}/checkins/${declined.id}/decline`, { token: p.mentee.token }));
    const open = await propose(p, p.mentee.token);
    const data = MeExport.parse(await expectJson(await call('GET', '/api/v1/me/export', { token: p.mentee.token }), 200));
    expect(data.pairs[0]?.checkIns.map((c) => [c.id, c.status])).toEqual([
      [declined.id, 'declined'],
      [open.id, 'proposed'],
    ]);
  });

  it('a member deleting their account cancels the pair’s open check-ins and leaves no id of theirs on any', async () => {
    const p = await seedProgramme();
    const c = await propose(p, p.mentee.token);
    await answer(await call('POST', `${base(p)}/checkins/${c.id}/accept`, { token: p.mentor.token }));
    await propose(p, p.mentee.token);
    await expectJson(await call('DELETE', '/api/v1/me', { token: p.mentee.token, body: { confirm: DELETE_ACCOUNT_PHRASE } }), 200);
    expect(await countRows('checkins', `pair_id = ? AND status IN ('proposed', 'scheduled')`, p.pairId)).toBe(0);
    expect(await countRows('checkins', 'proposed_by = ?1 OR responded_by = ?1 OR cancelled_by = ?1', p.mentee.id)).toBe(0);
  });
});
