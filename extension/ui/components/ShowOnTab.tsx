// "Show on this tab" in the side panel (Chrome) and the toolbar popup (Firefox): puts the call companion on the
// active tab, so a call page Alongside does not recognise (changed, self-hosted or unknown) still gets it.
import { useState } from 'preact/hooks';
import { ask } from '../../lib/app-client.ts';
import { t } from '../../lib/i18n.ts';
import { errorMessage } from '../errors.ts';

export function ShowOnTab() {
  const [state, setState] = useState<{ busy: boolean; message: string; ok: boolean }>({ busy: false, message: '', ok: true });

  async function show() {
    setState({ busy: true, message: '', ok: true });
    try {
      const answer = await ask('tab.attach', {});
      setState({ busy: false, message: answer.message, ok: answer.attached });
    } catch (error) {
      setState({ busy: false, message: errorMessage(error), ok: false });
    }
  }

  return (
    <div class="show-on-tab">
      <button type="button" class="small" disabled={state.busy} onClick={() => void show()}>
        {state.busy ? t('showOnTab_showing') : t('showOnTab_show')}
      </button>
      <span class={state.ok ? 'muted' : 'error'} role="status" aria-live="polite">
        {state.message}
      </span>
    </div>
  );
}
