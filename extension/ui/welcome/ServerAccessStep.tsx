/**
 * Step 2: allow the organisation's server, the optional host permission asked in context. permissions.request may
 * only run in the handler of a user action (MDN permissions.request: "The request can only be made inside the
 * handler for a user action"; MDN "User actions" lists "Clicking a button on a page bundled with the extension"), so
 * the button's click handler calls requestHostAccess before any other await, exactly as the options page does.
 */
import { useState } from 'preact/hooks';
import { ask } from '../../lib/app-client.ts';
import type { AuthStatus } from '../../lib/app-messages.ts';
import { requestHostAccess } from '../browser-actions.ts';
import { errorMessage } from '../errors.ts';
import type { PendingInvitation } from './SignInStep.tsx';
import { Step, StepMessage } from './Step.tsx';

export function ServerAccessStep({
  auth,
  hostAccess,
  pending,
  onGranted,
  onSignedIn,
}: {
  auth: AuthStatus;
  /** Whether the extension may reach the signed-in server now. */
  hostAccess: boolean;
  pending: PendingInvitation | null;
  onGranted: () => void;
  onSignedIn: (auth: AuthStatus) => void;
}) {
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'info' | 'error'; text: string } | null>(null);
  // The server in question: the one a pasted link names, else the one signed in to.
  const serverUrl = pending?.serverUrl ?? (auth.signedIn ? auth.serverUrl : null);
  const host = serverUrl ? new URL(serverUrl).host : null;
  const done = auth.signedIn && hostAccess && !pending;

  async function allow() {
    if (!serverUrl || !host || busy) return;
    // First, before any other await: the prompt needs this click's user gesture.
    const granted = await requestHostAccess(serverUrl).catch(() => false);
    if (!granted) {
      setMessage({ kind: 'error', text: `Alongside was not allowed to reach ${host}, so it cannot sign you in or sync your notes. Click the button again and choose Allow.` });
      return;
    }
    onGranted();
    if (!pending) {
      setMessage({ kind: 'info', text: `Alongside may now reach ${host}.` });
      return;
    }
    setBusy(true);
    setMessage(null);
    try {
      onSignedIn(await ask('auth.signIn', { invitation: pending.invitation }));
    } catch (error) {
      setMessage({ kind: 'error', text: `Could not sign in: ${errorMessage(error)}` });
    } finally {
      setBusy(false);
    }
  }

  return (
    <Step id="server" number={2} title="Allow your organisation’s server" done={done}>
      {done && host ? (
        <p>
          Alongside may reach <span class="mono">{host}</span>, and only the servers you allow.
        </p>
      ) : host ? (
        <>
          <p class="muted">
            Alongside keeps your notes on your organisation’s server, <span class="mono">{host}</span>. Your browser will ask
            whether Alongside may reach it.
          </p>
          <button type="button" class="primary" disabled={busy} onClick={() => void allow()}>
            {busy ? 'Signing in…' : pending ? `Allow ${host} and sign in` : `Allow ${host}`}
          </button>
        </>
      ) : (
        <p class="muted">Paste your invitation link first (step 1): it names your organisation’s server.</p>
      )}
      <StepMessage message={message} />
    </Step>
  );
}
