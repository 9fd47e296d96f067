/**
 * A small programme with hand-computable engagement, for the dashboard tests. The range is 2025-01-06 (a Monday)
 * to 2025-03-02 (a Sunday): 56 days, 8 weekly / 4 biweekly / 1 monthly complete cadence periods. The expected
 * figures are worked out next to the assertions in dashboard.test.ts.
 */
import { env } from 'cloudflare:workers';
import { seedUser, uuid, type SeededUser } from './helpers.ts';

export const RANGE = { from: '2025-01-06', to: '2025-03-02' } as const;

type Cadence = 'weekly' | 'biweekly' | 'monthly';

export interface SeededOrg {
  orgId: string;
  admin: SeededUser;
  member: SeededUser;
  users: Record<string, string>;
  pairs: Record<string, string>;
  goals: Record<string, string>;
}

const ts = (isoDate: string, time = '10:00') => `${isoDate}T${time}:00.000Z`;

/**
 * Seeds one organisation. `names` prefixes every person's name, so two organisations seeded side by side can be
 * told apart in the results.
 */
export async function seedEngagementOrg(names = ''): Promise<SeededOrg> {
  const db = env.DB;
  const orgId = uuid();
  const created = '2024-11-01T00:00:00.000Z';
  await db.prepare('INSERT INTO organisations (id, name, created_at) VALUES (?, ?, ?)').bind(orgId, `Org ${names}`, created).run();
  const admin = await seedUser(orgId, 'admin', { name: `${names}Admin` });
  const member = await seedUser(orgId, 'mentor', { name: `${names}Zed Mentor` });

  const users: Record<string, string> = {};
  const stmts: D1PreparedStatement[] = [];
  const person = (key: string, role: 'mentor' | 'mentee', name: string) => {
    const id = uuid();
    users[key] = id;
    stmts.push(
      db
        .prepare('INSERT INTO users (id, org_id, role, name, email, time_zone, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .bind(id, orgId, role, `${names}${name}`, `${id}@example.org`, 'Europe/Lisbon', created, created),
    );
  };
  person('alice', 'mentor', 'Alice');
  person('bob', 'mentor', 'Bob');
  person('cara', 'mentor', 'Cara');
  for (const k of ['e1', 'e2', 'e3', 'e4', 'e5', 'e6']) person(k, 'mentee', `Mentee ${k}`);

  const pairs: Record<string, string> = {};
  const pair = (key: string, mentor: string, mentee: string, cadence: Cadence, status: 'active' | 'paused' | 'ended', startedOn: string, endedOn: string | null = null) => {
    const id = uuid();
    pairs[key] = id;
    stmts.push(
      db
        .prepare(
          `INSERT INTO pairs (id, org_id, mentor_id, mentee_id, status, cadence, started_on, ended_on, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .bind(id, orgId, users[mentor], users[mentee], status, cadence, startedOn, endedOn, created, created),
    );
  };
  pair('p1', 'alice', 'e1', 'weekly', 'active', '2024-12-01');
  pair('p2', 'bob', 'e2', 'biweekly', 'active', '2024-12-01');
  pair('p3', 'alice', 'e3', 'weekly', 'active', '2025-02-10');
  pair('p4', 'bob', 'e4', 'weekly', 'paused', '2024-12-01');
  pair('p5', 'bob', 'e5', 'weekly', 'ended', '2024-12-01', '2025-01-19');
  pair('p6', 'cara', 'e6', 'weekly', 'active', '2024-12-01');
  await db.batch(stmts);
  stmts.length = 0;

  const mentorOf: Record<string, string> = { p1: 'alice', p2: 'bob', p3: 'alice', p4: 'bob', p5: 'bob', p6: 'cara' };
  const menteeOf: Record<string, string> = { p1: 'e1', p2: 'e2', p3: 'e3', p4: 'e4', p5: 'e5', p6: 'e6' };
  /** A 45-minute meeting, with optional ratings [mentor, mentee] an hour after it started (0 = none). */
  const meeting = (p: string, startedAt: string, ratings: [number, number] = [0, 0]) => {
    const id = uuid();
    const pairId = pairs[p] as string;
    const ended = new Date(Date.parse(startedAt) + 45 * 60_000).toISOString();
    stmts.push(
      db
        .prepare(
          `INSERT INTO meetings (id, pair_id, org_id, platform, meeting_code, started_at, ended_at, source, created_by, created_at, updated_at)
           VALUES (?, ?, ?, 'meet', 'abc-defg-hij', ?, ?, 'auto', ?, ?, ?)`,
        )
        .bind(id, pairId, orgId, startedAt, ended, users[mentorOf[p] as string], startedAt, ended),
    );
    const ratedAt = new Date(Date.parse(startedAt) + 60 * 60_000).toISOString();
    [users[mentorOf[p] as string], users[menteeOf[p] as string]].forEach((author, i) => {
      const rating = ratings[i] ?? 0;
      if (!rating) return;
      stmts.push(
        db
          .prepare('INSERT INTO feedback (id, meeting_id, pair_id, org_id, author_id, rating, comment, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
          .bind(uuid(), id, pairId, orgId, author, rating, `${names}secret comment`, ratedAt),
      );
    });
  };
  // p1: weekly, one meeting in each of the 8 weeks (gaps 9, 5, 7, 9, 5, 10, 4 days), one before the range
  meeting('p1', ts('2024-12-31'));
  meeting('p1', ts('2025-01-06'), [0, 4]);
  for (const d of ['2025-01-15', '2025-01-20', '2025-01-27', '2025-02-05', '2025-02-10', '2025-02-20']) meeting('p1', ts(d));
  meeting('p1', ts('2025-02-24'), [2, 0]);
  // p2: biweekly, periods 0, 1 and 3 met (gaps 14, 35 days); ratings fall from 5, 5 to 5, 4, 3, 3
  meeting('p2', ts('2025-01-08'), [5, 5]);
  meeting('p2', ts('2025-01-22'), [5, 4]);
  meeting('p2', ts('2025-02-26'), [3, 3]);
  // p4 (paused) and p5 (ended on 2025-01-19): one meeting each
  meeting('p4', ts('2025-01-07'));
  meeting('p5', ts('2025-01-09'));
  // p6: weekly, weeks 0, 1, 3, 7 (gaps 10.5, 10.5, 28 days)
  meeting('p6', ts('2025-01-06', '09:00'));
  meeting('p6', ts('2025-01-16', '21:00'));
  meeting('p6', ts('2025-01-27', '09:00'));
  meeting('p6', ts('2025-02-24', '09:00'));
  // after the range: counted nowhere
  meeting('p1', ts('2025-03-03'), [1, 1]);

  const goals: Record<string, string> = {};
  const goal = (key: string, p: string, status: string, progress: number, dueOn: string | null, createdAt: string, revisionAt?: string) => {
    const id = uuid();
    goals[key] = id;
    const pairId = pairs[p] as string;
    stmts.push(
      db
        .prepare(
          `INSERT INTO goals (id, pair_id, org_id, owner_id, title, due_on, status, progress, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .bind(id, pairId, orgId, users[menteeOf[p] as string], `${names}Goal ${key}`, dueOn, status, progress, createdAt, createdAt),
    );
    if (revisionAt) {
      stmts.push(
        db
          .prepare(
            `INSERT INTO goal_revisions (id, goal_id, pair_id, author_id, version, progress, status, snapshot, created_at)
             VALUES (?, ?, ?, ?, 1, ?, ?, '{}', ?)`,
          )
          .bind(uuid(), id, pairId, users[mentorOf[p] as string], progress, status, revisionAt),
      );
    }
  };
  goal('g1', 'p1', 'active', 45, '2025-06-01', ts('2025-02-20')); // on track, 40–59; no revision: creation counts
  goal('g2', 'p1', 'completed', 100, '2025-02-01', ts('2024-12-05'), ts('2025-01-30')); // completed, 100
  goal('g3', 'p6', 'active', 10, '2025-02-01', ts('2024-12-10'), ts('2024-12-10')); // overdue, 0–19; p6 stalled
  goal('g4', 'p2', 'paused', 80, null, ts('2024-12-10')); // total only, 80–99
  goal('g5', 'p2', 'dropped', 30, null, ts('2024-12-10')); // left out
  goal('g6', 'p2', 'active', 0, null, ts('2025-04-01')); // created after the range: left out
  goal('g7', 'p2', 'active', 99, '2025-03-02', ts('2025-01-01'), ts('2025-02-20')); // due on asOf: on track, 80–99
  await db.batch(stmts);
  return { orgId, admin, member, users, pairs, goals };
}
