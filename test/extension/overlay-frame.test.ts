import { describe, expect, it } from 'vitest';
import { OVERLAY_HEIGHT, OVERLAY_WIDTH, mountOverlayFrame, placeOverlay } from '../../extension/lib/call/overlay-frame.ts';

const viewport = { width: 1280, height: 800 };
const size = { width: OVERLAY_WIDTH, height: OVERLAY_HEIGHT };

describe('placeOverlay', () => {
  it('keeps the wanted position when it is free', () => {
    expect(placeOverlay({ x: 100, y: 80 }, size, viewport)).toEqual({ x: 100, y: 80 });
  });

  it('keeps the box inside the viewport', () => {
    expect(placeOverlay({ x: 5000, y: -40 }, size, viewport)).toEqual({ x: 1280 - OVERLAY_WIDTH - 12, y: 12 });
  });

  it('moves above the platform’s control bar instead of covering it', () => {
    const controls = { left: 0, top: 720, width: 1280, height: 80 };
    const placed = placeOverlay({ x: 900, y: 200 }, size, viewport, controls);
    expect(placed.y + OVERLAY_HEIGHT).toBeLessThanOrEqual(controls.top);
  });

  it('moves beside a tall control bar when there is no room above it', () => {
    const controls = { left: 0, top: 100, width: 300, height: 700 };
    const placed = placeOverlay({ x: 50, y: 150 }, size, viewport, controls);
    expect(placed.x).toBeGreaterThanOrEqual(controls.left + controls.width);
  });
});

describe('mountOverlayFrame', () => {
  it('shows the words it is given (sent by the background), and reads its own only without them', () => {
    const abort = new AbortController();
    const base = { src: 'chrome-extension://abc/overlay.html', layout: { x: 0, y: 0, collapsed: false, hidden: false }, controls: () => undefined, onLayoutChange: () => undefined, signal: abort.signal };
    const words = { title: 'T', hide: 'H', frameTitle: 'Notizen und Ziele', expand: 'E', collapse: 'C', launcherOpen: 'O', launcherHint: 'I' };
    expect(mountOverlayFrame(document, { ...base, strings: words }).iframe.title).toBe('Notizen und Ziele');
    expect(mountOverlayFrame(document, base).iframe.title).toBe('Alongside notes and goals');
    abort.abort();
  });

  it('hosts the extension page in an iframe inside a closed shadow root, and remembers collapse', () => {
    const changes: unknown[] = [];
    const abort = new AbortController();
    const frame = mountOverlayFrame(document, {
      src: 'chrome-extension://abc/overlay.html?platform=meet&code=abc-defg-hij',
      layout: { x: 40, y: 40, collapsed: false, hidden: false },
      controls: () => undefined,
      onLayoutChange: (layout) => changes.push(layout),
      signal: abort.signal,
    });
    const host = document.querySelector('alongside-overlay');
    expect(host).not.toBeNull();
    // A closed shadow root: the page cannot reach the frame through the host element.
    expect(host?.shadowRoot).toBeNull();
    expect(frame.iframe.src).toContain('overlay.html');
    frame.apply({ x: 40, y: 40, collapsed: true, hidden: false });
    expect(frame.layout().collapsed).toBe(true);
    abort.abort();
    expect(document.querySelector('alongside-overlay')).toBeNull();
  });

  it('measures the control bar after the next paint, not in the task that mounts or changes it, and shows the box only then', async () => {
    let measured = 0;
    const controls = { left: 0, top: 720, width: 1280, height: 80 };
    const abort = new AbortController();
    const frame = mountOverlayFrame(document, {
      src: 'chrome-extension://abc/overlay.html?platform=meet&code=abc-defg-hij',
      layout: { x: 900, y: 700, collapsed: false, hidden: false },
      controls: () => {
        measured++;
        return controls;
      },
      onLayoutChange: () => undefined,
      signal: abort.signal,
    });
    const box = frame.iframe.parentElement;
    const afterPaint = async () => {
      await new Promise((resolve) => requestAnimationFrame(resolve));
      await new Promise((resolve) => setTimeout(resolve, 0));
    };
    // Mounting forces no layout: the page's pending layout would join this task and make it long.
    expect(measured).toBe(0);
    expect(box?.style.visibility).toBe('hidden');
    await new Promise((resolve) => requestAnimationFrame(resolve));
    expect(measured).toBe(0); // not in the frame's rendering either
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(measured).toBe(1);
    expect(box?.style.visibility).toBe('');
    expect(Number.parseFloat(box?.style.top ?? '') + OVERLAY_HEIGHT).toBeLessThanOrEqual(controls.top);
    // A change (the call started: the platform's bar may have appeared) shows at once and is measured after the
    // next paint, once however many changes came before it.
    frame.apply({ x: 900, y: 700, collapsed: false, hidden: true });
    expect(box?.hidden).toBe(true);
    frame.apply({ x: 900, y: 700, collapsed: false, hidden: false });
    expect(box?.hidden).toBe(false);
    expect(measured).toBe(1);
    await afterPaint();
    expect(measured).toBe(2);
    abort.abort();
  });
});
