// "Check this call page": what the platform adapter sees on an open call tab (platform, state, whether a meeting
// code was read, which signals matched or failed), a redacted page signature to paste into a bug report, and the
// platforms where detection was noted as degraded. Everything stays on this device.
import { useEffect, useState } from 'preact/hooks';
import { ask } from '../../lib/app-client.ts';
import type { AppResponse } from '../../lib/app-messages.ts';
import type { DiagnosticsReport } from '../../lib/call-messages.ts';
import { ErrorBox, Loading } from '../components/Loading.tsx';
import { errorMessage } from '../errors.ts';
import { formatDateTime, PLATFORM_NAMES, userTimeZone } from '../format.ts';

type Listing = AppResponse<'diagnostics.list'>;
const STATE_NAMES: Record<string, string> = {
  'pre-join': 'before joining',
  waiting: 'waiting to be let in',
  'in-call': 'in the call',
  left: 'left the call',
  ended: 'ended by the host, or removed',
  unknown: 'not detected',
};

export function DiagnosticsSection() {
  const [listing, setListing] = useState<Listing | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [report, setReport] = useState<{ tabId: number; report: DiagnosticsReport } | null>(null);
  const [checking, setChecking] = useState<number | null>(null);
  const [checkError, setCheckError] = useState<string | null>(null);
  const [copied, setCopied] = useState<string>('');

  async function load() {
    setError(null);
    try {
      setListing(await ask('diagnostics.list', {}));
    } catch (e) {
      setError(errorMessage(e));
    }
  }
  useEffect(() => {
    void load();
  }, []);

  async function check(tabId: number) {
    setChecking(tabId);
    setCheckError(null);
    setCopied('');
    try {
      setReport({ tabId, report: await ask('diagnostics.check', { tabId }) });
    } catch (e) {
      setReport(null);
      setCheckError(errorMessage(e));
    } finally {
      setChecking(null);
    }
  }

  async function copy(text: string) {
    try {
      await navigator.clipboard.writeText(text);
      setCopied('Copied. Paste it into your bug report.');
    } catch {
      setCopied('Copying is not allowed here: select the text below and copy it.');
    }
  }

  async function clear(platform: Listing['degraded'][number]['platform']) {
    await ask('diagnostics.clear', { platform }).catch(() => undefined);
    await load();
  }

  const timeZone = userTimeZone();
  return (
    <section class="card" aria-labelledby="diagnostics-title">
      <h2 id="diagnostics-title" class="section-title">
        Check a call page
      </h2>
      <p class="muted">
        If Alongside does not show up on a call, or logs it wrongly, check what it sees there. Nothing is sent anywhere: copy the
        page signature into a bug report yourself. It has the page’s structure and button labels, never names or anything typed.
      </p>
      {error ? (
        <ErrorBox message={error} onRetry={() => void load()} />
      ) : !listing ? (
        <Loading label="Looking for call pages…" />
      ) : (
        <>
          {listing.degraded.length > 0 && (
            <ul class="degraded-list" aria-label="Detection degraded">
              {listing.degraded.map((d) => (
                <li key={d.platform} class="warning">
                  <strong>Detection degraded on {PLATFORM_NAMES[d.platform]}</strong>: a meeting page showed none of the signals Alongside
                  knows ({d.times} {d.times === 1 ? 'time' : 'times'}, last {formatDateTime(d.lastSeen, timeZone)}). Use the “Open
                  Alongside” button on the call, or the toolbar button, and log the meeting by hand.{' '}
                  <button type="button" class="link" onClick={() => void clear(d.platform)}>
                    Dismiss
                  </button>
                </li>
              ))}
            </ul>
          )}
          {listing.calls.length === 0 ? (
            <p class="empty">No call page is open. Open your call in another tab, then check again.</p>
          ) : (
            <ul class="call-list" aria-label="Call pages open now">
              {listing.calls.map((call) => (
                <li key={call.tabId}>
                  <span>
                    {PLATFORM_NAMES[call.platform]} · {STATE_NAMES[call.state] ?? call.state}
                    {call.mode === 'manual' && ' · logged by hand'}
                  </span>
                  <button type="button" class="small" disabled={checking !== null} onClick={() => void check(call.tabId)}>
                    {checking === call.tabId ? 'Checking…' : 'Check this call page'}
                  </button>
                </li>
              ))}
            </ul>
          )}
          <button type="button" class="link" onClick={() => void load()}>
            Refresh the list
          </button>
          {checkError && (
            <p class="error" role="alert">
              {checkError}
            </p>
          )}
          {report && <ReportView report={report.report} onCopy={(text) => void copy(text)} copied={copied} />}
        </>
      )}
    </section>
  );
}

function ReportView({ report, onCopy, copied }: { report: DiagnosticsReport; onCopy(text: string): void; copied: string }) {
  const matched = report.signals.filter((s) => s.matched).length;
  const forBugReport = [
    `Alongside page check: ${report.label}`,
    `page: ${report.page}${report.frames ? ` (+${report.frames} call frame${report.frames === 1 ? '' : 's'})` : ''}`,
    `state: ${report.state ?? 'not detected'}; meeting code read: ${report.hasCode ? 'yes' : 'no'}`,
    `signals: ${report.signals.map((s) => `${s.matched ? '+' : '-'}${s.id}`).join(' ')}`,
    '',
    report.signature,
  ].join('\n');
  return (
    <div class="diagnostics-report" aria-label="Check result">
      <dl class="facts">
        <dt>Platform</dt>
        <dd>{report.label}</dd>
        <dt>State</dt>
        <dd data-testid="diagnostics-state">{report.state ? STATE_NAMES[report.state] : 'not detected'}</dd>
        <dt>Meeting code</dt>
        <dd>{report.hasCode ? 'read from the address' : 'none in the address'}</dd>
        <dt>Signals</dt>
        <dd>
          {matched} of {report.signals.length} matched
        </dd>
      </dl>
      {report.signals.length > 0 && (
        <table class="signals">
          <caption class="sr-only">Signals the adapter looks for</caption>
          <thead>
            <tr>
              <th scope="col">Signal</th>
              <th scope="col">Means</th>
              <th scope="col">Seen</th>
              <th scope="col">Source</th>
            </tr>
          </thead>
          <tbody>
            {report.signals.map((s) => (
              <tr key={s.id} data-matched={String(s.matched)}>
                <td>
                  {s.id} <span class="muted">({s.strength} {s.kind})</span>
                </td>
                <td>{STATE_NAMES[s.state] ?? s.state}</td>
                <td>{s.matched ? '✓ matched' : '✗ not seen'}</td>
                <td class="mono">{s.source}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <button type="button" onClick={() => onCopy(forBugReport)}>
        Copy page signature
      </button>
      <p class="muted" role="status" aria-live="polite">
        {copied}
      </p>
      <details>
        <summary>Show the page signature</summary>
        <pre class="signature">{forBugReport}</pre>
      </details>
    </div>
  );
}
