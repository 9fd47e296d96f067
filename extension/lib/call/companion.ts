/**
 * The call companion on a video-call page: finds the platform adapter, reports the call state (lobby → in call →
 * left) to the background, and shows the overlay frame. Everything it starts is tied to `signal`.
 */
import { browser } from 'wxt/browser';
import { findPlatform, type PlatformAdapter } from '../../platforms/index.ts';
import { watchCallState } from '../../platforms/watch.ts';
import { CallCommand, type CallRequest, LayoutResponse, type OverlayLayout } from '../call-messages.ts';
import { type OverlayFrame, defaultLayout, mountOverlayFrame } from './overlay-frame.ts';

const send = (message: CallRequest) => browser.runtime.sendMessage(message);

function overlayUrl(adapter: PlatformAdapter, code: string): string {
  const url = new URL(browser.runtime.getURL('/overlay.html'));
  url.searchParams.set('platform', adapter.id);
  url.searchParams.set('code', code);
  return url.href;
}

export async function startCallCompanion(win: Window, signal: AbortSignal): Promise<void> {
  const here = new URL(win.location.href);
  // Injected on a self-hosted Jitsi origin the user added (registered at runtime): treat this origin as Jitsi.
  const adapter = findPlatform(here) ?? findPlatform(here, [here.origin]);
  if (!adapter) return;

  const stored = LayoutResponse.safeParse(await send({ type: 'overlay.layout.get', platform: adapter.id }).catch(() => null));
  let layout: OverlayLayout = (stored.success ? stored.data.layout : null) ?? defaultLayout(win.innerWidth);
  let frame: OverlayFrame | undefined;
  let code: string | undefined;

  const saveLayout = (next: OverlayLayout) => {
    layout = next;
    void send({ type: 'overlay.layout.set', platform: adapter.id, layout: next }).catch(() => undefined);
  };

  const controlsRect = () => {
    const rect = adapter.controls(win.document)?.getBoundingClientRect();
    return rect && rect.width > 0 ? { left: rect.left, top: rect.top, width: rect.width, height: rect.height } : undefined;
  };

  watchCallState(adapter, win, {
    signal,
    onChange(state) {
      // Meet, Teams and Zoom change meetings without a reload: read the code again on every change.
      const current = adapter.meetingCode(new URL(win.location.href)) ?? code;
      if (!current) return;
      code = current;
      void send({ type: 'call.state', platform: adapter.id, code: current, state }).catch(() => undefined);
      if (!frame) {
        frame = mountOverlayFrame(win.document, { src: overlayUrl(adapter, current), layout, controls: controlsRect, onLayoutChange: saveLayout, signal });
      } else {
        frame.setSource(overlayUrl(adapter, current));
        frame.apply(layout); // the control bar may have appeared: keep clear of it
      }
    },
  });

  const onCommand = (message: unknown) => {
    const command = CallCommand.safeParse(message);
    if (!command.success || !frame) return;
    if (command.data.type === 'overlay.toggle') {
      saveLayout({ ...layout, hidden: !layout.hidden });
      frame.apply(layout);
    } else {
      saveLayout({ ...layout, hidden: false, collapsed: false });
      frame.apply(layout);
      frame.iframe.focus();
      frame.iframe.contentWindow?.postMessage({ alongside: true, type: 'focus-composer' }, new URL(frame.iframe.src).origin);
    }
  };
  browser.runtime.onMessage.addListener(onCommand);
  signal.addEventListener('abort', () => browser.runtime.onMessage.removeListener(onCommand));
}
