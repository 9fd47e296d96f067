/**
 * A ready device's part of the encryption section (issue 10): new devices asking to be approved (each checked by the
 * code it shows), the person's devices with Remove behind a confirmation, and the recovery key.
 */
import { useState } from 'preact/hooks';
import { ask } from '../../lib/app-client.ts';
import type { ApprovalRequest, E2eeStatus, OwnDevice } from '../../lib/e2ee-messages.ts';
import { t } from '../../lib/i18n.ts';
import { errorMessage } from '../errors.ts';
import { formatDateTime, userTimeZone } from '../format.ts';

type OnStatus = (status: E2eeStatus, recoveryKey?: string | null, replacesOld?: boolean) => void;

export function EncryptionDevices({ status, onStatus, onNotice }: { status: E2eeStatus; onStatus: OnStatus; onNotice: (text: string) => void }) {
  const timeZone = userTimeZone();
  return (
    <>
      {status.approvals.length > 0 && (
        <div class="e2ee-approvals">
          <h3 class="subsection-title">{t('encryptionDevices_approvalsTitle')}</h3>
          <ul class="approval-list" aria-label={t('encryptionDevices_approvalsTitle')}>
            {status.approvals.map((request) => (
              <Approval
                key={request.id}
                request={request}
                timeZone={timeZone}
                onApproved={(next) => {
                  onStatus(next);
                  onNotice(t('encryptionDevices_approved', request.label));
                }}
              />
            ))}
          </ul>
        </div>
      )}
      <h3 class="subsection-title">{t('encryptionDevices_devicesTitle')}</h3>
      {status.devices.length === 0 ? (
        <p class="empty">{t('encryptionDevices_none')}</p>
      ) : (
        <ul class="device-list" aria-label={t('encryptionDevices_devicesTitle')}>
          {status.devices.map((device) => (
            <Device
              key={device.deviceKeyId}
              device={device}
              timeZone={timeZone}
              onRemoved={(next) => {
                onStatus(next);
                onNotice(t('encryptionDevices_removed', device.label));
              }}
            />
          ))}
        </ul>
      )}
      <RecoveryKey hasBackup={status.hasRecoveryBackup} onStatus={onStatus} />
    </>
  );
}

function Approval({ request, timeZone, onApproved }: { request: ApprovalRequest; timeZone: string; onApproved: (status: E2eeStatus) => void }) {
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function approve(event: Event) {
    event.preventDefault();
    if (!code.trim() || busy) return;
    setBusy(true);
    setError(null);
    try {
      onApproved(await ask('e2ee.approve', { approvalId: request.id, code: code.trim() }));
    } catch (e) {
      // A mismatch comes back as the background's sentence ("The code does not match… Do not approve it…").
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <li class="approval">
      <p>
        <strong>{request.label}</strong>{' '}
        <span class="muted">
          {t('encryptionDevices_askedExpires', formatDateTime(request.createdAt, timeZone), formatDateTime(request.expiresAt, timeZone))}
        </span>
      </p>
      <p class="hint">{t('encryptionDevices_approveWarning')}</p>
      <form class="approval-form" onSubmit={approve} noValidate>
        <label class="field">
          <span class="field-label">{t('encryptionDevices_codeLabel')}</span>
          <input
            type="text"
            class="mono"
            inputMode="numeric"
            autoComplete="off"
            spellcheck={false}
            maxLength={60}
            value={code}
            aria-invalid={error !== null}
            onInput={(e) => {
              setCode(e.currentTarget.value);
              setError(null);
            }}
          />
        </label>
        <button type="submit" class="primary small" disabled={busy || code.trim() === ''} aria-label={t('encryptionDevices_approveLabel', request.label)}>
          {busy ? t('encryptionDevices_approving') : t('encryptionDevices_approve')}
        </button>
      </form>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </li>
  );
}

function Device({ device, timeZone, onRemoved }: { device: OwnDevice; timeZone: string; onRemoved: (status: E2eeStatus) => void }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function remove() {
    setBusy(true);
    setError(null);
    try {
      onRemoved(await ask('e2ee.removeDevice', { deviceKeyId: device.deviceKeyId }));
    } catch (e) {
      setError(t('encryptionDevices_notRemoved', errorMessage(e)));
      setBusy(false);
    }
  }

  return (
    <li class="device">
      <div class="device-row">
        <span>
          <strong>{device.label}</strong>
          {device.current && <span class="chip">{t('encryptionDevices_thisBrowser')}</span>}
          {device.approvedAt === null && <span class="chip chip-waiting">{t('encryptionDevices_waiting')}</span>}
          <span class="muted small-text"> · {t('encryptionDevices_added', formatDateTime(device.createdAt, timeZone))}</span>
        </span>
        {!device.current && !confirming && (
          <button type="button" class="small danger" aria-label={t('encryptionDevices_removeLabel', device.label)} onClick={() => setConfirming(true)}>
            {t('encryptionDevices_remove')}
          </button>
        )}
      </div>
      {confirming && (
        <div class="confirm-box" role="group" aria-label={t('encryptionDevices_confirmLabel', device.label)}>
          <p>{t('encryptionDevices_confirm', device.label)}</p>
          <div class="row-actions">
            <button type="button" class="small danger" disabled={busy} onClick={() => void remove()}>
              {busy ? t('encryptionDevices_removing') : t('encryptionDevices_removeDevice')}
            </button>
            <button
              type="button"
              class="small"
              disabled={busy}
              onClick={() => {
                setConfirming(false);
                setError(null);
              }}
            >
              {t('encryptionDevices_keep')}
            </button>
          </div>
        </div>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </li>
  );
}

function RecoveryKey({ hasBackup, onStatus }: { hasBackup: boolean; onStatus: OnStatus }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function makeNew() {
    setBusy(true);
    setError(null);
    try {
      const answer = await ask('e2ee.newRecoveryKey', {});
      if (!answer.recoveryKey) throw new Error(t('encryptionDevices_noKeyCameBack'));
      setConfirming(false);
      onStatus(answer.status, answer.recoveryKey, hasBackup);
    } catch (e) {
      setError(t('encryptionDevices_noNewKey', errorMessage(e)));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="e2ee-recovery">
      <h3 class="subsection-title">{t('encryptionDevices_recoveryTitle')}</h3>
      {hasBackup ? (
        <p class="muted">{t('encryptionDevices_hasRecoveryKey')}</p>
      ) : (
        <p class="banner warn">{t('encryptionDevices_noRecoveryKey')}</p>
      )}
      {confirming ? (
        <div class="confirm-box" role="group" aria-label={t('encryptionDevices_newKeyConfirmLabel')}>
          <p>{t('encryptionDevices_newKeyConfirm')}</p>
          <div class="row-actions">
            <button type="button" class="small primary" disabled={busy} onClick={() => void makeNew()}>
              {busy ? t('encryptionDevices_making') : t('encryptionDevices_makeTheNewKey')}
            </button>
            <button type="button" class="small" disabled={busy} onClick={() => setConfirming(false)}>
              {t('encryptionDevices_cancel')}
            </button>
          </div>
        </div>
      ) : (
        <button type="button" disabled={busy} onClick={() => (hasBackup ? setConfirming(true) : void makeNew())}>
          {busy ? t('encryptionDevices_making') : hasBackup ? t('encryptionDevices_makeNewKey') : t('encryptionDevices_makeKey')}
        </button>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
