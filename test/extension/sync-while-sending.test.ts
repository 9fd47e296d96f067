/**
 * The overlay's `entries.sync` shows the partner's entries while the outbox is still sending. Found by the chaos suite
 * (issue 8): each overlay showed only its own entries, because the sync waited for the whole outbox to drain before
 * it pulled, and with hundreds of ops queued behind a slow server the pull never came.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { APP_CHANNEL } from '../../extension/lib/app-messages.ts';
import { handleMessage } from '../../extension/lib/background/handlers.ts';
import { settingsItem, signedInItem } from '../../extension/lib/background/storage.ts';
import type { Entry } from '../../shared/schemas/index.ts';
import { fakeBrowser } from 'wxt/testing/fake-browser';

// The token lives in IndexedDB, which happy-dom does not have.
vi.mock('../../extension/lib/background/secrets.ts', () => ({ getToken: async () => 'test-token-0123456789abcdef', setToken: async () => undefined }));

const SERVER = 'http://127.0.0.1:8787';
const ORG = '0190a000-0000-7000-8000-000000000001';
const ME = '0190a000-0000-7000-8000-000000000201';
const PARTNER = '0190a000-0000-7000-8000-000000000202';
const PAIR = '0190a000-0000-7000-8000-000000000401';
const page = () => ({ id: fakeBrowser.runtime.id, url: fakeBrowser.runtime.getURL('/overlay.html'), tab: { id: 7 } as never });
const ask = (type: string, payload: unknown) => handleMessage({ channel: APP_CHANNEL, type, payload }, page());

const partnerEntry: Entry = {
  id: '0190a000-0000-7000-8000-000000000901',
  pairId: PAIR,
  meetingId: null,
  goalId: null,
  authorId: PARTNER,
  kind: 'note',
  visibility: 'shared',
  body: 'from the partner',
  actionOwnerId: null,
  actionDueOn: null,
  actionDoneAt: null,
  version: 1,
  seq: 1,
  createdAt: '2026-11-30T10:00:00.000Z',
  updatedAt: '2026-11-30T10:00:00.000Z',
  deleted: false,
};

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('entries.sync while the outbox sends (chaos suite, issue 8)', () => {
  it('pulls the partner’s entries without waiting for the outbox to drain', async () => {
    await settingsItem.set({ serverUrl: SERVER, jitsiOrigins: [] });
    await signedInItem.set({
      user: {
        id: ME,
        orgId: ORG,
        role: 'mentee',
        name: 'Me',
        email: 'me@example.org',
        timeZone: 'UTC',
        workingHours: { startMinute: 540, endMinute: 1020 },
        skills: [],
        interests: [],
        goals: [],
        capacity: 1,
        status: 'active',
        createdAt: '2026-01-01T00:00:00.000Z',
      },
      organisation: { id: ORG, name: 'Org' },
      serverUrl: SERVER,
    });
    // The server takes our entries very slowly (they never come back in this test); reads answer at once. Before
    // sending, the note is sealed with the pair key this (first, approved) device makes (issue 10).
    const posts: string[] = [];
    let device: Record<string, unknown> | null = null;
    vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      const path = new URL(request.url).pathname;
      if (request.method === 'POST' && path === '/api/v1/me/devices') {
        const { publicKeySpki, id } = (await request.json()) as { publicKeySpki: string; id: string };
        const at = '2026-11-30T09:00:00.000Z';
        device = { id, userId: ME, publicKeySpki, label: '', createdAt: at, revokedAt: null, approvedAt: at, approvedVia: 'first-device' };
        return Response.json({ device }, { status: 201 });
      }
      if (path === `/api/v1/pairs/${PAIR}/keys`) {
        if (request.method === 'POST') return Response.json({ ok: true });
        return Response.json({ pairId: PAIR, encryptedSince: null, records: [], members: [{ userId: ME, role: 'mentee', active: true, devices: device ? [{ ...device, keyIds: [] }] : [] }] });
      }
      if (request.method === 'POST') {
        posts.push(path);
        return new Promise<Response>(() => undefined);
      }
      return Response.json({ entries: [partnerEntry], cursor: '1:0', hasMore: false });
    });
    const added = await ask('entries.add', { pairId: PAIR, kind: 'note', visibility: 'shared', body: 'mine' });
    expect(added).toMatchObject({ ok: true });
    await vi.waitFor(() => expect(posts).toEqual(['/api/v1/entries']));

    const synced = await Promise.race([ask('entries.sync', { pairId: PAIR }), new Promise((r) => setTimeout(() => r('still waiting'), 1_000))]);
    expect(synced).not.toBe('still waiting');
    const { entries } = (synced as { ok: true; data: { entries: { body: string; sync: string }[] } }).data;
    expect(entries.map((e) => [e.body, e.sync])).toEqual(
      expect.arrayContaining([
        ['from the partner', 'synced'],
        ['mine', 'syncing'],
      ]),
    );
  });
});
