/**
 * Markup inside a translated sentence ("Signed in as <strong>Ana</strong> on <span class="mono">…</span>."): the
 * message keeps the whole sentence, with a named placeholder where each element goes, so a translation can move it.
 * t()/tCount() fill those placeholders with slot(i), and withMarkup() swaps each slot for its element.
 */
import { Fragment, type ComponentChildren } from 'preact';

// Private-use characters: never in a message or in what people type into these pages.
const SLOT = /\uE000(\d+)\uE001/;

/** The stand-in for `parts[i]` of withMarkup(), given to t() or tCount() as a substitution. */
export function slot(i: number): string {
  return `\uE000${i}\uE001`;
}

/** `text` from t() or tCount() with each slot(i) in it replaced by `parts[i]`. */
export function withMarkup(text: string, ...parts: ComponentChildren[]): ComponentChildren {
  // split() with a capturing group puts each slot's number at the odd indexes.
  return text.split(SLOT).map((piece, i) => (i % 2 === 0 ? piece : <Fragment key={i}>{parts[Number(piece)]}</Fragment>));
}
