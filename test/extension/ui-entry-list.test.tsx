/** @jsxImportSource preact */
// The notes stream renders an entry again only when it changed (StillEntry), and its buttons always reach the
// handlers of the latest render.
import { options, render as preactRender } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ask } from '../../extension/lib/app-client.ts';
import type { LocalEntry } from '../../extension/lib/app-messages.ts';
import { EntryItem, EntryList, type EntryHandlers } from '../../extension/ui/components/EntryList.tsx';
import { $, answer, button, click, entry, mentee, mentor, render, settle, unmountAll } from './ui-support.ts';

vi.mock('../../extension/lib/app-client.ts', () => ({ ask: vi.fn() }));

afterEach(() => {
  unmountAll();
  vi.mocked(ask).mockReset();
});

const handlers = (): EntryHandlers => ({ onChanged: vi.fn(), onDeleted: vi.fn(), onRetry: vi.fn() });

describe('EntryList', () => {
  it('renders again only the entry that changed, shows the change, and calls the latest handlers', async () => {
    const first: LocalEntry = entry({ authorId: mentor.id, body: 'First note', sync: 'local' });
    const second: LocalEntry = entry({ authorId: mentor.id, body: 'Second note', createdAt: '2026-11-30T10:05:00.000Z', sync: 'synced' });
    const before = handlers();
    const list = (entries: LocalEntry[], h: EntryHandlers) => (
      <EntryList entries={entries} me={mentor} partner={mentee} goals={[]} timeZone="Europe/Lisbon" handlers={h} />
    );
    const root = await render(list([first, second], before));
    const secondNode = $(root, `[data-entry-id="${second.id}"]`);
    expect($(root, `[data-entry-id="${first.id}"]`).dataset.sync).toBe('local');

    // a poll brings new objects: the first entry is now synced and edited, the second the same as before
    const after = handlers();
    const rendered: string[] = [];
    const diffed = options.diffed;
    options.diffed = (vnode) => {
      if (vnode.type === EntryItem) rendered.push((vnode.props as unknown as { entry: LocalEntry }).entry.id);
      diffed?.(vnode);
    };
    try {
      await act(() => {
        preactRender(list([{ ...first, sync: 'synced', body: 'First note, edited', version: 2 }, { ...second }], after), root);
      });
      await settle();
    } finally {
      options.diffed = diffed;
    }
    expect(rendered).toEqual([first.id]);
    const firstNode = $(root, `[data-entry-id="${first.id}"]`);
    expect(firstNode.dataset.sync).toBe('synced');
    expect(firstNode.textContent).toContain('First note, edited');
    expect($(root, `[data-entry-id="${second.id}"]`)).toBe(secondNode);

    // deleting goes through the handlers of the latest render, not those the entry first rendered with
    answer(ask, { 'entries.delete': () => ({ ok: true }) });
    await click(button(secondNode, /^delete this entry$/i)); // asks first
    await click(button($(secondNode, '.confirm'), /^delete$/i));
    await settle();
    expect(after.onDeleted).toHaveBeenCalledWith(second.id);
    expect(before.onDeleted).not.toHaveBeenCalled();
  });
});
