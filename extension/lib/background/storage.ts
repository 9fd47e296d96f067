/**
 * Everything the background keeps in browser.storage, in one place. Every value is validated with zod when read:
 * a value that does not parse (corrupted, or written by an incompatible version) falls back instead of crashing.
 * The bearer token is NOT here (content scripts can read storage.local): see secrets.ts.
 */
import { storage, type StorageItemKey } from 'wxt/utils/storage';
import { z } from 'zod';
import { CallContext, CheckInsResponse, Entry, EntryCursorText, Id, IsoDateTime, Organisation, PairSummary, Platform, START_ENTRY_CURSOR, User } from '../../../shared/schemas/index.ts';
import { CallPlatform, DetectedState, OverlayLayout } from '../call-messages.ts';
import { Settings } from '../app-messages.ts';

export const DEFAULT_SERVER_URL = 'http://127.0.0.1:8787';

/** A typed, versioned storage item whose value is validated on every read. */
export function validatedItem<T>(key: StorageItemKey, schema: z.ZodType<T>, fallback: T) {
  const item = storage.defineItem<unknown>(key, { fallback, version: 1 });
  return {
    key,
    async get(): Promise<T> {
      const parsed = schema.safeParse(await item.getValue());
      if (!parsed.success) console.warn(`Alongside: ignoring invalid stored ${key}`, parsed.error.issues);
      return parsed.success ? parsed.data : fallback;
    },
    async set(value: T): Promise<void> {
      await item.setValue(schema.parse(value));
    },
    async remove(): Promise<void> {
      await item.removeValue();
    },
  };
}

export const settingsItem = validatedItem('local:settings', Settings, { serverUrl: DEFAULT_SERVER_URL, jitsiOrigins: [] });

/** Who is signed in (no secret): shown by the pages, cleared on sign-out. */
export const SignedInUser = z.object({ user: User, organisation: Organisation, serverUrl: z.string() });
export const signedInItem = validatedItem('local:signed-in', SignedInUser.nullable(), null);

export const pairsItem = validatedItem('local:pairs', z.array(PairSummary), []);

/** The pair chosen for a meeting code, so the user is asked only once per meeting. */
export const pairByMeetingItem = validatedItem('local:pair-by-meeting', z.record(z.string(), Id), {});

export const layoutItem = validatedItem('local:overlay-layout', z.partialRecord(CallPlatform, OverlayLayout), {});

/** Meetings the user answered or dismissed feedback for: asked once. */
export const feedbackDoneItem = validatedItem('local:feedback-done', z.array(Id), []);

/** Server id of a meeting started with a client id (the partner may have started it first). */
export const meetingAliasesItem = validatedItem('local:meeting-aliases', z.record(Id, Id), {});

export const bookmarkItem = validatedItem('local:d1-bookmark', z.string().nullable(), null);

/**
 * Per pair: the server's entries the user may see, the cursor of the last pull, and the last call context.
 * The cursor is "<shared>:<private>" (shared/schemas/pairs.ts). A cache stored by an older version has a plain number
 * there, which counted other streams: it is read as the start, so the next pull fetches everything again (and the
 * cached entries are kept; the pull upserts by version).
 */
export const PairCache = z.object({
  cursor: z.union([EntryCursorText, z.number().transform(() => START_ENTRY_CURSOR)]),
  entries: z.array(Entry),
  context: CallContext.nullable(),
  lastSyncedAt: IsoDateTime.nullable(),
});
export type PairCache = z.infer<typeof PairCache>;
const emptyCache: PairCache = { cursor: START_ENTRY_CURSOR, entries: [], context: null, lastSyncedAt: null };
export const pairCacheItem = (pairId: string) => validatedItem(`local:pair-cache:${pairId}`, PairCache, emptyCache);

/**
 * Calls in open tabs; session storage so a restarted service worker still knows them, cleared with the browser.
 * - mode 'auto': the adapter reads the call state; the meeting is logged only on strong in-call evidence.
 * - mode 'manual': the user opened the companion where nothing was detected; they start and end the log by hand.
 * - state 'unknown': nothing detected (yet) on this page.
 * - trial: the server's test call (issue 12), where no meeting is ever logged.
 */
export const TabCall = z.object({
  platform: CallPlatform,
  code: z.string(),
  mode: z.enum(['auto', 'manual']),
  state: z.union([DetectedState, z.literal('unknown')]),
  pairId: Id.nullable(),
  meetingId: Id.nullable(),
  joinedAt: IsoDateTime.nullable(),
  leftAt: IsoDateTime.nullable(),
  /** The welcome page's test call (welcome.ts): shows the overlay, never logs a meeting. */
  trial: z.boolean().optional(),
});
export type TabCall = z.infer<typeof TabCall>;
export const tabCallsItem = validatedItem('session:tab-calls', z.record(z.string(), TabCall), {});

/** Tabs the user attached the companion to from the toolbar (pages no adapter knows): tab id → origin. */
export const attachedTabsItem = validatedItem('session:attached-tabs', z.record(z.string(), z.string()), {});

/**
 * Platforms where a meeting page showed none of the adapter's signals for a while: shown in the options'
 * diagnostics so the user knows detection may be broken there. Local only; nothing phones home.
 */
export const DegradedDetection = z.object({ firstSeen: IsoDateTime, lastSeen: IsoDateTime, times: z.number().int() });
export const degradedItem = validatedItem('local:detection-degraded', z.partialRecord(CallPlatform, DegradedDetection), {});

/**
 * Per pair: its check-ins as last read from the server (issue 9), for the side panel offline and for the reminders,
 * which are worked out from this copy whenever an alarm wakes the background.
 */
export const CheckInsCache = z.object({ checkIns: CheckInsResponse, fetchedAt: IsoDateTime });
export type CheckInsCache = z.infer<typeof CheckInsCache>;
export const checkInsCacheItem = (pairId: string) => validatedItem(`local:checkins:${pairId}`, CheckInsCache.nullable(), null);

/** Reminders on this device (off until the user turns them on and allows notifications). */
export const ReminderPrefs = z.object({ enabled: z.boolean() });
export const remindersItem = validatedItem('local:reminders', ReminderPrefs, { enabled: false });

/** Reminders already shown (keys from reminder-plan.ts), so each is shown once however often the plan runs. */
export const shownRemindersItem = validatedItem('local:reminders-shown', z.array(z.string().max(200)).max(500), []);

/** Wipes everything tied to the signed-in user (their notes cache included) — on sign-out. */
export async function clearUserData(): Promise<void> {
  const all = await storage.snapshot('local');
  const keys = Object.keys(all).filter((k) => k !== 'settings' && !k.startsWith('settings$') && k !== 'outbox');
  await storage.removeItems(keys.map((k) => `local:${k}` as StorageItemKey));
}
