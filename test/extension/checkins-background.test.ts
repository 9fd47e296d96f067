// The background's check-in requests (issue 9) against a scripted server: what is sent where, what the pages get,
// that the token travels only in the Authorization header, and the reminders and badge that follow.
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CheckInsResponse, PairSummary } from '../../shared/schemas/index.ts';
import { APP_CHANNEL } from '../../extension/lib/app-messages.ts';
import { calendarFileName } from '../../extension/lib/background/checkins.ts';
import { handleMessage } from '../../extension/lib/background/handlers.ts';
import { REFRESH_ALARM, REMINDER_ALARM_PREFIX } from '../../extension/lib/background/reminder-plan.ts';
import { refreshReminders, startReminders } from '../../extension/lib/background/reminders.ts';
import { checkInsCacheItem, pairsItem, remindersItem, signedInItem } from '../../extension/lib/background/storage.ts';
// Ana (mentor, Lisbon) is signed in; Priya (mentee, Kolkata) is her partner.
import { checkIn, ids, mentee, signedIn } from './ui-support.ts';

vi.mock('../../extension/lib/background/secrets.ts', () => ({ getToken: async () => 'secret-token', setToken: vi.fn(async () => undefined) }));

const TOKEN = 'secret-token';
const page = () => ({ id: fakeBrowser.runtime.id, url: fakeBrowser.runtime.getURL('/sidepanel.html') });
const ask = (type: string, payload: unknown) => handleMessage({ channel: APP_CHANNEL, type, payload }, page());

const pair: PairSummary = {
  id: ids.pair,
  orgId: ids.org,
  mentorId: ids.mentor,
  menteeId: ids.mentee,
  status: 'active',
  cadence: 'weekly',
  meetingLinks: {},
  startedOn: '2025-09-01',
  endedOn: null,
  version: 1,
  myRole: 'mentor',
  partner: mentee,
};

type Call = { method: string; url: string; headers: Headers; body: string | null };

/** A scripted server: answers by "METHOD path", records every request. */
function server(routes: Record<string, (call: Call) => Response>) {
  const requests: Call[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      const call = { method: request.method, url: request.url, headers: request.headers, body: request.body ? await request.text() : null };
      requests.push(call);
      const route = routes[`${call.method} ${new URL(call.url).pathname}`];
      if (!route) return Response.json({ error: { code: 'not_found', message: 'No such route' } }, { status: 404 });
      return route(call);
    }),
  );
  return requests;
}

const listPath = `/api/v1/pairs/${ids.pair}/checkins`;
const state = (overrides: Partial<CheckInsResponse> = {}): CheckInsResponse => ({ scheduled: null, proposals: [], due: '2099-11-27T09:00:00.000Z', ...overrides });

beforeEach(async () => {
  await signedInItem.set({ user: signedIn.user!, organisation: signedIn.organisation!, serverUrl: 'http://127.0.0.1:8787' });
  await pairsItem.set([pair]);
  // Permissions are not part of the fake browser: granted unless a test says otherwise.
  fakeBrowser.permissions.contains = vi.fn(async () => true) as never;
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe('check-in requests', () => {
  it('reads a pair’s check-ins, keeps a copy, and serves it with a note when the server is unreachable', async () => {
    const scheduled = checkIn({ status: 'scheduled' });
    server({ [`GET ${listPath}`]: () => Response.json(state({ scheduled })) });
    expect(await ask('checkins.get', { pairId: ids.pair })).toEqual({ ok: true, data: { checkIns: state({ scheduled }), fromCache: false, error: null } });
    expect((await checkInsCacheItem(ids.pair).get())?.checkIns.scheduled?.id).toBe(scheduled.id);

    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))));
    const offline = await ask('checkins.get', { pairId: ids.pair });
    expect(offline).toMatchObject({ ok: true, data: { checkIns: { scheduled: { id: scheduled.id } }, fromCache: true } });
  });

  it('refuses a pair the user is not in, without asking the server', async () => {
    const requests = server({});
    expect(await ask('checkins.get', { pairId: ids.pair2 })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(requests).toHaveLength(0);
  });

  it('proposes with the page’s id as the idempotency key, then answers with the stored state', async () => {
    const proposed = checkIn();
    const requests = server({
      [`POST ${listPath}`]: () => Response.json({ checkIn: proposed }, { status: 201 }),
      [`GET ${listPath}`]: () => Response.json(state({ proposals: [proposed] })),
    });
    const answer = await ask('checkins.propose', {
      pairId: ids.pair,
      id: proposed.id,
      startsAt: proposed.startsAt,
      durationMinutes: 45,
      organiserZone: 'Europe/Lisbon',
    });
    expect(answer).toEqual({ ok: true, data: state({ proposals: [proposed] }) });
    const post = requests.find((r) => r.method === 'POST');
    expect(post?.headers.get('idempotency-key')).toBe(proposed.id);
    expect(JSON.parse(post?.body ?? '')).toEqual({ id: proposed.id, startsAt: proposed.startsAt, durationMinutes: 45, organiserZone: 'Europe/Lisbon' });
  });

  it('accepts, declines and withdraws on the check-in’s own routes, and passes the server’s refusal on', async () => {
    const base = `${listPath}/${ids.checkIn1}`;
    const requests = server({
      [`POST ${base}/accept`]: () => Response.json({ checkIn: checkIn({ status: 'scheduled' }) }),
      [`POST ${base}/decline`]: () => Response.json({ error: { code: 'conflict', message: 'This proposal was already answered' } }, { status: 409 }),
      [`DELETE ${base}`]: () => Response.json({ checkIn: checkIn({ status: 'cancelled' }) }),
      [`GET ${listPath}`]: () => Response.json(state()),
    });
    const ref = { pairId: ids.pair, checkInId: ids.checkIn1 };
    expect(await ask('checkins.accept', ref)).toMatchObject({ ok: true });
    expect(await ask('checkins.decline', ref)).toEqual({ ok: false, error: { code: 'conflict', message: 'This proposal was already answered' } });
    expect(await ask('checkins.cancel', ref)).toMatchObject({ ok: true });
    // Each change is followed by a re-read of what is stored; a refused one is not.
    expect(requests.map((r) => `${r.method} ${new URL(r.url).pathname}`)).toEqual([
      `POST ${base}/accept`,
      `GET ${listPath}`,
      `POST ${base}/decline`,
      `DELETE ${base}`,
      `GET ${listPath}`,
    ]);
  });

  it('fetches the calendar file with the token in the Authorization header, never in the URL', async () => {
    const ics = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n';
    const requests = server({
      [`GET /api/v1/pairs/${ids.pair}/checkin.ics`]: () =>
        new Response(ics, { headers: { 'content-type': 'text/calendar', 'content-disposition': 'attachment; filename="alongside-checkin.ics"' } }),
    });
    expect(await ask('checkins.ics', { pairId: ids.pair })).toEqual({ ok: true, data: { name: 'alongside-checkin.ics', text: ics } });
    expect(requests[0]?.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
    expect(requests.every((r) => !r.url.includes(TOKEN))).toBe(true);
  });

  it('says so when nothing is scheduled or the answer is not a calendar', async () => {
    server({ [`GET /api/v1/pairs/${ids.pair}/checkin.ics`]: () => Response.json({ error: { code: 'not_found', message: 'Scheduled check-in not found' } }, { status: 404 }) });
    expect(await ask('checkins.ics', { pairId: ids.pair })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    server({ [`GET /api/v1/pairs/${ids.pair}/checkin.ics`]: () => new Response('<html>login</html>') });
    expect(await ask('checkins.ics', { pairId: ids.pair })).toMatchObject({ ok: false, error: { code: 'bad_calendar' } });
  });

  it('names the calendar file safely', () => {
    expect(calendarFileName('attachment; filename="alongside-checkin.ics"', ids.pair)).toBe('alongside-checkin.ics');
    expect(calendarFileName('attachment; filename="../../evil.ics"', ids.pair)).toBe('.._.._evil.ics');
    expect(calendarFileName(null, ids.pair)).toBe('alongside-checkin-0190a000.ics');
    expect(calendarFileName('attachment; filename="run.exe"', ids.pair)).toBe('alongside-checkin-0190a000.ics');
  });

  it('reads my zone and hours from the server, or as last seen when it is unreachable', async () => {
    const user = { ...signedIn.user!, timeZone: 'Asia/Kathmandu', workingHours: { startMinute: 600, endMinute: 1080 } };
    server({ 'GET /api/v1/auth/me': () => Response.json({ user, organisation: signedIn.organisation, settings: { retentionDays: null } }) });
    expect(await ask('me.workingHours.get', {})).toEqual({
      ok: true,
      data: { timeZone: 'Asia/Kathmandu', workingHours: { startMinute: 600, endMinute: 1080 }, fromCache: false },
    });
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))));
    expect(await ask('me.workingHours.get', {})).toEqual({
      ok: true,
      data: { timeZone: 'Asia/Kathmandu', workingHours: { startMinute: 600, endMinute: 1080 }, fromCache: true },
    });
  });

  it('saves working hours with PUT /me/working-hours and keeps the signed-in copy in step', async () => {
    const requests = server({
      'PUT /api/v1/me/working-hours': (call) => Response.json(JSON.parse(call.body ?? '{}')),
    });
    const hours = { timeZone: 'America/Sao_Paulo', workingHours: { startMinute: 480, endMinute: 960 } };
    expect(await ask('me.workingHours.set', hours)).toEqual({ ok: true, data: hours });
    expect(requests.map((r) => r.method)).toEqual(['PUT']);
    expect((await signedInItem.get())?.user).toMatchObject(hours);
    // The request is validated before anything is sent.
    expect(await ask('me.workingHours.set', { timeZone: 'Mars/Olympus', workingHours: { startMinute: 480, endMinute: 960 } })).toMatchObject({
      ok: false,
      error: { code: 'invalid_request' },
    });
    expect(await ask('me.workingHours.set', { timeZone: 'UTC', workingHours: { startMinute: 600, endMinute: 540 } })).toMatchObject({ ok: false });
  });
});

describe('reminders in the background', () => {
  const now = Date.parse('2099-11-26T09:00:00.000Z');

  async function withSchedule(checkIns: CheckInsResponse) {
    await checkInsCacheItem(ids.pair).set({ checkIns, fetchedAt: new Date(now).toISOString() });
  }

  it('refuses to turn reminders on without the notifications permission', async () => {
    fakeBrowser.permissions.contains = vi.fn(async () => false) as never;
    expect(await ask('reminders.set', { enabled: true })).toMatchObject({ ok: false, error: { code: 'permission_needed' } });
    expect((await remindersItem.get()).enabled).toBe(false);
    expect(await ask('reminders.get', {})).toEqual({ ok: true, data: { enabled: false, leadMinutes: 10, permitted: false } });
  });

  it('sets the reminder alarm for a scheduled check-in and no badge while it is still to come', async () => {
    await remindersItem.set({ enabled: true });
    await withSchedule(state({ scheduled: checkIn({ status: 'scheduled', startsAt: '2099-11-26T10:00:00.000Z' }) }));
    await refreshReminders({ fetch: false, now: () => now });
    const alarms = Object.fromEntries((await fakeBrowser.alarms.getAll()).map((a) => [a.name, a.scheduledTime]));
    expect(alarms[`${REMINDER_ALARM_PREFIX}soon:${ids.checkIn1}`]).toBe(Date.parse('2099-11-26T09:50:00.000Z'));
    expect(await fakeBrowser.action.getBadgeText({})).toBe('');
    expect(await fakeBrowser.notifications.getAll()).toEqual({});
  });

  it('notifies when the alarm time comes, once, with both local times', async () => {
    await remindersItem.set({ enabled: true });
    await withSchedule(state({ scheduled: checkIn({ status: 'scheduled', startsAt: '2099-11-26T10:00:00.000Z' }) }));
    const at = Date.parse('2099-11-26T09:50:00.000Z');
    await refreshReminders({ fetch: false, now: () => at });
    const shown = await fakeBrowser.notifications.getAll();
    expect(Object.values(shown)).toEqual([
      expect.objectContaining({ type: 'basic', title: 'Check-in with Priya in 10 minutes', message: '10:00 your time (Europe/Lisbon) · 15:30 for Priya (Asia/Kolkata)' }),
    ]);
    expect((Object.values(shown)[0] as { iconUrl: string }).iconUrl).toMatch(/^data:image\/png;base64,/);
    await fakeBrowser.notifications.clear(Object.keys(shown)[0]!);
    await refreshReminders({ fetch: false, now: () => at + 60_000 });
    expect(await fakeBrowser.notifications.getAll()).toEqual({});
  });

  it('shows the overdue badge even with reminders off, and clears it and the alarms on sign-out', async () => {
    await withSchedule(state({ due: '2099-11-20T00:00:00.000Z', scheduled: null }));
    await refreshReminders({ fetch: false, now: () => now });
    expect(await fakeBrowser.action.getBadgeText({})).toBe('1');
    expect(await fakeBrowser.action.getTitle({})).toBe('Alongside — check-in overdue with Priya');
    expect(await fakeBrowser.notifications.getAll()).toEqual({});

    await withSchedule(state({ due: '2099-12-20T00:00:00.000Z' }));
    await refreshReminders({ fetch: false, now: () => now });
    expect(await fakeBrowser.action.getBadgeText({})).toBe('');
    expect((await fakeBrowser.alarms.getAll()).map((a) => a.name)).toEqual([`${REMINDER_ALARM_PREFIX}due:${ids.pair}`]);

    await signedInItem.set(null);
    await refreshReminders({ fetch: false, now: () => now });
    expect(await fakeBrowser.alarms.getAll()).toEqual([]);
  });

  it('starts an hourly refresh alarm, first due in an hour (not at once), and re-reads the schedule when an alarm fires', async () => {
    const requests = server({ [`GET ${listPath}`]: () => Response.json(state()), 'GET /api/v1/pairs': () => Response.json({ pairs: [pair] }) });
    const started = Date.now();
    startReminders();
    await vi.waitFor(async () => expect((await fakeBrowser.alarms.get(REFRESH_ALARM))?.periodInMinutes).toBe(60));
    // An idle minute with the live room up must make no D1 read (issue 9): the first periodic read is an hour out.
    expect((await fakeBrowser.alarms.get(REFRESH_ALARM))?.scheduledTime).toBeGreaterThanOrEqual(started + 59 * 60_000);
    await fakeBrowser.alarms.onAlarm.trigger({ name: REFRESH_ALARM, scheduledTime: Date.now() });
    await vi.waitFor(() => expect(requests.some((r) => r.url.endsWith(listPath))).toBe(true));
  });

  it('a page’s scheduling change re-plans the reminders', async () => {
    await remindersItem.set({ enabled: true });
    const soon = checkIn({ status: 'scheduled', startsAt: new Date(Date.now() + 3 * 3_600_000).toISOString() });
    server({
      [`POST ${listPath}/${ids.checkIn1}/accept`]: () => Response.json({ checkIn: soon }),
      [`GET ${listPath}`]: () => Response.json(state({ scheduled: soon })),
    });
    await ask('checkins.accept', { pairId: ids.pair, checkInId: ids.checkIn1 });
    await vi.waitFor(async () => expect((await fakeBrowser.alarms.getAll()).map((a) => a.name)).toContain(`${REMINDER_ALARM_PREFIX}soon:${ids.checkIn1}`));
  });
});
