/**
 * Step 1: paste the invitation link. The link names the organisation's server. Signing in needs access to that server
 * (step 2): where it is already allowed (the manifest's local hosts, or granted before) this step signs in at once;
 * otherwise it keeps the link and hands over to step 2, whose button asks for the permission in a click.
 */
import { useState } from 'preact/hooks';
import { ask } from '../../lib/app-client.ts';
import type { AuthStatus } from '../../lib/app-messages.ts';
import { hasHostAccess } from '../browser-actions.ts';
import { errorMessage } from '../errors.ts';
import { Step, StepMessage } from './Step.tsx';

export interface PendingInvitation {
  invitation: string;
  serverUrl: string;
}

/** The server an invitation names: a link's own origin, or the saved server for a bare code. Null: a broken link. */
export function invitationServer(text: string, savedServer: string): string | null {
  if (!/^https?:\/\//i.test(text)) return savedServer;
  try {
    return new URL(text).origin;
  } catch {
    return null;
  }
}

export function SignInStep({
  auth,
  pending,
  onPending,
  onSignedIn,
}: {
  auth: AuthStatus;
  pending: PendingInvitation | null;
  onPending: (pending: PendingInvitation) => void;
  onSignedIn: (auth: AuthStatus) => void;
}) {
  const [invitation, setInvitation] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'info' | 'error'; text: string } | null>(null);

  async function submit(event: Event) {
    event.preventDefault();
    const text = invitation.trim();
    if (!text || busy) return;
    const serverUrl = invitationServer(text, auth.serverUrl);
    if (!serverUrl) {
      setMessage({ kind: 'error', text: 'That link looks broken — copy it again from your invitation.' });
      return;
    }
    setBusy(true);
    setMessage(null);
    try {
      if (!(await hasHostAccess(serverUrl))) {
        onPending({ invitation: text, serverUrl });
        setMessage({ kind: 'info', text: `Almost there: allow Alongside to reach ${new URL(serverUrl).host} in step 2 to finish signing in.` });
        return;
      }
      const next = await ask('auth.signIn', { invitation: text });
      setInvitation('');
      onSignedIn(next);
    } catch (error) {
      setMessage({ kind: 'error', text: `Could not sign in: ${errorMessage(error)}` });
    } finally {
      setBusy(false);
    }
  }

  return (
    <Step id="sign-in" number={1} title="Paste your invitation link" done={auth.signedIn}>
      {auth.signedIn ? (
        <p>
          Signed in as <strong>{auth.user?.name ?? 'unknown'}</strong>
          {auth.organisation && (
            <>
              {' '}
              in <strong>{auth.organisation.name}</strong>
            </>
          )}
          .
        </p>
      ) : (
        <form onSubmit={submit}>
          <p class="muted">Your programme sent you an invitation link. Paste it here (or type the code from it).</p>
          <label class="field">
            <span class="field-label">Invitation link or code</span>
            <input
              type="text"
              value={invitation}
              autoComplete="off"
              spellcheck={false}
              placeholder="https://alongside.example.org/invite/…"
              onInput={(e) => {
                setInvitation(e.currentTarget.value);
                if (message?.kind === 'error') setMessage(null);
              }}
            />
          </label>
          <button type="submit" class="primary" disabled={busy || invitation.trim() === ''}>
            {busy ? 'Signing in…' : pending ? 'Use this link instead' : 'Continue'}
          </button>
        </form>
      )}
      <StepMessage message={message} />
    </Step>
  );
}
