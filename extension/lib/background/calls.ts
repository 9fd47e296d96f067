/**
 * Which call each tab is in, which pair it is for, and the meeting log: start when the call is joined, end when it is
 * left (or the tab closes). Meeting starts and ends go through the outbox like every other write.
 */
import type { PairSummary, Platform } from '../../../shared/schemas/index.ts';
import type { CallInfo } from '../app-messages.ts';
import { api, unwrap } from './api.ts';
import { outbox } from './sync.ts';
import { type TabCall, pairByMeetingItem, pairsItem, signedInItem, tabCallsItem } from './storage.ts';

/** Fetches the user's pairs (a pair may have been created since sign-in) and keeps them for offline use. */
export async function refreshPairs(): Promise<void> {
  const client = await api();
  const { pairs } = await unwrap(client.pairs.$get());
  await pairsItem.set(pairs);
}

/** Serialises read-modify-write of the tab-call map. */
let lock: Promise<unknown> = Promise.resolve();
function withCalls<T>(change: (calls: Record<string, TabCall>) => Promise<T> | T): Promise<T> {
  const run = async () => {
    const calls = await tabCallsItem.get();
    const result = await change(calls);
    await tabCallsItem.set(calls);
    return result;
  };
  const result = lock.then(run, run);
  lock = result.catch(() => undefined);
  return result;
}

/**
 * The pair for a meeting: the one remembered for this code, else the only active pair, else the pair whose meeting
 * link carries this code; otherwise null (the user is asked, once).
 */
export function resolvePair(pairs: PairSummary[], remembered: Record<string, string>, platform: Platform, code: string): string | null {
  const open = pairs.filter((p) => p.status !== 'ended');
  const key = `${platform}:${code}`;
  const chosen = remembered[key];
  if (chosen && open.some((p) => p.id === chosen)) return chosen;
  if (open.length === 1) return open[0]?.id ?? null;
  const byLink = open.filter((p) => {
    const link = p.meetingLinks[platform];
    return link !== undefined && link.toLowerCase().includes(code.toLowerCase());
  });
  return byLink.length === 1 ? (byLink[0]?.id ?? null) : null;
}

async function startMeetingIfReady(call: TabCall): Promise<void> {
  if (call.state !== 'in-call' || call.pairId === null || call.meetingId !== null) return;
  const userId = (await signedInItem.get())?.user.id;
  if (!userId) return; // signed out: nothing to log the meeting for
  call.meetingId = crypto.randomUUID();
  call.joinedAt = new Date().toISOString();
  call.leftAt = null;
  await outbox.enqueue({ kind: 'meeting.start', userId, pairId: call.pairId, meetingId: call.meetingId, platform: call.platform, code: call.code });
}

async function endMeeting(call: TabCall): Promise<void> {
  if (call.meetingId === null || call.pairId === null || call.leftAt !== null) return;
  const userId = (await signedInItem.get())?.user.id;
  if (!userId) return;
  call.leftAt = new Date().toISOString();
  await outbox.enqueue({ kind: 'meeting.end', userId, pairId: call.pairId, meetingId: call.meetingId, endedAt: call.leftAt });
}

/** The content script reports a state change of the call page in `tabId`. */
export async function onCallState(tabId: number, platform: Platform, code: string, state: TabCall['state']): Promise<void> {
  const known = (await tabCallsItem.get())[tabId];
  if (!known || known.code !== code) await refreshPairs().catch(() => undefined); // offline: the cached list will do
  const [pairs, remembered] = await Promise.all([pairsItem.get(), pairByMeetingItem.get()]);
  await withCalls(async (calls) => {
    let call = calls[tabId];
    if (!call || call.code !== code || call.platform !== platform) {
      // A different meeting in this tab (SPA navigation): close the previous one first.
      if (call) await endMeeting(call);
      call = { platform, code, state, pairId: resolvePair(pairs, remembered, platform, code), meetingId: null, joinedAt: null, leftAt: null };
      calls[tabId] = call;
    }
    if (call.state === 'left' && state === 'in-call' && call.meetingId !== null) {
      // Rejoined: the server continues the same meeting within its grace period, so start it again.
      call.meetingId = null;
    }
    call.state = state;
    if (call.pairId === null) call.pairId = resolvePair(pairs, remembered, platform, code);
    if (state === 'in-call') await startMeetingIfReady(call);
    if (state === 'left') await endMeeting(call);
  });
  void outbox.flush();
}

export async function onTabClosed(tabId: number): Promise<void> {
  await withCalls(async (calls) => {
    const call = calls[tabId];
    if (call) await endMeeting(call);
    delete calls[tabId];
  });
  void outbox.flush();
}

export async function choosePair(tabId: number, pairId: string): Promise<void> {
  await withCalls(async (calls) => {
    const call = calls[tabId];
    if (!call) return;
    call.pairId = pairId;
    await pairByMeetingItem.set({ ...(await pairByMeetingItem.get()), [`${call.platform}:${call.code}`]: pairId });
    await startMeetingIfReady(call);
  });
  void outbox.flush();
}

export async function callInfo(tabId: number): Promise<CallInfo | null> {
  const call = (await tabCallsItem.get())[tabId];
  if (!call) return null;
  const pairs = call.pairId === null ? (await pairsItem.get()).filter((p) => p.status !== 'ended') : [];
  return { ...call, choices: pairs };
}

/** Meetings this user ended in a tab and has not yet been asked about, in the server's shape. */
export async function locallyEndedMeetings(pairId: string) {
  const calls = Object.values(await tabCallsItem.get());
  return calls
    .filter((c): c is TabCall & { meetingId: string; joinedAt: string; leftAt: string } => c.pairId === pairId && c.meetingId !== null && c.joinedAt !== null && c.leftAt !== null)
    .map((c) => ({
      id: c.meetingId,
      pairId,
      platform: c.platform,
      meetingCode: c.code,
      startedAt: c.joinedAt,
      endedAt: c.leftAt,
      source: 'auto' as const,
      durationMinutes: Math.round((Date.parse(c.leftAt) - Date.parse(c.joinedAt)) / 60_000),
    }));
}
