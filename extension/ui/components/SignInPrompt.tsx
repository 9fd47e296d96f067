// Shown wherever the user is not signed in: sign-in happens on the options page.
import { openOptionsPage } from '../browser-actions.ts';

export function SignInPrompt({ message, onRecheck }: { message?: string; onRecheck?: () => void }) {
  return (
    <section class="card sign-in-prompt" aria-labelledby="sign-in-title">
      <h2 id="sign-in-title" class="section-title">
        Sign in to Alongside
      </h2>
      <p>{message ?? 'Use the invitation link from your programme to see your goals and notes here.'}</p>
      <div class="row-actions">
        <button type="button" class="primary small" onClick={openOptionsPage}>
          Open settings to sign in
        </button>
        {onRecheck && (
          <button type="button" class="small" onClick={onRecheck}>
            I've signed in
          </button>
        )}
      </div>
    </section>
  );
}
