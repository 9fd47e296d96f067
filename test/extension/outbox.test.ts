import { describe, expect, it } from 'vitest';
import { Outbox, type OutboxOp, SEND_CONCURRENCY, type SendResult, backoffMs } from '../../extension/lib/background/outbox.ts';

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
    // 'a' is not due yet: the next flush tries one op that is ('a' backing off does not stall the others).
    await h.outbox.flush();
    expect(h.sent).toEqual(['a', 'b']);
    up = true;
    h.advance(backoffMs(1, () => 1) + 1);
    const back = await h.outbox.flush();
    expect(back).toEqual({ sent: 3, pending: 0, failed: 0, online: true });
    expect(h.sent).toEqual(['a', 'b', 'a', 'b', 'c']);
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
    expect([...h.outbox.inFlight()]).toEqual([onWire.opId]);
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

/** A server whose answers the test gives one by one: each send waits until the test settles it. */
function controlledServer() {
  const waiting: { label: string; answer: (result: SendResult) => void }[] = [];
  let onWire = 0;
  let mostOnWire = 0;
  const label = (op: OutboxOp) => (op.kind === 'entry.create' ? op.entry.body : op.kind);
  const send = (op: OutboxOp) =>
    new Promise<SendResult>((resolve) => {
      onWire++;
      mostOnWire = Math.max(mostOnWire, onWire);
      waiting.push({
        label: label(op),
        answer: (result) => {
          onWire--;
          resolve(result);
        },
      });
    });
  /** Lets the outbox take what it can until nothing more goes on the wire. */
  const settled = async () => {
    for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 0));
  };
  return {
    send,
    settled,
    onWireNow: () => waiting.map((w) => w.label),
    mostOnWire: () => mostOnWire,
    /** Answers the op on the wire with this label. */
    answer(name: string, result: SendResult = { outcome: 'done' }) {
      const at = waiting.findIndex((w) => w.label === name);
      if (at < 0) throw new Error(`${name} is not on the wire (on it: ${waiting.map((w) => w.label).join(', ')})`);
      const [w] = waiting.splice(at, 1);
      w?.answer(result);
    },
  };
}

describe('outbox sending side by side (chaos suite, issue 8)', () => {
  const MEETING = '0190a000-0000-7000-8000-000000000601';
  const inMeeting = (body: string) => {
    const op = note(body);
    return { ...op, entry: { ...op.entry, meetingId: MEETING } };
  };

  it(`puts at most ${SEND_CONCURRENCY} independent ops on the wire at once, once the server has answered`, async () => {
    const server = controlledServer();
    const h = harness((op) => server.send(op));
    for (let i = 0; i < 10; i++) await h.outbox.enqueue(note(`n${i}`));
    const draining = h.outbox.flush();
    await server.settled();
    // Until one op gets through, one at a time (the server may be down).
    expect(server.onWireNow()).toEqual(['n0']);
    server.answer('n0');
    await server.settled();
    const labels = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `n${from + i}`);
    expect(server.onWireNow()).toEqual(labels(1, SEND_CONCURRENCY));
    // One comes back: the next one takes its place, no more.
    server.answer('n3');
    await server.settled();
    expect(server.onWireNow()).toEqual([...labels(1, SEND_CONCURRENCY).filter((l) => l !== 'n3'), `n${SEND_CONCURRENCY + 1}`]);
    while (server.onWireNow().length) {
      for (const label of server.onWireNow()) server.answer(label);
      await server.settled();
    }
    expect(await draining).toEqual({ sent: 10, pending: 0, failed: 0, online: true });
    expect(server.mostOnWire()).toBe(SEND_CONCURRENCY);
    expect(h.stored()).toEqual([]);
  });

  it('keeps the order of ops on the same entry: an edit waits for the creation, a delete for the edit', async () => {
    const server = controlledServer();
    const h = harness((op) => server.send(op));
    const first = note('first');
    await h.outbox.enqueue(note('warm-up'));
    await h.outbox.enqueue(first);
    await h.outbox.enqueue({ kind: 'entry.update', pairId: PAIR, userId: AUTHOR, entryId: first.entry.id, patch: { body: 'edited' } });
    await h.outbox.enqueue({ kind: 'entry.delete', pairId: PAIR, userId: AUTHOR, entryId: first.entry.id });
    await h.outbox.enqueue(note('other'));
    const draining = h.outbox.flush();
    await server.settled();
    server.answer('warm-up');
    await server.settled();
    // The edit and the delete wait behind 'first'; an op on another entry goes ahead of them.
    expect(server.onWireNow()).toEqual(['first', 'other']);
    server.answer('other');
    await server.settled();
    expect(server.onWireNow()).toEqual(['first']);
    server.answer('first');
    await server.settled();
    expect(server.onWireNow()).toEqual(['entry.update']);
    server.answer('entry.update');
    await server.settled();
    expect(server.onWireNow()).toEqual(['entry.delete']);
    server.answer('entry.delete');
    await draining;
    expect(h.sent).toEqual(['warm-up', 'first', 'other', 'entry.update', 'entry.delete']);
  });

  it('sends entries of the same meeting side by side, after its start and before its end', async () => {
    const server = controlledServer();
    const h = harness((op) => server.send(op));
    await h.outbox.enqueue(note('warm-up'));
    await h.outbox.enqueue({ kind: 'meeting.start', pairId: PAIR, userId: AUTHOR, meetingId: MEETING, platform: 'meet', code: 'abc-defg-hij' });
    await h.outbox.enqueue(inMeeting('m1'));
    await h.outbox.enqueue(inMeeting('m2'));
    await h.outbox.enqueue({ kind: 'meeting.end', pairId: PAIR, userId: AUTHOR, meetingId: MEETING, endedAt: new Date().toISOString() });
    const draining = h.outbox.flush();
    await server.settled();
    server.answer('warm-up');
    await server.settled();
    expect(server.onWireNow()).toEqual(['meeting.start']);
    server.answer('meeting.start');
    await server.settled();
    expect(server.onWireNow()).toEqual(['m1', 'm2']);
    server.answer('m2');
    await server.settled();
    expect(server.onWireNow()).toEqual(['m1']);
    server.answer('m1');
    await server.settled();
    expect(server.onWireNow()).toEqual(['meeting.end']);
    server.answer('meeting.end');
    expect(await draining).toMatchObject({ sent: 5, pending: 0 });
  });

  it('backs off an op that failed while the server answers others, holds back only the ops on its entry, and goes on', async () => {
    const server = controlledServer();
    const h = harness((op) => server.send(op));
    const flaky = note('flaky');
    await h.outbox.enqueue(note('warm-up'));
    await h.outbox.enqueue(flaky);
    await h.outbox.enqueue({ kind: 'entry.update', pairId: PAIR, userId: AUTHOR, entryId: flaky.entry.id, patch: { body: 'flaky, edited' } });
    for (let i = 0; i < 4; i++) await h.outbox.enqueue(note(`n${i}`));
    const draining = h.outbox.flush();
    await server.settled();
    server.answer('warm-up');
    await server.settled();
    expect(server.onWireNow()).toEqual(['flaky', ...['n0', 'n1', 'n2', 'n3'].slice(0, SEND_CONCURRENCY - 1)]);
    server.answer('flaky', { outcome: 'retry', error: 'Internal error' });
    await server.settled();
    // One failure: the drain goes on, one op at a time, until one gets through.
    server.answer('n0');
    await server.settled();
    expect(server.onWireNow()).toEqual(['n1', 'n2', 'n3']);
    for (const label of ['n1', 'n2', 'n3']) server.answer(label);
    expect(await draining).toMatchObject({ sent: 5, pending: 2, online: true });
    expect(h.stored().map((op) => [op.kind, op.attempts])).toEqual([
      ['entry.create', 1],
      ['entry.update', 0],
    ]);
    expect(h.stored()[0]?.nextAttemptAt).toBeGreaterThan(1_000_000);
  });

  it('stores every new op before enqueue resolves, but writes what sends changed once per batch, not once per op', async () => {
    const h = harness(() => ({ outcome: 'done' }));
    for (let i = 0; i < 40; i++) await h.outbox.enqueue(note(`n${i}`));
    expect(h.saves).toHaveLength(40);
    await h.outbox.flush();
    expect(h.sent).toHaveLength(40);
    expect(h.stored()).toEqual([]);
    // One write when the drain ends (or one per SENT_SAVE_DELAY_MS while it runs), not 40.
    expect(h.saves.length - 40).toBeLessThanOrEqual(2);
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
