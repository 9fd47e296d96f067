import { hc } from 'hono/client';
import { BOOKMARK_HEADER } from '../shared/schemas/common.ts';
// Declarations emitted by `tsc -p worker/tsconfig.types.json` (part of `npm run typecheck`): DOM code cannot load the
// Workers runtime types that the worker's own sources need.
import type { AppType } from '../.types/worker/app.d.ts';

export interface ApiClientOptions {
  /** The current bearer token, if signed in. */
  token?: () => string | undefined;
  /** The D1 Sessions bookmark to send, and where to keep the one that comes back (read-your-writes). */
  bookmark?: { get(): string | undefined; set(value: string): void };
  fetch?: typeof fetch;
}

/**
 * The typed API client (Hono RPC) used by the extension's background and the admin view. Sends the token and the
 * D1 bookmark with every request and keeps the newest bookmark.
 */
export function createApiClient(baseUrl: string, opts: ApiClientOptions = {}) {
  const baseFetch = opts.fetch ?? fetch;
  const wrappedFetch: typeof fetch = async (input, init) => {
    const headers = new Headers(init?.headers);
    const token = opts.token?.();
    if (token) headers.set('authorization', `Bearer ${token}`);
    const bookmark = opts.bookmark?.get();
    if (bookmark) headers.set(BOOKMARK_HEADER, bookmark);
    const res = await baseFetch(input, { ...init, headers });
    const next = res.headers.get(BOOKMARK_HEADER);
    if (next) opts.bookmark?.set(next);
    return res;
  };
  return hc<AppType>(baseUrl.replace(/\/+$/, ''), { fetch: wrappedFetch }).api.v1;
}

export type ApiClient = ReturnType<typeof createApiClient>;
