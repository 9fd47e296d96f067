// How the pages read the errors `ask` throws (BackgroundError carries the API's error code).
import { BackgroundError } from '../lib/app-messages.ts';
import { t } from '../lib/i18n.ts';

/** A sentence to show the user. */
export function errorMessage(error: unknown): string {
  if (error instanceof BackgroundError && error.code === 'unauthenticated') {
    return t('errors_signInExpired');
  }
  if (error instanceof BackgroundError) return error.message;
  if (error instanceof Error && error.message) return error.message;
  return t('errors_generic');
}

/** The server refused a write because someone changed the record meanwhile (HTTP 409). */
export function isConflict(error: unknown): boolean {
  return error instanceof BackgroundError && (error.code === 'version_conflict' || error.code === 'conflict');
}

/** The background holds no sign-in (it answers `signed_out` before touching pair data). */
export function isSignedOut(error: unknown): boolean {
  return error instanceof BackgroundError && error.code === 'signed_out';
}
