/**
 * A message with markup inside it (a name in <strong>, a host in a <span>, a link): the whole sentence stays one
 * message for translators, with a named placeholder where each element goes, and the elements stay in the code.
 */
import { type ComponentChildren, Fragment } from 'preact';
import { type MessageKey, t } from '../lib/i18n.ts';

// Private-use characters (never in a message) mark where each node goes in the filled-in text.
const MARK = /\uE000(\d)\uE001/;

/** The message `key` with its `$1`… filled by `nodes`, rendered as text and elements. */
export function tNodes(key: MessageKey, ...nodes: ComponentChildren[]): ComponentChildren {
  const text = t(key, ...nodes.map((_, i) => `\uE000${i}\uE001`));
  // split with a capture group alternates text and node numbers: [text, "0", text, "1", text].
  return text.split(MARK).map((part, i) => (i % 2 === 0 ? part : <Fragment key={i}>{nodes[Number(part)]}</Fragment>));
}
