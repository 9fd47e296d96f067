/**
 * The overlay's body once the pair is known: the tabs (notes, goals, agenda, actions) with the notes stream, its
 * search and composer. End-to-end encryption (issue 10) shows here as a banner (device waiting for approval, notes
 * locked or being encrypted), the "End-to-end encrypted" mark, and text this device cannot read shown as locked.
 */
import type { ComponentChildren, RefObject } from 'preact';
import { useState } from 'preact/hooks';
import type { AgendaItem, CallContext, Goal } from '../../../shared/schemas/index.ts';
import type { CallInfo, LocalEntry, SyncStatus } from '../../lib/app-messages.ts';
import type { E2eeStatus } from '../../lib/e2ee-messages.ts';
import { type MessageKey, t } from '../../lib/i18n.ts';
import { ActionList } from '../components/ActionList.tsx';
import { AgendaList } from '../components/AgendaList.tsx';
import { EncryptedHint, EncryptionBanner } from '../components/EncryptionBanner.tsx';
import { EntryComposer } from '../components/EntryComposer.tsx';
import { type EntryHandlers, EntryList } from '../components/EntryList.tsx';
import { GoalList } from '../components/GoalCard.tsx';
import type { Locks } from '../components/LockedText.tsx';
import { NoteSearch, noMatchText } from '../components/NoteSearch.tsx';
import { SyncStatusLine } from '../components/SyncBadge.tsx';
import { openActions, searchEntries } from '../entries.ts';
import { dayKey, firstName } from '../format.ts';

export type Tab = 'notes' | 'goals' | 'agenda' | 'actions';
export const TABS: { id: Tab; label: MessageKey }[] = [
  { id: 'notes', label: 'callBody_tabNotes' },
  { id: 'goals', label: 'callBody_tabGoals' },
  { id: 'agenda', label: 'callBody_tabAgenda' },
  { id: 'actions', label: 'callBody_tabActions' },
];

export function CallBody({
  context,
  fromCache,
  locks,
  e2ee,
  info,
  timeZone,
  now,
  tab,
  setTab,
  tabRefs,
  entries,
  ticked,
  status,
  syncError,
  handlers,
  composerRef,
  onAdded,
  onGoalSaved,
  onAgendaChanged,
  onConflict,
  liveLine,
  feedback,
}: {
  context: CallContext;
  fromCache: boolean;
  /** What of the context this device cannot decrypt, and why. */
  locks: Locks;
  /** This device's encryption, as `e2ee.status` last said (null until it answers). */
  e2ee: { status: E2eeStatus | null; error: string | null };
  info: CallInfo;
  timeZone: string;
  now: number;
  tab: Tab;
  setTab: (tab: Tab) => void;
  tabRefs: Map<Tab, HTMLButtonElement>;
  entries: LocalEntry[];
  ticked: Set<string>;
  status: SyncStatus | null;
  syncError: string | null;
  handlers: EntryHandlers;
  composerRef: RefObject<HTMLTextAreaElement | null>;
  onAdded: (entry: LocalEntry) => void;
  onGoalSaved: (goal: Goal) => void;
  onAgendaChanged: (item: AgendaItem) => void;
  onConflict: () => Promise<void>;
  /** Whether changes are pushed (the live room) or polled, under the sync status. */
  liveLine: ComponentChildren;
  feedback: ComponentChildren;
}) {
  const { me, partner, pair, goals, agenda } = context;
  const [query, setQuery] = useState('');
  const actions = openActions(context.openActions, entries, ticked);
  const total = entries.filter((e) => !e.deleted).length;
  const shownEntries = searchEntries(entries, query);
  const encrypted = e2ee.status?.pairs.find((p) => p.pairId === pair.id)?.state === 'encrypted';
  const openAgenda = agenda.filter((a) => a.doneAt === null).length;
  const counts: Record<Tab, number | null> = {
    notes: null,
    goals: goals.filter((g) => g.status === 'active').length,
    agenda: openAgenda,
    actions: actions.filter((a) => a.actionDoneAt === null).length,
  };
  const nextDue = context.nextCheckInDue && Date.parse(context.nextCheckInDue) > now ? dayKey(context.nextCheckInDue, timeZone) : null;

  function onTabKey(event: KeyboardEvent) {
    // Arrow keys move between tabs (WAI-ARIA tabs pattern); Tab moves into the panel.
    const index = TABS.findIndex((item) => item.id === tab);
    let next = index;
    if (event.key === 'ArrowRight') next = (index + 1) % TABS.length;
    else if (event.key === 'ArrowLeft') next = (index - 1 + TABS.length) % TABS.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = TABS.length - 1;
    else return;
    event.preventDefault();
    const target = TABS[next];
    if (!target) return;
    setTab(target.id);
    tabRefs.get(target.id)?.focus();
  }

  return (
    <>
      {fromCache && (
        <p class="banner" role="status">
          {t('callBody_offline')}
        </p>
      )}
      <EncryptionBanner status={e2ee.status} error={e2ee.error} pairId={pair.id} />
      {feedback}
      <div class="tabs" role="tablist" aria-label={t('callBody_sections')} onKeyDown={onTabKey}>
        {TABS.map((item) => (
          <button
            key={item.id}
            ref={(el) => {
              if (el) tabRefs.set(item.id, el);
            }}
            type="button"
            role="tab"
            id={`tab-${item.id}`}
            aria-selected={tab === item.id}
            aria-controls={`panel-${item.id}`}
            tabIndex={tab === item.id ? 0 : -1}
            class="tab"
            onClick={() => setTab(item.id)}
          >
            {t(item.label)}
            {counts[item.id] ? <span class="count">{counts[item.id]}</span> : null}
          </button>
        ))}
      </div>
      <section id="panel-notes" role="tabpanel" aria-labelledby="tab-notes" class="panel panel-notes" hidden={tab !== 'notes'}>
        {(total > 0 || query !== '' || encrypted) && (
          <div class="notes-tools">
            {(total > 0 || query !== '') && <NoteSearch query={query} onQuery={setQuery} shown={shownEntries.length} total={total} />}
            {encrypted && <EncryptedHint partnerName={firstName(partner.name)} />}
          </div>
        )}
        <EntryList
          entries={shownEntries}
          me={me}
          partner={partner}
          goals={goals}
          timeZone={timeZone}
          handlers={handlers}
          locks={locks}
          emptyText={query.trim() ? noMatchText(query) : undefined}
        />
        <SyncStatusLine status={status} error={syncError} timeZone={timeZone} onRetry={handlers.onRetry} />
        {liveLine}
        <EntryComposer
          pairId={pair.id}
          meetingId={info.meetingId}
          me={me}
          partner={partner}
          menteeId={pair.menteeId}
          goals={goals}
          defaultDueOn={nextDue}
          textareaRef={composerRef}
          onAdded={(entry) => {
            // A new note must not vanish behind a search it does not match.
            setQuery('');
            onAdded(entry);
          }}
        />
      </section>
      <section id="panel-goals" role="tabpanel" aria-labelledby="tab-goals" class="panel" hidden={tab !== 'goals'}>
        <GoalList
          goals={goals}
          meId={me.id}
          myRole={context.myRole}
          partnerName={firstName(partner.name)}
          timeZone={timeZone}
          onSaved={onGoalSaved}
          onConflict={onConflict}
          locks={locks}
        />
      </section>
      <section id="panel-agenda" role="tabpanel" aria-labelledby="tab-agenda" class="panel" hidden={tab !== 'agenda'}>
        <AgendaList pairId={pair.id} items={agenda} onChanged={onAgendaChanged} onConflict={onConflict} locks={locks} />
      </section>
      <section id="panel-actions" role="tabpanel" aria-labelledby="tab-actions" class="panel" hidden={tab !== 'actions'}>
        <ActionList actions={actions} me={me} partner={partner} timeZone={timeZone} onChanged={handlers.onChanged} locks={locks} />
      </section>
    </>
  );
}
