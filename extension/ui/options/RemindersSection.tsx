/**
 * Check-in reminders (issue 9): a switch. Turning it on asks for the optional notifications permission in the click
 * itself (a permission request needs the user's gesture), then tells the background. The toolbar badge shows an
 * overdue check-in whether or not reminders are on.
 */
import { useEffect, useState } from 'preact/hooks';
import { ask } from '../../lib/app-client.ts';
import type { ReminderSettings } from '../../lib/app-messages.ts';
import { t, tCount } from '../../lib/i18n.ts';
import { requestNotifications } from '../browser-actions.ts';
import { errorMessage } from '../errors.ts';

type State = { kind: 'idle' } | { kind: 'busy' } | { kind: 'done'; text: string } | { kind: 'error'; text: string };

export function RemindersSection() {
  const [settings, setSettings] = useState<ReminderSettings | null>(null);
  const [state, setState] = useState<State>({ kind: 'idle' });

  useEffect(() => {
    ask('reminders.get', {}).then(setSettings, (error: unknown) => setState({ kind: 'error', text: errorMessage(error) }));
  }, []);

  async function toggle(enabled: boolean) {
    setState({ kind: 'busy' });
    if (enabled) {
      // First, before any other await: the prompt is only shown during the click's user gesture.
      const granted = await requestNotifications().catch(() => false);
      if (!granted) {
        setState({ kind: 'error', text: t('reminders_notAllowed') });
        return;
      }
    }
    try {
      const next = await ask('reminders.set', { enabled });
      setSettings(next);
      setState({ kind: 'done', text: enabled ? t('reminders_on') : t('reminders_off') });
    } catch (error) {
      setState({ kind: 'error', text: t('reminders_notSaved', errorMessage(error)) });
    }
  }

  // On, but the permission was taken back in the browser's settings: say so rather than pretend.
  const revoked = settings?.enabled === true && !settings.permitted;
  return (
    <section class="card" aria-labelledby="reminders-title">
      <h2 id="reminders-title" class="section-title">
        {t('reminders_title')}
      </h2>
      {settings === null ? (
        state.kind !== 'error' && <p class="muted">{t('reminders_loading')}</p>
      ) : (
        <>
          <label class="switch-field">
            <input
              type="checkbox"
              role="switch"
              checked={settings.enabled}
              disabled={state.kind === 'busy'}
              aria-describedby="reminders-hint"
              onChange={(e) => void toggle(e.currentTarget.checked)}
            />
            <span>{t('reminders_switch')}</span>
          </label>
          <p id="reminders-hint" class="hint">
            {tCount('reminders_hint', settings.leadMinutes)}
          </p>
          {revoked && (
            <p class="banner warn" role="status">
              {t('reminders_blocked')}
            </p>
          )}
        </>
      )}
      <p class={`state-line ${state.kind === 'error' ? 'error' : 'muted'}`} role="status" aria-live="polite">
        {state.kind === 'done' || state.kind === 'error' ? state.text : ''}
      </p>
    </section>
  );
}
