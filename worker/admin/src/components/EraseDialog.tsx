import { useEffect, useRef, useState } from 'preact/hooks';
import type { User } from '../../../../shared/schemas/people.ts';
import type { ApiFailure } from '../api.ts';
import { ErrorMessage } from './Status.tsx';

interface EraseDialogProps {
  user: User;
  busy: boolean;
  /** The last failure of the erasure: a wrong email (400) is shown at the field, anything else (409: yourself) above it. */
  error: ApiFailure | undefined;
  onConfirm: (confirmEmail: string) => void;
  onCancel: () => void;
}

/**
 * Erasing a person for good (`DELETE /api/v1/admin/users/:id`): the admin types that person's email, so a slip on the
 * wrong row cannot erase anyone. A modal <dialog> opened with showModal() keeps focus inside and turns Escape into a
 * `cancel` event (https://developer.mozilla.org/docs/Web/API/HTMLDialogElement/cancel_event); focus starts in the email
 * field and goes back to the button that opened it (or to the page when that row is gone).
 */
export function EraseDialog({ user, busy, error, onConfirm, onCancel }: EraseDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const [email, setEmail] = useState('');

  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    input.current?.focus();
    return () => {
      if (dialog?.open) dialog.close();
      const target = opener?.isConnected ? opener : document.getElementById('main');
      target?.focus();
    };
  }, []);

  const fieldError = error?.fieldErrors().confirmEmail;
  // After a failure the focus goes back to the field (a wrong email's message is next to it; others are announced).
  useEffect(() => {
    if (error) input.current?.focus();
  }, [error]);

  return (
    <dialog
      ref={ref}
      class="erase-dialog"
      aria-labelledby="erase-title"
      aria-describedby="erase-what"
      onCancel={(e) => {
        e.preventDefault();
        if (!busy) onCancel();
      }}
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!busy && email.trim()) onConfirm(email.trim());
        }}
      >
        <h2 id="erase-title">Erase {user.name}?</h2>
        <p id="erase-what">
          This hard-deletes their private notes, the notes they wrote and their personal fields; the programme’s figures keep
          anonymous counts, and their pairs end. It cannot be undone here, and backups (D1 Time Travel) keep the old data for up
          to 30 days.
        </p>
        {error && !fieldError && <ErrorMessage error={error} title={error.status === 409 ? 'Not erased.' : undefined} />}
        <div class="field">
          <label for="erase-email">
            Type <strong class="erase-email">{user.email}</strong> to confirm
          </label>
          <input
            id="erase-email"
            ref={input}
            type="text"
            inputMode="email"
            autoComplete="off"
            spellcheck={false}
            required
            value={email}
            readOnly={busy}
            aria-invalid={fieldError ? true : undefined}
            aria-describedby={fieldError ? 'erase-email-error' : undefined}
            onInput={(e) => setEmail(e.currentTarget.value)}
          />
          {fieldError && (
            <p id="erase-email-error" class="error" role="alert">
              {fieldError}
            </p>
          )}
        </div>
        <div class="form-actions">
          <button type="submit" class="danger" disabled={busy || !email.trim()} aria-busy={busy}>
            {busy && <span class="spinner" aria-hidden="true" />}
            {busy ? 'Erasing…' : 'Erase for good'}
          </button>
          <button type="button" onClick={onCancel} disabled={busy}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}
