// "Download calendar file (.ics)": the background fetches it with the token; this page saves it as a Blob download,
// so no token (or anything else secret) goes in a URL.
import { useState } from 'preact/hooks';
import { ask } from '../../lib/app-client.ts';
import { t } from '../../lib/i18n.ts';
import { errorMessage } from '../errors.ts';
import { downloadText } from './ExportData.tsx';

export function CalendarDownload({ pairId }: { pairId: string }) {
  const [state, setState] = useState<{ kind: 'idle' | 'busy' | 'done' } | { kind: 'error'; message: string }>({ kind: 'idle' });

  async function download() {
    setState({ kind: 'busy' });
    try {
      const file = await ask('checkins.ics', { pairId });
      downloadText(file.name, file.text, 'text/calendar');
      setState({ kind: 'done' });
    } catch (error) {
      setState({ kind: 'error', message: t('calendarDownload_failed', errorMessage(error)) });
    }
  }

  return (
    <div class="calendar-download">
      <button type="button" class="small" onClick={download} disabled={state.kind === 'busy'}>
        {state.kind === 'busy' ? t('calendarDownload_preparing') : t('calendarDownload_download')}
      </button>
      {state.kind === 'done' && (
        <span role="status" class="muted">
          {' '}
          {t('calendarDownload_saved')}
        </span>
      )}
      {state.kind === 'error' && <p role="alert">{state.message}</p>}
    </div>
  );
}
