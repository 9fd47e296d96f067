import { useState } from 'preact/hooks';
import { toFailure } from '../api.ts';
import { Field } from '../components/Field.tsx';
import { useTitle } from '../hooks.ts';

interface SignInProps {
  onSubmit: (input: string) => Promise<void>;
  notice?: string | undefined;
  error?: string | undefined;
}

/** Signed-out visitors: paste an admin invitation link or its code. */
export function SignInPage({ onSubmit, notice, error: initialError }: SignInProps) {
  useTitle('Sign in');
  const [value, setValue] = useState('');
  const [error, setError] = useState(initialError);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!value.trim()) return setError('Paste the invitation link or code you were sent.');
    setBusy(true);
    setError(undefined);
    try {
      await onSubmit(value);
    } catch (e) {
      setError(toFailure(e).message);
      setBusy(false);
    }
  };

  return (
    <main class="centered" id="main">
      <div class="card">
        <h1>Alongside admin</h1>
        <p class="muted">Programme engagement, pairs, people and matching. Sign in with the invitation link you were sent.</p>
        {notice && !error && (
          <div class="message info" role="status">
            <p>{notice}</p>
          </div>
        )}
        <form onSubmit={submit} noValidate>
          <Field id="invite" label="Invitation link or code" error={error} hint="For example https://…/invite/AbC123… — each link works once.">
            {(aria) => (
              <input
                {...aria}
                name="invite"
                type="text"
                autoComplete="off"
                spellcheck={false}
                value={value}
                onInput={(e) => setValue(e.currentTarget.value)}
                autoFocus
              />
            )}
          </Field>
          <div class="form-actions">
            <button type="submit" class="primary" disabled={busy} aria-busy={busy}>
              {busy && <span class="spinner" aria-hidden="true" />}
              {busy ? 'Signing in…' : 'Sign in'}
            </button>
          </div>
        </form>
      </div>
    </main>
  );
}
