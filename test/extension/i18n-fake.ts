/**
 * `browser.i18n` for the unit tests: @webext-core/fake-browser leaves getMessage unimplemented (it throws), so the
 * tests read the real `_locales/en/messages.json` with the browser's rules for named placeholders
 * (https://developer.chrome.com/docs/extensions/how-to/ui/localization-message-formats: `$NAME$` in the message,
 * case-insensitive, is replaced by the placeholder's `content`, where `$1`…`$9` are the substitutions and `$$` is a
 * dollar sign). A name that is not in the file answers "", as the browsers do (MDN i18n.getMessage).
 */
import messagesJson from '../../extension/public/_locales/en/messages.json' with { type: 'json' };

export interface MessageDefinition {
  message: string;
  description?: string;
  placeholders?: Record<string, { content: string; example?: string }>;
}

export const MESSAGES: Record<string, MessageDefinition> = messagesJson;

export function getMessage(name: string, substitutions?: string | string[]): string {
  const definition = MESSAGES[name];
  return definition ? fillMessage(definition, substitutions) : '';
}

/** A message's text with its placeholders filled from `substitutions`, as the browsers fill it. */
export function fillMessage(definition: MessageDefinition, substitutions?: string | string[]): string {
  const subs = substitutions === undefined ? [] : Array.isArray(substitutions) ? substitutions : [substitutions];
  const placeholders = new Map(
    Object.entries(definition.placeholders ?? {}).map(([key, value]) => [key.toLowerCase(), value.content] as const),
  );
  const fill = (content: string) => content.replace(/\$(\d|\$)/g, (_, d: string) => (d === '$' ? '$' : (subs[Number(d) - 1] ?? '')));
  return definition.message
    .replace(/\$([A-Za-z0-9_@]+)\$/g, (whole, name: string) => {
      const content = placeholders.get(name.toLowerCase());
      return content === undefined ? whole : fill(content);
    })
    .replace(/\$\$/g, '$');
}
