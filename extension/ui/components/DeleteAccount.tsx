// "Delete my account" in the side panel (issue 8, erasure): a typed confirmation, then the server erases the account
// and this browser signs out.
import { useState } from 'preact/hooks';
import { DELETE_ACCOUNT_PHRASE } from '../../../shared/schemas/me-data.ts';
import { ask } from '../../lib/app-client.ts';
import { errorMessage } from '../errors.ts';

export function DeleteAccount({ onDeleted }: { onDeleted: () => void }) {
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const confirmed = typed.trim().toLowerCase() === DELETE_ACCOUNT_PHRASE;

  async function remove() {
    setBusy(true);
    setError(null);
    try {
      await ask('me.delete', { confirm: typed });
      onDeleted();
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  }

  if (!open) {
    return (
      <p class="delete-account">
        <button type="button" class="small danger" onClick={() => setOpen(true)}>
          Delete my account…
        </button>
      </p>
    );
  }
  return (
    <section class="card delete-account" aria-labelledby="delete-account-title">
      <h2 id="delete-account-title" class="section-title">
        Delete my account
      </h2>
      <p>
        This erases your account for good: your private notes, everything you wrote, your goals’ text and your profile. Your mentorships end. Your
        partner keeps what they wrote. Export your data first if you want a copy.
      </p>
      <label>
        Type “{DELETE_ACCOUNT_PHRASE}” to confirm
        <input type="text" value={typed} onInput={(e) => setTyped(e.currentTarget.value)} autoComplete="off" />
      </label>
      <div class="row-actions">
        <button type="button" class="small danger" disabled={!confirmed || busy} onClick={remove}>
          {busy ? 'Deleting…' : 'Delete my account'}
        </button>
        <button type="button" class="small" disabled={busy} onClick={() => { setOpen(false); setTyped(''); setError(null); }}>
          Cancel
        </button>
      </div>
      {error && <p role="alert">{error}</p>}
    </section>
  );
}
