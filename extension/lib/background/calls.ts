/**
 * Which call each tab is in, which pair it is for, and the meeting log. Detected calls are logged from the moment
 * the adapter has strong in-call evidence (never while waiting to be admitted) until an end screen, the page going
 * away or the tab closing; calls the user attached by hand are logged when they say so. Meeting starts and ends go
 * through the outbox like every other write.
 */
import type { PairSummary } from '../../../shared/schemas/index.ts';
import { platforms } from '../../platforms/index.ts';
import type { CallInfo } from '../app-messages.ts';
import type { CallPlatform } from '../call-messages.ts';
import { manualCodeOf } from '../call/manual-code.ts';
import { api, unwrap } from './api.ts';
import type { MeetingEndReason } from './outbox.ts';
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
 * The meeting code a pasted meeting link names, read by the platform's own adapter: a Teams invitation is
 * percent-encoded and its call page is not, a Zoom link carries a passcode, a Meet link may be upper case.
 */
export function linkCode(platform: CallPlatform, link: string): string | undefined {
  try {
    const url = new URL(link);
    if (platform === 'other') return manualCodeOf(url);
    return platforms.find((p) => p.id === platform)?.meetingCode(url);
  } catch {
    return undefined;
  }
}

/**
 * The pair for a meeting: the one remembered for this code, else the only active pair, else the one pair whose
 * meeting link names this meeting; otherwise null (the user is asked, once).
 */
export function resolvePair(pairs: PairSummary[], remembered: Record<string, string>, platform: CallPlatform, code: string): string | null {
  const open = pairs.filter((p) => p.status !== 'ended');
  const chosen = remembered[`${platform}:${code}`];
  if (chosen && open.some((p) => p.id === chosen)) return chosen;
  if (open.length === 1) return open[0]?.id ?? null;
  const byLink = open.filter((p) => {
    const links = platform === 'other' ? Object.values(p.meetingLinks) : [p.meetingLinks[platform]];
    return links.some((link) => link !== undefined && linkCode(platform, link) === code);
  });
  return byLink.length === 1 ? (byLink[0]?.id ?? null) : null;
}

async function startMeeting(call: TabCall, source: 'auto' | 'manual'): Promise<void> {
  // A test call is not a mentoring meeting (issue 12): it is never logged.
  if (call.trial === true || call.pairId === null || call.meetingId !== null) return;
  const userId = (await signedInItem.get())?.user.id;
  if (!userId) return; // signed out: nothing to log the meeting for
  call.meetingId = crypto.randomUUID();
  call.joinedAt = new Date().toISOString();
  call.leftAt = null;
  await outbox.enqueue({ kind: 'meeting.start', userId, pairId: call.pairId, meetingId: call.meetingId, platform: call.platform, code: call.code, source });
}

/** Detected calls start on strong in-call evidence only; manual ones when the user says so. */
async function startMeetingIfReady(call: TabCall): Promise<void> {
  if (call.mode === 'auto' && call.state === 'in-call') await startMeeting(call, 'auto');
}

async function endMeeting(call: TabCall, reason: MeetingEndReason): Promise<void> {
  if (call.meetingId === null || call.pairId === null || call.leftAt !== null) return;
  const userId = (await signedInItem.get())?.user.id;
  if (!userId) return;
  call.leftAt = new Date().toISOString();
  await outbox.enqueue({ kind: 'meeting.end', userId, pairId: call.pairId, meetingId: call.meetingId, endedAt: call.leftAt, reason });
}

function newCall(pairs: PairSummary[], remembered: Record<string, string>, platform: CallPlatform, code: string, mode: TabCall['mode'], trial = false): TabCall {
  return { platform, code, mode, state: 'unknown', pairId: resolvePair(pairs, remembered, platform, code), meetingId: null, joinedAt: null, leftAt: null, trial };
}

async function pairsAndChoices(tabId: number, code: string) {
  const known = (await tabCallsItem.get())[tabId];
  if (!known || known.code !== code) await refreshPairs().catch(() => undefined); // offline: the cached list will do
  return Promise.all([pairsItem.get(), pairByMeetingItem.get()]);
}

/**
 * Reports of a call page being recorded, by tab. The overlay asks for its call (`callInfo`) as soon as it loads;
 * answered before a new call is recorded, it would say "no call" and the overlay would wait for its next poll, 3 s
 * later.
 */
const reports = new Map<number, Promise<void>>();
function recording(tabId: number, report: Promise<void>): Promise<void> {
  reports.set(tabId, report);
  const done = () => {
    if (reports.get(tabId) === report) reports.delete(tabId);
  };
  report.then(done, done);
  return report;
}

/** The content script reports a state change of the call page in `tabId` (the first argument). */
export const onCallState = (...report: Parameters<typeof recordCallState>): Promise<void> => recording(report[0], recordCallState(...report));

async function recordCallState(
  tabId: number,
  platform: CallPlatform,
  code: string,
  state: Exclude<TabCall['state'], 'unknown'>,
  cause?: 'page-closed' | 'ui-gone',
): Promise<void> {
  const [pairs, remembered] = await pairsAndChoices(tabId, code);
  await withCalls(async (calls) => {
    let call = calls[tabId];
    if (!call || call.code !== code || call.platform !== platform) {
      // A different meeting in this tab (SPA navigation): close the previous one first.
      if (call) await endMeeting(call, 'page-closed');
      call = newCall(pairs, remembered, platform, code, 'auto');
      calls[tabId] = call;
    }
    if ((call.state === 'left' || call.state === 'ended') && state === 'in-call' && call.meetingId !== null) {
      // Rejoined: the server continues the same meeting within its grace period, so start it again.
      call.meetingId = null;
    }
    // A detected state takes over from a manual attach (the page finished loading, or came back).
    if (state === 'in-call') call.mode = 'auto';
    call.state = state;
    if (call.pairId === null) call.pairId = resolvePair(pairs, remembered, platform, code);
    await startMeetingIfReady(call);
    if (state === 'left' || state === 'ended') await endMeeting(call, cause === 'page-closed' ? 'page-closed' : state);
  });
  void outbox.flush();
}

/**
 * The user opened the companion by hand on this tab (launcher, toolbar): keep the call, log only on request.
 * `trial`: the welcome page's test call, where the overlay shows the pair but no meeting is ever logged.
 */
export function onAttach(tabId: number, platform: CallPlatform, code: string, trial = false): Promise<void> {
  return recording(tabId, recordAttach(tabId, platform, code, trial));
}

/**
 * The call is recorded with the pairs already kept (the overlay is on screen meanwhile and must not wait for the
 * server), then, for a new meeting, the pairs are fetched again (one may have been created since) and its pair
 * worked out again while nothing has been logged for it. With no pairs kept at all, the server is asked first.
 */
async function recordAttach(tabId: number, platform: CallPlatform, code: string, trial: boolean): Promise<void> {
  const sameCall = (call: TabCall | undefined): call is TabCall =>
    call !== undefined && call.code === code && call.platform === platform && (call.trial === true) === trial;
  const known = (await tabCallsItem.get())[tabId];
  const refresh = !known || known.code !== code;
  if (refresh && (await pairsItem.get()).length === 0) await refreshPairs().catch(() => undefined);
  const [pairs, remembered] = await Promise.all([pairsItem.get(), pairByMeetingItem.get()]);
  await withCalls((calls) => {
    if (sameCall(calls[tabId])) return;
    calls[tabId] = newCall(pairs, remembered, platform, code, 'manual', trial);
  });
  if (!refresh) return;
  void refreshPairs()
    .then(async () => {
      const [fresh, choices] = await Promise.all([pairsItem.get(), pairByMeetingItem.get()]);
      await withCalls((calls) => {
        const call = calls[tabId];
        // A pair the user chose meanwhile is among `choices`, and resolvePair keeps it.
        if (sameCall(call) && call.meetingId === null) call.pairId = resolvePair(fresh, choices, platform, code);
      });
    })
    .catch(() => undefined); // offline: the pairs kept will do
}

/** Whether the tab shows the welcome page's test call. */
export async function isTrialCall(tabId: number): Promise<boolean> {
  return (await tabCallsItem.get())[tabId]?.trial === true;
}

/** "Start meeting log" in the overlay of a call whose state is not detected. */
export async function startByHand(tabId: number): Promise<void> {
  await withCalls(async (calls) => {
    const call = calls[tabId];
    if (!call) return;
    if (call.leftAt !== null) call.meetingId = null; // a new meeting after the last one was ended
    call.mode = 'manual';
    call.state = 'in-call';
    await startMeeting(call, 'manual');
  });
  void outbox.flush();
}

/** "End meeting log" in the overlay. */
export async function endByHand(tabId: number): Promise<void> {
  await withCalls(async (calls) => {
    const call = calls[tabId];
    if (!call) return;
    call.state = 'left';
    await endMeeting(call, 'manual');
  });
  void outbox.flush();
}

export async function onTabClosed(tabId: number): Promise<void> {
  await withCalls(async (calls) => {
    const call = calls[tabId];
    if (call) await endMeeting(call, 'page-closed');
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
  await reports.get(tabId)?.catch(() => undefined);
  const call = (await tabCallsItem.get())[tabId];
  if (!call) return null;
  const pairs = call.pairId === null ? (await pairsItem.get()).filter((p) => p.status !== 'ended') : [];
  return { ...call, choices: pairs };
}

/** Calls open in tabs now, for the options' diagnostics. */
export async function openCalls(): Promise<{ tabId: number; call: TabCall }[]> {
  return Object.entries(await tabCallsItem.get()).map(([tabId, call]) => ({ tabId: Number(tabId), call }));
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
      source: c.mode,
      endReason: null, // the server records why it ended once the end is synced
      durationMinutes: Math.round((Date.parse(c.leftAt) - Date.parse(c.joinedAt)) / 60_000),
    }));
}
