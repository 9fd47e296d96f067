import { ErrorEnvelope } from '../../../shared/schemas/index.ts';
import { type ApiClient, createApiClient } from '../../../worker/client.ts';
import { t } from '../i18n.ts';
import { getToken } from './secrets.ts';
import { bookmarkItem, settingsItem } from './storage.ts';

let bookmark: string | undefined;
let bookmarkLoaded = false;

/** The typed client for the configured server, carrying the token and the D1 bookmark. */
export async function api(serverUrl?: string): Promise<ApiClient> {
  const base = serverUrl ?? (await settingsItem.get()).serverUrl;
  const token = (await getToken()) ?? undefined;
  if (!bookmarkLoaded) {
    bookmark = (await bookmarkItem.get()) ?? undefined;
    bookmarkLoaded = true;
  }
  return createApiClient(base, {
    token: () => token,
    bookmark: {
      get: () => bookmark,
      set: (value) => {
        bookmark = value;
        void bookmarkItem.set(value);
      },
    },
  });
}

/** An API answer that was not a success, with the server's message. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body: unknown,
  ) {
    super(message);
  }
  /**
   * Worth retrying later: the server or the network had a problem, the user must sign in again, or the same write
   * is still being processed (its Idempotency-Key is reserved by an earlier attempt that may have died mid-way).
   */
  get retryable(): boolean {
    return this.status >= 500 || this.status === 429 || this.status === 401 || this.status === 0 || this.code === 'in_progress';
  }
}

/** The request never got an answer (offline, DNS, TLS, CORS): the browser's own reason in brackets. */
export function unreachable(error: unknown): ApiFailure {
  return new ApiFailure(0, 'network', t('api_unreachable', error instanceof Error ? error.message : t('api_networkError')), null);
}

/** Unwraps a typed client response: the JSON of a 2xx, else an ApiFailure with the envelope's message. */
export async function unwrap<T>(call: Promise<{ ok: boolean; status: number; json(): Promise<T> }>): Promise<T> {
  let res: { ok: boolean; status: number; json(): Promise<T> };
  try {
    res = await call;
  } catch (error) {
    throw unreachable(error);
  }
  if (res.ok) return res.json();
  const body: unknown = await res.json().catch(() => null);
  const envelope = ErrorEnvelope.safeParse(body);
  throw new ApiFailure(
    res.status,
    envelope.success ? envelope.data.error.code : 'http_error',
    envelope.success ? envelope.data.error.message : t('api_serverAnswered', res.status),
    body,
  );
}
