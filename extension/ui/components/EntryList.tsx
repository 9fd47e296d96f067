// The notes stream: who wrote what, its kind, privacy, time and sync state; actions tick off; authors edit and delete.
// An entry this device cannot decrypt (issue 10) shows why instead of its text, and only its author may delete it.
import { Component, Fragment } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Goal, Person } from '../../../shared/schemas/index.ts';
import { ask } from '../../lib/app-client.ts';
import type { LocalEntry } from '../../lib/app-messages.ts';
import { t } from '../../lib/i18n.ts';
import { errorMessage } from '../errors.ts';
import { dayKey, firstName, formatDateTime, formatDayHeading, formatIsoDate, formatTime } from '../format.ts';
import { KIND_LABELS } from './EntryComposer.tsx';
import { LockedText, type Locks, NO_LOCKS } from './LockedText.tsx';
import { LockIcon } from './LockIcon.tsx';
import { SyncBadge } from './SyncBadge.tsx';

export interface EntryHandlers {
  /** The background accepted a change to an entry (its new local copy). */
  onChanged: (entry: LocalEntry) => void;
  onDeleted: (id: string) => void;
  /** Retry the failed operations of the pair's outbox. */
  onRetry: () => void;
}

export function EntryList({
  entries,
  me,
  partner,
  goals,
  timeZone,
  handlers,
  locks = NO_LOCKS,
  emptyText = t('entryList_empty'),
}: {
  entries: LocalEntry[];
  me: Person;
  partner: Person;
  goals: Goal[];
  timeZone: string;
  handlers: EntryHandlers;
  /** Goals this device cannot read: an entry linked to one says so rather than show an empty title. */
  locks?: Locks;
  /** Shown when there is nothing to list (a search that found nothing says so). */
  emptyText?: string;
}) {
  const listRef = useRef<HTMLOListElement>(null);
  const stickToBottom = useRef(true);
  // The same handlers object on every render, calling the latest ones, so that an entry that did not change need not
  // render again (StillEntry) and never calls a handler from an earlier render.
  const latest = useRef(handlers);
  latest.current = handlers;
  const stableHandlers = useMemo<EntryHandlers>(
    () => ({
      onChanged: (entry) => latest.current.onChanged(entry),
      onDeleted: (id) => latest.current.onDeleted(id),
      onRetry: () => latest.current.onRetry(),
    }),
    [],
  );
  const visible = entries.filter((e) => !e.deleted).sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.seq - b.seq);
  const lastId = visible.at(-1)?.id;

  // Newest at the bottom, like a chat: follow new entries unless the user scrolled up to read older ones.
  useEffect(() => {
    const list = listRef.current;
    if (list && stickToBottom.current) list.scrollTop = list.scrollHeight;
  }, [lastId, visible.length]);

  if (visible.length === 0) {
    return <p class="empty stream-empty">{emptyText}</p>;
  }
  // null: the goal exists but this device cannot read its title.
  const goalTitles = new Map(goals.map((g) => [g.id, locks.ids.has(g.id) ? null : g.title]));
  let previousDay = '';
  return (
    <ol
      ref={listRef}
      class="stream"
      aria-label={t('entryList_label')}
      onScroll={(e) => {
        const list = e.currentTarget;
        stickToBottom.current = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
      }}
    >
      {visible.map((entry) => {
        const day = dayKey(entry.createdAt, timeZone);
        const heading = day !== previousDay ? formatDayHeading(entry.createdAt, timeZone) : null;
        previousDay = day;
        return (
          <Fragment key={entry.id}>
            {heading && (
              <li key={`day-${day}`} class="day-heading" role="presentation">
                {heading}
              </li>
            )}
            <StillEntry
              entry={entry}
              me={me}
              partner={partner}
              goalTitle={entry.goalId ? goalTitles.get(entry.goalId) : undefined}
              timeZone={timeZone}
              handlers={stableHandlers}
            />
          </Fragment>
        );
      })}
    </ol>
  );
}

type EntryItemProps = Parameters<typeof EntryItem>[0];

/** Whether two entries read the same: every field of a local entry is a string, a number, a boolean or null. */
function sameEntry(a: LocalEntry, b: LocalEntry): boolean {
  if (a === b) return true;
  const keys = Object.keys(a) as (keyof LocalEntry)[];
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

/**
 * An entry that renders again only when something it shows changed. Each poll, push or new note gives the stream new
 * entry objects, and rendering all of them again took the overlay past 50 ms per note once a call had a few hundred
 * (a CPU profile of the overlay with 300 entries: most of the time in the list's diff and date formatting). A class
 * with shouldComponentUpdate does it with preact alone (memo needs preact/compat).
 */
class StillEntry extends Component<EntryItemProps> {
  override shouldComponentUpdate(next: EntryItemProps): boolean {
    const p = this.props;
    return !(
      sameEntry(p.entry, next.entry) &&
      p.me === next.me &&
      p.partner === next.partner &&
      p.goalTitle === next.goalTitle &&
      p.timeZone === next.timeZone &&
      p.handlers === next.handlers
    );
  }
  override render() {
    return <EntryItem {...this.props} />;
  }
}

export function EntryItem({
  entry,
  me,
  partner,
  goalTitle,
  timeZone,
  handlers,
}: {
  entry: LocalEntry;
  me: Person;
  partner: Person;
  /** The linked goal's title; null when this device cannot read it. */
  goalTitle: string | null | undefined;
  timeZone: string;
  handlers: EntryHandlers;
}) {
  const mine = entry.authorId === me.id;
  // Its text cannot be opened here: nothing to edit or re-share (sharing re-encrypts the text for the pair).
  const locked = entry.locked !== undefined;
  const [mode, setMode] = useState<'view' | 'edit' | 'confirm-delete'>('view');
  const [draft, setDraft] = useState(entry.body);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const author = mine ? t('entryList_you') : firstName(partner.name);
  const ownerName = entry.actionOwnerId === me.id ? t('entryList_ownerYou') : entry.actionOwnerId === partner.id ? firstName(partner.name) : null;

  async function run(action: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  const update = (patch: { body?: string; actionDone?: boolean; visibility?: 'shared' }) =>
    run(async () => {
      const { entry: updated } = await ask('entries.update', { id: entry.id, ...patch });
      handlers.onChanged(updated);
      setMode('view');
    });

  const remove = () =>
    run(async () => {
      await ask('entries.delete', { id: entry.id });
      handlers.onDeleted(entry.id);
    });

  return (
    <li
      class={`entry entry-${entry.kind}${mine ? ' mine' : ''}${entry.visibility === 'private' ? ' private' : ''}${locked ? ' locked' : ''}`}
      data-entry-id={entry.id}
      data-sync={entry.sync}
    >
      <div class="entry-head">
        <span class="entry-author">{author}</span>
        <span class={`badge kind-${entry.kind}`}>{t(KIND_LABELS[entry.kind])}</span>
        {entry.visibility === 'private' && (
          <span class="badge badge-private" title={t('entryList_privateTitle')}>
            <LockIcon /> {t('entryList_privateBadge')}
          </span>
        )}
        <time class="entry-time" dateTime={entry.createdAt} title={formatDateTime(entry.createdAt, timeZone)}>
          {formatTime(entry.createdAt, timeZone)}
        </time>
        <SyncBadge entry={entry} onRetry={handlers.onRetry} />
      </div>
      {entry.locked !== undefined ? (
        <LockedText as="p" class="entry-body" reason={entry.locked} />
      ) : mode === 'edit' ? (
        <form
          class="entry-edit"
          onSubmit={(e) => {
            e.preventDefault();
            if (draft.trim()) void update({ body: draft.trim() });
          }}
        >
          <textarea
            rows={3}
            value={draft}
            maxLength={10_000}
            aria-label={t('entryList_editLabel')}
            onInput={(e) => setDraft(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Escape') setMode('view');
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && draft.trim()) {
                e.preventDefault();
                void update({ body: draft.trim() });
              }
            }}
          />
          <div class="row-actions">
            <button type="submit" class="small primary" disabled={busy || !draft.trim() || draft.trim() === entry.body}>
              {busy ? t('entryList_saving') : t('entryList_save')}
            </button>
            <button type="button" class="small" onClick={() => setMode('view')}>
              {t('entryList_cancel')}
            </button>
          </div>
        </form>
      ) : (
        <p class={`entry-body${entry.actionDoneAt ? ' done' : ''}`}>{entry.body}</p>
      )}
      {(entry.kind === 'action' || goalTitle !== undefined) && (
        <div class="entry-meta">
          {entry.kind === 'action' && (
            <label class="action-done">
              <input
                type="checkbox"
                checked={entry.actionDoneAt !== null}
                disabled={busy}
                onChange={(e) => void update({ actionDone: e.currentTarget.checked })}
              />
              <span>
                {entry.actionDoneAt ? t('entryList_done') : t('entryList_toDo')}
                {ownerName && ` · ${ownerName}`}
                {entry.actionDueOn && ` · ${t('entryList_due', formatIsoDate(entry.actionDueOn))}`}
              </span>
            </label>
          )}
          {goalTitle !== undefined && (
            <span class="entry-goal">
              ↳ {goalTitle === null ? <LockedText reason={t('entryList_goalLocked')} /> : goalTitle}
            </span>
          )}
        </div>
      )}
      {entry.sync === 'failed' && entry.error && <p class="error small-text">{entry.error}</p>}
      {mine && mode === 'view' && (
        <div class="row-actions entry-actions">
          {!locked && (
            <button
              type="button"
              class="link"
              aria-label={t('entryList_editThis')}
              onClick={() => {
                setDraft(entry.body);
                setMode('edit');
              }}
            >
              {t('entryList_edit')}
            </button>
          )}
          {entry.visibility === 'private' && !locked && (
            <button type="button" class="link" aria-label={t('entryList_shareLabel')} disabled={busy} onClick={() => void update({ visibility: 'shared' })}>
              {t('entryList_share', firstName(partner.name))}
            </button>
          )}
          <button type="button" class="link danger" aria-label={t('entryList_deleteLabel')} onClick={() => setMode('confirm-delete')}>
            {t('entryList_delete')}
          </button>
        </div>
      )}
      {mode === 'confirm-delete' && (
        <div class="row-actions confirm" role="group" aria-label={t('entryList_confirmLabel')}>
          <span>{t('entryList_confirmQuestion')}</span>
          <button type="button" class="small danger" disabled={busy} onClick={() => void remove()}>
            {busy ? t('entryList_deleting') : t('entryList_delete')}
          </button>
          <button type="button" class="small" onClick={() => setMode('view')}>
            {t('entryList_keep')}
          </button>
        </div>
      )}
      {error && (
        <p class="error small-text" role="alert">
          {error}
        </p>
      )}
    </li>
  );
}
