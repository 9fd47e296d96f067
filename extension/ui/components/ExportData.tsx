// "Your data" in the side panel (issue 8, data rights): how long the programme keeps notes, and downloading them.
import { useEffect, useState } from 'preact/hooks';
import { ask } from '../../lib/app-client.ts';
import { t, tCount } from '../../lib/i18n.ts';
import { errorMessage } from '../errors.ts';

/** Saves text as a file from this page: a Blob, an object URL and a clicked <a download>, then the URL is released. */
export function downloadText(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // Released after the click has started the download (revoking at once can cancel it in some browsers).
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The retention setting in words. */
export function retentionSentence(retentionDays: number | null): string {
  return retentionDays === null ? t('exportData_keeps') : tCount('exportData_deletes', retentionDays);
}

export function ExportData() {
  const [retention, setRetention] = useState<number | null | undefined>(undefined);
  const [state, setState] = useState<{ kind: 'idle' | 'busy' } | { kind: 'done'; files: number } | { kind: 'error'; message: string }>({ kind: 'idle' });

  useEffect(() => {
    ask('me.settings', {})
      .then((s) => setRetention(s.retentionDays))
      .catch(() => setRetention(undefined));
  }, []);

  async function exportAll() {
    setState({ kind: 'busy' });
    try {
      const data = await ask('me.export', {});
      downloadText(data.jsonName, data.json, 'application/json');
      for (const file of data.files) downloadText(file.name, file.markdown, 'text/markdown');
      setState({ kind: 'done', files: data.files.length + 1 });
    } catch (error) {
      setState({ kind: 'error', message: errorMessage(error) });
    }
  }

  return (
    <section class="card your-data" aria-labelledby="your-data-title">
      <h2 id="your-data-title" class="section-title">
        {t('exportData_title')}
      </h2>
      {retention !== undefined && <p class="muted retention">{retentionSentence(retention)}</p>}
      <p class="muted">{t('exportData_explain')}</p>
      <button type="button" class="small" onClick={exportAll} disabled={state.kind === 'busy'}>
        {state.kind === 'busy' ? t('exportData_preparing') : t('exportData_export')}
      </button>
      {state.kind === 'done' && (
        <p role="status" class="muted">
          {tCount('exportData_downloaded', state.files)}
        </p>
      )}
      {state.kind === 'error' && <p role="alert">{state.message}</p>}
    </section>
  );
}
