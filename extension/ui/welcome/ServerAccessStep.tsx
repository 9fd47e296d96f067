/**
 * Step 2: allow the organisation's server, the optional host permission asked in context. permissions.request may
 * only run in the handler of a user action (MDN permissions.request: "The request can only be made inside the
 * handler for a user action"; MDN "User actions" lists "Clicking a button on a page bundled with the extension"), so
 * the button's click handler calls requestHostAccess before any other await, exactly as the options page does.
 */
import { useState } from 'preact/hooks';
import { ask } from '../../lib/app-client.ts';
import type { AuthStatus } from '../../lib/app-messages.ts';
import { t } from '../../lib/i18n.ts';
import { requestHostAccess } from '../browser-actions.ts';
import { errorMessage } from '../errors.ts';
import { tNodes } from '../message-nodes.tsx';
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
      setMessage({ kind: 'error', text: t('serverAccessStep_denied', host) });
      return;
    }
    onGranted();
    if (!pending) {
      setMessage({ kind: 'info', text: t('serverAccessStep_granted', host) });
      return;
    }
    setBusy(true);
    setMessage(null);
    try {
      onSignedIn(await ask('auth.signIn', { invitation: pending.invitation }));
    } catch (error) {
      setMessage({ kind: 'error', text: t('serverAccessStep_signInFailed', errorMessage(error)) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <Step id="server" number={2} title={t('serverAccessStep_title')} done={done}>
      {done && host ? (
        <p>{tNodes('serverAccessStep_allowed', <span class="mono">{host}</span>)}</p>
      ) : host ? (
        <>
          <p class="muted">{tNodes('serverAccessStep_explain', <span class="mono">{host}</span>)}</p>
          <button type="button" class="primary" disabled={busy} onClick={() => void allow()}>
            {busy ? t('serverAccessStep_signingIn') : pending ? t('serverAccessStep_allowAndSignIn', host) : t('serverAccessStep_allow', host)}
          </button>
        </>
      ) : (
        <p class="muted">{t('serverAccessStep_pasteFirst')}</p>
      )}
      <StepMessage message={message} />
    </Step>
  );
}
