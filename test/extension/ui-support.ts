// Shared by the extension page tests: render into happy-dom, drive inputs, a mocked `ask`, and fixture data.
import { type ComponentChild, render as preactRender } from 'preact';
import { act } from 'preact/test-utils';
import { vi } from 'vitest';
import type { CallContext, CheckIn, CheckInsResponse, Entry, Goal, Meeting, PairSummary, Person } from '../../shared/schemas/index.ts';
import type { AppRequest, AppRequestType, AppResponse, LocalEntry, SyncStatus } from '../../extension/lib/app-messages.ts';

// ---- rendering ---------------------------------------------------------------------------------------------------

const mounted: HTMLElement[] = [];

export async function render(vnode: ComponentChild): Promise<HTMLElement> {
  const container = document.createElement('div');
  document.body.append(container);
  mounted.push(container);
  await act(() => {
    preactRender(vnode, container);
  });
  await settle();
  return container;
}

export function unmountAll(): void {
  for (const container of mounted.splice(0)) {
    preactRender(null, container);
    container.remove();
  }
}

/** Lets pending promises (mocked `ask` answers) resolve and the re-renders they cause flush. */
export async function settle(rounds = 4): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
  }
}

/** Waits (real time) until `check` passes, for polling code. */
export async function waitFor(check: () => void, timeoutMs = 2000): Promise<void> {
  const start = Date.now();
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (Date.now() - start > timeoutMs) throw error;
      await settle(1);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

export function $(root: ParentNode, selector: string): HTMLElement {
  const found = root.querySelector<HTMLElement>(selector);
  if (!found) throw new Error(`No element matches ${selector}`);
  return found;
}

/** The element whose aria-label is `label`, or the control inside/for the <label> with that text. */
export function byLabel<T extends HTMLElement = HTMLElement>(root: ParentNode, label: string | RegExp): T {
  const matches = (text: string | null | undefined) =>
    text != null && (typeof label === 'string' ? text.trim() === label : label.test(text.trim()));
  for (const element of root.querySelectorAll<HTMLElement>('[aria-label]')) {
    if (matches(element.getAttribute('aria-label'))) return element as T;
  }
  for (const element of root.querySelectorAll<HTMLLabelElement>('label')) {
    // The label's own words, as a screen reader names the control: without the control and hidden decoration.
    const name = element.cloneNode(true) as HTMLElement;
    for (const noise of name.querySelectorAll('input, select, textarea, [aria-hidden="true"]')) noise.remove();
    if (matches(name.textContent)) {
      const control = element.querySelector<HTMLElement>('input, select, textarea');
      if (control) return control as T;
    }
  }
  throw new Error(`No control labelled ${String(label)}`);
}

export function button(root: ParentNode, text: string | RegExp): HTMLButtonElement {
  for (const element of root.querySelectorAll<HTMLButtonElement>('button')) {
    const name = element.getAttribute('aria-label') ?? element.textContent ?? '';
    if (typeof text === 'string' ? name.trim() === text : text.test(name)) return element;
  }
  throw new Error(`No button ${String(text)}`);
}

export async function click(element: HTMLElement): Promise<void> {
  await act(() => {
    element.click();
  });
  await settle();
}

export async function type(element: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement, value: string): Promise<void> {
  await act(() => {
    element.value = value;
    element.dispatchEvent(new Event('input', { bubbles: true }));
    element.dispatchEvent(new Event('change', { bubbles: true }));
  });
  await settle(1);
}

export async function key(element: HTMLElement, keyName: string, init: KeyboardEventInit = {}): Promise<void> {
  await act(() => {
    element.dispatchEvent(new KeyboardEvent('keydown', { key: keyName, bubbles: true, cancelable: true, ...init }));
  });
  await settle();
}

export async function submit(form: HTMLFormElement): Promise<void> {
  await act(() => {
    form.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
  });
  await settle();
}

export function text(root: HTMLElement): string {
  return (root.textContent ?? '').replace(/\s+/g, ' ');
}

// ---- the mocked background ---------------------------------------------------------------------------------------

type Answer<T extends AppRequestType> = AppResponse<T> | ((payload: AppRequest<T>) => AppResponse<T> | Promise<AppResponse<T>>);
export type Background = { [T in AppRequestType]?: Answer<T> };

/**
 * Installs answers for the mocked `ask` (the test file does `vi.mock('../../extension/lib/app-client.ts')`).
 * A request without an answer rejects, so a test notices unexpected calls.
 */
export function answer(askMock: unknown, background: Background): void {
  const mock = askMock as ReturnType<typeof vi.fn>;
  mock.mockImplementation(async (type: AppRequestType, payload: unknown) => {
    const handler = background[type] as unknown;
    if (handler === undefined) throw new Error(`unexpected request ${type}`);
    return typeof handler === 'function' ? (handler as (p: unknown) => unknown)(payload) : structuredClone(handler);
  });
}

export function calls(askMock: unknown, type: AppRequestType): unknown[] {
  return (askMock as ReturnType<typeof vi.fn>).mock.calls.filter(([t]) => t === type).map(([, payload]) => payload);
}

// ---- fixtures ----------------------------------------------------------------------------------------------------

export const ids = {
  org: '0190a000-0000-7000-8000-000000000001',
  mentor: '0190a000-0000-7000-8000-000000000002',
  mentee: '0190a000-0000-7000-8000-000000000003',
  pair: '0190a000-0000-7000-8000-000000000004',
  pair2: '0190a000-0000-7000-8000-000000000005',
  goal1: '0190a000-0000-7000-8000-000000000006',
  goal2: '0190a000-0000-7000-8000-000000000007',
  meeting: '0190a000-0000-7000-8000-000000000008',
  agenda1: '0190a000-0000-7000-8000-000000000009',
  other: '0190a000-0000-7000-8000-00000000000a',
  checkIn1: '0190a000-0000-7000-8000-00000000000b',
  checkIn2: '0190a000-0000-7000-8000-00000000000c',
};

const hours = { startMinute: 540, endMinute: 1020 };
export const mentor: Person = { id: ids.mentor, role: 'mentor', name: 'Ana Souza', timeZone: 'Europe/Lisbon', workingHours: hours };
export const mentee: Person = { id: ids.mentee, role: 'mentee', name: 'Priya Raman', timeZone: 'Asia/Kolkata', workingHours: hours };

const T0 = '2025-11-20T09:00:00.000Z';

export function goal(overrides: Partial<Goal> = {}): Goal {
  return {
    id: ids.goal1,
    pairId: ids.pair,
    ownerId: ids.mentee,
    title: 'Ship a side project',
    specific: '',
    measure: '',
    target: '',
    relevance: '',
    dueOn: '2099-03-01',
    status: 'active',
    progress: 40,
    programmeTitle: null,
    version: 3,
    createdAt: T0,
    updatedAt: T0,
    milestones: [
      { id: ids.other, goalId: ids.goal1, title: 'Write the README', dueOn: '2099-01-10', doneAt: null, version: 1 },
    ],
    ...overrides,
  };
}

export function entry(overrides: Partial<LocalEntry> = {}): LocalEntry {
  return {
    id: crypto.randomUUID(),
    pairId: ids.pair,
    meetingId: null,
    goalId: null,
    authorId: ids.mentor,
    kind: 'note',
    visibility: 'shared',
    body: 'A note',
    actionOwnerId: null,
    actionDueOn: null,
    actionDoneAt: null,
    version: 1,
    seq: 1,
    createdAt: '2025-11-27T09:05:00.000Z',
    updatedAt: '2025-11-27T09:05:00.000Z',
    deleted: false,
    sync: 'synced',
    ...overrides,
  };
}

export function asEntry(local: LocalEntry): Entry {
  const { sync: _sync, error: _error, ...rest } = local;
  return rest;
}

export function meeting(overrides: Partial<Meeting> = {}): Meeting {
  return {
    id: ids.meeting,
    pairId: ids.pair,
    platform: 'meet',
    meetingCode: 'abc-defg-hij',
    startedAt: '2025-11-27T09:00:00.000Z',
    endedAt: '2025-11-27T09:45:00.000Z',
    source: 'auto',
    endReason: 'left',
    durationMinutes: 45,
    ...overrides,
  };
}

/** The call context as the mentor sees it (pass `as: 'mentee'` for the other side). */
export function context(overrides: Partial<CallContext> = {}, as: 'mentor' | 'mentee' = 'mentor'): CallContext {
  return {
    pair: {
      id: ids.pair,
      orgId: ids.org,
      mentorId: ids.mentor,
      menteeId: ids.mentee,
      status: 'active',
      cadence: 'weekly',
      meetingLinks: { meet: 'https://meet.google.com/abc-defg-hij' },
      startedOn: '2025-09-01',
      endedOn: null,
      version: 1,
    },
    me: as === 'mentor' ? mentor : mentee,
    partner: as === 'mentor' ? mentee : mentor,
    myRole: as,
    goals: [goal()],
    openActions: [],
    agenda: [
      { id: ids.agenda1, pairId: ids.pair, authorId: ids.mentee, body: 'Portfolio review', position: 0, doneAt: null, version: 1, createdAt: T0 },
    ],
    lastMeeting: meeting({ startedAt: '2025-11-20T09:00:00.000Z', endedAt: '2025-11-20T09:40:00.000Z', durationMinutes: 40 }),
    nextCheckInDue: '2099-11-27T09:00:00.000Z',
    pendingFeedback: [],
    ...overrides,
  };
}

export function pairSummary(overrides: Partial<PairSummary> = {}): PairSummary {
  const { pair } = context();
  return { ...pair, partner: mentee, myRole: 'mentor', ...overrides };
}

export const onlineStatus: SyncStatus = { pending: 0, failed: 0, online: true, lastSyncedAt: '2025-11-27T09:06:00.000Z' };

export const signedIn: AppResponse<'auth.status'> = {
  signedIn: true,
  serverUrl: 'http://127.0.0.1:8787',
  user: {
    id: ids.mentor,
    orgId: ids.org,
    role: 'mentor',
    name: 'Ana Souza',
    email: 'ana@example.org',
    timeZone: 'Europe/Lisbon',
    workingHours: hours,
    skills: [],
    interests: [],
    goals: [],
    capacity: 2,
    status: 'active',
    createdAt: T0,
  },
  organisation: { id: ids.org, name: 'Open Mentors' },
};
export const signedOut: AppResponse<'auth.status'> = { signedIn: false, serverUrl: 'http://127.0.0.1:8787', user: null, organisation: null };

/** A check-in of the pair: proposed by the mentor (Ana, Lisbon) unless overridden. */
export function checkIn(overrides: Partial<CheckIn> = {}): CheckIn {
  return {
    id: ids.checkIn1,
    pairId: ids.pair,
    startsAt: '2099-11-26T10:00:00.000Z',
    durationMinutes: 45,
    organiserZone: 'Europe/Lisbon',
    proposedBy: ids.mentor,
    status: 'proposed',
    respondedBy: null,
    respondedAt: null,
    version: 1,
    createdAt: T0,
    ...overrides,
  };
}

export function checkIns(overrides: Partial<CheckInsResponse> = {}): CheckInsResponse {
  return { scheduled: null, proposals: [], due: '2099-11-27T09:00:00.000Z', ...overrides };
}
