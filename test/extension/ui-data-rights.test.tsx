/** @jsxImportSource preact */
// Data rights in the side panel (issue 8): the retention sentence, "Export my data" and "Delete my account".
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ask } from '../../extension/lib/app-client.ts';
import { DeleteAccount } from '../../extension/ui/components/DeleteAccount.tsx';
import { ExportData, retentionSentence } from '../../extension/ui/components/ExportData.tsx';
import { answer, button, byLabel, calls, click, render, text, type, unmountAll } from './ui-support.ts';

vi.mock('../../extension/lib/app-client.ts', () => ({ ask: vi.fn() }));

beforeEach(() => {
  vi.mocked(ask).mockReset();
});
afterEach(() => {
  unmountAll();
  vi.restoreAllMocks();
});

describe('Your data', () => {
  it('says how long the programme keeps notes', async () => {
    expect(retentionSentence(null)).toBe('Your programme keeps notes until you delete them.');
    expect(retentionSentence(90)).toBe('Your programme deletes notes 90 days after a mentorship ends.');
    answer(ask, { 'me.settings': { retentionDays: 30 } });
    const root = await render(<ExportData />);
    expect(text(root)).toContain('Your programme deletes notes 30 days after a mentorship ends.');
  });

  it('downloads the JSON and one Markdown file per pair through object URLs and <a download>', async () => {
    const blobs: Blob[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      blobs.push(blob as Blob);
      return `blob:test/${blobs.length}`;
    });
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    const clicked: { href: string; download: string }[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push({ href: this.getAttribute('href') ?? '', download: this.download });
    });
    answer(ask, {
      'me.settings': { retentionDays: null },
      'me.export': { json: '{"format":"alongside-export"}', jsonName: 'alongside-export-2026-01-01.json', files: [{ name: 'alongside-notes-2025-09-01-0193ab12.md', markdown: '# Mentorship' }] },
    });
    const root = await render(<ExportData />);
    expect(text(root)).toContain('keeps notes until you delete them');
    await click(button(root, 'Export my data'));
    expect(clicked).toEqual([
      { href: 'blob:test/1', download: 'alongside-export-2026-01-01.json' },
      { href: 'blob:test/2', download: 'alongside-notes-2025-09-01-0193ab12.md' },
    ]);
    expect(await blobs[1]?.text()).toBe('# Mentorship');
    expect(text(root)).toContain('Downloaded 2 files.');
  });

  it('shows the error when the export fails', async () => {
    answer(ask, {
      'me.settings': { retentionDays: null },
      'me.export': () => {
        throw new Error('Cannot reach the Alongside server');
      },
    });
    const root = await render(<ExportData />);
    await click(button(root, 'Export my data'));
    expect(root.querySelector('[role="alert"]')?.textContent).toContain('Cannot reach the Alongside server');
  });
});

describe('Delete my account', () => {
  it('deletes only after the exact words are typed, then reports the deletion (the panel then shows sign-in)', async () => {
    const onDeleted = vi.fn();
    answer(ask, { 'me.delete': { ok: true } });
    const root = await render(<DeleteAccount onDeleted={onDeleted} />);
    await click(button(root, 'Delete my account…'));
    const input = byLabel<HTMLInputElement>(root, /^Type “delete my account” to confirm$/);
    const confirm = button(root, 'Delete my account');
    expect(confirm.disabled).toBe(true);
    await type(input, 'delete my acount');
    expect(confirm.disabled).toBe(true);
    await type(input, 'Delete my account');
    expect(confirm.disabled).toBe(false);
    await click(confirm);
    expect(calls(ask, 'me.delete')).toEqual([{ confirm: 'Delete my account' }]);
    expect(onDeleted).toHaveBeenCalledOnce();
  });

  it('keeps the account and says why when the server refuses', async () => {
    const onDeleted = vi.fn();
    answer(ask, {
      'me.delete': () => {
        throw new Error('Admins are erased by another admin of the programme');
      },
    });
    const root = await render(<DeleteAccount onDeleted={onDeleted} />);
    await click(button(root, 'Delete my account…'));
    await type(byLabel<HTMLInputElement>(root, /^Type “delete my account” to confirm$/), 'delete my account');
    await click(button(root, 'Delete my account'));
    expect(onDeleted).not.toHaveBeenCalled();
    expect(root.querySelector('[role="alert"]')?.textContent).toContain('Admins are erased');
  });
});
