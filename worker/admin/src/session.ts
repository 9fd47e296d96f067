/**
 * Where the admin's sign-in lives: the bearer token in localStorage (this browser stays signed in until the token
 * expires or the admin signs out) and the D1 bookmark in sessionStorage (read-your-writes within this tab).
 */

const TOKEN_KEY = 'alongside.admin.token';
const BOOKMARK_KEY = 'alongside.admin.bookmark';

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
    return storage('localStorage')?.getItem(TOKEN_KEY) ?? memoryToken;
  },
  set(token: string): void {
    memoryToken = token;
    storage('localStorage')?.setItem(TOKEN_KEY, token);
  },
  clear(): void {
    memoryToken = undefined;
    storage('localStorage')?.removeItem(TOKEN_KEY);
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
