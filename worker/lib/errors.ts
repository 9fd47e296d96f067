import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ErrorCode, ErrorEnvelope } from '../../shared/schemas/index.ts';

type Issues = NonNullable<ErrorEnvelope['error']['issues']>;

/**
 * An expected failure. Routes throw it; `onError` turns it into the one error envelope
 * `{ error: { code, message, issues? } }` (plus `current` on a version conflict).
 */
export class ApiError extends HTTPException {
  constructor(
    status: ContentfulStatusCode,
    readonly code: ErrorCode,
    message: string,
    readonly extra: { issues?: Issues; current?: unknown } = {},
  ) {
    super(status, { message });
  }
}

export const notFound = (what: string) => new ApiError(404, 'not_found', `${what} not found`);
export const forbidden = (message = 'You do not have access to this') => new ApiError(403, 'forbidden', message);
export const versionConflict = (current: unknown) =>
  new ApiError(409, 'version_conflict', 'This was changed by someone else; reload and try again', { current });

const codeByStatus: Partial<Record<number, ErrorCode>> = {
  400: 'invalid_input',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
};

export function errorResponse(err: Error, c: Context): Response {
  if (err instanceof ApiError) {
    const body = { error: { code: err.code, message: err.message, ...(err.extra.issues ? { issues: err.extra.issues } : {}) } };
    return c.json(err.extra.current === undefined ? body : { ...body, current: err.extra.current }, err.status);
  }
  if (err instanceof HTTPException && err.status < 500) {
    // Raised by Hono itself, e.g. malformed JSON or the body limit.
    const code = codeByStatus[err.status] ?? 'invalid_input';
    return c.json({ error: { code, message: err.message || 'Bad request' } }, err.status);
  }
  console.error('Unhandled error', err);
  return c.json({ error: { code: 'internal', message: 'Something went wrong on our side' } }, 500);
}

export function notFoundResponse(c: Context): Response {
  return c.json({ error: { code: 'not_found', message: `No route for ${c.req.method} ${new URL(c.req.url).pathname}` } }, 404);
}
