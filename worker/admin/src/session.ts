/**
 * Where the admin's sign-in lives: the bearer token and the D1 bookmark (read-your-writes) in sessionStorage, so
 * both last as long as this tab (issue 8). Why sessionStorage and not an HttpOnly cookie: the admin view runs under a
 * strict CSP (script-src 'self', no inline script: worker/admin/public/_headers), so injected script, the one thing
 * that reads web storage, has no way in; a cookie would be sent by the browser on its own and so need CSRF protection
 * on every admin route, and the API is shared with the extension, which uses bearer tokens. sessionStorage rather than
 * localStorage: a token left behind in a closed tab or a shared computer's profile is not reusable from disk, at the
 * cost of signing in again per tab (with a new invitation).
 */

const TOKEN_KEY = 'alongside.admin.token';
const BOOKMARK_KEY = 'alongside.admin.bookmark';

// A token kept in localStorage before this change moves to this tab's sessionStorage and leaves the disk.
const legacyToken = storage('localStorage')?.getItem(TOKEN_KEY);
if (legacyToken) {
  if (!storage('sessionStorage')?.getItem(TOKEN_KEY)) storage('sessionStorage')?.setItem(TOKEN_KEY, legacyToken);
  storage('localStorage')?.removeItem(TOKEN_KEY);
}

function storage(kind: 'localStorage' | 'sessionStorage'): Storage | undefined {
  try {
    return window[kind];
  } catch {
    // Storage can be disabled (privacy settings); the session then lasts as long as the page.
    return undefined;
  }
}

let memoryToken: string | undefined;
let memoryBookmark: string | undefined;

export const tokenStore = {
  get(): string | undefined {
    return storage('sessionStorage')?.getItem(TOKEN_KEY) ?? memoryToken;
  },
  set(token: string): void {
    memoryToken = token;
    storage('sessionStorage')?.setItem(TOKEN_KEY, token);
  },
  clear(): void {
    memoryToken = undefined;
    storage('sessionStorage')?.removeItem(TOKEN_KEY);
    bookmarkStore.clear();
  },
};

export const bookmarkStore = {
  get(): string | undefined {
    return storage('sessionStorage')?.getItem(BOOKMARK_KEY) ?? memoryBookmark;
  },
  set(value: string): void {
    memoryBookmark = value;
    storage('sessionStorage')?.setItem(BOOKMARK_KEY, value);
  },
  clear(): void {
    memoryBookmark = undefined;
    storage('sessionStorage')?.removeItem(BOOKMARK_KEY);
  },
};

/**
 * The invitation code in an admin link (`/admin/#invite=<code>`, what the invitation page links to), removed from the
 * address bar at once so it does not linger in history or get shared by copy-paste.
 */
export function takeInviteFromLocation(): string | undefined {
  const match = /(?:^#|&)invite=([\w-]+)/.exec(window.location.hash);
  if (!match) return undefined;
  const { pathname, search } = window.location;
  window.history.replaceState(window.history.state, '', pathname + search);
  return match[1];
}

/** People paste a bare code, an invitation link (…/invite/<code>) or an admin link (…#invite=<code>). */
export function codeFromInput(input: string): string {
  const text = input.trim();
  const fromHash = /[#&]invite=([\w-]+)/.exec(text);
  if (fromHash?.[1]) return fromHash[1];
  const fromPath = /\/invite\/([\w-]+)\/?$/.exec(text.split(/[?#]/)[0] ?? '');
  return fromPath?.[1] ?? text;
}
