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

export class Outbox {
  /** Serialises every read-modify-write and flush: the service worker is single-threaded but async. */
  private queue: Promise<unknown> = Promise.resolve();
  private sending: string | null = null;
  private online = true;

  /**
   * The ops as last read or written: this object is the outbox's only writer, so storage is read (and every op
   * validated) once, not twice per op sent — with a thousand ops queued, re-reading made draining crawl (found by the
   * chaos suite). Every change is still written through to storage before it counts.
   */
  private cache: OutboxOp[] | null = null;

  constructor(private readonly deps: OutboxDeps) {}

  private async load(): Promise<OutboxOp[]> {
    this.cache ??= await this.deps.load();
    return [...this.cache];
  }

  private async save(ops: OutboxOp[]): Promise<void> {
    await this.deps.save(ops);
    this.cache = [...ops];
  }

  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const result = this.queue.then(task, task);
    this.queue = result.catch(() => undefined);
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

  list(): Promise<OutboxOp[]> {
    return this.exclusive(() => this.load());
  }

  /** The op currently on the wire, for the "syncing" state. */
  inFlight(): string | null {
    return this.sending;
  }

  isOnline(): boolean {
    return this.online;
  }

  /** Drops an op that has not reached the server (e.g. an entry deleted before it synced). */
  /** Returns false when the op was already sent (it ran to completion before this, as everything is serialised). */
  discard(opId: string): Promise<boolean> {
    return this.exclusive(async () => {
      const ops = await this.load();
      if (!ops.some((op) => op.opId === opId)) return false;
      await this.save(ops.filter((op) => op.opId !== opId));
      return true;
    });
  }

  /** Makes failed ops of a pair (or all) due again, e.g. when the user presses retry. */
  retry(pairId?: string): Promise<void> {
    return this.exclusive(async () => {
      const ops = await this.load();
      await this.save(
        ops.map((op) => (pairId === undefined || op.pairId === pairId ? { ...op, failed: false, nextAttemptAt: 0 } : op)),
      );
    });
  }

  /**
   * Sends due ops in the order they were made. A retryable failure stops the flush (the server is likely down, and
   * later ops may depend on earlier ones); a refusal marks that op failed and goes on.
   */
  flush(): Promise<FlushReport> {
    return this.exclusive(async () => {
      let sent = 0;
      for (;;) {
        const ops = await this.load();
        const now = this.deps.now();
        const next = ops.find((op) => !op.failed);
        if (!next || next.nextAttemptAt > now) break;
        this.sending = next.opId;
        let result: SendResult;
        try {
          result = await this.deps.send(next);
        } catch (error) {
          result = { outcome: 'retry', error: error instanceof Error ? error.message : String(error) };
        } finally {
          this.sending = null;
        }
        const latest = await this.load();
        if (result.outcome === 'done') {
          this.online = true;
          sent++;
          await this.save(latest.filter((op) => op.opId !== next.opId));
          continue;
        }
        const attempts = next.attempts + 1;
        const updated = latest.map((op) =>
          op.opId === next.opId
            ? {
                ...op,
                attempts,
                lastError: result.error,
                failed: result.outcome === 'refused',
                nextAttemptAt: result.outcome === 'retry' ? now + backoffMs(attempts) : 0,
              }
            : op,
        );
        await this.save(updated);
        if (result.outcome === 'retry') {
          this.online = false;
          break;
        }
        this.online = true;
      }
      const remaining = await this.load();
      return { sent, pending: remaining.filter((op) => !op.failed).length, failed: remaining.filter((op) => op.failed).length, online: this.online };
    });
  }
}
