/**
 * The call overlay (an extension-origin iframe on the call page): which pair, goal cards, the agenda, open actions,
 * the live notes stream with its composer, and feedback once the call is over. Talks only to the background (`ask`).
 * The body with its tabs is CallBody.tsx; the notes stream's syncing is notes-stream.ts.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { AgendaItem, CallContext, Meeting } from '../../../shared/schemas/index.ts';
import { ask } from '../../lib/app-client.ts';
import type { AuthStatus, CallInfo } from '../../lib/app-messages.ts';
import { CallPlatform, FrameNudge } from '../../lib/call-messages.ts';
import { t } from '../../lib/i18n.ts';
import type { EntryHandlers } from '../components/EntryList.tsx';
import { type FeedbackMeeting, FeedbackPrompt } from '../components/FeedbackPrompt.tsx';
import { type Locks, locksOf } from '../components/LockedText.tsx';
import { ManualLog } from '../components/ManualLog.tsx';
import { ErrorBox, Loading } from '../components/Loading.tsx';
import { PairChooser } from '../components/PairChooser.tsx';
import { OverlaySignIns } from '../components/SignInNotice.tsx';
import { SignInPrompt } from '../components/SignInPrompt.tsx';
import { LiveLine, PartnerPresence } from '../components/LiveStatus.tsx';
import { useE2eeStatus } from '../e2ee.ts';
import { errorMessage, isSignedOut } from '../errors.ts';
import { firstName, formatDuration, minutesBetween, platformName, userTimeZone } from '../format.ts';
import { useNow, useOnFocus, usePolling } from '../hooks.ts';
import { useLiveRoom } from '../live.ts';
import { useNotesStream } from '../notes-stream.ts';
import { CallBody, type Tab } from './CallBody.tsx';

export interface OverlayTimings {
  /** Notes stream poll while expanded and the live room is down: the partner's shared entries must show within 5 s. */
  entriesMs: number;
  /** Notes stream poll while the content script has the overlay collapsed (it still flushes the outbox). */
  entriesCollapsedMs: number;
  callMs: number;
  contextMs: number;
  /** Re-check sign-in while signed out (the user signs in on the options page). */
  authMs: number;
  /** This device's encryption status while a device approval or a pair's encryption is under way (issue 10). */
  e2eeBusyMs: number;
  /** …and otherwise; null: only when the frame opens or regains focus, so an idle call asks the server nothing. */
  e2eeIdleMs: number | null;
}

const DEFAULT_TIMINGS: OverlayTimings = {
  entriesMs: 2500,
  entriesCollapsedMs: 10_000,
  callMs: 3000,
  contextMs: 30_000,
  authMs: 4000,
  e2eeBusyMs: 5000,
  e2eeIdleMs: null,
};

/** Meetings whose feedback prompt was answered or dismissed in this tab, so a reload of the frame does not ask again. */
const FEEDBACK_DONE_KEY = 'alongside.feedbackDone';
function loadFeedbackDone(): Set<string> {
  try {
    const raw: unknown = JSON.parse(sessionStorage.getItem(FEEDBACK_DONE_KEY) ?? '[]');
    return new Set(Array.isArray(raw) ? raw.filter((x): x is string => typeof x === 'string') : []);
  } catch {
    return new Set();
  }
}

type Auth = { kind: 'checking' } | { kind: 'signed-in' } | { kind: 'signed-out' } | { kind: 'error'; message: string };
type ContextState =
  | { kind: 'loading' }
  | { kind: 'ready'; context: CallContext; fromCache: boolean; locks: Locks }
  | { kind: 'error'; message: string };

/**
 * The first answers the frame needs, asked for by main.tsx before the first render and together: the first control
 * (the pair chooser, or the notes) waits on both, and the loaders below would ask one after the other, each after a
 * paint. Each is used once, by the first run of its loader; the call is dropped when the user turns out signed out.
 */
export interface FirstAnswers {
  auth?: Promise<AuthStatus>;
  info?: Promise<CallInfo | null>;
}

export function OverlayApp({ search, timings: timingOverrides, first }: { search: string; timings?: Partial<OverlayTimings>; first?: FirstAnswers }) {
  const timings = { ...DEFAULT_TIMINGS, ...timingOverrides };
  const early = useRef<FirstAnswers>({ ...first });
  const query = new URLSearchParams(search);
  const queryPlatform = CallPlatform.safeParse(query.get('platform'));
  const timeZone = userTimeZone();
  const now = useNow(30_000);

  const [auth, setAuth] = useState<Auth>({ kind: 'checking' });
  const [info, setInfo] = useState<CallInfo | null | undefined>(undefined);
  const [infoPolls, setInfoPolls] = useState(0);
  const [choosing, setChoosing] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });
  const [ctx, setCtx] = useState<ContextState>({ kind: 'loading' });
  const [tab, setTab] = useState<Tab>('notes');
  const [collapsed, setCollapsed] = useState(false);
  const [ticked, setTicked] = useState<Set<string>>(new Set());
  const [pendingFeedback, setPendingFeedback] = useState<Meeting[]>([]);
  const [feedbackDone, setFeedbackDone] = useState<Set<string>>(loadFeedbackDone);

  const composerRef = useRef<HTMLTextAreaElement>(null);
  const wantsComposerFocus = useRef(false);
  const tabRefs = useRef(new Map<Tab, HTMLButtonElement>());

  const signedIn = auth.kind === 'signed-in';
  const pairId = signedIn ? (info?.pairId ?? null) : null;
  const pairIdRef = useRef(pairId);
  pairIdRef.current = pairId;

  // ---- the live room: with the socket up, changes are pushed and nothing polls the server -------------------------
  /** What a pushed change reloads; set below once the loaders exist. */
  const reload = useRef({ entries: () => undefined as void, context: () => undefined as void });
  const live = useLiveRoom(pairId, {
    inCall: info?.state === 'in-call',
    onChange: (topic) => {
      // New keys (issue 10) may open notes, goals and agenda items that were locked here.
      if (topic === 'entries' || topic === 'keys') reload.current.entries();
      if (topic !== 'entries') reload.current.context();
    },
    onConnected: () => {
      reload.current.entries();
      reload.current.context();
    },
  });
  const isLive = live.state.kind === 'live';

  /** Any request answered "unauthenticated": the token expired or was revoked. */
  const noteError = useCallback((error: unknown): string => {
    if (isSignedOut(error)) setAuth({ kind: 'signed-out' });
    return errorMessage(error);
  }, []);

  // ---- sign-in: checked first, and re-checked while signed out --------------------------------------------------
  const checkAuth = usePolling(
    async () => {
      const asked = early.current.auth;
      early.current.auth = undefined;
      try {
        const status = await (asked ?? ask('auth.status', {}));
        if (!status.signedIn) early.current.info = undefined;
        setAuth(status.signedIn ? { kind: 'signed-in' } : { kind: 'signed-out' });
      } catch (error) {
        early.current.info = undefined;
        setAuth({ kind: 'error', message: errorMessage(error) });
      }
    },
    auth.kind === 'signed-in' ? null : timings.authMs,
    [auth.kind === 'signed-in'],
  );
  useOnFocus(() => {
    if (auth.kind !== 'signed-in') checkAuth();
  });

  // ---- the call in this tab ---------------------------------------------------------------------------------------
  const pollInfo = usePolling(
    async () => {
      if (!signedIn) return;
      const asked = early.current.info;
      early.current.info = undefined;
      try {
        setInfo(await (asked ?? ask('call.info', {})));
      } catch (error) {
        noteError(error);
        setInfo((previous) => previous ?? null);
      } finally {
        setInfoPolls((n) => n + 1);
      }
    },
    signedIn ? timings.callMs : null,
    [signedIn],
  );

  async function choosePair(id: string) {
    setChoosing({ busy: true, error: null });
    try {
      setInfo(await ask('call.choosePair', { pairId: id }));
      setChoosing({ busy: false, error: null });
    } catch (error) {
      setChoosing({ busy: false, error: t('overlay_chooseFailed', noteError(error)) });
    }
  }

  // ---- the pair's context (goals, agenda, actions) ----------------------------------------------------------------
  const loadContext = useCallback(async () => {
    const id = pairIdRef.current;
    if (!id) return;
    try {
      const answer = await ask('context.get', { pairId: id });
      if (pairIdRef.current !== id) return;
      if (answer.context) setCtx({ kind: 'ready', context: answer.context, fromCache: answer.fromCache, locks: locksOf(answer) });
      else setCtx((previous) => (previous.kind === 'ready' ? previous : { kind: 'error', message: answer.error ?? t('overlay_loadFailed') }));
    } catch (error) {
      const message = noteError(error);
      if (pairIdRef.current === id) setCtx((previous) => (previous.kind === 'ready' ? previous : { kind: 'error', message }));
    }
  }, [noteError]);
  const reloadContext = usePolling(loadContext, pairId && !isLive ? timings.contextMs : null, [pairId]);
  // Another pair was chosen: nothing of the previous one may linger on screen.
  useEffect(() => {
    setCtx({ kind: 'loading' });
  }, [pairId]);

  // ---- the notes stream -------------------------------------------------------------------------------------------
  const stream = useNotesStream(pairId, isLive ? null : collapsed ? timings.entriesCollapsedMs : timings.entriesMs, noteError);
  const { entries, applyLocal } = stream;
  const syncEntries = stream.sync;
  reload.current = { entries: syncEntries, context: reloadContext };
  // The socket went down after being up: polling takes over at once (its loops stopped while live).
  const wasLive = useRef(false);
  useEffect(() => {
    if (wasLive.current && !isLive) {
      syncEntries();
      reloadContext();
    }
    wasLive.current = isLive;
  }, [isLive]);

  const handlers: EntryHandlers = {
    onChanged: (entry) => {
      if (entry.kind === 'action' && entry.actionDoneAt !== null) setTicked((previous) => new Set(previous).add(entry.id));
      applyLocal(entry);
    },
    onDeleted: (id) => {
      const existing = entries.find((e) => e.id === id);
      if (existing) applyLocal({ ...existing, deleted: true });
    },
    onRetry: stream.retry,
  };

  // ---- end-to-end encryption: this device's status, for the banner and the "encrypted" mark (issue 10) -----------
  const e2ee = useE2eeStatus({ enabled: pairId !== null, busyMs: timings.e2eeBusyMs, idleMs: timings.e2eeIdleMs });

  // ---- feedback after the call ------------------------------------------------------------------------------------
  const callState = info?.state;
  useEffect(() => {
    if (!pairId || callState === 'in-call') return;
    let current = true;
    ask('feedback.pending', { pairId })
      .then((answer) => current && setPendingFeedback(answer.meetings))
      .catch(() => undefined); // Not worth an error on the call page; the side panel asks again.
    return () => {
      current = false;
    };
  }, [pairId, callState]);

  function feedbackHandled(meetingId: string) {
    setFeedbackDone((previous) => {
      const next = new Set(previous).add(meetingId);
      try {
        sessionStorage.setItem(FEEDBACK_DONE_KEY, JSON.stringify([...next]));
      } catch {
        // Storage may be unavailable; the background still records the answer.
      }
      return next;
    });
  }

  const feedbackMeeting = ((): FeedbackMeeting | null => {
    if (!info || info.state === 'in-call' || ctx.kind !== 'ready') return null;
    if ((info.state === 'left' || info.state === 'ended') && info.meetingId && info.leftAt && !feedbackDone.has(info.meetingId)) {
      const fromServer = pendingFeedback.find((m) => m.id === info.meetingId);
      if (fromServer) return fromServer;
      return {
        id: info.meetingId,
        platform: info.platform,
        startedAt: info.joinedAt ?? info.leftAt ?? new Date(now).toISOString(),
        endedAt: info.leftAt,
        durationMinutes: null,
      };
    }
    return pendingFeedback.find((m) => !feedbackDone.has(m.id)) ?? null;
  })();

  // ---- nudges from the content script ------------------------------------------------------------------------------
  useEffect(() => {
    const onMessage = (event: MessageEvent) => {
      // Only the page this frame sits in may nudge it, and only with the harmless UI nudges of FrameNudge.
      if (event.source !== window.parent) return;
      const nudge = FrameNudge.safeParse(event.data);
      if (!nudge.success) return;
      if (nudge.data.type === 'focus-composer') {
        setTab('notes');
        wantsComposerFocus.current = true;
        window.focus();
        requestAnimationFrame(() => {
          if (composerRef.current) {
            composerRef.current.focus();
            wantsComposerFocus.current = false;
          }
        });
      } else if (nudge.data.type === 'collapsed') {
        setCollapsed(true);
      } else {
        setCollapsed(false);
        syncEntries();
        pollInfo();
      }
    };
    window.addEventListener('message', onMessage);
    return () => window.removeEventListener('message', onMessage);
  }, [syncEntries, pollInfo]);

  // A focus nudge that came before the composer existed (still loading) is honoured once it appears.
  useEffect(() => {
    if (wantsComposerFocus.current && composerRef.current) {
      composerRef.current.focus();
      wantsComposerFocus.current = false;
    }
  });

  // ---- render ------------------------------------------------------------------------------------------------------
  const platform: CallPlatform | undefined = info?.platform ?? (queryPlatform.success ? queryPlatform.data : undefined);
  const code = info?.code ?? query.get('code') ?? '';
  const context = ctx.kind === 'ready' ? ctx.context : null;

  const bar = (
    <header class="overlay-bar">
      <span class="overlay-where" title={code ? t('overlay_meetingCode', code) : undefined}>
        {platform ? platformName(platform) : t('extName')}
        {context && <span class="muted"> {t('overlay_withPartner', firstName(context.partner.name))}</span>}
        {context && <PartnerPresence presence={live.presence} partner={context.partner} />}
      </span>
      {info && signedIn && <CallStateChip info={info} now={now} />}
    </header>
  );

  let body;
  if (auth.kind === 'checking') body = <Loading label={t('overlay_loading')} />;
  else if (auth.kind === 'error') body = <ErrorBox message={auth.message} onRetry={checkAuth} />;
  else if (auth.kind === 'signed-out') body = <SignInPrompt onRecheck={checkAuth} />;
  else if (info === undefined) body = <Loading label={t('overlay_findingCall')} />;
  else if (info === null) {
    body =
      infoPolls < 3 ? (
        <Loading label={t('overlay_findingCall')} />
      ) : (
        <p class="empty">{t('overlay_noCall')}</p>
      );
  } else if (!info.pairId) {
    body =
      info.choices.length > 0 ? (
        <PairChooser choices={info.choices} busy={choosing.busy} error={choosing.error} onChoose={(id) => void choosePair(id)} />
      ) : (
        <p class="empty">{t('overlay_noPair')}</p>
      );
  } else if (ctx.kind === 'loading') body = <Loading label={t('overlay_loadingMentorship')} />;
  else if (ctx.kind === 'error') body = <ErrorBox message={ctx.message} onRetry={reloadContext} />;
  else {
    body = (
      <CallBody
        context={ctx.context}
        fromCache={ctx.fromCache}
        locks={ctx.locks}
        e2ee={e2ee}
        info={info}
        timeZone={timeZone}
        now={now}
        tab={tab}
        setTab={setTab}
        tabRefs={tabRefs.current}
        entries={entries}
        ticked={ticked}
        status={stream.status}
        syncError={stream.syncError}
        handlers={handlers}
        composerRef={composerRef}
        onAdded={applyLocal}
        onGoalSaved={(goal) =>
          setCtx((previous) =>
            previous.kind === 'ready'
              ? { ...previous, context: { ...previous.context, goals: previous.context.goals.map((g) => (g.id === goal.id ? goal : g)) } }
              : previous,
          )
        }
        onAgendaChanged={(item) =>
          setCtx((previous) =>
            previous.kind === 'ready' ? { ...previous, context: { ...previous.context, agenda: upsert(previous.context.agenda, item) } } : previous,
          )
        }
        onConflict={loadContext}
        liveLine={<LiveLine state={live.state} pollEveryMs={collapsed ? timings.entriesCollapsedMs : timings.entriesMs} />}
        feedback={
          feedbackMeeting && (
            <FeedbackPrompt
              key={feedbackMeeting.id}
              meeting={feedbackMeeting}
              partnerName={firstName(ctx.context.partner.name)}
              timeZone={timeZone}
              onDone={feedbackHandled}
            />
          )
        }
      />
    );
  }

  const manualLog =
    info && signedIn && info.pairId && info.mode === 'manual' ? (
      <ManualLog
        info={info}
        now={now}
        onStart={async () => setInfo(await ask('call.logStart', {}))}
        onEnd={async () => setInfo(await ask('call.logEnd', {}))}
      />
    ) : null;

  return (
    <div class="overlay">
      {bar}
      {signedIn && <OverlaySignIns onSignedOut={() => setAuth({ kind: 'signed-out' })} />}
      {manualLog}
      <main class="overlay-main">{body}</main>
    </div>
  );
}

function upsert(items: AgendaItem[], item: AgendaItem): AgendaItem[] {
  return items.some((i) => i.id === item.id) ? items.map((i) => (i.id === item.id ? item : i)) : [...items, item];
}

function CallStateChip({ info, now }: { info: CallInfo; now: number }) {
  if (info.state === 'pre-join') return <span class="chip">{t('overlay_notJoined')}</span>;
  if (info.state === 'waiting') return <span class="chip">{t('overlay_waiting')}</span>;
  if (info.state === 'unknown') return <span class="chip">{info.meetingId && !info.leftAt ? t('overlay_loggingByHand') : t('overlay_callNotDetected')}</span>;
  if (info.state === 'in-call') {
    return (
      <span class="chip chip-live">
        <span class="live-dot" aria-hidden="true" />
        {info.joinedAt ? t('overlay_inCallFor', formatDuration(minutesBetween(info.joinedAt, new Date(now).toISOString()))) : t('overlay_inCall')}
      </span>
    );
  }
  const ended = info.state === 'ended';
  const duration = info.joinedAt && info.leftAt ? formatDuration(minutesBetween(info.joinedAt, info.leftAt)) : null;
  return (
    <span class="chip">
      {duration === null
        ? t(ended ? 'overlay_meetingEnded' : 'overlay_callEnded')
        : t(ended ? 'overlay_meetingEndedAfter' : 'overlay_callEndedAfter', duration)}
    </span>
  );
}
