/**
 * Markup inside a translated sentence ("Signed in as <strong>Ana</strong> on <span class="mono">…</span>."): the
 * whole sentence stays one message for translators, with a named placeholder where each element goes (so a
 * translation can move it), and the elements stay in the code.
 */
import { type ComponentChildren, Fragment } from 'preact';
import { type MessageKey, t } from '../lib/i18n.ts';

// Private-use characters (never in a message, nor in what people type) stand for each node in the substitutions, so
// the browser's own placeholder substitution puts them in place; the filled-in text is then split at them.
const MARK = /\uE000(\d)\uE001/;

/**
 * The message `key` with its `$1`… filled from `substitutions`, as text and elements: a string or number is
 * substituted as text, anything else (an element, a fragment) is rendered where its placeholder is. For a plural
 * message, give `pluralKey(base, count)` and `count` first, as tCount() does.
 */
export function tNodes(key: MessageKey, ...substitutions: ComponentChildren[]): ComponentChildren {
  const text = t(key, ...substitutions.map((s, i) => (typeof s === 'string' || typeof s === 'number' ? s : `\uE000${i}\uE001`)));
  // split with a capture group alternates text and substitution numbers: [text, "0", text, "2", text].
  return text.split(MARK).map((part, i) => (i % 2 === 0 ? part : <Fragment key={i}>{substitutions[Number(part)]}</Fragment>));
}
