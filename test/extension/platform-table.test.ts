// The table test: platform × state × variant → expected state and meeting code, on fixture pages rebuilt from what
// maintained open-source meeting tools rely on (each fixture names its sources). Plus each adapter's URL cases.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findPlatform, platforms } from '../../extension/platforms/index.ts';
import { detect, meetingCodeOf } from '../../extension/platforms/signals.ts';
import { CALL_STATES, type PageView, type PlatformId } from '../../extension/platforms/types.ts';
import { jitsiCases } from './platform-cases/jitsi.ts';
import { meetCases } from './platform-cases/meet.ts';
import { teamsCases } from './platform-cases/teams.ts';
import type { PlatformCases, TableRow } from './platform-cases/types.ts';
import { wherebyCases } from './platform-cases/whereby.ts';
import { zoomCases } from './platform-cases/zoom.ts';

// Plain paths, not URL objects: under happy-dom the global URL is the fake browser's, which node:fs rejects.
const here = dirname(fileURLToPath(import.meta.url));
const fixtureDir = join(here, '../fixtures/platforms');

// Typed by PlatformId, so adding a platform without its cases does not compile; the meta-test checks it at run time too.
const cases: Record<PlatformId, PlatformCases> = { meet: meetCases, zoom: zoomCases, teams: teamsCases, jitsi: jitsiCases, whereby: wherebyCases };

const parse = (fixture: string): Document => new DOMParser().parseFromString(readFileSync(join(fixtureDir, fixture), 'utf8'), 'text/html');

/** The page as the adapter sees it: the top document and its call frames, each with its URL. */
export function viewOf(row: Pick<TableRow, 'url' | 'fixture' | 'frames'>): PageView {
  const frames = row.frames ?? [];
  return { docs: [parse(row.fixture), ...frames.map((f) => parse(f.fixture))], urls: [new URL(row.url), ...frames.map((f) => new URL(f.url))] };
}

const blank = (): PageView => ({ docs: [new DOMParser().parseFromString('<!doctype html><title>Loading</title><div id="root"></div>', 'text/html')], urls: [new URL('https://example.com/')] });

describe('the table covers every platform × state', () => {
  it.each(platforms.map((p) => p.id))('%s: at least one row per state, and every row’s fixture exists', (id) => {
    const rows = cases[id].rows;
    for (const state of CALL_STATES) expect(rows.some((r) => r.state === state && r.variant === 'default'), `${id} × ${state}`).toBe(true);
    for (const row of rows) {
      for (const file of [row.fixture, ...(row.frames ?? []).map((f) => f.fixture)]) expect(existsSync(join(fixtureDir, file)), file).toBe(true);
    }
  });

  it('has no fixture that no row uses', () => {
    const used = new Set(Object.values(cases).flatMap((c) => c.rows.flatMap((r) => [r.fixture, ...(r.frames ?? []).map((f) => f.fixture)])));
    const files = readdirSync(fixtureDir, { recursive: true, withFileTypes: true })
      .filter((d) => d.isFile() && d.name.endsWith('.html'))
      .map((d) => relative(fixtureDir, join(d.parentPath, d.name)));
    expect(files.filter((f) => !used.has(f))).toEqual([]);
  });

  it('every signal names its source', () => {
    for (const adapter of platforms) {
      for (const signal of adapter.signals) {
        expect(signal.source, `${adapter.id}/${signal.id}`).toMatch(/^(https:\/\/\S+|[\w.-]+\/[\w.-]+ \S+)/);
      }
      expect(new Set(adapter.signals.map((s) => s.id)).size, `${adapter.id}: signal ids are unique`).toBe(adapter.signals.length);
    }
  });
});

for (const adapter of platforms) {
  const platformCases = cases[adapter.id];

  describe(`${adapter.label}: platform × state × variant`, () => {
    it.each(platformCases.rows.map((r) => [`${r.state} (${r.variant}) ${r.fixture}`, r] as const))('%s', (_name, row) => {
      expect(findPlatform(new URL(row.url), [])?.id ?? adapter.id).toBe(adapter.id);
      // A row with call frames only stands for the page if the adapter finds those frames on the top document.
      if (row.frames?.length) expect(parse(row.fixture).querySelectorAll(adapter.frames ?? ':not(*)').length, 'frames found').toBe(row.frames.length);
      const view = viewOf(row);
      expect(detect(adapter, view).state).toBe(row.state);
      expect(meetingCodeOf(adapter, view)).toBe(row.code);
    });

    it('has no strong in-call signal on any screen before admission (a Leave button in the lobby stays weak)', () => {
      for (const row of platformCases.rows.filter((r) => r.state === 'pre-join' || r.state === 'waiting')) {
        const strongInCall = detect(adapter, viewOf(row)).signals.filter((s) => s.state === 'in-call' && s.strength === 'strong' && s.matched);
        expect(strongInCall.map((s) => s.id), row.fixture).toEqual([]);
      }
    });

    it('tells no state on a page without call screens', () => {
      expect(detect(adapter, blank()).state).toBeUndefined();
    });

    it('finds its control bar in the call, and none after it', () => {
      const inCall = platformCases.rows.find((r) => r.fixture === platformCases.controls.fixture);
      expect(inCall).toBeDefined();
      if (!inCall) return;
      const view = viewOf(inCall);
      const bar = view.docs.map((d) => d.querySelector(platformCases.controls.selector)).find(Boolean);
      expect(bar).toBeTruthy();
      expect(adapter.controls(view)).toBe(bar);
      const ended = platformCases.rows.find((r) => r.state === 'left' && r.variant === 'default');
      if (ended) expect(adapter.controls(viewOf(ended))).toBeUndefined();
    });
  });

  describe(`${adapter.label}: meeting URLs`, () => {
    it('reads the meeting code from meeting URLs', () => {
      for (const [url, code] of platformCases.meetings) expect(adapter.meetingCode(new URL(url)), url).toBe(code);
    });

    it('has no meeting code on its pages that are not meetings', () => {
      for (const url of platformCases.notMeetings) expect(adapter.meetingCode(new URL(url)), url).toBeUndefined();
    });

    it('is not picked for other hosts', () => {
      for (const url of platformCases.otherHosts) {
        expect(findPlatform(new URL(url), [])?.id, url).not.toBe(adapter.id);
        if (!platformCases.codeOnAnyHost) expect(adapter.meetingCode(new URL(url)), url).toBeUndefined();
      }
    });

    it('reads the same code from a pasted meeting link and from the call page it opens', () => {
      for (const [link, page] of platformCases.linkPairs) {
        const code = adapter.meetingCode(new URL(page));
        expect(code, page).toBeDefined();
        expect(adapter.meetingCode(new URL(link)), link).toBe(code);
      }
    });
  });
}
