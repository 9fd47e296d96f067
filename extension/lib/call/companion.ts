/**
 * The call companion on a page: on a platform page it watches the call (pre-join → waiting → in call → left or
 * ended), reports it to the background and shows the overlay; where the state cannot be told it offers a launcher
 * instead of nothing; on a page no adapter knows, injected from the toolbar, it shows the overlay for the user to
 * attach to a pair and log by hand. Everything it starts is tied to `signal`.
 */
import { browser } from 'wxt/browser';
import { findPlatform, type PlatformAdapter } from '../../platforms/index.ts';
import { detect, meetingCodeOf, pageView } from '../../platforms/signals.ts';
import { watchCallState } from '../../platforms/watch.ts';
import {
  AttachedResponse,
  CallCommand,
  type CallPlatform,
  type CallRequest,
  CallStrings,
  type DiagnosticsReport,
  LayoutResponse,
  type OverlayLayout,
} from '../call-messages.ts';
import { t } from '../i18n.ts';
import { type Launcher, mountLauncher } from './launcher.ts';
import { manualCodeOf } from './manual-code.ts';
import { type OverlayFrame, type Rect, defaultLayout, mountOverlayFrame } from './overlay-frame.ts';
import { pageSignature, redactor } from './signature.ts';

const send = (message: CallRequest) => browser.runtime.sendMessage(message);

export interface CompanionTimings {
  /** A meeting page with no recognisable state shows the launcher after this long (pages take a while to build). */
  launcherMs: number;
  /** …and is noted as "detection degraded" for the platform after this long. */
  degradedMs: number;
}
export const DEFAULT_TIMINGS: CompanionTimings = { launcherMs: 5_000, degradedMs: 60_000 };

function overlayUrl(platform: CallPlatform, code: string): string {
  const url = new URL(browser.runtime.getURL('/overlay.html'));
  url.searchParams.set('platform', platform);
  url.searchParams.set('code', code);
  return url.href;
}

export async function startCallCompanion(win: Window, signal: AbortSignal, timings: CompanionTimings = DEFAULT_TIMINGS): Promise<void> {
  const here = new URL(win.location.href);
  let adapter = findPlatform(here);
  let manual = false;
  if (!adapter) {
    // Injected on an origin no built-in adapter covers: a self-hosted Jitsi the user added (registered at run
    // time), or any page the user attached the companion to from the toolbar.
    const answer = AttachedResponse.safeParse(await send({ type: 'call.attached' }).catch(() => null));
    if (!answer.success) return;
    if (answer.data.jitsi) adapter = findPlatform(here, [here.origin]);
    else if (answer.data.attached) manual = true;
    else return;
  }
  const platform: CallPlatform = adapter?.id ?? 'other';

  // The frame's and launcher's words come from the background with the layout (lib/call/strings.ts says why).
  const [stored, words] = await Promise.all([
    send({ type: 'overlay.layout.get', platform }).then((answer) => LayoutResponse.safeParse(answer), () => LayoutResponse.safeParse(null)),
    send({ type: 'call.strings' }).then((answer) => CallStrings.safeParse(answer), () => CallStrings.safeParse(null)),
  ]);
  const strings = words.success ? words.data : undefined;
  let layout: OverlayLayout = (stored.success ? stored.data.layout : null) ?? defaultLayout(win.innerWidth);
  let frame: OverlayFrame | undefined;
  let launcher: Launcher | undefined;
  let code: string | undefined;
  let timers: ReturnType<typeof setTimeout>[] = [];
  const clearTimers = () => {
    timers.forEach(clearTimeout);
    timers = [];
  };
  signal.addEventListener('abort', clearTimers, { once: true });

  const saveLayout = (next: OverlayLayout) => {
    layout = next;
    void send({ type: 'overlay.layout.set', platform, layout: next }).catch(() => undefined);
  };

  const controlsRect = (): Rect | undefined => {
    if (!adapter) return undefined;
    const bar = adapter.controls(pageView(win, adapter));
    const rect = bar?.getBoundingClientRect();
    if (!bar || !rect || rect.width <= 0) return undefined;
    // A bar inside the call frame (Zoom) is measured in the frame: move it into the top page's coordinates.
    const frameElement = bar.ownerDocument === win.document ? null : bar.ownerDocument.defaultView?.frameElement;
    const offset = frameElement?.getBoundingClientRect() ?? { left: 0, top: 0 };
    return { left: rect.left + offset.left, top: rect.top + offset.top, width: rect.width, height: rect.height };
  };

  const showOverlay = (current: string) => {
    launcher?.remove();
    launcher = undefined;
    if (!frame) {
      frame = mountOverlayFrame(win.document, { src: overlayUrl(platform, current), layout, controls: controlsRect, onLayoutChange: saveLayout, signal, strings });
    } else {
      frame.setSource(overlayUrl(platform, current));
      frame.apply(layout); // the control bar may have appeared: keep clear of it
    }
  };

  /** The user opens the companion on a page where nothing was detected: the meeting is then logged by hand. */
  const attach = () => {
    const current = code ?? manualCodeOf(new URL(win.location.href));
    code = current;
    void send({ type: 'call.attach', platform, code: current }).catch(() => undefined);
    saveLayout({ ...layout, hidden: false });
    showOverlay(current);
  };

  if (manual || !adapter) {
    attach();
    win.addEventListener('pagehide', () => void send({ type: 'call.state', platform, code: code ?? manualCodeOf(here), state: 'left', cause: 'page-closed' }).catch(() => undefined), { signal });
  } else {
    const known = adapter;
    watchCallState(known, win, {
      signal,
      onChange(observation) {
        clearTimers();
        const current = observation.code ?? code;
        if (observation.code) code = observation.code;
        if (observation.state && current) {
          void send({ type: 'call.state', platform, code: current, state: observation.state, ...(observation.cause ? { cause: observation.cause } : {}) }).catch(() => undefined);
          showOverlay(current);
        } else if (!observation.state && observation.code && !frame) {
          // A meeting page, but none of the adapter's signals: offer the companion rather than nothing, and note it.
          timers.push(
            setTimeout(() => {
              if (!frame && !launcher) launcher = mountLauncher(win.document, { onOpen: attach, signal, strings });
            }, timings.launcherMs),
            setTimeout(() => void send({ type: 'detection.degraded', platform }).catch(() => undefined), timings.degradedMs),
          );
        }
      },
    });
  }

  const diagnostics = (redact: readonly string[]): DiagnosticsReport => {
    const url = new URL(win.location.href);
    if (!adapter) {
      const view = pageView(win, {});
      const clean = redactor([...redact, manualCodeOf(url)]);
      return { platform, label: t('companion_unknownPage'), page: clean(`${url.origin}${url.pathname}`), hasCode: false, state: null, frames: 0, signals: [], signature: pageSignature(view, { redact: [...redact] }) };
    }
    const view = pageView(win, adapter);
    const detection = detect(adapter, view);
    const current = meetingCodeOf(adapter, view);
    const hide = [...redact, ...(current ? [current] : [])];
    const clean = redactor(hide);
    return {
      platform,
      label: adapter.label,
      page: clean(`${url.origin}${url.pathname}`),
      hasCode: current !== undefined,
      state: detection.state ?? null,
      frames: view.docs.length - 1,
      signals: detection.signals,
      signature: pageSignature(view, { redact: hide }),
    };
  };

  const onCommand = (message: unknown, _sender: unknown, sendResponse?: (response: unknown) => void) => {
    const command = CallCommand.safeParse(message);
    if (!command.success) return undefined;
    switch (command.data.type) {
      case 'diagnostics.collect': {
        const report = diagnostics(command.data.redact);
        sendResponse?.(report);
        return undefined;
      }
      case 'overlay.show':
        if (!frame) attach();
        else {
          saveLayout({ ...layout, hidden: false });
          frame.apply(layout);
        }
        sendResponse?.({ ok: true });
        return undefined;
      case 'overlay.toggle':
        if (!frame) attach();
        else {
          saveLayout({ ...layout, hidden: !layout.hidden });
          frame.apply(layout);
        }
        return undefined;
      case 'overlay.focus-composer': {
        if (!frame) attach();
        const shown = frame;
        if (!shown) return undefined;
        saveLayout({ ...layout, hidden: false, collapsed: false });
        shown.apply(layout);
        shown.iframe.focus();
        shown.iframe.contentWindow?.postMessage({ alongside: true, type: 'focus-composer' }, new URL(shown.iframe.src).origin);
        return undefined;
      }
    }
  };
  browser.runtime.onMessage.addListener(onCommand);
  signal.addEventListener('abort', () => browser.runtime.onMessage.removeListener(onCommand));
}
