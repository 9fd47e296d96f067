import { useState } from 'preact/hooks';
import { api, callForFile, toFailure } from '../api.ts';
import { toast } from './Toasts.tsx';

/** Hands a downloaded file to the browser as a normal download. */
export function saveFile(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Revoke later: some browsers read the URL after the click handler returns.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

type Kind = 'engagement' | 'pairs';

/** CSV exports. The request needs the bearer token, so it is fetched here and saved, not linked. */
export function ExportButtons({ range, only }: { range?: { from: string; to: string }; only?: Kind }) {
  const [busy, setBusy] = useState<Kind | undefined>();
  const [error, setError] = useState<string | undefined>();
  const run = async (kind: Kind) => {
    setBusy(kind);
    setError(undefined);
    try {
      const file =
        kind === 'engagement'
          ? await callForFile(api.admin.export['engagement.csv'].$get({ query: range ?? {} }), 'alongside-engagement.csv')
          : await callForFile(api.admin.export['pairs.csv'].$get(), 'alongside-pairs.csv');
      saveFile(file.blob, file.name);
      toast(`Downloaded ${file.name}`);
    } catch (error) {
      setError(`Export failed: ${toFailure(error).message}`);
    } finally {
      setBusy(undefined);
    }
  };
  const button = (kind: Kind, label: string) => (
    <button type="button" onClick={() => void run(kind)} disabled={busy !== undefined} aria-busy={busy === kind}>
      {busy === kind ? <span class="spinner" aria-hidden="true" /> : <span aria-hidden="true">⤓</span>}
      {label}
    </button>
  );
  return (
    <div class="stack" style={{ gap: '0.4rem' }}>
      <div class="row" role="group" aria-label="CSV export">
        {only !== 'pairs' && button('engagement', 'Engagement CSV')}
        {only !== 'engagement' && button('pairs', 'Pairs CSV')}
      </div>
      {error && (
        <p class="error small" role="alert" style={{ color: 'var(--danger)', margin: 0 }}>
          {error}
        </p>
      )}
    </div>
  );
}
