/**
 * The words the companion shows on the call page itself: the overlay frame's title bar and the launcher. The
 * background reads them and sends them (`call.strings`), because a content script's first i18n.getMessage makes the
 * browser hand the page the extension's whole message bundle on the page's main thread: measured at 17–24 ms on the
 * bench's Meet fixture (issue 11's long-task check), against about 0.1 ms for later calls. Reading them here is the
 * fallback when the background does not answer.
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
