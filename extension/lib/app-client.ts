import { browser } from 'wxt/browser';
import { APP_CHANNEL, AppAnswer, type AppRequest, type AppRequestType, type AppResponse, BackgroundError, appRequests } from './app-messages.ts';
import { t } from './i18n.ts';

/** Sends a request from an extension page to the background and validates the answer. */
export async function ask<T extends AppRequestType>(type: T, payload: AppRequest<T>): Promise<AppResponse<T>> {
  const raw: unknown = await browser.runtime.sendMessage({ channel: APP_CHANNEL, type, payload });
  const answer = AppAnswer.safeParse(raw);
  if (!answer.success) throw new BackgroundError('bad_answer', t('appClient_noAnswer'));
  if (!answer.data.ok) throw new BackgroundError(answer.data.error.code, answer.data.error.message);
  return appRequests[type].response.parse(answer.data.data) as AppResponse<T>;
}
