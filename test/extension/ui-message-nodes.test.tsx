/** @jsxImportSource preact */
// tNodes(): markup (a <strong>, a <span>, a button) inside one translated sentence, each element where its named
// placeholder is, wherever a translation puts it.
import { afterEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { pluralKey, t } from '../../extension/lib/i18n.ts';
import { tNodes } from '../../extension/ui/message-nodes.tsx';
import { fillMessage, getMessage, MESSAGES, type MessageDefinition } from './i18n-fake.ts';
import { render, unmountAll } from './ui-support.ts';

afterEach(unmountAll);

/** Answers `name` from `definition` (a translation), every other message from the English file. */
function translate(name: string, definition: MessageDefinition): void {
  fakeBrowser.i18n.getMessage = ((n: string, substitutions?: string | string[]) =>
    n === name ? fillMessage(definition, substitutions) : getMessage(n, substitutions)) as typeof fakeBrowser.i18n.getMessage;
}

describe('tNodes', () => {
  it('puts each node where its placeholder is, not where its argument is', async () => {
    // diagnostics_degraded: HEADING is $2 but comes first, before COUNT ($1).
    const root = await render(<p>{tNodes(pluralKey('diagnostics_degraded', 3), 3, <strong>Heading</strong>, 'Thu 20 Nov, 09:00')}</p>);
    expect(root.innerHTML).toBe(`<p>${t('diagnostics_degraded_other', 3, '<strong>Heading</strong>', 'Thu 20 Nov, 09:00')}</p>`);
    expect(root.textContent).toMatch(/^Heading: a meeting page .* \(3 times, last Thu 20 Nov, 09:00\)\./);
    expect(root.querySelector('strong')?.textContent).toBe('Heading');
  });

  it('follows a translation that moves the nodes around', async () => {
    const english = MESSAGES['options_accountSignedInOrganisation'];
    if (!english) throw new Error('options_accountSignedInOrganisation is missing');
    translate('options_accountSignedInOrganisation', { ...english, message: 'On $SERVER$: $ORGANISATION$, with $USER$ signed in.' });
    const root = await render(
      <p>{tNodes('options_accountSignedInOrganisation', <strong>Ana</strong>, <em>Open Mentors</em>, <span class="mono">server.example</span>)}</p>,
    );
    expect(root.innerHTML).toBe('<p>On <span class="mono">server.example</span>: <em>Open Mentors</em>, with <strong>Ana</strong> signed in.</p>');
  });

  it('substitutes strings and numbers as text, and nests', async () => {
    const who = tNodes('options_userRoleEmail', <strong>Ana</strong>, 'mentor', 'ana@example.org');
    const root = await render(<p>{tNodes('sidepanel_accountWithOrganisation', who, 'Open Mentors', <span>host</span>)}</p>);
    expect(root.innerHTML).toBe('<p>Signed in as <strong>Ana</strong> (mentor, ana@example.org) · Open Mentors · <span>host</span></p>');
    // With no nodes it is the message itself.
    expect(tNodes('sidepanel_account', 'Ana', 'host')).toEqual([t('sidepanel_account', 'Ana', 'host')]);
  });
});
