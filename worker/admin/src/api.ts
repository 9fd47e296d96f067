import { ErrorEnvelope } from '../../../shared/schemas/common.ts';
import { createApiClient } from '../../client.ts';
import { bookmarkStore, tokenStore } from './session.ts';

/** The typed API client (Hono RPC) for the worker that serves this page. */
export const api = createApiClient(window.location.origin, { token: tokenStore.get, bookmark: bookmarkStore });

export type FieldErrors = Record<string, string>;

/** A failed API call, carrying the error envelope `{ error: { code, message, issues } }`. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: { path: (string | number)[]; message: string }[] = [],
  ) {
    super(message);
    this.name = 'ApiFailure';
  }

  /** Issues keyed by their top-level field ("email", "workingHours"), first message wins. */
  fieldErrors(): FieldErrors {
    const out: FieldErrors = {};
    for (const issue of this.issues) {
      const key = issue.path.length ? String(issue.path[0]) : '';
      out[key] ??= issue.message;
    }
    return out;
  }

  get isConflict(): boolean {
    return this.status === 409;
  }
}

type AuthProblem = 'expired' | 'forbidden';
const authListeners = new Set<(problem: AuthProblem) => void>();

/** The app listens here to show the sign-in page (token expired or revoked) or the 403 page. */
export function onAuthProblem(listener: (problem: AuthProblem) => void): () => void {
  authListeners.add(listener);
  return () => authListeners.delete(listener);
}

/** What any failure looks like to the user; non-API errors become a generic message. */
export function toFailure(error: unknown): ApiFailure {
  if (error instanceof ApiFailure) return error;
  if (error instanceof TypeError) {
    return new ApiFailure(0, 'network', 'Could not reach the Alongside server. Check your connection and try again.');
  }
  return new ApiFailure(0, 'internal', error instanceof Error ? error.message : 'Something went wrong');
}

/** What the client's typed responses have in common (Hono's ClientResponse is not a DOM Response). */
interface ResponseLike {
  ok: boolean;
  status: number;
  statusText: string;
  headers: Headers;
  json(): Promise<unknown>;
  blob(): Promise<Blob>;
}

async function failureOf(res: ResponseLike): Promise<ApiFailure> {
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    body = undefined;
  }
  const parsed = ErrorEnvelope.safeParse(body);
  if (parsed.success) {
    const { code, message, issues } = parsed.data.error;
    return new ApiFailure(res.status, code, message, issues);
  }
  return new ApiFailure(res.status, 'internal', `The server answered ${res.status} ${res.statusText}`.trim());
}

export interface CallOptions {
  /**
   * Leave 401/403 to the caller instead of signing out or showing the 403 page (sign-in itself: a used invitation
   * link must not sign out a session that is still valid).
   */
  handleAuth?: boolean;
}

async function checked<R extends ResponseLike>(request: Promise<R>, opts: CallOptions = {}): Promise<R> {
  let res: R;
  try {
    res = await request;
  } catch (error) {
    throw toFailure(error);
  }
  if (res.ok) return res;
  const failure = await failureOf(res);
  if (opts.handleAuth === false) throw failure;
  if (res.status === 401 && tokenStore.get()) for (const l of authListeners) l('expired');
  if (res.status === 403) for (const l of authListeners) l('forbidden');
  throw failure;
}

type JsonOf<R> = R extends { json(): Promise<infer T> } ? T : never;

/** Awaits a typed client call and returns its JSON body, or throws an {@link ApiFailure}. */
export async function call<R extends ResponseLike>(request: Promise<R>, opts: CallOptions = {}): Promise<JsonOf<R>> {
  const res = await checked(request, opts);
  return (await res.json()) as JsonOf<R>;
}

/** Awaits a typed client call whose answer is a file (CSV) and returns it with the server's file name. */
export async function callForFile<R extends ResponseLike>(request: Promise<R>, fallbackName: string): Promise<{ blob: Blob; name: string }> {
  const res = await checked(request);
  const disposition = res.headers.get('content-disposition') ?? '';
  const name = /filename="?([^";]+)"?/i.exec(disposition)?.[1] ?? fallbackName;
  return { blob: await res.blob(), name };
}

/** A fresh Idempotency-Key: a retried or double-clicked write then happens once. */
export const idempotencyKey = (): Record<string, string> => ({ 'idempotency-key': crypto.randomUUID() });
