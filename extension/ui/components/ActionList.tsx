// Open action items: who owns each, when it is due, and a checkbox to tick it off.
import { useState } from 'preact/hooks';
import type { Entry, Person } from '../../../shared/schemas/index.ts';
import { ask } from '../../lib/app-client.ts';
import type { LocalEntry } from '../../lib/app-messages.ts';
import { errorMessage } from '../errors.ts';
import { firstName, formatIsoDate, todayIn } from '../format.ts';

export function ActionList({
  actions,
  me,
  partner,
  timeZone,
  onChanged,
}: {
  /** Actions to list; ticked ones stay (struck through) until the caller drops them. */
  actions: Entry[];
  me: Person;
  partner: Person;
  timeZone: string;
  onChanged: (entry: LocalEntry) => void;
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
      setError(`Not changed: ${errorMessage(err)}`);
    } finally {
      setBusyId(null);
    }
  }

  if (actions.length === 0) return <p class="empty">No open actions — nice.</p>;
  const sorted = [...actions].sort((a, b) => (a.actionDueOn ?? '9999').localeCompare(b.actionDueOn ?? '9999'));
  return (
    <>
      <ul class="checklist actions" aria-label="Open actions">
        {sorted.map((action) => {
          const owner = action.actionOwnerId === me.id ? 'You' : action.actionOwnerId === partner.id ? firstName(partner.name) : null;
          const overdue = action.actionDoneAt === null && action.actionDueOn !== null && action.actionDueOn < today;
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
                  {action.body}
                  <span class="checklist-meta">
                    {owner && <span>{owner}</span>}
                    {action.actionDueOn && (
                      <span class={overdue ? 'overdue' : undefined}>
                        {overdue ? 'overdue · ' : 'due '}
                        {formatIsoDate(action.actionDueOn)}
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
