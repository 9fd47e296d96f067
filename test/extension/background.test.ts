import { fakeBrowser } from 'wxt/testing/fake-browser';
import { describe, expect, it } from 'vitest';
import type { Entry, PairSummary } from '../../shared/schemas/index.ts';
import { laterEntryCursor } from '../../shared/schemas/index.ts';
import { APP_CHANNEL } from '../../extension/lib/app-messages.ts';
import { resolvePair } from '../../extension/lib/background/calls.ts';
import { handleMessage, parseInvitation, senderKind } from '../../extension/lib/background/handlers.ts';
import type { OutboxOp } from '../../extension/lib/background/outbox.ts';
import { pairCacheItem, settingsItem } from '../../extension/lib/background/storage.ts';
import { cacheSentEntry, mergeStream } from '../../extension/lib/background/sync.ts';

const page = () => ({ id: fakeBrowser.runtime.id, url: fakeBrowser.runtime.getURL('/overlay.html'), tab: { id: 7 } as never });
const callPage = (url = 'https://meet.google.com/abc-defg-hij') => ({ id: fakeBrowser.runtime.id, url, tab: { id: 7 } as never });

describe('message senders', () => {
  it('tells our pages from call-page content scripts, and ignores everyone else', async () => {
    expect(await senderKind(page())).toBe('page');
    expect(await senderKind(callPage())).toBe('call');
    expect(await senderKind(callPage('https://evil.example/meet.google.com'))).toBeNull();
    expect(await senderKind({ ...page(), id: 'another-extension' })).toBeNull();
    expect(await senderKind({ id: fakeBrowser.runtime.id })).toBeNull();
  });

  it('accepts a self-hosted Jitsi origin only once the user added it', async () => {
    const jitsi = callPage('https://jitsi.example.org/TeamStandup');
    expect(await senderKind(jitsi)).toBeNull();
    await settingsItem.set({ serverUrl: 'http://127.0.0.1:8787', jitsiOrigins: ['https://jitsi.example.org'] });
    expect(await senderKind(jitsi)).toBe('call');
  });

  it('answers app requests from our pages only', async () => {
    const request = { channel: APP_CHANNEL, type: 'auth.status', payload: {} };
    expect(await handleMessage(request, page())).toEqual({
      ok: true,
      data: { signedIn: false, serverUrl: 'http://127.0.0.1:8787', user: null, organisation: null },
    });
    // A content script (or anything running in a call page) cannot ask for app data.
    expect(await handleMessage(request, callPage())).toBeUndefined();
    expect(await handleMessage(request, { ...page(), id: 'another-extension' })).toBeUndefined();
  });

  it('rejects malformed requests with a clear error instead of acting on them', async () => {
    expect(await handleMessage({ channel: APP_CHANNEL, type: 'entries.add', payload: { pairId: 'not-a-uuid' } }, page())).toMatchObject({
      ok: false,
      error: { code: 'invalid_request' },
    });
    expect(await handleMessage({ channel: APP_CHANNEL, type: 'secrets.dump', payload: {} }, page())).toMatchObject({
      ok: false,
      error: { code: 'unknown_request' },
    });
    expect(await handleMessage({ type: 'call.state', platform: 'meet', code: '', state: 'in-call' }, callPage())).toBeUndefined();
    expect(await handleMessage('hello', callPage())).toBeUndefined();
  });

  it('requires sign-in before pair data is touched', async () => {
    const answer = await handleMessage({ channel: APP_CHANNEL, type: 'context.get', payload: { pairId: crypto.randomUUID() } }, page());
    expect(answer).toMatchObject({ ok: false, error: { code: 'signed_out' } });
  });
});

describe('stored values', () => {
  it('falls back when a stored value does not validate', async () => {
    await fakeBrowser.storage.local.set({ settings: { serverUrl: 42, jitsiOrigins: 'nope' } });
    expect(await settingsItem.get()).toEqual({ serverUrl: 'http://127.0.0.1:8787', jitsiOrigins: [] });
  });

  it('reads a pair cache stored with an old numeric cursor as the start of both streams, keeping the cache (issue 8)', async () => {
    const pairId = crypto.randomUUID();
    const lastSyncedAt = '2026-11-30T10:00:00.000Z';
    await fakeBrowser.storage.local.set({ [`pair-cache:${pairId}`]: { cursor: 57, entries: [], context: null, lastSyncedAt } });
    expect(await pairCacheItem(pairId).get()).toEqual({ cursor: '0:0', entries: [], context: null, lastSyncedAt });
  });

  it('moves a cursor only forward, stream by stream', () => {
    expect(laterEntryCursor('5:2', '3:4')).toBe('5:4');
    expect(laterEntryCursor('0:0', '7:1')).toBe('7:1');
  });

  it('refuses to store an invalid value', async () => {
    await expect(settingsItem.set({ serverUrl: 'not a url', jitsiOrigins: [] })).rejects.toThrow();
  });
});

describe('parseInvitation', () => {
  it('takes the code and the server from a pasted link, or a bare code', () => {
    expect(parseInvitation('https://alongside.example.org/invite/abc_DEF-123')).toEqual({ code: 'abc_DEF-123', serverUrl: 'https://alongside.example.org' });
    expect(parseInvitation('http://127.0.0.1:8787/invite/xyz/')).toEqual({ code: 'xyz', serverUrl: 'http://127.0.0.1:8787' });
    expect(parseInvitation('  abc_DEF-123 ')).toEqual({ code: 'abc_DEF-123' });
  });
});

const pair = (id: string, status: PairSummary['status'], meet?: string | PairSummary['meetingLinks']): PairSummary => ({
  id,
  orgId: crypto.randomUUID(),
  mentorId: crypto.randomUUID(),
  menteeId: crypto.randomUUID(),
  status,
  cadence: 'weekly',
  meetingLinks: typeof meet === 'string' ? { meet } : (meet ?? {}),
  startedOn: '2026-01-01',
  endedOn: null,
  version: 1,
  myRole: 'mentor',
  partner: { id: crypto.randomUUID(), role: 'mentee', name: 'P', timeZone: 'UTC', workingHours: { startMinute: 540, endMinute: 1020 } },
});

describe('resolvePair', () => {
  const a = '00000000-0000-4000-8000-00000000000a';
  const b = '00000000-0000-4000-8000-00000000000b';
  it('uses the only open pair', () => {
    expect(resolvePair([pair(a, 'active'), pair(b, 'ended')], {}, 'meet', 'abc-defg-hij')).toBe(a);
  });
  it('matches the meeting link, else asks (null), and then remembers the choice per meeting code', () => {
    const pairs = [pair(a, 'active', 'https://meet.google.com/abc-defg-hij'), pair(b, 'active')];
    expect(resolvePair(pairs, {}, 'meet', 'abc-defg-hij')).toBe(a);
    expect(resolvePair(pairs, {}, 'meet', 'zzz-zzzz-zzz')).toBeNull();
    expect(resolvePair(pairs, { 'meet:zzz-zzzz-zzz': b }, 'meet', 'zzz-zzzz-zzz')).toBe(b);
  });
  it('normalises pasted links per platform before matching them to the call page’s code', () => {
    const thread = '19:meeting_NzQ4ZDk1YWQtYWxvbmdzaWRl@thread.v2';
    const pairs = [
      // A Teams invitation is percent-encoded; its call page is not. A Meet link pasted in upper case.
      pair(a, 'active', {
        teams: 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_NzQ4ZDk1YWQtYWxvbmdzaWRl%40thread.v2/0?context=%7b%22Tid%22%3a%22x%22%7d',
        meet: 'https://meet.google.com/ABC-DEFG-HIJ',
      }),
      // A Zoom link with its passcode.
      pair(b, 'active', { zoom: 'https://us05web.zoom.us/j/83412345678?pwd=AbCdEf.1' }),
    ];
    expect(resolvePair(pairs, {}, 'teams', thread)).toBe(a);
    expect(resolvePair(pairs, {}, 'meet', 'abc-defg-hij')).toBe(a);
    expect(resolvePair(pairs, {}, 'zoom', '83412345678')).toBe(b);
    // A code that merely contains another is not that meeting.
    expect(resolvePair(pairs, {}, 'zoom', '834123456')).toBeNull();
    // Links that are not URLs are ignored, not thrown on.
    expect(resolvePair([pair(a, 'active', { meet: 'not a url' }), pair(b, 'active')], {}, 'meet', 'abc-defg-hij')).toBeNull();
  });
});

describe('mergeStream', () => {
  const PAIR = crypto.randomUUID();
  const me = crypto.randomUUID();
  const serverEntry = (body: string, extra: Partial<Entry> = {}): Entry => ({
    id: crypto.randomUUID(),
    pairId: PAIR,
    meetingId: null,
    goalId: null,
    authorId: me,
    kind: 'action',
    visibility: 'shared',
    body,
    actionOwnerId: null,
    actionDueOn: null,
    actionDoneAt: null,
    version: 1,
    seq: 1,
    createdAt: '2026-11-20T10:00:00.000Z',
    updatedAt: '2026-11-20T10:00:00.000Z',
    deleted: false,
    ...extra,
  });
  const common = { pairId: PAIR, userId: me, queuedAt: '2026-11-20T10:05:00.000Z', attempts: 0, nextAttemptAt: 0, lastError: null, failed: false };

  it('shows each entry with its true sync state', () => {
    const synced = serverEntry('on the server');
    const edited = serverEntry('ticked locally');
    const gone = serverEntry('deleted locally');
    const ops: OutboxOp[] = [
      { ...common, opId: crypto.randomUUID(), kind: 'entry.create', entry: { ...serverEntry('just typed'), createdAt: '2026-11-20T10:05:00.000Z' } },
      { ...common, opId: 'in-flight-0000-4000-8000-000000000000', kind: 'entry.update', entryId: edited.id, patch: { actionDone: true } },
      { ...common, opId: crypto.randomUUID(), kind: 'entry.delete', entryId: gone.id },
      { ...common, opId: crypto.randomUUID(), kind: 'entry.create', failed: true, lastError: 'Invalid body', entry: { ...serverEntry('refused'), createdAt: '2026-11-20T10:06:00.000Z' } },
    ];
    const stream = mergeStream({ cursor: '3:0', entries: [synced, edited, gone], context: null, lastSyncedAt: null }, ops, PAIR, new Set(['in-flight-0000-4000-8000-000000000000']));
    expect(stream.map((e) => [e.body, e.sync])).toEqual([
      ['on the server', 'synced'],
      ['ticked locally', 'syncing'],
      ['just typed', 'local'],
      ['refused', 'failed'],
    ]);
    expect(stream[1]?.actionDoneAt).toBe(common.queuedAt);
    expect(stream[3]?.error).toBe('Invalid body');
  });
});

describe('cacheSentEntry (chaos suite, issue 8)', () => {
  it('writes entries that come back together in one write of the pair cache, and each resolves once stored', async () => {
    const PAIR = crypto.randomUUID();
    const me = crypto.randomUUID();
    const entry = (i: number): Entry => ({
      id: crypto.randomUUID(),
      pairId: PAIR,
      meetingId: null,
      goalId: null,
      authorId: me,
      kind: 'note',
      visibility: 'shared',
      body: `sent ${i}`,
      actionOwnerId: null,
      actionDueOn: null,
      actionDoneAt: null,
      version: 1,
      seq: i + 1,
      createdAt: `2026-11-20T10:00:0${i}.000Z`,
      updatedAt: `2026-11-20T10:00:0${i}.000Z`,
      deleted: false,
    });
    const writes: string[] = [];
    const set = fakeBrowser.storage.local.set.bind(fakeBrowser.storage.local);
    fakeBrowser.storage.local.set = async (items: Record<string, unknown>) => {
      writes.push(...Object.keys(items).filter((k) => k.startsWith('pair-cache:')));
      return set(items);
    };
    const sent = Array.from({ length: 6 }, (_, i) => entry(i));
    await Promise.all(
      sent.map(async (e) => {
        await cacheSentEntry(PAIR, e);
        // Resolved only once this entry is in storage.
        expect((await pairCacheItem(PAIR).get()).entries.map((c) => c.id)).toContain(e.id);
      }),
    );
    expect((await pairCacheItem(PAIR).get()).entries.map((e) => e.body)).toEqual(sent.map((e) => e.body));
    // The first write starts at once; the five that came back meanwhile share the second.
    expect(writes.length).toBeGreaterThan(0);
    expect(writes.length).toBeLessThanOrEqual(2);
  });
});
