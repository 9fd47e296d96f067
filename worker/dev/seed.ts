import { createHash, randomBytes } from 'node:crypto';
import { DEMO_ORG_ID, demoAgenda, demoEntries, demoGoals, demoId, demoLogins, demoPairs, demoPeople } from './demo-data.ts';

const DAY = 86_400_000;
const q = (v: string | number | null): string => (v === null ? 'NULL' : typeof v === 'number' ? String(v) : `'${v.replaceAll("'", "''")}'`);
const row = (...values: (string | number | null)[]) => `(${values.map(q).join(', ')})`;
const iso = (t: number) => new Date(t).toISOString();
const date = (t: number) => iso(t).slice(0, 10);

/**
 * SQL that seeds the demo programme. Every insert is ON CONFLICT DO NOTHING on fixed ids, so running it again
 * changes nothing; dates are relative to the first seeding.
 */
export function demoProgrammeSql(now = Date.now()): string {
  const sql: string[] = [];
  sql.push(`INSERT INTO organisations (id, name, created_at) VALUES ${row(DEMO_ORG_ID, 'Demo Mentoring Programme', iso(now - 200 * DAY))} ON CONFLICT DO NOTHING;`);
  for (const p of demoPeople) {
    sql.push(
      `INSERT INTO users (id, org_id, role, name, email, time_zone, work_start_minute, work_end_minute, skills, interests, goals, capacity, created_at, updated_at) VALUES ${row(
        p.id, DEMO_ORG_ID, p.role, p.name, p.email, p.timeZone, p.work[0], p.work[1], JSON.stringify(p.skills), JSON.stringify(p.interests),
        JSON.stringify(p.goals), p.role === 'mentor' ? 3 : 0, iso(now - 200 * DAY), iso(now - 200 * DAY),
      )} ON CONFLICT DO NOTHING;`,
    );
  }
  let n = 0x1000;
  for (const p of demoPairs) {
    const links = p.meetLink ? JSON.stringify({ meet: p.meetLink }) : '{}';
    sql.push(
      `INSERT INTO pairs (id, org_id, mentor_id, mentee_id, status, cadence, meeting_links, started_on, created_at, updated_at) VALUES ${row(
        p.id, DEMO_ORG_ID, p.mentor, p.mentee, p.status, p.cadence, links, date(now - p.startedDaysAgo * DAY), iso(now - p.startedDaysAgo * DAY), iso(now),
      )} ON CONFLICT DO NOTHING;`,
    );
    for (const [daysAgo, mentorRating, menteeRating] of p.meetings) {
      const meetingId = demoId(n++);
      const start = now - daysAgo * DAY;
      sql.push(
        `INSERT INTO meetings (id, pair_id, org_id, platform, meeting_code, started_at, ended_at, source, created_by, created_at, updated_at) VALUES ${row(
          meetingId, p.id, DEMO_ORG_ID, p.meetLink ? 'meet' : 'zoom', p.meetLink ? 'abc-defg-hij' : '83412345678', iso(start), iso(start + 45 * 60_000), 'auto', p.mentor, iso(start), iso(start),
        )} ON CONFLICT DO NOTHING;`,
      );
      for (const [author, rating] of [[p.mentor, mentorRating], [p.mentee, menteeRating]] as const) {
        if (rating === 0) continue;
        sql.push(
          `INSERT INTO feedback (id, meeting_id, pair_id, org_id, author_id, rating, comment, created_at) VALUES ${row(
            demoId(n++), meetingId, p.id, DEMO_ORG_ID, author, rating, rating >= 4 ? 'Useful session' : 'We ran out of time', iso(start + 50 * 60_000),
          )} ON CONFLICT DO NOTHING;`,
        );
      }
    }
  }
  for (const g of demoGoals) {
    const pair = demoPairs.find((p) => p.id === g.pair);
    if (!pair) throw new Error(`demo goal ${g.id} has no pair`);
    const created = now - (pair.startedDaysAgo - 2) * DAY;
    const current = g.progress.at(-1) ?? 0;
    const status = current === 100 ? 'completed' : 'active';
    sql.push(
      `INSERT INTO goals (id, pair_id, org_id, owner_id, title, specific, measure, target, relevance, due_on, status, progress, programme_title, version, created_at, updated_at) VALUES ${row(
        g.id, g.pair, DEMO_ORG_ID, pair.mentee, g.title, g.specific, g.measure, g.target, g.relevance, date(now + g.dueInDays * DAY), status, current,
        g.shownToProgramme ? g.title : null, g.progress.length, iso(created), iso(now - 7 * DAY),
      )} ON CONFLICT DO NOTHING;`,
    );
    g.progress.forEach((progress, i) => {
      const at = created + (i * (now - 7 * DAY - created)) / Math.max(1, g.progress.length - 1);
      const snapshot = JSON.stringify({ title: g.title, specific: g.specific, measure: g.measure, target: g.target, relevance: g.relevance, dueOn: date(now + g.dueInDays * DAY) });
      sql.push(
        `INSERT INTO goal_revisions (id, goal_id, pair_id, author_id, version, progress, status, snapshot, note, created_at) VALUES ${row(
          demoId(n++), g.id, g.pair, i === 0 ? pair.mentee : pair.mentor, i + 1, progress, progress === 100 ? 'completed' : 'active', snapshot, i === 0 ? 'Created' : 'Progress update', iso(at),
        )} ON CONFLICT DO NOTHING;`,
      );
    });
    for (const [title, dueInDays, done] of g.milestones) {
      sql.push(
        `INSERT INTO milestones (id, goal_id, pair_id, title, due_on, done_at, created_at, updated_at) VALUES ${row(
          demoId(n++), g.id, g.pair, title, date(now + dueInDays * DAY), done ? iso(now + dueInDays * DAY) : null, iso(created), iso(created),
        )} ON CONFLICT DO NOTHING;`,
      );
    }
  }
  demoEntries.forEach(([entryId, pair, author, kind, visibility, body, daysAgo], i) => {
    sql.push(
      // shared_seq / private_seq: the entry's number in its stream (migration 0004); i + 1 is unique in each.
      `INSERT INTO entries (id, pair_id, org_id, author_id, kind, visibility, body, version, change_seq, shared_seq, private_seq, created_at, updated_at) VALUES ${row(
        entryId, pair, DEMO_ORG_ID, author, kind, visibility, body, 1, i + 1, visibility === 'shared' ? i + 1 : null, visibility === 'private' ? i + 1 : null,
        iso(now - daysAgo * DAY), iso(now - daysAgo * DAY),
      )} ON CONFLICT DO NOTHING;`,
    );
  });
  demoAgenda.forEach(([itemId, pair, author, body], i) => {
    sql.push(
      `INSERT INTO agenda_items (id, pair_id, author_id, body, position, created_at, updated_at) VALUES ${row(itemId, pair, author, body, i, iso(now), iso(now))} ON CONFLICT DO NOTHING;`,
    );
  });
  return sql.join('\n');
}

export interface DemoInvitations {
  sql: string;
  codes: Record<keyof typeof demoLogins, string>;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Fresh single-use sign-in codes for the demo admin, mentor and mentee. Earlier unused demo codes are revoked, so
 * only the links printed by the latest start work.
 */
export function demoInvitations(now = Date.now()): DemoInvitations {
  const codes = {} as Record<keyof typeof demoLogins, string>;
  const sql: string[] = [];
  for (const [who, userId] of Object.entries(demoLogins) as [keyof typeof demoLogins, string][]) {
    const code = randomBytes(32).toString('base64url');
    codes[who] = code;
    sql.push(`UPDATE invitations SET revoked_at = ${q(iso(now))} WHERE user_id = ${q(userId)} AND created_by IS NULL AND redeemed_at IS NULL AND revoked_at IS NULL;`);
    sql.push(
      `INSERT INTO invitations (id, org_id, user_id, code_hash, created_by, created_at, expires_at) VALUES ${row(
        crypto.randomUUID(), DEMO_ORG_ID, userId, sha256(code), null, iso(now), iso(now + 14 * DAY),
      )};`,
    );
  }
  return { sql: sql.join('\n'), codes };
}
