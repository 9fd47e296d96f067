import { useEffect, useState } from 'preact/hooks';

/**
 * A small path router for the admin view. Pages live under the app's base (/admin/); the worker's static assets
 * answer any /admin/… path with index.html, so deep links and reloads work.
 */

export const BASE = import.meta.env.BASE_URL.replace(/\/$/, ''); // "/admin"

export type Route =
  | { page: 'dashboard' }
  | { page: 'pairs' }
  | { page: 'pair'; id: string }
  | { page: 'people' }
  | { page: 'matching'; menteeId?: string }
  | { page: 'audit' }
  | { page: 'settings' }
  | { page: 'not-found' };

/** The app-relative path ("/pairs/…") of a full pathname ("/admin/pairs/…"). */
function appPath(pathname: string): string {
  const rest = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : pathname;
  return `/${rest.replace(/^\/+|\/+$/g, '')}`;
}

export function parseRoute(pathname: string): Route {
  const parts = appPath(pathname).split('/').filter(Boolean).map(decodeURIComponent);
  const [first, second, ...rest] = parts;
  if (rest.length) return { page: 'not-found' };
  if (first === undefined) return { page: 'dashboard' };
  if (first === 'pairs') return second ? { page: 'pair', id: second } : { page: 'pairs' };
  if (first === 'people' && !second) return { page: 'people' };
  if (first === 'audit' && !second) return { page: 'audit' };
  if (first === 'settings' && !second) return { page: 'settings' };
  if (first === 'matching') return second ? { page: 'matching', menteeId: second } : { page: 'matching' };
  return { page: 'not-found' };
}

/** The full href of an app path, e.g. href('/pairs') → "/admin/pairs". */
export const href = (path: string): string => `${BASE}${path === '/' ? '/' : path}`;

const NAVIGATE = 'alongside:navigate';

export function navigate(path: string, opts: { replace?: boolean } = {}): void {
  const url = href(path);
  if (opts.replace) window.history.replaceState(null, '', url);
  else window.history.pushState(null, '', url);
  window.dispatchEvent(new Event(NAVIGATE));
}

/** Query parameters of the current URL, updated in place (filters and sort orders are shareable links). */
export function useQueryState(key: string, fallback: string): [string, (value: string) => void] {
  const read = () => new URLSearchParams(window.location.search).get(key) ?? fallback;
  const [value, setValue] = useState(read);
  const update = (next: string) => {
    const params = new URLSearchParams(window.location.search);
    if (next === fallback) params.delete(key);
    else params.set(key, next);
    const search = params.toString();
    window.history.replaceState(window.history.state, '', `${window.location.pathname}${search ? `?${search}` : ''}`);
    setValue(next);
  };
  return [value, update];
}

export interface Location {
  route: Route;
  /** Changes on every navigation, so pages can key on it. */
  key: string;
}

export function useLocation(): Location {
  const read = (): Location => ({ route: parseRoute(window.location.pathname), key: window.location.pathname });
  const [location, setLocation] = useState(read);
  useEffect(() => {
    const update = () => setLocation(read());
    window.addEventListener('popstate', update);
    window.addEventListener(NAVIGATE, update);
    return () => {
      window.removeEventListener('popstate', update);
      window.removeEventListener(NAVIGATE, update);
    };
  }, []);
  return location;
}

/** Client-side navigation for plain left clicks; new tabs and the like keep the browser's behaviour. */
export function onLinkClick(event: MouseEvent, path: string): void {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  navigate(path);
}
