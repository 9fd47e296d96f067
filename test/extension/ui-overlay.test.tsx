/** @jsxImportSource preact */
// The call overlay against a mocked background: pair choice, goals, the notes stream with its sync states, the
// composer's keyboard, nudges from the content script, and feedback once the call is over.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ask } from '../../extension/lib/app-client.ts';
import { type AppResponse, BackgroundError, type CallInfo, type LocalEntry } from '../../extension/lib/app-messages.ts';
import { openOptionsPage } from '../../extension/ui/browser-actions.ts';
import { OverlayApp, type OverlayTimings } from '../../extension/ui/overlay/OverlayApp.tsx';
import {
  $,
  answer,
  asEntry,
  type Background,
  button,
  byLabel,
  calls,
  click,
  context,
  entry,
  goal,
  ids,
  key,
  meeting,
  mentee,
  onlineStatus,
  pairSummary,
  render,
  settle,
  signedIn,
  signedOut,
  text,
  type,
  unmountAll,
  waitFor,
} from './ui-support.ts';

vi.mock('../../extension/lib/app-client.ts', () => ({ ask: vi.fn() }));
vi.mock('../../extension/ui/browser-actions.ts', () => ({ openOptionsPage: vi.fn(), requestHostAccess: vi.fn(async () => true) }));

/** This device's encryption: set up, nothing under way (ui-e2ee.test.tsx covers the rest). */
const e2eeReady: AppResponse<'e2ee.status'> = { state: 'ready', approvalCode: null, hasRecoveryBackup: true, devices: [], approvals: [], pairs: [] };

const search = '?platform=meet&code=abc-defg-hij';
/** Slow polls so a test sees exactly the requests it causes, unless it asks for fast ones. */
const slow: Partial<OverlayTimings> = { entriesMs: 60_000, entriesCollapsedMs: 60_000, callMs: 60_000, contextMs: 60_000, authMs: 60_000 };

function callInfo(overrides: Partial<CallInfo> = {}): CallInfo {
  return {
    platform: 'meet',
    code: 'abc-defg-hij',
    mode: 'auto',
    state: 'in-call',
    pairId: ids.pair,
    choices: [],
    meetingId: ids.meeting,
    joinedAt: new Date(Date.now() - 12 * 60_000).toISOString(),
    leftAt: null,
    ...overrides,
  };
}

function inCall(extra: Background = {}): Background {
  return {
    'auth.status': signedIn,
    'call.info': callInfo(),
    'context.get': { context: context(), fromCache: false, error: null, locked: [], lockedReason: null },
    'entries.sync': { entries: [], status: onlineStatus },
    'feedback.pending': { meetings: [] },
    'e2ee.status': e2eeReady,
    ...extra,
  };
}

beforeEach(() => {
  vi.mocked(ask).mockReset();
  vi.mocked(openOptionsPage).mockReset();
});
afterEach(unmountAll);

describe('before the notes: sign-in and which pair', () => {
  it('asks a signed-out user to sign in on the options page', async () => {
    answer(ask, { 'auth.status': signedOut });
    const root = await render(<OverlayApp search={search} timings={slow} />);
    expect(text(root)).toContain('Sign in to Alongside');
    expect(calls(ask, 'call.info')).toHaveLength(0);
    await click(button(root, 'Open settings to sign in'));
    expect(openOptionsPage).toHaveBeenCalledOnce();
  });

  it('shows the pair chooser when the pair is not known, and remembers the choice through the background', async () => {
    const choices = [pairSummary(), pairSummary({ id: ids.pair2, partner: { ...mentee, id: ids.other, name: 'Kofi Mensah' } })];
    let chosen: string | null = null;
    answer(
      ask,
      inCall({
        'call.info': () => callInfo({ pairId: chosen, choices: chosen ? [] : choices }),
        'call.choosePair': ({ pairId }) => {
          chosen = pairId;
          return callInfo({ pairId });
        },
      }),
    );
    const root = await render(<OverlayApp search={search} timings={slow} />);
    expect(text(root)).toContain('Which mentorship is this call for?');
    expect(calls(ask, 'context.get')).toHaveLength(0);

    await click(button(root, /Kofi Mensah/));
    expect(calls(ask, 'call.choosePair')).toEqual([{ pairId: ids.pair2 }]);
    await waitFor(() => expect(calls(ask, 'context.get')).toEqual([{ pairId: ids.pair2 }]));
    await waitFor(() => expect(root.querySelector('textarea')).not.toBeNull());
  });

  it('says so when the user has no pair at all', async () => {
    answer(ask, inCall({ 'call.info': callInfo({ pairId: null, choices: [] }) }));
    const root = await render(<OverlayApp search={search} timings={slow} />);
    expect(text(root)).toContain('not in an active mentorship pair');
  });
});

describe('goal cards', () => {
  it('shows title, progress, due date and the next milestone', async () => {
    answer(ask, inCall());
    const root = await render(<OverlayApp search={search} timings={slow} />);
    await click($(root, '#tab-goals'));
    const card = $(root, '.goal');
    expect(text(card)).toContain('Ship a side project');
    expect($(card, '[role=progressbar]').getAttribute('aria-valuenow')).toBe('40');
    expect(text(card)).toContain('Sun 1 Mar 2099');
    expect(text(card)).toContain('Write the README');
  });

  it('lets the mentor save progress, with a saving indicator', async () => {
    let release: () => void = () => undefined;
    answer(
      ask,
      inCall({
        'goals.progress': async ({ progress }) => {
          await new Promise<void>((resolve) => (release = resolve));
          return { goal: goal({ progress, version: 4 }) };
        },
      }),
    );
    const root = await render(<OverlayApp search={search} timings={slow} />);
    await click($(root, '#tab-goals'));
    await type(byLabel<HTMLInputElement>(root, 'New progress for Ship a side project, percent'), '65');
    await click(button(root, 'Save'));
    expect(button(root, 'Saving…').disabled).toBe(true);
    expect(calls(ask, 'goals.progress')).toEqual([{ goalId: ids.goal1, version: 3, progress: 65 }]);
    release();
    await settle();
    expect($(root, '[role=progressbar]').getAttribute('aria-valuenow')).toBe('65');
    expect(text($(root, '.goal'))).toContain('Saved');
  });

  it('reloads the context and says so when the goal changed meanwhile (409)', async () => {
    let version = 3;
    answer(
      ask,
      inCall({
        'context.get': () => ({ context: context({ goals: [goal({ version, progress: version === 3 ? 40 : 50 })] }), fromCache: false, error: null, locked: [], lockedReason: null }),
        'goals.progress': () => {
          version = 5;
          throw new BackgroundError('version_conflict', 'Version conflict');
        },
      }),
    );
    const root = await render(<OverlayApp search={search} timings={slow} />);
    await click($(root, '#tab-goals'));
    await type(byLabel<HTMLInputElement>(root, 'New progress for Ship a side project, percent'), '90');
    await click(button(root, 'Save'));
    await settle();
    expect(calls(ask, 'context.get')).toHaveLength(2);
    expect(text($(root, '.goal'))).toContain('changed this goal meanwhile');
    expect($(root, '[role=progressbar]').getAttribute('aria-valuenow')).toBe('50');
  });

  it('lets a mentee edit only the goals they own', async () => {
    const theirs = goal({ id: ids.goal2, ownerId: ids.mentor, title: 'Mentor goal' });
    answer(ask, inCall({ 'context.get': { context: context({ goals: [goal(), theirs] }, 'mentee'), fromCache: false, error: null, locked: [], lockedReason: null } }));
    const root = await render(<OverlayApp search={search} timings={slow} />);
    await click($(root, '#tab-goals'));
    expect(() => byLabel(root, 'New progress for Ship a side project')).not.toThrow();
    expect(() => byLabel(root, 'New progress for Mentor goal')).toThrow();
  });

  it('has an empty state that says what to do', async () => {
    answer(ask, inCall({ 'context.get': { context: context({ goals: [] }), fromCache: false, error: null, locked: [], lockedReason: null } }));
    const root = await render(<OverlayApp search={search} timings={slow} />);
    expect(text($(root, '#panel-goals'))).toContain('No goals yet — add one with your mentee');
  });
});

describe('agenda', () => {
  it('adds an item and ticks one off', async () => {
    answer(
      ask,
      inCall({
        'agenda.add': ({ pairId, body }) => ({
          item: { id: ids.other, pairId, authorId: ids.mentor, body, position: 1, doneAt: null, version: 1, createdAt: '2025-11-27T09:00:00.000Z' },
        }),
        'agenda.toggle': ({ id, done }) => ({
          item: { ...context().agenda[0]!, id, doneAt: done ? '2025-11-27T09:10:00.000Z' : null, version: 2 },
        }),
      }),
    );
    const root = await render(<OverlayApp search={search} timings={slow} />);
    await click($(root, '#tab-agenda'));
    await type(byLabel<HTMLInputElement>(root, 'New agenda item'), 'Salary negotiation');
    await click(button($(root, '#panel-agenda'), 'Add'));
    expect(calls(ask, 'agenda.add')).toEqual([{ pairId: ids.pair, body: 'Salary negotiation' }]);
    expect(text($(root, '#panel-agenda'))).toContain('Salary negotiation');

    await click(byLabel(root, 'Portfolio review'));
    expect(calls(ask, 'agenda.toggle')).toEqual([{ id: ids.agenda1, version: 1, done: true }]);
  });
});

describe('the notes stream', () => {
  it('shows author, kind, privacy and each sync state truthfully, with retry on failure', async () => {
    const entries: LocalEntry[] = [
      entry({ body: 'From Priya', authorId: ids.mentee, seq: 1, createdAt: '2025-11-27T09:01:00.000Z' }),
      entry({ body: 'Mine, synced', kind: 'decision', seq: 2, createdAt: '2025-11-27T09:02:00.000Z' }),
      entry({ body: 'Mine, offline', visibility: 'private', sync: 'local', seq: 0, createdAt: '2025-11-27T09:03:00.000Z' }),
      entry({ body: 'Mine, refused', sync: 'failed', error: 'Body too long', seq: 0, createdAt: '2025-11-27T09:04:00.000Z' }),
      entry({ body: 'Mine, deleted', deleted: true, seq: 3 }),
    ];
    answer(
      ask,
      inCall({
        'entries.sync': { entries, status: { pending: 2, failed: 1, online: true, lastSyncedAt: null } },
        'entries.retry': { pending: 2, failed: 0, online: true, lastSyncedAt: null },
      }),
    );
    const root = await render(<OverlayApp search={search} timings={slow} />);
    const items = [...root.querySelectorAll<HTMLElement>('.entry')];
    expect(items.map((li) => $(li, '.entry-body').textContent)).toEqual(['From Priya', 'Mine, synced', 'Mine, offline', 'Mine, refused']);
    expect(text(items[0]!)).toContain('Priya');
    expect(text(items[1]!)).toMatch(/You.*Decision.*synced/);
    expect(text(items[2]!)).toContain('only you');
    expect(text(items[2]!)).toContain('saved locally');
    expect(items[3]!.dataset.sync).toBe('failed');
    expect(text(items[3]!)).toContain('failed — retry');
    expect(text(items[3]!)).toContain('Body too long');
    // Only the author may edit or delete.
    expect(items[0]!.querySelector('[aria-label="Delete this entry"]')).toBeNull();
    expect(items[1]!.querySelector('[aria-label="Delete this entry"]')).not.toBeNull();

    expect(text($(root, '.status-line'))).toContain('1 entry could not be synced');
    await click(button(items[3]!, 'retry'));
    expect(calls(ask, 'entries.retry')).toEqual([{ pairId: ids.pair }]);
  });

  it('tells the user when entries wait offline', async () => {
    answer(ask, inCall({ 'entries.sync': { entries: [], status: { pending: 3, failed: 0, online: false, lastSyncedAt: null } } }));
    const root = await render(<OverlayApp search={search} timings={slow} />);
    const status = $(root, '.status-line [aria-live]');
    expect(status.textContent).toBe('Offline — 3 entries saved locally, will sync');
  });

  it('polls the stream while open so the partner’s entries show up', async () => {
    let round = 0;
    answer(
      ask,
      inCall({
        'entries.sync': () => {
          round++;
          return { entries: round < 3 ? [] : [entry({ body: 'Hello from Priya', authorId: ids.mentee })], status: onlineStatus };
        },
      }),
    );
    const root = await render(<OverlayApp search={search} timings={{ ...slow, entriesMs: 15 }} />);
    await waitFor(() => expect(text(root)).toContain('Hello from Priya'));
    expect(round).toBeGreaterThanOrEqual(3);
  });

  it('ticks an action off and lets the author edit and delete', async () => {
    const action = entry({ id: ids.other, kind: 'action', body: 'Send CV', actionOwnerId: ids.mentee, actionDueOn: '2025-12-01' });
    let server: LocalEntry[] = [action];
    answer(
      ask,
      inCall({
        'entries.sync': () => ({ entries: server, status: onlineStatus }),
        // Like the background: the change goes to the outbox and the merged stream shows it as saved locally.
        'entries.update': ({ id, actionDone, body }) => {
          const current = server.find((e) => e.id === id)!;
          const updated: LocalEntry = {
            ...current,
            sync: 'local',
            body: body ?? current.body,
            actionDoneAt: actionDone === undefined ? current.actionDoneAt : actionDone ? '2025-11-27T09:30:00.000Z' : null,
          };
          server = server.map((e) => (e.id === id ? updated : e));
          return { entry: updated };
        },
        'entries.delete': ({ id }) => {
          server = server.filter((e) => e.id !== id);
          return { ok: true };
        },
      }),
    );
    const root = await render(<OverlayApp search={search} timings={slow} />);
    const item = $(root, `[data-entry-id="${ids.other}"]`);
    expect(text(item)).toContain('To do · Priya · due Mon 1 Dec');

    await click($(item, '.action-done input'));
    expect(calls(ask, 'entries.update')).toEqual([{ id: ids.other, actionDone: true }]);
    expect(text($(root, `[data-entry-id="${ids.other}"]`))).toContain('Done');
    expect($(root, `[data-entry-id="${ids.other}"]`).dataset.sync).toBe('local');

    await click(button($(root, `[data-entry-id="${ids.other}"]`), 'Edit this entry'));
    await type(byLabel<HTMLTextAreaElement>(root, 'Edit entry'), 'Send CV and cover letter');
    await click(button(root, 'Save'));
    expect(calls(ask, 'entries.update').at(-1)).toEqual({ id: ids.other, body: 'Send CV and cover letter' });

    await click(button($(root, `[data-entry-id="${ids.other}"]`), 'Delete this entry'));
    await click(button($(root, '.confirm'), 'Delete'));
    expect(calls(ask, 'entries.delete')).toEqual([{ id: ids.other }]);
    expect(root.querySelector(`[data-entry-id="${ids.other}"]`)).toBeNull();
  });
});

describe('the composer', () => {
  /** Like the background: a new entry lands in the outbox and the merged stream carries it as saved locally. */
  function addingBackground(): Background {
    const stream: LocalEntry[] = [];
    return inCall({
      'entries.sync': () => ({ entries: stream, status: { ...onlineStatus, pending: stream.length } }),
      'entries.add': (input) => {
        const added = entry({
          id: crypto.randomUUID(),
          kind: input.kind,
          body: input.body,
          visibility: input.visibility,
          meetingId: input.meetingId ?? null,
          actionOwnerId: input.actionOwnerId ?? null,
          actionDueOn: input.actionDueOn ?? null,
          sync: 'local',
          seq: 0,
          createdAt: new Date().toISOString(),
        });
        stream.push(added);
        return { entry: added };
      },
    });
  }

  it('adds a shared note on Enter with the meeting id, and shows it as saved locally at once', async () => {
    answer(ask, addingBackground());
    const root = await render(<OverlayApp search={search} timings={slow} />);
    const box = byLabel<HTMLTextAreaElement>(root, /^New note/);
    await type(box, 'We agreed on a portfolio site');
    await key(box, 'Enter', { shiftKey: true });
    expect(calls(ask, 'entries.add')).toHaveLength(0);
    await key(box, 'Enter');
    expect(calls(ask, 'entries.add')).toEqual([
      {
        pairId: ids.pair,
        meetingId: ids.meeting,
        goalId: null,
        kind: 'note',
        visibility: 'shared',
        body: 'We agreed on a portfolio site',
        actionOwnerId: null,
        actionDueOn: null,
      },
    ]);
    expect(box.value).toBe('');
    const added = $(root, '.entry');
    expect(text(added)).toContain('We agreed on a portfolio site');
    expect(added.dataset.sync).toBe('local');
    // Adding triggers a sync straight away.
    expect(calls(ask, 'entries.sync').length).toBeGreaterThanOrEqual(2);
  });

  it('adds a private action with owner and due date on Ctrl+Enter', async () => {
    answer(ask, addingBackground());
    const root = await render(<OverlayApp search={search} timings={slow} />);
    await click(byLabel(root, 'Action'));
    await click(byLabel(root, /Private/));
    expect(root.querySelector('.composer')!.classList.contains('is-private')).toBe(true);
    expect(text($(root, '.composer'))).toContain('only you');
    await type(byLabel<HTMLSelectElement>(root, 'Owner'), ids.mentor);
    await type(byLabel<HTMLInputElement>(root, 'Due'), '2099-12-24');
    await type(byLabel<HTMLSelectElement>(root, 'Link to a goal'), ids.goal1);
    const box = byLabel<HTMLTextAreaElement>(root, /^New action/);
    await type(box, 'Draft the talk outline');
    await key(box, 'Enter', { ctrlKey: true, shiftKey: true });
    expect(calls(ask, 'entries.add')).toEqual([
      {
        pairId: ids.pair,
        meetingId: ids.meeting,
        goalId: ids.goal1,
        kind: 'action',
        visibility: 'private',
        body: 'Draft the talk outline',
        actionOwnerId: ids.mentor,
        actionDueOn: '2099-12-24',
      },
    ]);
  });

  it('goes back to the sign-in prompt when the background has no sign-in', async () => {
    answer(ask, inCall({ 'entries.add': () => Promise.reject(new BackgroundError('signed_out', 'Sign in to Alongside first')) }));
    const root = await render(<OverlayApp search={search} timings={slow} />);
    const box = byLabel<HTMLTextAreaElement>(root, /^New note/);
    await type(box, 'Important');
    await key(box, 'Enter');
    expect(text(root)).toContain('Sign in to Alongside');
  });

  it('shows a validation error and keeps the text', async () => {
    answer(ask, inCall({ 'entries.add': () => Promise.reject(new BackgroundError('invalid_request', 'Too long')) }));
    const root = await render(<OverlayApp search={search} timings={slow} />);
    const box = byLabel<HTMLTextAreaElement>(root, /^New note/);
    await type(box, 'Important');
    await key(box, 'Enter');
    expect(text($(root, '.composer'))).toContain('Not added: Too long');
    expect(box.value).toBe('Important');
  });

  it('focuses the composer when the content script nudges it, ignoring anything malformed', async () => {
    answer(ask, inCall());
    const root = await render(<OverlayApp search={search} timings={slow} />);
    await click($(root, '#tab-goals'));
    window.dispatchEvent(new MessageEvent('message', { data: { type: 'focus-composer' }, source: window }));
    window.dispatchEvent(new MessageEvent('message', { data: { alongside: true, type: 'read-notes' }, source: window }));
    // Not from the page this frame sits in.
    window.dispatchEvent(new MessageEvent('message', { data: { alongside: true, type: 'focus-composer' }, source: null }));
    await settle();
    expect($(root, '#panel-notes').hidden).toBe(true);

    window.dispatchEvent(new MessageEvent('message', { data: { alongside: true, type: 'focus-composer' }, source: window }));
    await settle();
    await new Promise((resolve) => requestAnimationFrame(resolve));
    expect($(root, '#panel-notes').hidden).toBe(false);
    expect(document.activeElement).toBe(byLabel(root, /^New note/));
  });
});

describe('tabs', () => {
  it('move with the arrow keys', async () => {
    answer(ask, inCall());
    const root = await render(<OverlayApp search={search} timings={slow} />);
    const notes = $(root, '#tab-notes');
    expect(notes.getAttribute('aria-selected')).toBe('true');
    await key(notes, 'ArrowRight');
    expect($(root, '#tab-goals').getAttribute('aria-selected')).toBe('true');
    expect(document.activeElement).toBe($(root, '#tab-goals'));
    await key($(root, '#tab-goals'), 'ArrowLeft');
    await key($(root, '#tab-notes'), 'ArrowLeft');
    expect($(root, '#tab-actions').getAttribute('aria-selected')).toBe('true');
  });

  it('lists open actions from the context and the stream', async () => {
    const fromContext = asEntry(entry({ id: ids.other, kind: 'action', body: 'Old action', actionOwnerId: ids.mentee }));
    answer(
      ask,
      inCall({
        'context.get': { context: context({ openActions: [fromContext] }), fromCache: false, error: null, locked: [], lockedReason: null },
        'entries.sync': { entries: [entry({ kind: 'action', body: 'New action', actionOwnerId: ids.mentor })], status: onlineStatus },
      }),
    );
    const root = await render(<OverlayApp search={search} timings={slow} />);
    expect(text($(root, '#tab-actions'))).toContain('2');
    expect(text($(root, '#panel-actions'))).toContain('Old action');
    expect(text($(root, '#panel-actions'))).toContain('New action');
  });
});

describe('after the call', () => {
  it('asks once for feedback with the meeting duration, and sends it', async () => {
    const info = callInfo({ state: 'left', joinedAt: '2025-11-27T09:00:00.000Z', leftAt: '2025-11-27T09:45:00.000Z' });
    answer(ask, inCall({ 'call.info': info, 'feedback.pending': { meetings: [meeting()] }, 'feedback.submit': { ok: true } }));
    const root = await render(<OverlayApp search={search} timings={slow} />);
    const prompt = $(root, '.feedback');
    expect(text(prompt)).toContain('How was your check-in with Priya?');
    expect(text(prompt)).toContain('45 min');
    expect(text($(root, '.overlay-bar'))).toContain('Call ended · 45 min');
    expect(button(prompt, 'Send feedback').disabled).toBe(true);

    const fourStars = byLabel<HTMLInputElement>(prompt, /^4 stars/);
    expect(fourStars.type).toBe('radio');
    await click(fourStars);
    await type(byLabel<HTMLTextAreaElement>(prompt, 'Comment (optional)'), 'Very useful');
    await click(button(prompt, 'Send feedback'));
    expect(calls(ask, 'feedback.submit')).toEqual([{ meetingId: ids.meeting, rating: 4, comment: 'Very useful' }]);
    expect(text(root)).toContain('Your feedback was sent');
  });

  it('can be dismissed, and is not asked again', async () => {
    answer(ask, inCall({ 'call.info': callInfo({ state: 'left', leftAt: new Date().toISOString() }), 'feedback.dismiss': { ok: true } }));
    const root = await render(<OverlayApp search={search} timings={slow} />);
    await click(button($(root, '.feedback'), 'Skip'));
    expect(calls(ask, 'feedback.dismiss')).toEqual([{ meetingId: ids.meeting }]);
    expect(root.querySelector('.feedback')).toBeNull();
    unmountAll();
    const again = await render(<OverlayApp search={search} timings={slow} />);
    expect(again.querySelector('.feedback')).toBeNull();
  });

  it('does not interrupt a call in progress', async () => {
    answer(ask, inCall({ 'feedback.pending': { meetings: [meeting()] } }));
    const root = await render(<OverlayApp search={search} timings={slow} />);
    expect(root.querySelector('.feedback')).toBeNull();
    expect(calls(ask, 'feedback.pending')).toHaveLength(0);
  });
});
