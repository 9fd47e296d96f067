/** @jsxImportSource preact */
// End-to-end encryption in the pages (issue 10), against a mocked background: the options page's set-up, approval,
// recovery and safety numbers; the side panel's and overlay's banner, locked text and search; the goal card's
// "visible to the programme" switch; and what the feedback prompt says about who reads the comment.
import { useState } from 'preact/hooks';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Goal } from '../../shared/schemas/index.ts';
import { ask } from '../../extension/lib/app-client.ts';
import { BackgroundError, type CallInfo, type LocalEntry } from '../../extension/lib/app-messages.ts';
import type { E2eeStatus, OwnDevice, PairEncryption } from '../../extension/lib/e2ee-messages.ts';
import { openOptionsPage } from '../../extension/ui/browser-actions.ts';
import { EntryList } from '../../extension/ui/components/EntryList.tsx';
import { FeedbackPrompt } from '../../extension/ui/components/FeedbackPrompt.tsx';
import { GoalList } from '../../extension/ui/components/GoalCard.tsx';
import { foldForSearch, searchEntries } from '../../extension/ui/entries.ts';
import { EncryptionSection } from '../../extension/ui/options/EncryptionSection.tsx';
import { OverlayApp, type OverlayTimings } from '../../extension/ui/overlay/OverlayApp.tsx';
import { SidePanelApp } from '../../extension/ui/sidepanel/SidePanelApp.tsx';
import {
  $,
  answer,
  asEntry,
  type Background,
  button,
  byLabel,
  calls,
  checkIn,
  checkIns,
  click,
  context,
  entry,
  goal,
  ids,
  key,
  meeting,
  mentee,
  mentor,
  onlineStatus,
  pairSummary,
  render,
  settle,
  signedIn,
  submit,
  text,
  type,
  unmountAll,
  waitFor,
} from './ui-support.ts';

vi.mock('../../extension/lib/app-client.ts', () => ({ ask: vi.fn() }));
vi.mock('../../extension/ui/browser-actions.ts', () => ({ openOptionsPage: vi.fn(), requestHostAccess: vi.fn(async () => true) }));

// ---- fixtures ----------------------------------------------------------------------------------------------------

const T0 = '2026-11-20T09:00:00.000Z';
const thisBrowser: OwnDevice = { deviceKeyId: 'dk-this', label: 'Chrome on macOS', createdAt: T0, approvedAt: T0, current: true };
const laptop: OwnDevice = { deviceKeyId: 'dk-laptop', label: 'Firefox on Linux', createdAt: T0, approvedAt: T0, current: false };
const phone: OwnDevice = { deviceKeyId: 'dk-phone', label: 'Edge on Windows', createdAt: T0, approvedAt: null, current: false };
const SAFETY_NUMBER = '11111 22222 33333 44444 55555 66666 77777 88888 99999 00000 12345 67890';
const RECOVERY_KEY = '7K3M-Q9XA-R2TD-5HWP-C8VN-J4FE-B6YS-M1GZ-0QKD';
const REASON = 'This note was written before this device was added — approve it from your other device.';

function pairEncryption(overrides: Partial<PairEncryption> = {}): PairEncryption {
  return { pairId: ids.pair, partnerName: 'Priya Raman', state: 'encrypted', migration: null, safetyNumber: SAFETY_NUMBER, error: null, ...overrides };
}

function e2ee(overrides: Partial<E2eeStatus> = {}): E2eeStatus {
  return {
    state: 'ready',
    approvalCode: null,
    hasRecoveryBackup: true,
    devices: [thisBrowser],
    approvals: [],
    pairs: [pairEncryption()],
    ...overrides,
  };
}

const pending = (): E2eeStatus =>
  e2ee({ state: 'pending', approvalCode: '12345678901234567890', devices: [{ ...thisBrowser, approvedAt: null }], pairs: [pairEncryption({ state: 'locked' })] });

let visibility: DocumentVisibilityState = 'visible';
function setVisibility(state: DocumentVisibilityState) {
  visibility = state;
  document.dispatchEvent(new Event('visibilitychange'));
}

beforeEach(() => {
  vi.mocked(ask).mockReset();
  vi.mocked(openOptionsPage).mockReset();
  sessionStorage.clear();
  localStorage.clear();
  visibility = 'visible';
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => visibility });
});
afterEach(() => {
  unmountAll();
  vi.restoreAllMocks();
});

// ---- the options page ----------------------------------------------------------------------------------------------

describe('encryption on the options page', () => {
  it('sets up the first device and shows the recovery key once, closable only after “I have saved my recovery key”', async () => {
    let current = e2ee({ state: 'none', hasRecoveryBackup: false, devices: [], pairs: [] });
    answer(ask, {
      'e2ee.status': () => current,
      'e2ee.setUp': () => {
        current = e2ee();
        return { recoveryKey: RECOVERY_KEY, status: current };
      },
    });
    const writeText = vi.fn(async () => undefined);
    Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText } });
    let printed = '';
    window.print = vi.fn(() => {
      printed = text($(document.body, '.recovery-print'));
    });

    const root = await render(<EncryptionSection />);
    expect(text(root)).toContain(
      'Losing every device and the recovery key loses your private notes. Notes shared with your partner stay readable through them, and they can share them with you again.',
    );
    await click(button(root, 'Set up encryption on this device'));
    expect(calls(ask, 'e2ee.setUp')).toEqual([{}]);

    const dialog = $(root, '[role=dialog]');
    expect(byLabel(dialog, 'Recovery key').textContent).toBe(RECOVERY_KEY);
    expect(document.activeElement?.textContent).toBe('Your recovery key');
    const done = button(dialog, 'Done');
    expect(done.disabled).toBe(true);

    await click(button(dialog, 'Copy'));
    expect(writeText).toHaveBeenCalledWith(RECOVERY_KEY);
    expect(text(dialog)).toContain('Copied.');

    // The printout holds only the key and one line, and is gone once printing is done.
    await click(button(dialog, 'Print'));
    expect(window.print).toHaveBeenCalledOnce();
    expect(printed).toContain(RECOVERY_KEY);
    expect(printed).toContain('With this key you can read your Alongside notes on a new device');
    expect(printed).not.toContain('Chrome on macOS');
    window.dispatchEvent(new Event('afterprint'));
    expect(document.querySelector('.recovery-print')).toBeNull();

    await click(byLabel(dialog, 'I have saved my recovery key'));
    expect(done.disabled).toBe(false);
    await click(done);
    expect(root.querySelector('[role=dialog]')).toBeNull();
    expect(text(root)).not.toContain(RECOVERY_KEY);
    expect(text(root)).toContain('Encryption is set up on this device.');
    // Set up: the device list now, and no way to see that key again.
    expect(text(byLabel(root, 'Your devices'))).toContain('Chrome on macOS');
    expect(() => button(root, 'Set up encryption on this device')).toThrow();
  });

  it('shows a set-up error as the background words it', async () => {
    answer(ask, {
      'e2ee.status': e2ee({ state: 'none', hasRecoveryBackup: false, devices: [], pairs: [] }),
      'e2ee.setUp': () => Promise.reject(new BackgroundError('unreachable', 'Cannot reach the Alongside server')),
    });
    const root = await render(<EncryptionSection />);
    await click(button(root, 'Set up encryption on this device'));
    expect(text($(root, '[role=alert]'))).toBe('Could not set up encryption: Cannot reach the Alongside server');
  });

  it('on a new device, shows the approval code in groups and restores with the recovery key', async () => {
    let current = pending();
    answer(ask, {
      'e2ee.status': () => current,
      'e2ee.restore': ({ recoveryKey }) => {
        if (recoveryKey !== RECOVERY_KEY) throw new BackgroundError('invalid_recovery_key', 'That recovery key has a typo: check each group against your printout.');
        current = e2ee();
        return current;
      },
    });
    const root = await render(<EncryptionSection pollMs={60_000} />);
    expect(text(root)).toContain('This device is waiting for approval');
    expect(text(root)).toContain('Open Alongside options on a device you already use and enter this code');
    const code = $(root, '.approval-code');
    expect([...code.querySelectorAll('span')].map((s) => s.textContent)).toEqual(['12345', '67890', '12345', '67890']);
    expect(code.textContent).toBe('12345 67890 12345 67890');
    expect(code.getAttribute('aria-label')).toBe('Approval code: 12345 67890 12345 67890');
    expect(text(root)).toContain('Locked on this device — approve it from your other device');

    expect(text($(root, '.e2ee-restore summary'))).toBe('Use your recovery key instead');
    const input = byLabel<HTMLInputElement>(root, 'Recovery key');
    await type(input, '7K3M-Q9XA-R2TD-5HWP-C8VN-J4FE-B6YS-M1GZ-0QKX');
    await submit(input.form!);
    expect(text($(root, '.e2ee-restore [role=alert]'))).toBe('That recovery key has a typo: check each group against your printout.');
    expect(input.getAttribute('aria-invalid')).toBe('true');

    await type(input, ` ${RECOVERY_KEY} `);
    await submit(input.form!);
    expect(calls(ask, 'e2ee.restore')).toEqual([{ recoveryKey: '7K3M-Q9XA-R2TD-5HWP-C8VN-J4FE-B6YS-M1GZ-0QKX' }, { recoveryKey: RECOVERY_KEY }]);
    expect(text(root)).not.toContain('waiting for approval');
    expect(text(root)).toContain('Restored with your recovery key: this device can read your notes now.');
  });

  it('polls while the device waits, not while the page is hidden, and stops when the page goes', async () => {
    answer(ask, { 'e2ee.status': pending() });
    await render(<EncryptionSection pollMs={20} />);
    await waitFor(() => expect(calls(ask, 'e2ee.status').length).toBeGreaterThanOrEqual(3));

    setVisibility('hidden');
    await settle();
    const whileHidden = calls(ask, 'e2ee.status').length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(calls(ask, 'e2ee.status').length).toBe(whileHidden);

    setVisibility('visible');
    await waitFor(() => expect(calls(ask, 'e2ee.status').length).toBeGreaterThan(whileHidden + 1));

    unmountAll();
    const atUnmount = calls(ask, 'e2ee.status').length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(calls(ask, 'e2ee.status').length).toBe(atUnmount);
  });

  it('does not poll a ready device with nothing under way', async () => {
    answer(ask, { 'e2ee.status': e2ee() });
    await render(<EncryptionSection pollMs={20} />);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(calls(ask, 'e2ee.status')).toHaveLength(1);
  });

  it('approves a new device with the code it shows, and shows a mismatch as the background says it', async () => {
    const request = { id: ids.other, label: 'Firefox on Linux', createdAt: T0, expiresAt: '2026-11-20T09:15:00.000Z' };
    answer(ask, {
      'e2ee.status': e2ee({ approvals: [request], devices: [thisBrowser, { ...laptop, approvedAt: null }] }),
      'e2ee.approve': ({ code }) => {
        if (code.replace(/\D/g, '') !== '11111222223333344444') {
          throw new BackgroundError('approval_code_mismatch', 'The code does not match the one on the new device. Do not approve it: start again on the new device.');
        }
        return e2ee({ devices: [thisBrowser, laptop] });
      },
    });
    const root = await render(<EncryptionSection />);
    const list = byLabel(root, 'New devices asking to join');
    expect(text(list)).toContain('Firefox on Linux');
    const input = byLabel<HTMLInputElement>(list, 'Type the code your new device shows');

    await type(input, '11111 22222 33333 44445');
    await click(button(list, 'Approve Firefox on Linux'));
    expect(calls(ask, 'e2ee.approve')).toEqual([{ approvalId: ids.other, code: '11111 22222 33333 44445' }]);
    expect(text($(list, '[role=alert]'))).toBe('The code does not match the one on the new device. Do not approve it: start again on the new device.');

    await type(input, '11111 22222 33333 44444');
    await click(button(list, 'Approve Firefox on Linux'));
    expect(root.querySelector('[aria-label="New devices asking to join"]')).toBeNull();
    expect(text(root)).toContain('Approved Firefox on Linux');
  });

  it('lists the devices, removes one after a confirmation, and makes a new recovery key after another', async () => {
    let current = e2ee({ devices: [thisBrowser, laptop, phone] });
    answer(ask, {
      'e2ee.status': () => current,
      'e2ee.removeDevice': ({ deviceKeyId }) => {
        current = e2ee({ devices: current.devices.filter((d) => d.deviceKeyId !== deviceKeyId) });
        return current;
      },
      'e2ee.newRecoveryKey': () => ({ recoveryKey: RECOVERY_KEY, status: current }),
    });
    const root = await render(<EncryptionSection />);
    const devices = [...byLabel(root, 'Your devices').querySelectorAll<HTMLElement>('li')];
    expect(devices.map((li) => text(li))).toEqual([
      expect.stringContaining('Chrome on macOSThis browser'),
      expect.not.stringContaining('This browser'),
      expect.stringContaining('Edge on WindowsWaiting for approval'),
    ]);
    // This browser cannot remove itself here.
    expect(() => button(root, 'Remove Chrome on macOS')).toThrow();

    await click(button(root, 'Remove Firefox on Linux'));
    const confirm = byLabel(root, 'Remove Firefox on Linux?');
    expect(text(confirm)).toContain('It stops getting new keys');
    expect(calls(ask, 'e2ee.removeDevice')).toHaveLength(0);
    await click(button(confirm, 'Remove device'));
    expect(calls(ask, 'e2ee.removeDevice')).toEqual([{ deviceKeyId: 'dk-laptop' }]);
    expect(text(byLabel(root, 'Your devices'))).not.toContain('Firefox on Linux');

    await click(button(root, 'Make a new recovery key'));
    expect(text(byLabel(root, 'Make a new recovery key?'))).toContain('Your current recovery key stops working');
    expect(calls(ask, 'e2ee.newRecoveryKey')).toHaveLength(0);
    await click(button(root, 'Make the new key'));
    expect(calls(ask, 'e2ee.newRecoveryKey')).toEqual([{}]);
    const dialog = $(root, '[role=dialog]');
    expect(text(dialog)).toContain('Your new recovery key');
    expect(text(dialog)).toContain('Your old recovery key no longer works.');
    expect(byLabel(dialog, 'Recovery key').textContent).toBe(RECOVERY_KEY);
  });

  it('says each mentorship’s state in words, with its error and the safety number to compare', async () => {
    answer(ask, {
      'e2ee.status': e2ee({
        pairs: [
          pairEncryption(),
          pairEncryption({ pairId: ids.pair2, partnerName: 'Kofi Mensah', state: 'migrating', migration: { done: 12, total: 40 }, safetyNumber: null }),
          pairEncryption({ pairId: ids.other, partnerName: 'Lena Novak', state: 'plain', safetyNumber: null, error: 'Could not reach the server to store the pair key.' }),
        ],
      }),
    });
    const root = await render(<EncryptionSection pollMs={60_000} />);
    const pairs = [...byLabel(root, 'Encryption of your mentorships').querySelectorAll<HTMLElement>(':scope > li')];
    expect(text($(pairs[0]!, '.e2ee-pair-head'))).toBe('Priya Raman End-to-end encrypted');
    expect(text(pairs[1]!)).toContain('Encrypting existing notes: 12 of 40');
    expect($(pairs[1]!, 'progress').getAttribute('value')).toBe('12');
    expect(text(pairs[2]!)).toContain('Plain text — not encrypted yet');
    expect(text($(pairs[2]!, '[role=alert]'))).toBe('Could not reach the server to store the pair key.');

    expect(text($(pairs[0]!, 'summary'))).toBe('Compare safety number with Priya');
    expect(text($(pairs[0]!, '.safety-digits'))).toBe(SAFETY_NUMBER);
    expect([...pairs[0]!.querySelectorAll('.safety-digits span')]).toHaveLength(12);
    expect(text(pairs[0]!)).toContain('If it matches what Priya sees, nobody added a device between you.');
    expect(text(pairs[1]!)).toContain('No safety number yet');
  });
});

// ---- locked text ---------------------------------------------------------------------------------------------------

describe('text this device cannot read', () => {
  const handlers = { onChanged: vi.fn(), onDeleted: vi.fn(), onRetry: vi.fn() };

  it('shows a locked entry’s reason instead of its body, without edit or share, deletable by its author only', async () => {
    const entries: LocalEntry[] = [
      entry({ id: ids.goal1, body: '', locked: REASON, visibility: 'private', seq: 1 }),
      entry({ id: ids.goal2, body: '', locked: REASON, authorId: ids.mentee, seq: 2, createdAt: '2025-11-27T09:06:00.000Z' }),
      entry({ id: ids.agenda1, body: 'Readable', seq: 3, createdAt: '2025-11-27T09:07:00.000Z' }),
    ];
    const root = await render(
      <EntryList entries={entries} me={mentor} partner={mentee} goals={[]} timeZone="Europe/Lisbon" handlers={handlers} />,
    );
    const [mine, theirs, readable] = [...root.querySelectorAll<HTMLElement>('.entry')];
    for (const li of [mine!, theirs!]) {
      const body = $(li, '.entry-body');
      expect(body.classList.contains('locked-text')).toBe(true);
      expect(text(body)).toBe(REASON);
      expect(body.querySelector('svg.lock-icon')).not.toBeNull();
      expect(li.querySelector('[aria-label="Edit this entry"]')).toBeNull();
      expect(li.querySelector('[aria-label="Share this entry with your partner"]')).toBeNull();
    }
    expect(mine!.querySelector('[aria-label="Delete this entry"]')).not.toBeNull();
    expect(theirs!.querySelector('[aria-label="Delete this entry"]')).toBeNull();
    expect(readable!.querySelector('[aria-label="Edit this entry"]')).not.toBeNull();

    await click(button(mine!, 'Delete this entry'));
    answer(ask, { 'entries.delete': { ok: true } });
    await click(button(mine!, 'Delete'));
    expect(calls(ask, 'entries.delete')).toEqual([{ id: ids.goal1 }]);
  });

  it('shows the reason for goals, milestones, agenda items and actions listed as locked by context.get', async () => {
    answer(ask, {
      ...overlayBackground(),
      'context.get': {
        context: context({ goals: [goal({ title: '' })], openActions: [asEntry(entry({ id: ids.checkIn1, kind: 'action', body: '', actionOwnerId: ids.mentor }))] }),
        fromCache: false,
        error: null,
        locked: [ids.goal1, ids.other, ids.agenda1, ids.checkIn1],
        lockedReason: 'Written before this device was added — approve it from your other device.',
      },
    });
    const root = await render(<OverlayApp search="?platform=meet" timings={slow} />);
    const goalCard = $(root, '#panel-goals .goal');
    expect(text($(goalCard, '.goal-title'))).toBe('Written before this device was added — approve it from your other device.');
    expect(text($(goalCard, '.goal-milestone'))).toContain('Written before this device was added');
    expect($(goalCard, '[role=progressbar]').getAttribute('aria-label')).toBe('Progress of this goal');
    expect(text($(root, '#panel-agenda .checklist-text'))).toBe('Written before this device was added — approve it from your other device.');
    expect(text($(root, '#panel-actions .checklist-text'))).toContain('Written before this device was added');
    expect(root.querySelectorAll('.locked-text').length).toBeGreaterThanOrEqual(4);
  });
});

// ---- search --------------------------------------------------------------------------------------------------------

describe('searching the notes', () => {
  const notes: LocalEntry[] = [
    entry({ body: 'Café with the design team', seq: 1, createdAt: '2025-11-27T09:01:00.000Z' }),
    entry({ body: 'Portfolio review next week', seq: 2, createdAt: '2025-11-27T09:02:00.000Z' }),
    entry({ body: 'Another CAFE chat, about salary', authorId: ids.mentee, seq: 3, createdAt: '2025-11-27T09:03:00.000Z' }),
    // A locked entry never matches, whatever it holds.
    entry({ body: 'cafe', locked: REASON, seq: 4, createdAt: '2025-11-27T09:04:00.000Z' }),
    entry({ body: 'cafe, deleted', deleted: true, seq: 5 }),
  ];

  it('folds case and accents, needs every word, and skips locked and deleted entries', () => {
    expect(foldForSearch('Café ÉTÉ')).toBe('cafe ete');
    expect(searchEntries(notes, 'cafe').map((e) => e.body)).toEqual(['Café with the design team', 'Another CAFE chat, about salary']);
    expect(searchEntries(notes, 'salary café').map((e) => e.body)).toEqual(['Another CAFE chat, about salary']);
    expect(searchEntries(notes, '  ')).toHaveLength(4);
  });

  it('filters the side panel’s notes with a count, an empty state, and Escape to clear', async () => {
    answer(ask, sidePanelBackground({ 'entries.sync': { entries: notes, status: onlineStatus } }));
    const root = await render(<SidePanelApp refreshMs={60_000} />);
    const section = $(root, '.notes-section');
    expect(section.querySelectorAll('.entry')).toHaveLength(4);
    const box = byLabel<HTMLInputElement>(section, 'Search notes');

    await type(box, 'CAFÉ');
    expect([...section.querySelectorAll('.entry-body')].map((b) => b.textContent)).toEqual([
      'Café with the design team',
      'Another CAFE chat, about salary',
    ]);
    expect(text($(section, '.note-search [role=status]'))).toBe('2 of 4 notes');

    await type(box, 'zebra');
    expect(section.querySelectorAll('.entry')).toHaveLength(0);
    expect(text(section)).toContain('No notes match “zebra”.');

    await key(box, 'Escape');
    expect(box.value).toBe('');
    expect(section.querySelectorAll('.entry')).toHaveLength(4);
    expect(text($(section, '.note-search [role=status]'))).toBe('');
  });

  it('filters the overlay’s notes too', async () => {
    answer(ask, { ...overlayBackground(), 'entries.sync': { entries: notes, status: onlineStatus } });
    const root = await render(<OverlayApp search="?platform=meet" timings={slow} />);
    const panel = $(root, '#panel-notes');
    await type(byLabel<HTMLInputElement>(panel, 'Search notes'), 'portfolio');
    expect([...panel.querySelectorAll('.entry-body')].map((b) => b.textContent)).toEqual(['Portfolio review next week']);
    expect(text($(panel, '.note-search [role=status]'))).toBe('1 of 4 notes');
  });
});

// ---- banners and the encrypted mark ----------------------------------------------------------------------------------

describe('encryption in the side panel and the overlay', () => {
  it('tells a device waiting for approval so, links to the settings, and stays dismissed for the session', async () => {
    answer(ask, sidePanelBackground({ 'e2ee.status': pending() }));
    const root = await render(<SidePanelApp refreshMs={60_000} />);
    const banner = $(root, '.e2ee-banner');
    expect(text(banner)).toContain('This device can’t read encrypted notes yet — approve it from your other device.');
    await click(button(banner, 'Open settings'));
    expect(openOptionsPage).toHaveBeenCalledOnce();

    await click(button(banner, 'Dismiss this message'));
    expect(root.querySelector('.e2ee-banner')).toBeNull();
    unmountAll();
    const again = await render(<SidePanelApp refreshMs={60_000} />);
    expect(again.querySelector('.e2ee-banner')).toBeNull();
  });

  it('shows the progress of encrypting existing notes, then the “End-to-end encrypted” mark by the notes', async () => {
    let current = e2ee({ pairs: [pairEncryption({ state: 'migrating', migration: { done: 12, total: 40 } })] });
    answer(ask, sidePanelBackground({ 'e2ee.status': () => current }));
    const root = await render(<SidePanelApp refreshMs={60_000} />);
    expect(text($(root, '.e2ee-banner'))).toContain('Encrypting your existing notes: 12 of 40');
    expect(root.querySelector('.e2ee-hint')).toBeNull();

    current = e2ee();
    window.dispatchEvent(new Event('focus'));
    await settle();
    expect(root.querySelector('.e2ee-banner')).toBeNull();
    expect(text($(root, '.notes-section .section-head'))).toContain('End-to-end encrypted');
  });

  it('says when the pair’s notes are locked on this device, in the overlay', async () => {
    answer(ask, { ...overlayBackground(), 'e2ee.status': e2ee({ pairs: [pairEncryption({ state: 'locked' })] }) });
    const root = await render(<OverlayApp search="?platform=meet" timings={slow} />);
    expect(text($(root, '.e2ee-banner'))).toContain('Your notes with Priya are locked on this device — approve it from your other device.');
  });

  it('marks an encrypted pair’s notes in the overlay', async () => {
    answer(ask, { ...overlayBackground(), 'entries.sync': { entries: [entry()], status: onlineStatus } });
    const root = await render(<OverlayApp search="?platform=meet" timings={slow} />);
    expect(root.querySelector('.e2ee-banner')).toBeNull();
    expect(text($(root, '#panel-notes .e2ee-hint'))).toBe('End-to-end encrypted');
  });
});

// ---- goal visibility to the programme -----------------------------------------------------------------------------

describe('whether the programme sees a goal’s title', () => {
  function Goals({ initial, as }: { initial: Goal[]; as: 'mentor' | 'mentee' }) {
    const [goals, setGoals] = useState(initial);
    return (
      <GoalList
        goals={goals}
        meId={as === 'mentor' ? ids.mentor : ids.mentee}
        myRole={as}
        partnerName={as === 'mentor' ? 'Priya' : 'Ana'}
        timeZone="Europe/Lisbon"
        onSaved={(saved) => setGoals((previous) => previous.map((g) => (g.id === saved.id ? saved : g)))}
        onConflict={async () => undefined}
      />
    );
  }

  it('lets the mentee show their own goal’s title, with a saving state, and shows the choice on the card', async () => {
    let release: () => void = () => undefined;
    answer(ask, {
      'goals.visibility': async ({ visible }) => {
        await new Promise<void>((resolve) => (release = resolve));
        return { goal: goal({ version: 4, programmeTitle: visible ? 'Ship a side project' : null }) };
      },
    });
    const root = await render(<Goals as="mentee" initial={[goal({ programmeTitle: null })]} />);
    const card = $(root, '.goal');
    expect(text(card)).toContain('Private to the pair');
    const toggle = byLabel<HTMLInputElement>(card, 'Visible to the programme');
    expect(toggle.checked).toBe(false);

    await click(toggle);
    expect(calls(ask, 'goals.visibility')).toEqual([{ goalId: ids.goal1, version: 3, visible: true }]);
    expect(text(card)).toContain('Saving…');
    expect(toggle.disabled).toBe(true);
    release();
    await settle();
    expect(toggle.checked).toBe(true);
    expect(text(card)).toContain('Visible to the programme: title only');
    expect(text(card)).toContain('Saved');

    // The returned goal's version is the one sent next.
    await click(toggle);
    expect(calls(ask, 'goals.visibility').at(-1)).toEqual({ goalId: ids.goal1, version: 4, visible: false });
    release();
    await settle();
  });

  it('shows why the choice was not saved', async () => {
    answer(ask, { 'goals.visibility': () => Promise.reject(new BackgroundError('unreachable', 'Cannot reach the Alongside server')) });
    const root = await render(<Goals as="mentee" initial={[goal({ programmeTitle: null })]} />);
    const toggle = byLabel<HTMLInputElement>(root, 'Visible to the programme');
    await click(toggle);
    expect(toggle.checked).toBe(false);
    expect(text($(root, '.goal-visibility'))).toContain('Not changed: Cannot reach the Alongside server');
  });

  it('shows mentors the choice without a switch, and the mentee none on the mentor’s goals', async () => {
    answer(ask, {});
    const shown = goal({ programmeTitle: 'Ship a side project' });
    const root = await render(<Goals as="mentor" initial={[shown]} />);
    expect(text($(root, '.goal-visibility'))).toBe('Visible to the programme: title only');
    expect(root.querySelector('[role=switch]')).toBeNull();

    unmountAll();
    const theirs = goal({ id: ids.goal2, ownerId: ids.mentor, title: 'Mentor goal', programmeTitle: null });
    const asMentee = await render(<Goals as="mentee" initial={[theirs]} />);
    expect(text($(asMentee, '.goal-visibility'))).toBe('Private to the pair');
    expect(asMentee.querySelector('[role=switch]')).toBeNull();
  });
});

// ---- feedback ------------------------------------------------------------------------------------------------------

describe('the feedback prompt', () => {
  it('says who reads the comment', async () => {
    const root = await render(<FeedbackPrompt meeting={meeting()} partnerName="Priya" timeZone="Europe/Lisbon" onDone={() => undefined} />);
    const sentence = $(root, '.feedback-audience');
    expect(text(sentence)).toBe('The programme admins read this comment; Priya does not.');
    expect(byLabel(root, 'Comment (optional)').getAttribute('aria-describedby')).toBe(sentence.id);
  });
});

// ---- backgrounds for the pages ----------------------------------------------------------------------------------------

const slow: Partial<OverlayTimings> = {
  entriesMs: 60_000,
  entriesCollapsedMs: 60_000,
  callMs: 60_000,
  contextMs: 60_000,
  authMs: 60_000,
  e2eeBusyMs: 60_000,
  e2eeIdleMs: 60_000,
};

const callInfo: CallInfo = {
  platform: 'meet',
  code: 'abc-defg-hij',
  mode: 'auto',
  state: 'in-call',
  pairId: ids.pair,
  choices: [],
  meetingId: ids.meeting,
  joinedAt: T0,
  leftAt: null,
};

function overlayBackground(): Background {
  return {
    'auth.status': signedIn,
    'call.info': callInfo,
    'context.get': { context: context(), fromCache: false, error: null, locked: [], lockedReason: null },
    'entries.sync': { entries: [], status: onlineStatus },
    'feedback.pending': { meetings: [] },
    'e2ee.status': e2ee(),
  };
}

function sidePanelBackground(extra: Background = {}): Background {
  return {
    'auth.status': signedIn,
    'pairs.list': { pairs: [pairSummary()] },
    'context.get': { context: context(), fromCache: false, error: null, locked: [], lockedReason: null },
    'checkins.get': { checkIns: checkIns({ scheduled: checkIn({ status: 'scheduled' }) }), fromCache: false, error: null },
    'entries.sync': { entries: [], status: onlineStatus },
    'e2ee.status': e2ee(),
    ...extra,
  };
}
