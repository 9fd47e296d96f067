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

/** A send that waits until released, to look at the outbox while an op is on the wire. */
function gated() {
  let release: () => void = () => undefined;
  const gate = new Promise<void>((r) => {
    release = r;
  });
  return { gate, release: () => release() };
}

describe('outbox while an op is on the wire (chaos suite, issue 8)', () => {
  it('stores a new op at once: enqueue does not wait for a send to come back', async () => {
    const wire = gated();
    const h = harness(async () => {
      await wire.gate;
      return { outcome: 'done' };
    });
    await h.outbox.enqueue(note('slow'));
    const draining = h.outbox.flush();
    await Promise.resolve();
    const stored = await Promise.race([h.outbox.enqueue(note('typed meanwhile')).then(() => 'stored'), new Promise((r) => setTimeout(() => r('waited'), 50))]);
    expect(stored).toBe('stored');
    expect(await Promise.race([h.outbox.list().then((ops) => ops.length), new Promise((r) => setTimeout(() => r('waited'), 50))])).toBe(2);
    wire.release();
    await draining;
    expect(h.sent).toEqual(['slow', 'typed meanwhile']);
    expect(h.stored()).toEqual([]);
  });

  it('a flush asked for during a drain joins it, and what was queued meanwhile is sent by it', async () => {
    const wire = gated();
    const h = harness(async () => {
      await wire.gate;
      return { outcome: 'done' };
    });
    await h.outbox.enqueue(note('a'));
    const first = h.outbox.flush();
    await h.outbox.enqueue(note('b'));
    const second = h.outbox.flush();
    wire.release();
    const [one, two] = await Promise.all([first, second]);
    expect(h.sent).toEqual(['a', 'b']);
    expect(one).toEqual(two);
    expect(two).toMatchObject({ pending: 0 });
  });

  it('will not discard the op on the wire (it may reach the server), but discards one still waiting', async () => {
    const wire = gated();
    const h = harness(async () => {
      await wire.gate;
      return { outcome: 'done' };
    });
    const onWire = await h.outbox.enqueue(note('on the wire'));
    const waiting = await h.outbox.enqueue(note('waiting'));
    const draining = h.outbox.flush();
    while (h.sent.length === 0) await new Promise((r) => setTimeout(r, 0));
    expect(h.outbox.inFlight()).toBe(onWire.opId);
    expect(await h.outbox.discard(onWire.opId)).toBe(false);
    expect(await h.outbox.discard(waiting.opId)).toBe(true);
    wire.release();
    await draining;
    expect(h.sent).toEqual(['on the wire']);
  });

  it('an op whose key is still held by an earlier attempt waits; ops on other entries go ahead, ops on the same entry wait', async () => {
    let held = true;
    const h = harness((op) =>
      op.kind === 'entry.create' && op.entry.body === 'held' && held ? { outcome: 'busy', error: 'still being processed' } : { outcome: 'done' },
    );
    const first = note('held');
    await h.outbox.enqueue(first);
    await h.outbox.enqueue({ kind: 'entry.update', pairId: PAIR, userId: AUTHOR, entryId: first.entry.id, patch: { body: 'held, edited' } });
    await h.outbox.enqueue(note('other'));
    const report = await h.outbox.flush();
    expect(h.sent).toEqual(['held', 'other']);
    expect(report).toMatchObject({ sent: 1, pending: 2, online: true });
    expect(h.stored()[0]).toMatchObject({ attempts: 1, busy: true });
    held = false;
    h.advance(backoffMs(1, () => 1) + 1);
    await h.outbox.flush();
    expect(h.sent).toEqual(['held', 'other', 'held', 'entry.update']);
    expect(h.stored()).toEqual([]);
  });

  it('when the server is seen reachable again, what waited on it is sent at once instead of after its backoff', async () => {
    let up = false;
    const h = harness(() => (up ? { outcome: 'done' } : { outcome: 'retry', error: 'Cannot reach the server' }));
    for (const body of ['a', 'b']) await h.outbox.enqueue(note(body));
    // Many failed attempts: the backoff has grown long.
    for (let i = 0; i < 6; i++) {
      await h.outbox.flush();
      h.advance(backoffMs(i + 1, () => 1) + 1);
    }
    await h.outbox.flush();
    expect(h.stored()[0]?.nextAttemptAt).toBeGreaterThan(1_000_000 + 60_000);
    up = true;
    // A pull got through: the server is back.
    await h.outbox.reachable();
    expect(h.stored()).toEqual([]);
    expect(h.sent.slice(-2)).toEqual(['a', 'b']);
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
