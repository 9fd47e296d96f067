import type { User } from '../../../../shared/schemas/people.ts';
import { roleLabel } from '../format.ts';
import { useTitle } from '../hooks.ts';

/** Mentors and mentees who sign in here: the admin view is not for them; the extension is. */
export function ForbiddenPage({ user, onSignOut }: { user: User; onSignOut: () => void }) {
  useTitle('Not available');
  return (
    <main class="centered" id="main">
      <div class="card">
        <p class="badge risk">403 · Not allowed</p>
        <h1>This view is for programme admins</h1>
        <p>
          You are signed in as <strong>{user.name}</strong> ({roleLabel[user.role].toLowerCase()}). Mentors and mentees use
          Alongside through the browser extension, in their video calls.
        </p>
        <p>
          Each invitation link works once: if you used yours here, ask your programme admin for a new one and paste it into the
          extension’s options.
        </p>
        <p class="muted">If you run this programme, ask another admin for an admin invitation link.</p>
        <div class="form-actions">
          <button type="button" class="primary" onClick={onSignOut}>
            Sign out
          </button>
        </div>
      </div>
    </main>
  );
}
