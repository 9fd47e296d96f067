/**
 * The "meeting code" of a page no adapter knows, attached by hand: its host and path. Never the query or the
 * fragment, which may hold a passcode or a token.
 */
export function manualCodeOf(url: URL): string {
  return `${url.host}${url.pathname.replace(/\/+$/, '')}`.slice(0, 200);
}
