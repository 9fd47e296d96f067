/**
 * A redacted signature of a call page for bug reports: the element tree with tags, ids, classes, the attributes
 * platforms use as test hooks, roles and ARIA labels. Never text content, never form values, never URLs' queries;
 * the meeting code and the names of the people the extension knows are replaced, and long digit runs masked.
 */
import type { PageView } from '../../platforms/types.ts';
import { t } from '../i18n.ts';

/** Attributes worth keeping: structure and accessibility, not content. */
const KEPT = ['role', 'aria-label', 'data-tid', 'data-testid', 'data-test-id', 'jsname', 'data-is-muted', 'type'];
const SKIPPED = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'LINK', 'META', 'svg', 'SVG', 'PATH']);
const MAX_LINES = 600;
const MAX_DEPTH = 40;
const MAX_LABEL = 60;

export interface SignatureOptions {
  /** Strings never to include (the meeting code, people's names). */
  redact: readonly string[];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function redactor(redact: readonly string[]): (text: string) => string {
  // Longest first, so "Theo Mentee" is replaced before "Theo".
  const words = redact
    .flatMap((r) => [r, ...r.split(/\s+/)])
    .map((r) => r.trim())
    .filter((r) => r.length >= 3)
    .sort((a, b) => b.length - a.length);
  const pattern = words.length ? new RegExp(words.map(escapeRegExp).join('|'), 'gi') : null;
  return (text) => (pattern ? text.replace(pattern, '▒') : text).replace(/\d{4,}/g, (d) => '#'.repeat(Math.min(d.length, 8)));
}

function describe(el: Element, clean: (text: string) => string): string {
  let line = el.tagName.toLowerCase();
  if (el.id) line += `#${clean(el.id)}`;
  const classes = Array.from(el.classList).slice(0, 6);
  if (classes.length) line += `.${classes.map(clean).join('.')}`;
  for (const name of KEPT) {
    const value = el.getAttribute(name);
    if (value === null) continue;
    const shown = clean(value.replace(/\s+/g, ' ').trim()).slice(0, MAX_LABEL);
    line += `[${name}="${shown}"]`;
  }
  return line;
}

/** The signature of every document in the view; frames are introduced by a line naming their redacted path. */
export function pageSignature(view: PageView, opts: SignatureOptions): string {
  const clean = redactor(opts.redact);
  const lines: string[] = [];
  const walk = (el: Element, depth: number) => {
    if (lines.length >= MAX_LINES || depth > MAX_DEPTH || SKIPPED.has(el.tagName)) return;
    lines.push(`${'  '.repeat(depth)}${describe(el, clean)}`);
    // Long runs of look-alike siblings (tiles, list items) are summarised: their shape matters, not their count.
    let previous = '';
    let repeats = 0;
    for (const child of Array.from(el.children)) {
      const shape = describe(child, clean);
      if (shape === previous && ++repeats >= 3) continue;
      if (shape !== previous) repeats = 0;
      previous = shape;
      walk(child, depth + 1);
    }
  };
  view.docs.forEach((doc, i) => {
    const url = view.urls[i];
    lines.push(`# ${i === 0 ? 'page' : 'frame'} ${url ? clean(`${url.host}${url.pathname}`) : ''}`);
    if (doc.documentElement) walk(doc.documentElement, 0);
  });
  if (lines.length >= MAX_LINES) lines.push(t('signature_cutAt', MAX_LINES));
  return lines.join('\n');
}
