/**
 * Every user-facing string of the extension comes from `_locales/<locale>/messages.json` through the browser's own
 * i18n (WXT's built-in i18n: https://wxt.dev/guide/essentials/i18n — `extension/public/_locales/en/messages.json`,
 * `default_locale` in the manifest, `browser.i18n.getMessage`). English is the only locale for now.
 *
 * Substitutions use the documented named placeholders only: `"message": "Hello, $USER$"` with
 * `"placeholders": { "user": { "content": "$1" } }` (https://developer.chrome.com/docs/extensions/how-to/ui/localization-message-formats,
 * MDN i18n.getMessage: at most 9 substitutions).
 */
import { browser } from 'wxt/browser';
// Types only: the messages stay in _locales and are never bundled into a script.
import type messages from '../public/_locales/en/messages.json';

export type MessageKey = keyof typeof messages;

/** The keys that come as a plural pair, `<base>_one` and `<base>_other`. */
export type PluralKey = {
  [K in MessageKey]: K extends `${infer Base}_one` ? (`${Base}_other` extends MessageKey ? Base : never) : never;
}[MessageKey];

type Substitution = string | number;

// WXT types getMessage with one overload per message; the plain signature takes any of our keys.
const i18n: { getMessage(name: string, substitutions?: string[]): string; getUILanguage(): string } = browser.i18n;

/**
 * Each message is asked of the browser once per page, with a private-use character standing for each substitution;
 * later calls fill that template in. A page renders hundreds of labels (300 entries in the overlay), and getMessage is
 * a call into the browser each time; the browser's language cannot change while the page is open.
 */
const MARKERS = Array.from({ length: 9 }, (_, i) => String.fromCharCode(0xe010 + i));
const MARKER = /[\uE010-\uE018]/g;
const templates = new Map<string, string>();

/** The message `key` in the browser's language, with `$1`… filled from `substitutions`. */
export function t(key: MessageKey, ...substitutions: Substitution[]): string {
  let template = templates.get(key);
  if (template === undefined) {
    template = i18n.getMessage(key, MARKERS);
    templates.set(key, template);
  }
  // getMessage answers "" for a name it does not know (MDN i18n.getMessage); show the name rather than nothing.
  if (template === '') return key;
  return template.replace(MARKER, (m) => String(substitutions[m.charCodeAt(0) - 0xe010] ?? ''));
}

let pluralRules: Intl.PluralRules | undefined;

/** The name of the plural form of `base` for `count` (CLDR categories via Intl.PluralRules; English has "one" and "other"). */
export function pluralKey(base: PluralKey, count: number): MessageKey {
  pluralRules ??= new Intl.PluralRules(i18n.getUILanguage());
  return `${base}_${pluralRules.select(count) === 'one' ? 'one' : 'other'}` as MessageKey;
}

/** The plural form of `base` for `count`, with `count` as `$1` and `substitutions` as `$2`…. */
export function tCount(base: PluralKey, count: number, ...substitutions: Substitution[]): string {
  return t(pluralKey(base, count), count, ...substitutions);
}
