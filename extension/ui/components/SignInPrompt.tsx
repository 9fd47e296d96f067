// Shown wherever the user is not signed in: sign-in happens on the options page.
import { t } from '../../lib/i18n.ts';
import { openOptionsPage } from '../browser-actions.ts';

export function SignInPrompt({ message, onRecheck }: { message?: string; onRecheck?: () => void }) {
  return (
    <section class="card sign-in-prompt" aria-labelledby="sign-in-title">
      <h2 id="sign-in-title" class="section-title">
        {t('signInPrompt_title')}
      </h2>
      <p>{message ?? t('signInPrompt_text')}</p>
      <div class="row-actions">
        <button type="button" class="primary small" onClick={openOptionsPage}>
          {t('signInPrompt_openSettings')}
        </button>
        {onRecheck && (
          <button type="button" class="small" onClick={onRecheck}>
            {t('signInPrompt_recheck')}
          </button>
        )}
      </div>
    </section>
  );
}
