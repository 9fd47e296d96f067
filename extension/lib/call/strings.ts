/**
 * The words the companion shows on the call page itself: the overlay frame's title bar and the launcher. The
 * background reads them and sends them (`call.strings`), because a content script's first i18n.getMessage took 17–24 ms
 * of the page's main thread on the bench's Meet fixture (issue 11's long-task check), against about 0.1 ms for later
 * calls. Why is a guess: the browser handing the page the extension's whole message bundle on that first call. Reading
 * them here is the fallback when the background does not answer.
 */
import type { CallStrings } from '../call-messages.ts';
import { t } from '../i18n.ts';

export function callStrings(): CallStrings {
  return {
    title: t('extName'),
    hide: t('overlayFrame_hide'),
    frameTitle: t('overlayFrame_frameTitle'),
    expand: t('overlayFrame_expand'),
    collapse: t('overlayFrame_collapse'),
    launcherOpen: t('launcher_open'),
    launcherHint: t('launcher_hint'),
  };
}
