/**
 * Step 1: paste the invitation link. The link names the organisation's server. Signing in needs access to that server
 * (step 2): where it is already allowed (the manifest's local hosts, or granted before) this step signs in at once;
 * otherwise it keeps the link and hands over to step 2, whose button asks for the permission in a click.
 */
import { useState } from 'preact/hooks';
import { ask } from '../../lib/app-client.ts';
import type { AuthStatus } from '../../lib/app-messages.ts';
import { t } from '../../lib/i18n.ts';
import { hasHostAccess } from '../browser-actions.ts';
import { errorMessage } from '../errors.ts';
import { tNodes } from '../message-nodes.tsx';
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
      setMessage({ kind: 'error', text: t('signInStep_brokenLink') });
      return;
    }
    setBusy(true);
    setMessage(null);
    try {
      if (!(await hasHostAccess(serverUrl))) {
        onPending({ invitation: text, serverUrl });
        setMessage({ kind: 'info', text: t('signInStep_allowToFinish', new URL(serverUrl).host) });
        return;
      }
      const next = await ask('auth.signIn', { invitation: text });
      setInvitation('');
      onSignedIn(next);
    } catch (error) {
      setMessage({ kind: 'error', text: t('signInStep_signInFailed', errorMessage(error)) });
    } finally {
      setBusy(false);
    }
  }

  const userName = auth.user?.name ?? t('signInStep_unknownUser');
  return (
    <Step id="sign-in" number={1} title={t('signInStep_title')} done={auth.signedIn}>
      {auth.signedIn ? (
        <p>
          {auth.organisation
            ? tNodes('signInStep_signedInWithOrganisation', <strong>{userName}</strong>, <strong>{auth.organisation.name}</strong>)
            : tNodes('signInStep_signedIn', <strong>{userName}</strong>)}
        </p>
      ) : (
        <form onSubmit={submit}>
          <p class="muted">{t('signInStep_intro')}</p>
          <label class="field">
            <span class="field-label">{t('signInStep_invitationLabel')}</span>
            <input
              type="text"
              value={invitation}
              autoComplete="off"
              spellcheck={false}
              placeholder={t('signInStep_invitationPlaceholder')}
              onInput={(e) => {
                setInvitation(e.currentTarget.value);
                if (message?.kind === 'error') setMessage(null);
              }}
            />
          </label>
          <button type="submit" class="primary" disabled={busy || invitation.trim() === ''}>
            {busy ? t('signInStep_signingIn') : pending ? t('signInStep_useThisLink') : t('signInStep_continue')}
          </button>
        </form>
      )}
      <StepMessage message={message} />
    </Step>
  );
}
