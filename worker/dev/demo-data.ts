/**
 * The demo programme that `npm start` seeds: a small organisation with people in several time zones, four pairs on
 * different cadences, goals with history, a few months of meetings and feedback. Fixed ids make seeding idempotent
 * (every insert is ON CONFLICT DO NOTHING), so a second start changes nothing.
 */

export const DEMO_ORG_ID = '0190a000-0000-7000-8000-000000000001';

const id = (n: number) => `0190a000-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;

export interface DemoPerson {
  id: string;
  role: 'admin' | 'mentor' | 'mentee';
  name: string;
  email: string;
  timeZone: string;
  work: [number, number];
  skills: string[];
  interests: string[];
  goals: string[];
}

export const demoPeople: DemoPerson[] = [
  { id: id(0x101), role: 'admin', name: 'Ada Admin', email: 'ada@demo.alongside.test', timeZone: 'Europe/London', work: [540, 1020], skills: [], interests: [], goals: [] },
  { id: id(0x201), role: 'mentor', name: 'Maya Mentor', email: 'maya@demo.alongside.test', timeZone: 'America/New_York', work: [480, 1020], skills: ['product management', 'public speaking', 'roadmaps'], interests: ['climbing', 'design'], goals: [] },
  { id: id(0x202), role: 'mentor', name: 'Kenji Sato', email: 'kenji@demo.alongside.test', timeZone: 'Asia/Tokyo', work: [540, 1080], skills: ['typescript', 'system design', 'code review'], interests: ['music', 'open source'], goals: [] },
  { id: id(0x203), role: 'mentor', name: 'Lena Fischer', email: 'lena@demo.alongside.test', timeZone: 'Europe/Berlin', work: [480, 960], skills: ['leadership', 'hiring', 'public speaking'], interests: ['running', 'books'], goals: [] },
  { id: id(0x301), role: 'mentee', name: 'Theo Mentee', email: 'theo@demo.alongside.test', timeZone: 'Europe/Lisbon', work: [540, 1080], skills: ['javascript'], interests: ['design', 'climbing'], goals: ['public speaking', 'product management'] },
  { id: id(0x302), role: 'mentee', name: 'Priya Nair', email: 'priya@demo.alongside.test', timeZone: 'Asia/Kolkata', work: [600, 1140], skills: ['python'], interests: ['open source'], goals: ['system design', 'typescript'] },
  { id: id(0x303), role: 'mentee', name: 'Sam Okafor', email: 'sam@demo.alongside.test', timeZone: 'Africa/Lagos', work: [480, 1020], skills: ['support'], interests: ['books'], goals: ['leadership'] },
  { id: id(0x304), role: 'mentee', name: 'Lucía Gómez', email: 'lucia@demo.alongside.test', timeZone: 'America/Mexico_City', work: [540, 1080], skills: ['sql'], interests: ['running', 'music'], goals: ['hiring', 'leadership'] },
  { id: id(0x305), role: 'mentee', name: 'Noor Haddad', email: 'noor@demo.alongside.test', timeZone: 'Asia/Dubai', work: [540, 1020], skills: ['design'], interests: ['design', 'books'], goals: ['roadmaps', 'public speaking'] },
];

export const demoLogins = { admin: id(0x101), mentor: id(0x201), mentee: id(0x301) } as const;

interface DemoPair {
  id: string;
  mentor: string;
  mentee: string;
  cadence: 'weekly' | 'biweekly' | 'monthly';
  status: 'active' | 'paused';
  startedDaysAgo: number;
  /** Days ago of each meeting, with the rating each partner gave (0 = none). */
  meetings: [daysAgo: number, mentorRating: number, menteeRating: number][];
  meetLink?: string;
}

export const demoPairs: DemoPair[] = [
  {
    id: id(0x401), mentor: id(0x201), mentee: id(0x301), cadence: 'weekly', status: 'active', startedDaysAgo: 90,
    meetings: [[84, 4, 5], [77, 4, 4], [70, 5, 5], [63, 4, 0], [56, 5, 5], [49, 4, 4], [42, 5, 5], [35, 5, 4], [28, 4, 5], [21, 5, 5], [14, 5, 5], [6, 5, 0]],
    meetLink: 'https://meet.google.com/abc-defg-hij',
  },
  {
    id: id(0x402), mentor: id(0x202), mentee: id(0x302), cadence: 'biweekly', status: 'active', startedDaysAgo: 80,
    meetings: [[78, 5, 4], [64, 4, 4], [50, 4, 3], [36, 3, 3], [22, 3, 2]],
  },
  {
    id: id(0x403), mentor: id(0x203), mentee: id(0x303), cadence: 'monthly', status: 'active', startedDaysAgo: 120,
    meetings: [[118, 4, 4], [88, 4, 5], [58, 5, 4]],
  },
  {
    id: id(0x404), mentor: id(0x201), mentee: id(0x304), cadence: 'biweekly', status: 'paused', startedDaysAgo: 60,
    meetings: [[56, 3, 4], [42, 4, 4]],
  },
];

interface DemoGoal {
  id: string;
  pair: string;
  title: string;
  specific: string;
  measure: string;
  target: string;
  relevance: string;
  dueInDays: number;
  /** Progress after each revision, oldest first; the last is the current progress. */
  progress: number[];
  milestones: [title: string, dueInDays: number, done: boolean][];
  /** The mentee shows the goal's title to the programme (issue 10); the others stay private to the pair. */
  shownToProgramme?: true;
}

export const demoGoals: DemoGoal[] = [
  {
    id: id(0x501), pair: id(0x401), title: 'Give a talk at the team all-hands',
    specific: 'Present the onboarding redesign at the monthly all-hands', measure: 'Talk given, feedback form average ≥ 4',
    target: '15-minute talk with slides', relevance: 'Visibility for the promotion case', dueInDays: 30, progress: [0, 20, 45, 60],
    shownToProgramme: true,
    milestones: [['Outline agreed with Maya', -20, true], ['Dry run with the team', 10, false], ['Talk at all-hands', 30, false]],
  },
  {
    id: id(0x502), pair: id(0x401), title: 'Own a product roadmap for Q1',
    specific: 'Draft and defend the Q1 roadmap for the onboarding area', measure: 'Roadmap reviewed by the PM lead',
    target: 'Roadmap doc approved', relevance: 'Step towards a product role', dueInDays: 75, progress: [0, 10, 25],
    milestones: [['Collect user research', 14, false]],
  },
  {
    id: id(0x503), pair: id(0x402), title: 'Design a service end to end',
    specific: 'Write the design doc for the notifications service', measure: 'Doc approved in design review',
    target: 'Approved design doc', relevance: 'Needed for the senior engineer level', dueInDays: -5, progress: [0, 15, 30, 30],
    milestones: [['First draft', -30, true], ['Design review', -5, false]],
  },
  {
    id: id(0x504), pair: id(0x403), title: 'Lead the support rotation',
    specific: 'Run the weekly support rotation for a quarter', measure: 'Rotation runs without escalations missed',
    target: '12 weeks led', relevance: 'Leadership practice', dueInDays: 40, progress: [0, 50, 100],
    milestones: [],
  },
];

/** A few entries per pair so the overlay is not empty; bodies are confidential and never reach the admin view. */
export const demoEntries: [id: string, pair: string, author: string, kind: 'note' | 'action' | 'decision' | 'question', visibility: 'shared' | 'private', body: string, daysAgo: number][] = [
  [id(0x601), id(0x401), id(0x201), 'note', 'shared', 'Theo presented the outline; strong opening, trim the middle section.', 6],
  [id(0x602), id(0x401), id(0x301), 'action', 'shared', 'Book a dry-run slot with the team', 6],
  [id(0x603), id(0x401), id(0x201), 'decision', 'shared', 'Talk goes ahead at the December all-hands.', 6],
  [id(0x604), id(0x401), id(0x301), 'note', 'private', 'Nervous about Q&A — ask Maya for tips next time.', 6],
  [id(0x605), id(0x402), id(0x302), 'question', 'shared', 'How much detail should the failure-mode section have?', 22],
  [id(0x606), id(0x403), id(0x203), 'action', 'shared', 'Share the escalation checklist with Sam', 58],
];

export const demoAgenda: [id: string, pair: string, author: string, body: string][] = [
  [id(0x701), id(0x401), id(0x301), 'Review the dry-run feedback'],
  [id(0x702), id(0x401), id(0x201), 'Roadmap: which user research to start with'],
  [id(0x703), id(0x402), id(0x202), 'Go through design review comments'],
];

export const demoId = id;
