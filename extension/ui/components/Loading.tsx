// Loading and error placeholders, the same on every page.
import { t } from '../../lib/i18n.ts';

export function Loading({ label }: { label: string }) {
  return (
    <p class="loading" role="status" aria-busy="true">
      <span class="spinner" aria-hidden="true" />
      {label}
    </p>
  );
}

export function ErrorBox({ message, onRetry }: { message: string; onRetry?: () => void }) {
  return (
    <div class="card error-box" role="alert">
      <p>{message}</p>
      {onRetry && (
        <button type="button" class="small" onClick={onRetry}>
          {t('loading_tryAgain')}
        </button>
      )}
    </div>
  );
}
