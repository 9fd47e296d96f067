import { useEffect, useState } from 'preact/hooks';
import type { Organisation, User } from '../../../shared/schemas/people.ts';
import { api, call, onAuthProblem, toFailure } from './api.ts';
import { Layout } from './components/Layout.tsx';
import { Loading } from './components/Status.tsx';
import { Toasts, toast } from './components/Toasts.tsx';
import { AuditPage } from './pages/Audit.tsx';
import { DashboardPage } from './pages/Dashboard.tsx';
import { ForbiddenPage } from './pages/Forbidden.tsx';
import { MatchingPage } from './pages/Matching.tsx';
import { NotFoundPage } from './pages/NotFound.tsx';
import { PairPage } from './pages/Pair.tsx';
import { PairsPage } from './pages/Pairs.tsx';
import { PeoplePage } from './pages/People.tsx';
import { SettingsPage } from './pages/Settings.tsx';
import { SignInPage } from './pages/SignIn.tsx';
import { type Route, useLocation } from './router.ts';
import { codeFromInput, takeInviteFromLocation, tokenStore } from './session.ts';

export type SessionState =
  | { status: 'checking' }
  | { status: 'signed-out'; notice?: string; error?: string }
  | { status: 'forbidden'; user: User }
  | { status: 'signed-in'; user: User; organisation: Organisation };

function sessionOf(user: User, organisation: Organisation): SessionState {
  return user.role === 'admin' ? { status: 'signed-in', user, organisation } : { status: 'forbidden', user };
}

export function App() {
  const [session, setSession] = useState<SessionState>({ status: 'checking' });
  const location = useLocation();

  const redeem = async (input: string) => {
    const { token, user, organisation } = await call(api.auth.redeem.$post({ json: { code: codeFromInput(input) } }), { handleAuth: false });
    tokenStore.set(token);
    setSession(sessionOf(user, organisation));
  };

  const signOut = async () => {
    // Revoke the token on the server too; if that fails (offline), forgetting it here still signs this browser out.
    if (tokenStore.get()) await call(api.auth.signout.$post(), { handleAuth: false }).catch(() => undefined);
    tokenStore.clear();
    setSession({ status: 'signed-out', notice: 'You are signed out.' });
  };

  /** Redeems an admin link's code; true when that settled the session (signed in, or signed out with the reason). */
  const acceptInvite = async (invite: string): Promise<boolean> => {
    try {
      await redeem(invite);
      return true;
    } catch (error) {
      if (!tokenStore.get()) {
        setSession({ status: 'signed-out', error: toFailure(error).message });
        return true;
      }
      // An old or used link while signed in: keep the current sign-in.
      toast('That invitation link was already used or has expired; you are still signed in.');
      return false;
    }
  };

  useEffect(() => {
    const start = async () => {
      const invite = takeInviteFromLocation();
      if (invite && (await acceptInvite(invite))) return;
      if (!tokenStore.get()) return setSession({ status: 'signed-out' });
      try {
        const { user, organisation } = await call(api.auth.me.$get(), { handleAuth: false });
        setSession(sessionOf(user, organisation));
      } catch (error) {
        const failure = toFailure(error);
        if (failure.status === 401) tokenStore.clear();
        setSession({ status: 'signed-out', error: failure.status === 401 ? 'Your sign-in has expired. Sign in again with a new invitation link.' : failure.message });
      }
    };
    void start();
    // An admin link pasted into the address bar of an open tab only changes the hash.
    const onHashChange = () => {
      const invite = takeInviteFromLocation();
      if (invite) void acceptInvite(invite);
    };
    window.addEventListener('hashchange', onHashChange);
    const stopListening = onAuthProblem((problem) => {
      if (problem === 'expired') {
        tokenStore.clear();
        setSession({ status: 'signed-out', error: 'Your sign-in has expired or was revoked. Sign in again with a new invitation link.' });
      } else {
        setSession((s) => (s.status === 'signed-in' ? { status: 'forbidden', user: s.user } : s));
      }
    });
    return () => {
      window.removeEventListener('hashchange', onHashChange);
      stopListening();
    };
  }, []);

  let content;
  if (session.status === 'checking') {
    content = (
      <main class="centered">
        <Loading label="Signing in…" />
      </main>
    );
  } else if (session.status === 'signed-out') {
    content = <SignInPage onSubmit={redeem} notice={session.notice} error={session.error} />;
  } else if (session.status === 'forbidden') {
    content = <ForbiddenPage user={session.user} onSignOut={signOut} />;
  } else {
    content = (
      <Layout route={location.route} user={session.user} organisation={session.organisation} onSignOut={signOut} pageKey={location.key}>
        <Page route={location.route} me={session.user} />
      </Layout>
    );
  }
  return (
    <>
      {content}
      <Toasts />
    </>
  );
}

function Page({ route, me }: { route: Route; me: User }) {
  switch (route.page) {
    case 'dashboard':
      return <DashboardPage />;
    case 'pairs':
      return <PairsPage />;
    case 'pair':
      return <PairPage id={route.id} key={route.id} />;
    case 'people':
      return <PeoplePage me={me} />;
    case 'audit':
      return <AuditPage />;
    case 'settings':
      return <SettingsPage />;
    case 'matching':
      return <MatchingPage menteeId={route.menteeId} key={route.menteeId ?? ''} />;
    default:
      return <NotFoundPage />;
  }
}
