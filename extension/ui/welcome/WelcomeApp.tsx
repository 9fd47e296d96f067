/**
 * The first-run page (issue 12, item 4), opened by the background on install: four steps, each saying whether it is
 * done. Sign-in goes through the background's `auth.signIn` like the options page; the page itself only asks the
 * browser for permissions and the toolbar state (browser-actions.ts).
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { ask } from '../../lib/app-client.ts';
import type { AuthStatus } from '../../lib/app-messages.ts';
import { t } from '../../lib/i18n.ts';
import { hasHostAccess, openOptionsPage } from '../browser-actions.ts';
import { ErrorBox, Loading } from '../components/Loading.tsx';
import { Logo } from '../components/Logo.tsx';
import { errorMessage } from '../errors.ts';
import { tNodes } from '../message-nodes.tsx';
import { PinStep } from './PinStep.tsx';
import { ServerAccessStep } from './ServerAccessStep.tsx';
import { type PendingInvitation, SignInStep } from './SignInStep.tsx';
import { TestCallStep } from './TestCallStep.tsx';

export function WelcomeApp({ firefox = false, pollMs }: { firefox?: boolean; pollMs?: number }) {
  const [auth, setAuth] = useState<AuthStatus | null>(null);
  const [hostAccess, setHostAccess] = useState(false);
  const [testCallSeen, setTestCallSeen] = useState(false);
  const [pending, setPending] = useState<PendingInvitation | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

  const refreshAccess = useCallback(async (serverUrl: string) => {
    setHostAccess(await hasHostAccess(serverUrl).catch(() => false));
  }, []);

  async function load() {
    setLoadError(null);
    try {
      const [a, status] = await Promise.all([ask('auth.status', {}), ask('welcome.status', {})]);
      await refreshAccess(a.serverUrl);
      setAuth(a);
      setTestCallSeen(status.testCallSeenAt !== null);
    } catch (error) {
      setLoadError(errorMessage(error));
    }
  }
  useEffect(() => {
    void load();
  }, []);

  const signedIn = (next: AuthStatus) => {
    setPending(null);
    setAuth(next);
    void refreshAccess(next.serverUrl);
  };
  const onSeen = useCallback(() => setTestCallSeen(true), []);

  return (
    <div class="options welcome">
      <header class="page-head">
        <h1 class="brand">
          <Logo />
          {t('welcome_title')}
        </h1>
      </header>
      <main>
        <p class="muted">{t('welcome_intro')}</p>
        {loadError ? (
          <ErrorBox message={loadError} onRetry={() => void load()} />
        ) : !auth ? (
          <Loading label={t('welcome_loading')} />
        ) : (
          <ol class="welcome-steps">
            <SignInStep auth={auth} pending={pending} onPending={setPending} onSignedIn={signedIn} />
            <ServerAccessStep
              auth={auth}
              hostAccess={hostAccess}
              pending={pending}
              onGranted={() => setHostAccess(true)}
              onSignedIn={signedIn}
            />
            <PinStep firefox={firefox} {...(pollMs ? { pollMs } : {})} />
            <TestCallStep signedIn={auth.signedIn} seen={testCallSeen} onSeen={onSeen} {...(pollMs ? { pollMs } : {})} />
          </ol>
        )}
        <p class="muted">
          {tNodes(
            'welcome_changeLater',
            <button type="button" class="link" onClick={openOptionsPage}>
              {t('welcome_settingsLink')}
            </button>,
          )}
        </p>
      </main>
    </div>
  );
}
