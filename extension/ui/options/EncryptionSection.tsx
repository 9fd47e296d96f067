/**
 * End-to-end encryption on the options page (issue 10): set up this device (and see the recovery key once), wait for
 * approval on a new device or restore it with the recovery key, approve and remove devices, make a new recovery key,
 * and each mentorship's state with its safety number. The background does all the crypto; this page shows statuses.
 */
import { Fragment } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ask } from '../../lib/app-client.ts';
import type { DeviceState, E2eeStatus } from '../../lib/e2ee-messages.ts';
import { t } from '../../lib/i18n.ts';
import { ErrorBox, Loading } from '../components/Loading.tsx';
import { codeGroups, useE2eeStatus } from '../e2ee.ts';
import { errorMessage } from '../errors.ts';
import { EncryptionDevices } from './EncryptionDevices.tsx';
import { EncryptionPairs } from './EncryptionPairs.tsx';
import { RecoveryKeyPanel } from './RecoveryKeyPanel.tsx';

/** How often the status is read while a device waits for approval or notes are being encrypted. */
const BUSY_POLL_MS = 3000;

/** The first device of a person, before (or part-way through) set-up: no keys here yet, or no recovery backup. */
export function needsSetUp(status: E2eeStatus): boolean {
  if (status.state === 'none') return true;
  const otherApproved = status.devices.some((device) => !device.current && device.approvedAt !== null);
  return status.state === 'ready' && !status.hasRecoveryBackup && !otherApproved;
}

export function EncryptionSection({ pollMs = BUSY_POLL_MS }: { pollMs?: number }) {
  const e2ee = useE2eeStatus({ enabled: true, busyMs: pollMs, idleMs: null });
  const [shownKey, setShownKey] = useState<{ key: string; replacesOld: boolean } | null>(null);
  const [notice, setNotice] = useState('');
  const titleRef = useRef<HTMLHeadingElement>(null);
  const { status } = e2ee;
  /** The device state last seen, to notice an approval made on the other device (this page only polls). */
  const lastState = useRef<DeviceState | null>(null);

  useEffect(() => {
    if (!status) return;
    if (lastState.current === 'pending' && status.state === 'ready') {
      setNotice(t('encryptionSection_approvedElsewhere'));
    }
    lastState.current = status.state;
  }, [status?.state]);

  /** A status from an action here (which says what happened itself), and maybe a recovery key to show once. */
  function took(next: E2eeStatus, recoveryKey: string | null = null, replacesOld = false) {
    lastState.current = next.state;
    e2ee.setStatus(next);
    if (recoveryKey) setShownKey({ key: recoveryKey, replacesOld });
  }

  let body;
  if (shownKey) {
    // Nothing else until the key is saved: it is the one thing on this page that cannot be seen again.
    body = (
      <RecoveryKeyPanel
        recoveryKey={shownKey.key}
        replacesOld={shownKey.replacesOld}
        onDone={() => {
          setShownKey(null);
          // The panel that had focus is gone: back to the top of the section.
          titleRef.current?.focus();
          setNotice(shownKey.replacesOld ? t('encryptionSection_newKeySaved') : t('encryptionSection_setUpDone'));
        }}
      />
    );
  } else if (!status) {
    body = e2ee.error ? (
      <ErrorBox message={t('encryptionSection_readFailed', e2ee.error)} onRetry={e2ee.refresh} />
    ) : (
      <Loading label={t('encryptionSection_loading')} />
    );
  } else {
    body = (
      <>
        {needsSetUp(status) ? (
          <SetUp resuming={status.state === 'ready'} onSetUp={(answer) => took(answer.status, answer.recoveryKey)} />
        ) : status.state === 'pending' ? (
          <PendingDevice
            approvalCode={status.approvalCode}
            onRestored={(next) => {
              took(next);
              setNotice(t('encryptionSection_restored'));
            }}
          />
        ) : (
          <EncryptionDevices status={status} onStatus={took} onNotice={setNotice} />
        )}
        {status.state !== 'none' && status.pairs.length > 0 && <EncryptionPairs pairs={status.pairs} />}
        {e2ee.error && (
          <p class="error" role="alert">
            {t('encryptionSection_refreshFailed', e2ee.error)}{' '}
            <button type="button" class="link" onClick={e2ee.refresh}>
              {t('encryptionSection_tryAgain')}
            </button>
          </p>
        )}
      </>
    );
  }

  return (
    <section class="card encryption" aria-labelledby="encryption-title">
      <h2 id="encryption-title" class="section-title" ref={titleRef} tabIndex={-1}>
        {t('encryptionSection_title')}
      </h2>
      <p class="muted">{t('encryptionSection_intro')}</p>
      {body}
      <p class="state-line muted" role="status" aria-live="polite">
        {notice}
      </p>
    </section>
  );
}

function SetUp({ resuming, onSetUp }: { resuming: boolean; onSetUp: (answer: { recoveryKey: string | null; status: E2eeStatus }) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function setUp() {
    setBusy(true);
    setError(null);
    try {
      const answer = await ask('e2ee.setUp', {});
      // The key is shown only from this answer: without one, set-up is not finished and must not look finished.
      if (!answer.recoveryKey && needsSetUp(answer.status)) throw new Error(t('encryptionSection_noKeyCameBack'));
      onSetUp(answer);
    } catch (e) {
      setError(t('encryptionSection_setUpFailed', errorMessage(e)));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="e2ee-setup">
      <h3 class="subsection-title">{resuming ? t('encryptionSection_finishSetUp') : t('encryptionSection_setUpTitle')}</h3>
      <p>{t('encryptionSection_setUpExplained')}</p>
      <p class="banner warn">{t('encryptionSection_setUpWarning')}</p>
      <button type="button" class="primary" disabled={busy} onClick={() => void setUp()}>
        {busy ? t('encryptionSection_settingUp') : t('encryptionSection_setUp')}
      </button>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

function PendingDevice({ approvalCode, onRestored }: { approvalCode: string | null; onRestored: (status: E2eeStatus) => void }) {
  const groups = codeGroups(approvalCode ?? '');
  return (
    <div class="e2ee-pending">
      <h3 class="subsection-title">{t('encryptionSection_pendingTitle')}</h3>
      <p>{t('encryptionSection_pendingHowTo')}</p>
      {groups.length > 0 ? (
        <p class="approval-code mono" aria-label={t('encryptionSection_approvalCode', groups.join(' '))}>
          {/* Spaces between the groups, so a copy or a screen reader keeps them apart. */}
          {groups.map((group, i) => (
            <Fragment key={i}>
              {i > 0 && ' '}
              <span>{group}</span>
            </Fragment>
          ))}
        </p>
      ) : (
        <Loading label={t('encryptionSection_makingCode')} />
      )}
      <p class="hint">{t('encryptionSection_pendingHint')}</p>
      <RestoreForm onRestored={onRestored} />
    </div>
  );
}

function RestoreForm({ onRestored }: { onRestored: (status: E2eeStatus) => void }) {
  const [draft, setDraft] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function restore(event: Event) {
    event.preventDefault();
    const recoveryKey = draft.trim();
    if (!recoveryKey || busy) return;
    setBusy(true);
    setError(null);
    try {
      const next = await ask('e2ee.restore', { recoveryKey });
      setDraft('');
      onRestored(next);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <details class="e2ee-restore">
      <summary>{t('encryptionSection_restoreInstead')}</summary>
      <form onSubmit={restore} noValidate>
        <label class="field">
          <span class="field-label">{t('encryptionSection_recoveryKeyLabel')}</span>
          <input
            type="text"
            class="mono"
            value={draft}
            autoComplete="off"
            autoCapitalize="characters"
            spellcheck={false}
            maxLength={100}
            aria-invalid={error !== null}
            onInput={(e) => {
              setDraft(e.currentTarget.value);
              setError(null);
            }}
          />
        </label>
        <p class="hint">{t('encryptionSection_recoveryKeyHint')}</p>
        <button type="submit" class="primary" disabled={busy || draft.trim() === ''}>
          {busy ? t('encryptionSection_restoring') : t('encryptionSection_restore')}
        </button>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
      </form>
    </details>
  );
}
