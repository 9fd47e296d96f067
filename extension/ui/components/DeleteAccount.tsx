// "Delete my account" in the side panel (issue 8, erasure): a typed confirmation, then the server erases the account
// and this browser signs out.
import { useState } from 'preact/hooks';
import { DELETE_ACCOUNT_PHRASE } from '../../../shared/schemas/me-data.ts';
import { ask } from '../../lib/app-client.ts';
import { t } from '../../lib/i18n.ts';
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
          {t('deleteAccount_open')}
        </button>
      </p>
    );
  }
  return (
    <section class="card delete-account" aria-labelledby="delete-account-title">
      <h2 id="delete-account-title" class="section-title">
        {t('deleteAccount_title')}
      </h2>
      <p>{t('deleteAccount_explain')}</p>
      <label>
        {t('deleteAccount_typeToConfirm', DELETE_ACCOUNT_PHRASE)}
        <input type="text" value={typed} onInput={(e) => setTyped(e.currentTarget.value)} autoComplete="off" />
      </label>
      <div class="row-actions">
        <button type="button" class="small danger" disabled={!confirmed || busy} onClick={remove}>
          {busy ? t('deleteAccount_deleting') : t('deleteAccount_confirm')}
        </button>
        <button type="button" class="small" disabled={busy} onClick={() => { setOpen(false); setTyped(''); setError(null); }}>
          {t('deleteAccount_cancel')}
        </button>
      </div>
      {error && <p role="alert">{error}</p>}
    </section>
  );
}
