/**
 * Localisation-ready (issue 12, item 5): every user-facing string of the extension comes from
 * `extension/public/_locales/en/messages.json`, and that file is well formed for the browsers.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { MESSAGES } from './i18n-fake.ts';
import { findLiteralsInHtml, findLiteralsInScript, stringsOf, type Literal } from './ui-literals.ts';
import { t, tCount } from '../../extension/lib/i18n.ts';

const ROOT = join(import.meta.dirname, '../..');
const SOURCE_DIRS = ['extension/ui', 'extension/entrypoints', 'extension/lib', 'extension/platforms'];

function filesUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    return statSync(join(ROOT, path)).isDirectory() ? filesUnder(path) : [path];
  });
}

const sources = SOURCE_DIRS.flatMap(filesUnder).filter((f) => /\.(tsx?|html)$/.test(f));
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');
const names = new Set(Object.keys(MESSAGES));
const pluralBases = new Set([...names].filter((n) => n.endsWith('_one')).map((n) => n.slice(0, -'_one'.length)));
const shown = (literals: Literal[]) => literals.map((l) => `${l.file}:${l.line} ${JSON.stringify(l.text)}`);

describe('the extension shows no text written in its code', () => {
  it('scans the pages, components, background, call scripts and platform adapters', () => {
    expect(sources.length).toBeGreaterThan(100);
    expect(sources.filter((f) => f.endsWith('.html')).length).toBeGreaterThanOrEqual(4);
  });

  it('finds no literal UI string in any of them', () => {
    const literals = sources.flatMap((file) =>
      file.endsWith('.html')
        ? findLiteralsInHtml(file, read(file))
        : findLiteralsInScript(file, read(file), names, { platformData: file.startsWith('extension/platforms/') }),
    );
    expect(shown(literals)).toEqual([]);
  });

  it('the scanner finds each kind of literal (so the check above can fail)', () => {
    const component = `
      export function Card({ busy }: { busy: boolean }) {
        return (
          <section aria-label="Goals" class={busy ? 'is-busy card' : \`idle card-\${busy}\`}>
            <p>Nothing here yet</p>
            <button title={t('common_save')}>{busy ? 'Saving…' : t('common_save')}</button>
            <input placeholder={\`Type here\`} />
            {'error' in toast ? 'Failed' : null}
          </section>
        );
      }
      const toast = { message: 'Saved' };
      throw new Error('Cannot reach the server');
      console.warn('developer text is fine');
      const selector = 'div[role="button"] > span';
    `;
    expect(findLiteralsInScript('Card.tsx', component).map((l) => l.text)).toEqual([
      'Goals',
      'Nothing here yet',
      'Saving…',
      'Type here',
      'Failed',
      'Saved',
      'Cannot reach the server',
    ]);
    expect(findLiteralsInHtml('page.html', '<title>Settings</title><script>const a = "<b>x</b>";</script><div id="app"></div>').map((l) => l.text)).toEqual(['Settings']);
  });
});

describe('messages.json', () => {
  const strings = new Set(sources.filter((f) => !f.endsWith('.html')).flatMap((file) => stringsOf(file, read(file))).concat(stringsOf('wxt.config.ts', read('extension/wxt.config.ts'))));

  it('has only names the browsers accept, each with a message', () => {
    // Names: ASCII letters, digits and underscores; "@@" names are reserved
    // (https://developer.chrome.com/docs/extensions/how-to/ui/localization-message-formats, "name").
    for (const [name, definition] of Object.entries(MESSAGES)) {
      expect(name, name).toMatch(/^[A-Za-z0-9_]+$/);
      expect(definition.message.trim(), name).not.toBe('');
    }
  });

  it('names every placeholder it uses, and fills them only from $1…$9', () => {
    for (const [name, definition] of Object.entries(MESSAGES)) {
      const declared = new Set(Object.keys(definition.placeholders ?? {}).map((p) => p.toLowerCase()));
      const used = [...definition.message.replace(/\$\$/g, '').matchAll(/\$([A-Za-z0-9_]+)\$/g)].map((m) => (m[1] ?? '').toLowerCase());
      expect(used.filter((p) => !declared.has(p)), `${name}: undeclared placeholders`).toEqual([]);
      expect([...declared].filter((p) => !used.includes(p)), `${name}: unused placeholders`).toEqual([]);
      // Numbered substitutions go through named placeholders, as the formats page documents.
      expect(definition.message.replace(/\$\$/g, ''), `${name}: bare $n in message`).not.toMatch(/\$\d/);
      for (const [placeholder, { content }] of Object.entries(definition.placeholders ?? {})) {
        expect(content, `${name}.${placeholder}`).toMatch(/^(\$[1-9]|[^$]*)$/);
      }
    }
  });

  it('has no message the extension does not use', () => {
    const unused = [...names].filter((name) => !strings.has(name) && !(name.endsWith('_one') || name.endsWith('_other') ? strings.has(name.replace(/_(one|other)$/, '')) : false));
    expect(unused).toEqual([]);
  });

  it('keeps its names in alphabetical order (one place for each, for translators and merges)', () => {
    const keys = Object.keys(MESSAGES);
    expect(keys).toEqual([...keys].sort());
  });

  it('comes in plural pairs: every _one has its _other', () => {
    for (const base of pluralBases) expect(names.has(`${base}_other`), base).toBe(true);
  });
});

describe('t() and tCount()', () => {
  it('read the message in the browser language, with substitutions', () => {
    expect(t('extName')).toBe('Alongside');
  });

  it('ask the browser once per message and fill each call in themselves', () => {
    const asked = vi.spyOn(fakeBrowser.i18n, 'getMessage');
    expect(t('options_userRole', 'Ana', 'mentor')).toBe('Ana (mentor)');
    expect(t('options_userRole', 'Bo $1', 'admin')).toBe('Bo $1 (admin)');
    expect(t('options_userRole', 'Cy')).toBe('Cy ()');
    expect(asked.mock.calls.filter(([name]) => name === 'options_userRole').length).toBeLessThanOrEqual(1);
  });

  it('show the name rather than nothing for an unknown message', () => {
    expect(t('no_such_message' as never)).toBe('no_such_message');
  });

  it('pick the plural form for the count', () => {
    const base = [...pluralBases][0];
    if (!base) return;
    expect(tCount(base as never, 1)).toBe(t(`${base}_one` as never, 1));
    expect(tCount(base as never, 2)).toBe(t(`${base}_other` as never, 2));
  });
});
