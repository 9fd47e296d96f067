/**
 * The small "Open Alongside" button shown on a meeting page whose call state cannot be told (the platform changed
 * its page, or it is still loading after a while): the companion never fails silently. Closed shadow root, so the
 * page's styles neither break it nor read it.
 */
import type { CallStrings } from '../call-messages.ts';
import { callStrings } from './strings.ts';

const STYLE = `
:host { all: initial; }
button { position: fixed; z-index: 2147483646; right: 16px; bottom: 96px; display: flex; gap: 6px; align-items: center;
  padding: 8px 14px; border: 0; border-radius: 999px; background: #1f2430; color: #f4f6fb; cursor: pointer;
  font: 600 13px/1.2 system-ui, sans-serif; box-shadow: 0 6px 20px rgba(0,0,0,.35); }
button:hover { background: #2b3242; }
button:focus-visible { outline: 2px solid #8ab4ff; outline-offset: 2px; }
`;

export interface Launcher {
  remove(): void;
}

/** `strings`: the words as the background sent them (read here when absent). */
export function mountLauncher(doc: Document, opts: { onOpen(): void; signal: AbortSignal; strings?: CallStrings }): Launcher {
  const words = opts.strings ?? callStrings();
  const host = doc.createElement('alongside-launcher');
  const root = host.attachShadow({ mode: 'closed' });
  const style = doc.createElement('style');
  style.textContent = STYLE;
  const button = doc.createElement('button');
  button.type = 'button';
  button.textContent = words.launcherOpen;
  button.title = words.launcherHint;
  button.addEventListener('click', () => opts.onOpen(), { signal: opts.signal });
  root.append(style, button);
  doc.documentElement.append(host);
  opts.signal.addEventListener('abort', () => host.remove(), { once: true });
  return { remove: () => host.remove() };
}
