import { useRef, useState } from 'preact/hooks';
import { type ApiFailure, api, call, idempotencyKey, toFailure } from '../api.ts';
import { ErrorMessage, Loading } from '../components/Status.tsx';
import { toast } from '../components/Toasts.tsx';
import { useAsync, useTitle } from '../hooks.ts';

/** The limits of `RetentionDays` (shared/schemas/me-data.ts); the API checks them too. */
const MIN_DAYS = 1;
const MAX_DAYS = 3650;
const DEFAULT_DAYS = 365;

/** What the retention setting means, in one phrase (also read back after saving). */
function retentionPhrase(days: number | null): string {
  if (days === null) return 'Off: notes stay until the people in a pair delete them.';
  return `On: the notes of pairs that ended more than ${days} ${days === 1 ? 'day' : 'days'} ago are deleted.`;
}

/** Programme settings: for now the retention of notes after a mentorship ends (issue 8). */
export function SettingsPage() {
  useTitle('Programme settings');
  const settings = useAsync(() => call(api.admin.settings.$get()), []);
  return (
    <>
      <div class="page-head">
        <div>
          <h1>Programme settings</h1>
          <p>How long Alongside keeps the notes of mentorships that have ended</p>
        </div>
      </div>
      {settings.error && <ErrorMessage error={settings.error} onRetry={() => void settings.reload()} />}
      {settings.loading && !settings.data && <Loading label="Loading the settings…" />}
      {settings.data && <RetentionForm saved={settings.data.settings.retentionDays} />}
    </>
  );
}

function RetentionForm({ saved }: { saved: number | null }) {
  const [enabled, setEnabled] = useState(saved !== null);
  const [days, setDays] = useState(String(saved ?? DEFAULT_DAYS));
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ApiFailure | undefined>();
  const [invalid, setInvalid] = useState<string | undefined>();
  const [current, setCurrent] = useState(saved);
  const [justSaved, setJustSaved] = useState(false);
  const daysInput = useRef<HTMLInputElement>(null);

  const parsed = /^\d+$/.test(days.trim()) ? Number(days.trim()) : Number.NaN;
  const wanted = enabled ? parsed : null;
  const dirty = wanted !== current;
  const fieldError = invalid ?? error?.fieldErrors().retentionDays;

  const save = async () => {
    setError(undefined);
    setJustSaved(false);
    if (wanted !== null && !(Number.isInteger(wanted) && wanted >= MIN_DAYS && wanted <= MAX_DAYS)) {
      setInvalid(`Enter a whole number of days from ${MIN_DAYS} to ${MAX_DAYS}.`);
      daysInput.current?.focus();
      return;
    }
    setInvalid(undefined);
    setSaving(true);
    try {
      const res = await call(api.admin.settings.$patch({ json: { retentionDays: wanted } }, { headers: idempotencyKey() }));
      setCurrent(res.settings.retentionDays);
      setJustSaved(true);
      toast('Retention setting saved');
    } catch (e) {
      const failure = toFailure(e);
      setError(failure);
      if (failure.fieldErrors().retentionDays) daysInput.current?.focus();
    } finally {
      setSaving(false);
    }
  };

  return (
    <section class="card" aria-labelledby="retention-title">
      <h2 id="retention-title">Notes after a mentorship ends</h2>
      <p>
        By default the notes of a pair stay until its mentor and mentee delete them. With this setting on, the notes, actions,
        decisions, questions and agenda of a pair are deleted for good once the pair has ended more than the chosen number of days
        ago; the pair, its meetings, goals and ratings stay for the programme’s figures.
      </p>
      <p class="message info">Members see this setting in the “Your data” section of their side panel in the extension.</p>
      <form
        noValidate
        aria-describedby="retention-current"
        onSubmit={(e) => {
          e.preventDefault();
          if (!saving && dirty) void save();
        }}
      >
        <div class="switch-row">
          <input
            id="retention-enabled"
            type="checkbox"
            role="switch"
            class="switch"
            checked={enabled}
            disabled={saving}
            onChange={(e) => {
              setEnabled(e.currentTarget.checked);
              setInvalid(undefined);
              setJustSaved(false);
            }}
          />
          <label for="retention-enabled">Delete old notes automatically</label>
        </div>
        <div class="field retention-days">
          <div class="retention-sentence">
            <span id="retention-before">Delete the notes of pairs that ended more than</span>
            <input
              id="retention-days"
              ref={daysInput}
              type="number"
              inputMode="numeric"
              min={MIN_DAYS}
              max={MAX_DAYS}
              step={1}
              value={days}
              disabled={!enabled || saving}
              aria-labelledby="retention-before retention-after"
              aria-invalid={fieldError ? true : undefined}
              aria-describedby={fieldError ? 'retention-days-error' : 'retention-days-hint'}
              onInput={(e) => {
                setDays(e.currentTarget.value);
                setInvalid(undefined);
                setJustSaved(false);
              }}
            />
            <span id="retention-after">days ago</span>
          </div>
          {fieldError ? (
            <p id="retention-days-error" class="error" role="alert">
              {fieldError}
            </p>
          ) : (
            <p id="retention-days-hint" class="hint">
              From {MIN_DAYS} to {MAX_DAYS} days. The deletion runs every 15 minutes and cannot be undone.
            </p>
          )}
        </div>
        {error && !error.fieldErrors().retentionDays && <ErrorMessage error={error} />}
        <div class="form-actions">
          {/* aria-disabled rather than disabled: the button keeps the focus while it saves and after. */}
          <button type="submit" class="primary" aria-disabled={saving || !dirty} aria-busy={saving}>
            {saving && <span class="spinner" aria-hidden="true" />}
            {saving ? 'Saving…' : 'Save'}
          </button>
          <p id="retention-current" class="small muted" role="status">
            {justSaved ? 'Saved. ' : ''}
            Now: {retentionPhrase(current)}
          </p>
        </div>
      </form>
    </section>
  );
}
