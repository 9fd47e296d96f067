/** @jsxImportSource preact */
// The side panel between calls against a mocked background.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ask } from '../../extension/lib/app-client.ts';
import type { AppResponse } from '../../extension/lib/app-messages.ts';
import { formatDateTime } from '../../extension/ui/format.ts';
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
  ids,
  meeting,
  mentee,
  mentor,
  onlineStatus,
  pairSummary,
  render,
  signedIn,
  signedOut,
  text,
  type,
  unmountAll,
} from './ui-support.ts';

vi.mock('../../extension/lib/app-client.ts', () => ({ ask: vi.fn() }));
vi.mock('../../extension/ui/browser-actions.ts', () => ({ openOptionsPage: vi.fn(), requestHostAccess: vi.fn(async () => true) }));

/** This device's encryption: set up, nothing under way (ui-e2ee.test.tsx covers the rest). */
const e2eeReady: AppResponse<'e2ee.status'> = { state: 'ready', approvalCode: null, hasRecoveryBackup: true, devices: [], approvals: [], pairs: [] };

function panel(extra: Background = {}): Background {
  return {
    'auth.status': signedIn,
    'pairs.list': { pairs: [pairSummary()] },
    'context.get': { context: context(), fromCache: false, error: null, locked: [], lockedReason: null },
    'checkins.get': { checkIns: checkIns({ scheduled: checkIn({ status: 'scheduled' }) }), fromCache: false, error: null },
    'entries.sync': { entries: [], status: onlineStatus },
    'e2ee.status': e2eeReady,
    ...extra,
  };
}

beforeEach(() => {
  vi.mocked(ask).mockReset();
  localStorage.clear();
});
afterEach(unmountAll);

describe('side panel', () => {
  it('prompts a signed-out user to sign in', async () => {
    answer(ask, { 'auth.status': signedOut });
    const root = await render(<SidePanelApp refreshMs={60_000} />);
    expect(text(root)).toContain('Sign in to Alongside');
    expect(calls(ask, 'pairs.list')).toHaveLength(0);
  });

  it('shows who is signed in, the next check-in in both time zones, goals and the last meeting', async () => {
    answer(ask, panel());
    const root = await render(<SidePanelApp refreshMs={60_000} />);
    expect(text($(root, '.account'))).toContain('Signed in as Ana Souza · Open Mentors · 127.0.0.1:8787');
    const card = text($(root, '.checkin'));
    expect(card).toContain('Next check-in with Priya');
    // The scheduled check-in on both clocks, each named by zone; the cadence's due date below it.
    expect(card).toContain(`You${formatDateTime('2099-11-26T10:00:00.000Z', mentor.timeZone)} · 45 min (Europe/Lisbon)`);
    expect(card).toContain(`Priya${formatDateTime('2099-11-26T10:00:00.000Z', mentee.timeZone)} (Asia/Kolkata)`);
    expect(card).toContain('by your weekly cadence');
    expect(text(root)).toContain('Ship a side project');
    expect(text(root)).toContain('40 min on Google Meet');
    expect(root.querySelector('.sidepanel a[href="https://meet.google.com/abc-defg-hij"]')).not.toBeNull();
  });

  it('ticks off open actions', async () => {
    const action = asEntry(entry({ id: ids.other, kind: 'action', body: 'Send CV', actionOwnerId: ids.mentee, actionDueOn: '2099-01-05' }));
    answer(
      ask,
      panel({
        'context.get': { context: context({ openActions: [action] }), fromCache: false, error: null, locked: [], lockedReason: null },
        'entries.update': ({ id }) => ({ entry: { ...entry({ ...action, id }), actionDoneAt: '2099-01-01T10:00:00.000Z', sync: 'local' } }),
      }),
    );
    const root = await render(<SidePanelApp refreshMs={60_000} />);
    const list = byLabel(root, 'Open actions');
    expect(text(list)).toContain('Send CV');
    expect(text(list)).toContain('Priya');
    await click(byLabel(root, /^Send CV/));
    expect(calls(ask, 'entries.update')).toEqual([{ id: ids.other, actionDone: true }]);
    expect($(list, 'li').classList.contains('done')).toBe(true);
  });

  it('has empty states', async () => {
    answer(ask, panel({ 'context.get': { context: context({ goals: [], lastMeeting: null }), fromCache: false, error: null, locked: [], lockedReason: null } }));
    const root = await render(<SidePanelApp refreshMs={60_000} />);
    expect(text(root)).toContain('No goals yet — add one with your mentee');
    expect(text(root)).toContain('No open actions');
    expect(text(root)).toContain('No meetings yet');
  });

  it('switches between several pairs and remembers the choice', async () => {
    const other = pairSummary({ id: ids.pair2, partner: { ...mentee, id: ids.other, name: 'Kofi Mensah' } });
    answer(
      ask,
      panel({
        'pairs.list': { pairs: [pairSummary(), other] },
        'context.get': ({ pairId }) => ({
          context: context({ pair: { ...context().pair, id: pairId }, partner: pairId === ids.pair2 ? other.partner : mentee }),
          fromCache: false,
          error: null,
          locked: [],
          lockedReason: null,
        }),
      }),
    );
    const root = await render(<SidePanelApp refreshMs={60_000} />);
    expect(text(root)).toContain('Next check-in with Priya');
    await type(byLabel<HTMLSelectElement>(root, 'Mentorship'), ids.pair2);
    expect(calls(ask, 'context.get').at(-1)).toEqual({ pairId: ids.pair2 });
    expect(text(root)).toContain('Next check-in with Kofi');

    unmountAll();
    const again = await render(<SidePanelApp refreshMs={60_000} />);
    expect(text(again)).toContain('Next check-in with Kofi');
  });

  it('asks for feedback on a finished meeting', async () => {
    answer(
      ask,
      panel({
        'context.get': { context: context({ pendingFeedback: [meeting()] }), fromCache: false, error: null, locked: [], lockedReason: null },
        'feedback.dismiss': { ok: true },
      }),
    );
    const root = await render(<SidePanelApp refreshMs={60_000} />);
    expect(text($(root, '.feedback'))).toContain('45 min');
    await click(button(root, 'Skip'));
    expect(calls(ask, 'feedback.dismiss')).toEqual([{ meetingId: ids.meeting }]);
    expect(root.querySelector('.feedback')).toBeNull();
  });

  it('says when it shows the last copy because the server is unreachable', async () => {
    answer(ask, panel({ 'context.get': { context: context(), fromCache: true, error: 'Cannot reach the server', locked: [], lockedReason: null } }));
    const root = await render(<SidePanelApp refreshMs={60_000} />);
    expect(text(root)).toContain('Offline — showing what was last seen');
  });

  it('shows an error with a retry when the background cannot answer', async () => {
    let fail = true;
    answer(ask, {
      ...panel(),
      'auth.status': () => {
        if (fail) throw new Error('The extension background did not answer; reload the page');
        return signedIn;
      },
    });
    const root = await render(<SidePanelApp refreshMs={60_000} />);
    expect(text(root)).toContain('did not answer');
    fail = false;
    await click(button(root, 'Try again'));
    expect(text(root)).toContain('Ship a side project');
  });
});
