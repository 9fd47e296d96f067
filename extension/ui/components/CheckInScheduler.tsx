/**
 * The next check-in (issue 9), in the side panel: the scheduled one on both partners' clocks with its calendar file
 * and daylight-saving warnings, the cadence's due date, proposals waiting for an answer, suggested times inside both
 * people's working hours, and any other time. This component loads the pair's check-ins and runs the actions; the
 * pieces it shows are their own components.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { CADENCE_DAYS } from '../../../shared/domain/cadence.ts';
import { proposeSlots, type SlotProposal } from '../../../shared/domain/scheduling.ts';
import { type Cadence, type CheckIn, type CheckInsResponse, DEFAULT_CHECKIN_MINUTES, type Person } from '../../../shared/schemas/index.ts';
import { ask } from '../../lib/app-client.ts';
import { type MessageKey, t, tCount } from '../../lib/i18n.ts';
import { zoneName } from '../checkin-time.ts';
import { errorMessage } from '../errors.ts';
import { firstName, formatDateTime, formatDay, formatRelativeDay, userTimeZone } from '../format.ts';
import { usePolling, useOnFocus } from '../hooks.ts';
import { CalendarDownload } from './CalendarDownload.tsx';
import { CancelCheckIn } from './CancelCheckIn.tsx';
import { CheckInProposals } from './CheckInProposals.tsx';
import { CheckInTimes } from './CheckInTimes.tsx';
import { CustomTimeForm } from './CustomTimeForm.tsx';
import { DstWarnings, dstMessages } from './DstWarnings.tsx';
import { ErrorBox, Loading } from './Loading.tsx';
import { SlotSuggestions } from './SlotSuggestions.tsx';

const CADENCE_WORDS: Record<Cadence, MessageKey> = {
  weekly: 'checkInScheduler_cadenceWeekly',
  biweekly: 'checkInScheduler_cadenceBiweekly',
  monthly: 'checkInScheduler_cadenceMonthly',
};

type Loaded = { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'ready'; checkIns: CheckInsResponse; offline: string | null };

/** Slots near the due date (or from now when none is due), in both people's working hours; never throws. */
export function suggestSlots(me: Person, partner: Person, due: string | null, now: number): SlotProposal {
  try {
    return proposeSlots({
      // No names: the no-overlap message then reads "Your working hours … and your partner's …".
      a: { timeZone: me.timeZone, ...me.workingHours },
      b: { timeZone: partner.timeZone, ...partner.workingHours },
      due: due !== null && Date.parse(due) > now ? due : new Date(now),
      durationMinutes: DEFAULT_CHECKIN_MINUTES,
      now: new Date(now),
    });
  } catch {
    return { overlap: true, slots: [] };
  }
}

export function CheckInScheduler({
  pairId,
  me,
  partner,
  cadence,
  now,
  refreshMs = 60_000,
  changed = 0,
}: {
  pairId: string;
  me: Person;
  partner: Person;
  cadence: Cadence;
  now: number;
  /** How often to re-read the check-ins (null: only on focus and after changes). */
  refreshMs?: number | null;
  /** Bumped when the pair's live room says the check-ins changed: read them again. */
  changed?: number;
}) {
  const [loaded, setLoaded] = useState<Loaded>({ kind: 'loading' });
  const [busy, setBusy] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const refresh = usePolling(
    async () => {
      try {
        const answer = await ask('checkins.get', { pairId });
        setLoaded({ kind: 'ready', checkIns: answer.checkIns, offline: answer.fromCache ? answer.error : null });
      } catch (error) {
        setLoaded((previous) => (previous.kind === 'ready' ? previous : { kind: 'error', message: errorMessage(error) }));
      }
    },
    refreshMs,
    [pairId],
  );
  useOnFocus(refresh);
  const firstChange = useRef(changed);
  useEffect(() => {
    if (changed !== firstChange.current) refresh();
  }, [changed]);

  const due = loaded.kind === 'ready' ? loaded.checkIns.due : null;
  // Recomputed when the inputs change, not on every tick of `now` (a few thousand candidate slots).
  const nowMinute = Math.floor(now / 60_000);
  const slots = useMemo(() => suggestSlots(me, partner, due, nowMinute * 60_000), [me, partner, due, nowMinute]);

  /** Runs a change; the answer is the pair's check-ins as stored. Returns whether it worked. */
  async function run(key: string, change: () => Promise<CheckInsResponse>, doneText: string): Promise<boolean> {
    setBusy(key);
    setActionError(null);
    setDone(null);
    try {
      const checkIns = await change();
      setLoaded({ kind: 'ready', checkIns, offline: null });
      setDone(doneText);
      return true;
    } catch (error) {
      setActionError(errorMessage(error));
      refresh(); // someone else may have changed it meanwhile: show what is stored
      return false;
    } finally {
      setBusy(null);
    }
  }

  const who = firstName(partner.name);
  const propose = (startsAt: string, durationMinutes: number = DEFAULT_CHECKIN_MINUTES) =>
    run(
      startsAt,
      () => ask('checkins.propose', { pairId, id: crypto.randomUUID(), startsAt, durationMinutes, organiserZone: me.timeZone }),
      t('checkInScheduler_proposed', who),
    );
  const accept = (c: CheckIn) => void run(c.id, () => ask('checkins.accept', { pairId, checkInId: c.id }), t('checkInScheduler_accepted'));
  const decline = (c: CheckIn) => void run(c.id, () => ask('checkins.decline', { pairId, checkInId: c.id }), t('checkInScheduler_declined', who));
  const withdraw = (c: CheckIn) => void run(c.id, () => ask('checkins.cancel', { pairId, checkInId: c.id }), t('checkInScheduler_withdrawn'));
  const callOff = (c: CheckIn) => void run(c.id, () => ask('checkins.cancel', { pairId, checkInId: c.id }), t('checkInScheduler_cancelled', who));

  if (loaded.kind === 'loading') return <Loading label={t('checkInScheduler_loading')} />;
  if (loaded.kind === 'error') return <ErrorBox message={t('checkInScheduler_loadFailed', loaded.message)} onRetry={refresh} />;

  const { scheduled, proposals } = loaded.checkIns;
  const overdue = due !== null && Date.parse(due) < now && !(scheduled && Date.parse(scheduled.startsAt) > now);
  const taken = new Set(proposals.filter((p) => p.status === 'proposed').map((p) => p.startsAt));
  const browserZone = userTimeZone();
  const planner = (
    <>
      <SlotSuggestions
        proposal={slots}
        me={me}
        partner={partner}
        now={now}
        taken={taken}
        busy={busy}
        disabled={loaded.offline !== null}
        onPropose={(startsAt) => void propose(startsAt)}
      />
      <CustomTimeForm me={me} partner={partner} now={now} busy={busy !== null} disabled={loaded.offline !== null} onPropose={propose} />
    </>
  );

  return (
    <div class="checkin-scheduler">
      {loaded.offline !== null && (
        <p class="banner" role="status">
          {t('checkInScheduler_offline')}
        </p>
      )}
      {scheduled ? (
        <div class="scheduled">
          <p class="subsection-title">{t('checkInScheduler_scheduled')}</p>
          <CheckInTimes startsAt={scheduled.startsAt} durationMinutes={scheduled.durationMinutes} me={me} partner={partner} now={now} />
          <DstWarnings messages={dstMessages(scheduled, me, partner, now)} />
          <div class="row-actions">
            <CalendarDownload pairId={pairId} />
            <CancelCheckIn
              when={formatDateTime(scheduled.startsAt, me.timeZone, now)}
              partnerName={who}
              busy={busy !== null}
              onConfirm={() => callOff(scheduled)}
            />
          </div>
        </div>
      ) : (
        <p class="not-scheduled">{t('checkInScheduler_notScheduled')}</p>
      )}
      {due !== null && (
        <p class={`muted due${overdue ? ' overdue' : ''}`}>
          {tCount(
            overdue ? 'checkInScheduler_overdue' : 'checkInScheduler_due',
            CADENCE_DAYS[cadence],
            formatRelativeDay(due, me.timeZone, now),
            formatDay(due, me.timeZone, now),
            t(CADENCE_WORDS[cadence]),
          )}
        </p>
      )}
      {browserZone !== me.timeZone && (
        <p class="hint">
          {t('checkInScheduler_zoneHint', zoneName(me.timeZone), zoneName(browserZone))}
        </p>
      )}
      <CheckInProposals
        proposals={proposals}
        me={me}
        partner={partner}
        now={now}
        busy={busy}
        onAccept={accept}
        onDecline={decline}
        onWithdraw={withdraw}
      />
      {scheduled ? (
        <details class="replan">
          <summary>{t('checkInScheduler_replan')}</summary>
          {planner}
        </details>
      ) : (
        planner
      )}
      <p class="state-line muted" role="status" aria-live="polite">
        {busy === null && done}
      </p>
      {actionError && <p role="alert">{t('checkInScheduler_notSaved', actionError)}</p>}
    </div>
  );
}
