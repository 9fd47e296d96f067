import type { ComponentChildren } from 'preact';
import type { ApiFailure } from '../api.ts';

/** A polite "loading" line; screen readers hear the label once. */
export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div class="loading" role="status">
      <span class="spinner" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}

/** An API failure in words, with the error code for support and an optional retry. */
export function ErrorMessage({ error, onRetry, title }: { error: ApiFailure; onRetry?: () => void; title?: string }) {
  return (
    <div class="message error" role="alert">
      <p>
        <strong>{title ?? headline(error)}</strong> {error.message}
      </p>
      {error.issues.length > 1 && (
        <ul class="small">
          {error.issues.map((issue) => (
            <li key={issue.path.join('.') + issue.message}>
              {issue.path.length ? <code>{issue.path.join('.')}</code> : null} {issue.message}
            </li>
          ))}
        </ul>
      )}
      {onRetry && (
        <p>
          <button type="button" class="small" onClick={onRetry}>
            Try again
          </button>
        </p>
      )}
    </div>
  );
}

function headline(error: ApiFailure): string {
  switch (error.code) {
    case 'network':
      return 'Offline?';
    case 'not_found':
      return 'Not found.';
    case 'version_conflict':
    case 'conflict':
      return 'Not saved.';
    case 'invalid_input':
      return 'Please check the form.';
    case 'forbidden':
      return 'Not allowed.';
    default:
      return 'Something went wrong.';
  }
}

export function EmptyState({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="empty">
      <strong>{title}</strong>
      {children}
    </div>
  );
}
