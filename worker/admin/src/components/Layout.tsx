import type { ComponentChildren } from 'preact';
import type { Organisation, User } from '../../../../shared/schemas/people.ts';
import { useFocusOnChange } from '../hooks.ts';
import type { Route } from '../router.ts';
import { Link } from './Link.tsx';

const NAV: { to: string; label: string; pages: Route['page'][] }[] = [
  { to: '/', label: 'Dashboard', pages: ['dashboard'] },
  { to: '/pairs', label: 'Pairs', pages: ['pairs', 'pair'] },
  { to: '/people', label: 'People', pages: ['people'] },
  { to: '/matching', label: 'Matching', pages: ['matching'] },
  { to: '/audit', label: 'Audit log', pages: ['audit'] },
  { to: '/settings', label: 'Settings', pages: ['settings'] },
];

interface LayoutProps {
  route: Route;
  user: User;
  organisation: Organisation;
  onSignOut: () => void;
  pageKey: string;
  children: ComponentChildren;
}

export function Layout({ route, user, organisation, onSignOut, pageKey, children }: LayoutProps) {
  const main = useFocusOnChange(pageKey);
  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <div class="topbar-inner">
          <div class="brand">
            <strong>Alongside</strong>
            <span>{organisation.name}</span>
          </div>
          <nav class="nav" aria-label="Main">
            {NAV.map((item) => (
              <Link key={item.to} to={item.to} current={item.pages.includes(route.page)}>
                {item.label}
              </Link>
            ))}
          </nav>
          <div class="account">
            <span class="hide-narrow">{user.name}</span>
            <button type="button" class="small" onClick={onSignOut}>
              Sign out
            </button>
          </div>
        </div>
      </header>
      <main id="main" tabIndex={-1} ref={main}>
        {children}
      </main>
    </>
  );
}
