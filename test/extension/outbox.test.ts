import { describe, expect, it } from 'vitest';
import { Outbox, type OutboxOp, type SendResult, backoffMs } from '../../extension/lib/background/outbox.ts';

const PAIR = '0190a000-0000-7000-8000-000000000401';
const AUTHOR = '0190a000-0000-7000-8000-000000000201';

/** An outbox over in-memory storage and a scripted server. */
function harness(script: (op: OutboxOp) => SendResult | Promise<SendResult>) {
  let stored: OutboxOp[] = [];
  let clock = 1_000_000;
  let n = 0;
  const sent: string[] = [];
  const saves: OutboxOp[][] = [];
  const outbox = new Outbox({
    load: async () => structuredClone(stored),
    save: async (ops) => {
      stored = structuredClone(ops);
      saves.push(stored);
    },
    send: async (op) => {
      sent.push(op.kind === 'entry.create' ? op.entry.body : op.kind);
      return script(op);
    },
    now: () => clock,
    newId: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
  });
  return {
    outbox,
    sent,
    saves,
    stored: () => stored,
    advance: (ms: number) => {
      clock += ms;
    },
  };
}

const note = (body: string) =>
  ({
    kind: 'entry.create',
    pairId: PAIR,
    userId: AUTHOR,
    entry: {
      id: crypto.randomUUID(),
      meetingId: null,
      goalId: null,
      kind: 'note',
      visibility: 'shared',
      body,
      actionOwnerId: null,
      actionDueOn: null,
      createdAt: new Date().toISOString(),
      authorId: AUTHOR,
    },
  }) as const;

describe('outbox', () => {
  it('stores an op durably before anything is sent', async () => {
    const h = harness(() => ({ outcome: 'done' }));
    const op = await h.outbox.enqueue(note('first'));
    expect(h.sent).toEqual([]);
    expect(h.stored().map((o) => o.opId)).toEqual([op.opId]);
    expect(op).toMatchObject({ attempts: 0, failed: false, lastError: null });
  });

  it('sends in the order written and removes what the server accepted', async () => {
    const h = harness(() => ({ outcome: 'done' }));
    for (const body of ['a', 'b', 'c']) await h.outbox.enqueue(note(body));
    const report = await h.outbox.flush();
    expect(h.sent).toEqual(['a', 'b', 'c']);
    expect(report).toEqual({ sent: 3, pending: 0, failed: 0, online: true });
    expect(h.stored()).toEqual([]);
  });

  it('keeps everything while the server is down, backs off, and sends each op once it is back', async () => {
    let up = false;
    const h = harness(() => (up ? { outcome: 'done' } : { outcome: 'retry', error: 'Cannot reach the server' }));
    for (const body of ['a', 'b', 'c']) await h.outbox.enqueue(note(body));
    const down = await h.outbox.flush();
    // A retryable failure stops the flush: later ops may depend on earlier ones.
    expect(h.sent).toEqual(['a']);
    expect(down).toMatchObject({ sent: 0, pending: 3, online: false });
    expect(h.stored()[0]).toMatchObject({ attempts: 1, lastError: 'Cannot reach the server', failed: false });
    // Not due yet: nothing is sent.
    await h.outbox.flush();
    expect(h.sent).toEqual(['a']);
    up = true;
    h.advance(backoffMs(1, () => 1) + 1);
    const back = await h.outbox.flush();
    expect(back).toEqual({ sent: 3, pending: 0, failed: 0, online: true });
    expect(h.sent).toEqual(['a', 'a', 'b', 'c']);
  });

  it('marks a refused op failed, keeps it for the user, and goes on with the rest', async () => {
    const h = harness((op) => (op.kind === 'entry.create' && op.entry.body === 'bad' ? { outcome: 'refused', error: 'Invalid body' } : { outcome: 'done' }));
    await h.outbox.enqueue(note('bad'));
    await h.outbox.enqueue(note('good'));
    const report = await h.outbox.flush();
    expect(report).toEqual({ sent: 1, pending: 0, failed: 1, online: true });
    expect(h.stored()).toHaveLength(1);
    expect(h.stored()[0]).toMatchObject({ failed: true, lastError: 'Invalid body' });
    // Failed ops wait for the user: another flush does not resend them…
    await h.outbox.flush();
    expect(h.sent).toEqual(['bad', 'good']);
    // …until they press retry.
    await h.outbox.retry(PAIR);
    await h.outbox.flush();
    expect(h.sent).toEqual(['bad', 'good', 'bad']);
  });

  it('treats a thrown error as retryable', async () => {
    const h = harness(() => {
      throw new Error('socket hang up');
    });
    await h.outbox.enqueue(note('x'));
    const report = await h.outbox.flush();
    expect(report.online).toBe(false);
    expect(h.stored()[0]?.lastError).toBe('socket hang up');
  });

  it('never sends the same op twice when flushes overlap', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const h = harness(async () => {
      await gate;
      return { outcome: 'done' };
    });
    await h.outbox.enqueue(note('once'));
    const first = h.outbox.flush();
    const second = h.outbox.flush();
    release();
    await Promise.all([first, second]);
    expect(h.sent).toEqual(['once']);
  });

  it('discards an op that has not been sent, and reports an op already sent', async () => {
    const h = harness(() => ({ outcome: 'done' }));
    const kept = await h.outbox.enqueue(note('kept'));
    expect(await h.outbox.discard(kept.opId)).toBe(true);
    expect(h.stored()).toEqual([]);
    const sentOp = await h.outbox.enqueue(note('sent'));
    await h.outbox.flush();
    expect(await h.outbox.discard(sentOp.opId)).toBe(false);
  });
});

describe('backoffMs', () => {
  it('doubles from one second and is capped at five minutes, with bounded jitter', () => {
    expect(backoffMs(1, () => 0.5)).toBe(1_000);
    expect(backoffMs(2, () => 0.5)).toBe(2_000);
    expect(backoffMs(5, () => 0.5)).toBe(16_000);
    expect(backoffMs(30, () => 0.5)).toBe(300_000);
    expect(backoffMs(3, () => 0)).toBe(3_200);
    expect(backoffMs(3, () => 1)).toBe(4_800);
  });
});

describe('which server answers the outbox retries', () => {
  it('retries server and network trouble, expired sign-ins and a write still being processed; gives up on refusals', async () => {
    const { ApiFailure } = await import('../../extension/lib/background/api.ts');
    const failure = (status: number, code: string) => new ApiFailure(status, code, 'message', null);
    for (const [status, code] of [[500, 'internal'], [503, 'internal'], [429, 'rate_limited'], [401, 'unauthenticated'], [0, 'network'], [409, 'in_progress']] as const) {
      expect(failure(status, code).retryable, `${status} ${code}`).toBe(true);
    }
    for (const [status, code] of [[400, 'invalid_input'], [404, 'not_found'], [409, 'conflict'], [409, 'version_conflict'], [403, 'forbidden']] as const) {
      expect(failure(status, code).retryable, `${status} ${code}`).toBe(false);
    }
  });
});
