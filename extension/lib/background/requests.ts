/**
 * What every background request handler shares: its type, the error a user should read, and the sign-in check.
 * Feature modules (checkins.ts, reminders.ts) define their handlers with these and handlers.ts registers them.
 */
import type { Browser } from 'wxt/browser';
import type { AppRequestType, AppResponse, appRequests } from '../app-messages.ts';
import { t } from '../i18n.ts';
import { signedInItem } from './storage.ts';

export type Sender = Browser.runtime.MessageSender;
export type Handler<T extends AppRequestType> = (payload: ReturnType<(typeof appRequests)[T]['request']['parse']>, sender: Sender) => Promise<AppResponse<T>>;
/** The handlers of some of the request types. */
export type Handlers<T extends AppRequestType> = { [K in T]: Handler<K> };

/** An expected failure with a sentence for the user (the page shows `message`). */
export class UserError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** What a request that needs a sign-in answers while nobody is signed in. */
export function signedOutError(): UserError {
  return new UserError('signed_out', t('requests_signInFirst'));
}

export async function signedInUserId(): Promise<string> {
  const signedIn = await signedInItem.get();
  if (!signedIn) throw signedOutError();
  return signedIn.user.id;
}

export async function requireSignedIn(): Promise<void> {
  await signedInUserId();
}
