/**
 * The background's message handlers. Pages of the extension may make every app request; call-page content scripts
 * may only report call state and read or write the overlay's layout. Every message is validated and its sender
 * checked; anything else is ignored.
 */
import { browser } from 'wxt/browser';
import { START_ENTRY_CURSOR } from '../../../shared/schemas/index.ts';
import { findPlatform } from '../../platforms/index.ts';
import { APP_CHANNEL, AppEnvelope, type AppRequestType, type AuthStatus, appRequests } from '../app-messages.ts';
import { CallRequest } from '../call-messages.ts';
import { callStrings } from '../call/strings.ts';
import { t } from '../i18n.ts';
import { MeExport } from '../../../shared/schemas/me-data.ts';
import { ApiFailure, api, unwrap } from './api.ts';
import { attachToTab, checkTab, isAttached } from './attach.ts';
import { checkInHandlers } from './checkins.ts';
import { e2eeHandlers, e2eeStatus, forgetDevice } from './e2ee.ts';
import { ensureDevice, me } from '../e2ee/device.ts';
import { openContext, openEntries, openGoal } from '../e2ee/records.ts';
import { LOCKED, forServer, openText, sealForOutbox } from '../e2ee/text.ts';
import { pairRing, personalRing } from '../e2ee/rings.ts';
import { decryptedExport } from './export.ts';
import { callInfo, choosePair, endByHand, isTrialCall, locallyEndedMeetings, onAttach, onCallState, openCalls, refreshPairs, startByHand } from './calls.ts';
import { syncJitsiContentScripts } from './jitsi.ts';
import { liveTicketUrl } from './live.ts';
import { refreshReminders, reminderHandlers, scheduleReminders } from './reminders.ts';
import { type Handler, type Sender, UserError, requireSignedIn, signedInUserId, signedOutError } from './requests.ts';
import { setToken } from './secrets.ts';
import {
  clearUserData,
  degradedItem,
  feedbackDoneItem,
  layoutItem,
  pairCacheItem,
  pairsItem,
  settingsItem,
  signedInItem,
} from './storage.ts';
import { mergeStream, outbox, pullEntries, syncStatus, updateCache, upsertEntries } from './sync.ts';
import { isTryCallSender, noteTestCallSeen, welcomeHandlers } from './welcome.ts';

async function authStatus(): Promise<AuthStatus> {
  const [signedIn, settings] = await Promise.all([signedInItem.get(), settingsItem.get()]);
  return { signedIn: signedIn !== null, serverUrl: settings.serverUrl, user: signedIn?.user ?? null, organisation: signedIn?.organisation ?? null };
}

/** An invitation is pasted as a link (…/invite/<code>, which also names the server) or as the bare code. */
export function parseInvitation(input: string): { code: string; serverUrl?: string } {
  try {
    const url = new URL(input);
    const match = /\/invite\/([\w-]+)\/?$/.exec(url.pathname);
    if (match?.[1]) return { code: match[1], serverUrl: url.origin };
  } catch {
    /* not a URL: a bare code */
  }
  return { code: input.trim() };
}

function requireTab(sender: Sender): number {
  const tabId = sender.tab?.id;
  if (tabId === undefined) throw new UserError('no_tab', t('handlers_notInCall'));
  return tabId;
}

const handlers: { [T in AppRequestType]: Handler<T> } = {
  ...checkInHandlers,
  ...reminderHandlers,
  ...welcomeHandlers,
  ...e2eeHandlers,
  'auth.status': () => authStatus(),
  'auth.signIn': async ({ invitation, serverUrl }) => {
    const parsed = parseInvitation(invitation);
    const server = parsed.serverUrl ?? serverUrl ?? (await settingsItem.get()).serverUrl;
    const client = await api(server);
    const body = await unwrap(client.auth.redeem.$post({ json: { code: parsed.code } }));
    if (body.user.role === 'admin') {
      throw new UserError('admin', t('handlers_adminInvitation'));
    }
    await setToken(body.token);
    await settingsItem.set({ ...(await settingsItem.get()), serverUrl: server });
    await signedInItem.set({ user: body.user, organisation: body.organisation, serverUrl: server });
    await refreshPairs().catch(() => undefined);
    void refreshReminders({ fetch: true }).catch(() => undefined);
    // Registers this device's key and gets (or makes) the pairs' keys, so notes are sealed from the first one.
    void e2eeStatus().catch((error: unknown) => console.warn('Alongside: encryption set-up will be retried', error instanceof Error ? error.message : error));
    return authStatus();
  },
  'auth.signOut': async () => {
    const client = await api();
    await forgetDevice({ revokeOnServer: true }); // this browser's keys go with the sign-in
    await unwrap(client.auth.signout.$post()).catch(() => undefined); // revoke server-side when reachable
    await setToken(null);
    await clearUserData();
    scheduleReminders(); // signed out: clears the badge and the reminder alarms
    return authStatus();
  },
  'settings.get': () => settingsItem.get(),
  'settings.set': async (patch) => {
    const next = { ...(await settingsItem.get()), ...patch };
    await settingsItem.set(next);
    if (patch.jitsiOrigins) await syncJitsiContentScripts();
    return next;
  },
  'pairs.list': async () => {
    await requireSignedIn();
    await refreshPairs().catch((error: unknown) => {
      if (error instanceof ApiFailure && !error.retryable) throw error;
    });
    return { pairs: await pairsItem.get() };
  },
  'call.info': async (_payload, sender) => callInfo(requireTab(sender)),
  'call.choosePair': async ({ pairId }, sender) => {
    const tabId = requireTab(sender);
    if (!(await pairsItem.get()).some((p) => p.id === pairId)) throw new UserError('not_found', t('handlers_notYourPair'));
    await choosePair(tabId, pairId);
    return callInfo(tabId);
  },
  'call.logStart': async (_payload, sender) => {
    const tabId = requireTab(sender);
    await requireSignedIn();
    const info = await callInfo(tabId);
    if (!info?.pairId) throw new UserError('no_pair', t('handlers_choosePairFirst'));
    if (await isTrialCall(tabId)) throw new UserError('test_call', t('handlers_testCallNotLogged'));
    await startByHand(tabId);
    return callInfo(tabId);
  },
  'call.logEnd': async (_payload, sender) => {
    const tabId = requireTab(sender);
    await endByHand(tabId);
    return callInfo(tabId);
  },
  'tab.attach': async () => {
    const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
    if (tab?.id === undefined) return { attached: false, message: t('handlers_noTab') };
    return attachToTab(tab.id);
  },
  'diagnostics.list': async () => {
    const degraded = await degradedItem.get();
    return {
      calls: (await openCalls()).map(({ tabId, call }) => ({ tabId, platform: call.platform, mode: call.mode, state: call.state })),
      degraded: Object.entries(degraded).flatMap(([platform, note]) => (note ? [{ platform: platform as keyof typeof degraded, ...note }] : [])),
    };
  },
  'diagnostics.check': async ({ tabId }) => checkTab(tabId),
  'diagnostics.clear': async ({ platform }) => {
    const degraded = await degradedItem.get();
    delete degraded[platform];
    await degradedItem.set(degraded);
    return { ok: true as const };
  },
  'context.get': async ({ pairId }) => {
    await requireSignedIn();
    try {
      const client = await api();
      const context = await unwrap(client.pairs[':id'].context.$get({ param: { id: pairId } }));
      await updateCache(pairId, (c) => ({ ...c, context }));
      return { ...(await openContext(await me(), context)), fromCache: false, error: null };
    } catch (error) {
      if (error instanceof ApiFailure && !error.retryable) throw error;
      const cached = (await pairCacheItem(pairId).get()).context;
      const opened = cached ? await openContext(await me(), cached) : { context: null, locked: [], lockedReason: null };
      return { ...opened, fromCache: true, error: error instanceof Error ? error.message : t('api_cannotReachServer') };
    }
  },
  'entries.sync': async ({ pairId }) => {
    await requireSignedIn();
    // Sending is started, not waited for: with many ops queued, the partner's entries would wait for the whole drain
    // (found by the chaos suite: each overlay showed only its own entries). The stream shows each op's state.
    void outbox.flush();
    let online = outbox.isOnline();
    try {
      await pullEntries(pairId);
      online = true;
      void outbox.reachable(); // the server answers again: what waited for it need not wait out its backoff
    } catch (error) {
      if (error instanceof ApiFailure && !error.retryable) throw error;
      online = false;
    }
    const who = await me();
    // Keys move along with the notes: the pair's key state is checked (every 30 s at most), which also shares ours
    // with a partner device that lacks it; a note sealed with a key we lack asks again at once (e2ee/rings.ts).
    if (online) await pairRing(who, pairId).catch((error: unknown) => console.warn('Alongside: pair keys not checked', error instanceof Error ? error.message : error));
    const [cache, ops, status] = await Promise.all([pairCacheItem(pairId).get(), outbox.list(), syncStatus(pairId)]);
    const stream = mergeStream(cache, ops, pairId, outbox.inFlight());
    let entries = await openEntries(who, stream);
    if (online && entries.some((e) => e.locked === LOCKED.missingKey || e.locked === LOCKED.missingKeyPending)) {
      // The pair's key, and this person's personal key (private notes): a device approved a moment ago gets both (the
      // room's 'keys' hint brings the page here as each arrives). Asked on every sync while a note stays locked: a
      // sync comes with a change or a poll, and a locked note is a state that ends (approval, or the partner's share).
      await ensureDevice(who, { fresh: true }).catch(() => undefined);
      await Promise.all([pairRing(who, pairId, { fresh: true }).catch(() => undefined), personalRing(who, { fresh: true }).catch(() => undefined)]);
      entries = await openEntries(who, stream);
    }
    return { entries, status: { ...status, online } };
  },
  'entries.add': async (input) => {
    const signedIn = await signedInItem.get();
    if (!signedIn) throw signedOutError();
    const who = { userId: signedIn.user.id, serverUrl: signedIn.serverUrl };
    const id = crypto.randomUUID();
    // Sealed before it is stored: the outbox never holds note text in the clear (e2ee/text.ts).
    const body = await sealForOutbox(who, input.visibility === 'private' ? 'personal' : 'pair', { pairId: input.pairId, recordId: id, field: 'body' }, input.body);
    const entry = { ...input, body, id, createdAt: new Date().toISOString(), authorId: signedIn.user.id };
    const { pairId, ...rest } = entry;
    const op = await outbox.enqueue({ kind: 'entry.create', userId: signedIn.user.id, pairId, entry: rest });
    void outbox.flush();
    const [local] = mergeStream({ cursor: START_ENTRY_CURSOR, entries: [], context: null, lastSyncedAt: null }, [op], pairId, null);
    if (!local) throw new UserError('internal', t('handlers_entryNotStored'));
    const [opened] = await openEntries(who, [local]);
    return { entry: opened ?? local };
  },
  'entries.update': async ({ id, ...change }) => {
    const who = await me();
    const pairId = await pairOfEntry(id);
    const stream = () => pairCacheItem(pairId).get().then(async (cache) => mergeStream(cache, [...(await outbox.list())], pairId, null));
    const known = (await stream()).find((e) => e.id === id);
    if (!known) throw new UserError('not_found', t('handlers_entryGone'));
    const visibility = change.visibility ?? known.visibility;
    // New text, or a private entry now shared (its text moves from the personal key to the pair key): sealed here.
    let text = change.body;
    if (text === undefined && change.visibility === 'shared' && known.visibility === 'private') {
      const [opened] = await openEntries(who, [known]);
      if (!opened || opened.locked) throw new UserError('locked', opened?.locked ?? t('handlers_noteUnreadable'));
      text = opened.body;
    }
    const at = { pairId, recordId: id, field: 'body' };
    const body = text === undefined ? undefined : await sealForOutbox(who, visibility === 'private' ? 'personal' : 'pair', at, text);
    const patch = { ...change, ...(body === undefined ? {} : { body }) };
    const op = await outbox.enqueue({ kind: 'entry.update', userId: who.userId, pairId, entryId: id, patch });
    void outbox.flush();
    const entry = (await stream()).find((e) => e.id === id);
    if (!entry) throw new UserError('not_found', t('handlers_entryGone'));
    const [opened] = await openEntries(who, [entry]);
    return { entry: { ...(opened ?? entry), sync: op.failed ? 'failed' : 'local' } };
  },
  'entries.delete': async ({ id }) => {
    const userId = await signedInUserId();
    const pairId = await pairOfEntry(id);
    const pending = (await outbox.list()).find((op) => op.kind === 'entry.create' && op.entry.id === id);
    // An entry that never reached the server is simply dropped from the outbox; otherwise the server deletes it.
    if (!pending || !(await outbox.discard(pending.opId))) {
      await outbox.enqueue({ kind: 'entry.delete', userId, pairId, entryId: id });
      void outbox.flush();
    }
    return { ok: true as const };
  },
  'live.ticket': async ({ pairId }) => {
    await requireSignedIn();
    return { url: await liveTicketUrl(pairId) };
  },
  'entries.retry': async ({ pairId }) => {
    await outbox.retry(pairId);
    void outbox.flush();
    return syncStatus(pairId);
  },
  'goals.progress': async ({ goalId, version, progress }) => {
    const client = await api();
    return unwrap(client.goals[':id'].$patch({ param: { id: goalId }, json: { version, progress } }, { headers: { 'idempotency-key': crypto.randomUUID() } }));
  },
  'goals.visibility': async ({ goalId, version, visible }) => {
    const who = await me();
    const client = await api();
    const { goal } = await unwrap(client.goals[':id'].$get({ param: { id: goalId } }));
    // The one text the programme may read, by the mentee's choice: a plain copy of this goal's title.
    const opened = await openGoal(who, goal);
    if (visible && opened.title === '') throw new UserError('locked', t('handlers_goalTitleUnreadable'));
    const changed = await unwrap(
      client.goals[':id'].$patch({ param: { id: goalId }, json: { version, programmeTitle: visible ? opened.title : null } }, { headers: { 'idempotency-key': crypto.randomUUID() } }),
    );
    return { goal: await openGoal(who, changed.goal) };
  },
  'agenda.add': async ({ pairId, body }) => {
    const who = await me();
    const client = await api();
    const id = crypto.randomUUID();
    const sealed = await forServer(who, 'pair', { pairId, recordId: id, field: 'body' }, body);
    const { item } = await unwrap(client.agenda.$post({ json: { id, pairId, body: sealed } }, { headers: { 'idempotency-key': id } }));
    return { item: { ...item, body } };
  },
  'agenda.toggle': async ({ id, version, done }) => {
    const who = await me();
    const client = await api();
    const { item } = await unwrap(client.agenda[':id'].$patch({ param: { id }, json: { version, done } }, { headers: { 'idempotency-key': crypto.randomUUID() } }));
    const opened = await openText(who, { pairId: item.pairId, recordId: item.id, field: 'body' }, item.body);
    return { item: { ...item, body: opened.text } };
  },
  'feedback.pending': async ({ pairId }) => {
    const done = new Set(await feedbackDoneItem.get());
    const fromServer = (await pairCacheItem(pairId).get()).context?.pendingFeedback ?? [];
    const local = await locallyEndedMeetings(pairId);
    const meetings = [...local, ...fromServer.filter((m) => !local.some((l) => l.id === m.id))].filter((m) => !done.has(m.id));
    return { meetings };
  },
  'feedback.submit': async ({ meetingId, rating, comment }) => {
    const userId = await signedInUserId();
    const pairId = await pairOfMeeting(meetingId);
    await outbox.enqueue({ kind: 'feedback', userId, pairId, feedbackId: crypto.randomUUID(), meetingId, rating, comment });
    await feedbackDoneItem.set([...(await feedbackDoneItem.get()), meetingId]);
    void outbox.flush();
    return { ok: true as const };
  },
  'feedback.dismiss': async ({ meetingId }) => {
    await feedbackDoneItem.set([...(await feedbackDoneItem.get()), meetingId]);
    return { ok: true as const };
  },
  'sessions.list': async () => {
    await requireSignedIn();
    const client = await api();
    return unwrap(client.me.sessions.$get());
  },
  'sessions.end': async ({ id }) => {
    await requireSignedIn();
    const client = await api();
    const { endedCurrent } = await unwrap(client.me.sessions[':id'].$delete({ param: { id } }));
    if (endedCurrent) {
      // This device's own session ended on the server: forget the token here as signing out does.
      await setToken(null);
      await clearUserData();
      scheduleReminders();
    }
    return { ok: true as const, signedOut: endedCurrent };
  },
  'sessions.acknowledge': async () => {
    await requireSignedIn();
    const client = await api();
    return unwrap(client.me.sessions.acknowledge.$post());
  },
  'me.export': async () => {
    await requireSignedIn();
    const client = await api();
    const data = MeExport.parse(await unwrap(client.me.export.$get({ query: { format: 'json' } })));
    // Opened and rendered here: once notes are end-to-end encrypted only this device can read them (export.ts).
    return decryptedExport(await me(), data);
  },
  'me.delete': async ({ confirm }) => {
    await requireSignedIn();
    const client = await api();
    await unwrap(client.me.$delete({ json: { confirm } }));
    await forgetDevice({ revokeOnServer: false }); // the server erased the account, its devices and keys with it
    // The server erased the account and its sessions: forget it here too, outbox included (its writes have no author).
    await setToken(null);
    await clearUserData();
    for (const op of await outbox.list()) await outbox.discard(op.opId);
    scheduleReminders();
    return { ok: true as const };
  },
  'me.settings': async () => {
    await requireSignedIn();
    const client = await api();
    return (await unwrap(client.auth.me.$get())).settings;
  },
};

async function pairOfEntry(entryId: string): Promise<string> {
  for (const op of await outbox.list()) {
    if (op.kind === 'entry.create' && op.entry.id === entryId) return op.pairId;
  }
  for (const pair of await pairsItem.get()) {
    if ((await pairCacheItem(pair.id).get()).entries.some((e) => e.id === entryId)) return pair.id;
  }
  throw new UserError('not_found', t('handlers_entryUnknown'));
}

async function pairOfMeeting(meetingId: string): Promise<string> {
  for (const pair of await pairsItem.get()) {
    if ((await locallyEndedMeetings(pair.id)).some((m) => m.id === meetingId)) return pair.id;
    if ((await pairCacheItem(pair.id).get()).context?.pendingFeedback.some((m) => m.id === meetingId)) return pair.id;
  }
  throw new UserError('not_found', t('handlers_meetingUnknown'));
}

/**
 * Where a message comes from: one of our pages, a content script on a call page (a platform, a self-hosted Jitsi
 * the user added, or a tab the user attached the companion to), or (ignored) anything else.
 */
export async function senderKind(sender: Sender): Promise<'page' | 'call' | null> {
  if (sender.id !== browser.runtime.id || !sender.url) return null;
  if (sender.url.startsWith(browser.runtime.getURL('/'))) return 'page';
  if (sender.tab?.id === undefined) return null;
  try {
    const url = new URL(sender.url);
    const { jitsiOrigins } = await settingsItem.get();
    if (findPlatform(url, jitsiOrigins)) return 'call';
    return (await isAttached(sender.tab.id, url.origin)) ? 'call' : null;
  } catch {
    return null;
  }
}

export async function handleMessage(message: unknown, sender: Sender): Promise<unknown> {
  const kind = await senderKind(sender);
  if (kind === null) return undefined;
  const envelope = AppEnvelope.safeParse(message);
  if (envelope.success && kind === 'page') return handleAppRequest(envelope.data.type, envelope.data.payload, sender);
  const call = CallRequest.safeParse(message);
  if (!call.success) return undefined;
  const tabId = sender.tab?.id;
  switch (call.data.type) {
    case 'call.state':
      if (kind !== 'call' || tabId === undefined) return undefined;
      // The welcome page's test call reports no call states: nothing there is a meeting (welcome.ts).
      if (await isTryCallSender(sender.url)) return { ok: true };
      await onCallState(tabId, call.data.platform, call.data.code, call.data.state, call.data.cause);
      return { ok: true };
    case 'call.attach':
      if (kind !== 'call' || tabId === undefined) return undefined;
      if (await isTryCallSender(sender.url)) {
        await onAttach(tabId, call.data.platform, call.data.code, true);
        await noteTestCallSeen(); // the companion shows its overlay as it sends this (companion.ts attach)
      } else {
        await onAttach(tabId, call.data.platform, call.data.code);
      }
      return { ok: true };
    case 'call.attached': {
      if (kind !== 'call' || tabId === undefined || !sender.url) return { attached: false, jitsi: false };
      const url = new URL(sender.url);
      const { jitsiOrigins } = await settingsItem.get();
      const jitsi = findPlatform(url, jitsiOrigins)?.id === 'jitsi';
      return { attached: !jitsi && (await isAttached(tabId, url.origin)), jitsi };
    }
    case 'detection.degraded': {
      if (kind !== 'call') return undefined;
      const degraded = await degradedItem.get();
      const now = new Date().toISOString();
      const before = degraded[call.data.platform];
      await degradedItem.set({ ...degraded, [call.data.platform]: { firstSeen: before?.firstSeen ?? now, lastSeen: now, times: (before?.times ?? 0) + 1 } });
      return { ok: true };
    }
    case 'overlay.layout.get':
      return { layout: (await layoutItem.get())[call.data.platform] ?? null };
    case 'overlay.layout.set':
      await layoutItem.set({ ...(await layoutItem.get()), [call.data.platform]: call.data.layout });
      return { ok: true };
    case 'call.strings':
      return callStrings();
  }
}

async function handleAppRequest(type: string, payload: unknown, sender: Sender) {
  if (!(type in appRequests)) return { ok: false, error: { code: 'unknown_request', message: t('handlers_unknownRequest', type) } };
  const requestType = type as AppRequestType;
  const parsed = appRequests[requestType].request.safeParse(payload);
  if (!parsed.success) return { ok: false, error: { code: 'invalid_request', message: parsed.error.issues.map((i) => i.message).join('; ') } };
  try {
    const handler = handlers[requestType] as (p: unknown, s: Sender) => Promise<unknown>;
    return { ok: true, data: await handler(parsed.data, sender) };
  } catch (error) {
    if (error instanceof ApiFailure && error.status === 401 && requestType !== 'auth.signIn') {
      // The token expired or was revoked: show the sign-in prompt. The outbox is kept and sent after signing in.
      await setToken(null);
      await signedInItem.set(null);
      return { ok: false, error: { code: 'signed_out', message: t('handlers_signInExpired') } };
    }
    if (error instanceof ApiFailure || error instanceof UserError) return { ok: false, error: { code: error.code, message: error.message } };
    console.error('Alongside background error', error);
    return { ok: false, error: { code: 'internal', message: error instanceof Error ? error.message : t('background_somethingWentWrong') } };
  }
}

export { APP_CHANNEL, UserError };
