// "Add entry": kind, shared/private, optional goal, and for actions an owner and a due date. Enter adds.
import type { RefObject } from 'preact';
import { useState } from 'preact/hooks';
import type { EntryKind, Goal, Person } from '../../../shared/schemas/index.ts';
import { ask } from '../../lib/app-client.ts';
import type { LocalEntry } from '../../lib/app-messages.ts';
import { type MessageKey, t } from '../../lib/i18n.ts';
import { errorMessage } from '../errors.ts';
import { firstName } from '../format.ts';
import { LockIcon } from './LockIcon.tsx';

/** Each kind's name, as a message key. */
export const KIND_LABELS: Record<EntryKind, MessageKey> = {
  note: 'entryComposer_kindNote',
  action: 'entryComposer_kindAction',
  decision: 'entryComposer_kindDecision',
  question: 'entryComposer_kindQuestion',
};
const KINDS = Object.keys(KIND_LABELS) as EntryKind[];

/** The text box's name and placeholder for each kind, private or shared (whole sentences: one per kind). */
const BOX_TEXT: Record<EntryKind, Record<'labelPrivate' | 'labelShared' | 'placeholderPrivate' | 'placeholderShared', MessageKey>> = {
  note: {
    labelPrivate: 'entryComposer_newNotePrivate',
    labelShared: 'entryComposer_newNoteShared',
    placeholderPrivate: 'entryComposer_placeholderNotePrivate',
    placeholderShared: 'entryComposer_placeholderNoteShared',
  },
  action: {
    labelPrivate: 'entryComposer_newActionPrivate',
    labelShared: 'entryComposer_newActionShared',
    placeholderPrivate: 'entryComposer_placeholderActionPrivate',
    placeholderShared: 'entryComposer_placeholderActionShared',
  },
  decision: {
    labelPrivate: 'entryComposer_newDecisionPrivate',
    labelShared: 'entryComposer_newDecisionShared',
    placeholderPrivate: 'entryComposer_placeholderDecisionPrivate',
    placeholderShared: 'entryComposer_placeholderDecisionShared',
  },
  question: {
    labelPrivate: 'entryComposer_newQuestionPrivate',
    labelShared: 'entryComposer_newQuestionShared',
    placeholderPrivate: 'entryComposer_placeholderQuestionPrivate',
    placeholderShared: 'entryComposer_placeholderQuestionShared',
  },
};

export function EntryComposer({
  pairId,
  meetingId,
  me,
  partner,
  menteeId,
  goals,
  defaultDueOn,
  textareaRef,
  onAdded,
}: {
  pairId: string;
  /** The meeting in progress, when there is one. */
  meetingId: string | null;
  me: Person;
  partner: Person;
  /** Actions default to the mentee, who usually carries them out. */
  menteeId: string;
  goals: Goal[];
  /** Default due date of a new action (the next check-in), YYYY-MM-DD. */
  defaultDueOn: string | null;
  textareaRef: RefObject<HTMLTextAreaElement | null>;
  onAdded: (entry: LocalEntry) => void;
}) {
  const [kind, setKind] = useState<EntryKind>('note');
  const [isPrivate, setPrivate] = useState(false);
  const [body, setBody] = useState('');
  const [goalId, setGoalId] = useState('');
  const [ownerId, setOwnerId] = useState(menteeId === partner.id ? partner.id : me.id);
  const [dueOn, setDueOn] = useState(defaultDueOn ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const activeGoals = goals.filter((g) => g.status === 'active');

  async function add() {
    const text = body.trim();
    if (!text || busy) return;
    setBusy(true);
    setError(null);
    try {
      const { entry } = await ask('entries.add', {
        pairId,
        meetingId,
        goalId: goalId || null,
        kind,
        visibility: isPrivate ? 'private' : 'shared',
        body: text,
        actionOwnerId: kind === 'action' ? ownerId : null,
        actionDueOn: kind === 'action' && dueOn ? dueOn : null,
      });
      onAdded(entry);
      setBody('');
      setGoalId('');
      setDueOn(defaultDueOn ?? '');
    } catch (err) {
      // The text stays in the box so nothing is lost.
      setError(t('entryComposer_notAdded', errorMessage(err)));
    } finally {
      setBusy(false);
      textareaRef.current?.focus();
    }
  }

  function onKeyDown(event: KeyboardEvent) {
    // Enter adds, Shift+Enter is a new line; Ctrl/Cmd+Enter also adds. Never while an IME is composing a character.
    if (event.key !== 'Enter' || event.isComposing) return;
    if (event.shiftKey && !(event.ctrlKey || event.metaKey)) return;
    event.preventDefault();
    void add();
  }

  const partnerFirst = firstName(partner.name);
  const box = BOX_TEXT[kind];
  return (
    <form
      class={`composer${isPrivate ? ' is-private' : ''}`}
      aria-label={t('entryComposer_label')}
      onSubmit={(e) => {
        e.preventDefault();
        void add();
      }}
    >
      <fieldset class="kinds">
        <legend class="sr-only">{t('entryComposer_kindLegend')}</legend>
        {KINDS.map((k) => (
          <label key={k} class={`kind-option kind-${k}`}>
            <input type="radio" name="entry-kind" value={k} checked={kind === k} onChange={() => setKind(k)} />
            <span>{t(KIND_LABELS[k])}</span>
          </label>
        ))}
      </fieldset>
      <textarea
        ref={textareaRef}
        rows={2}
        value={body}
        maxLength={10_000}
        aria-label={isPrivate ? t(box.labelPrivate) : t(box.labelShared, partnerFirst)}
        aria-describedby="composer-hint"
        placeholder={isPrivate ? t(box.placeholderPrivate) : t(box.placeholderShared, partnerFirst)}
        onInput={(e) => setBody(e.currentTarget.value)}
        onKeyDown={onKeyDown}
      />
      {kind === 'action' && (
        <div class="composer-row">
          <label>
            <span class="field-label">{t('entryComposer_owner')}</span>
            <select value={ownerId} onChange={(e) => setOwnerId(e.currentTarget.value)}>
              <option value={me.id}>{t('entryComposer_me')}</option>
              <option value={partner.id}>{partnerFirst}</option>
            </select>
          </label>
          <label>
            <span class="field-label">{t('entryComposer_due')}</span>
            <input type="date" value={dueOn} onInput={(e) => setDueOn(e.currentTarget.value)} />
          </label>
        </div>
      )}
      <div class="composer-row">
        <label class="visibility-toggle" title={t('entryComposer_privateTitle')}>
          <input type="checkbox" checked={isPrivate} onChange={(e) => setPrivate(e.currentTarget.checked)} />
          {isPrivate ? (
            <span>
              <LockIcon /> {t('entryComposer_privateOn')}
            </span>
          ) : (
            <span>{t('entryComposer_privateOff')}</span>
          )}
        </label>
        {activeGoals.length > 0 && (
          <label class="goal-select">
            <span class="sr-only">{t('entryComposer_goalLabel')}</span>
            <select value={goalId} onChange={(e) => setGoalId(e.currentTarget.value)}>
              <option value="">{t('entryComposer_noGoal')}</option>
              {activeGoals.map((g) => (
                <option key={g.id} value={g.id}>
                  {g.title}
                </option>
              ))}
            </select>
          </label>
        )}
        <button type="submit" class="primary small" disabled={busy || body.trim() === ''}>
          {busy ? t('entryComposer_adding') : t('entryComposer_add')}
        </button>
      </div>
      <p id="composer-hint" class="hint">
        {t('entryComposer_hint')}
      </p>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
