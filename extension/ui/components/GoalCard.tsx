// A goal card: title, progress bar, due date, next milestone; progress editable in place by whoever may change it.
// With end-to-end encryption (issue 10) the card also says whether the programme sees the goal's title, and the mentee
// who owns the goal can change that; text this device cannot decrypt shows why instead.
import { useEffect, useId, useState } from 'preact/hooks';
import type { Goal, Milestone } from '../../../shared/schemas/index.ts';
import { ask } from '../../lib/app-client.ts';
import { type MessageKey, t } from '../../lib/i18n.ts';
import { errorMessage, isConflict } from '../errors.ts';
import { formatIsoDate, todayIn } from '../format.ts';
import { LockedText, type Locks, NO_LOCKS } from './LockedText.tsx';

/** The first milestone not done yet, earliest due first (undated ones last). */
export function nextMilestone(goal: Goal): Milestone | undefined {
  return goal.milestones
    .filter((m) => m.doneAt === null)
    .sort((a, b) => (a.dueOn ?? '9999-12-31').localeCompare(b.dueOn ?? '9999-12-31'))[0];
}

const STATUS_LABELS: Record<Goal['status'], MessageKey> = {
  active: 'goalCard_statusActive',
  completed: 'goalCard_statusCompleted',
  paused: 'goalCard_statusPaused',
  dropped: 'goalCard_statusDropped',
};

type SaveState = { kind: 'idle' } | { kind: 'saving' } | { kind: 'saved' } | { kind: 'error'; message: string };

/** Whether the mentee showed the goal's title to the programme: then the server keeps a plain copy of the title only. */
export function visibleToProgramme(goal: Goal): boolean {
  // Loose on purpose: a cached goal from before the field existed has none, and is private to the pair.
  return goal.programmeTitle != null;
}

export function GoalCard({
  goal,
  canEdit,
  canChangeVisibility = false,
  ownerLabel,
  timeZone,
  onSaved,
  onConflict,
  locks = NO_LOCKS,
}: {
  goal: Goal;
  /** The mentor, or the mentee on a goal they own. */
  canEdit: boolean;
  /** The mentee on a goal they own: only they decide whether the programme sees its title. */
  canChangeVisibility?: boolean;
  /** "Your goal", "Priya's goal". */
  ownerLabel: string;
  timeZone: string;
  onSaved: (goal: Goal) => void;
  /** Someone changed the goal meanwhile: reload the context. */
  onConflict: () => Promise<void>;
  /** Goals and milestones whose text this device cannot read (from `context.get`). */
  locks?: Locks;
}) {
  const [draft, setDraft] = useState(goal.progress);
  const [save, setSave] = useState<SaveState>({ kind: 'idle' });
  const titleId = `goal-${goal.id}-title`;
  const titleLocked = locks.ids.has(goal.id);
  /** The goal's name where a control needs one in words. */
  const name = titleLocked ? t('goalCard_thisGoal') : goal.title;
  const milestone = nextMilestone(goal);
  const doneMilestones = goal.milestones.filter((m) => m.doneAt !== null).length;
  const overdue = goal.dueOn !== null && goal.status === 'active' && goal.dueOn < todayIn(timeZone);

  // A newer version arrived (a save, a reload, the partner's change): show it; a draft of the old one would be refused.
  useEffect(() => setDraft(goal.progress), [goal.version, goal.progress]);

  async function submit(event: Event) {
    event.preventDefault();
    if (draft === goal.progress || save.kind === 'saving') return;
    setSave({ kind: 'saving' });
    try {
      const { goal: updated } = await ask('goals.progress', { goalId: goal.id, version: goal.version, progress: draft });
      onSaved(updated);
      setSave({ kind: 'saved' });
    } catch (error) {
      if (isConflict(error)) {
        await onConflict().catch(() => undefined);
        setSave({ kind: 'error', message: t('goalCard_conflict') });
      } else {
        setSave({ kind: 'error', message: t('goalCard_notSaved', errorMessage(error)) });
      }
    }
  }

  const changed = draft !== goal.progress;
  return (
    <article class={`card goal goal-${goal.status}`} aria-labelledby={titleId}>
      <header class="goal-head">
        <h3 id={titleId} class="goal-title">
          {titleLocked ? <LockedText reason={locks.reason} /> : goal.title}
        </h3>
        {goal.status !== 'active' && <span class={`chip chip-${goal.status}`}>{t(STATUS_LABELS[goal.status])}</span>}
      </header>
      <div class="progress-row">
        <div
          class="progress"
          role="progressbar"
          aria-label={t('goalCard_progressOf', name)}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={goal.progress}
        >
          <div class="progress-fill" style={{ width: `${goal.progress}%` }} />
        </div>
        <span class="progress-value">{goal.progress}%</span>
      </div>
      <dl class="goal-meta">
        <div>
          <dt>{t('goalCard_owner')}</dt>
          <dd>{ownerLabel}</dd>
        </div>
        <div>
          <dt>{t('goalCard_due')}</dt>
          <dd class={overdue ? 'overdue' : undefined}>
            {goal.dueOn ? formatIsoDate(goal.dueOn) : t('goalCard_noDueDate')}
            {overdue && ` ${t('goalCard_overdue')}`}
          </dd>
        </div>
        {goal.milestones.length > 0 && (
          <div class="goal-milestone">
            <dt>{t('goalCard_nextMilestone')}</dt>
            <dd>
              {milestone ? (
                <>
                  {locks.ids.has(milestone.id) ? <LockedText reason={locks.reason} /> : milestone.title}
                  {milestone.dueOn && <span class="muted"> · {formatIsoDate(milestone.dueOn)}</span>}
                </>
              ) : (
                t('goalCard_allDone')
              )}
              <span class="muted">
                {' '}
                ({doneMilestones}/{goal.milestones.length})
              </span>
            </dd>
          </div>
        )}
      </dl>
      {canEdit && (
        <form class="progress-edit" onSubmit={submit}>
          <input
            type="range"
            min={0}
            max={100}
            step={5}
            value={draft}
            aria-label={t('goalCard_newProgress', name)}
            onInput={(e) => {
              setDraft(Number(e.currentTarget.value));
              setSave({ kind: 'idle' });
            }}
          />
          <input
            type="number"
            class="progress-number"
            min={0}
            max={100}
            step={1}
            value={draft}
            aria-label={t('goalCard_newProgressPercent', name)}
            onInput={(e) => {
              const value = Math.round(Number(e.currentTarget.value));
              if (Number.isFinite(value)) setDraft(Math.min(100, Math.max(0, value)));
              setSave({ kind: 'idle' });
            }}
          />
          <button type="submit" class="small" disabled={!changed || save.kind === 'saving'}>
            {save.kind === 'saving' ? t('goalCard_saving') : t('goalCard_save')}
          </button>
        </form>
      )}
      <p class={`save-state ${save.kind === 'error' ? 'error' : 'muted'}`} role="status" aria-live="polite">
        {save.kind === 'saved' && !changed ? t('goalCard_saved') : save.kind === 'error' ? save.message : ''}
      </p>
      {/* Publishing the title means decrypting it here: not possible while it is locked on this device. */}
      <ProgrammeVisibility goal={goal} canChange={canChangeVisibility && !titleLocked} onSaved={onSaved} onConflict={onConflict} />
    </article>
  );
}

/** The pair's goals, active first; an empty state that says what to do. */
export function GoalList({
  goals,
  meId,
  myRole,
  partnerName,
  timeZone,
  onSaved,
  onConflict,
  locks = NO_LOCKS,
}: {
  goals: Goal[];
  meId: string;
  myRole: 'mentor' | 'mentee';
  partnerName: string;
  timeZone: string;
  onSaved: (goal: Goal) => void;
  onConflict: () => Promise<void>;
  locks?: Locks;
}) {
  if (goals.length === 0) {
    return (
      <p class="empty">{myRole === 'mentor' ? t('goalCard_emptyForMentor') : t('goalCard_emptyForMentee')}</p>
    );
  }
  const order: Record<Goal['status'], number> = { active: 0, paused: 1, completed: 2, dropped: 3 };
  const sorted = [...goals].sort((a, b) => order[a.status] - order[b.status] || (a.dueOn ?? '9999').localeCompare(b.dueOn ?? '9999'));
  return (
    <div class="goal-list">
      {sorted.map((goal) => (
        <GoalCard
          key={goal.id}
          goal={goal}
          canEdit={myRole === 'mentor' || goal.ownerId === meId}
          canChangeVisibility={myRole === 'mentee' && goal.ownerId === meId}
          locks={locks}
          ownerLabel={goal.ownerId === meId ? t('goalCard_ownerYou') : partnerName}
          timeZone={timeZone}
          onSaved={onSaved}
          onConflict={onConflict}
        />
      ))}
    </div>
  );
}

/**
 * "Visible to the programme: title only" or "Private to the pair", on every card; a switch for the mentee who owns
 * the goal. Mentors see the choice but may not make it: it is the mentee's to make (issue 10).
 */
function ProgrammeVisibility({
  goal,
  canChange,
  onSaved,
  onConflict,
}: {
  goal: Goal;
  canChange: boolean;
  onSaved: (goal: Goal) => void;
  onConflict: () => Promise<void>;
}) {
  const [state, setState] = useState<SaveState>({ kind: 'idle' });
  const hintId = useId();
  const visible = visibleToProgramme(goal);
  const words = visible ? t('goalCard_visible') : t('goalCard_private');

  async function change(next: boolean) {
    if (state.kind === 'saving') return;
    setState({ kind: 'saving' });
    try {
      const { goal: updated } = await ask('goals.visibility', { goalId: goal.id, version: goal.version, visible: next });
      onSaved(updated);
      setState({ kind: 'saved' });
    } catch (error) {
      if (isConflict(error)) {
        await onConflict().catch(() => undefined);
        setState({ kind: 'error', message: t('goalCard_visibilityConflict') });
      } else {
        setState({ kind: 'error', message: t('goalCard_notChanged', errorMessage(error)) });
      }
    }
  }

  if (!canChange) {
    return (
      <p class="goal-visibility muted" data-visible={String(visible)}>
        {words}
      </p>
    );
  }
  return (
    <div class="goal-visibility" data-visible={String(visible)}>
      <label class="switch-field">
        <input
          type="checkbox"
          role="switch"
          checked={visible}
          disabled={state.kind === 'saving'}
          aria-describedby={hintId}
          onChange={(e) => {
            const next = e.currentTarget.checked;
            // Shown as saved only once the server agrees: the switch follows the goal, not the click.
            e.currentTarget.checked = visible;
            void change(next);
          }}
        />
        <span>{t('goalCard_visibleSwitch')}</span>
      </label>
      <p id={hintId} class="hint">
        {visible ? t('goalCard_visibleHint') : t('goalCard_privateHint')}
      </p>
      <p class={`save-state ${state.kind === 'error' ? 'error' : 'muted'}`} role="status" aria-live="polite">
        {state.kind === 'saving' ? t('goalCard_saving') : state.kind === 'saved' ? t('goalCard_saved') : state.kind === 'error' ? state.message : ''}
      </p>
    </div>
  );
}
