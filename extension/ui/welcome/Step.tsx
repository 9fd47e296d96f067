// One step of the welcome page: its number, title, and whether it is done, said in words with an icon (not colour alone).
import type { ComponentChildren } from 'preact';
import { t } from '../../lib/i18n.ts';

export function StepIcon({ done }: { done: boolean }) {
  return (
    <svg class={`step-icon ${done ? 'done' : 'todo'}`} width="22" height="22" viewBox="0 0 22 22" aria-hidden="true" focusable="false">
      <circle cx="11" cy="11" r="9.5" fill={done ? 'currentColor' : 'none'} stroke="currentColor" stroke-width="1.5" />
      {done && <path d="M6.5 11.5l3 3 6-7" fill="none" stroke="var(--accent-fg, #fff)" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" />}
    </svg>
  );
}

export function Step({ id, number, title, done, children }: { id: string; number: number; title: string; done: boolean; children: ComponentChildren }) {
  return (
    <li class={`card welcome-step ${done ? 'is-done' : ''}`} aria-labelledby={`${id}-title`} data-step={id}>
      <h2 id={`${id}-title`} class="section-title step-title">
        <StepIcon done={done} />
        <span>{t('step_title', number, title)}</span>
      </h2>
      <p class="step-state" data-testid={`${id}-state`}>
        {done ? t('step_done') : t('step_notDone')}
      </p>
      {children}
    </li>
  );
}

/** A result or error line under a step's controls, announced to screen readers. */
export function StepMessage({ message }: { message: { kind: 'info' | 'error'; text: string } | null }) {
  return (
    <p class={`state-line ${message?.kind === 'error' ? 'error' : 'muted'}`} role={message?.kind === 'error' ? 'alert' : 'status'} aria-live="polite">
      {message?.text ?? ''}
    </p>
  );
}
