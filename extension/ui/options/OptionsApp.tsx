/**
 * Settings: sign in with an invitation link or code (or sign out), end-to-end encryption on this device, my time zone
 * and working hours and the check-in reminders (when signed in), the Alongside server, self-hosted Jitsi origins, and
 * the call-page check (DiagnosticsSection). The background keeps the token; this page only asks it to sign in and out.
 */
import { useEffect, useState } from 'preact/hooks';
import { ask } from '../../lib/app-client.ts';
import type { AuthStatus, Settings } from '../../lib/app-messages.ts';
import { t, type MessageKey } from '../../lib/i18n.ts';
import type { Role } from '../../../shared/schemas/index.ts';
import { requestHostAccess } from '../browser-actions.ts';
import { ErrorBox, Loading } from '../components/Loading.tsx';
import { errorMessage } from '../errors.ts';
import { DiagnosticsSection } from './DiagnosticsSection.tsx';
import { EncryptionSection } from './EncryptionSection.tsx';
import { RemindersSection } from './RemindersSection.tsx';
import { WorkingHoursSection } from './WorkingHoursSection.tsx';
import { Logo } from '../components/Logo.tsx';
import { tNodes } from '../message-nodes.tsx';

export const DEFAULT_SERVER_URL = 'http://127.0.0.1:8787';

const ROLE_NAMES: Record<Role, MessageKey> = { admin: 'options_roleAdmin', mentor: 'options_roleMentor', mentee: 'options_roleMentee' };

type Feedback = { kind: 'idle' } | { kind: 'busy' } | { kind: 'done'; text: string } | { kind: 'error'; text: string };

/** A server URL the user typed, normalised ("http://host:8787"), or an error sentence. */
export function parseServerUrl(input: string): { url: string } | { error: string } {
  const text = input.trim();
  if (!text) return { error: t('options_serverEmpty') };
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z\d+.-]*:\/\//i.test(text) ? text : `https://${text}`);
  } catch {
    return { error: t('options_serverNotAddress') };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { error: t('options_serverScheme') };
  if (url.username || url.password) return { error: t('options_serverCredentials') };
  if (url.search || url.hash) return { error: t('options_serverQuery') };
  return { url: `${url.origin}${url.pathname.replace(/\/+$/, '')}` };
}

/** A Jitsi server the user typed, as its origin ("https://jitsi.example.org"), or an error sentence. */
export function parseOrigin(input: string): { origin: string } | { error: string } {
  const text = input.trim();
  if (!text) return { error: t('options_jitsiEmpty') };
  try {
    const url = new URL(/^[a-z][a-z\d+.-]*:\/\//i.test(text) ? text : `https://${text}`);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return { error: t('options_jitsiScheme') };
    return { origin: url.origin };
  } catch {
    return { error: t('options_jitsiNotAddress') };
  }
}

function isLocal(url: string): boolean {
  const { hostname } = new URL(url);
  return hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]';
}

export function OptionsApp() {
  const [auth, setAuth] = useState<AuthStatus | null>(null);
  const [settings, setSettings] = useState<Settings | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

  async function load() {
    setLoadError(null);
    try {
      const [a, s] = await Promise.all([ask('auth.status', {}), ask('settings.get', {})]);
      setAuth(a);
      setSettings(s);
    } catch (error) {
      setLoadError(errorMessage(error));
    }
  }
  useEffect(() => {
    void load();
  }, []);

  return (
    <div class="options">
      <header class="page-head">
        <h1 class="brand">
          <Logo />
          {t('options_title')}
        </h1>
      </header>
      <main>
        {loadError ? (
          <ErrorBox message={loadError} onRetry={() => void load()} />
        ) : !auth || !settings ? (
          <Loading label={t('options_loading')} />
        ) : (
          <>
            <AccountSection
              auth={auth}
              serverUrl={settings.serverUrl}
              onAuth={(next) => {
                setAuth(next);
                // Signing in with a link may also have set the server from it.
                ask('settings.get', {}).then(setSettings, () => undefined);
              }}
            />
            {auth.signedIn && (
              <>
                <EncryptionSection />
                <WorkingHoursSection />
                <RemindersSection />
              </>
            )}
            <ServerSection settings={settings} signedIn={auth.signedIn} onSaved={setSettings} />
            <JitsiSection settings={settings} onSaved={setSettings} />
            <DiagnosticsSection />
          </>
        )}
      </main>
    </div>
  );
}

function AccountSection({ auth, serverUrl, onAuth }: { auth: AuthStatus; serverUrl: string; onAuth: (auth: AuthStatus) => void }) {
  const [invitation, setInvitation] = useState('');
  const [state, setState] = useState<Feedback>({ kind: 'idle' });

  async function signIn(event: Event) {
    event.preventDefault();
    const text = invitation.trim();
    if (!text || state.kind === 'busy') return;
    // A pasted link carries its server; the background takes it from there. A bare code goes to the saved server.
    const isLink = /^https?:\/\//i.test(text);
    let target = serverUrl;
    if (isLink) {
      try {
        target = new URL(text).origin;
      } catch {
        setState({ kind: 'error', text: t('options_linkBroken') });
        return;
      }
    }
    // Before any other await: the permission prompt needs the click's user gesture.
    const granted = await requestHostAccess(target).catch(() => false);
    if (!granted) {
      setState({ kind: 'error', text: t('options_signInPermission', new URL(target).host) });
      return;
    }
    setState({ kind: 'busy' });
    try {
      const next = await ask('auth.signIn', { invitation: text });
      setInvitation('');
      setState({ kind: 'done', text: next.user ? t('options_signedInAs', next.user.name) : t('options_signedIn') });
      onAuth(next);
    } catch (error) {
      setState({ kind: 'error', text: t('options_signInFailed', errorMessage(error)) });
    }
  }

  async function signOut() {
    setState({ kind: 'busy' });
    try {
      onAuth(await ask('auth.signOut', {}));
      setState({ kind: 'done', text: t('options_signedOut') });
    } catch (error) {
      setState({ kind: 'error', text: t('options_signOutFailed', errorMessage(error)) });
    }
  }

  return (
    <section class="card" aria-labelledby="account-title">
      <h2 id="account-title" class="section-title">
        {t('options_accountTitle')}
      </h2>
      {auth.signedIn ? (
        <>
          <p>
            <SignedInAs auth={auth} />
          </p>
          <button type="button" disabled={state.kind === 'busy'} onClick={() => void signOut()}>
            {state.kind === 'busy' ? t('options_signingOut') : t('options_signOut')}
          </button>
        </>
      ) : (
        <form onSubmit={signIn}>
          <p class="muted">{t('options_invitationHint')}</p>
          <label class="field">
            <span class="field-label">{t('options_invitationLabel')}</span>
            <input
              type="text"
              value={invitation}
              autoComplete="off"
              spellcheck={false}
              placeholder={t('options_invitationPlaceholder', serverUrl)}
              onInput={(e) => {
                setInvitation(e.currentTarget.value);
                if (state.kind === 'error') setState({ kind: 'idle' });
              }}
            />
          </label>
          <button type="submit" class="primary" disabled={state.kind === 'busy' || invitation.trim() === ''}>
            {state.kind === 'busy' ? t('options_signingIn') : t('options_signIn')}
          </button>
        </form>
      )}
      <StateLine state={state} />
    </section>
  );
}

/** "Signed in as <strong>Ana</strong> (mentor, ana@example.org) in <strong>Open Mentors</strong> on <span>…</span>." */
function SignedInAs({ auth }: { auth: AuthStatus }) {
  const { user, organisation } = auth;
  const who = !user
    ? <strong>{t('options_unknownUser')}</strong>
    : user.email
      ? tNodes('options_userRoleEmail', <strong>{user.name}</strong>, t(ROLE_NAMES[user.role]), user.email)
      : tNodes('options_userRole', <strong>{user.name}</strong>, t(ROLE_NAMES[user.role]));
  const server = <span class="mono">{auth.serverUrl}</span>;
  return (
    <>
      {organisation
        ? tNodes('options_accountSignedInOrganisation', who, <strong>{organisation.name}</strong>, server)
        : tNodes('options_accountSignedIn', who, server)}
    </>
  );
}

function ServerSection({ settings, signedIn, onSaved }: { settings: Settings; signedIn: boolean; onSaved: (settings: Settings) => void }) {
  const [draft, setDraft] = useState(settings.serverUrl);
  const [state, setState] = useState<Feedback>({ kind: 'idle' });
  useEffect(() => setDraft(settings.serverUrl), [settings.serverUrl]);

  const parsed = parseServerUrl(draft);
  const changed = 'url' in parsed ? parsed.url !== settings.serverUrl : draft.trim() !== settings.serverUrl;

  async function save(event: Event) {
    event.preventDefault();
    if (!('url' in parsed)) {
      setState({ kind: 'error', text: parsed.error });
      return;
    }
    const granted = await requestHostAccess(parsed.url).catch(() => false);
    if (!granted) {
      setState({ kind: 'error', text: t('options_serverPermission', new URL(parsed.url).host) });
      return;
    }
    setState({ kind: 'busy' });
    try {
      const next = await ask('settings.set', { serverUrl: parsed.url });
      onSaved(next);
      setDraft(next.serverUrl);
      setState({ kind: 'done', text: t('options_saved') });
    } catch (error) {
      setState({ kind: 'error', text: t('options_notSaved', errorMessage(error)) });
    }
  }

  const insecure = 'url' in parsed && parsed.url.startsWith('http://') && !isLocal(parsed.url);
  return (
    <section class="card" aria-labelledby="server-title">
      <h2 id="server-title" class="section-title">
        {t('options_serverTitle')}
      </h2>
      <form onSubmit={save} noValidate>
        <label class="field">
          <span class="field-label">{t('options_serverLabel')}</span>
          <input
            type="url"
            value={draft}
            spellcheck={false}
            placeholder={DEFAULT_SERVER_URL}
            aria-invalid={draft.trim() !== '' && !('url' in parsed)}
            aria-describedby="server-hint"
            onInput={(e) => {
              setDraft(e.currentTarget.value);
              setState({ kind: 'idle' });
            }}
          />
        </label>
        <p id="server-hint" class="hint">
          {insecure
            ? t('options_serverInsecure')
            : signedIn
              ? t('options_serverHintSignedIn')
              : t('options_serverHint', DEFAULT_SERVER_URL)}
        </p>
        <div class="row-actions">
          <button type="submit" class="primary" disabled={state.kind === 'busy' || !changed}>
            {state.kind === 'busy' ? t('options_saving') : t('options_save')}
          </button>
          {settings.serverUrl !== DEFAULT_SERVER_URL && (
            <button type="button" class="link" onClick={() => setDraft(DEFAULT_SERVER_URL)}>
              {t('options_useLocalServer')}
            </button>
          )}
        </div>
      </form>
      <StateLine state={state} />
    </section>
  );
}

function JitsiSection({ settings, onSaved }: { settings: Settings; onSaved: (settings: Settings) => void }) {
  const [draft, setDraft] = useState('');
  const [state, setState] = useState<Feedback>({ kind: 'idle' });

  async function save(origins: string[], done: string) {
    setState({ kind: 'busy' });
    try {
      const next = await ask('settings.set', { jitsiOrigins: origins });
      onSaved(next);
      setState({ kind: 'done', text: done });
      return true;
    } catch (error) {
      setState({ kind: 'error', text: t('options_notSaved', errorMessage(error)) });
      return false;
    }
  }

  async function add(event: Event) {
    event.preventDefault();
    const parsed = parseOrigin(draft);
    if (!('origin' in parsed)) {
      setState({ kind: 'error', text: parsed.error });
      return;
    }
    if (parsed.origin === 'https://meet.jit.si') {
      setState({ kind: 'error', text: t('options_jitsiBuiltIn') });
      return;
    }
    if (settings.jitsiOrigins.includes(parsed.origin)) {
      setState({ kind: 'error', text: t('options_jitsiDuplicate', parsed.origin) });
      return;
    }
    // Before any other await: the permission prompt needs the click's user gesture.
    const granted = await requestHostAccess(parsed.origin).catch(() => false);
    if (!granted) {
      setState({ kind: 'error', text: t('options_jitsiPermission', new URL(parsed.origin).host) });
      return;
    }
    if (await save([...settings.jitsiOrigins, parsed.origin], t('options_jitsiAdded', parsed.origin))) setDraft('');
  }

  return (
    <section class="card" aria-labelledby="jitsi-title">
      <h2 id="jitsi-title" class="section-title">
        {t('options_jitsiTitle')}
      </h2>
      <p class="muted">{t('options_jitsiIntro')}</p>
      {settings.jitsiOrigins.length === 0 ? (
        <p class="empty">{t('options_jitsiNone')}</p>
      ) : (
        <ul class="origin-list" aria-label={t('options_jitsiListLabel')}>
          {settings.jitsiOrigins.map((origin) => (
            <li key={origin}>
              <span class="mono">{origin}</span>
              <button
                type="button"
                class="link danger"
                aria-label={t('options_jitsiRemoveLabel', origin)}
                disabled={state.kind === 'busy'}
                onClick={() => void save(settings.jitsiOrigins.filter((o) => o !== origin), t('options_jitsiRemoved', origin))}
              >
                {t('options_jitsiRemove')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <form class="inline-form" onSubmit={add} noValidate>
        <input
          type="url"
          value={draft}
          spellcheck={false}
          placeholder={t('options_jitsiPlaceholder')}
          aria-label={t('options_jitsiAddressLabel')}
          onInput={(e) => {
            setDraft(e.currentTarget.value);
            if (state.kind === 'error') setState({ kind: 'idle' });
          }}
        />
        <button type="submit" disabled={state.kind === 'busy' || draft.trim() === ''}>
          {t('options_jitsiAdd')}
        </button>
      </form>
      <StateLine state={state} />
    </section>
  );
}

function StateLine({ state }: { state: Feedback }) {
  return (
    <p class={`state-line ${state.kind === 'error' ? 'error' : 'muted'}`} role="status" aria-live="polite">
      {state.kind === 'done' || state.kind === 'error' ? state.text : ''}
    </p>
  );
}
