// The agenda for this meeting: add an item, tick items off. An item this device cannot decrypt (issue 10) shows why
// instead of its text.
import { useState } from 'preact/hooks';
import type { AgendaItem } from '../../../shared/schemas/index.ts';
import { ask } from '../../lib/app-client.ts';
import { t } from '../../lib/i18n.ts';
import { errorMessage, isConflict } from '../errors.ts';
import { LockedText, type Locks, NO_LOCKS } from './LockedText.tsx';

export function AgendaList({
  pairId,
  items,
  onChanged,
  onConflict,
  locks = NO_LOCKS,
}: {
  pairId: string;
  items: AgendaItem[];
  /** An item was added or changed (the new server copy). */
  onChanged: (item: AgendaItem) => void;
  onConflict: () => Promise<void>;
  /** Items whose text this device cannot read (from `context.get`). */
  locks?: Locks;
}) {
  const [draft, setDraft] = useState('');
  const [adding, setAdding] = useState(false);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);

  const sorted = [...items].sort((a, b) => Number(a.doneAt !== null) - Number(b.doneAt !== null) || a.position - b.position);

  async function add(event: Event) {
    event.preventDefault();
    const body = draft.trim();
    if (!body || adding) return;
    setAdding(true);
    setMessage(null);
    try {
      const { item } = await ask('agenda.add', { pairId, body });
      onChanged(item);
      setDraft('');
    } catch (error) {
      setMessage({ text: t('agendaList_notAdded', errorMessage(error)), error: true });
    } finally {
      setAdding(false);
    }
  }

  async function toggle(item: AgendaItem, done: boolean) {
    setBusyId(item.id);
    setMessage(null);
    try {
      const { item: updated } = await ask('agenda.toggle', { id: item.id, version: item.version, done });
      onChanged(updated);
    } catch (error) {
      if (isConflict(error)) {
        await onConflict().catch(() => undefined);
        setMessage({ text: t('agendaList_conflict'), error: false });
      } else {
        setMessage({ text: errorMessage(error), error: true });
      }
    } finally {
      setBusyId(null);
    }
  }

  return (
    <div class="agenda">
      {sorted.length === 0 ? (
        <p class="empty">{t('agendaList_empty')}</p>
      ) : (
        <ul class="checklist" aria-label={t('agendaList_label')}>
          {sorted.map((item) => (
            <li key={item.id} class={item.doneAt ? 'done' : undefined}>
              <label>
                <input
                  type="checkbox"
                  checked={item.doneAt !== null}
                  disabled={busyId === item.id}
                  onChange={(e) => void toggle(item, e.currentTarget.checked)}
                />
                <span class="checklist-text">{locks.ids.has(item.id) ? <LockedText reason={locks.reason} /> : item.body}</span>
              </label>
            </li>
          ))}
        </ul>
      )}
      <form class="inline-form" onSubmit={add}>
        <input
          type="text"
          value={draft}
          maxLength={1000}
          placeholder={t('agendaList_placeholder')}
          aria-label={t('agendaList_newItem')}
          onInput={(e) => setDraft(e.currentTarget.value)}
        />
        <button type="submit" class="small" disabled={adding || draft.trim() === ''}>
          {adding ? t('agendaList_adding') : t('agendaList_add')}
        </button>
      </form>
      <p class={message?.error ? 'error' : 'muted'} role="status" aria-live="polite">
        {message?.text ?? ''}
      </p>
    </div>
  );
}
