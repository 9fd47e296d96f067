/**
 * Messages between the extension's own pages (call overlay iframe, side panel, options) and the background, which
 * alone talks to the API and holds the token. Every request and response is validated with these schemas.
 */
import { z } from 'zod';
import {
  AcknowledgeSignInsResponse,
  AgendaItem,
  CallContext,
  CheckInDuration,
  CheckInsResponse,
  Entry,
  EntryKind,
  Goal,
  Id,
  IsoDate,
  IsoDateTime,
  Meeting,
  MySessionsResponse,
  Organisation,
  PairSummary,
  Progress,
  TimeZone,
  User,
  Visibility,
  WorkingHours,
} from '../../shared/schemas/index.ts';
import { CallPlatform, DetectedState, DiagnosticsReport } from './call-messages.ts';
import { e2eeRequests } from './e2ee-messages.ts';

/** Where an entry is on its way to the server, shown truthfully in the UI. */
export const SyncState = z.enum(['local', 'syncing', 'synced', 'failed']);
export type SyncState = z.infer<typeof SyncState>;

/** An entry as the extension shows it: the server's copy, or a local one still in the outbox. */
export const LocalEntry = Entry.extend({
  sync: SyncState,
  error: z.string().optional(),
  /**
   * Set when this device cannot open the entry's text (end-to-end encryption, issue 10): why, in words for the user
   * ("This note was written before this device was added…"). `body` is then empty: never ciphertext, never garbage.
   */
  locked: z.string().optional(),
});
export type LocalEntry = z.infer<typeof LocalEntry>;

export const SyncStatus = z.object({
  /** Operations in the outbox not yet accepted by the server. */
  pending: z.number().int(),
  /** Operations the server refused (they need the user's attention). */
  failed: z.number().int(),
  online: z.boolean(),
  lastSyncedAt: IsoDateTime.nullable(),
});
export type SyncStatus = z.infer<typeof SyncStatus>;

export const Settings = z.object({
  serverUrl: z.url(),
  /** Self-hosted Jitsi origins the user added, e.g. https://jitsi.example.org */
  jitsiOrigins: z.array(z.url()),
});
export type Settings = z.infer<typeof Settings>;

export const AuthStatus = z.object({
  signedIn: z.boolean(),
  serverUrl: z.string(),
  user: User.nullable(),
  organisation: Organisation.nullable(),
});
export type AuthStatus = z.infer<typeof AuthStatus>;

/** The call the overlay's tab is in, as the background knows it (see TabCall in background/storage.ts). */
export const CallInfo = z.object({
  platform: CallPlatform,
  code: z.string(),
  /** auto: the state is detected; manual: nothing is detected here and the user logs the meeting by hand. */
  mode: z.enum(['auto', 'manual']),
  state: z.union([DetectedState, z.literal('unknown')]),
  pairId: Id.nullable(),
  /** Pairs to choose from when the pair could not be worked out. */
  choices: z.array(PairSummary),
  meetingId: Id.nullable(),
  joinedAt: IsoDateTime.nullable(),
  leftAt: IsoDateTime.nullable(),
});
export type CallInfo = z.infer<typeof CallInfo>;

const NewEntryInput = z.object({
  pairId: Id,
  meetingId: Id.nullable().default(null),
  goalId: Id.nullable().default(null),
  kind: EntryKind,
  visibility: Visibility,
  body: z.string().trim().min(1).max(10_000),
  actionOwnerId: Id.nullable().default(null),
  actionDueOn: IsoDate.nullable().default(null),
});

/** Reminders (issue 9): on this device only; notifications need the optional `notifications` permission. */
export const ReminderSettings = z.object({
  enabled: z.boolean(),
  /** Minutes before a scheduled check-in that the reminder shows. */
  leadMinutes: z.number().int().min(1).max(120),
  /** Whether the browser lets Alongside show notifications now (the user may revoke it in the browser). */
  permitted: z.boolean(),
});
export type ReminderSettings = z.infer<typeof ReminderSettings>;

/** The first-run steps the background records (issue 12): when the overlay was first shown on the test call. */
export const WelcomeStatus = z.object({ testCallSeenAt: IsoDateTime.nullable() });
export type WelcomeStatus = z.infer<typeof WelcomeStatus>;

/** A check-in request names its pair; the answer is the pair's check-ins as they are after the change. */
const CheckInRef = z.object({ pairId: Id, checkInId: Id });

/** Page → background requests, and the response schema of each. */
export const appRequests = {
  ...e2eeRequests,
  'auth.status': { request: z.object({}), response: AuthStatus },
  'auth.signIn': { request: z.object({ invitation: z.string().trim().min(1).max(500), serverUrl: z.url().optional() }), response: AuthStatus },
  'auth.signOut': { request: z.object({}), response: AuthStatus },
  'settings.get': { request: z.object({}), response: Settings },
  'settings.set': { request: Settings.partial(), response: Settings },
  'pairs.list': { request: z.object({}), response: z.object({ pairs: z.array(PairSummary) }) },
  /** The call state of the tab the overlay is in (the sender's tab). */
  'call.info': { request: z.object({}), response: CallInfo.nullable() },
  'call.choosePair': { request: z.object({ pairId: Id }), response: CallInfo.nullable() },
  /** Start or end the meeting log by hand, where the call state is not detected. */
  'call.logStart': { request: z.object({}), response: CallInfo.nullable() },
  'call.logEnd': { request: z.object({}), response: CallInfo.nullable() },
  /** Side panel / popup: show the companion on the active tab (the toolbar click or Alt+Shift+A granted activeTab). */
  'tab.attach': { request: z.object({}), response: z.object({ attached: z.boolean(), message: z.string() }) },
  /** Options: the call pages open now, and platforms where detection was noted as degraded. */
  'diagnostics.list': {
    request: z.object({}),
    response: z.object({
      calls: z.array(z.object({ tabId: z.number().int(), platform: CallPlatform, mode: z.enum(['auto', 'manual']), state: z.string() })),
      degraded: z.array(z.object({ platform: CallPlatform, firstSeen: IsoDateTime, lastSeen: IsoDateTime, times: z.number().int() })),
    }),
  },
  /** Options: "Check this call page" — what the adapter sees on that tab now. */
  'diagnostics.check': { request: z.object({ tabId: z.number().int() }), response: DiagnosticsReport },
  /** Options: forget the degraded-detection note of a platform. */
  'diagnostics.clear': { request: z.object({ platform: CallPlatform }), response: z.object({ ok: z.literal(true) }) },
  /** The call context of a pair; `cached` is what was last seen, served when the server is unreachable. */
  'context.get': {
    request: z.object({ pairId: Id }),
    response: z.object({
      context: CallContext.nullable(),
      fromCache: z.boolean(),
      error: z.string().nullable(),
      /**
       * Ids of goals, milestones, agenda items and open actions whose text this device cannot open (issue 10): their
       * text is '' in `context`, and `lockedReason` says why.
       */
      locked: z.array(Id).default([]),
      lockedReason: z.string().nullable().default(null),
    }),
  },
  /** Pulls changes from the server (when reachable), flushes the outbox, and returns the merged stream. */
  'entries.sync': {
    request: z.object({ pairId: Id }),
    response: z.object({ entries: z.array(LocalEntry), status: SyncStatus }),
  },
  'entries.add': { request: NewEntryInput, response: z.object({ entry: LocalEntry }) },
  'entries.update': {
    request: z.object({
      id: Id,
      body: z.string().trim().min(1).max(10_000).optional(),
      actionDone: z.boolean().optional(),
      visibility: z.literal('shared').optional(),
    }),
    response: z.object({ entry: LocalEntry }),
  },
  'entries.delete': { request: z.object({ id: Id }), response: z.object({ ok: z.literal(true) }) },
  'entries.retry': { request: z.object({ pairId: Id }), response: SyncStatus },
  /** A ws(s) URL with a single-use ticket for the pair's live room (extension/lib/live-connection.ts). */
  'live.ticket': { request: z.object({ pairId: Id }), response: z.object({ url: z.string() }) },
  'goals.progress': {
    request: z.object({ goalId: Id, version: z.number().int().min(1), progress: Progress }),
    response: z.object({ goal: Goal }),
  },
  /** The mentee shows a goal's title to the programme (a plain copy the admin view reads), or makes it private again. */
  'goals.visibility': {
    request: z.object({ goalId: Id, version: z.number().int().min(1), visible: z.boolean() }),
    response: z.object({ goal: Goal }),
  },
  'agenda.add': { request: z.object({ pairId: Id, body: z.string().trim().min(1).max(1000) }), response: z.object({ item: AgendaItem }) },
  'agenda.toggle': { request: z.object({ id: Id, version: z.number().int().min(1), done: z.boolean() }), response: z.object({ item: AgendaItem }) },
  /** Meetings of a pair waiting for this user's feedback (after the call, asked once). */
  'feedback.pending': { request: z.object({ pairId: Id }), response: z.object({ meetings: z.array(Meeting) }) },
  'feedback.submit': {
    request: z.object({ meetingId: Id, rating: z.number().int().min(1).max(5), comment: z.string().trim().max(2000) }),
    response: z.object({ ok: z.literal(true) }),
  },
  'feedback.dismiss': { request: z.object({ meetingId: Id }), response: z.object({ ok: z.literal(true) }) },
  /** Sign-ins on the person's account (issue 8): how each was created, and which are new to them. */
  'sessions.list': { request: z.object({}), response: MySessionsResponse },
  /** Ends one session; ending this device's own signs it out here too (`signedOut`). */
  'sessions.end': { request: z.object({ id: Id }), response: z.object({ ok: z.literal(true), signedOut: z.boolean() }) },
  /** Marks every sign-in so far as seen, on all the person's devices. */
  'sessions.acknowledge': { request: z.object({}), response: AcknowledgeSignInsResponse },
  /** Data rights (issue 8): the member's data as JSON (the server's MeExport, as text) and one Markdown file per pair. */
  'me.export': {
    request: z.object({}),
    response: z.object({ json: z.string(), jsonName: z.string(), files: z.array(z.object({ name: z.string(), markdown: z.string() })) }),
  },
  /** Deletes the account for good (the server erases it), then signs out here. */
  'me.delete': { request: z.object({ confirm: z.string().trim().min(1).max(100) }), response: z.object({ ok: z.literal(true) }) },
  /** The programme's data settings a member is shown: how long notes are kept after a mentorship ends. */
  'me.settings': { request: z.object({}), response: z.object({ retentionDays: z.number().int().nullable() }) },
  /**
   * Check-in scheduling (issue 9). Every change answers with the pair's check-ins re-read from the server, so the
   * page shows what is stored, not what it hoped for. `fromCache`: the server was unreachable; what was last seen.
   */
  'checkins.get': {
    request: z.object({ pairId: Id }),
    response: z.object({ checkIns: CheckInsResponse, fromCache: z.boolean(), error: z.string().nullable() }),
  },
  /** Proposes a time; `id` is generated by the page so a retried click creates one proposal, not two. */
  'checkins.propose': {
    request: z.object({ pairId: Id, id: Id, startsAt: IsoDateTime, durationMinutes: CheckInDuration, organiserZone: TimeZone }),
    response: CheckInsResponse,
  },
  'checkins.accept': { request: CheckInRef, response: CheckInsResponse },
  'checkins.decline': { request: CheckInRef, response: CheckInsResponse },
  /** Withdraws the user's own proposal, or calls off the scheduled check-in (either partner may). */
  'checkins.cancel': { request: CheckInRef, response: CheckInsResponse },
  /** The scheduled check-in as an RFC 5545 file, fetched with the token; the page saves it as a download. */
  'checkins.ics': { request: z.object({ pairId: Id }), response: z.object({ name: z.string().min(1), text: z.string().min(1) }) },
  /** The signed-in person's zone and working hours, from the server (or as last seen, `fromCache`). */
  'me.workingHours.get': {
    request: z.object({}),
    response: z.object({ timeZone: z.string(), workingHours: WorkingHours, fromCache: z.boolean() }),
  },
  'me.workingHours.set': {
    request: z.object({ timeZone: TimeZone, workingHours: WorkingHours }),
    response: z.object({ timeZone: z.string(), workingHours: WorkingHours }),
  },
  'reminders.get': { request: z.object({}), response: ReminderSettings },
  /** Turning reminders on needs the notifications permission first (the options page asks in the click). */
  'reminders.set': { request: z.object({ enabled: z.boolean() }), response: ReminderSettings },
  /** Welcome page (issue 12): whether the overlay was shown once on the test call. */
  'welcome.status': { request: z.object({}), response: WelcomeStatus },
  /** Welcome page: open the server's test call in a new tab and show the companion on it. */
  'welcome.tryCall': { request: z.object({}), response: z.object({ attached: z.boolean(), message: z.string() }) },
} as const;

export type AppRequestType = keyof typeof appRequests;
export type AppRequest<T extends AppRequestType> = z.input<(typeof appRequests)[T]['request']>;
export type AppResponse<T extends AppRequestType> = z.output<(typeof appRequests)[T]['response']>;

/** The wire format: `{ channel, type, payload }`; answers are `{ ok: true, data }` or `{ ok: false, error }`. */
export const APP_CHANNEL = 'alongside/app';
export const AppEnvelope = z.object({ channel: z.literal(APP_CHANNEL), type: z.string(), payload: z.unknown() });
export const AppAnswer = z.union([
  z.object({ ok: z.literal(true), data: z.unknown() }),
  z.object({ ok: z.literal(false), error: z.object({ code: z.string(), message: z.string() }) }),
]);

export class BackgroundError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
