/** @jsxImportSource preact */
// The tools for calls Alongside cannot read by itself: the meeting log by hand, "Show on this tab", and the options'
// "Check a call page", against a mocked background.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ask } from '../../extension/lib/app-client.ts';
import { BackgroundError, type CallInfo } from '../../extension/lib/app-messages.ts';
import type { DiagnosticsReport } from '../../extension/lib/call-messages.ts';
import { ManualLog } from '../../extension/ui/components/ManualLog.tsx';
import { ShowOnTab } from '../../extension/ui/components/ShowOnTab.tsx';
import { DiagnosticsSection } from '../../extension/ui/options/DiagnosticsSection.tsx';
import { answer, button, calls, click, ids, render, text, unmountAll, waitFor } from './ui-support.ts';

vi.mock('../../extension/lib/app-client.ts', () => ({ ask: vi.fn() }));

beforeEach(() => {
  vi.mocked(ask).mockReset();
});
afterEach(unmountAll);

const info = (overrides: Partial<CallInfo> = {}): CallInfo => ({
  platform: 'other',
  code: 'video.example.org/rooms/weekly',
  mode: 'manual',
  state: 'unknown',
  pairId: ids.pair,
  choices: [],
  meetingId: null,
  joinedAt: null,
  leftAt: null,
  ...overrides,
});

describe('the meeting log by hand', () => {
  it('starts, shows the running log, ends, and says so when it fails', async () => {
    const onStart = vi.fn(async () => undefined);
    const onEnd = vi.fn(async () => {
      throw new Error('Could not reach the background');
    });
    const idle = await render(<ManualLog info={info()} now={Date.parse('2026-11-30T10:10:00Z')} onStart={onStart} onEnd={onEnd} />);
    expect(text(idle)).toContain('cannot tell when this call starts or ends');
    await click(button(idle, 'Start meeting log'));
    expect(onStart).toHaveBeenCalledOnce();

    const running = await render(
      <ManualLog info={info({ meetingId: ids.meeting, joinedAt: '2026-11-30T10:00:00.000Z' })} now={Date.parse('2026-11-30T10:10:00Z')} onStart={onStart} onEnd={onEnd} />,
    );
    expect(text(running)).toContain('Logging this meeting · 10 min');
    await click(button(running, 'End meeting log'));
    await waitFor(() => expect(running.querySelector('[role="alert"]')?.textContent).toBe('Could not reach the background'));
  });
});

describe('Show on this tab', () => {
  it('asks the background to attach, and shows its answer, refusals included', async () => {
    answer(ask, { 'tab.attach': { attached: false, message: 'Alongside cannot run on this kind of page.' } });
    const root = await render(<ShowOnTab />);
    await click(button(root, 'Show on this tab'));
    await waitFor(() => expect(text(root)).toContain('Alongside cannot run on this kind of page.'));
    expect(root.querySelector('.error')).not.toBeNull();
    expect(calls(ask, 'tab.attach')).toHaveLength(1);
  });
});

describe('Check a call page', () => {
  const report: DiagnosticsReport = {
    platform: 'zoom',
    label: 'Zoom',
    page: 'https://app.zoom.us/wc/▒/join',
    hasCode: true,
    state: null,
    frames: 1,
    signals: [
      { id: 'leave-button', state: 'in-call', strength: 'strong', kind: 'aria', source: 'Vexa-ai/vexa selectors.ts', matched: false },
      { id: 'footer', state: 'in-call', strength: 'strong', kind: 'structure', source: 'screenappai/meeting-bot ZoomBot.ts', matched: false },
    ],
    signature: '# page app.zoom.us/wc/▒/join\nhtml',
  };

  it('lists open call pages and degraded platforms, checks one, and shows each signal with its source', async () => {
    answer(ask, {
      'diagnostics.list': {
        calls: [{ tabId: 7, platform: 'zoom', mode: 'auto', state: 'unknown' }],
        degraded: [{ platform: 'zoom', firstSeen: '2026-11-30T10:00:00.000Z', lastSeen: '2026-11-30T10:05:00.000Z', times: 2 }],
      },
      'diagnostics.check': report,
    });
    const root = await render(<DiagnosticsSection />);
    await waitFor(() => expect(text(root)).toContain('Detection degraded on Zoom'));
    expect(text(root)).toContain('Zoom · not detected');
    await click(button(root, 'Check this call page'));
    await waitFor(() => expect(root.querySelector('[data-testid="diagnostics-state"]')?.textContent).toBe('not detected'));
    expect(calls(ask, 'diagnostics.check')).toEqual([{ tabId: 7 }]);
    expect(text(root)).toContain('0 of 2 matched');
    expect(root.querySelectorAll('table.signals tbody tr')).toHaveLength(2);
    expect(text(root)).toContain('Vexa-ai/vexa selectors.ts');
    expect(root.querySelector('pre.signature')?.textContent).toContain('signals: -leave-button -footer');
  });

  it('says when no call page is open, and when a check fails', async () => {
    answer(ask, {
      'diagnostics.list': { calls: [{ tabId: 3, platform: 'meet', mode: 'auto', state: 'in-call' }], degraded: [] },
      'diagnostics.check': () => {
        throw new BackgroundError('internal', 'That tab no longer shows a call page Alongside runs on. Reload it and check again.');
      },
    });
    const root = await render(<DiagnosticsSection />);
    await waitFor(() => expect(text(root)).toContain('Google Meet · in the call'));
    await click(button(root, 'Check this call page'));
    await waitFor(() => expect(root.querySelector('[role="alert"]')?.textContent).toContain('no longer shows a call page'));

    answer(ask, { 'diagnostics.list': { calls: [], degraded: [] } });
    const empty = await render(<DiagnosticsSection />);
    await waitFor(() => expect(text(empty)).toContain('No call page is open'));
  });
});
