/**
 * The outbox: every write the user makes is stored here (browser.storage.local) before any network call, then
 * sent in order with its client-generated id and an Idempotency-Key (the op id), retried with backoff until the
 * server accepts or refuses it. Nothing is lost when the tab closes, the browser restarts or the server is down.
 */
import { z } from 'zod';
import { ClientEndReason, EntryKind, Id, IsoDate, IsoDateTime, MeetingPlatform, Visibility } from '../../../shared/schemas/index.ts';

export type MeetingEndReason = z.infer<typeof ClientEndReason>;

const Common = {
  /** Also the Idempotency-Key: a replay after a lost response writes nothing. */
  opId: Id,
  pairId: Id,
  /** Who made the change: only sent while that user is signed in (their token is the one that may write it). */
  userId: Id,
  queuedAt: IsoDateTime,
  attempts: z.number().int().min(0),
  /** Epoch ms before which the op is not retried. */
  nextAttemptAt: z.number(),
  lastError: z.string().nullable(),
  /** Refused by the server (4xx other than a version race): kept and shown until the user retries. */
  failed: z.boolean(),
  /**
   * The server answered that an earlier attempt of this op still holds its Idempotency-Key: the op waits for its
   * backoff, but the server is up, so ops on other things go ahead. (Optional: ops stored before it have none.)
   */
  busy: z.boolean().optional(),
};

export const OutboxOp = z.discriminatedUnion('kind', [
  z.object({
    ...Common,
    kind: z.literal('entry.create'),
    entry: z.object({
      id: Id,
      meetingId: Id.nullable(),
      goalId: Id.nullable(),
      kind: EntryKind,
      visibility: Visibility,
      body: z.string(),
      actionOwnerId: Id.nullable(),
      actionDueOn: IsoDate.nullable(),
      createdAt: IsoDateTime,
      authorId: Id,
    }),
  }),
  z.object({
    ...Common,
    kind: z.literal('entry.update'),
    entryId: Id,
    patch: z.object({ body: z.string().optional(), actionDone: z.boolean().optional(), visibility: z.literal('shared').optional() }),
  }),
  z.object({ ...Common, kind: z.literal('entry.delete'), entryId: Id }),
  // source 'manual': started by hand where the call state could not be told (optional: ops stored before it are 'auto').
  z.object({ ...Common, kind: z.literal('meeting.start'), meetingId: Id, platform: MeetingPlatform, code: z.string(), source: z.enum(['auto', 'manual']).optional() }),
  z.object({ ...Common, kind: z.literal('meeting.end'), meetingId: Id, endedAt: IsoDateTime, reason: ClientEndReason.optional() }),  // optional: ops stored before it carry none
  z.object({ ...Common, kind: z.literal('feedback'), feedbackId: Id, meetingId: Id, rating: z.number().int(), comment: z.string() }),
]);
export type OutboxOp = z.infer<typeof OutboxOp>;

/**
 * Storage migration v1 → v2. Version 1 (commit 3326b3c) did not record who made each change; v2 sends an op only
 * under its author's token. A v1 op can only have been made by whoever was signed in, so it is given that user; an
 * entry it created names its author. An op that still has no user is returned apart, to be kept, never dropped.
 */
export function migrateOutboxToV2(old: unknown, signedInUserId: string | undefined): { ops: unknown[]; unattributed: unknown[] } {
  const ops: unknown[] = [];
  const unattributed: unknown[] = [];
  for (const op of Array.isArray(old) ? old : []) {
    if (typeof op !== 'object' || op === null) continue;
    const record = op as Record<string, unknown>;
    const entry = record.entry as Record<string, unknown> | undefined;
    const userId = record.userId ?? (typeof entry?.authorId === 'string' ? entry.authorId : signedInUserId);
    if (typeof userId === 'string') ops.push({ ...record, userId });
    else unattributed.push(op);
  }
  return { ops, unattributed };
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type NewOp = DistributiveOmit<OutboxOp, keyof typeof Common> & { pairId: string; userId: string };

export type SendResult =
  | { outcome: 'done' }
  /** Network failure, 5xx, 429: try again later. */
  | { outcome: 'retry'; error: string }
  /** The server is up, but this op's key is still held by an earlier attempt: try it again later, go on with others. */
  | { outcome: 'busy'; error: string }
  /** The server refused it for good (4xx): keep it, mark it failed, go on with the rest. */
  | { outcome: 'refused'; error: string };

export interface OutboxDeps {
  load(): Promise<OutboxOp[]>;
  save(ops: OutboxOp[]): Promise<void>;
  send(op: OutboxOp): Promise<SendResult>;
  now(): number;
  newId(): string;
}

const BASE_DELAY_MS = 1_000;
const MAX_DELAY_MS = 5 * 60_000;

/** Exponential backoff with ±20 % jitter, capped at five minutes. */
export function backoffMs(attempts: number, random = Math.random): number {
  const base = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempts - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}

export interface FlushReport {
  sent: number;
  pending: number;
  failed: number;
  /** Whether the last attempt reached the server (false while it is down). */
  online: boolean;
}

/**
 * What an op is about, and how: ops on the same thing keep their order where it matters. An op waits for an earlier
 * unsent op when they share a subject that either of them writes: an edit waits for its entry's creation; an entry,
 * end or feedback of a meeting waits for the meeting's start, which may give it the server's id; a meeting's end waits
 * for its entries. Entries of the same meeting only read it, so they go out side by side.
 */
export function subjectsOf(op: OutboxOp): { writes: string[]; reads: string[] } {
  switch (op.kind) {
    case 'entry.create':
      return { writes: [op.entry.id], reads: op.entry.meetingId ? [op.entry.meetingId] : [] };
    case 'entry.update':
    case 'entry.delete':
      return { writes: [op.entryId], reads: [] };
    case 'meeting.start':
    case 'meeting.end':
      return { writes: [op.meetingId], reads: [] };
    case 'feedback':
      return { writes: [op.feedbackId], reads: [op.meetingId] };
  }
}

/**
 * How many ops may be on the wire at once (ops on different things only). Chrome opens at most 6 HTTP/1.1 connections
 * per host (https://www.pubnub.com/docs/security/encryption/browser-connection-limits): more would only queue in the
 * browser, ahead of pulls. In the chaos suite 6 drained ~8 ops/s for two clients where 4 drained ~5.
 */
export const SEND_CONCURRENCY = 6;

/**
 * How long changes after a send (an op removed, a backoff recorded) may wait before the outbox is written again: a
 * thousand ops sent one write each rewrote the whole array a thousand times (chaos suite, issue 8). Losing them is
 * harmless: the service worker may be stopped when idle, dropping its timers
 * (https://developer.chrome.com/docs/extensions/develop/concepts/service-workers/lifecycle), and an op sent again
 * replays under its Idempotency-Key.
 */
export const SENT_SAVE_DELAY_MS = 500;

export class Outbox {
  /**
   * Serialises every read-modify-write of the stored ops (the service worker is single-threaded but async). Only
   * storage is done under it, never a network call: a write the user makes is stored at once, even while a send
   * is on the wire (with the send under it, "saved locally" waited for the whole drain; found by the chaos suite).
   */
  private lock: Promise<unknown> = Promise.resolve();
  /** The drain running now, which every flush joins. */
  private draining: Promise<FlushReport> | null = null;
  /** A flush was asked for while draining: look once more before finishing. */
  private again = false;
  private readonly sending = new Set<string>();
  private online = true;

  /**
   * The ops as last read or written: this object is the outbox's only writer, so storage is read (and every op
   * validated) once, not twice per op sent — with a thousand ops queued, re-reading made draining crawl (found by the
   * chaos suite). What the user wrote is written through to storage before it counts; what a send changed is
   * written within SENT_SAVE_DELAY_MS (`unsaved`).
   */
  private cache: OutboxOp[] | null = null;
  private unsaved = false;
  private saveTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly deps: OutboxDeps) {}

  private async load(): Promise<OutboxOp[]> {
    this.cache ??= await this.deps.load();
    return [...this.cache];
  }

  private async save(ops: OutboxOp[]): Promise<void> {
    await this.deps.save(ops);
    this.cache = [...ops];
    this.unsaved = false;
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = null;
  }

  /** Applies a send's outcome in memory; storage follows within SENT_SAVE_DELAY_MS (or with the next save). */
  private saveSoon(ops: OutboxOp[]): void {
    this.cache = ops;
    this.unsaved = true;
    this.saveTimer ??= setTimeout(() => {
      this.saveTimer = null;
      void this.persist().catch((error: unknown) => console.warn('Alongside: outbox not saved yet', error));
    }, SENT_SAVE_DELAY_MS);
  }

  /** Writes what sends changed, if anything is unwritten. */
  private persist(): Promise<void> {
    return this.exclusive(async () => {
      if (this.unsaved && this.cache) await this.save(this.cache);
    });
  }

  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const result = this.lock.then(task, task);
    this.lock = result.catch(() => undefined);
    return result;
  }

  /** Stores the op durably; resolves once it is in storage (the caller then shows "saved locally"). */
  enqueue(op: NewOp): Promise<OutboxOp> {
    return this.exclusive(async () => {
      const full = {
        ...op,
        opId: this.deps.newId(),
        queuedAt: new Date(this.deps.now()).toISOString(),
        attempts: 0,
        nextAttemptAt: 0,
        lastError: null,
        failed: false,
      } as OutboxOp;
      await this.save([...(await this.load()), OutboxOp.parse(full)]);
      return full;
    });
  }

  /**
   * Changes an op's content in storage at once, keeping its id and bookkeeping: text re-sealed for the server
   * (e2ee/text.ts forServer) must be sent byte for byte the same on every retry (same Idempotency-Key, same body).
   */
  rewrite(opId: string, change: (op: OutboxOp) => OutboxOp): Promise<OutboxOp | null> {
    return this.exclusive(async () => {
      const ops = await this.load();
      const found = ops.find((op) => op.opId === opId);
      if (!found) return null;
      const changed = OutboxOp.parse({ ...change(found), opId: found.opId });
      await this.save(ops.map((op) => (op.opId === opId ? changed : op)));
      return changed;
    });
  }

  list(): Promise<OutboxOp[]> {
    return this.exclusive(() => this.load());
  }

  /** The ops on the wire now, for the "syncing" state. */
  inFlight(): ReadonlySet<string> {
    return this.sending;
  }

  isOnline(): boolean {
    return this.online;
  }

  /**
   * Drops an op that has not reached the server (e.g. an entry deleted before it synced). Returns false when the op
   * is gone already (sent) or is on the wire now (it may reach the server; the caller then sends a delete after it).
   */
  discard(opId: string): Promise<boolean> {
    return this.exclusive(async () => {
      const ops = await this.load();
      if (this.sending.has(opId) || !ops.some((op) => op.opId === opId)) return false;
      await this.save(ops.filter((op) => op.opId !== opId));
      return true;
    });
  }

  /** Makes failed ops of a pair (or all) due again, e.g. when the user presses retry. */
  retry(pairId?: string): Promise<void> {
    return this.exclusive(async () => {
      const ops = await this.load();
      await this.save(
        ops.map((op) => (pairId === undefined || op.pairId === pairId ? { ...op, failed: false, busy: false, nextAttemptAt: 0 } : op)),
      );
    });
  }

  /**
   * The server was just reached (a pull got through). If the outbox had given up on it for now, what waited for its
   * backoff is due at once: after a long outage the backoff has grown to minutes, and the user would otherwise wait
   * that long after the network came back.
   */
  async reachable(): Promise<FlushReport | null> {
    if (this.online) return null;
    await this.exclusive(async () => {
      const ops = await this.load();
      await this.save(ops.map((op) => (op.failed || op.busy ? op : { ...op, nextAttemptAt: 0 })));
    });
    return this.flush();
  }

  /**
   * Sends due ops, up to SEND_CONCURRENCY at once, oldest first; a flush asked for while one runs joins it. Ops on
   * the same thing keep their order: an op waits while an earlier op on any of its subjects is on the wire or backing
   * off (a refused op holds nothing back). A retryable failure backs off that op only; the drain then sends one op at
   * a time until one gets through, and stops at a second retryable failure in a row (the server is likely down). A
   * busy key holds back only the ops on the same thing; a refusal marks that op failed and goes on.
   */
  flush(): Promise<FlushReport> {
    if (this.draining) {
      this.again = true;
      return this.draining;
    }
    const run = async (): Promise<FlushReport> => {
      try {
        let report: FlushReport;
        do {
          this.again = false;
          report = await this.drain();
        } while (this.again);
        return report;
      } finally {
        this.draining = null;
      }
    };
    this.draining = run();
    return this.draining;
  }

  /** The oldest due op that no earlier unsent op holds back (marked as on the wire), or null when none is. */
  private take(): Promise<OutboxOp | null> {
    return this.exclusive(async () => {
      const now = this.deps.now();
      // Subjects that earlier unsent ops write, and read.
      const written = new Set<string>();
      const read = new Set<string>();
      for (const op of await this.load()) {
        if (op.failed) continue;
        const { writes, reads } = subjectsOf(op);
        const behind = writes.some((s) => written.has(s) || read.has(s)) || reads.some((s) => written.has(s));
        if (!behind && !this.sending.has(op.opId) && op.nextAttemptAt <= now) {
          this.sending.add(op.opId);
          return op;
        }
        // On the wire, backing off, or behind an earlier op: later ops that conflict with it wait.
        for (const s of writes) written.add(s);
        for (const s of reads) read.add(s);
      }
      return null;
    });
  }

  /** Records a send's outcome (in memory at once; in storage soon after). */
  private settle(sent: OutboxOp, result: SendResult): Promise<void> {
    const now = this.deps.now();
    return this.exclusive(async () => {
      const latest = await this.load();
      this.sending.delete(sent.opId);
      if (result.outcome === 'done') {
        this.saveSoon(latest.filter((op) => op.opId !== sent.opId));
        return;
      }
      const attempts = sent.attempts + 1;
      this.saveSoon(
        latest.map((op) =>
          op.opId === sent.opId
            ? {
                ...op,
                attempts,
                lastError: result.error,
                failed: result.outcome === 'refused',
                busy: result.outcome === 'busy',
                nextAttemptAt: result.outcome === 'refused' ? 0 : now + backoffMs(attempts),
              }
            : op,
        ),
      );
    });
  }

  private async send(op: OutboxOp): Promise<SendResult> {
    try {
      return await this.deps.send(op);
    } catch (error) {
      return { outcome: 'retry', error: error instanceof Error ? error.message : String(error) };
    }
  }

  private async drain(): Promise<FlushReport> {
    let sent = 0;
    /** Whether an op got through since the drain began or since the last retryable failure. */
    let through = false;
    let stopped = false;
    const running = new Set<Promise<void>>();
    for (;;) {
      // Until an op gets through, one at a time: a server that is down meets one attempt per flush, not four.
      const limit = through ? SEND_CONCURRENCY : 1;
      if (!stopped && running.size < limit) {
        const next = await this.take();
        if (next) {
          const task = this.send(next).then(async (result) => {
            await this.settle(next, result);
            if (result.outcome === 'retry') {
              this.online = false;
              if (!through) stopped = true;
              through = false;
              return;
            }
            this.online = true;
            through = true;
            if (result.outcome === 'done') sent++;
          });
          const tracked: Promise<void> = task.finally(() => running.delete(tracked));
          running.add(tracked);
          continue;
        }
      }
      if (running.size === 0) break;
      // Wait for a send to come back: it frees a slot, and may free ops that waited on it.
      await Promise.race(running);
    }
    await this.persist();
    const remaining = await this.list();
    return { sent, pending: remaining.filter((op) => !op.failed).length, failed: remaining.filter((op) => op.failed).length, online: this.online };
  }
}
