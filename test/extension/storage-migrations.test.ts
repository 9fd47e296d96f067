import { fakeBrowser } from 'wxt/testing/fake-browser';
import { describe, expect, it } from 'vitest';
import { migrateOutboxToV2 } from '../../extension/lib/background/outbox.ts';
import { signedInItem } from '../../extension/lib/background/storage.ts';
import { loadOutbox, outboxItem } from '../../extension/lib/background/sync.ts';

const MAYA = '0190a000-0000-7000-8000-000000000201';
const THEO = '0190a000-0000-7000-8000-000000000301';
const PAIR = '0190a000-0000-7000-8000-000000000401';

const common = (opId: string) => ({ opId, pairId: PAIR, queuedAt: '2026-11-23T09:00:00.000Z', attempts: 2, nextAttemptAt: 0, lastError: 'offline', failed: false });

/** As commit 3326b3c stored them: no `userId`. */
const v1Create = {
  ...common('00000000-0000-4000-8000-000000000001'),
  kind: 'entry.create',
  entry: {
    id: '00000000-0000-4000-8000-0000000000e1',
    meetingId: null,
    goalId: null,
    kind: 'note',
    visibility: 'shared',
    body: 'written offline before the update',
    actionOwnerId: null,
    actionDueOn: null,
    createdAt: '2026-11-23T09:00:00.000Z',
    authorId: THEO,
  },
};
const v1MeetingEnd = {
  ...common('00000000-0000-4000-8000-000000000002'),
  kind: 'meeting.end',
  meetingId: '00000000-0000-4000-8000-0000000000a1',
  endedAt: '2026-11-23T09:30:00.000Z',
};

describe('outbox storage migration v1 → v2', () => {
  it('attributes each op: an entry to its author, anything else to whoever is signed in', () => {
    const { ops, unattributed } = migrateOutboxToV2([v1Create, v1MeetingEnd], MAYA);
    expect(ops).toEqual([
      { ...v1Create, userId: THEO },
      { ...v1MeetingEnd, userId: MAYA },
    ]);
    expect(unattributed).toEqual([]);
  });

  it('sets apart, without dropping, what cannot be attributed', () => {
    const { ops, unattributed } = migrateOutboxToV2([v1Create, v1MeetingEnd, 'junk'], undefined);
    expect(ops).toEqual([{ ...v1Create, userId: THEO }]);
    expect(unattributed).toEqual([v1MeetingEnd]);
  });

  it('migrates a stored v1 outbox in place, and the migrated ops load and are sendable', async () => {
    await signedInItem.set({
      user: {
        id: MAYA,
        orgId: PAIR,
        role: 'mentor',
        name: 'Maya Mentor',
        email: 'maya@example.org',
        timeZone: 'America/New_York',
        workingHours: { startMinute: 480, endMinute: 1020 },
        skills: [],
        interests: [],
        goals: [],
        capacity: 3,
        status: 'active',
        createdAt: '2026-01-01T00:00:00.000Z',
      },
      organisation: { id: PAIR, name: 'Demo' },
      serverUrl: 'http://127.0.0.1:8787',
    });
    await fakeBrowser.storage.local.set({ outbox: [v1Create, v1MeetingEnd], outbox$: { v: 1 } });
    await outboxItem.migrate();
    expect(await fakeBrowser.storage.local.get('outbox$')).toEqual({ outbox$: { v: 2 } });
    const loaded = await loadOutbox();
    expect(loaded.map((op) => [op.opId, op.userId])).toEqual([
      [v1Create.opId, THEO],
      [v1MeetingEnd.opId, MAYA],
    ]);
  });

  it('sets an unreadable op aside and keeps the rest of the queue', async () => {
    await fakeBrowser.storage.local.set({ outbox: [{ ...v1Create, userId: THEO }, { kind: 'entry.create', opId: 'broken' }], outbox$: { v: 2 } });
    const loaded = await loadOutbox();
    expect(loaded.map((op) => op.opId)).toEqual([v1Create.opId]);
    const { ['outbox-quarantine']: quarantined } = await fakeBrowser.storage.local.get('outbox-quarantine');
    expect(quarantined).toEqual([{ kind: 'entry.create', opId: 'broken' }]);
    expect((await fakeBrowser.storage.local.get('outbox')).outbox).toHaveLength(1);
  });
});
