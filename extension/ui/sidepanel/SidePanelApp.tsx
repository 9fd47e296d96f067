/**
 * Between calls (Chrome's side panel, Firefox's sidebar): who is signed in, the pair, the next check-in in both
 * partners' time zones, goals with progress, open actions, the pair's notes with search, the last meeting and any
 * feedback still to give. End-to-end encryption (issue 10) shows as a banner and as locked text (EncryptionBanner).
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { isAllowedMeetingLink } from '../../../shared/domain/meeting-links.ts';
import type { CallContext, Entry, PairStatus, PairSummary, Platform } from '../../../shared/schemas/index.ts';
import { ask } from '../../lib/app-client.ts';
import type { AuthStatus, LocalEntry } from '../../lib/app-messages.ts';
import type { E2eeStatus } from '../../lib/e2ee-messages.ts';
import { type MessageKey, t } from '../../lib/i18n.ts';
import { openOptionsPage } from '../browser-actions.ts';
import { ShowOnTab } from '../components/ShowOnTab.tsx';
import { ActionList } from '../components/ActionList.tsx';
import { CheckInScheduler } from '../components/CheckInScheduler.tsx';
import { DeleteAccount } from '../components/DeleteAccount.tsx';
import { EncryptionBanner } from '../components/EncryptionBanner.tsx';
import { ExportData } from '../components/ExportData.tsx';
import { FeedbackPrompt } from '../components/FeedbackPrompt.tsx';
import { GoalList } from '../components/GoalCard.tsx';
import { ErrorBox, Loading } from '../components/Loading.tsx';
import { type Locks, locksOf } from '../components/LockedText.tsx';
import { PairSelect } from '../components/PairChooser.tsx';
import { PanelSignIns } from '../components/SignInNotice.tsx';
import { SignInPrompt } from '../components/SignInPrompt.tsx';
import { errorMessage, isSignedOut } from '../errors.ts';
import {
  firstName,
  formatDateTime,
  formatDuration,
  formatTime,
  minutesBetween,
  platformName,
  userTimeZone,
} from '../format.ts';
import { useE2eeStatus } from '../e2ee.ts';
import { useNow, useOnFocus, usePolling } from '../hooks.ts';
import { useLiveRoom } from '../live.ts';
import { LiveLine, PartnerPresence } from '../components/LiveStatus.tsx';
import { Logo } from '../components/Logo.tsx';
import { tNodes } from '../message-nodes.tsx';
import { type NotesStream, useNotesStream } from '../notes-stream.ts';
import { NotesSection } from './NotesSection.tsx';

/** The pair last looked at, so the panel opens where the user left it (a view preference, not data). */
const PAIR_PREF_KEY = 'alongside.sidepanel.pairId';

type State =
  | { kind: 'loading' }
  | { kind: 'signed-out' }
  | { kind: 'error'; message: string }
  | { kind: 'no-pairs'; auth: AuthStatus }
  | {
      kind: 'ready';
      auth: AuthStatus;
      pairs: PairSummary[];
      pairId: string;
      context: CallContext | null;
      fromCache: boolean;
      contextError: string | null;
      /** What of the context this device cannot decrypt (issue 10). */
      locks: Locks;
    };

/** What the check-in card says of a pair that is not active. */
const PAIR_STATUS: Record<Exclude<PairStatus, 'active'>, MessageKey> = {
  paused: 'sidepanel_pairPaused',
  ended: 'sidepanel_pairEnded',
};

/** How often this device's encryption status is read while a device approval or a pair's encryption is under way. */
const E2EE_BUSY_MS = 5000;

export function SidePanelApp({ refreshMs = 60_000 }: { refreshMs?: number }) {
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [ticked, setTicked] = useState<Map<string, LocalEntry>>(new Map());
  const [feedbackDone, setFeedbackDone] = useState<Set<string>>(new Set());
  const chosenPair = useRef<string | null>(readPairPref());
  const timeZone = userTimeZone();
  const now = useNow(60_000);

  const load = useCallback(async () => {
    const requested = chosenPair.current;
    try {
      const auth = await ask('auth.status', {});
      if (!auth.signedIn) {
        setState({ kind: 'signed-out' });
        return;
      }
      const { pairs } = await ask('pairs.list', {});
      if (pairs.length === 0) {
        setState({ kind: 'no-pairs', auth });
        return;
      }
      const pair = pairs.find((p) => p.id === requested) ?? pairs.find((p) => p.status === 'active') ?? pairs[0];
      if (!pair) return;
      const answer = await ask('context.get', { pairId: pair.id });
      // The user picked another pair meanwhile; the load that choice queued shows it.
      if (chosenPair.current !== requested) return;
      setState({
        kind: 'ready',
        auth,
        pairs,
        pairId: pair.id,
        context: answer.context,
        fromCache: answer.fromCache,
        contextError: answer.error,
        locks: locksOf(answer),
      });
      setTicked(new Map());
    } catch (error) {
      setState(isSignedOut(error) ? { kind: 'signed-out' } : { kind: 'error', message: errorMessage(error) });
    }
  }, []);

  // The live room pushes every change of the shown pair; with it up, the panel stops polling the server.
  const reload = useRef(() => undefined as void);
  const reloadEntries = useRef(() => undefined as void);
  /** Bumped when the room says the check-ins changed (or on (re)connecting): the scheduler reads them again. */
  const [checkInsChanged, setCheckInsChanged] = useState(0);
  const live = useLiveRoom(state.kind === 'ready' ? state.pairId : null, {
    inCall: false,
    onChange: (topic) => {
      if (topic === 'checkins') {
        setCheckInsChanged((n) => n + 1);
        return;
      }
      // Entries change the notes and, for actions, the context's open actions too.
      if (topic === 'entries' || topic === 'keys') reloadEntries.current();
      reload.current();
    },
    onConnected: () => {
      reload.current();
      reloadEntries.current();
      setCheckInsChanged((n) => n + 1);
    },
  });
  const isLive = live.state.kind === 'live';
  const refresh = usePolling(load, isLive ? null : refreshMs, []);
  reload.current = refresh;
  const stream = useNotesStream(state.kind === 'ready' ? state.pairId : null, isLive ? null : refreshMs, errorMessage);
  reloadEntries.current = stream.sync;
  /** Back to the panel, or the Refresh button: the context and the notes. */
  const refreshAll = () => {
    refresh();
    stream.sync();
  };
  useOnFocus(refreshAll);
  // Idle, only on opening and on focus: with the live room up, an open panel asks the server nothing.
  const e2ee = useE2eeStatus({ enabled: state.kind === 'ready', busyMs: E2EE_BUSY_MS, idleMs: null });
  // The socket went down after being up: polling takes over at once (its loop stopped while live).
  const wasLive = useRef(false);
  useEffect(() => {
    if (wasLive.current && !isLive) {
      refresh();
      stream.sync();
    }
    wasLive.current = isLive;
  }, [isLive]);

  function choosePair(pairId: string) {
    chosenPair.current = pairId;
    writePairPref(pairId);
    setState((previous) => (previous.kind === 'ready' ? { ...previous, pairId, context: null, contextError: null } : previous));
    refresh();
  }

  let body;
  if (state.kind === 'loading') body = <Loading label={t('sidepanel_loading')} />;
  else if (state.kind === 'signed-out') body = <SignInPrompt onRecheck={refresh} />;
  else if (state.kind === 'error') body = <ErrorBox message={state.message} onRetry={refresh} />;
  else if (state.kind === 'no-pairs') {
    body = (
      <>
        <Account auth={state.auth} />
        <p class="empty">{t('sidepanel_noPairs')}</p>
      </>
    );
  } else {
    const { context } = state;
    body = (
      <>
        <Account auth={state.auth} />
        {state.pairs.length > 1 && <PairSelect pairs={state.pairs} value={state.pairId} onChange={choosePair} />}
        {context && <PartnerPresence presence={live.presence} partner={context.partner} />}
        <LiveLine state={live.state} pollEveryMs={refreshMs} />
        {state.fromCache && (
          <p class="banner" role="status">
            {t('sidepanel_offline')}
          </p>
        )}
        <EncryptionBanner status={e2ee.status} error={e2ee.error} pairId={state.pairId} />
        {!context ? (
          state.contextError ? (
            <ErrorBox message={state.contextError} onRetry={refresh} />
          ) : (
            <Loading label={t('sidepanel_loadingMentorship')} />
          )
        ) : (
          <PairView
            context={context}
            locks={state.locks}
            stream={stream}
            e2ee={e2ee.status}
            refreshMs={isLive ? null : refreshMs}
            checkInsChanged={checkInsChanged}
            timeZone={timeZone}
            now={now}
            ticked={ticked}
            feedbackDone={feedbackDone}
            onFeedbackDone={(id) => setFeedbackDone((previous) => new Set(previous).add(id))}
            onActionChanged={(entry) => {
              // The open actions and the notes show the same entry: both follow a change made in either.
              if (entry.kind === 'action') setTicked((previous) => new Map(previous).set(entry.id, entry));
              stream.applyLocal(entry);
            }}
            onChanged={refresh}
            onGoalSaved={(goal) =>
              setState((previous) =>
                previous.kind === 'ready' && previous.context
                  ? { ...previous, context: { ...previous.context, goals: previous.context.goals.map((g) => (g.id === goal.id ? goal : g)) } }
                  : previous,
              )
            }
          />
        )}
      </>
    );
  }

  return (
    <div class="sidepanel">
      <header class="page-head">
        <h1 class="brand">
          <Logo />
          {t('extName')}
        </h1>
        <div class="row-actions">
          {state.kind !== 'loading' && state.kind !== 'signed-out' && (
            <button type="button" class="small" onClick={refreshAll} aria-label={t('sidepanel_refresh')}>
              ↻
            </button>
          )}
          <button type="button" class="small" onClick={openOptionsPage}>
            {t('sidepanel_settings')}
          </button>
        </div>
      </header>
      {state.kind !== 'loading' && state.kind !== 'signed-out' && <ShowOnTab />}
      {(state.kind === 'ready' || state.kind === 'no-pairs') && <PanelSignIns onSignedOut={refresh} />}
      <main>{body}</main>
      {(state.kind === 'ready' || state.kind === 'no-pairs') && (
        // Data rights (issue 8): export, the retention setting, and deleting the account (signs out, then shows sign-in).
        <footer class="your-data-area">
          <ExportData />
          <DeleteAccount onDeleted={refresh} />
        </footer>
      )}
    </div>
  );
}

function Account({ auth }: { auth: AuthStatus }) {
  const name = <strong>{auth.user?.name ?? t('sidepanel_you')}</strong>;
  const server = <span title={auth.serverUrl}>{hostOf(auth.serverUrl)}</span>;
  return (
    <p class="account muted">
      {auth.organisation
        ? tNodes('sidepanel_accountWithOrganisation', name, auth.organisation.name, server)
        : tNodes('sidepanel_account', name, server)}
    </p>
  );
}

function PairView({
  context,
  locks,
  stream,
  e2ee,
  refreshMs,
  checkInsChanged,
  timeZone,
  now,
  ticked,
  feedbackDone,
  onFeedbackDone,
  onActionChanged,
  onChanged,
  onGoalSaved,
}: {
  context: CallContext;
  locks: Locks;
  stream: NotesStream;
  e2ee: E2eeStatus | null;
  /** How often the check-ins are re-read; null while the live room pushes changes. */
  refreshMs: number | null;
  checkInsChanged: number;
  timeZone: string;
  now: number;
  ticked: Map<string, LocalEntry>;
  feedbackDone: Set<string>;
  onFeedbackDone: (meetingId: string) => void;
  onActionChanged: (entry: LocalEntry) => void;
  onChanged: () => void;
  onGoalSaved: (goal: CallContext['goals'][number]) => void;
}) {
  const { partner, pair, lastMeeting } = context;
  const partnerFirst = firstName(partner.name);
  const pendingFeedback = context.pendingFeedback.find((m) => !feedbackDone.has(m.id));
  // Ticked actions stay listed (struck through) until the next refresh, so a mis-click can be undone.
  const actions: Entry[] = context.openActions.map((a) => ticked.get(a.id) ?? a).filter((a) => !a.deleted);
  const lastMinutes = lastMeeting ? lastMeetingMinutes(lastMeeting) : null;
  const partnerTime = formatTime(new Date(now).toISOString(), partner.timeZone);
  // Only https links on the platform's hosts become links, even if the server sent something else (defence in depth,
  // issue 8: a `javascript:` href would run in the side panel when clicked).
  const links = (Object.entries(pair.meetingLinks) as [Platform, string][]).filter(([platform, url]) => isAllowedMeetingLink(platform, url));

  return (
    <>
      {pendingFeedback && (
        <FeedbackPrompt key={pendingFeedback.id} meeting={pendingFeedback} partnerName={partnerFirst} timeZone={timeZone} onDone={onFeedbackDone} />
      )}
      <section class="card checkin" aria-labelledby="checkin-title">
        <h2 id="checkin-title" class="section-title">
          {t('sidepanel_nextCheckIn', partnerFirst)}
        </h2>
        {pair.status !== 'active' ? (
          <p>{t(PAIR_STATUS[pair.status])}</p>
        ) : (
          <CheckInScheduler key={pair.id} pairId={pair.id} me={context.me} partner={partner} cadence={pair.cadence} now={now} refreshMs={refreshMs} changed={checkInsChanged} />
        )}
        <p class="muted">
          {partner.timeZone === timeZone
            ? t('sidepanel_partnerTime', partnerTime, partnerFirst)
            : t('sidepanel_partnerTimeZone', partnerTime, partnerFirst, partner.timeZone.replace(/_/g, ' '))}
        </p>
        {links.length > 0 && (
          <p class="links">
            {links.map(([platform, url]) => (
              <a key={platform} href={url} target="_blank" rel="noopener noreferrer">
                {t('sidepanel_openPlatform', platformName(platform))}
              </a>
            ))}
          </p>
        )}
      </section>

      <section aria-labelledby="goals-title">
        <h2 id="goals-title" class="section-title">
          {t('sidepanel_goals')}
        </h2>
        <GoalList
          goals={context.goals}
          meId={context.me.id}
          myRole={context.myRole}
          partnerName={partnerFirst}
          timeZone={timeZone}
          onSaved={onGoalSaved}
          onConflict={async () => onChanged()}
          locks={locks}
        />
      </section>

      <section aria-labelledby="actions-title">
        <h2 id="actions-title" class="section-title">
          {t('sidepanel_openActions')}
        </h2>
        <ActionList actions={actions} me={context.me} partner={partner} timeZone={timeZone} onChanged={onActionChanged} locks={locks} />
      </section>

      <NotesSection
        stream={stream}
        me={context.me}
        partner={partner}
        goals={context.goals}
        locks={locks}
        encrypted={e2ee?.pairs.find((p) => p.pairId === pair.id)?.state === 'encrypted'}
        timeZone={timeZone}
        onChanged={onActionChanged}
      />

      <section aria-labelledby="last-title">
        <h2 id="last-title" class="section-title">
          {t('sidepanel_lastMeeting')}
        </h2>
        {lastMeeting ? (
          <p>
            {lastMinutes === null
              ? t('sidepanel_lastMeetingOn', formatDateTime(lastMeeting.startedAt, timeZone, now), platformName(lastMeeting.platform))
              : t('sidepanel_lastMeetingForOn', formatDateTime(lastMeeting.startedAt, timeZone, now), formatDuration(lastMinutes), platformName(lastMeeting.platform))}
          </p>
        ) : (
          <p class="empty">{t('sidepanel_noMeetings')}</p>
        )}
      </section>
    </>
  );
}

function lastMeetingMinutes(meeting: NonNullable<CallContext['lastMeeting']>): number | null {
  // A meeting the server closed after its bound ('timeout') has no known length.
  return meeting.durationMinutes ?? (meeting.endedAt && meeting.endReason !== 'timeout' ? minutesBetween(meeting.startedAt, meeting.endedAt) : null);
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function readPairPref(): string | null {
  try {
    return localStorage.getItem(PAIR_PREF_KEY);
  } catch {
    return null;
  }
}

function writePairPref(pairId: string): void {
  try {
    localStorage.setItem(PAIR_PREF_KEY, pairId);
  } catch {
    // A lost view preference only means the first pair is shown next time.
  }
}
