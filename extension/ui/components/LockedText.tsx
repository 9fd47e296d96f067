// Text this device cannot open yet (end-to-end encryption, issue 10): the background sends why in words, and the page
// shows that sentence, muted and italic behind a padlock, so nobody mistakes it for what the partner wrote.
import { t } from '../../lib/i18n.ts';
import { LockIcon } from './LockIcon.tsx';

/** Which ids of a pair's goals, milestones, agenda items and actions this device cannot read, and why. */
export interface Locks {
  ids: ReadonlySet<string>;
  reason: string;
}

/** Said when the background gave no reason of its own. */
export function defaultLockedReason(): string {
  return t('lockedText_defaultReason');
}

export const NO_LOCKS: Locks = {
  ids: new Set(),
  // Read when shown, in the language of the messages then.
  get reason() {
    return defaultLockedReason();
  },
};

/** The `locked`/`lockedReason` fields of a `context.get` answer. */
export function locksOf(answer: { locked: readonly string[]; lockedReason: string | null }): Locks {
  if (answer.locked.length === 0) return NO_LOCKS;
  return { ids: new Set(answer.locked), reason: answer.lockedReason ?? defaultLockedReason() };
}

export function LockedText({ reason, as: Tag = 'span', class: extra }: { reason: string; as?: 'span' | 'p'; class?: string }) {
  return (
    <Tag class={`locked-text${extra ? ` ${extra}` : ''}`}>
      <LockIcon />
      <span>{reason}</span>
    </Tag>
  );
}
