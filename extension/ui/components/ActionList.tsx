// Open action items: who owns each, when it is due, and a checkbox to tick it off. An action this device cannot
// decrypt (issue 10) shows why instead of its text; ticking it off stays possible, as done-or-not is plain metadata.
import { useState } from 'preact/hooks';
import type { Entry, Person } from '../../../shared/schemas/index.ts';
import { ask } from '../../lib/app-client.ts';
import { t } from '../../lib/i18n.ts';
import type { LocalEntry } from '../../lib/app-messages.ts';
import { errorMessage } from '../errors.ts';
import { firstName, formatIsoDate, todayIn } from '../format.ts';
import { LockedText, type Locks, NO_LOCKS } from './LockedText.tsx';

export function ActionList({
  actions,
  me,
  partner,
  timeZone,
  onChanged,
  locks = NO_LOCKS,
}: {
  /** Actions to list; ticked ones stay (struck through) until the caller drops them. */
  actions: (Entry & Pick<LocalEntry, 'locked'>)[];
  me: Person;
  partner: Person;
  timeZone: string;
  onChanged: (entry: LocalEntry) => void;
  /** Ids from `context.get` whose text this device cannot read (the notes stream marks its own entries). */
  locks?: Locks;
}) {
  const [busyId, setBusyId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const today = todayIn(timeZone);

  async function tick(action: Entry, done: boolean) {
    setBusyId(action.id);
    setError(null);
    try {
      const { entry } = await ask('entries.update', { id: action.id, actionDone: done });
      onChanged(entry);
    } catch (err) {
      setError(t('actionList_notChanged', errorMessage(err)));
    } finally {
      setBusyId(null);
    }
  }

  if (actions.length === 0) return <p class="empty">{t('actionList_empty')}</p>;
  const sorted = [...actions].sort((a, b) => (a.actionDueOn ?? '9999').localeCompare(b.actionDueOn ?? '9999'));
  return (
    <>
      <ul class="checklist actions" aria-label={t('actionList_label')}>
        {sorted.map((action) => {
          const owner = action.actionOwnerId === me.id ? t('actionList_you') : action.actionOwnerId === partner.id ? firstName(partner.name) : null;
          const overdue = action.actionDoneAt === null && action.actionDueOn !== null && action.actionDueOn < today;
          const lockedReason = action.locked ?? (locks.ids.has(action.id) ? locks.reason : undefined);
          return (
            <li key={action.id} class={action.actionDoneAt ? 'done' : undefined}>
              <label>
                <input
                  type="checkbox"
                  checked={action.actionDoneAt !== null}
                  disabled={busyId === action.id}
                  onChange={(e) => void tick(action, e.currentTarget.checked)}
                />
                <span class="checklist-text">
                  {lockedReason !== undefined ? <LockedText reason={lockedReason} /> : action.body}
                  <span class="checklist-meta">
                    {owner && <span>{owner}</span>}
                    {action.actionDueOn && (
                      <span class={overdue ? 'overdue' : undefined}>
                        {t(overdue ? 'actionList_overdue' : 'actionList_due', formatIsoDate(action.actionDueOn))}
                      </span>
                    )}
                  </span>
                </span>
              </label>
            </li>
          );
        })}
      </ul>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </>
  );
}
