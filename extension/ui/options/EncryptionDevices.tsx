/**
 * A ready device's part of the encryption section (issue 10): new devices asking to be approved (each checked by the
 * code it shows), the person's devices with Remove behind a confirmation, and the recovery key.
 */
import { useState } from 'preact/hooks';
import { ask } from '../../lib/app-client.ts';
import type { ApprovalRequest, E2eeStatus, OwnDevice } from '../../lib/e2ee-messages.ts';
import { errorMessage } from '../errors.ts';
import { formatDateTime, userTimeZone } from '../format.ts';

type OnStatus = (status: E2eeStatus, recoveryKey?: string | null, replacesOld?: boolean) => void;

export function EncryptionDevices({ status, onStatus, onNotice }: { status: E2eeStatus; onStatus: OnStatus; onNotice: (text: string) => void }) {
  const timeZone = userTimeZone();
  return (
    <>
      {status.approvals.length > 0 && (
        <div class="e2ee-approvals">
          <h3 class="subsection-title">New devices asking to join</h3>
          <ul class="approval-list" aria-label="New devices asking to join">
            {status.approvals.map((request) => (
              <Approval
                key={request.id}
                request={request}
                timeZone={timeZone}
                onApproved={(next) => {
                  onStatus(next);
                  onNotice(`Approved ${request.label}: it can read your notes in a moment.`);
                }}
              />
            ))}
          </ul>
        </div>
      )}
      <h3 class="subsection-title">Your devices</h3>
      {status.devices.length === 0 ? (
        <p class="empty">No devices yet.</p>
      ) : (
        <ul class="device-list" aria-label="Your devices">
          {status.devices.map((device) => (
            <Device
              key={device.deviceKeyId}
              device={device}
              timeZone={timeZone}
              onRemoved={(next) => {
                onStatus(next);
                onNotice(`Removed ${device.label}. Notes written from now on use new keys it does not get.`);
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
          asked {formatDateTime(request.createdAt, timeZone)} · expires {formatDateTime(request.expiresAt, timeZone)}
        </span>
      </p>
      <p class="hint">Approve only a device you are setting up yourself: it will read all your notes.</p>
      <form class="approval-form" onSubmit={approve} noValidate>
        <label class="field">
          <span class="field-label">Type the code your new device shows</span>
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
        <button type="submit" class="primary small" disabled={busy || code.trim() === ''} aria-label={`Approve ${request.label}`}>
          {busy ? 'Approving…' : 'Approve'}
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
      setError(`Not removed: ${errorMessage(e)}`);
      setBusy(false);
    }
  }

  return (
    <li class="device">
      <div class="device-row">
        <span>
          <strong>{device.label}</strong>
          {device.current && <span class="chip">This browser</span>}
          {device.approvedAt === null && <span class="chip chip-waiting">Waiting for approval</span>}
          <span class="muted small-text"> · added {formatDateTime(device.createdAt, timeZone)}</span>
        </span>
        {!device.current && !confirming && (
          <button type="button" class="small danger" aria-label={`Remove ${device.label}`} onClick={() => setConfirming(true)}>
            Remove
          </button>
        )}
      </div>
      {confirming && (
        <div class="confirm-box" role="group" aria-label={`Remove ${device.label}?`}>
          <p>
            Remove {device.label}? It stops getting new keys: notes written from now on cannot be read on it. Use this for a device you lost or no
            longer use.
          </p>
          <div class="row-actions">
            <button type="button" class="small danger" disabled={busy} onClick={() => void remove()}>
              {busy ? 'Removing…' : 'Remove device'}
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
              Keep it
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
      if (!answer.recoveryKey) throw new Error('No new recovery key came back. Try again.');
      setConfirming(false);
      onStatus(answer.status, answer.recoveryKey, hasBackup);
    } catch (e) {
      setError(`No new recovery key: ${errorMessage(e)}`);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="e2ee-recovery">
      <h3 class="subsection-title">Recovery key</h3>
      {hasBackup ? (
        <p class="muted">You have a recovery key. Make a new one if you lost it or someone else may have seen it.</p>
      ) : (
        <p class="banner warn">
          You have no recovery key. Losing every device and the recovery key loses your private notes. Notes shared with your partner stay readable
          through them, and they can share them with you again.
        </p>
      )}
      {confirming ? (
        <div class="confirm-box" role="group" aria-label="Make a new recovery key?">
          <p>Your current recovery key stops working as soon as the new one is made. Make a new one?</p>
          <div class="row-actions">
            <button type="button" class="small primary" disabled={busy} onClick={() => void makeNew()}>
              {busy ? 'Making…' : 'Make the new key'}
            </button>
            <button type="button" class="small" disabled={busy} onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <button type="button" disabled={busy} onClick={() => (hasBackup ? setConfirming(true) : void makeNew())}>
          {busy ? 'Making…' : hasBackup ? 'Make a new recovery key' : 'Make a recovery key'}
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
