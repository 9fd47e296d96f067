/**
 * The overlay's frame on the call page: a small draggable, collapsible box in a closed shadow root that holds the
 * extension-origin iframe (the notes live inside the iframe, out of the page's reach). It remembers its position
 * per platform and keeps clear of the platform's own controls.
 */
import type { CallStrings, OverlayLayout } from '../call-messages.ts';
import { callStrings } from './strings.ts';

export const OVERLAY_WIDTH = 360;
export const OVERLAY_HEIGHT = 560;
const HEADER_HEIGHT = 32;
const MARGIN = 12;

export interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

const intersects = (a: Rect, b: Rect) =>
  a.left < b.left + b.width && b.left < a.left + a.width && a.top < b.top + b.height && b.top < a.top + a.height;

/**
 * Where to put the box: the wanted position kept inside the viewport and, if it would cover the platform's control
 * bar, moved just above it (or beside it when there is no room above).
 */
export function placeOverlay(wanted: { x: number; y: number }, size: { width: number; height: number }, viewport: { width: number; height: number }, controls?: Rect): { x: number; y: number } {
  const clamp = (v: number, max: number) => Math.max(MARGIN, Math.min(v, Math.max(MARGIN, max)));
  let x = clamp(wanted.x, viewport.width - size.width - MARGIN);
  let y = clamp(wanted.y, viewport.height - size.height - MARGIN);
  if (controls && intersects({ left: x, top: y, ...size }, controls)) {
    const above = controls.top - size.height - MARGIN;
    if (above >= MARGIN) y = above;
    else x = clamp(controls.left + controls.width + MARGIN, viewport.width - size.width - MARGIN);
  }
  return { x, y };
}

export const defaultLayout = (viewportWidth: number): OverlayLayout => ({
  x: viewportWidth - OVERLAY_WIDTH - MARGIN * 2,
  y: 72,
  collapsed: false,
  hidden: false,
});

const STYLE = `
:host { all: initial; }
.box { position: fixed; z-index: 2147483646; width: ${OVERLAY_WIDTH}px; border-radius: 12px; overflow: hidden;
  box-shadow: 0 8px 28px rgba(0,0,0,.35); background: #1f2430; font: 13px/1.2 system-ui, sans-serif; color: #f4f6fb; }
.box[hidden] { display: none; }
.bar { display: flex; align-items: center; gap: 4px; height: ${HEADER_HEIGHT}px; padding: 0 6px 0 10px; cursor: grab;
  user-select: none; touch-action: none; }
.bar:active { cursor: grabbing; }
.title { flex: 1; font-weight: 600; letter-spacing: .02em; }
button { all: unset; cursor: pointer; width: 24px; height: 24px; border-radius: 6px; text-align: center; line-height: 24px; }
button:hover { background: rgba(255,255,255,.12); }
button:focus-visible { outline: 2px solid #8ab4ff; outline-offset: 1px; }
iframe { display: block; width: 100%; height: ${OVERLAY_HEIGHT - HEADER_HEIGHT}px; border: 0; background: #fff; color-scheme: normal; }
.box.collapsed iframe { display: none; }
`;

export interface OverlayFrame {
  iframe: HTMLIFrameElement;
  setSource(src: string): void;
  apply(layout: OverlayLayout): void;
  layout(): OverlayLayout;
  remove(): void;
}

export function mountOverlayFrame(
  doc: Document,
  opts: {
    src: string;
    layout: OverlayLayout;
    controls: () => Rect | undefined;
    onLayoutChange(layout: OverlayLayout): void;
    signal: AbortSignal;
    /** Its words, as the background sent them (read here when absent). */
    strings?: CallStrings;
  },
): OverlayFrame {
  const words = opts.strings ?? callStrings();
  const host = doc.createElement('alongside-overlay');
  const root = host.attachShadow({ mode: 'closed' });
  const style = doc.createElement('style');
  style.textContent = STYLE;
  const box = doc.createElement('section');
  box.className = 'box';
  box.setAttribute('aria-label', words.title);
  const bar = doc.createElement('div');
  bar.className = 'bar';
  const title = doc.createElement('span');
  title.className = 'title';
  title.textContent = words.title;
  const collapse = doc.createElement('button');
  const hide = doc.createElement('button');
  hide.textContent = '×';
  hide.title = hide.ariaLabel = words.hide;
  bar.append(title, collapse, hide);
  const iframe = doc.createElement('iframe');
  iframe.title = words.frameTitle;
  iframe.allow = 'clipboard-write';
  iframe.src = opts.src;
  box.append(bar, iframe);
  root.append(style, box);
  doc.documentElement.append(host);

  let current = { ...opts.layout };
  /** What the layout says that needs no measuring: shown or hidden, collapsed or not. */
  const show = () => {
    box.hidden = current.hidden;
    box.classList.toggle('collapsed', current.collapsed);
    collapse.textContent = current.collapsed ? '▸' : '▾';
    collapse.title = collapse.ariaLabel = current.collapsed ? words.expand : words.collapse;
    collapse.setAttribute('aria-expanded', String(!current.collapsed));
  };
  const view = doc.defaultView;
  /** Where the box goes: the wanted position in the viewport, clear of the platform's control bar (measured). */
  const position = () => {
    const size = { width: OVERLAY_WIDTH, height: current.collapsed ? HEADER_HEIGHT : OVERLAY_HEIGHT };
    const at = placeOverlay(current, size, { width: view?.innerWidth ?? 1280, height: view?.innerHeight ?? 800 }, opts.controls());
    box.style.left = `${at.x}px`;
    box.style.top = `${at.y}px`;
  };
  // The box is positioned after the next paint, never in the task that asked. Measuring the control bar forces the
  // page's pending style and layout, 25-36 ms on the Meet fixture just after joining: inside the task that mounted the
  // frame or reported the call it made that task long (over 50 ms, issue 11), and in a requestAnimationFrame callback
  // it made the frame's own rendering long. After the rendering step the page's layout is clean, so the measurement
  // costs nothing (https://html.spec.whatwg.org/multipage/webappapis.html#update-the-rendering). A box not yet
  // positioned is not shown, so it never flashes over the controls.
  let scheduled: { frame: number; timer?: number } | undefined;
  const positionSoon = () => {
    if (!view) return position();
    if (scheduled) return;
    const next: { frame: number; timer?: number } = {
      frame: view.requestAnimationFrame(() => {
        next.timer = view.setTimeout(() => {
          scheduled = undefined;
          position();
          box.style.removeProperty('visibility');
        }, 0);
      }),
    };
    scheduled = next;
  };
  opts.signal.addEventListener(
    'abort',
    () => {
      if (scheduled) {
        view?.cancelAnimationFrame(scheduled.frame);
        if (scheduled.timer !== undefined) view?.clearTimeout(scheduled.timer);
      }
    },
    { once: true },
  );
  const render = () => {
    show();
    positionSoon();
    iframe.contentWindow?.postMessage({ alongside: true, type: current.collapsed ? 'collapsed' : 'expanded' }, new URL(opts.src).origin);
  };
  const change = (next: Partial<OverlayLayout>) => {
    current = { ...current, ...next };
    render();
    opts.onLayoutChange(current);
  };

  collapse.addEventListener('click', () => change({ collapsed: !current.collapsed }), { signal: opts.signal });
  hide.addEventListener('click', () => change({ hidden: true }), { signal: opts.signal });

  // Dragging by the title bar; pointer capture keeps the drag when the pointer crosses the iframe.
  let drag: { dx: number; dy: number } | undefined;
  bar.addEventListener(
    'pointerdown',
    (e) => {
      if (e.target instanceof HTMLElement && e.target.closest('button')) return;
      const rect = box.getBoundingClientRect();
      drag = { dx: e.clientX - rect.left, dy: e.clientY - rect.top };
      bar.setPointerCapture(e.pointerId);
    },
    { signal: opts.signal },
  );
  bar.addEventListener(
    'pointermove',
    (e) => {
      if (!drag) return;
      box.style.left = `${e.clientX - drag.dx}px`;
      box.style.top = `${e.clientY - drag.dy}px`;
    },
    { signal: opts.signal },
  );
  bar.addEventListener(
    'pointerup',
    () => {
      if (!drag) return;
      drag = undefined;
      const rect = box.getBoundingClientRect();
      change({ x: rect.left, y: rect.top });
    },
    { signal: opts.signal },
  );
  view?.addEventListener('resize', render, { signal: opts.signal });
  opts.signal.addEventListener('abort', () => host.remove());
  // Shown and positioned only: the frame is still loading, and a message now would reach its initial about:blank
  // document, whose origin is the page's, so the browser drops it (MDN Window.postMessage: "if the origin of the target
  // window doesn't match this given origin, the message is discarded").
  if (view) box.style.visibility = 'hidden';
  show();
  positionSoon();

  return {
    iframe,
    setSource(src) {
      if (iframe.src !== src) iframe.src = src;
    },
    apply(layout) {
      current = { ...layout };
      render();
    },
    layout: () => ({ ...current }),
    remove: () => host.remove(),
  };
}
