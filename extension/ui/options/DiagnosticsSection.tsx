// "Check this call page": what the platform adapter sees on an open call tab (platform, state, whether a meeting
// code was read, which signals matched or failed), a redacted page signature to paste into a bug report, and the
// platforms where detection was noted as degraded. Everything stays on this device.
import { useEffect, useState } from 'preact/hooks';
import { ask } from '../../lib/app-client.ts';
import type { AppResponse } from '../../lib/app-messages.ts';
import type { DiagnosticsReport } from '../../lib/call-messages.ts';
import { pluralKey, t, tCount, type MessageKey } from '../../lib/i18n.ts';
import { ErrorBox, Loading } from '../components/Loading.tsx';
import { errorMessage } from '../errors.ts';
import { formatDateTime, platformName, userTimeZone } from '../format.ts';
import { tNodes } from '../message-nodes.tsx';

type Listing = AppResponse<'diagnostics.list'>;
type Signal = DiagnosticsReport['signals'][number];
const STATE_NAMES: Record<string, MessageKey> = {
  'pre-join': 'diagnostics_statePreJoin',
  waiting: 'diagnostics_stateWaiting',
  'in-call': 'diagnostics_stateInCall',
  left: 'diagnostics_stateLeft',
  ended: 'diagnostics_stateEnded',
  unknown: 'diagnostics_stateUnknown',
};
const STRENGTH_NAMES: Record<Signal['strength'], MessageKey> = { strong: 'diagnostics_strengthStrong', weak: 'diagnostics_strengthWeak' };
const KIND_NAMES: Record<Signal['kind'], MessageKey> = {
  url: 'diagnostics_kindUrl',
  structure: 'diagnostics_kindStructure',
  aria: 'diagnostics_kindAria',
  text: 'diagnostics_kindText',
};

/** A detected state in words, or the state as the adapter named it if it is new here. */
function stateName(state: string): string {
  const key = STATE_NAMES[state];
  return key ? t(key) : state;
}

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
      setCopied(t('diagnostics_copied'));
    } catch {
      setCopied(t('diagnostics_copyBlocked'));
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
        {t('diagnostics_title')}
      </h2>
      <p class="muted">{t('diagnostics_intro')}</p>
      {error ? (
        <ErrorBox message={error} onRetry={() => void load()} />
      ) : !listing ? (
        <Loading label={t('diagnostics_loading')} />
      ) : (
        <>
          {listing.degraded.length > 0 && (
            <ul class="degraded-list" aria-label={t('diagnostics_degradedLabel')}>
              {listing.degraded.map((d) => (
                <li key={d.platform} class="warning">
                  {tNodes(
                    pluralKey('diagnostics_degraded', d.times),
                    d.times,
                    <strong>{t('diagnostics_degradedOn', platformName(d.platform))}</strong>,
                    formatDateTime(d.lastSeen, timeZone),
                  )}{' '}
                  <button type="button" class="link" onClick={() => void clear(d.platform)}>
                    {t('diagnostics_dismiss')}
                  </button>
                </li>
              ))}
            </ul>
          )}
          {listing.calls.length === 0 ? (
            <p class="empty">{t('diagnostics_noCalls')}</p>
          ) : (
            <ul class="call-list" aria-label={t('diagnostics_callsLabel')}>
              {listing.calls.map((call) => (
                <li key={call.tabId}>
                  <span>
                    {platformName(call.platform)} · {stateName(call.state)}
                    {call.mode === 'manual' && ` · ${t('diagnostics_loggedByHand')}`}
                  </span>
                  <button type="button" class="small" disabled={checking !== null} onClick={() => void check(call.tabId)}>
                    {checking === call.tabId ? t('diagnostics_checking') : t('diagnostics_check')}
                  </button>
                </li>
              ))}
            </ul>
          )}
          <button type="button" class="link" onClick={() => void load()}>
            {t('diagnostics_refresh')}
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
    t('diagnostics_reportTitle', report.label),
    report.frames ? tCount('diagnostics_reportPageFrames', report.frames, report.page) : t('diagnostics_reportPage', report.page),
    t(report.hasCode ? 'diagnostics_reportStateCode' : 'diagnostics_reportStateNoCode', report.state ?? t('diagnostics_stateUnknown')),
    t('diagnostics_reportSignals', report.signals.map((s) => `${s.matched ? '+' : '-'}${s.id}`).join(' ')),
    '',
    report.signature,
  ].join('\n');
  return (
    <div class="diagnostics-report" aria-label={t('diagnostics_resultLabel')}>
      <dl class="facts">
        <dt>{t('diagnostics_platform')}</dt>
        <dd>{report.label}</dd>
        <dt>{t('diagnostics_state')}</dt>
        <dd data-testid="diagnostics-state">{stateName(report.state ?? 'unknown')}</dd>
        <dt>{t('diagnostics_meetingCode')}</dt>
        <dd>{report.hasCode ? t('diagnostics_codeRead') : t('diagnostics_codeNone')}</dd>
        <dt>{t('diagnostics_signals')}</dt>
        <dd>{t('diagnostics_signalsMatched', matched, report.signals.length)}</dd>
      </dl>
      {report.signals.length > 0 && (
        <table class="signals">
          <caption class="sr-only">{t('diagnostics_signalsCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('diagnostics_signalColumn')}</th>
              <th scope="col">{t('diagnostics_meansColumn')}</th>
              <th scope="col">{t('diagnostics_seenColumn')}</th>
              <th scope="col">{t('diagnostics_sourceColumn')}</th>
            </tr>
          </thead>
          <tbody>
            {report.signals.map((s) => (
              <tr key={s.id} data-matched={String(s.matched)}>
                <td>
                  {s.id} <span class="muted">{t('diagnostics_signalKind', t(STRENGTH_NAMES[s.strength]), t(KIND_NAMES[s.kind]))}</span>
                </td>
                <td>{stateName(s.state)}</td>
                <td>{s.matched ? t('diagnostics_matched') : t('diagnostics_notSeen')}</td>
                <td class="mono">{s.source}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <button type="button" onClick={() => onCopy(forBugReport)}>
        {t('diagnostics_copy')}
      </button>
      <p class="muted" role="status" aria-live="polite">
        {copied}
      </p>
      <details>
        <summary>{t('diagnostics_showSignature')}</summary>
        <pre class="signature">{forBugReport}</pre>
      </details>
    </div>
  );
}
